/**
 * Retry policy for safe reads (GETs): exponential backoff with FULL jitter,
 * sleep = random() * min(cap, base * 2^attempt), or exactly Retry-After when Dintero sent one.
 * Only transient failures (network, 5xx/unavailable, 429) are retried. POSTs never come here.
 */
import { DinteroError } from './errors';

/** Knobs of the read-retry policy (all injectable for tests). */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseMs: number;
  capMs: number;
  /** A Retry-After longer than this is not waited out: the error goes to the caller. */
  maxRetryAfterMs: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  onRetry?: (info: { attempt: number; delayMs: number; error: DinteroError }) => void;
}

/** Full-jitter delay for retry number `attempt` (0-based). */
export function backoffDelay(
  attempt: number,
  p: Pick<RetryPolicy, 'baseMs' | 'capMs' | 'random'>,
): number {
  return Math.floor(p.random() * Math.min(p.capMs, p.baseMs * 2 ** attempt));
}

/** Runs `attempt` and retries transient DinteroErrors per the policy. */
export async function withReadRetries<T>(fn: () => Promise<T>, p: RetryPolicy): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof DinteroError) || !err.transient || attempt >= p.retries) throw err;
      const retryAfter = err.details.retryAfterMs;
      if (retryAfter !== undefined && retryAfter > p.maxRetryAfterMs) throw err;
      const delayMs = retryAfter ?? backoffDelay(attempt, p);
      p.onRetry?.({ attempt: attempt + 1, delayMs, error: err });
      await p.sleep(delayMs);
    }
  }
}
