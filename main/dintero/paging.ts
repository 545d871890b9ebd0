/**
 * Dintero's list endpoints page with `starting_after` (the id of the last item of the previous
 * page) and give no total: a page shorter than the limit is the last one. Settlements page
 * differently: each answer carries `last_evaluated_key` while there may be more.
 */
import type { DinteroSettlement, SettlementCursor, SettlementPage } from './types';

/**
 * Every item from `page` calls, following `starting_after` from `startingAfter`, up to
 * `maxItems`. Stops on a short or empty page, or when a page ends on the cursor it was asked
 * for (a server that ignores the cursor cannot make this loop forever).
 */
export async function listAllPages<T extends { id: string }>(
  page: (startingAfter: string | undefined, limit: number) => Promise<T[]>,
  pageLimit: number,
  maxItems: number,
  startingAfter: string | undefined,
): Promise<T[]> {
  const out: T[] = [];
  let cursor = startingAfter;
  while (out.length < maxItems) {
    const items = await page(cursor, pageLimit);
    out.push(...items);
    const last = items[items.length - 1];
    if (items.length < pageLimit || !last || last.id === cursor) break;
    cursor = last.id;
  }
  return out.slice(0, maxItems);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads one answer of GET /v1/accounts/{aid}/settlements, `{items, last_evaluated_key}` (the
 * spec's `SettlementResponse`). Undefined when it is not that shape or an item has no id. A
 * key without both `id` and `settled_at` cannot be followed: that page counts as the last.
 */
export function readSettlementPage(body: unknown): SettlementPage | undefined {
  if (!isRecord(body) || !Array.isArray(body.items)) return undefined;
  const items: unknown[] = body.items;
  if (!items.every((i) => isRecord(i) && typeof i.id === 'string' && i.id !== '')) {
    return undefined;
  }
  const key = body.last_evaluated_key;
  const next =
    isRecord(key) &&
    typeof key.id === 'string' &&
    key.id !== '' &&
    typeof key.settled_at === 'string' &&
    key.settled_at !== ''
      ? { id: key.id, settledAt: key.settled_at }
      : undefined;
  return { items: items as DinteroSettlement[], ...(next ? { next } : {}) };
}

/**
 * Every settlement from `page` calls, following `last_evaluated_key` (both halves of the
 * cursor together) from `startingAfter`, up to `maxItems`, each id once. Stops on a page
 * without a key, a page that adds nothing new, or a key equal to the cursor it was asked with.
 */
export async function listAllSettlementPages(
  page: (startingAfter: SettlementCursor | undefined) => Promise<SettlementPage>,
  maxItems: number,
  startingAfter: SettlementCursor | undefined,
): Promise<DinteroSettlement[]> {
  const out: DinteroSettlement[] = [];
  const seen = new Set<string>();
  let cursor = startingAfter;
  while (out.length < maxItems) {
    const { items, next } = await page(cursor);
    let added = 0;
    for (const item of items) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      out.push(item);
      added++;
    }
    if (!next || added === 0) break;
    if (cursor && next.id === cursor.id && next.settledAt === cursor.settledAt) break;
    cursor = next;
  }
  return out.slice(0, maxItems);
}
