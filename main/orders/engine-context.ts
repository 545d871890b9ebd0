/**
 * What the engine's parts share: the journal, the client, clocks, timing, connectivity and
 * the one place committed changes are announced (orderChanged, notify, statusChanged).
 */
import type { DinteroClient } from '../dintero/types';
import type { Logger } from '../log';
import type { AbsenceWatch } from './absence';
import type { Connectivity } from './connectivity';
import type { EngineSettings, EngineTiming, NotificationRequest } from './engine-types';
import type { Journal, OrderChange } from './journal';
import type { OrderRow } from './order-row';

/** Every timing knob with its value filled in. */
export type FullTiming = Required<EngineTiming>;

/** Defaults for {@link FullTiming}. */
export const DEFAULT_TIMING: FullTiming = {
  pollFastMs: 3000,
  pollSlowMs: 30_000,
  backoffBaseMs: 1000,
  backoffMaxMs: 60_000,
  probeMs: 5000,
  reconcileDelayMs: 5000,
  absenceWindowMs: 60_000,
  absenceReads: 3,
  lateGraceMs: 48 * 60 * 60 * 1000,
  duplicateWatchMs: 48 * 60 * 60 * 1000,
  stopTimeoutMs: 5000,
  customerDataEveryMs: 24 * 60 * 60 * 1000,
};

/** A committed change as the announcer needs it. */
export interface Committed {
  before?: OrderRow;
  after: OrderRow;
}

/** Shared by the outbox, the poller and the money operations. */
export interface EngineContext {
  journal: Journal;
  client: DinteroClient;
  settings: () => EngineSettings;
  logger: Logger;
  /** Wall clock (ms since epoch): timestamps, persisted schedules. */
  now: () => number;
  /** Monotonic clock (ms): every wait whose length matters (absence windows, poll intervals). */
  mono: () => number;
  /**
   * Dintero's time as last seen on an answer (its Date header), else the local clock: link
   * expiry is Dintero's word, not the desk's.
   */
  dinteroNow: () => number;
  /** The Dintero account the client serves: only its orders are sent, followed and acted on. */
  accountId: string;
  /** Absent reads per order or operation, for "absence is never concluded from one read". */
  absence: AbsenceWatch;
  random: () => number;
  timing: FullTiming;
  concurrency: number;
  connectivity: Connectivity;
  /** Announce committed changes (no-op for undefined). */
  published(change: Committed | undefined): void;
  /** Emit a notification decided outside a state change (authorization lapsing). */
  notify(n: NotificationRequest): void;
}

/** Commits one change to an order and announces it; the row after, or undefined when nothing changed. */
export function commitChange(
  ctx: EngineContext,
  id: string,
  decide: (row: OrderRow) => OrderChange | undefined,
): OrderRow | undefined {
  const result = ctx.journal.change(id, decide);
  ctx.published(result);
  return result?.after;
}
