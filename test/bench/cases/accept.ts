/**
 * Bench 1: an order accepted → durably journaled (engine.createOrder resolves only after its
 * BEGIN IMMEDIATE … COMMIT with synchronous=FULL), with 100,000 orders already in the journal.
 * Baseline: a bare node:sqlite INSERT of the same row into the same table of a copy of the same
 * journal, same durability (WAL + synchronous=FULL), one transaction per insert.
 *
 * The engine is not started: no outbox or poller runs, so only the accept path is timed. The
 * two are measured in alternating blocks so disk and CPU drift hit both alike.
 *
 * 1b: the same call as a caller (the IPC handler) sees it while the engine RUNS on that
 * journal (outbox and status poller active, simulator behind it, 50 ms): calls arrive every
 * 25 ms for 10 s and each is timed from its arrival, so time the main thread spends blocked by
 * other engine work counts, as it would for staff pressing Send.
 * 1c: on the way, how long the first status-poll round after start() takes on that journal
 * (fresh links are not read again until it is over), and the same round again when the
 * captured orders it read come due together, 10 × pollSlowMs later (the engine's clock is moved
 * on instead of waiting). Budget (not a baseline): the fast poll interval.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { expect } from 'vitest';
import { validateNewOrder } from '../../../common/order-input';
import { createOrderEngine } from '../../../main/orders/engine';
import { DEFAULT_TIMING } from '../../../main/orders/engine-context';
import { startSimulator } from '../../../main/training/simulator';
import { dayStamp, formatReference, terminalPrefix } from '../../../main/orders/merchant-reference';
import { COLUMNS, toColumnValue, type OrderRow } from '../../../main/orders/order-row';
import { journalFile } from '../lib/fill';
import { ms, summary, type BenchRow } from '../lib/report';
import {
  engineSettings,
  logger,
  orderInput,
  simulatorClient,
  sleep,
  subDir,
  typedPhone,
  unusedClient,
} from '../lib/setup';

const CALLS = 2000;
const WARMUP = 50;
const BLOCK = 250;

/** A freshly accepted order row, as insertNewOrder builds it. */
export function queuedRow(i: number, now: number, referencePrefix = 'BARE'): OrderRow {
  const at = new Date(now).toISOString();
  return {
    id: randomUUID(),
    merchantReference: formatReference(referencePrefix, dayStamp(now), i + 1),
    state: 'queued',
    phone: `+479${1_000_000 + i}`,
    amount: 24_900,
    currency: 'NOK',
    vatAmount: 0,
    items: [],
    delivery: 'sms',
    linkLifetimeHours: 24,
    createdAt: at,
    updatedAt: at,
    createdBy: 'Desk 1',
    authorizedAmount: 0,
    capturedAmount: 0,
    refundedAmount: 0,
    nextAttemptAt: now,
    attempts: 0,
    checkBeforeSend: false,
    lapseWarned: false,
    outcomeUnknown: false,
    duplicateWatchUntil: 0,
    version: 1,
  };
}

