/**
 * Property-based model test (fast-check): random short sequences of
 *   enqueue, send, success (faults cleared), timeout (the next call hangs until the client's
 *   timeout, before or after Dintero acted), 5xx (the next call fails, before or after Dintero
 *   acted), crash (the engine is closed abruptly and reopened on the same data folder; calls in
 *   flight never answer), offline, online, poll, the customer paying, capture, refund, void,
 *   202 mode on/off, resolve lost operations, and the clock moving on
 * against the REAL engine (journal, outbox, reconciler, poller, money operations) and a Dintero.
 *
 * Two Dinteros:
 * - an in-memory one (test/support/memory-dintero.ts: the simulator's core in-process) and the real
 *   client's error classification, for ≥ 1,000 runs: everything resolves in microtasks and the
 *   clock is injected, so a run takes milliseconds and is deterministic (seeded; only the
 *   simulator's random ids differ from one run to the next);
 * - the real simulator over HTTP with the real client (faults as simulator fault rules, offline
 *   as a stopped simulator), for a smaller number of runs: HTTP, timeouts and real timers make
 *   each run take about a second, too slow for 1,000.
 *
 * Invariants, after EVERY step: at most one session per order (per merchant reference) and one
 * SMS per link; refunded ≤ captured ≤ authorized at Dintero and in the journal, and the journal
 * never claims more than Dintero has; the journal's session id is Dintero's; no acknowledged
 * order lost across crashes; no state going backwards (STATE_RANK; the only backward moves are
 * sending/unknown → queued). After each run the world is healed and the engine driven until
 * quiet: then every order has exactly one session, nothing is left in the outbox or pending,
 * and the journal's amounts equal Dintero's.
 */
import fc from 'fast-check';
import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderState, OrderSummary } from '../../common/domain';
import { createDinteroClient } from '../../main/dintero/client';
import type { DinteroClient } from '../../main/dintero/types';
import { createLogger, type Logger } from '../../main/log';
import { createOrderEngine } from '../../main/orders/engine';
import type { EngineTiming } from '../../main/orders/engine-types';
import { STATE_RANK } from '../../common/order-state';
import { CustomerActionError, startSimulator, type Simulator } from '../../main/training/simulator';
import {
  engineSettings,
  orderInput,
  prng,
  secs,
  sleep,
  summary,
  tempRoot,
  type TempRoot,
} from './support/env';
import { MemoryDintero } from '../support/memory-dintero';
import { killable } from './support/killable';

/** Runs and seed; PAYLINK_REL_MODEL_RUNS / PAYLINK_REL_SEED explore further by hand. */
const FAKE_RUNS = Number(process.env.PAYLINK_REL_MODEL_RUNS ?? 1000);
const SIM_RUNS = 60;
const SEED = Number(process.env.PAYLINK_REL_SEED ?? 424_242);

// ----- commands ---------------------------------------------------------------------

type Cmd =
  | { t: 'enqueue' }
  | { t: 'send' }
  | { t: 'success' }
  | { t: 'timeout'; after: boolean }
  | { t: '5xx'; after: boolean }
  | { t: 'releaseHung' }
  | { t: 'crash' }
  | { t: 'offline' }
  | { t: 'online' }
  | { t: 'poll' }
  | { t: 'pay'; pick: number }
  | { t: 'capture'; pick: number; part: boolean }
  | { t: 'refund'; pick: number; part: boolean }
  | { t: 'void'; pick: number }
  | { t: 'cancel'; pick: number }
  | { t: 'resend'; pick: number; sms: boolean }
  | { t: 'async'; on: boolean }
  | { t: 'resolve' }
  | { t: 'tick'; ms: number }
  | { t: 'heal' };

