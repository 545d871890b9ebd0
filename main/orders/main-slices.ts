/**
 * How long work on main's event loop runs before others get a turn. A poll round applying
 * Dintero's answers, the store's board read and the daily erase of customer data all work
 * in slices of at most SLICE_MS and then wait for a later turn (nextTurn), so an order typed
 * meanwhile is journaled at once and no single step holds main for more than a few
 * milliseconds, at a million orders too.
 */

/** Longest stretch of sliced work before other work gets a turn (ms): well inside a frame. */
export const SLICE_MS = 4;

/** Resolves on a later turn of the event loop: timers, I/O and other callers run first. */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
