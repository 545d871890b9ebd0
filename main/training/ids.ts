/**
 * Identifiers the simulator hands out, shaped like Dintero's: session and transaction ids are
 * the account id, a dot and 22 base58 characters (`P00000000.55Q4CC1WuVJdgCssZfrf5a`).
 */
import { randomBytes } from 'node:crypto';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** `length` random base58 characters (crypto-random; the tiny modulo bias is irrelevant here). */
export function base58(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += BASE58[b % BASE58.length];
  return out;
}

/** A Dintero-style object id under an account: `P00000000.<22 base58>`. */
export function checkoutId(accountId: string): string {
  return `${accountId}.${base58(22)}`;
}

/** A request id like the ones Dintero puts on events and the `request-id` header. */
export function requestId(): string {
  return randomBytes(16).toString('hex');
}

/** A short id for events, publish entries, SMS and fault rules. */
export function shortId(): string {
  return base58(12);
}