const pick = fc.nat({ max: 50 });
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { arbitrary: fc.constant<Cmd>({ t: 'enqueue' }), weight: 4 },
  { arbitrary: fc.constant<Cmd>({ t: 'send' }), weight: 5 },
  { arbitrary: fc.constant<Cmd>({ t: 'success' }), weight: 2 },
  { arbitrary: fc.boolean().map<Cmd>((after) => ({ t: 'timeout', after })), weight: 3 },
  { arbitrary: fc.boolean().map<Cmd>((after) => ({ t: '5xx', after })), weight: 3 },
  { arbitrary: fc.constant<Cmd>({ t: 'releaseHung' }), weight: 2 },
  { arbitrary: fc.constant<Cmd>({ t: 'crash' }), weight: 3 },
  { arbitrary: fc.constant<Cmd>({ t: 'offline' }), weight: 1 },
  { arbitrary: fc.constant<Cmd>({ t: 'online' }), weight: 2 },
  { arbitrary: fc.constant<Cmd>({ t: 'poll' }), weight: 6 },
  { arbitrary: pick.map<Cmd>((p) => ({ t: 'pay', pick: p })), weight: 5 },
  {
    arbitrary: fc
      .record({ p: pick, part: fc.boolean() })
      .map<Cmd>(({ p, part }) => ({ t: 'capture', pick: p, part })),
    weight: 4,
  },
  {
    arbitrary: fc
      .record({ p: pick, part: fc.boolean() })
      .map<Cmd>(({ p, part }) => ({ t: 'refund', pick: p, part })),
    weight: 3,
  },
  { arbitrary: pick.map<Cmd>((p) => ({ t: 'void', pick: p })), weight: 2 },
  { arbitrary: pick.map<Cmd>((p) => ({ t: 'cancel', pick: p })), weight: 1 },
  {
    arbitrary: fc
      .record({ p: pick, sms: fc.boolean() })
      .map<Cmd>(({ p, sms }) => ({ t: 'resend', pick: p, sms })),
    weight: 1,
  },
  { arbitrary: fc.boolean().map<Cmd>((on) => ({ t: 'async', on })), weight: 1 },
  { arbitrary: fc.constant<Cmd>({ t: 'resolve' }), weight: 1 },
  {
    arbitrary: fc
      .constantFrom(0, 1000, 6000, 30_000, 25 * 3_600_000)
      .map<Cmd>((ms) => ({ t: 'tick', ms })),
    weight: 2,
  },
  { arbitrary: fc.constant<Cmd>({ t: 'heal' }), weight: 2 },
);

/** Two orders sent and paid, and the payments seen. */
const PAID_START: readonly Cmd[] = [
  { t: 'enqueue' },
  { t: 'enqueue' },
  { t: 'heal' },
  { t: 'pay', pick: 0 },
  { t: 'pay', pick: 1 },
  { t: 'heal' },
];

const show = (c: Cmd): string => {
  const { t, ...rest } = c;
  const args = Object.values(rest);
  return args.length ? `${t}(${args.join(',')})` : t;
};

// ----- worlds -------------------------------------------------------------------------

/** The Dintero side of a run, and how time and faults work there. */
interface World {
  readonly name: string;
  /** A client for a new engine "process" (killable: a crash silences its calls). */
  connect(): { client: DinteroClient; kill(): void };
  now(): number;
  timing: Partial<EngineTiming>;
  tick(ms: number): Promise<void>;
  fault(kind: '5xx' | 'hang', afterCommit: boolean): void;
  clearFaults(): void;
  releaseHung(): Promise<void>;
  setOffline(on: boolean): Promise<void>;
  setAsync(on: boolean): void;
  pay(sessionId: string): void;
  sessionsFor(ref: string): number;
  maxSessionsPerRef(): number;
  /** Most SMS any one session (link) sent. */
  maxSmsPerSession(): number;
  sessionIdFor(ref: string): string | undefined;
  tx(txId: string): { authorized: number; captured: number; refunded: number } | undefined;
  /** Waits for `p` to finish; false when it is still running (stuck on a hung call). */
  settle(p: Promise<unknown>): Promise<boolean>;
  close(): Promise<void>;
}

