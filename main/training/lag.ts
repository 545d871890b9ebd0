/**
 * Dintero's reads lag behind its writes: session search is fed from an index that sees a new
 * session only after a while, and transaction reads (and the session fields that come from
 * the payment) behave like a read replica that is some time behind. How long is undocumented
 * (Dintero's docs give no figure), so both lags are switches.
 *
 * These are the rules, shared by the simulator (state.ts) and the in-memory test doubles:
 * every stored object (session, transaction, event) is stamped with the time it was written
 * on an elapsed-time clock (the injected clock WITHOUT any wall-clock jump, because lag is
 * time passing, not what a clock says). A read with lag L at time T shows only what was
 * written at or before T − L. Objects never stamped (loaded from a state file, planted by a
 * test) count as written long ago. Writes (capture/refund/void bounds, cancel) always act on
 * the true state; only reads lag.
 */
import type { DinteroSession, DinteroTransaction, TransactionStatus } from '../dintero/types';

/** The two lags, in ms; 0 = reads see every write at once (the default). */
export interface LagSettings {
  /** A new session shows in `GET /v1/sessions` search / created_at listings only after this. */
  searchMs: number;
  /** Transaction events, new transactions and payment-derived session fields show after this. */
  eventMs: number;
}

/** Validated lag settings: finite, non-negative integers of ms. */
export function checkLag(l: Partial<LagSettings>, base: LagSettings): LagSettings {
  const ok = (v: number | undefined, was: number): number => {
    if (v === undefined) return was;
    if (!Number.isFinite(v) || v < 0) throw new RangeError('A lag must be a number of ms ≥ 0');
    return Math.round(v);
  };
  return { searchMs: ok(l.searchMs, base.searchMs), eventMs: ok(l.eventMs, base.eventMs) };
}

/** Session event names that come from the payment and so lag with the transaction. */
export const PAYMENT_SESSION_EVENTS: ReadonlySet<string> = new Set([
  'AUTHORIZED',
  'DECLINED',
  'ON_HOLD',
  'FAILED',
  'PAY_FAILED',
  'COMPLETED',
  'UNKNOWN',
]);

/** When each stored object was written, on the elapsed-time clock, and the status after it. */
export class WriteLog {
  private readonly written = new WeakMap<object, { at: number; status?: TransactionStatus }>();
  private readonly clock: () => number;

  constructor(clock: () => number) {
    this.clock = clock;
  }

  /** Records that `o` was written now; `status` = the transaction's status right after. */
  stamp<T extends object>(o: T, status?: TransactionStatus): T {
    this.written.set(o, { at: this.clock(), ...(status ? { status } : {}) });
    return o;
  }

  /** True when `o` was written at or before `cutoff` (unstamped = long ago). */
  seen(o: object, cutoff: number): boolean {
    const w = this.written.get(o);
    return w === undefined || w.at <= cutoff;
  }

  /** The status recorded with `o`'s stamp, if any. */
  statusAfter(o: object): TransactionStatus | undefined {
    return this.written.get(o)?.status;
  }

  /** The cutoff of a read made now with `lagMs` of lag. */
  cutoff(lagMs: number): number {
    return this.clock() - lagMs;
  }
}

/**
 * What a lagging read shows of a transaction: only events written by `cutoff`, the status
 * the last of them left (its stamped status, else its `transaction_status`), `updated_at`
 * of that event. Undefined when the transaction itself is newer than the cutoff (a read
 * answers 404 / leaves it out of a list). The input is not changed; `lagMs` 0 returns it.
 */
export function laggedTransaction<T extends DinteroTransaction>(
  tx: T,
  log: WriteLog,
  lagMs: number,
): T | undefined {
  if (lagMs <= 0) return tx;
  const cutoff = log.cutoff(lagMs);
  if (!log.seen(tx, cutoff)) return undefined;
  const events = tx.events ?? [];
  const shown = events.filter((e) => log.seen(e, cutoff));
  if (shown.length === events.length) return tx;
  const first = events[0];
  if (first && shown.length === 0 && !log.seen(first, cutoff)) return undefined;
  const last = shown[shown.length - 1];
  const status = last ? (log.statusAfter(last) ?? last.transaction_status) : undefined;
  return {
    ...tx,
    events: shown,
    ...(status ? { status } : {}),
    ...(last ? { updated_at: last.created_at } : {}),
  };
}

/**
 * What a lagging read shows of a session: payment-derived events written after the cutoff
 * are hidden, and `transaction_id` names the newest of the session's transactions a lagging
 * read can already see (none yet = no transaction_id). `transactions` is every stored
 * transaction, oldest first. `lagMs` 0 returns the session itself.
 */
export function laggedSession<S extends DinteroSession>(
  s: S,
  transactions: Iterable<DinteroTransaction>,
  log: WriteLog,
  lagMs: number,
): S {
  if (lagMs <= 0) return s;
  const cutoff = log.cutoff(lagMs);
  const events = (s.events ?? []).filter(
    (e) => !PAYMENT_SESSION_EVENTS.has(e.name) || log.seen(e, cutoff),
  );
  let txId: string | undefined;
  if (s.transaction_id !== undefined) {
    for (const t of transactions) {
      if (t.session_id === s.id && log.seen(t, cutoff)) txId = t.id;
    }
  }
  const view: S = { ...s, ...(s.events ? { events } : {}) };
  if (txId === undefined) delete view.transaction_id;
  else view.transaction_id = txId;
  return view;
}

/** Whether session search (and created_at listings) can see `s` yet. */
export function searchable(s: object, log: WriteLog, searchLagMs: number): boolean {
  return searchLagMs <= 0 || log.seen(s, log.cutoff(searchLagMs));
}
