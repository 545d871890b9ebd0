import { afterEach, describe, expect, it } from 'vitest';
import {
  createSession,
  paidTransaction,
  raw,
  startTestSim,
  type TestSim,
  type Json,
} from './sim-helpers';

let t: TestSim | undefined;
afterEach(async () => {
  await t?.sim.close();
  t = undefined;
});

const order = (amount: number, ref = 'POS1-000900') => ({
  order: { amount, currency: 'NOK', merchant_reference: ref },
});

describe('capture', () => {
  it('captures in full: CAPTURED, with a CAPTURE event carrying our reference', async () => {
    t = await startTestSim();
    const tx = await paidTransaction(t, order(1000));
    const res = await t.call('POST', `/v1/transactions/${tx}/capture`, {
      amount: 1000,
      capture_reference: 'cap-1',
    });
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('CAPTURED');
    const ev = res.json.events.at(-1);
    expect(ev).toMatchObject({
      event: 'CAPTURE',
      success: true,
      amount: 1000,
      event_reference: 'cap-1',
      transaction_status: 'CAPTURED',
      request_id: expect.any(String),
      created_at: expect.any(String),
    });
    expect(t.sim.stats().capturesApplied).toBe(1);
  });

  it('captures partially, repeatedly, up to the authorized amount and no further', async () => {
    t = await startTestSim();
    const tx = await paidTransaction(t, order(1000));
    const cap = (amount: number, ref: string) =>
      t!.call('POST', `/v1/transactions/${tx}/capture`, { amount, capture_reference: ref });
    expect((await cap(300, 'a')).json.status).toBe('PARTIALLY_CAPTURED');
    expect((await cap(300, 'b')).json.status).toBe('PARTIALLY_CAPTURED');
    const over = await cap(401, 'c');
    expect(over.status).toBe(400);
    expect(over.json.error.message).toMatch(/exceeds/);
    expect((await cap(400, 'd')).json.status).toBe('CAPTURED');
    expect((await cap(1, 'e')).status).toBe(400);
    const got = (await t.call('GET', `/v1/transactions/${tx}`)).json;
    expect(
      got.events.filter((e: Json) => e.event === 'CAPTURE').map((e: Json) => e.event_reference),
    ).toEqual(['a', 'b', 'd']);
  });

  it('refuses a missing or non-integer amount, zero, items that do not add up, and unknown ids', async () => {
    t = await startTestSim();
    const tx = await paidTransaction(t, order(1000));
    const cap = (body: unknown) => t!.call('POST', `/v1/transactions/${tx}/capture`, body);
    expect((await cap({ capture_reference: 'x' })).status).toBe(400);
    expect((await cap({ amount: 10.5 })).status).toBe(400);
    expect((await cap({ amount: 0 })).status).toBe(400);
    expect((await cap({ amount: 100, items: [{ line_id: '1', amount: 50 }] })).status).toBe(400);
    expect((await cap({ amount: 100, items: [{ line_id: '1', amount: 100 }] })).status).toBe(200);
    expect(
      (await t.call('POST', '/v1/transactions/P00000000.nope/capture', { amount: 1 })).status,
    ).toBe(404);
    expect((await t.call('GET', '/v1/transactions/P00000000.nope')).status).toBe(404);
  });
});

describe('refund', () => {
  it('is refused before a capture and bounded by captured minus refunded', async () => {
    t = await startTestSim();
    const tx = await paidTransaction(t, order(1000));
    const refund = (amount: number, ref: string) =>
      t!.call('POST', `/v1/transactions/${tx}/refund`, {
        amount,
        refund_reference: ref,
        reason: 'r',
      });
    expect((await refund(100, 'r0')).status).toBe(400);
    await t.call('POST', `/v1/transactions/${tx}/capture`, {
      amount: 1000,
      capture_reference: 'c',
    });
    const part = await refund(400, 'r1');
    expect(part.json.status).toBe('PARTIALLY_REFUNDED');
    expect(part.json.events.at(-1)).toMatchObject({
      event: 'REFUND',
      amount: 400,
      event_reference: 'r1',
    });
    expect((await refund(601, 'r2')).status).toBe(400);
    expect((await refund(600, 'r3')).json.status).toBe('REFUNDED');
    expect((await refund(1, 'r4')).status).toBe(400);
    expect(t.sim.stats().refundsApplied).toBe(2);
  });

  it('on a partly captured transaction gives PARTIALLY_CAPTURED_REFUNDED, which can still be captured', async () => {
    t = await startTestSim();
    const tx = await paidTransaction(t, order(1000));
    await t.call('POST', `/v1/transactions/${tx}/capture`, {
      amount: 600,
      capture_reference: 'c1',
    });
    const r = await t.call('POST', `/v1/transactions/${tx}/refund`, {
      amount: 200,
      refund_reference: 'r1',
    });
    expect(r.json.status).toBe('PARTIALLY_CAPTURED_REFUNDED');
    expect((await t.call('POST', `/v1/transactions/${tx}/refund`, { amount: 401 })).status).toBe(
      400,
    );
    const c = await t.call('POST', `/v1/transactions/${tx}/capture`, {
      amount: 400,
      capture_reference: 'c2',
    });
    expect(c.json.status).toBe('PARTIALLY_REFUNDED');
  });
});

