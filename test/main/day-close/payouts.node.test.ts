/**
 * readPayouts: which of a day's captures Dintero has paid out, from the settlements list and
 * the `settlements` entries on the capture events. The in-memory Dintero (the simulator's own
 * payout rules: next day 06:00 UTC, 2.5 % fee), the real client against the simulator (as in
 * training), and hand-made answers for the shapes the simulator does not produce. A Dintero
 * failure never throws: 403 is not_granted, anything else failed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DinteroError } from '../../../main/dintero/errors';
import type {
  DinteroClient,
  DinteroSettlement,
  DinteroTransaction,
  TransactionEvent,
} from '../../../main/dintero/types';
import { readPayouts, type DayCapture } from '../../../main/day-close/payouts';
import { startSimulator, type Simulator } from '../../../main/training/simulator';
import { MemoryDintero, type FaultKind } from '../../support/memory-dintero';
import { simClient } from '../training/sim-helpers';

/** 2 March 2026 in Oslo (UTC+1). */
const WINDOW = { from: '2026-03-02T00:00:00.000+01:00', to: '2026-03-02T23:59:59.999+01:00' };

/** A clock the tests move, and the in-memory Dintero on it. */
function setup(startIso = '2026-03-02T10:00:00Z') {
  const clock = { t: Date.parse(startIso) };
  const now = () => clock.t;
  const dintero = new MemoryDintero(now);
  const at = (iso: string) => {
    clock.t = Date.parse(iso);
  };
  return { dintero, now, at };
}

/** A paid session (authorized, not captured) for `amount`; returns the transaction id. */
async function paid(
  d: MemoryDintero,
  reference: string,
  amount: number,
  currency = 'NOK',
): Promise<string> {
  const s = await d.createSession({
    profile_id: 'P00000000.default',
    url: { return_url: 'https://shop.example/paid' },
    order: { amount, currency, merchant_reference: reference },
  });
  return d.pay(s.id);
}

/** What the day close hands over: the captures and the day's transactions by id. */
async function dayOf(
  d: MemoryDintero | DinteroClient,
  lines: Array<{ orderId: string; reference: string; tx: string; captured: number }>,
): Promise<{ captures: DayCapture[]; byId: Map<string, DinteroTransaction> }> {
  const txs = await d.listAllTransactions({ ids: lines.map((l) => l.tx) });
  return {
    captures: lines.map((l) => ({
      orderId: l.orderId,
      merchantReference: l.reference,
      transactionId: l.tx,
      currency: 'NOK',
      captured: l.captured,
    })),
    byId: new Map(txs.map((t) => [t.id, t])),
  };
}

