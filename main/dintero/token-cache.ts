/**
 * Access-token cache: one token per set of credentials, kept until shortly before it expires
 * (60 s or 10 % of its lifetime, whichever is smaller), with at most ONE token request in
 * flight however many calls wait for it. A token Dintero refused (401) is dropped only if it is
 * still the current one, so a burst of 401s on the same old token causes a single refresh.
 */
import { createHash } from 'node:crypto';
import type { DinteroCredentials } from './types';

/** A token as the token endpoint returned it. */
export interface IssuedToken {
  accessToken: string;
  /** Lifetime in seconds (`expires_in`). */
  expiresIn: number;
}

/** Safety margin before expiry: 60 s or 10 % of the lifetime, whichever is smaller. */
export function refreshMarginMs(expiresInSec: number): number {
  return Math.min(60_000, expiresInSec * 100);
}

/** Stable key for a set of credentials that does not keep the secret readable. */
function keyOf(c: DinteroCredentials): string {
  return createHash('sha256')
    .update(`${c.accountId}\u0000${c.clientId}\u0000${c.clientSecret}`)
    .digest('hex');
}

/** Caches access tokens; see the module comment for its promises. */
export class TokenCache {
  private current: { key: string; token: string; refreshAt: number } | undefined;
  private inflight: { key: string; promise: Promise<string> } | undefined;

  constructor(
    private readonly fetchToken: (creds: DinteroCredentials) => Promise<IssuedToken>,
    private readonly now: () => number,
  ) {}

  /** A valid token for these credentials: cached, joined to the refresh in flight, or new. */
  get(creds: DinteroCredentials): Promise<string> {
    const key = keyOf(creds);
    const cur = this.current;
    if (cur && cur.key === key && this.now() < cur.refreshAt) return Promise.resolve(cur.token);
    if (this.inflight && this.inflight.key === key) return this.inflight.promise;
    const requestedAt = this.now();
    const promise = this.fetchToken(creds)
      .then((t) => {
        // Count the lifetime from when we asked, not from when the answer arrived.
        const refreshAt = requestedAt + t.expiresIn * 1000 - refreshMarginMs(t.expiresIn);
        this.current = { key, token: t.accessToken, refreshAt };
        return t.accessToken;
      })
      .finally(() => {
        if (this.inflight?.promise === promise) this.inflight = undefined;
      });
    this.inflight = { key, promise };
    return promise;
  }

  /** Forgets `token` if it is still the cached one (Dintero answered 401 to it). */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }
}
