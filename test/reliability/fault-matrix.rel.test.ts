/**
 * The fault matrix: every fault the simulator can play × every operation the desk performs.
 *
 * Faults: HTTP 500, 502, 503 with Retry-After, 504, a timeout after Dintero acted (the answer
 * never comes; short client timeout), a connection reset before anything is done, connection
 * refused (the simulator stopped, restarted 300 ms later), a slow body that still arrives in
 * time, a slow body that outlasts the client's timeout (Dintero acted, the answer is cut), and
 * an unreadable JSON answer (Dintero acted). Each fault hits the operation's route once.
 *
 * Operations: create (the outbox sends a queued order), capture, refund, void (staff press the
 * button; when the app says "nothing was done, try again" they try again, as staff would), and
 * poll (the customer pays; the poller must see it).
 *
 * Each cell runs on a fresh simulator, engine and journal (real client over HTTP, engine on its
 * own timers), and checks that the intended operation took effect EXACTLY once: one session per
 * reference and one SMS per phone, one CAPTURE / REFUND / VOID event on the transaction (and
 * the simulator's applied counter moved by one), and the final state and amounts in the journal.
 */
import { english } from '../../common/i18n';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDinteroClient } from '../../main/dintero/client';
import { toIpcError } from '../../main/ipc/dispatch';
import { createLogger, type Logger } from '../../main/log';
import { createOrderEngine } from '../../main/orders/engine';
import { startSimulator, type FaultRule, type Simulator } from '../../main/training/simulator';
import type { OrderSummary } from '../../common/domain';
import {
  engineSettings,
  FAST_TIMING,
  orderInput,
  prng,
  secs,
  sleep,
  summary,
  tempRoot,
  waitFor,
  type TempRoot,
} from './support/env';
import { integrityCheck } from './support/journal-db';
import { scanForSecrets } from './support/scan';
import { capturedSecrets, needlesOf } from './support/secret-capture';

vi.mock('../../main/redact', async (importOriginal) =>
  (await import('./support/secret-capture')).wrapRedact(await importOriginal()),
);

const CLIENT_TIMEOUT_MS = 600;

interface Fault {
  name: string;
  rule?: Omit<FaultRule, 'route'>;
  /** Connection refused: stop the simulator before the operation, restart it after. */
  outage?: boolean;
}

const FAULTS: Fault[] = [
  { name: '500', rule: { kind: 'status', status: 500 } },
  { name: '502', rule: { kind: 'status', status: 502 } },
  { name: '503+Retry-After', rule: { kind: 'status', status: 503, retryAfterSeconds: 1 } },
  { name: '504', rule: { kind: 'status', status: 504 } },
  { name: 'timeout after send', rule: { kind: 'hang_after_commit' } },
  { name: 'connection reset', rule: { kind: 'reset' } },
  { name: 'connection refused', outage: true },
  { name: 'slow body (in time)', rule: { kind: 'slow_body', delayMs: 200 } },
  { name: 'slow body (too slow)', rule: { kind: 'slow_body', delayMs: 1500 } },
  { name: 'invalid JSON', rule: { kind: 'invalid_json' } },
];

const OPS = ['create', 'capture', 'refund', 'void', 'poll'] as const;
type Op = (typeof OPS)[number];

type Engine = ReturnType<typeof createOrderEngine>;

interface Cell {
  fault: string;
  op: Op;
  ok: boolean;
  why?: string;
  ms: number;
  staffAttempts: number;
  /** What the first press of the button got (money operations). */
  firstPress?: string;
}