describe('readPayouts with the in-memory Dintero', () => {
  it('paid out after 06:00 UTC the next day, fee and net to the øre; a later capture waits', async () => {
    const { dintero, now, at } = setup();
    const one = await paid(dintero, 'POS1-1', 29_990);
    const two = await paid(dintero, 'POS1-2', 15_001);
    const late = await paid(dintero, 'POS1-3', 10_000);
    await dintero.capture(one, { amount: 29_990, capture_reference: 'c1' });
    // Two partial captures: 2.5 % of 10 000 = 250 and of 5 001 = 125.025 → 125.
    await dintero.capture(two, { amount: 10_000, capture_reference: 'c2a' });
    await dintero.capture(two, { amount: 5_001, capture_reference: 'c2b' });
    at('2026-03-03T08:00:00Z');
    await dintero.capture(late, { amount: 10_000, capture_reference: 'c3' });
    at('2026-03-03T12:00:00Z');

    const day = await dayOf(dintero, [
      { orderId: 'o1', reference: 'POS1-1', tx: one, captured: 29_990 },
      { orderId: 'o2', reference: 'POS1-2', tx: two, captured: 15_001 },
      { orderId: 'o3', reference: 'POS1-3', tx: late, captured: 10_000 },
    ]);
    const spy = vi.spyOn(dintero, 'listSettlements');
    const view = await readPayouts(dintero, day.captures, day.byId, WINDOW, now);

    // settled_at dates from the day before the day's start (UTC) to the day after now.
    expect(spy).toHaveBeenCalledWith(
      { settledGte: '2026-02-28', settledLte: '2026-03-04', limit: 100 },
      1000,
    );
    expect(view).toEqual({
      status: 'read',
      paidOut: [
        {
          orderId: 'o1',
          merchantReference: 'POS1-1',
          transactionId: one,
          currency: 'NOK',
          captured: 29_990,
          settlementId: 'stl_20260303_NOK',
          settledAt: '2026-03-03T06:00:00.000Z',
          fee: 750,
          net: 29_240,
        },
        {
          orderId: 'o2',
          merchantReference: 'POS1-2',
          transactionId: two,
          currency: 'NOK',
          captured: 15_001,
          settlementId: 'stl_20260303_NOK',
          settledAt: '2026-03-03T06:00:00.000Z',
          fee: 375,
          net: 14_626,
        },
      ],
      waiting: [
        {
          orderId: 'o3',
          merchantReference: 'POS1-3',
          transactionId: late,
          currency: 'NOK',
          captured: 10_000,
        },
      ],
    });

    // The next morning the late capture is paid out too.
    at('2026-03-04T06:00:00Z');
    const next = await dayOf(dintero, [
      { orderId: 'o3', reference: 'POS1-3', tx: late, captured: 10_000 },
    ]);
    const later = await readPayouts(dintero, next.captures, next.byId, WINDOW, now);
    expect(later).toMatchObject({
      status: 'read',
      waiting: [],
      paidOut: [{ settlementId: 'stl_20260304_NOK', fee: 250, net: 9_750 }],
    });
  });

  it('before 06:00 everything waits; a transaction not read waits; no captures reads nothing', async () => {
    const { dintero, now, at } = setup();
    const tx = await paid(dintero, 'POS1-1', 5_000);
    await dintero.capture(tx, { amount: 5_000, capture_reference: 'c1' });
    at('2026-03-03T05:59:00Z');
    const day = await dayOf(dintero, [{ orderId: 'o1', reference: 'POS1-1', tx, captured: 5_000 }]);
    const early = await readPayouts(dintero, day.captures, day.byId, WINDOW, now);
    expect(early).toMatchObject({ status: 'read', paidOut: [] });
    expect(early.status === 'read' && early.waiting.map((l) => l.transactionId)).toEqual([tx]);

    at('2026-03-03T07:00:00Z');
    const unread = await readPayouts(dintero, day.captures, new Map(), WINDOW, now);
    expect(unread).toMatchObject({ status: 'read', paidOut: [], waiting: [{ captured: 5_000 }] });

    const before = dintero.count('listSettlements');
    expect(await readPayouts(dintero, [], new Map(), WINDOW, now)).toEqual({
      status: 'read',
      paidOut: [],
      waiting: [],
    });
    expect(dintero.count('listSettlements')).toBe(before);
  });

  it('without the grant: not_granted, naming read:settlements', async () => {
    const { dintero, now, at } = setup();
    const tx = await paid(dintero, 'POS1-1', 5_000);
    await dintero.capture(tx, { amount: 5_000, capture_reference: 'c1' });
    at('2026-03-03T07:00:00Z');
    const day = await dayOf(dintero, [{ orderId: 'o1', reference: 'POS1-1', tx, captured: 5_000 }]);
    dintero.settlementsGranted = false;
    await expect(readPayouts(dintero, day.captures, day.byId, WINDOW, now)).resolves.toEqual({
      status: 'not_granted',
      grant: 'read:settlements',
    });
    dintero.settlementsGranted = true;
    await expect(readPayouts(dintero, day.captures, day.byId, WINDOW, now)).resolves.toMatchObject({
      status: 'read',
      paidOut: [{ fee: 125, net: 4_875 }],
    });
  });

  it.each<[FaultKind, string]>([
    ['unavailable', 'error.dintero.unavailable'],
    ['network', 'error.dintero.network'],
    ['rate_limited', 'error.dintero.rate_limited'],
    ['authentication', 'error.dintero.authentication'],
    ['invalid_request', 'error.dintero.invalid_request'],
    ['drop_before_commit', 'error.dintero.outcome_unknown'],
  ])('a %s failure is failed with its catalog message, never thrown', async (kind, key) => {
    const { dintero, now } = setup();
    const tx = await paid(dintero, 'POS1-1', 5_000);
    await dintero.capture(tx, { amount: 5_000, capture_reference: 'c1' });
    const day = await dayOf(dintero, [{ orderId: 'o1', reference: 'POS1-1', tx, captured: 5_000 }]);
    dintero.fail('listSettlements', kind);
    await expect(readPayouts(dintero, day.captures, day.byId, WINDOW, now)).resolves.toEqual({
      status: 'failed',
      error: { key },
    });
  });

  it('offline is failed too', async () => {
    const { dintero, now } = setup();
    dintero.offline = true;
    const capture: DayCapture = {
      merchantReference: 'POS1-1',
      transactionId: 'P00000000.x',
      currency: 'NOK',
      captured: 1,
    };
    await expect(readPayouts(dintero, [capture], new Map(), WINDOW, now)).resolves.toEqual({
      status: 'failed',
      error: { key: 'error.dintero.network' },
    });
  });
});