const nextMacrotask = (): Promise<void> => new Promise((r) => setImmediate(r));

function fakeWorld(): World {
  let clock = Date.parse('2025-03-01T10:00:00Z');
  // A request stuck before Dintero acted may arrive late, within the engine's reconcile delay.
  const d = new MemoryDintero(() => clock, { lateWindowMs: 5000 });
  // Accepted (202) operations finish when the transaction is next read.
  d.settleOnRead = true;
  return {
    name: 'in-memory',
    connect: () => killable(d),
    now: () => clock,
    timing: {
      pollFastMs: 1000,
      pollSlowMs: 1000,
      backoffBaseMs: 1000,
      backoffMaxMs: 10_000,
      probeMs: 1e9,
      reconcileDelayMs: 5000,
      absenceWindowMs: 600,
      absenceReads: 3,
      stopTimeoutMs: 100,
    },
    tick: (ms) => {
      clock += ms;
      return Promise.resolve();
    },
    fault: (kind, afterCommit) => void d.faults.push({ kind, afterCommit }),
    clearFaults: () => void d.faults.splice(0),
    releaseHung: async () => {
      d.releaseHung();
      await nextMacrotask();
    },
    setOffline: (on) => {
      d.offline = on;
      return Promise.resolve();
    },
    setAsync: (on) => {
      d.asyncOperations = on;
      if (!on) d.settleAll();
    },
    pay: (sid) => void d.tryPay(sid),
    sessionsFor: (ref) => d.sessionsCreatedFor(ref),
    maxSessionsPerRef: () => d.maxSessionsPerReference(),
    maxSmsPerSession: () => d.maxSmsPerSession(),
    sessionIdFor: (ref) =>
      [...d.sessions.values()].find((s) => s.order.merchant_reference === ref)?.id,
    tx: (id) => d.amountsOf(id),
    // Everything in the fake resolves in microtasks: not done by the next macrotask = stuck.
    settle: async (p) => {
      let done = false;
      void p.then(
        () => (done = true),
        () => (done = true),
      );
      await nextMacrotask();
      return done;
    },
    close: () => Promise.resolve(),
  };
}

const CLIENT_TIMEOUT_MS = 300;

async function simWorld(seed: number): Promise<World> {
  const sim: Simulator = await startSimulator({ random: prng(seed) });
  const random = prng(seed + 1);
  // Set when a hang was armed: only then is there a client timeout to wait out.
  let hangArmed = false;
  return {
    name: 'simulator',
    connect: () =>
      killable(
        createDinteroClient({
          apiUrl: sim.url,
          checkoutUrl: sim.url,
          credentials: () => Promise.resolve(sim.credentials),
          timeoutMs: CLIENT_TIMEOUT_MS,
          random,
          backoffBaseMs: 10,
          backoffCapMs: 50,
        }),
      ),
    now: Date.now,
    timing: {
      pollFastMs: 50,
      pollSlowMs: 50,
      backoffBaseMs: 10,
      backoffMaxMs: 50,
      probeMs: 1e9,
      reconcileDelayMs: 50,
      absenceWindowMs: 600,
      absenceReads: 3,
      stopTimeoutMs: 500,
    },
    tick: (ms) => sleep(Math.min(ms, 60)),
    fault: (kind, afterCommit) => {
      if (kind === 'hang') hangArmed = true;
      sim.faults.add({
        route: '*',
        times: 1,
        ...(kind === '5xx'
          ? afterCommit
            ? { kind: 'drop_after_commit' as const }
            : { kind: 'status' as const, status: 502 }
          : { kind: afterCommit ? ('hang_after_commit' as const) : ('hang' as const) }),
      });
    },
    clearFaults: () => sim.faults.clear(),
    releaseHung: async () => {
      if (!hangArmed) return;
      hangArmed = false;
      await sleep(CLIENT_TIMEOUT_MS + 50);
    },
    setOffline: async (on) => {
      if (on) await sim.stop();
      else await sim.restart();
    },
    setAsync: (on) => sim.setAsyncOperations(on, 'auto'),
    pay: (sid) => {
      try {
        sim.pay(sid);
      } catch (e) {
        if (!(e instanceof CustomerActionError)) throw e;
      }
    },
    sessionsFor: (ref) => sim.stats().sessionsCreated[ref] ?? 0,
    maxSessionsPerRef: () => Math.max(0, ...Object.values(sim.stats().sessionsCreated)),
    maxSmsPerSession: () => {
      const per = new Map<string, number>();
      for (const m of sim.sms()) per.set(m.sessionId, (per.get(m.sessionId) ?? 0) + 1);
      return Math.max(0, ...per.values());
    },
    sessionIdFor: (ref) => sim.sessions().find((s) => s.merchantReference === ref)?.sessionId,
    tx: (id) => {
      const t = sim.getTransaction(id);
      if (!t) return undefined;
      let captured = 0;
      let refunded = 0;
      for (const e of t.events) {
        if (!e.success) continue;
        if (e.event === 'CAPTURE') captured += e.amount ?? 0;
        if (e.event === 'REFUND') refunded += e.amount ?? 0;
      }
      return { authorized: t.amount, captured, refunded };
    },
    settle: async (p) => {
      let done = false;
      void p.then(
        () => (done = true),
        () => (done = true),
      );
      await Promise.race([p.catch(() => undefined), sleep(1500)]);
      return done;
    },
    close: () => sim.close(),
  };
}

