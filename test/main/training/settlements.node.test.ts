/**
 * The simulator's payouts over loopback HTTP: GET /v1/accounts/{aid}/settlements with its date
 * filters and `last_evaluated_key` paging, settlements written only once Dintero's clock has
 * passed 06:00 UTC the next day (one per currency per day, 2.5 % fee on captures, refunds
 * deducted), the `settlements` entry on each settled event, and the 403 switches.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DinteroError } from '../../../main/dintero/errors';
import type { DinteroTransaction } from '../../../main/dintero/types';
import {
  createSession,
  simClient,
  startTestSim,
  raw,
  type Json,
  type TestSim,
} from './sim-helpers';

let t: TestSim | undefined;
afterEach(async () => {
  await t?.sim.close();
  t = undefined;
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2 March 2026, 10:00 UTC. */
const START = Date.parse('2026-03-02T10:00:00Z');

/** Starts a simulator whose wall clock reads START; tests move it with jumpClock. */
async function sim(): Promise<TestSim> {
  t = await startTestSim({ now: () => START });
  return t;
}

/** Sets Dintero's wall clock to `iso`. */
const clockAt = (x: TestSim, iso: string): void => {
  x.sim.jumpClock(Date.parse(iso) - x.sim.now());
};

/** A paid and captured transaction (over HTTP); returns its id. */
async function captured(
  x: TestSim,
  amount: number,
  currency = 'NOK',
  store?: string,
): Promise<string> {
  const sid = await createSession(x, {
    order: {
      amount,
      currency,
      merchant_reference: `ref-${amount}-${currency}`,
      ...(store ? { store: { id: store } } : {}),
    },
  });
  const tx = x.sim.pay(sid).id;
  const res = await x.call('POST', `/v1/transactions/${tx}/capture`, {
    amount,
    capture_reference: `cap-${amount}`,
  });
  expect(res.status).toBe(200);
  return tx;
}

const list = (x: TestSim, query = ''): Promise<Json> =>
  x.call('GET', `/v1/accounts/${x.sim.credentials.accountId}/settlements${query}`);

