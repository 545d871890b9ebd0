/**
 * The simulator is as unkind as Dintero: search and transaction reads lag behind writes, a
 * held payment is released after the link expired, a declined link is paid later, and
 * Dintero's clock can jump. Everything is read over real HTTP; the clock is injected so no
 * test waits for real time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSession, raw, startTestSim, type Json, type TestSim } from './sim-helpers';

let t: TestSim | undefined;
afterEach(async () => {
  await t?.sim.close();
  t = undefined;
});

const T0 = Date.parse('2026-03-01T10:00:00Z');
const HOUR = 60 * 60 * 1000;
const control = (path: string, body?: unknown) => raw(`${t!.sim.url}${path}`, 'POST', body);
const ids = (list: Json[]) => list.map((x: Json) => x.id as string);

describe('search lag', () => {
  it('a new session is found by search and created_at window only after the lag; by id at once', async () => {
    let now = T0;
    t = await startTestSim({ now: () => now, searchLagMs: 10_000 });
    const id = await createSession(t, {
      order: { amount: 1000, currency: 'NOK', merchant_reference: 'POS1-LAG-1' },
    });
    const window = `created_at.gte=${new Date(T0 - 1000).toISOString()}&created_at.lte=${new Date(T0 + 1000).toISOString()}`;
    expect((await t.call('GET', '/v1/sessions?search=POS1-LAG-1')).json).toEqual([]);
    expect((await t.call('GET', `/v1/sessions?${window}`)).json).toEqual([]);
    expect(ids((await t.call('GET', `/v1/sessions?id=${id}`)).json)).toEqual([id]);
    expect((await t.call('GET', `/v1/sessions/${id}`)).status).toBe(200);

    now += 9_999;
    expect((await t.call('GET', '/v1/sessions?search=POS1-LAG-1')).json).toEqual([]);
    now += 1;
    expect(ids((await t.call('GET', '/v1/sessions?search=POS1-LAG-1')).json)).toEqual([id]);
    expect(ids((await t.call('GET', `/v1/sessions?${window}`)).json)).toEqual([id]);
  });

  it('is switched at run time over the control API and on the object', async () => {
    t = await startTestSim({ now: () => T0 });
    const lag = await control('/__sim/lag', { searchMs: 5_000 });
    expect(lag.json).toEqual({ searchMs: 5_000, eventMs: 0 });
    const id = await createSession(t);
    expect((await t.call('GET', '/v1/sessions?search=POS1-000123')).json).toEqual([]);
    expect(t.sim.setLag({ searchMs: 0 })).toEqual({ searchMs: 0, eventMs: 0 });
    expect(ids((await t.call('GET', '/v1/sessions?search=POS1-000123')).json)).toEqual([id]);
    expect((await control('/__sim/lag', { searchMs: -1 })).status).toBe(400);
    expect((await raw(`${t.sim.url}/__sim/lag`, 'GET')).json).toEqual({ searchMs: 0, eventMs: 0 });
  });
});

describe('event lag', () => {
  it('a refund whose answer was dropped is invisible to reads for the lag, yet a second refund is refused', async () => {
    let now = T0;
    t = await startTestSim({ now: () => now, eventLagMs: 5_000 });
    const sid = await createSession(t);
    const tx = t.sim.pay(sid).id;
    // A lagging replica does not know the payment yet: 404, and the session has no transaction.
    expect((await t.call('GET', `/v1/transactions/${tx}`)).status).toBe(404);
    expect((await t.call('GET', `/v1/sessions/${sid}`)).json.transaction_id).toBeUndefined();
    now += 5_000;
    expect((await t.call('GET', `/v1/sessions/${sid}`)).json.transaction_id).toBe(tx);
    expect(
      (
        await t.call('POST', `/v1/transactions/${tx}/capture`, {
          amount: 29990,
          capture_reference: 'C1',
        })
      ).status,
    ).toBe(200);
    now += 5_000;

    t.sim.faults.add({ route: 'refund', kind: 'drop_after_commit', times: 1 });
    await expect(
      t.call('POST', `/v1/transactions/${tx}/refund`, { amount: 29990, refund_reference: 'F1' }),
    ).rejects.toThrow();
    expect(t.sim.stats().refundsApplied).toBe(1);

    const read = (await t.call('GET', `/v1/transactions/${tx}`)).json;
    expect(read.status).toBe('CAPTURED');
    expect(read.events.map((e: Json) => e.event)).not.toContain('REFUND');
    const listed = (await t.call('GET', `/v1/transactions?id=${tx}`)).json;
    expect(listed.map((x: Json) => x.status)).toEqual(['CAPTURED']);
    // Writes act on the true state: the refund happened, so a second one is refused.
    const again = await t.call('POST', `/v1/transactions/${tx}/refund`, {
      amount: 29990,
      refund_reference: 'F1',
    });
    expect(again.status).toBe(400);

    now += 4_999;
    expect((await t.call('GET', `/v1/transactions/${tx}`)).json.status).toBe('CAPTURED');
    now += 1;
    const late = (await t.call('GET', `/v1/transactions/${tx}`)).json;
    expect(late.status).toBe('REFUNDED');
    expect(late.events.filter((e: Json) => e.event === 'REFUND')).toHaveLength(1);
  });

  it('a dropped capture is hidden the same way, and the lag is a run-time switch', async () => {
    let now = T0;
    t = await startTestSim({ now: () => now });
    const tx = t.sim.pay(await createSession(t)).id;
    now += 3_000; // the payment itself is older than the lag about to be switched on
    expect((await control('/__sim/lag', { eventMs: 3_000 })).status).toBe(200);
    t.sim.faults.add({ route: 'capture', kind: 'drop_after_commit', times: 1 });
    await expect(
      t.call('POST', `/v1/transactions/${tx}/capture`, { amount: 29990, capture_reference: 'C1' }),
    ).rejects.toThrow();
    expect((await t.call('GET', `/v1/transactions/${tx}`)).json.status).toBe('AUTHORIZED');
    now += 3_000;
    expect((await t.call('GET', `/v1/transactions/${tx}`)).json.status).toBe('CAPTURED');
  });
});

describe('ON_HOLD, then AUTHORIZED after the link expired', () => {
  it('a held payment is released after expires_at and reads show AUTHORIZED', async () => {
    let now = T0;
    t = await startTestSim({ now: () => now });
    const sid = await createSession(t, { expires_at: new Date(T0 + HOUR).toISOString() });
    const held = await control(`/__sim/customer/${sid}/hold`);
    expect(held.json.status).toBe('ON_HOLD');
    const tx = held.json.id as string;
    expect((await t.call('GET', `/v1/transactions/${tx}`)).json.status).toBe('ON_HOLD');
    expect((await t.call('GET', `/v1/sessions/${sid}`)).json.transaction_id).toBe(tx);

    now += 2 * HOUR;
    expect((await control(`/__sim/customer/${sid}/pay`)).status).toBe(409);
    const released = await control(`/__sim/customer/${sid}/release`, { outcome: 'authorized' });
    expect(released.status).toBe(200);
    const read = (await t.call('GET', `/v1/transactions/${tx}`)).json;
    expect(read.status).toBe('AUTHORIZED');
    expect(read.events.map((e: Json) => [e.event, e.success, e.transaction_status])).toEqual([
      ['INITIALIZE', true, 'ON_HOLD'],
      ['AUTHORIZE', true, 'AUTHORIZED'],
    ]);
    expect((await t.call('GET', `/v1/sessions/${sid}`)).json.transaction_id).toBe(tx);
    expect((await control(`/__sim/customer/${sid}/release`)).status).toBe(409);
  });

  it('a held payment can also end FAILED', async () => {
    t = await startTestSim();
    const sid = await createSession(t);
    t.sim.hold(sid);
    expect(t.sim.release(sid, 'failed').status).toBe('FAILED');
  });
});

describe('decline, then pay on the same link', () => {
  it("the session's transaction_id moves to the paid transaction; the declined one stays readable", async () => {
    t = await startTestSim();
    const sid = await createSession(t);
    const declined = (await control(`/__sim/customer/${sid}/decline`)).json.id as string;
    expect((await t.call('GET', `/v1/sessions/${sid}`)).json.transaction_id).toBe(declined);
    const page = await (await fetch(`${t.sim.url}/v1/view/${sid}`)).text();
    expect(page).toContain('Pay with Vipps');

    const paid = await control(`/__sim/customer/${sid}/pay`);
    expect(paid.status).toBe(200);
    expect(paid.json.status).toBe('AUTHORIZED');
    const session = (await t.call('GET', `/v1/sessions/${sid}`)).json;
    expect(session.transaction_id).toBe(paid.json.id);
    expect(session.events.map((e: Json) => e.name)).toEqual([
      'INITIATED',
      'VISITED',
      'DECLINED',
      'VISITED', // the customer opened the page again
      'AUTHORIZED',
    ]);
    expect((await t.call('GET', `/v1/transactions/${declined}`)).json.status).toBe('DECLINED');
    const both = (await t.call('GET', `/v1/transactions?session_id=${sid}`)).json;
    expect(both.map((x: Json) => x.status)).toEqual(['AUTHORIZED', 'DECLINED']);
    expect((await control(`/__sim/customer/${sid}/pay`)).status).toBe(409);
  });

  it('with event lag the session still names the declined transaction until the payment shows', async () => {
    let now = T0;
    t = await startTestSim({ now: () => now, eventLagMs: 2_000 });
    const sid = await createSession(t);
    const declined = t.sim.decline(sid).id;
    now += 2_000;
    const paid = t.sim.pay(sid).id;
    expect((await t.call('GET', `/v1/sessions/${sid}`)).json.transaction_id).toBe(declined);
    now += 2_000;
    expect((await t.call('GET', `/v1/sessions/${sid}`)).json.transaction_id).toBe(paid);
  });
});

describe("Dintero's clock", () => {
  it('answers carry a Date header from the simulator clock, and a jump moves it', async () => {
    const now = T0 + 123_456;
    t = await startTestSim({ now: () => now });
    const res = await t.call('GET', '/v1/sessions?limit=1');
    expect(res.headers.get('date')).toBe(new Date(now).toUTCString());
    const jumped = await control('/__sim/clock', { jumpMs: -HOUR });
    expect(jumped.json).toEqual({ now: new Date(now - HOUR).toISOString(), offsetMs: -HOUR });
    expect((await t.call('GET', '/v1/sessions?limit=1')).headers.get('date')).toBe(
      new Date(now - HOUR).toUTCString(),
    );
  });

  it('a forward jump expires a link, a jump back makes it payable again; created_at follows', async () => {
    t = await startTestSim({ now: () => T0 });
    const sid = await createSession(t); // expires 24 h after T0 (the default)
    expect((await control('/__sim/clock', { jumpMs: 25 * HOUR })).status).toBe(200);
    expect((await control(`/__sim/customer/${sid}/pay`)).json.error.code).toBe('expired');
    // The token is still good: its lifetime is elapsed time, not Dintero's wall clock.
    const later = await createSession(t);
    const created = (await t.call('GET', `/v1/sessions/${later}`)).json.created_at;
    expect(created).toBe(new Date(T0 + 25 * HOUR).toISOString());

    expect(t.sim.jumpClock(-25 * HOUR)).toBe(0);
    expect(t.sim.now()).toBe(T0);
    expect((await control(`/__sim/customer/${sid}/pay`)).json.status).toBe('AUTHORIZED');
    expect((await control('/__sim/clock', { offsetMs: 5 })).json.offsetMs).toBe(5);
    expect((await control('/__sim/clock', {})).status).toBe(400);
  });
});