describe('void', () => {
  it('voids an authorization before capture and is refused after', async () => {
    t = await startTestSim();
    const a = await paidTransaction(t, order(1000, 'A'));
    const v = await t.call('POST', `/v1/transactions/${a}/void`);
    expect(v.status).toBe(200);
    expect(v.json.status).toBe('AUTHORIZATION_VOIDED');
    expect(v.json.events.at(-1)).toMatchObject({
      event: 'VOID',
      success: true,
      transaction_status: 'AUTHORIZATION_VOIDED',
    });
    expect((await t.call('POST', `/v1/transactions/${a}/void`)).status).toBe(400);
    expect((await t.call('POST', `/v1/transactions/${a}/capture`, { amount: 1 })).status).toBe(400);

    const b = await paidTransaction(t, order(1000, 'B'));
    await t.call('POST', `/v1/transactions/${b}/capture`, { amount: 100, capture_reference: 'c' });
    expect((await t.call('POST', `/v1/transactions/${b}/void`)).status).toBe(400);
    expect(t.sim.stats().voidsApplied).toBe(1);
  });

  it('cancelling a session voids its authorized transaction; cancel is refused once captured', async () => {
    t = await startTestSim();
    const s1 = await createSession(t, order(500, 'C1'));
    const tx1 = t.sim.pay(s1).id;
    const c1 = await t.call('POST', `/v1/sessions/${s1}/cancel`);
    expect(c1.status).toBe(200);
    expect(c1.json.cancelled_at).toEqual(expect.any(String));
    expect((await t.call('GET', `/v1/transactions/${tx1}`)).json.status).toBe(
      'AUTHORIZATION_VOIDED',
    );

    const s2 = await createSession(t, order(500, 'C2'));
    const tx2 = t.sim.pay(s2).id;
    await t.call('POST', `/v1/transactions/${tx2}/capture`, {
      amount: 500,
      capture_reference: 'c',
    });
    const c2 = await t.call('POST', `/v1/sessions/${s2}/cancel`);
    expect(c2.status).toBe(400);
    expect((await t.call('GET', `/v1/sessions/${s2}`)).json.cancelled_at).toBeUndefined();
  });
});

describe('listing transactions', () => {
  it('filters by repeated id, repeated session_id and merchant_reference, newest first, with paging', async () => {
    t = await startTestSim();
    const sessions: string[] = [];
    const txs: string[] = [];
    for (const ref of ['L1', 'L2', 'L3']) {
      const s = await createSession(t, order(100, ref));
      sessions.push(s);
      txs.push(t.sim.pay(s).id);
    }
    const ids = (path: string) => t!.call('GET', path).then((r) => r.json.map((x: Json) => x.id));
    expect(await ids('/v1/transactions')).toEqual([...txs].reverse());
    expect(await ids(`/v1/transactions?id=${txs[0]}&id=${txs[2]}`)).toEqual([txs[2], txs[0]]);
    expect(
      await ids(`/v1/transactions?session_id=${sessions[1]}&session_id=${sessions[0]}`),
    ).toEqual([txs[1], txs[0]]);
    expect(await ids('/v1/transactions?merchant_reference=L2')).toEqual([txs[1]]);
    expect(await ids('/v1/transactions?merchant_reference=L')).toEqual([]);
    expect(await ids(`/v1/transactions?limit=1&starting_after=${txs[2]}`)).toEqual([txs[1]]);
    expect((await t.call('GET', '/v1/transactions?limit=500')).status).toBe(400);
  });
});

