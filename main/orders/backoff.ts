/**
 * Retry delays for the outbox: exponential backoff with full jitter (a random delay between
 * 0 and min(cap, base·2^attempt)), so many desks coming back online at once do not all hit
 * Dintero at the same moment. A Retry-After from Dintero is a floor, never shortened.
 */

/** Delay before retry number `attempt` (0-based) in ms. */
export function backoffDelay(
  attempt: number,
  opts: { baseMs: number; maxMs: number; random: () => number; retryAfterMs?: number },
): number {
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(attempt, 30));
  const jittered = Math.floor(opts.random() * ceiling);
  return Math.max(jittered, opts.retryAfterMs ?? 0);
}
