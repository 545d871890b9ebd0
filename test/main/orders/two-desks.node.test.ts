/**
 * Two desks of one shop acting on one order (issue 14 part 3): two engines with their own
 * journals and desk identities (same terminal name) against ONE training simulator over
 * loopback HTTP, with the real Dintero client. Money moves once: what staff were told went
 * through is exactly what the simulator applied, never more than authorized or captured, and
 * every operation reference is one desk's and sent with one amount only.
 *
 * Both desks share a store ID: desk B learns about desk A's order from its board (the store's
 * sessions read from Dintero, shop-orders.ts), then follows it with its own poller.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { english } from '../../../common/i18n';
import type { Message } from '../../../common/i18n/messages';
import { DeskError } from '../../../main/desk-error';
import { DinteroError } from '../../../main/dintero/errors';
import type { DinteroClient } from '../../../main/dintero/types';
import { startSimulator, type Simulator } from '../../../main/training/simulator';
import { simClient } from '../training/sim-helpers';
import { engine, input, phone, rejection, settings, pollUntil, tempDir } from './helpers';
import { prng } from '../../support/prng';

type Engine = ReturnType<typeof engine>;

/** One capture or refund request as a desk sent it to Dintero. */
interface Sent {
  desk: string;
  kind: 'capture' | 'refund';
  reference: string;
  amount: number;
}

const sims: Simulator[] = [];
afterEach(async () => {
  for (const s of sims.splice(0)) await s.close();
});

/** The desk's client, recording every capture and refund request it sends. */
function recording(client: DinteroClient, desk: string, sent: Sent[]): DinteroClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'capture') {
        return (tx: string, req: Parameters<DinteroClient['capture']>[1]) => {
          sent.push({
            desk,
            kind: 'capture',
            reference: req.capture_reference ?? '',
            amount: req.amount,
          });
          return target.capture(tx, req);
        };
      }
      if (prop === 'refund') {
        return (tx: string, req: Parameters<DinteroClient['refund']>[1]) => {
          sent.push({
            desk,
            kind: 'refund',
            reference: req.refund_reference ?? '',
            amount: req.amount,
          });
          return target.refund(tx, req);
        };
      }
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** Two desks of store oslo-1 (DESKAA, DESKBB; both "Desk 2") over one simulator. */
async function twoDesks(opts: { eventLagMs?: number } = {}): Promise<{
  sim: Simulator;
  a: Engine;
  b: Engine;
  sent: Sent[];
}> {
  const sim = await startSimulator({ port: 0, ...opts });
  sims.push(sim);
  const sent: Sent[] = [];
  const desk = (deskId: string): Engine =>
    engine(tempDir(), recording(simClient(sim, 5000), deskId, sent), {
      settings: () => settings({ deskId, storeId: 'oslo-1' }),
    });
  return { sim, a: desk('DESKAA'), b: desk('DESKBB'), sent };
}

/** A paid order known to both desks; ids on A and on B and the transaction id. */
async function paidOnBoth(
  sim: Simulator,
  a: Engine,
  b: Engine,
  i: number,
  amount: number,
): Promise<{ idA: string; idB: string; tx: string }> {
  const r = await a.createOrder(input({ phone: phone(i), amount }), 'Anna');
  if (!r.created) throw new Error('duplicate');
  const idA = r.order.id;
  await a.sendNow();
  const row = a.journal!.get(idA)!;
  expect(row.state).toBe('link_sent');
  // B's board reads the store from Dintero and shows A's order.
  await pollUntil(
    [b],
    () => b.listOrders().orders.some((o) => o.merchantReference === row.merchantReference),
    "A's order on B",
  );
  const idB = b.listOrders().orders.find((o) => o.merchantReference === row.merchantReference)!.id;
  expect(b.getOrder(idB).order.originDesk).toBe('DESKAA');
  const tx = sim.pay(row.sessionId!).id;
  await pollUntil(
    [a, b],
    () =>
      a.getOrder(idA).order.state === 'authorized' && b.getOrder(idB).order.state === 'authorized',
    'paid on both desks',
  );
  return { idA, idB, tx };
}

/** Σ of successful CAPTURE and REFUND events at the simulator. */
function applied(sim: Simulator, tx: string): { captured: number; refunded: number } {
  let captured = 0;
  let refunded = 0;
  for (const e of sim.getTransaction(tx)?.events ?? []) {
    if (!e.success) continue;
    if (e.event === 'CAPTURE') captured += e.amount ?? 0;
    if (e.event === 'REFUND') refunded += e.amount ?? 0;
  }
  return { captured, refunded };
}