describe('fault matrix: every fault x every operation takes effect exactly once', () => {
  let root: TempRoot;
  let logger: Logger;
  let logDir: string;
  const cleanups: Array<() => Promise<void>> = [];
  const simSecrets: string[] = [];

  beforeAll(() => {
    root = tempRoot('matrix');
    logDir = root.dir('logs');
    logger = createLogger({ dir: logDir, level: 'debug' });
  });

  afterAll(async () => {
    for (const c of cleanups.splice(0)) await c().catch(() => undefined);
    await root?.cleanup();
  });

  async function setup(
    index: number,
  ): Promise<{ sim: Simulator; engine: Engine; dataDir: string }> {
    const sim = await startSimulator({ random: prng(100 + index) });
    simSecrets.push(sim.credentials.clientSecret);
    const client = createDinteroClient({
      apiUrl: sim.url,
      checkoutUrl: sim.url,
      credentials: () => Promise.resolve(sim.credentials),
      timeoutMs: CLIENT_TIMEOUT_MS,
      logger,
      random: prng(200 + index),
      backoffBaseMs: 20,
      backoffCapMs: 200,
    });
    const dataDir = root.dir('data');
    const engine = createOrderEngine({
      accountId: 'P00000000',
      dataDir,
      client,
      settings: () => engineSettings('FM'),
      logger,
      random: prng(300 + index),
      timing: FAST_TIMING,
    });
    engine.start();
    cleanups.push(async () => {
      await engine.stop();
      await sim.close();
    });
    return { sim, engine, dataDir };
  }

  const get = (engine: Engine, id: string): OrderSummary => engine.getOrder(id).order;

  async function reach(
    engine: Engine,
    id: string,
    state: OrderSummary['state'],
    what: string,
  ): Promise<void> {
    await waitFor(() => get(engine, id).state === state, {
      timeoutMs: 20_000,
      intervalMs: 10,
      what,
      describe: () => {
        const o = get(engine, id);
        return `state ${o.state}, pending ${o.pendingOperation ?? '-'}, last error ${o.lastError ? english(o.lastError) : '-'}`;
      },
    });
  }

  /** Staff press the button, and press it again only when the app says nothing was done. */
  async function staff(
    engine: Engine,
    id: string,
    done: (o: OrderSummary) => boolean,
    press: () => Promise<unknown>,
  ): Promise<number> {
    let presses = 0;
    for (let attempt = 0; attempt < 8 && !done(get(engine, id)); attempt++) {
      await waitFor(() => get(engine, id).pendingOperation === undefined, {
        timeoutMs: 20_000,
        intervalMs: 10,
        what: 'no operation in flight',
      });
      if (done(get(engine, id))) break;
      presses++;
      await press().catch(() => undefined);
      await waitFor(() => get(engine, id).pendingOperation === undefined, {
        timeoutMs: 20_000,
        intervalMs: 10,
        what: 'the operation to settle',
      });
      if (!done(get(engine, id))) await sleep(50);
    }
    return presses;
  }

  const successEvents = (sim: Simulator, txId: string, event: string): number =>
    (sim.getTransaction(txId)?.events ?? []).filter((e) => e.event === event && e.success).length;

  async function runCell(fault: Fault, op: Op, index: number): Promise<Cell> {
    const started = Date.now();
    const { sim, engine, dataDir } = await setup(index);
    let staffAttempts = 0;
    let firstPress: string | undefined;
    let sawOffline = false;
    engine.on('statusChanged', (st) => {
      if (!st.online) sawOffline = true;
    });
    const arm = (route: FaultRule['route'] | Array<FaultRule['route']>): void => {
      for (const r of Array.isArray(route) ? route : [route]) {
        if (fault.rule) sim.faults.add({ ...fault.rule, route: r, times: 1 });
      }
    };
    let restarted: Promise<void> = Promise.resolve();
    const outage = async (): Promise<void> => {
      if (!fault.outage) return;
      await sim.stop();
      restarted = sleep(300).then(() => sim.restart());
    };

    const r = await engine.createOrder(orderInput(index, { amount: 25_000 }), 'Desk');
    if (!r.created) throw new Error('not created');
    const id = r.order.id;
    const ref = r.order.merchantReference;
    const phone = r.order.phone;

    if (op === 'create') {
      // The order is already queued; arm before the outbox's first pass can run.
      arm('create');
      await outage();
    }
    await reach(engine, id, 'link_sent', 'link sent');
    await restarted;
    const sessionId = get(engine, id).sessionId!;
    const before = sim.stats();

    if (op === 'poll') {
      await outage();
      arm(['listSessions', 'listTransactions']);
      sim.pay(sessionId);
      await restarted;
      await reach(engine, id, 'authorized', 'the payment seen by the poller');
    } else if (op !== 'create') {
      sim.pay(sessionId);
      await reach(engine, id, 'authorized', 'paid');
      if (op === 'refund') {
        await engine.capture(id, undefined, 'Desk');
        await reach(engine, id, 'captured', 'captured before the refund');
      }
      const route = op;
      arm(route);
      await outage();
      const target = op === 'capture' ? 'captured' : op === 'refund' ? 'refunded' : 'voided';
      staffAttempts = await staff(
        engine,
        id,
        (o) => o.state === target,
        async () => {
          // Staff press at once; after "no connection" they wait for the line to come back.
          if (firstPress !== undefined) await restarted;
          const p =
            op === 'capture'
              ? engine.capture(id, undefined, 'Desk')
              : op === 'refund'
                ? engine.refund(id, undefined, 'Customer changed mind', 'Desk')
                : engine.void(id, 'Desk');
          const outcome = await p.then(
            () => 'ok',
            (e: unknown) => toIpcError(e).code,
          );
          firstPress ??= outcome;
        },
      );
      await restarted;
      await reach(engine, id, target, `${op} done`);
    }

    // ---- exactly once -----------------------------------------------------------------
    const after = sim.stats();
    const o = get(engine, id);
    const problems: string[] = [];
    if (after.sessionsCreated[ref] !== 1) problems.push(`${after.sessionsCreated[ref]} sessions`);
    if (after.smsSent[phone] !== 1) problems.push(`${after.smsSent[phone]} SMS`);
    if (o.sessionId !== sessionId) problems.push('session id changed');
    const fired = fault.outage
      ? sawOffline || firstPress === 'offline'
      : Object.values(after.faultsApplied).reduce((n, v) => n + (v ?? 0), 0) >= 1;
    if (!fired) problems.push(`the fault never fired (first press: ${firstPress ?? '-'})`);
    const tx = o.transactionId;
    if (op === 'poll') {
      const authorizedLines = engine
        .getOrder(id)
        .events.filter((e) => e.kind === 'authorized').length;
      if (o.state !== 'authorized') problems.push(`state ${o.state}`);
      if (o.authorizedAmount !== 25_000) problems.push(`authorized ${o.authorizedAmount}`);
      if (authorizedLines !== 1) problems.push(`${authorizedLines} "paid" timeline lines`);
    }
    if (op === 'capture' || op === 'refund' || op === 'void') {
      if (!tx) problems.push('no transaction');
      const counter =
        `${op === 'capture' ? 'captures' : op === 'refund' ? 'refunds' : 'voids'}Applied` as const;
      const applied = after[counter] - before[counter];
      const event = op.toUpperCase();
      const events = tx ? successEvents(sim, tx, event) : 0;
      if (applied !== 1) problems.push(`${counter} moved by ${applied}`);
      if (events !== 1) problems.push(`${events} ${event} events`);
      if (op === 'capture' && (o.state !== 'captured' || o.capturedAmount !== 25_000)) {
        problems.push(`journal ${o.state} captured ${o.capturedAmount}`);
      }
      if (
        op === 'refund' &&
        (o.state !== 'refunded' || o.refundedAmount !== 25_000 || o.capturedAmount !== 25_000)
      ) {
        problems.push(`journal ${o.state} refunded ${o.refundedAmount}`);
      }
      if (op === 'void' && o.state !== 'voided') problems.push(`journal ${o.state}`);
      if (o.pendingOperation) problems.push(`still pending ${o.pendingOperation}`);
    }
    if (op === 'create' && o.state !== 'link_sent') problems.push(`state ${o.state}`);
    await engine.stop();
    const integrity = integrityCheck(dataDir);
    if (integrity.join() !== 'ok') problems.push(`integrity ${integrity.join('; ')}`);
    await sim.close();
    return {
      fault: fault.name,
      op,
      ok: problems.length === 0,
      ...(problems.length ? { why: problems.join(', ') } : {}),
      ms: Date.now() - started,
      staffAttempts,
      ...(firstPress !== undefined ? { firstPress } : {}),
    };
  }

  it('10 faults x 5 operations', async () => {
    const started = Date.now();
    const cells: Cell[] = [];
    let index = 0;
    for (const fault of FAULTS) {
      for (const op of OPS) {
        index++;
        try {
          cells.push(await runCell(fault, op, index));
        } catch (e) {
          cells.push({
            fault: fault.name,
            op,
            ok: false,
            why: e instanceof Error ? e.message : String(e),
            ms: 0,
            staffAttempts: 0,
          });
        }
        for (const c of cleanups.splice(0)) await c().catch(() => undefined);
      }
    }

    const width = Math.max(...FAULTS.map((f) => f.name.length));
    const lines = [
      `${''.padEnd(width)}  ${OPS.map((o) => o.padEnd(8)).join('')}`,
      ...FAULTS.map(
        (f) =>
          `${f.name.padEnd(width)}  ${OPS.map((op) => {
            const c = cells.find((x) => x.fault === f.name && x.op === op);
            return (c?.ok ? '✓' : '✗').padEnd(8);
          }).join('')}`,
      ),
    ];
    console.log(`fault-matrix (✓ = took effect exactly once):\n${lines.join('\n')}`);
    const failed = cells.filter((c) => !c.ok);
    for (const c of failed) console.log(`fault-matrix: ✗ ${c.fault} x ${c.op}: ${c.why}`);
    const presses = cells.filter((c) => c.staffAttempts > 1);
    console.log(
      `fault-matrix: ${cells.length} cells in ${secs(Date.now() - started)}; staff had to press again in ` +
        `${presses.length} cells (${presses.map((c) => `${c.fault}/${c.op} after "${c.firstPress}"`).join(', ') || 'none'})`,
    );
    const secrets = needlesOf([...capturedSecrets(), ...simSecrets]);
    const leaks = scanForSecrets([logDir, root.path], secrets);
    console.log(`fault-matrix: leak scan ${leaks.files} files, ${leaks.leaks.length} hits`);
    summary('fault-matrix', cells.length - failed.length, failed.length);

    expect(failed.map((c) => `${c.fault} x ${c.op}: ${c.why}`)).toEqual([]);
    expect(cells).toHaveLength(FAULTS.length * OPS.length);
    expect(leaks.leaks).toEqual([]);
  });
});
