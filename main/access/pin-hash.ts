/**
 * PINs are kept only as salted, slow hashes: scrypt from Node's crypto (run on libuv's thread
 * pool, so hashing never holds main's event loop), a random 16-byte salt per PIN, compared
 * in constant time. The stored form names its parameters, so they can be raised later
 * without breaking PINs already set: `scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>`.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Cost: N = 2^15, r = 8, p = 1 (about 32 MiB and tens of milliseconds per try). */
const LOG2_N = 15;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(pin: string, salt: Buffer, o: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin.normalize('NFC'), salt, KEY_BYTES, o, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

const options = (log2N: number, r: number, p: number): ScryptOptions => ({
  N: 2 ** log2N,
  r,
  p,
  // scrypt needs 128 * N * r bytes; leave room above that.
  maxmem: 256 * 2 ** log2N * r,
});

/** A new salted hash of `pin`. */
export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(pin, salt, options(LOG2_N, R, P));
  return ['scrypt', LOG2_N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `pin` is the one `stored` was made from. A malformed `stored` never matches. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [log2N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const sane = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max;
  if (!sane(log2N, 20) || !sane(r, 32) || !sane(p, 16)) return false;
  const salt = Buffer.from(parts[4] as string, 'base64');
  const expected = Buffer.from(parts[5] as string, 'base64');
  if (salt.length < 8 || expected.length !== KEY_BYTES) return false;
  const key = await derive(pin, salt, options(log2N, r, p));
  return timingSafeEqual(key, expected);
}