describe('settlements in the simulator', () => {
  it('pays out the next day at 06:00 UTC, per currency, with a 2.5 % fee', async () => {
    const x = await sim();
    const a = await captured(x, 10_000, 'NOK', 'oslo-1');
    const b = await captured(x, 29_990, 'NOK', 'oslo-1');
    const c = await captured(x, 12_345, 'SEK', 'oslo-1');
    expect(
      (
        await x.call('POST', `/v1/transactions/${a}/refund`, {
          amount: 1000,
          refund_reference: 'r1',
        })
      ).status,
    ).toBe(200);

    clockAt(x, '2026-03-03T05:59:59.999Z');
    let res = await list(x, '?limit=100');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ items: [] });
    expect(x.sim.getTransaction(b)!.settlement_status).toBe('NOT_SETTLED');

    clockAt(x, '2026-03-03T06:00:00.000Z');
    res = await list(x, '?limit=100');
    expect(res.json.last_evaluated_key).toBeUndefined();
    const items = res.json.items as Json[];
    expect(items.map((s) => s.id)).toEqual(['stl_20260303_SEK', 'stl_20260303_NOK']);
    const nok = items[1];
    expect(nok).toMatchObject({
      settled_at: '2026-03-03T06:00:00.000Z',
      payment_status: 'paid',
      store_id: 'oslo-1',
      // 250 + 749.75 → 750: fees are whole øre per capture.
      amounts: [{ currency: 'NOK', capture: 39_990, refund: 1000, fee: 1000, amount: 37_990 }],
    });
    expect(items[0].amounts).toEqual([
      { currency: 'SEK', capture: 12_345, refund: 0, fee: 309, amount: 12_036 },
    ]);

    // The capture event carries its entry (spec: TransactionSettlementsRead).
    const tx = (await x.call('GET', `/v1/transactions/${b}`)).json as DinteroTransaction;
    const cap = tx.events!.find((e) => e.event === 'CAPTURE')!;
    expect(cap.settlements).toEqual({
      events: [
        {
          settlement_id: 'stl_20260303_NOK',
          provider_reference: 'payout-stl_20260303_NOK',
          event_correlation_id: cap.id,
          amount: 29_240,
          capture: 29_990,
          refund: 0,
          fee: 750,
        },
      ],
      settlement_status: 'SETTLED',
    });
    expect(tx.settlement_status).toBe('SETTLED');
    const refund = x.sim.getTransaction(a)!.events.find((e) => e.event === 'REFUND')!;
    expect(refund.settlements?.events[0]).toMatchObject({ refund: 1000, fee: 0, amount: -1000 });
    expect(x.sim.getTransaction(c)!.settlement_status).toBe('SETTLED');

    // A capture made after the payout waits for the next morning; its transaction's other
    // events stay settled.
    const later = await captured(x, 5_000, 'NOK');
    clockAt(x, '2026-03-04T05:00:00.000Z');
    expect(x.sim.getTransaction(later)!.settlement_status).toBe('NOT_SETTLED');
    clockAt(x, '2026-03-04T06:00:00.000Z');
    expect(x.sim.settlements().map((s) => s.id)).toEqual([
      'stl_20260304_NOK',
      'stl_20260303_SEK',
      'stl_20260303_NOK',
    ]);
    // Nothing moved into a settlement already paid out.
    expect(x.sim.settlements()[2]!.amounts![0]!.capture).toBe(39_990);
  });

  it('pages newest first with last_evaluated_key, filters on the settled date', async () => {
    const x = await sim();
    // One capture a day for 5 days: settlements on 3..7 March.
    for (let d = 0; d < 5; d++) {
      clockAt(x, new Date(START + d * DAY).toISOString());
      await captured(x, 1000 + d);
    }
    clockAt(x, '2026-03-08T12:00:00Z');
    const ids = ['07', '06', '05', '04', '03'].map((d) => `stl_202603${d}_NOK`);

    const first = await list(x, '?limit=2');
    expect(first.json.items.map((s: Json) => s.id)).toEqual(ids.slice(0, 2));
    expect(first.json.last_evaluated_key).toEqual({
      id: ids[1],
      account_id: x.sim.credentials.accountId,
      settled_at: '2026-03-06T06:00:00.000Z',
    });
    const key = first.json.last_evaluated_key;
    const second = await list(
      x,
      `?limit=2&starting_after_id=${key.id}&starting_after_date=${encodeURIComponent(key.settled_at)}`,
    );
    expect(second.json.items.map((s: Json) => s.id)).toEqual(ids.slice(2, 4));
    const k2 = second.json.last_evaluated_key;
    const third = await list(
      x,
      `?limit=2&starting_after_id=${k2.id}&starting_after_date=${encodeURIComponent(k2.settled_at)}`,
    );
    expect(third.json.items.map((s: Json) => s.id)).toEqual([ids[4]]);
    expect(third.json.last_evaluated_key).toBeUndefined();

    // Default page size 10; a full last page still carries a key (like DynamoDB).
    expect((await list(x)).json.items).toHaveLength(5);
    expect((await list(x, '?limit=5')).json.last_evaluated_key?.id).toBe(ids[4]);

    const window = await list(x, '?created_at.gte=2026-03-04&created_at.lte=2026-03-05');
    expect(window.json.items.map((s: Json) => s.id)).toEqual([ids[2], ids[3]]);

    // The real client, over HTTP, through every page.
    const client = simClient(x.sim);
    expect((await client.listSettlements({ limit: 2 })).map((s) => s.id)).toEqual(ids);
    expect(
      (await client.listSettlements({ settledGte: '2026-03-06', limit: 1 })).map((s) => s.id),
    ).toEqual(ids.slice(0, 2));
    expect(x.sim.stats().requests.listSettlements).toBeGreaterThanOrEqual(3 + 3 + 2);
  });

  it('refuses bad filters and half a cursor (400)', async () => {
    const x = await sim();
    for (const q of [
      '?created_at.gte=2026-03-01T00:00:00Z',
      '?created_at.lte=yesterday',
      '?limit=1001',
      '?limit=0',
      '?starting_after_id=stl_20260303_NOK',
      '?starting_after_date=2026-03-03T06:00:00.000Z',
    ]) {
      const res = await list(x, q);
      expect(res.status, q).toBe(400);
      expect(res.json.error.code).toBe('INVALID_REQUEST_PARAMETERS');
    }
    expect((await list(x, '?limit=1000')).status).toBe(200);
  });

  it('answers 403 without the grant, for another account, or under a fault rule', async () => {
    const x = await sim();
    const client = simClient(x.sim);
    expect(x.sim.settlementsGranted).toBe(true);

    x.sim.setSettlementsGranted(false);
    const res = await list(x);
    expect(res.status).toBe(403);
    expect(res.json.error.message).toMatch(/read:settlements/);
    const err = await client.listSettlements({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DinteroError);
    expect((err as DinteroError).kind).toBe('permission');

    // The control API switches it back.
    const ctl = await raw(`${x.sim.url}/__sim/grants`, 'POST', { settlements: true });
    expect(ctl.json).toEqual({ settlements: true });
    expect((await list(x)).status).toBe(200);
    expect((await raw(`${x.sim.url}/__sim/state`, 'GET')).json.grants).toEqual({
      settlements: true,
    });

    expect((await x.call('GET', '/v1/accounts/P99999999/settlements')).status).toBe(403);
    expect(
      (await raw(`${x.sim.url}/v1/accounts/${x.sim.credentials.accountId}/settlements`, 'GET'))
        .status,
    ).toBe(401);

    x.sim.faults.add({ route: 'listSettlements', kind: 'status', status: 403, times: 1 });
    expect((await list(x)).status).toBe(403);
    expect((await list(x)).status).toBe(200);
  });

  it('settlement entries survive a restart from the state file', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'sim-settle-'));
    try {
      const stateFile = join(dir, 'sim.json');
      t = await startTestSim({ now: () => START, stateFile });
      const tx = await captured(t, 20_000);
      t.sim.jumpClock(DAY);
      expect(t.sim.settlements()).toHaveLength(1);
      await t.sim.close();
      t = await startTestSim({ now: () => START + DAY, stateFile });
      expect(
        t.sim.getTransaction(tx)!.events.find((e) => e.event === 'CAPTURE')!.settlements,
      ).toMatchObject({ events: [{ fee: 500, amount: 19_500 }] });
      expect(t.sim.settlements().map((s) => s.id)).toEqual(['stl_20260303_NOK']);
    } finally {
      await t?.sim.close();
      t = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
