/**
 * The status poller: follows live orders at Dintero, in batches.
 *
 * - Sessions without a transaction are read with one `listSessions({ids})` call per 100
 *   orders; known transactions with one `listTransactions({ids})` call per 100. 500 live
 *   orders cost a handful of calls per round, not 500.
 * - Young links (under 10 minutes) are read every `pollFastMs`, older ones every
 *   `pollSlowMs`; paid orders waiting for staff every `pollSlowMs`; captured ones (watching
 *   for refunds made in Backoffice) every 10 × `pollSlowMs` for 90 days. Expired, declined and
 *   failed links are read every `pollSlowMs` for `lateGraceMs` (a held payment may complete,
 *   a declined customer may pay on the same link), through their session so a new
 *   transaction is seen. Other final states are not read. Polling pauses while offline.
 * - Expiry is Dintero's word: a link is expired when Dintero's clock (its Date header) is past
 *   the session's expires_at and the session has no transaction. An order with a transaction
 *   is never "Expired".
 * - Each followed order's next read is persisted (orders.next_poll_at, wall-clock epoch ms,
 *   indexed; NULL = not followed; the rule is poll-schedule.ts's). A round reads only the due
 *   rows, at most POLL_ROUND_LIMIT of them, oldest due first, in pages of POLL_PAGE (other
 *   work runs between pages), and writes each page's next times (or NULL) in one transaction; every journal change sets it too (a new link or an operation
 *   started is due at once, a final order is dropped). Clock jumps: a time further ahead than
 *   the longest interval (clock set back) counts as due; a clock set forward makes everything
 *   due, read one batch per round. Orders awaiting an operation's event are read every round.
 * - With a store ID, every few rounds the store's other desks' new orders are read into the
 *   journal first (shop-orders.ts), then followed like this desk's own.
 * - Orders whose create was uncertain are searched for a second session (duplicates.ts).
 * - Money operations accepted with a 202, or whose answer was lost, are settled here when their
 *   event shows, in the same step that applies the amounts.
 */
import { msg } from '../../common/i18n/messages';
import { DinteroError } from '../dintero/errors';
import type { DinteroSession, DinteroTransaction } from '../dintero/types';
import { commitChange, type EngineContext } from './engine-context';
import type { MoneyOps } from './money-ops';
import { lapseNotification } from './notification-rules';
import { toSummary, type OrderRow } from './order-row';
import type { NotificationRequest } from './engine-types';
import type { ChangeResult, PollRow } from './journal';
import { checkDuplicateSessions } from './duplicates';
import { nextTurn, SLICE_MS } from './main-slices';
import { ShopReader } from './shop-orders';
import { ACCOUNT_BOUND_STATES, LATE_STATES, OUTBOX_STATES } from '../../common/order-state';
import { isFollowed, longestInterval, pollInterval } from './poll-schedule';
import {
  changeFromObservation,
  observeSession,
  observeTransaction,
  type Observation,
} from './remote-state';

/** Ids per list call (Dintero's page limit). */
export const BATCH_SIZE = 100;
/**
 * Due orders one round reads at most (10 list calls): reading them and writing their next
 * times stays far below a frame; more due (a clock set forward, an upgrade) wait for the next
 * rounds, oldest due first.
 */
export const POLL_ROUND_LIMIT = 1000;
/**
 * Due orders claimed in one go: a round claims its batch in pages this size (each one short
 * transaction reading only the columns the schedule needs, Journal.claimPolls) and lets other
 * work run between them (an order typed meanwhile is journaled at once), so no single step
 * of a round holds main for more than a few milliseconds at a million orders.
 */
export const POLL_PAGE = 100;
/** Lapse reminders journaled in one transaction (then other work gets a turn). */
const LAPSE_PAGE = 25;
/** List calls in flight at once in one round. */
const LIST_CONCURRENCY = 4;
/** Authorizations are checked for the lapse reminder with a day of margin (odd offsets). */
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How often the store's sessions and transactions are read (ms): a third of the slow poll
 * interval (10 s by default), never more often than the fast one.
 */
export function shopReadInterval(t: { pollFastMs: number; pollSlowMs: number }): number {
  return Math.max(t.pollFastMs, Math.round(t.pollSlowMs / 3));
}

/** Calls made by one round (tests count them). */
export interface PollRound {
  sessionCalls: number;
  transactionCalls: number;
  polled: number;
}