describe('readPayouts in training: the real client against the simulator', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('reads the simulator like Dintero; its 403 switch and a 500 are not_granted and failed', async () => {
    sim = await startSimulator({ now: () => Date.parse('2026-03-02T10:00:00Z') });
    const client = simClient(sim);
    const s = await client.createSession({
      profile_id: 'P00000000.default',
      url: { return_url: 'https://shop.example/paid' },
      order: { amount: 12_345, currency: 'NOK', merchant_reference: 'POS1-9' },
    });
    const tx = sim.pay(s.id).id;
    await client.capture(tx, { amount: 12_345, capture_reference: 'c9' });
    sim.jumpClock(24 * 3_600_000);
    const now = () => sim!.now();
    const day = await dayOf(client, [{ orderId: 'o9', reference: 'POS1-9', tx, captured: 12_345 }]);

    await expect(readPayouts(client, day.captures, day.byId, WINDOW, now)).resolves.toEqual({
      status: 'read',
      waiting: [],
      paidOut: [
        {
          orderId: 'o9',
          merchantReference: 'POS1-9',
          transactionId: tx,
          currency: 'NOK',
          captured: 12_345,
          settlementId: 'stl_20260303_NOK',
          settledAt: '2026-03-03T06:00:00.000Z',
          fee: 309,
          net: 12_036,
        },
      ],
    });

    sim.setSettlementsGranted(false);
    await expect(readPayouts(client, day.captures, day.byId, WINDOW, now)).resolves.toEqual({
      status: 'not_granted',
      grant: 'read:settlements',
    });
    sim.setSettlementsGranted(true);
    sim.faults.add({ route: 'listSettlements', kind: 'status', status: 500, times: 1 });
    await expect(readPayouts(client, day.captures, day.byId, WINDOW, now)).resolves.toEqual({
      status: 'failed',
      error: { key: 'error.dintero.unavailable' },
    });
  });
});

describe('readPayouts with hand-made answers', () => {
  const capture = (settlements?: TransactionEvent['settlements'], at = '2026-03-02T10:00:00Z') =>
    ({
      event: 'CAPTURE',
      success: true,
      amount: 10_000,
      created_at: at,
      ...(settlements ? { settlements } : {}),
    }) satisfies TransactionEvent;
  const tx = (events: TransactionEvent[]): DinteroTransaction => ({
    id: 'P00000000.tx',
    created_at: '2026-03-02T09:00:00Z',
    status: 'CAPTURED',
    amount: 20_000,
    currency: 'NOK',
    merchant_reference: 'POS1-1',
    events,
  });
  const line: DayCapture = {
    merchantReference: 'POS1-1',
    transactionId: 'P00000000.tx',
    currency: 'NOK',
    captured: 20_000,
  };
  const client = (items: DinteroSettlement[] | Error): DinteroClient =>
    ({
      listSettlements: () =>
        items instanceof Error ? Promise.reject(items) : Promise.resolve(items),
    }) as unknown as DinteroClient;
  const entry = (settlement_id: string, extra: object = {}) => ({
    events: [{ settlement_id, provider_reference: 'p', amount: 9_700, capture: 10_000, ...extra }],
  });
  const run = (c: DinteroClient, t: DinteroTransaction) =>
    readPayouts(c, [line], new Map([[t.id, t]]), WINDOW, () => Date.parse(WINDOW.to));

  it('two captures in two settlements: fees summed (a missing fee from capture - refund - amount), the latest named', async () => {
    const t = tx([
      capture(entry('s1', { fee: 300 })),
      capture(entry('s2', { refund: 0 }), '2026-03-02T11:00:00Z'),
    ]);
    const view = await run(
      client([
        { id: 's2', settled_at: '2026-03-04T06:00:00Z', payment_status: 'paid' },
        { id: 's1', settled_at: '2026-03-03T06:00:00Z', payment_status: 'paid' },
      ]),
      t,
    );
    expect(view).toEqual({
      status: 'read',
      waiting: [],
      paidOut: [
        { ...line, settlementId: 's2', settledAt: '2026-03-04T06:00:00Z', fee: 600, net: 19_400 },
      ],
    });
  });

  it('waits while a settlement is postponed, unread, or a capture has no entry yet', async () => {
    const both = tx([capture(entry('s1', { fee: 300 })), capture(entry('s2', { fee: 300 }))]);
    const postponed = await run(
      client([
        { id: 's1', settled_at: '2026-03-03', payment_status: 'paid' },
        { id: 's2', settled_at: '2026-03-03', payment_status: 'postponed' },
      ]),
      both,
    );
    expect(postponed).toEqual({ status: 'read', paidOut: [], waiting: [line] });
    const unread = await run(client([{ id: 's1', payment_status: 'paid' }]), both);
    expect(unread).toEqual({ status: 'read', paidOut: [], waiting: [line] });
    const half = tx([capture(entry('s1', { fee: 300 })), capture()]);
    expect(await run(client([{ id: 's1', payment_status: 'paid' }]), half)).toEqual({
      status: 'read',
      paidOut: [],
      waiting: [line],
    });
  });

  it("a 403 from any client is not_granted; an error that is not Dintero's is not swallowed", async () => {
    const forbidden = new DinteroError('permission', 'HTTP 403', { status: 403 });
    await expect(run(client(forbidden), tx([]))).resolves.toEqual({
      status: 'not_granted',
      grant: 'read:settlements',
    });
    await expect(run(client(new TypeError('bug')), tx([]))).rejects.toThrow(TypeError);
  });
});
