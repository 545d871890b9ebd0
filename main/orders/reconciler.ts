/**
 * Finding out whether a create that lost its answer (or was interrupted by a crash) made a
 * session at Dintero, before anything is created again (dintero-api.md §3.4, §5).
 *
 * The session list is searched by merchant reference (a fuzzy search), and the result is
 * filtered EXACTLY: same reference, amount, currency and our order id in metadata. "Absent"
 * is only concluded when the list call itself succeeded; a failed call proves nothing.
 */
import { DinteroError } from '../dintero/errors';
import type { DinteroClient, DinteroSession } from '../dintero/types';
import type { OrderRow } from './order-row';
import { isSessionFor } from './session-request';

/** Outcome of {@link lookUpSession}. */
export type Lookup =
  | { kind: 'found'; session: DinteroSession; others: number }
  | { kind: 'absent' }
  | { kind: 'failed'; error: DinteroError };

/** Most sessions read while searching for one reference. */
const MAX_SEARCH_ITEMS = 500;

/** Looks for the session of `row` at Dintero. Never throws. */
export async function lookUpSession(client: DinteroClient, row: OrderRow): Promise<Lookup> {
  let sessions: DinteroSession[];
  try {
    sessions = await client.listAllSessions(
      { search: row.merchantReference, limit: 100 },
      MAX_SEARCH_ITEMS,
    );
  } catch (err) {
    const error =
      err instanceof DinteroError
        ? err
        : new DinteroError('unavailable', 'The session search failed.', {});
    return { kind: 'failed', error };
  }
  const matches = sessions
    .filter((s) => isSessionFor(s, row))
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
  const first = matches[0];
  if (!first) return { kind: 'absent' };
  return { kind: 'found', session: first, others: matches.length - 1 };
}
