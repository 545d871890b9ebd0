/**
 * Bench 1: an order accepted → durably journaled (engine.createOrder resolves only after its
 * BEGIN IMMEDIATE … COMMIT with synchronous=FULL), with 1,000,000 orders already in the journal
 * (bench 7's two-year journal). Baseline: a bare node:sqlite INSERT of the same row into the
 * same table of a copy of the same journal, same durability (WAL + synchronous=FULL), one
 * transaction per insert.
 *
 * The engine is not started: no outbox or poller runs, so only the accept path is timed. The
 * two are measured in alternating blocks so disk and CPU drift hit both alike.
 *
 * 1b: the same call as a caller (the IPC handler) sees it while the engine RUNS on that
 * journal with poll rounds going back to back: every followed order is due (the journal's
 * clock is the fill's), so each round claims its full batch of 1,000 and applies Dintero's
 * answers (the mirror, test/bench/lib/mirror-dintero.ts: the orders as the journal holds them,
 * some refunded in Backoffice); the outbox sends the new orders to the simulator (50 ms).
 * Calls arrive every 25 ms for 10 s and each is timed from its arrival, so time the main thread
 * spends blocked by other engine work counts, as it would for staff pressing Send. Baseline in
 * the same run and conditions: a bare INSERT + COMMIT on its own connection to the same journal
 * half a period after each call (same disk, same rounds going, same helper checkpointing).
 * 1c: on the way, how long the first status-poll round after start() takes on that journal
 * (fresh links are not read again until it is over), and the same round again when the
 * captured orders it read come due together, 10 × pollSlowMs later (the engine's clock is moved
 * on instead of waiting). Budget (not a baseline): the fast poll interval.
 */
import { randomUUID } from 'node:crypto';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { MAIN_AUTOCHECKPOINT_PAGES } from '../../../main/orders/journal-helper';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { expect } from 'vitest';
import { validateNewOrder } from '../../../common/order-input';
import { createOrderEngine } from '../../../main/orders/engine';
import { DEFAULT_TIMING } from '../../../main/orders/engine-context';
import { startSimulator } from '../../../main/training/simulator';
import { dayStamp, formatReference, terminalPrefix } from '../../../main/orders/merchant-reference';
import { COLUMNS, toColumnValue, type OrderRow } from '../../../main/orders/order-row';
import { copyJournal, journalFile } from '../lib/fill';
import { mirrorDintero } from '../lib/mirror-dintero';
import { ms, summary, type BenchRow } from '../lib/report';
import { TEMPLATE_1M_NOW, template1m } from './day-close';
import type { DinteroClient } from '../../../main/dintero/types';
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

const ORDERS = 1_000_000;