/**
 * Applies what Dintero shows of one order: one journal change (state, amounts, timeline lines
 * "seen in Dintero"), announced. The row after, or undefined when nothing changed.
 */
export function applyObservation(
  ctx: EngineContext,
  id: string,
  observe: (row: OrderRow) => Observation,
): OrderRow | undefined {
  return commitChange(ctx, id, (r) =>
    changeFromObservation(r, observe(r), { actor: 'dintero', at: ctx.now() }),
  );
}

/** Reads live orders' sessions and transactions and journals what changed. */
export class StatusPoller {
  /** Monotonic time of each watched order's next duplicate search. */
  private readonly nextDuplicateCheck = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private round: Promise<PollRound> | undefined;
  /** The store's board: other desks' orders, read every few rounds. */
  private readonly shop: ShopReader;

  constructor(
    private readonly ctx: EngineContext,
    private readonly ops: MoneyOps,
  ) {
    this.shop = new ShopReader(ctx, () => shopReadInterval(ctx.timing));
  }

  /** Starts polling every pollFastMs (each order on its own interval). */
  start(): void {
    this.running = true;
    this.schedule(0);
  }

  /** Stops; returns the round in flight, if any. */
  stop(): Promise<unknown> | undefined {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return this.round;
  }

  /** Poll soon, and read `orderId` (if given) in the next round whatever its interval. */
  wake(orderId?: string): void {
    if (orderId && !this.ctx.journal.isClosed) {
      this.ctx.journal.schedulePolls([[orderId, this.ctx.now()]]);
    }
    if (this.running) this.schedule(0);
  }

