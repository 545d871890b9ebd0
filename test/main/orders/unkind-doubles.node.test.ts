/**
 * The in-memory Dintero (test/support/memory-dintero.ts, the simulator's core behind the
 * DinteroClient interface) is as unkind as Dintero when asked: search lag, event lag (a
 * dropped refund is invisible to reads for a while, yet a second refund is refused), an
 * ON_HOLD payment released after the link expired, decline then pay on one link, and
 * Dintero's clock jumping. The engine tests and the model battery both use it, so there is
 * one model of Dintero's rules in the tree.
 */
import { describe, expect, it } from 'vitest';
import type { DinteroClient } from '../../../main/dintero/types';
import type { LagSettings } from '../../../main/training/lag';
import { MemoryDintero } from '../../support/memory-dintero';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const HOUR = 60 * 60 * 1000;

/** What the scenarios need from a double, over its own customer and fault API. */
interface Double {
  client: DinteroClient;
  setLag(l: LagSettings): void;
  jumpClock(ms: number): void;
  /** The customer pays; the new transaction id, or undefined when refused. */
  pay(sid: string): string | undefined;
  decline(sid: string): string | undefined;
  hold(sid: string): string | undefined;
  release(sid: string): void;
  /** The next refund is carried out and its answer lost. */
  dropNextRefund(): void;
}

function memoryDouble(now: () => number): Double {
  const f = new MemoryDintero(now);
  return {
    client: f,
    setLag: (l) => (f.lag = l),
    jumpClock: (ms) => f.jumpClock(ms),
    pay: (sid) => f.pay(sid),
    decline: (sid) => f.decline(sid),
    hold: (sid) => f.hold(sid),
    release: (sid) => f.release(sid),
    dropNextRefund: () => f.fail('refund', 'drop_after_commit'),
  };
}

const create = async (c: DinteroClient, ref: string, expiresAt?: number): Promise<string> =>
  (
    await c.createSession({
      profile_id: 'default',
      url: { return_url: 'https://shop.example/paid' },
      order: { amount: 10_000, currency: 'NOK', merchant_reference: ref },
      ...(expiresAt !== undefined ? { expires_at: new Date(expiresAt).toISOString() } : {}),
    })
  ).id;

describe('the in-memory Dintero is as unkind as Dintero', () => {
  const make = memoryDouble;
  it('search lag: a new session is found by search only after the lag, by id at once', async () => {
    let now = T0;
    const d = make(() => now);
    d.setLag({ searchMs: 10_000, eventMs: 0 });
    const sid = await create(d.client, 'POS1-LAG-1');
    expect(await d.client.listAllSessions({ search: 'POS1-LAG-1' })).toEqual([]);
    expect((await d.client.listSessions({ ids: [sid] })).map((s) => s.id)).toEqual([sid]);
    expect((await d.client.getSession(sid)).id).toBe(sid);
    now += 10_000;
    const found = await d.client.listAllSessions({ search: 'POS1-LAG-1' });
    expect(found.map((s) => s.id)).toEqual([sid]);
  });

  it('event lag: a refund whose answer was lost is invisible for the lag; a second one is refused', async () => {
    let now = T0;
    const d = make(() => now);
    d.setLag({ searchMs: 0, eventMs: 5_000 });
    const sid = await create(d.client, 'POS1-LAG-2');
    const tx = d.pay(sid)!;
    await expect(d.client.getTransaction(tx)).rejects.toMatchObject({ kind: 'not_found' });
    expect((await d.client.getSession(sid)).transaction_id).toBeUndefined();
    now += 5_000;
    await d.client.capture(tx, { amount: 10_000, capture_reference: 'C1' });
    now += 5_000;
    d.dropNextRefund();
    await expect(
      d.client.refund(tx, { amount: 10_000, refund_reference: 'F1' }),
    ).rejects.toMatchObject({ kind: 'outcome_unknown' });
    const read = await d.client.getTransaction(tx);
    expect(read.status).toBe('CAPTURED');
    expect(read.events!.map((e) => e.event)).not.toContain('REFUND');
    expect((await d.client.listTransactions({ ids: [tx] })).map((t) => t.status)).toEqual([
      'CAPTURED',
    ]);
    await expect(
      d.client.refund(tx, { amount: 10_000, refund_reference: 'F1' }),
    ).rejects.toMatchObject({ kind: 'invalid_request' });
    now += 4_999;
    expect((await d.client.getTransaction(tx)).status).toBe('CAPTURED');
    now += 1;
    expect((await d.client.getTransaction(tx)).status).toBe('REFUNDED');
  });

  it('ON_HOLD, then AUTHORIZED after the link expired', async () => {
    let now = T0;
    const d = make(() => now);
    const sid = await create(d.client, 'POS1-HOLD', T0 + HOUR);
    const tx = d.hold(sid)!;
    expect((await d.client.getTransaction(tx)).status).toBe('ON_HOLD');
    now += 2 * HOUR;
    d.release(sid);
    expect((await d.client.getTransaction(tx)).status).toBe('AUTHORIZED');
    expect((await d.client.getSession(sid)).transaction_id).toBe(tx);
    expect(() => d.release(sid)).toThrow();
  });

  it("decline then pay on the same link: the session's transaction_id moves to the payment", async () => {
    const d = make(() => T0);
    const sid = await create(d.client, 'POS1-RETRY', T0 + HOUR);
    const declined = d.decline(sid)!;
    expect((await d.client.getSession(sid)).transaction_id).toBe(declined);
    expect((await d.client.getTransaction(declined)).status).toBe('DECLINED');
    const paid = d.pay(sid)!;
    expect(paid).not.toBe(declined);
    expect((await d.client.getSession(sid)).transaction_id).toBe(paid);
    expect((await d.client.getTransaction(paid)).status).toBe('AUTHORIZED');
  });

  it("clock jumps both ways move Dintero's timestamps", async () => {
    const d = make(() => T0);
    d.jumpClock(25 * HOUR);
    const later = await create(d.client, 'POS1-JUMP-1');
    expect((await d.client.getSession(later)).created_at).toBe(
      new Date(T0 + 25 * HOUR).toISOString(),
    );
    d.jumpClock(-26 * HOUR);
    const earlier = await create(d.client, 'POS1-JUMP-2');
    expect((await d.client.getSession(earlier)).created_at).toBe(new Date(T0 - HOUR).toISOString());
  });
});

describe("the in-memory Dintero's expiry follows its clock", () => {
  it('a forward jump expires a link; a jump back makes it payable again', async () => {
    const d = new MemoryDintero(() => T0);
    const sid = await create(d, 'POS1-JUMP-3', T0 + HOUR);
    d.jumpClock(2 * HOUR);
    expect(d.tryPay(sid)).toBe(false);
    d.jumpClock(-2 * HOUR);
    expect(d.tryPay(sid)).toBe(true);
  });
});