describe('asynchronous operations (202)', () => {
  it('accepts with event-request-id and an INITIATE_* event; the final event correlates on the next read', async () => {
    t = await startTestSim({ asyncOperations: true });
    const tx = await paidTransaction(t, order(1000));
    const res = await t.call('POST', `/v1/transactions/${tx}/capture`, {
      amount: 1000,
      capture_reference: 'cap-async',
    });
    expect(res.status).toBe(202);
    const rid = res.headers.get('event-request-id');
    expect(rid).toEqual(expect.any(String));
    expect(res.json.status).toBe('AUTHORIZED');
    expect(res.json.events.at(-1)).toMatchObject({
      event: 'INITIATE_CAPTURE',
      request_id: rid,
      event_reference: 'cap-async',
      amount: 1000,
    });
    const got = (await t.call('GET', `/v1/transactions/${tx}`)).json;
    expect(got.status).toBe('CAPTURED');
    const final = got.events.find((e: Json) => e.event === 'CAPTURE');
    expect(final).toMatchObject({
      correlation_request_id: rid,
      success: true,
      event_reference: 'cap-async',
      transaction_status: 'CAPTURED',
    });
    expect(final.request_id).not.toBe(rid);
    expect(t.sim.stats().capturesApplied).toBe(1);
  });

  it('in manual mode stays pending across reads until settlePending(); refund and void too', async () => {
    t = await startTestSim();
    t.sim.setAsyncOperations(true, 'manual');
    const tx = await paidTransaction(t, order(1000, 'M1'));
    const cap = await t.call('POST', `/v1/transactions/${tx}/capture`, {
      amount: 1000,
      capture_reference: 'c',
    });
    expect(cap.status).toBe(202);
    expect((await t.call('GET', `/v1/transactions/${tx}`)).json.status).toBe('AUTHORIZED');
    expect((await t.call('GET', `/v1/transactions?id=${tx}`)).json[0].status).toBe('AUTHORIZED');
    expect(t.sim.settlePending()).toBe(1);
    expect((await t.call('GET', `/v1/transactions/${tx}`)).json.status).toBe('CAPTURED');

    const ref = await t.call('POST', `/v1/transactions/${tx}/refund`, {
      amount: 1000,
      refund_reference: 'r',
    });
    expect(ref.status).toBe(202);
    expect(ref.json.events.at(-1).event).toBe('INITIATE_REFUND');
    const tx2 = await paidTransaction(t, order(1000, 'M2'));
    const v = await t.call('POST', `/v1/transactions/${tx2}/void`);
    expect(v.status).toBe(202);
    expect(v.json.events.at(-1).event).toBe('INITIATE_VOID');
    expect(t.sim.settlePending()).toBe(2);
    const refunded = t.sim.getTransaction(tx)!;
    expect(refunded.status).toBe('REFUNDED');
    expect(refunded.events.at(-1)).toMatchObject({
      event: 'REFUND',
      correlation_request_id: ref.headers.get('event-request-id'),
    });
    expect(t.sim.getTransaction(tx2)!.events.at(-1)).toMatchObject({
      event: 'VOID',
      correlation_request_id: v.headers.get('event-request-id'),
    });
  });

  it('finishes by itself after the async delay in auto mode', async () => {
    t = await startTestSim({ asyncOperations: true, asyncDelayMs: 5 });
    const tx = await paidTransaction(t, order(1000));
    const done = new Promise<void>((resolve) => {
      const off = t!.sim.on('change', () => {
        if (t!.sim.getTransaction(tx)?.status === 'CAPTURED') {
          off();
          resolve();
        }
      });
    });
    expect((await t.call('POST', `/v1/transactions/${tx}/capture`, { amount: 1000 })).status).toBe(
      202,
    );
    await done;
    expect(t.sim.getTransaction(tx)!.events.map((e) => e.event)).toEqual([
      'INITIALIZE',
      'AUTHORIZE',
      'INITIATE_CAPTURE',
      'CAPTURE',
    ]);
  });

  it('validates synchronously (400) and is switchable over the control API', async () => {
    t = await startTestSim();
    const sw = await raw(`${t.sim.url}/__sim/async`, 'POST', { on: true, settle: 'manual' });
    expect(sw.status).toBe(200);
    const tx = await paidTransaction(t, order(1000));
    expect((await t.call('POST', `/v1/transactions/${tx}/capture`, { amount: 5000 })).status).toBe(
      400,
    );
    expect((await t.call('POST', `/v1/transactions/${tx}/capture`, { amount: 500 })).status).toBe(
      202,
    );
    expect((await raw(`${t.sim.url}/__sim/settle`, 'POST')).json).toEqual({ settled: 1 });
    await raw(`${t.sim.url}/__sim/async`, 'POST', { on: false });
    expect((await t.call('POST', `/v1/transactions/${tx}/capture`, { amount: 500 })).status).toBe(
      200,
    );
  });
});
