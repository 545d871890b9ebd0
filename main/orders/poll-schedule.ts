/**
 * When the status poller reads an order: the one rule for "followed" and for each order's
 * interval, used by the poller's rounds, by every journal write (next_poll_at is set in the same
 * transaction as the change) and, as SQL, by migration 8 and the benchmark fill. Pure.
 *
 * next_poll_at is epoch ms on the wall clock (persisted, so a restart keeps the schedule);
 * NULL = not followed. A wall clock set back leaves times far ahead: a round treats any time
 * further ahead than {@link longestInterval} as due now (it cannot have been written by this
 * clock), so following never stops. A clock set forward makes everything due at once: a round
 * reads at most one batch (POLL_ROUND_LIMIT in status-poller.ts), oldest due first, and the
 * rest in the following rounds.
 */
import { LATE_STATES, POLLED_STATES } from '../../common/order-state';
import { DEFAULT_TIMING } from './engine-context';
import type { OrderRow } from './order-row';

const HOUR_MS = 60 * 60 * 1000;
/** Links younger than this are read every pollFastMs. */
export const YOUNG_LINK_MS = 10 * 60 * 1000;
/** Captured orders are followed (for refunds made in Backoffice) this long after their last change. */
export const FOLLOW_CAPTURED_MS = 90 * 24 * HOUR_MS;
/** States followed only for FOLLOW_CAPTURED_MS after their last change. */
export const LONG_TAIL_STATES = ['captured', 'partially_refunded'] as const;
/** Long-tail orders are read every this many pollSlowMs. */
const LONG_TAIL_FACTOR = 10;

/** The timing the rule depends on. */
export interface PollTiming {
  pollFastMs: number;
  pollSlowMs: number;
  lateGraceMs: number;
}

export const DEFAULT_POLL_TIMING: PollTiming = {
  pollFastMs: DEFAULT_TIMING.pollFastMs,
  pollSlowMs: DEFAULT_TIMING.pollSlowMs,
  lateGraceMs: DEFAULT_TIMING.lateGraceMs,
};

const inList = (states: readonly string[], s: string): boolean => states.includes(s);

/** What the rule reads of an order (a poll round reads only these columns). */
export type ScheduledOrder = Pick<
  OrderRow,
  | 'state'
  | 'sessionId'
  | 'transactionId'
  | 'pendingOp'
  | 'createdAt'
  | 'updatedAt'
  | 'expiresAt'
  | 'linkLifetimeHours'
>;

/**
 * True when the poller follows the order: it exists at Dintero (session or transaction) and an
 * operation is in flight, or it is live (POLLED_STATES; captured ones only FOLLOW_CAPTURED_MS
 * after their last change), or a late link (LATE_STATES) within its grace period.
 */
export function isFollowed(row: ScheduledOrder, now: number, t: PollTiming): boolean {
  if (!row.sessionId && !row.transactionId) return false;
  if (row.pendingOp) return true;
  if (inList(LONG_TAIL_STATES, row.state)) {
    return now - Date.parse(row.updatedAt) < FOLLOW_CAPTURED_MS;
  }
  if (inList(POLLED_STATES, row.state)) return true;
  if (inList(LATE_STATES, row.state)) {
    return row.sessionId !== undefined && now - Date.parse(row.updatedAt) <= t.lateGraceMs;
  }
  return false;
}

/** How long after a read the order is read again. */
export function pollInterval(row: ScheduledOrder, now: number, t: PollTiming): number {
  if (row.pendingOp) return t.pollFastMs;
  if (row.state === 'link_sent' || row.state === 'opened') {
    const sentAt = row.expiresAt
      ? Date.parse(row.expiresAt) - row.linkLifetimeHours * HOUR_MS
      : Date.parse(row.createdAt);
    return now - sentAt < YOUNG_LINK_MS ? t.pollFastMs : t.pollSlowMs;
  }
  if (inList(LONG_TAIL_STATES, row.state)) return t.pollSlowMs * LONG_TAIL_FACTOR;
  return t.pollSlowMs;
}

/** The longest interval: a next_poll_at further ahead than this came from a clock set back. */
export function longestInterval(t: PollTiming): number {
  return Math.max(t.pollFastMs, t.pollSlowMs) * LONG_TAIL_FACTOR;
}

/**
 * next_poll_at after a write that left the order as `after` (`before` = its next_poll_at
 * before, undefined when it was not followed): undefined when no longer followed; now when it
 * has just become followed (a new link, an operation started on an old order); otherwise never
 * later than one interval of its new state from now (an operation started, or a clock set back,
 * brings it forward; a slower state keeps the time already planned).
 */
export function nextPollAfterWrite(
  before: number | undefined,
  after: OrderRow,
  now: number,
  t: PollTiming,
): number | undefined {
  if (!isFollowed(after, now, t)) return undefined;
  if (before === undefined) return now;
  return Math.min(before, now + pollInterval(after, now, t));
}

/** SQL of an ISO date-time `ms` before `nowMs` (a number), or before SQLite's clock. */
function isoBefore(ms: number, nowMs: number | undefined): string {
  return nowMs === undefined
    ? `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-${ms / 1000} seconds')`
    : `'${new Date(nowMs - ms).toISOString()}'`;
}

/**
 * `UPDATE orders SET next_poll_at = now` for every order {@link isFollowed} calls followed (the
 * same rule in SQL; ISO date-times compare as text), the rest left as they are. `nowMs`
 * undefined: SQLite's clock (the migration); else that instant (the benchmark fill).
 */
export function followAllSql(t: PollTiming, nowMs?: number): string {
  const list = (xs: readonly string[]): string => xs.map((s) => `'${s}'`).join(', ');
  const now =
    nowMs === undefined
      ? "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
      : String(Math.round(nowMs));
  const longTail = list(LONG_TAIL_STATES);
  return `UPDATE orders SET next_poll_at = ${now}
    WHERE (session_id IS NOT NULL OR transaction_id IS NOT NULL)
      AND (pending_op IS NOT NULL
        OR (state IN (${list(POLLED_STATES)})
          AND NOT (state IN (${longTail}) AND updated_at <= ${isoBefore(FOLLOW_CAPTURED_MS, nowMs)}))
        OR (state IN (${list(LATE_STATES)}) AND session_id IS NOT NULL
          AND updated_at >= ${isoBefore(t.lateGraceMs, nowMs)}));`;
}