/** True for a refusal staff can read: a typed error whose text is a catalog message. */
function typedRefusal(err: unknown): boolean {
  const text: Message | undefined =
    err instanceof DeskError || err instanceof DinteroError ? err.text : undefined;
  return text !== undefined && english(text) !== text.key && !english(text).includes('{{');
}

describe('two desks acting on one order', () => {
  it('desk B re-reads before capturing: A captured everything, B refuses and sends nothing', async () => {
    const { sim, a, b, sent } = await twoDesks();
    const { idA, idB, tx } = await paidOnBoth(sim, a, b, 1, 25_000);

    await a.capture(idA, undefined, 'Anna');
    expect(applied(sim, tx).captured).toBe(25_000);
    // B has not polled since: its journal still says authorized, its button says capture.
    expect(b.getOrder(idB).order.state).toBe('authorized');
    const requestsBefore = sim.stats().requests.capture ?? 0;

    const err = await rejection(b.capture(idB, undefined, 'Bo'));
    expect(err).toBeInstanceOf(DeskError);
    expect(err).toMatchObject({
      code: 'not_allowed',
      text: { key: 'op.elsewhere.captured' },
      message: expect.stringContaining('already captured from another desk'),
    });
    expect(sim.stats().requests.capture ?? 0).toBe(requestsBefore);
    expect(sent.filter((s) => s.desk === 'DESKBB')).toEqual([]);
    // B's timeline shows A's capture, seen in Dintero, and nothing of its own was journaled.
    const { order, events } = b.getOrder(idB);
    expect(order).toMatchObject({ state: 'captured', capturedAmount: 25_000 });
    expect(events.some((e) => e.kind === 'captured' && e.amount === 25_000)).toBe(true);
    expect(events.some((e) => e.kind === 'capture_requested')).toBe(false);
    expect(b.journal!.operations(idB)).toEqual([]);

    // B refunds part: its reference carries its own identity; A then sees it before refunding.
    await b.refund(idB, 10_000, 'Damaged box', 'Bo');
    expect(sent.at(-1)).toMatchObject({ desk: 'DESKBB', kind: 'refund', amount: 10_000 });
    expect(sent.at(-1)!.reference).toMatch(/-DESKBB-F1$/);
    const tooMuch = await rejection(a.refund(idA, 20_000, 'Returned', 'Anna'));
    expect(tooMuch).toMatchObject({
      code: 'not_allowed',
      text: { key: 'op.elsewhere.refundedSome' },
    });
    expect(a.getOrder(idA).order.refundedAmount).toBe(10_000);
    await a.refund(idA, undefined, 'Returned', 'Anna');
    expect(sent.at(-1)!.reference).toMatch(/-DESKAA-F1$/);
    expect(applied(sim, tx)).toEqual({ captured: 25_000, refunded: 25_000 });
    // And a void from B once everything moved: refused, naming what was done.
    expect(await rejection(b.void(idB, 'Bo'))).toMatchObject({ code: 'not_allowed' });
  });

  it('a void at one desk: the other desk refuses to capture, saying it was voided', async () => {
    const { sim, a, b } = await twoDesks();
    const { idA, idB } = await paidOnBoth(sim, a, b, 2, 10_000);
    await a.void(idA, 'Anna');
    const requestsBefore = sim.stats().requests.capture ?? 0;
    expect(await rejection(b.capture(idB, 5_000, 'Bo'))).toMatchObject({
      code: 'not_allowed',
      text: { key: 'op.elsewhere.voided' },
    });
    expect(sim.stats().requests.capture ?? 0).toBe(requestsBefore);
    expect(b.getOrder(idB).order.state).toBe('voided');
  });

  it('the fresh read fails: refused as busy, nothing journaled', async () => {
    const { sim, a, b } = await twoDesks();
    const { idB } = await paidOnBoth(sim, a, b, 3, 10_000);
    const before = b.getOrder(idB).events.length;
    await sim.stop();
    const err = await rejection(b.capture(idB, undefined, 'Bo'));
    await sim.restart();
    expect(err).toBeInstanceOf(DinteroError);
    // The stopped simulator answers like an outage (unavailable): "busy, nothing was done".
    expect(err).toMatchObject({ kind: 'unavailable', text: { key: 'op.capture.busy' } });
    expect(b.getOrder(idB).events).toHaveLength(before);
    expect(b.journal!.operations(idB)).toEqual([]);
    expect(b.getOrder(idB).order.pendingOperation).toBeUndefined();
  });

  it('many orders, both desks pressing capture and refund at once: money moves once', async () => {
    const ROUNDS = 50;
    const { sim, a, b, sent } = await twoDesks({ eventLagMs: 30 });
    sim.faults.add({ route: 'capture', kind: 'latency', delayMs: 15 });
    sim.faults.add({ route: 'refund', kind: 'latency', delayMs: 15 });
    const rand = prng(14);
    const between = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
    const totals = { authorized: 0, captured: 0, refunded: 0, confirmedC: 0, confirmedR: 0 };
    const calls = { ok: 0, refused: 0, untyped: [] as string[] };
    const refusals = new Map<string, number>();

    for (let i = 0; i < ROUNDS; i++) {
      const amount = between(2, 50) * 1000;
      const okBefore = calls.ok;
      const { idA, idB, tx } = await paidOnBoth(sim, a, b, 100 + i, amount);
      const desks = [
        { e: a, id: idA, who: 'Anna' },
        { e: b, id: idB, who: 'Bo' },
      ];
      const press = async (
        d: (typeof desks)[number],
        kind: 'capture' | 'refund',
      ): Promise<void> => {
        await new Promise((r) => setTimeout(r, between(0, 20)));
        const part = rand() < 0.4 ? undefined : between(1, amount);
        try {
          if (kind === 'capture') await d.e.capture(d.id, part, d.who);
          else await d.e.refund(d.id, part, 'Goodwill', d.who);
          calls.ok++;
        } catch (err) {
          calls.refused++;
          if (!typedRefusal(err)) calls.untyped.push(String(err));
          else {
            const key = (err as DeskError | DinteroError).text.key;
            refusals.set(key, (refusals.get(key) ?? 0) + 1);
          }
        }
      };
      // Two waves, each in a random order: both desks capture and refund at once.
      for (let wave = 0; wave < 2; wave++) {
        const presses = desks.flatMap((d) => [press(d, 'capture'), press(d, 'refund')]);
        await Promise.all(presses);
      }
      // Both desks settle and catch up with what the (lagging) simulator shows.
      const sim0 = applied(sim, tx);
      await pollUntil(
        [a, b],
        () =>
          desks.every(({ e, id }) => {
            const o = e.getOrder(id).order;
            return (
              o.pendingOperation === undefined &&
              o.capturedAmount === sim0.captured &&
              o.refundedAmount === sim0.refunded
            );
          }),
        `round ${i}: both desks show the simulator's amounts`,
      );

      const done = (kind: 'capture' | 'refund'): number =>
        desks
          .flatMap(({ e, id }) => e.journal!.operations(id))
          .filter((o) => o.kind === kind && o.state === 'done')
          .reduce((s, o) => s + (o.amount ?? 0), 0);
      const opsDone = desks
        .flatMap(({ e, id }) => e.journal!.operations(id))
        .filter((o) => o.state === 'done').length;
      expect(opsDone, `round ${i}: operations done = presses that went through`).toBe(
        calls.ok - okBefore,
      );
      const moved = applied(sim, tx);
      const confirmedC = done('capture');
      const confirmedR = done('refund');
      expect(confirmedC, `round ${i}: captures confirmed`).toBe(moved.captured);
      expect(moved.captured).toBeLessThanOrEqual(amount);
      expect(confirmedR, `round ${i}: refunds confirmed`).toBe(moved.refunded);
      expect(moved.refunded).toBeLessThanOrEqual(moved.captured);
      totals.authorized += amount;
      totals.captured += moved.captured;
      totals.refunded += moved.refunded;
      totals.confirmedC += confirmedC;
      totals.confirmedR += confirmedR;
    }

    // No reference sent twice with different amounts, none shared by the two desks.
    const byRef = new Map<string, Sent[]>();
    for (const s of sent) byRef.set(s.reference, [...(byRef.get(s.reference) ?? []), s]);
    for (const [ref, list] of byRef) {
      expect(new Set(list.map((s) => s.amount)).size, ref).toBe(1);
      expect(new Set(list.map((s) => s.desk)).size, ref).toBe(1);
      expect(ref).toContain(`-${list[0]!.desk}-`);
    }
    expect(calls.untyped).toEqual([]);
    expect(totals.confirmedC).toBe(totals.captured);
    expect(totals.confirmedR).toBe(totals.refunded);
    console.log(
      `two desks, ${ROUNDS} orders: authorized ${totals.authorized}, captured at the simulator ` +
        `${totals.captured} (confirmed to staff ${totals.confirmedC}), refunded ${totals.refunded} ` +
        `(confirmed ${totals.confirmedR}); presses ${calls.ok + calls.refused}: ${calls.ok} went ` +
        `through, ${calls.refused} refused; requests sent ${sent.length} ` +
        `(${byRef.size} references); refusals: ${[...refusals].map(([k, n]) => `${k} ${n}`).join(', ')}`,
    );
  }, 120_000);
});
