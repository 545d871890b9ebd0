/**
 * Whether the desk may restart into a downloaded update now. Plain data in, a decision out:
 * the order engine counts its unfinished work (OrderEngine.pendingWork), this decides.
 *
 * A restart never loses an order (the journal is durable and a crash-safe restart resumes
 * everything), but it would interrupt work staff are waiting on, so it waits while:
 * - orders are queued, being sent, or their create's answer was lost (the queue the status
 *   bar counts, and the same count the quit question asks about: a restart the gate allows
 *   never needs that question);
 * - a capture, refund or void lost its answer and Dintero is being asked what happened
 *   ("checking with Dintero");
 * - a money or link operation (capture, refund, void, cancel, resend) is in flight.
 */
import type { RestartBlocker } from '../../common/domain';
import type { PendingWork } from '../orders/engine-types';

export type RestartGate = { allowed: true } | { allowed: false; waitsFor: RestartBlocker[] };

/** Decides whether a restart may happen now; when not, what it waits for. */
export function mayRestart(work: PendingWork): RestartGate {
  const waitsFor: RestartBlocker[] = [];
  if (work.queued > 0) waitsFor.push('queue');
  if (work.outcomeUnknown > 0) waitsFor.push('checking');
  if (work.operationsPending > 0) waitsFor.push('operation');
  return waitsFor.length === 0 ? { allowed: true } : { allowed: false, waitsFor };
}