export async function benchAccept(root: string): Promise<BenchRow[]> {
  const template = template1m(root).path;
  const engineDir = subDir(root, 'b1-engine');
  const bareDir = subDir(root, 'b1-bare');
  copyJournal(template, journalFile(engineDir));
  copyJournal(template, journalFile(bareDir));

  const engine = createOrderEngine({
    accountId: 'P00000000',
    dataDir: engineDir,
    client: unusedClient(),
    settings: engineSettings,
    logger,
  });
  expect(engine.status().journalProblem).toBeUndefined();
  const queuedBefore = engine.listOrders({ states: ['queued'], limit: 1 }).total;
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

  // Correctness: every accepted order is in the journal, queued, after the 1,000,000.
  const queued = engine.listOrders({ states: ['queued'], limit: 1 }).total;
  expect(queued).toBe(queuedBefore + CALLS + WARMUP);
  expect(engine.listOrders({ limit: 1 }).total).toBe(ORDERS + CALLS + WARMUP);
  expect(engine.listOrders({ limit: 1 }).orders[0]?.merchantReference).toMatch(
    new RegExp(`^${terminalPrefix(engineSettings())}-`),
  );
  engine.closeNow();
  bare.close();
  const reopened = new DatabaseSync(journalFile(engineDir), { readOnly: true });
  const onDisk = reopened.prepare('SELECT count(*) AS n FROM orders').get() as { n: number };
  reopened.close();
  expect(Number(onDisk.n)).toBe(ORDERS + CALLS + WARMUP);

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
    `[1] createOrder with 1,000,000 orders in the journal (journal_mode=${String(journalMode)},` +
      ` synchronous=${String(synchronous)}), ${CALLS} calls:\n` +
      `    engine p50 ${ms(e.p50, 3)}  p95 ${ms(e.p95, 3)}  p99 ${ms(e.p99, 3)}  max ${ms(e.max, 1)}  mean ${ms(e.mean, 3)}\n` +
      `    bare   p50 ${ms(b.p50, 3)}  p95 ${ms(b.p95, 3)}  p99 ${ms(b.p99, 3)}  max ${ms(b.max, 1)}  mean ${ms(b.mean, 3)}\n` +
      `    of which validateNewOrder alone: p50 ${ms(v.p50, 3)}`,
  );
  const running = await acceptWhileRunning(root, template);
  return [
    {
      id: '1',
      what: 'createOrder → durably journaled, p50 (1M in journal)',
      figure: ms(e.p50),
      baseline: `bare INSERT+COMMIT p50 ${ms(b.p50)}`,
      ratio: e.p50 / b.p50,
      data: { engine: e, bare: b, validation: v, calls: CALLS, journalOrders: ORDERS },
    },
    {
      id: '1',
      what: 'createOrder → durably journaled, p99 (1M in journal)',
      figure: ms(e.p99),
      baseline: `bare INSERT+COMMIT p99 ${ms(b.p99)}`,
      ratio: e.p99 / b.p99,
    },
    {
      id: '1b',
      what: 'createOrder as a caller sees it, engine running on 1M, poll rounds going, p50',
      figure: ms(running.latency.p50),
      baseline: `bare INSERT+COMMIT on the same journal meanwhile p50 ${ms(running.bareLatency.p50)}`,
      ratio: running.latency.p50 / running.bareLatency.p50,
      data: running,
    },
    {
      id: '1b',
      what: 'createOrder as a caller sees it, engine running on 1M, poll rounds going, p99',
      figure: ms(running.latency.p99, 1),
      baseline: `bare INSERT+COMMIT on the same journal meanwhile p99 ${ms(running.bareLatency.p99, 1)}`,
      ratio: running.latency.p99 / running.bareLatency.p99,
    },
    {
      id: '1c',
      what: `first poll round after a start, 1M orders (1,000 due, answered)`,
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

/**
 * The client of 1b: the simulator (which makes the new orders' links) behind the real client,
 * and the mirror for the million orders' status reads; list calls counted.
 */
function runningClient(
  sim: DinteroClient,
  mirror: ReturnType<typeof mirrorDintero>,
): { client: DinteroClient; lists: () => number } {
  let lists = 0;
  const split = async <T>(
    ids: readonly string[] | undefined,
    fromMirror: (ids: string[]) => Promise<T[]>,
    fromSim: (ids: string[]) => Promise<T[]>,
  ): Promise<T[]> => {
    lists++;
    const known = (ids ?? []).filter((id) => mirror.knows(id));
    const other = (ids ?? []).filter((id) => !mirror.knows(id));
    const [a, b] = await Promise.all([
      known.length > 0 ? fromMirror(known) : Promise.resolve([]),
      other.length > 0 ? fromSim(other) : Promise.resolve([]),
    ]);
    return [...a, ...b];
  };
  const client: DinteroClient = {
    ...sim,
    listSessions: (q) =>
      split(
        q.ids,
        (ids) => mirror.client.listSessions({ ...q, ids }),
        (ids) => sim.listSessions({ ...q, ids }),
      ),
    listTransactions: (q) =>
      split(
        q.ids,
        (ids) => mirror.client.listTransactions({ ...q, ids }),
        (ids) => sim.listTransactions({ ...q, ids }),
      ),
    getTransaction: (id) =>
      mirror.knows(id) ? mirror.client.getTransaction(id) : sim.getTransaction(id),
  };
  return { client, lists: () => lists };
}

/** 1b: createOrder timed from each call's arrival while the engine runs on the 1M journal. */
async function acceptWhileRunning(
  root: string,
  template: string,
): Promise<{
  latency: ReturnType<typeof summary>;
  bareLatency: ReturnType<typeof summary>;
  calls: number;
  eventLoopMaxMs: number;
  eventLoopP99Ms: number;
  roundsDuring: number;
  polledDuring: number;
  firstRoundMs: number;
  firstRoundCalls: number;
  laterRoundMs: number;
  laterRoundCalls: number;
}> {
  const dir = subDir(root, 'b1b-running');
  copyJournal(template, journalFile(dir));
  // The journal's clock is the fill's: every order it follows is due, a full batch per round.
  const clockStart = Date.now();
  let skew = 0;
  const wall = (): number => TEMPLATE_1M_NOW + (Date.now() - clockStart) + skew;
  const sim = await startSimulator({ port: 0, latencyMs: SIM_LATENCY_MS, now: wall });
  const { client: simClient } = simulatorClient(sim);
  const mirror = mirrorDintero(journalFile(dir));
  const { client, lists } = runningClient(simClient, mirror);
  const engine = createOrderEngine({
    accountId: 'P00000000',
    dataDir: dir,
    client,
    settings: engineSettings,
    logger,
    now: wall,
  });
  try {
    const r0 = performance.now();
    engine.start();
    // The round a start begins (it reads every order followed since the last start) is over.
    await engine.pollNow();
    const firstRoundMs = performance.now() - r0;
    const firstRoundCalls = lists();

    // Poll rounds back to back while the calls arrive (besides the engine's own timers).
    let going = true;
    let roundsDuring = 0;
    let polledDuring = 0;
    const rounds = (async () => {
      while (going) {
        polledDuring += (await engine.pollNow()).polled;
        roundsDuring++;
        await sleep(1);
      }
    })();
    // The baseline in the same conditions: a bare INSERT + COMMIT on its own connection to the
    // same journal, arriving between the orders (WAL, synchronous=FULL; checkpoints left to the
    // engine's helper thread, as the engine's own commits do).
    const bare = new DatabaseSync(journalFile(dir), { timeout: 5000 });
    bare.exec('PRAGMA synchronous = FULL');
    bare.exec(`PRAGMA wal_autocheckpoint = ${MAIN_AUTOCHECKPOINT_PAGES}`);
    const fields = Object.keys(COLUMNS) as Array<keyof OrderRow>;
    const insert = bare.prepare(
      `INSERT INTO orders (${fields.map((f) => COLUMNS[f]).join(', ')})
       VALUES (${fields.map(() => '?').join(', ')})`,
    );
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const latencies: number[] = [];
    const bareLatencies: number[] = [];
    const start = performance.now();
    try {
      for (let k = 0; k * ARRIVAL_MS < WINDOW_MS; k++) {
        const arrival = start + k * ARRIVAL_MS;
        const wait = arrival - performance.now();
        if (wait > 0) await sleep(wait);
        const r = await engine.createOrder(orderInput(typedPhone(9, k)), 'Desk 1');
        latencies.push(performance.now() - arrival);
        expect(r.created).toBe(true);
        // Half a period later, the bare insert.
        const bareArrival = arrival + ARRIVAL_MS / 2;
        const bareWait = bareArrival - performance.now();
        if (bareWait > 0) await sleep(bareWait);
        const row = queuedRow(k, wall(), 'BARE1B');
        const values = fields.map((f) => toColumnValue(f, row[f]) as SQLInputValue);
        bare.exec('BEGIN IMMEDIATE');
        insert.run(...values);
        bare.exec('COMMIT');
        bareLatencies.push(performance.now() - bareArrival);
      }
    } finally {
      bare.close();
      going = false;
      loop.disable();
      await rounds;
    }
    const latency = summary(latencies);
    const bareLatency = summary(bareLatencies);
    expect(roundsDuring).toBeGreaterThan(0);

    // The captured orders read by the first round come due again together after
    // 10 × pollSlowMs: move the engine's clock on by that much and time that round too.
    await engine.pollNow();
    skew += 10 * DEFAULT_TIMING.pollSlowMs + 1000;
    const callsBefore = lists();
    const l0 = performance.now();
    await engine.pollNow();
    const laterRoundMs = performance.now() - l0;
    const laterRoundCalls = lists() - callsBefore;
    console.log(
      `[1b] createOrder arriving every ${ARRIVAL_MS} ms for ${WINDOW_MS / 1000} s while the engine` +
        ` runs on 1,000,000 orders, ${roundsDuring} poll rounds meanwhile (${polledDuring.toLocaleString('en')}` +
        ` orders read; simulator ${SIM_LATENCY_MS} ms for the new ones):\n` +
        `    first poll round after start: ${ms(firstRoundMs, 0)}, ${firstRoundCalls} list calls;` +
        ` again ${(10 * DEFAULT_TIMING.pollSlowMs) / 1000} s later (engine clock moved on):` +
        ` ${ms(laterRoundMs, 0)}, ${laterRoundCalls} list calls\n` +
        `    from arrival: p50 ${ms(latency.p50, 2)}  p95 ${ms(latency.p95, 1)}  p99 ${ms(latency.p99, 1)}` +
        `  max ${ms(latency.max, 0)}; event loop delay p99 ${ms(loop.percentile(99) / 1e6, 0)}` +
        ` max ${ms(loop.max / 1e6, 0)}\n` +
        `    bare INSERT+COMMIT on the same journal meanwhile, from arrival: p50 ${ms(bareLatency.p50, 2)}` +
        `  p95 ${ms(bareLatency.p95, 1)}  p99 ${ms(bareLatency.p99, 1)}  max ${ms(bareLatency.max, 0)}`,
    );
    return {
      latency,
      bareLatency,
      calls: latencies.length,
      eventLoopMaxMs: loop.max / 1e6,
      eventLoopP99Ms: loop.percentile(99) / 1e6,
      roundsDuring,
      polledDuring,
      firstRoundMs,
      firstRoundCalls,
      laterRoundMs,
      laterRoundCalls,
    };
  } finally {
    await engine.stop();
    await sim.close();
    mirror.close();
  }
}