export async function benchAccept(root: string, template: string): Promise<BenchRow[]> {
  const engineDir = subDir(root, 'b1-engine');
  const bareDir = subDir(root, 'b1-bare');
  copyFileSync(template, journalFile(engineDir));
  copyFileSync(template, journalFile(bareDir));

  const engine = createOrderEngine({
    accountId: 'P00000000',
    dataDir: engineDir,
    client: unusedClient(),
    settings: engineSettings,
    logger,
  });
  expect(engine.status().journalProblem).toBeUndefined();
  const synchronous = engine.journal?.pragma('synchronous');
  const journalMode = engine.journal?.pragma('journal_mode');

  const bare = new DatabaseSync(journalFile(bareDir), { timeout: 5000 });
  bare.exec('PRAGMA journal_mode = WAL');
  bare.exec('PRAGMA synchronous = FULL');
  const fields = Object.keys(COLUMNS) as Array<keyof OrderRow>;
  const cols = fields.map((f) => COLUMNS[f]);
  const insert = bare.prepare(
    `INSERT INTO orders (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
  );

  let engineN = 0;
  let bareN = 0;
  const engineOnce = async (): Promise<number> => {
    const input = orderInput(typedPhone(9, engineN++));
    const t0 = performance.now();
    const r = await engine.createOrder(input, 'Desk 1');
    const dt = performance.now() - t0;
    if (!r.created) throw new Error('bench: createOrder reported a duplicate');
    return dt;
  };
  const bareOnce = (): number => {
    const row = queuedRow(bareN++, Date.now());
    const values = fields.map((f) => toColumnValue(f, row[f]) as SQLInputValue);
    const t0 = performance.now();
    bare.exec('BEGIN IMMEDIATE');
    insert.run(...values);
    bare.exec('COMMIT');
    return performance.now() - t0;
  };

  for (let i = 0; i < WARMUP; i++) {
    await engineOnce();
    bareOnce();
  }
  const engineTimes: number[] = [];
  const bareTimes: number[] = [];
  for (let block = 0; block < CALLS / BLOCK; block++) {
    const engineFirst = block % 2 === 0;
    if (!engineFirst) for (let i = 0; i < BLOCK; i++) bareTimes.push(bareOnce());
    for (let i = 0; i < BLOCK; i++) engineTimes.push(await engineOnce());
    if (engineFirst) for (let i = 0; i < BLOCK; i++) bareTimes.push(bareOnce());
  }

  // Correctness: every accepted order is in the journal, queued, after the 100,000.
  const queued = engine.listOrders({ states: ['queued'], limit: 1 }).total;
  expect(queued).toBe(CALLS + WARMUP);
  expect(engine.listOrders({ limit: 1 }).total).toBe(100_000 + CALLS + WARMUP);
  expect(engine.listOrders({ limit: 1 }).orders[0]?.merchantReference).toMatch(
    new RegExp(`^${terminalPrefix(engineSettings())}-`),
  );
  engine.closeNow();
  bare.close();
  const reopened = new DatabaseSync(journalFile(engineDir), { readOnly: true });
  const onDisk = reopened.prepare('SELECT count(*) AS n FROM orders').get() as { n: number };
  reopened.close();
  expect(Number(onDisk.n)).toBe(100_000 + CALLS + WARMUP);

  // Breakdown: validation alone (phone parsing with libphonenumber's full metadata, amounts).
  const validation: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const input = orderInput(typedPhone(9, i));
    const t0 = performance.now();
    const valid = validateNewOrder(input, {
      maxOrderAmount: engineSettings().maxOrderAmount,
      now: new Date(),
    });
    validation.push(performance.now() - t0);
    if (!valid.ok) throw new Error('bench: the bench order input is not valid');
  }

  const e = summary(engineTimes);
  const b = summary(bareTimes);
  const v = summary(validation);
  console.log(
    `[1] createOrder with 100,000 orders in the journal (journal_mode=${String(journalMode)},` +
      ` synchronous=${String(synchronous)}), ${CALLS} calls:\n` +
      `    engine p50 ${ms(e.p50, 3)}  p95 ${ms(e.p95, 3)}  p99 ${ms(e.p99, 3)}  max ${ms(e.max, 1)}  mean ${ms(e.mean, 3)}\n` +
      `    bare   p50 ${ms(b.p50, 3)}  p95 ${ms(b.p95, 3)}  p99 ${ms(b.p99, 3)}  max ${ms(b.max, 1)}  mean ${ms(b.mean, 3)}\n` +
      `    of which validateNewOrder alone: p50 ${ms(v.p50, 3)}`,
  );
  const running = await acceptWhileRunning(root, template);
  return [
    {
      id: '1',
      what: 'createOrder → durably journaled, p50 (100k in journal)',
      figure: ms(e.p50),
      baseline: `bare INSERT+COMMIT p50 ${ms(b.p50)}`,
      ratio: e.p50 / b.p50,
      data: { engine: e, bare: b, validation: v, calls: CALLS, journalOrders: 100_000 },
    },
    {
      id: '1',
      what: 'createOrder → durably journaled, p99 (100k in journal)',
      figure: ms(e.p99),
      baseline: `bare INSERT+COMMIT p99 ${ms(b.p99)}`,
      ratio: e.p99 / b.p99,
    },
    {
      id: '1b',
      what: 'createOrder as a caller sees it, engine running on 100k, p50',
      figure: ms(running.latency.p50),
      baseline: `bare INSERT+COMMIT p50 ${ms(b.p50)}`,
      ratio: running.latency.p50 / b.p50,
      data: running,
    },
    {
      id: '1b',
      what: 'createOrder as a caller sees it, engine running on 100k, p99',
      figure: ms(running.latency.p99, 0),
      baseline: `bare INSERT+COMMIT p99 ${ms(b.p99)}`,
      ratio: running.latency.p99 / b.p99,
    },
    {
      id: '1c',
      what: `first poll round after a start, 100k orders (sim ${SIM_LATENCY_MS} ms)`,
      figure: ms(running.firstRoundMs, 0),
      baseline: `fast poll interval ${DEFAULT_TIMING.pollFastMs} ms`,
      kind: 'budget',
      ratio: running.firstRoundMs / DEFAULT_TIMING.pollFastMs,
      data: { ms: running.firstRoundMs, listCalls: running.firstRoundCalls },
    },
    {
      id: '1c',
      what: `… the same round every ${(10 * DEFAULT_TIMING.pollSlowMs) / 60_000} min after (captured orders due again)`,
      figure: ms(running.laterRoundMs, 0),
      baseline: `fast poll interval ${DEFAULT_TIMING.pollFastMs} ms`,
      kind: 'budget',
      ratio: running.laterRoundMs / DEFAULT_TIMING.pollFastMs,
      data: { ms: running.laterRoundMs, listCalls: running.laterRoundCalls },
    },
  ];
}

const ARRIVAL_MS = 25;
const WINDOW_MS = 10_000;
const SIM_LATENCY_MS = 50;

/** 1b: createOrder timed from each call's arrival while the engine runs on the 100k journal. */
async function acceptWhileRunning(
  root: string,
  template: string,
): Promise<{
  latency: ReturnType<typeof summary>;
  calls: number;
  eventLoopMaxMs: number;
  eventLoopP99Ms: number;
  firstRoundMs: number;
  firstRoundCalls: number;
  laterRoundMs: number;
  laterRoundCalls: number;
}> {
  const dir = subDir(root, 'b1b-running');
  copyFileSync(template, journalFile(dir));
  const sim = await startSimulator({ port: 0, latencyMs: SIM_LATENCY_MS });
  const { client, meter } = simulatorClient(sim);
  let skew = 0;
  const engine = createOrderEngine({
    accountId: 'P00000000',
    dataDir: dir,
    client,
    settings: engineSettings,
    logger,
    now: () => Date.now() + skew,
  });
  try {
    const r0 = performance.now();
    engine.start();
    // The round a start begins (it reads every order followed since the last start) is over.
    await engine.pollNow();
    const firstRoundMs = performance.now() - r0;
    const firstRoundCalls = (meter.calls.listSessions ?? 0) + (meter.calls.listTransactions ?? 0);

    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const latencies: number[] = [];
    const start = performance.now();
    for (let k = 0; k * ARRIVAL_MS < WINDOW_MS; k++) {
      const arrival = start + k * ARRIVAL_MS;
      const wait = arrival - performance.now();
      if (wait > 0) await sleep(wait);
      const r = await engine.createOrder(orderInput(typedPhone(9, k)), 'Desk 1');
      latencies.push(performance.now() - arrival);
      expect(r.created).toBe(true);
    }
    loop.disable();
    const latency = summary(latencies);

    // The captured orders read by the first round come due again together after
    // 10 × pollSlowMs: move the engine's clock on by that much and time that round too.
    await engine.pollNow();
    skew += 10 * DEFAULT_TIMING.pollSlowMs + 1000;
    const callsBefore = (meter.calls.listSessions ?? 0) + (meter.calls.listTransactions ?? 0);
    const l0 = performance.now();
    await engine.pollNow();
    const laterRoundMs = performance.now() - l0;
    const laterRoundCalls =
      (meter.calls.listSessions ?? 0) + (meter.calls.listTransactions ?? 0) - callsBefore;
    console.log(
      `[1b] createOrder arriving every ${ARRIVAL_MS} ms for ${WINDOW_MS / 1000} s while the engine` +
        ` runs on 100,000 orders (simulator ${SIM_LATENCY_MS} ms):\n` +
        `    first poll round after start: ${ms(firstRoundMs, 0)}, ${firstRoundCalls} list calls;` +
        ` again ${(10 * DEFAULT_TIMING.pollSlowMs) / 1000} s later (engine clock moved on):` +
        ` ${ms(laterRoundMs, 0)}, ${laterRoundCalls} list calls\n` +
        `    from arrival: p50 ${ms(latency.p50, 2)}  p95 ${ms(latency.p95, 0)}  p99 ${ms(latency.p99, 0)}` +
        `  max ${ms(latency.max, 0)}; event loop delay p99 ${ms(loop.percentile(99) / 1e6, 0)}` +
        ` max ${ms(loop.max / 1e6, 0)}`,
    );
    return {
      latency,
      calls: latencies.length,
      eventLoopMaxMs: loop.max / 1e6,
      eventLoopP99Ms: loop.percentile(99) / 1e6,
      firstRoundMs,
      firstRoundCalls,
      laterRoundMs,
      laterRoundCalls,
    };
  } finally {
    await engine.stop();
    await sim.close();
  }
}