  private schedule(delay: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.pollOnce()
        .catch((err: unknown) => this.ctx.logger.error({ err }, 'poller: round failed'))
        .finally(() => this.schedule(this.ctx.timing.pollFastMs));
    }, delay);
    this.timer.unref?.();
  }

  /** One round (concurrent callers share it). */
  pollOnce(): Promise<PollRound> {
    this.round ??= this.runRound().finally(() => {
      this.round = undefined;
    });
    return this.round;
  }

  /**
   * Orders that still need this account (ACCOUNT_BOUND_STATES, late links only while they are
   * still followed), or with an operation in flight. Reads the queue, the operations in flight
   * and the followed orders (next_poll_at set), never the settled history.
   */
  needingAccount(): OrderRow[] {
    const now = this.ctx.now();
    const seen = new Set<string>();
    return [
      ...this.ctx.journal.inStates(OUTBOX_STATES, true),
      ...this.ctx.journal.followedIn(ACCOUNT_BOUND_STATES, now),
    ].filter(
      (r) =>
        (r.pendingOp !== undefined || ACCOUNT_BOUND_STATES.includes(r.state)) &&
        !seen.has(r.id) &&
        seen.add(r.id) !== undefined,
    );
  }

  /**
   * The rows this round reads: the due ones (index, at most POLL_ROUND_LIMIT) and those
   * awaiting an operation's event, each given its next time (or NULL once no longer followed)
   * in one write; fresh links and operations in flight first.
   */
  private async claimDue(now: number, awaiting: ReadonlySet<string>): Promise<PollRow[]> {
    const t = this.ctx.timing;
    const journal = this.ctx.journal;
    const due: Array<{ r: PollRow; interval: number }> = [];
    const ids = new Set<string>();
    /** A claimed row's next time (undefined: no longer followed); keeps the ones to read. */
    const plan = (r: PollRow): number | undefined => {
      if (ids.has(r.id)) return r.nextPollAt;
      ids.add(r.id);
      if (!isFollowed(r, now, t)) return undefined;
      const interval = pollInterval(r, now, t);
      due.push({ r, interval });
      return now + interval;
    };
    // Pages of the due rows; each page's new times take it out of the next page's query.
    for (let claimed = 0; claimed < POLL_ROUND_LIMIT;) {
      const page = journal.claimPolls(
        now,
        longestInterval(t),
        Math.min(POLL_PAGE, POLL_ROUND_LIMIT - claimed),
        plan,
      );
      claimed += page.length;
      if (page.length < POLL_PAGE || journal.isClosed) break;
      await nextTurn();
      if (journal.isClosed) return [];
    }
    const waiting = [...awaiting]
      .filter((id) => !ids.has(id))
      .flatMap((id) => journal.get(id) ?? []);
    journal.schedulePolls(
      waiting.flatMap((r): Array<[string, number | undefined]> => {
        const next = plan(r);
        return next === r.nextPollAt ? [] : [[r.id, next]];
      }),
    );
    // Fresh links and operations in flight first: a payment is noticed early in the round.
    return due.sort((a, b) => a.interval - b.interval).map(({ r }) => r);
  }

  private async runRound(): Promise<PollRound> {
    const stats: PollRound = { sessionCalls: 0, transactionCalls: 0, polled: 0 };
    if (this.ctx.journal.isClosed) return stats;
    await this.checkLapses();
    if (!this.ctx.connectivity.online) return stats;
    await this.ops.resolveOpen();
    // The store's other desks' new orders first: this round follows them too.
    try {
      await this.shop.readIfDue();
    } catch (err) {
      if (this.failed(err, [])) return stats;
    }

    const now = this.ctx.now();
    const mono = this.ctx.mono();
    const awaiting = this.ops.awaitingOrderIds();
    const due = await this.claimDue(now, awaiting);
    stats.polled = due.length;

    // A late link is read through its session: a new attempt may carry a new transaction.
    const late = (r: PollRow): boolean => (LATE_STATES as readonly string[]).includes(r.state);
    const withTx = due.filter((r) => r.transactionId && !late(r));
    const bySession = due.filter((r) => r.sessionId && (!r.transactionId || late(r)));

    let offline = false;
    await inParallel(chunks(bySession, BATCH_SIZE), LIST_CONCURRENCY, async (chunk) => {
      if (offline) return;
      let sessions: DinteroSession[];
      try {
        stats.sessionCalls++;
        sessions = await this.ctx.client.listSessions({
          ids: chunk.map((r) => r.sessionId as string),
          limit: BATCH_SIZE,
        });
      } catch (err) {
        if (this.failed(err, chunk)) offline = true;
        return;
      }
      this.ctx.connectivity.reached();
      const index = new Map(chunk.map((r) => [r.sessionId as string, r]));
      // A slice at a time: other work runs between (each answer is its own transaction).
      await this.inSlices(sessions, (s) => {
        const row = index.get(s.id);
        if (!row) return;
        const after = this.apply(row.id, (r) => observeSession(s, r, this.ctx.dinteroNow()));
        if (after?.transactionId) withTx.push(after);
      });
    });
    if (offline) return stats;

    await inParallel(chunks(withTx, BATCH_SIZE), LIST_CONCURRENCY, async (chunk) => {
      if (offline) return;
      let txs: DinteroTransaction[];
      try {
        stats.transactionCalls++;
        txs = await this.ctx.client.listTransactions({
          ids: chunk.map((r) => r.transactionId as string),
          limit: BATCH_SIZE,
        });
      } catch (err) {
        if (this.failed(err, chunk)) offline = true;
        return;
      }
      this.ctx.connectivity.reached();
      const index = new Map(chunk.map((r) => [r.transactionId as string, r]));
      await this.inSlices(txs, async (answer) => {
        let tx = answer;
        const row = index.get(tx.id);
        if (!row) return;
        if (awaiting.has(row.id) && !tx.events) {
          // The list answer has no events: read this one in full to see the operation's end.
          try {
            tx = await this.ctx.client.getTransaction(tx.id);
          } catch {
            return;
          }
        }
        if (awaiting.has(row.id) && this.ops.settleFromPoll(this.current(row.id), tx)) return;
        // A transaction still INITIATED or ON_HOLD keeps the order open, whatever the link's
        // expiry says: the payment may yet complete.
        const observed = observeTransaction(tx);
        this.apply(row.id, () => observed);
      });
    });
    if (!offline) await this.watchDuplicates(mono);
    return stats;
  }

  /** Searches, every pollSlowMs, for second sessions of orders whose create was uncertain. */
  private async watchDuplicates(mono: number): Promise<void> {
    if (this.ctx.journal.isClosed) return;
    const now = this.ctx.now();
    for (const row of this.ctx.journal.duplicateWatched(now)) {
      if (!row.sessionId || row.duplicateWatchUntil <= now) continue;
      if ((this.nextDuplicateCheck.get(row.id) ?? -Infinity) > mono) continue;
      this.nextDuplicateCheck.set(row.id, mono + this.ctx.timing.pollSlowMs);
      try {
        await checkDuplicateSessions(this.ctx, row);
      } catch (err) {
        this.nextDuplicateCheck.delete(row.id);
        if (this.failed(err, [])) return;
      }
    }
  }

  private current(id: string): OrderRow {
    return this.ctx.journal.get(id) as OrderRow;
  }

  /** Where applying answers has got to: one list's answers at a time, whichever lane read it. */
  private applying: Promise<void> = Promise.resolve();
  /** When the current slice of applying began (performance.now(); reset after each turn). */
  private sliceStart = 0;

  /**
   * Runs `each` over `items` after the answers already queued, giving other work a turn
   * whenever SLICE_MS of applying has run. The lanes reading Dintero in parallel share this one
   * queue and its clock: answers that arrive together are applied one slice per turn of the
   * event loop, not one slice per lane. Stops early when the journal is closed meanwhile (the
   * engine stopped).
   */
  private inSlices<T>(items: readonly T[], each: (item: T) => Promise<void> | void): Promise<void> {
    const run = async (): Promise<void> => {
      for (const item of items) {
        if (performance.now() - this.sliceStart >= SLICE_MS) {
          await nextTurn();
          if (this.ctx.journal.isClosed) return;
          this.sliceStart = performance.now();
        }
        await each(item);
      }
    };
    const done = this.applying.then(run);
    this.applying = done.catch(() => undefined);
    return done;
  }

  /** True when the round should stop (offline). */
  private failed(err: unknown, chunk: ReadonlyArray<{ id: string }>): boolean {
    // Read again next round rather than after a full interval.
    if (chunk.length > 0 && !this.ctx.journal.isClosed) {
      const now = this.ctx.now();
      this.ctx.journal.schedulePolls(chunk.map((r) => [r.id, now] as const));
    }
    if (err instanceof DinteroError && err.kind === 'network') {
      this.ctx.connectivity.networkFailed();
      return true;
    }
    this.ctx.logger.warn({ err }, 'poller: list call failed');
    return false;
  }

  private apply(id: string, observe: (row: OrderRow) => Observation): OrderRow | undefined {
    return applyObservation(this.ctx, id, observe) ?? this.ctx.journal.get(id);
  }

  /**
   * Reminds staff once about authorizations that will lapse if not captured: reads the ids and
   * times of the unwarned candidates (a small index), then journals the due reminders
   * LAPSE_PAGE at a time, each page one transaction, and notifies once it is on disk; other
   * work runs between pages (a first start after a long break may have many).
   */
  async checkLapses(): Promise<void> {
    const rules = this.ctx.settings().notifications;
    if (!rules.authorizationLapsing) return;
    const journal = this.ctx.journal;
    const now = this.ctx.now();
    // Only the unwarned authorizations old enough (a day of margin), not every authorized order.
    const before = new Date(now - (rules.lapseWarningDays - 1) * DAY_MS).toISOString();
    const due = journal
      .lapseCandidates(before)
      .filter((c) => now - Date.parse(c.authorizedAt) >= rules.lapseWarningDays * DAY_MS);
    for (let i = 0; i < due.length; i += LAPSE_PAGE) {
      if (i > 0) {
        await nextTurn();
        if (journal.isClosed) return;
      }
      const warned: Array<{ result: ChangeResult; n: NotificationRequest }> = [];
      journal.transaction(() => {
        for (const c of due.slice(i, i + LAPSE_PAGE)) {
          const row = journal.get(c.id);
          if (!row) continue;
          const n = lapseNotification(
            toSummary(row),
            row.authorizedAt,
            row.lapseWarned,
            rules,
            now,
          );
          if (!n) continue;
          const result = journal.applyChange(row.id, (r) =>
            r.lapseWarned
              ? undefined
              : {
                  patch: { lapseWarned: true },
                  events: [
                    {
                      kind: 'lapse_warning',
                      actor: 'system',
                      message: msg('line.lapseWarning', { count: rules.lapseWarningDays }),
                    },
                  ],
                },
          );
          if (result) warned.push({ result, n });
        }
      });
      for (const { result, n } of warned) {
        this.ctx.published(result);
        this.ctx.notify(n);
      }
    }
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `work` over `items` with at most `limit` in flight, in order of start. */
async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
