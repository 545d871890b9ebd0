/**
 * Query handling shared by GET /v1/sessions and GET /v1/transactions: repeatable params,
 * ISO time bounds, limit 1..100 (default 10), `starting_after` cursors, newest first.
 */
import { ApiError } from './http-io';

/** Every value of a repeatable query parameter (`id=a&id=b`; a comma list also works). */
export function multi(q: URLSearchParams, name: string): string[] {
  return q
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Parses an ISO 8601 bound; UTC is assumed without a zone (Dintero's documented rule). */
export function timeBound(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  const withZone = /([zZ]|[+-]\d\d:?\d\d)$/.test(raw) || !raw.includes('T') ? raw : `${raw}Z`;
  const t = Date.parse(withZone);
  if (Number.isNaN(t)) {
    throw new ApiError(400, 'INVALID_REQUEST_PARAMETERS', `${name} must be an ISO 8601 date-time`, [
      { field: name, message: 'must be an ISO 8601 date-time', code: 'invalid_format' },
    ]);
  }
  return t;
}

/** `limit`, 1..100, default 10; anything else is a 400. */
export function limitOf(q: URLSearchParams): number {
  const raw = q.get('limit');
  if (raw === null || raw === '') return 10;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100) {
    throw new ApiError(400, 'INVALID_REQUEST_PARAMETERS', 'limit must be between 1 and 100', [
      { field: 'limit', message: 'must be an integer between 1 and 100', code: 'too_big' },
    ]);
  }
  return n;
}

/**
 * One page: `all` is oldest first (insertion order); the page is newest first, after the
 * `starting_after` object (by position in the whole store, so a cursor from a filtered
 * page works). An unknown cursor is a 400 (undocumented; our choice: a bad cursor is a bug).
 */
export function page<T extends { id: string }>(
  all: T[],
  keep: (item: T) => boolean,
  q: URLSearchParams,
): T[] {
  const limit = limitOf(q);
  const newestFirst = [...all].reverse();
  let start = 0;
  const cursor = q.get('starting_after');
  if (cursor) {
    const at = newestFirst.findIndex((x) => x.id === cursor);
    if (at < 0) {
      throw new ApiError(400, 'INVALID_REQUEST_PARAMETERS', 'starting_after is not a known id', [
        { field: 'starting_after', message: 'unknown id', code: 'invalid_cursor' },
      ]);
    }
    start = at + 1;
  }
  const out: T[] = [];
  for (let i = start; i < newestFirst.length && out.length < limit; i++) {
    const item = newestFirst[i]!;
    if (keep(item)) out.push(item);
  }
  return out;
}