// ----- one run ------------------------------------------------------------------------

/** Figures summed over runs. */
interface Tally {
  runs: number;
  commands: number;
  crashes: number;
  orders: number;
  sessions: number;
  paid: number;
  captures: number;
  refunds: number;
  voids: number;
  cancelled: number;
  resent: number;
  expired: number;
  settleRounds: number;
}

const OUTBOX: readonly OrderState[] = ['queued', 'sending', 'unknown'];

function errorSink(lines: string[]): Logger {
  return createLogger({
    level: 'error',
    stream: new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString('utf8'));
        cb();
      },
    }),
  });
}

async function runSequence(
  world: World,
  cmds: Cmd[],
  dataDir: string,
  seed: number,
  tally: Tally,
): Promise<string[]> {
  const violations: string[] = [];
  const errors: string[] = [];
  const logger = errorSink(errors);
  const orders: Array<{ id: string; ref: string; phone: string }> = [];
  const last = new Map<string, OrderState>();
  let conn = world.connect();
  let random = prng(seed);
  const open = (): ReturnType<typeof createOrderEngine> => {
    const e = createOrderEngine({
      accountId: 'P00000000',
      dataDir,
      client: conn.client,
      settings: () => engineSettings('MODEL'),
      logger,
      now: () => world.now(),
      // The world's clock is the only time that passes in the in-memory world.
      monotonic: () => world.now(),
      random,
      concurrency: 2,
      timing: world.timing,
    });
    e.on('orderChanged', (o) => observe(o.id, o.state, 'event'));
    return e;
  };
  const observe = (id: string, state: OrderState, how: string): void => {
    const prev = last.get(id);
    if (prev !== undefined && STATE_RANK[state] < STATE_RANK[prev]) {
      const allowed = state === 'queued' && (prev === 'sending' || prev === 'unknown');
      if (!allowed)
        violations.push(`order ${id.slice(0, 8)} went back ${prev} -> ${state} (${how})`);
    }
    last.set(id, state);
  };
  let engine = open();
  const list = (): OrderSummary[] => engine.listOrders({ limit: 10_000 }).orders;
  /**
   * The order a step acts on: the p-th of those where the step makes sense (a link to pay, a
   * payment to capture, ...) when there are any, else the p-th of all, so most steps do
   * something and some try what the app must refuse.
   */
  const orderAt = (p: number, fits?: (o: OrderSummary) => boolean): OrderSummary | undefined => {
    const all = list();
    if (all.length === 0) return undefined;
    const suitable = fits ? all.filter(fits) : [];
    const pool = suitable.length > 0 && p % 4 !== 3 ? suitable : all;
    return pool[p % pool.length];
  };

  const check = (step: string): void => {
    if (world.maxSessionsPerRef() > 1) violations.push(`${step}: a reference has 2+ sessions`);
    if (world.maxSmsPerSession() > 1) violations.push(`${step}: a link was texted twice`);
    const rows = list();
    const ids = new Set(rows.map((o) => o.id));
    for (const o of orders) if (!ids.has(o.id)) violations.push(`${step}: acknowledged order lost`);
    for (const o of rows) {
      observe(o.id, o.state, step);
      if (!(o.refundedAmount <= o.capturedAmount && o.capturedAmount <= o.authorizedAmount)) {
        violations.push(
          `${step}: journal ${o.merchantReference} refunded ${o.refundedAmount} captured ${o.capturedAmount} authorized ${o.authorizedAmount}`,
        );
      }
      if (o.sessionId && world.sessionIdFor(o.merchantReference) !== o.sessionId) {
        violations.push(`${step}: journal session of ${o.merchantReference} is not Dintero's`);
      }
      if (o.transactionId) {
        const t = world.tx(o.transactionId);
        if (!t) violations.push(`${step}: unknown transaction`);
        else {
          if (!(t.refunded <= t.captured && t.captured <= t.authorized)) {
            violations.push(
              `${step}: Dintero refunded ${t.refunded} captured ${t.captured} of ${t.authorized}`,
            );
          }
          if (o.capturedAmount > t.captured || o.refundedAmount > t.refunded) {
            violations.push(
              `${step}: journal claims more than Dintero has (${o.merchantReference})`,
            );
          }
        }
      }
    }
  };

  const exec = async (c: Cmd): Promise<void> => {
    switch (c.t) {
      case 'enqueue': {
        const i = orders.length;
        const r = await engine.createOrder(orderInput(i, { amount: 10_000 + 100 * i }), 'Model');
        if (!r.created) throw new Error('not created');
        orders.push({ id: r.order.id, ref: r.order.merchantReference, phone: r.order.phone });
        tally.orders++;
        return;
      }
      case 'send':
        await world.settle(engine.sendNow());
        return;
      case 'success':
        world.clearFaults();
        return;
      case 'timeout':
        world.fault('hang', c.after);
        return;
      case '5xx':
        world.fault('5xx', c.after);
        return;
      case 'releaseHung':
        await world.releaseHung();
        return;
      case 'crash':
        conn.kill();
        engine.closeNow();
        conn = world.connect();
        random = prng(seed + tally.crashes + 1);
        engine = open();
        tally.crashes++;
        return;
      case 'offline':
        await world.setOffline(true);
        return;
      case 'online':
        await world.setOffline(false);
        await world.settle(engine.probeNow());
        return;
      case 'poll':
        await world.settle(engine.pollNow());
        return;
      case 'resolve':
        await world.settle(engine.resolveOperationsNow());
        return;
      case 'pay': {
        const o = orderAt(c.pick, (x) => x.state === 'link_sent' || x.state === 'opened');
        if (o?.sessionId) {
          world.pay(o.sessionId);
          tally.paid++;
        }
        return;
      }
      case 'capture': {
        const o = orderAt(
          c.pick,
          (x) => x.authorizedAmount > x.capturedAmount && x.state !== 'voided',
        );
        if (!o) return;
        const left = o.authorizedAmount - o.capturedAmount;
        const amount = c.part && left > 1 ? Math.ceil(left / 2) : undefined;
        await world.settle(engine.capture(o.id, amount, 'Model'));
        return;
      }
      case 'refund': {
        const o = orderAt(c.pick, (x) => x.capturedAmount > x.refundedAmount);
        if (!o) return;
        const left = o.capturedAmount - o.refundedAmount;
        const amount = c.part && left > 1 ? Math.ceil(left / 2) : undefined;
        await world.settle(engine.refund(o.id, amount, 'Model refund', 'Model'));
        return;
      }
      case 'void': {
        const o = orderAt(c.pick, (x) => x.state === 'authorized');
        if (o) await world.settle(engine.void(o.id, 'Model'));
        return;
      }
      case 'cancel': {
        const o = orderAt(c.pick, (x) => ['queued', 'link_sent', 'opened'].includes(x.state));
        if (o) await world.settle(engine.cancelLink(o.id, 'Model'));
        return;
      }
      case 'resend': {
        const o = orderAt(c.pick, (x) =>
          ['link_sent', 'opened', 'expired', 'cancelled'].includes(x.state),
        );
        if (o) await world.settle(engine.resendLink(o.id, c.sms ? 'sms' : 'link_only', 'Model'));
        return;
      }
      case 'async':
        world.setAsync(c.on);
        return;
      case 'tick':
        await world.tick(c.ms);
        return;
      case 'heal': {
        const why = await heal();
        if (why !== undefined) violations.push(`heal: never settled: ${why}`);
        return;
      }
    }
  };

  /**
   * Heals the world (faults cleared, line up, 202s finished, hung calls timed out) and drives
   * the engine until nothing is in the outbox or pending and the journal's amounts equal
   * Dintero's. Returns undefined when quiet, else what is still busy.
   */
  const heal = async (): Promise<string | undefined> => {
    world.clearFaults();
    await world.setOffline(false);
    world.setAsync(false);
    await world.releaseHung();
    let why = '';
    for (let round = 0; round < 40; round++) {
      tally.settleRounds++;
      await world.tick(61_000);
      await world.settle(engine.probeNow());
      await world.settle(engine.resolveOperationsNow());
      await world.settle(engine.sendNow());
      await world.settle(engine.pollNow());
      await world.releaseHung();
      const rows = list();
      const busy = rows.filter((o) => OUTBOX.includes(o.state) || o.pendingOperation);
      const behind = rows.filter((o) => {
        const t = o.transactionId ? world.tx(o.transactionId) : undefined;
        return t && (t.captured !== o.capturedAmount || t.refunded !== o.refundedAmount);
      });
      if (busy.length === 0 && behind.length === 0) return undefined;
      why =
        busy
          .map(
            (o) =>
              `${o.merchantReference} ${o.state}${o.pendingOperation ? `+${o.pendingOperation}` : ''}`,
          )
          .join(', ') + ` | behind: ${behind.map((o) => o.merchantReference).join(', ')}`;
    }
    return why;
  };

  try {
    for (const [i, c] of cmds.entries()) {
      await exec(c);
      tally.commands++;
      check(`step ${i + 1} ${show(c)}`);
      if (violations.length) break;
    }

    // Heal the world and drive the engine until it is quiet.
    if (violations.length === 0) {
      const why = await heal();
      check('settled');
      if (why !== undefined) violations.push(`never settled: ${why}`);
      const rows = list();
      for (const o of rows) {
        // Withdrawn before it was sent: no session; every other order exactly one.
        const want = o.state === 'cancelled' && !o.sessionId ? 0 : 1;
        const n = world.sessionsFor(o.merchantReference);
        if (n !== want)
          violations.push(`after settling, ${o.merchantReference} (${o.state}) has ${n} sessions`);
      }
      // Acknowledged orders plus the ones resending made, nothing else.
      const extra = rows.filter((o) => !orders.some((a) => a.id === o.id));
      if (extra.some((o) => !o.replacesOrderId)) {
        violations.push(`${extra.length} orders in the journal nobody created`);
      }
      tally.sessions += rows.filter((o) => o.sessionId).length;
      for (const o of rows) {
        const t = o.transactionId ? world.tx(o.transactionId) : undefined;
        if (t && t.captured > 0) tally.captures++;
        if (t && t.refunded > 0) tally.refunds++;
        if (o.state === 'voided') tally.voids++;
        if (o.state === 'cancelled') tally.cancelled++;
        if (o.state === 'expired') tally.expired++;
        if (o.replacesOrderId) tally.resent++;
      }
    }
  } finally {
    conn.kill();
    engine.closeNow();
    await world.releaseHung();
  }
  const internal = errors.filter((l) => /unexpected|threw|failed/i.test(l));
  if (internal.length)
    violations.push(`internal errors logged: ${internal.slice(0, 2).join(' | ')}`);
  tally.runs++;
  return violations;
}

