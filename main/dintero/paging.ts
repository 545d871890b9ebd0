/**
 * Dintero's list endpoints page with `starting_after` (the id of the last item of the previous
 * page) and give no total: a page shorter than the limit is the last one.
 */

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
