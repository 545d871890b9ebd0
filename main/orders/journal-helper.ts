/**
 * The journal's work that must not hold the main thread: a worker thread with its own
 * connection to journal.sqlite.
 *
 * - Checkpoints. Every write goes to the WAL; copying it back into the main file (a
 *   checkpoint) is what takes time: thousands of pages and an fsync of the file, tens of
 *   milliseconds, and SQLite runs it inside whichever commit crosses the threshold. The main
 *   connection's automatic checkpoints are therefore moved far out (a safety net only), and
 *   this worker runs a PASSIVE checkpoint every {@link CHECKPOINT_EVERY_MS}: it copies what
 *   the WAL holds without ever blocking a writer, so main's commits only append to the WAL.
 * - The integrity check of a large journal. PRAGMA quick_check reads the whole file (seconds at
 *   a million orders); journal-open.ts runs it inline only for small files and leaves the rest
 *   to this worker, which answers once, right after start.
 * - Emptying the WAL after customer data was erased (checkpoint, TRUNCATE): it copies every
 *   page back and fsyncs, and waits for readers; main only waits for the answer.
 *
 * The worker's code is plain JavaScript run with `eval` (no file to ship beside the bundle).
 * It holds no state of its own: a crash of the worker loses nothing (main's own checkpoints
 * take over, later and larger).
 */
import { Worker } from 'node:worker_threads';
import { BUSY_TIMEOUT_MS } from './journal-open';

/** How often the worker copies the WAL into the main file (ms). */
export const CHECKPOINT_EVERY_MS = 250;
/**
 * WAL pages after which the MAIN connection checkpoints by itself (SQLite's default is 1,000):
 * only when the worker is gone or stuck. About 40 MB.
 */
export const MAIN_AUTOCHECKPOINT_PAGES = 10_000;
/**
 * How long closing waits for the worker to let go of the file (ms), so the main connection,
 * closing last, checkpoints and removes the WAL as before. Only a check in flight takes long.
 */
const CLOSE_WAIT_MS = 1000;

/** What the worker's integrity check found: 'ok', or SQLite's first complaints. */
export type IntegrityVerdict = { ok: true } | { ok: false; detail: string };

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
let db;
let timer;
const send = (m) => parentPort.postMessage(m);
try {
  db = new DatabaseSync(workerData.path, { timeout: workerData.busyMs });
  db.exec('PRAGMA synchronous = FULL');
} catch (err) {
  send({ type: 'error', message: String(err && err.message || err) });
}
const checkpoint = () => {
  if (!db) return;
  try {
    db.prepare('PRAGMA wal_checkpoint(PASSIVE)').get();
  } catch (err) {
    send({ type: 'error', message: String(err && err.message || err) });
  }
};
parentPort.on('message', (m) => {
  if (m.type === 'check') {
    let verdicts;
    try {
      verdicts = db.prepare('PRAGMA quick_check').all().map((r) => String(Object.values(r)[0]));
    } catch (err) {
      verdicts = [String(err && err.message || err)];
    }
    send({ type: 'checked', verdicts });
  } else if (m.type === 'truncate') {
    let done = false;
    try {
      done = Number(db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get().busy) === 0;
    } catch (err) {
      send({ type: 'error', message: String(err && err.message || err) });
    }
    send({ type: 'truncated', done });
  } else if (m.type === 'close') {
    clearInterval(timer);
    try { if (db) db.close(); } catch {}
    db = undefined;
    Atomics.store(workerData.closed, 0, 1);
    Atomics.notify(workerData.closed, 0);
    parentPort.close();
  }
});
if (workerData.everyMs > 0) timer = setInterval(checkpoint, workerData.everyMs);
`;

/** The running helper of one open journal. */
export class JournalHelper {
  private readonly worker: Worker;
  private closed = false;
  private checkWaiters: Array<(v: IntegrityVerdict | undefined) => void> = [];
  private truncateWaiters: Array<(done: boolean | undefined) => void> = [];
  /** The worker died (it answers nothing more). */
  private dead = false;
  /** Set to 1 by the worker once its connection is closed. */
  private readonly closedFlag = new Int32Array(new SharedArrayBuffer(4));

  constructor(path: string, opts: { everyMs?: number; onError?: (message: string) => void } = {}) {
    this.worker = new Worker(SOURCE, {
      eval: true,
      // It holds a connection and a few strings: a small heap, not a copy of main's defaults
      // (a 32 MB young generation alone). Running out kills only the worker: see 'exit'.
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 24 },
      workerData: {
        path,
        busyMs: BUSY_TIMEOUT_MS,
        everyMs: opts.everyMs ?? CHECKPOINT_EVERY_MS,
        closed: this.closedFlag,
      },
    });
    // Never keeps the process alive by itself.
    this.worker.unref();
    type Answer = { type: string; verdicts?: string[]; message?: string; done?: boolean };
    this.worker.on('message', (m: Answer) => {
      if (m.type === 'checked') {
        const verdicts = m.verdicts ?? [];
        const verdict: IntegrityVerdict =
          verdicts.length === 1 && verdicts[0] === 'ok'
            ? { ok: true }
            : { ok: false, detail: verdicts.slice(0, 3).join('; ') };
        this.settleWaiters(verdict);
      } else if (m.type === 'truncated') {
        const waiters = this.truncateWaiters;
        this.truncateWaiters = [];
        for (const w of waiters) w(m.done === true);
      } else if (m.type === 'error') {
        opts.onError?.(m.message ?? 'journal helper failed');
      }
    });
    this.worker.on('error', (err: Error) => opts.onError?.(err.message));
    // A worker that died answers no check: its callers check for themselves.
    this.worker.on('exit', () => {
      this.dead = true;
      this.settleWaiters(undefined);
    });
  }

  private settleWaiters(verdict: IntegrityVerdict | undefined): void {
    const waiters = this.checkWaiters;
    this.checkWaiters = [];
    for (const w of waiters) w(verdict);
    // The worker is gone or closing: the callers of truncateWal() do it themselves.
    const truncates = this.truncateWaiters;
    this.truncateWaiters = [];
    for (const w of truncates) w(undefined);
  }

  /**
   * Copies the whole WAL into the main file and empties it (PRAGMA wal_checkpoint(TRUNCATE))
   * on the worker's connection. Resolves true when emptied, false when a reader or writer
   * held it past the busy timeout, undefined when the worker cannot do it (gone or closing).
   */
  truncateWal(): Promise<boolean | undefined> {
    if (this.closed || this.dead) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.truncateWaiters.push(resolve);
      this.worker.postMessage({ type: 'truncate' });
    });
  }

  /**
   * Runs PRAGMA quick_check in the worker; resolves with its verdict, or undefined when the
   * worker could not run it (it died): then the caller checks for itself.
   */
  check(): Promise<IntegrityVerdict | undefined> {
    if (this.closed) return Promise.resolve({ ok: true });
    if (this.dead) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.checkWaiters.push(resolve);
      this.worker.postMessage({ type: 'check' });
    });
  }

  /**
   * Closes the worker's connection (waiting for it, up to CLOSE_WAIT_MS) and ends the worker.
   * A check in flight resolves ok: nothing is left to protect.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.worker.postMessage({ type: 'close' });
    if (!this.dead) Atomics.wait(this.closedFlag, 0, 0, CLOSE_WAIT_MS);
    this.settleWaiters({ ok: true });
  }
}