// ----- the properties ----------------------------------------------------------------

function newTally(): Tally {
  return {
    runs: 0,
    commands: 0,
    crashes: 0,
    orders: 0,
    sessions: 0,
    paid: 0,
    captures: 0,
    refunds: 0,
    voids: 0,
    cancelled: 0,
    resent: 0,
    expired: 0,
    settleRounds: 0,
  };
}

describe('model test: random sequences against the real engine', () => {
  let root: TempRoot;
  const lines: string[] = [];
  let passed = 0;
  let failed = 0;

  beforeAll(() => {
    root = tempRoot('model', { fast: true });
  });

  afterAll(async () => {
    for (const l of lines) console.log(l);
    summary('model', passed, failed);
    await root?.cleanup();
  });

  async function property(
    name: string,
    numRuns: number,
    maxLength: number,
    world: (seed: number) => Promise<World>,
    timeLimitMs: number,
  ): Promise<void> {
    const started = Date.now();
    const tally = newTally();
    let runSeed = 0;
    const details = await fc.check(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(cmdArb, { minLength: 1, maxLength, size: 'max' }),
        async (paidStart, rest) => {
          // Half the runs start from two paid orders, so money operations meet the chaos.
          const cmds: Cmd[] = [...(paidStart ? PAID_START : [{ t: 'enqueue' } as const]), ...rest];
          const seed = ++runSeed;
          const w = await world(seed);
          const dir = root.dir('run');
          try {
            const v = await runSequence(w, cmds, dir, seed, tally);
            if (v.length)
              throw new Error(
                `${v.slice(0, 4).join('\n')}\n  sequence: ${cmds.map(show).join(' ')}`,
              );
          } finally {
            await w.close();
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns, seed: SEED, interruptAfterTimeLimit: timeLimitMs, markInterruptAsFailure: true },
    );
    const runsOk = details.failed ? Math.max(0, details.numRuns - 1) : details.numRuns;
    passed += runsOk;
    failed += details.failed ? 1 : 0;
    lines.push(
      `model (${name}): ${details.numRuns} runs (seed ${SEED}), ${tally.commands} steps, ${tally.crashes} crashes, ` +
        `${tally.orders} orders, ${tally.sessions} sessions, ${tally.paid} payments, orders captured ${tally.captures}, ` +
        `refunded ${tally.refunds}, voided ${tally.voids}, cancelled ${tally.cancelled}, expired ${tally.expired}, ` +
        `resent ${tally.resent}; ${secs(Date.now() - started)}` +
        (details.failed ? `; FAILED after ${details.numShrinks} shrinks` : ''),
    );
    if (details.failed) {
      const err =
        details.errorInstance instanceof Error
          ? details.errorInstance.message
          : String(details.errorInstance);
      lines.push(`model (${name}): counterexample:\n${err}`);
    }
    expect(details.failed, details.failed ? String(details.errorInstance) : '').toBe(false);
    expect(details.numRuns).toBeGreaterThanOrEqual(numRuns);
  }

  it(`${FAKE_RUNS} runs against the engine and an in-memory Dintero`, async () => {
    await property('in-memory Dintero', FAKE_RUNS, 30, () => Promise.resolve(fakeWorld()), 240_000);
  });

  it(`${SIM_RUNS} runs against the engine, the real client and the simulator over HTTP`, async () => {
    await property('simulator over HTTP', SIM_RUNS, 16, (seed) => simWorld(seed), 120_000);
  });
});
