/**
 * Finding out whether a create that lost its answer (or was interrupted by a crash) made a
 * session at Dintero, before anything is created again (GET /v1/sessions in Dintero's Checkout
 * API reference, https://docs.dintero.com/checkout-api).
 *
 * The search is exact: the order's own merchant reference (Dintero's `search` is fuzzy, so the
 * result is filtered on reference, amount, currency and our order id in metadata), within a
 * created-at window around the order, following every page. One empty answer proves nothing
 * (search lags behind creates): the caller feeds "absent" to an AbsenceWatch and only believes
 * it after several reads over a window. A failed call proves nothing either.
 */
import { DinteroError } from '../dintero/errors';
import type { DinteroClient, DinteroSession } from '../dintero/types';
import type { OrderRow } from './order-row';
import { isSessionFor } from './session-request';

/** Outcome of {@link lookUpSession}. */
export type Lookup =
  | { kind: 'found'; session: DinteroSession; others: DinteroSession[] }
  | { kind: 'absent' }
  | { kind: 'failed'; error: DinteroError };

/** Slack around the created-at window: the desk's clock and Dintero's may disagree. */
const CLOCK_SLACK_MS = 24 * 60 * 60 * 1000;
/** A guard against a server that pages forever; far above any one reference's sessions. */
const MAX_SEARCH_ITEMS = 10_000;

/**
 * Every session at Dintero carrying `row`'s merchant reference (exact), oldest first, read
 * from a window that starts a day before the order was created and ends a day after `now`.
 * Throws DinteroError when the search fails.
 */
export async function sessionsFor(
  client: DinteroClient,
  row: OrderRow,
  now: number,
): Promise<DinteroSession[]> {
  const sessions = await client.listAllSessions(
    {
      search: row.merchantReference,
      createdGte: new Date(Date.parse(row.createdAt) - CLOCK_SLACK_MS).toISOString(),
      createdLte: new Date(now + CLOCK_SLACK_MS).toISOString(),
      limit: 100,
    },
    MAX_SEARCH_ITEMS,
  );
  return sessions
    .filter((s) => isSessionFor(s, row))
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** Looks for the session of `row` at Dintero. Never throws. */
export async function lookUpSession(
  client: DinteroClient,
  row: OrderRow,
  now: number,
): Promise<Lookup> {
  let matches: DinteroSession[];
  try {
    matches = await sessionsFor(client, row, now);
  } catch (err) {
    const error =
      err instanceof DinteroError
        ? err
        : new DinteroError('unavailable', 'The session search failed.', {});
    return { kind: 'failed', error };
  }
  const [first, ...others] = matches;
  if (!first) return { kind: 'absent' };
  return { kind: 'found', session: first, others };
}
