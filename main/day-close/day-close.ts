/**
 * The day close (issue 13): one day's figures from the journal, checked against Dintero,
 * with what still needs staff and which captures Dintero has paid out.
 *
 * Scopes:
 * - "desk": this desk's journal. With a store ID set, the check reads the store's transactions
 *   and leaves out payments the journal does not know (another desk of the store took them);
 *   without one, the desk is the whole shop: such payments are differences and rows.
 * - "store": the store's transactions (store ID required). The journal holds the orders the
 *   store's other desks sent (shop-orders.ts), so they count once, as rows of their desk;
 *   payments no order of the journal knows are differences, and rows of the day ("from
 *   Dintero"), counted in the figures.
 * - On "desk", orders other desks sent are left out, with their differences.
 *
 * The check runs when the screen opens the day (and on "Check again"); the export reuses the
 * last read of that day and scope, so the file matches what the screen showed. Nothing is
 * ever sent to Dintero: it is read, and the journal is updated from it (day-check.ts).
 */
import {
  type DayCheckView,
  type DayCloseQuery,
  type DayCloseView,
  type DayDifference,
  type DayNeeds,
  type DayOrderRef,
  type DayReport,
  type DayRow,
  type DayScope,
  type PayoutsView,
  type UncapturedOrder,
} from '../../common/day-close';
import { byMethod, dayRowOf, figuresByCurrency, PAID_OR_VOIDED } from '../../common/day-figures';
import { dayWindow, isoInZone } from '../../common/day-time';
import type { OrderState } from '../../common/domain';
import { msg } from '../../common/i18n/messages';
import { authorizationLapse, methodFamily } from '../../common/payment-method';
import { DeskError } from '../desk-error';
import { DinteroError } from '../dintero/errors';
import type { DinteroTransaction } from '../dintero/types';
import { checkDay, DAY_CHECK_MAX_ITEMS, type DayCheck } from './day-check';
import type { EngineContext } from '../orders/engine-context';
import type { OrderRow } from '../orders/order-row';
import { observeTransaction } from '../orders/remote-state';
import { readPayouts } from './payouts';

export interface DayCloseOptions {
  /** The desk's IANA time zone (the computer's). */
  timeZone: string;
}

/** What one read of Dintero gave for a day and scope. */
interface DayRead {
  check: DayCheckView;
  transactions: DinteroTransaction[];
  payouts: PayoutsView;
}

/** Longest list of one kind under "Still needs staff" (the rest are on the board). */
const NEEDS_LIMIT = 500;

const UNCAPTURED_STATES: readonly OrderState[] = ['authorized', 'partially_captured'];

export interface DayClose {
  /** Reads Dintero for the day (check + payouts) and returns the screen's view. */
  view(q: DayCloseQuery): Promise<DayCloseView>;
  /** The whole report with its rows; reads Dintero only if this day was not read yet. */
  report(q: DayCloseQuery): Promise<DayReport>;
}

export function createDayClose(ctx: EngineContext, opts: DayCloseOptions): DayClose {
  const reads = new Map<string, DayRead>();
  const running = new Map<string, Promise<DayRead>>();
  const keyOf = (q: DayCloseQuery): string => `${ctx.accountId}|${q.day}|${q.scope}`;

  const storeIdsFor = (scope: DayScope): string[] => {
    const storeId = ctx.settings().storeId;
    if (scope === 'store' && storeId === '') {
      throw new DeskError('not_allowed', msg('dayClose.scopeStoreMissing'));
    }
    return storeId === '' ? [] : [storeId];
  };

  const readDintero = (q: DayCloseQuery): Promise<DayRead> => {
    const key = keyOf(q);
    const inFlight = running.get(key);
    if (inFlight) return inFlight;
    const work = (async (): Promise<DayRead> => {
      const window = dayWindow(q.day, opts.timeZone);
      const storeIds = storeIdsFor(q.scope);
      const at = new Date(ctx.now()).toISOString();
      let found: DayCheck;
      try {
        found = await checkDay(ctx, window, storeIds);
      } catch (err) {
        if (!(err instanceof DinteroError)) throw err;
        ctx.logger.warn({ kind: err.kind }, 'day close: Dintero could not be read');
        const read: DayRead = {
          check: { status: 'failed', at, error: err.text },
          transactions: [],
          payouts: { status: 'failed', error: err.text },
        };
        return read;
      }
      const leaveOutUnknown = q.scope === 'desk' && storeIds.length > 0;
      // This desk's close: payments the journal does not know and orders other desks sent
      // are theirs to close.
      const otherDesks = (d: DayDifference): boolean =>
        d.orderId !== undefined && ctx.journal.get(d.orderId)?.originDesk !== undefined;
      const differences = found.differences.filter(
        (d) =>
          q.scope === 'store' ||
          !((leaveOutUnknown && d.kind === 'unknown_payment') || otherDesks(d)),
      );
      const byId = new Map(found.transactions.map((t) => [t.id, t]));
      const captures = ctx.journal
        .capturesBetween(window.from, window.to)
        .filter((c) => c.accountId === undefined || c.accountId === ctx.accountId);
      const payouts = await readPayouts(ctx.client, captures, byId, window, ctx.now);
      return {
        check: { status: 'checked', at, read: found.transactions.length, differences },
        transactions: leaveOutUnknown ? [] : found.transactions,
        payouts,
      };
    })();
    running.set(key, work);
    return work.then(
      (read) => {
        running.delete(key);
        reads.set(key, read);
        return read;
      },
      (err: unknown) => {
        running.delete(key);
        throw err;
      },
    );
  };

  const build = (q: DayCloseQuery, read: DayRead): DayReport => {
    const window = dayWindow(q.day, opts.timeZone);
    const own = journalRows(ctx, window, q.scope);
    const rows = own.map((r) => dayRowOf(r, opts.timeZone));
    const ofDay = new Map(own.map((r) => [r.merchantReference, r]));
    rows.push(...learnedRows(ctx, ofDay, read.transactions, opts.timeZone));
    rows.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    const settings = ctx.settings();
    return {
      day: q.day,
      timeZone: opts.timeZone,
      from: window.from,
      to: window.to,
      scope: q.scope,
      storeId: settings.storeId,
      desk: settings.terminalName,
      generatedAt: isoInZone(ctx.now(), opts.timeZone),
      currencies: figuresByCurrency(rows),
      methods: byMethod(rows),
      needs: needs(ctx),
      check: read.check,
      payouts: read.payouts,
      rowCount: rows.length,
      rows,
    };
  };

  return {
    async view(q) {
      const { rows: _rows, ...view } = build(q, await readDintero(q));
      return view;
    },
    async report(q) {
      return build(q, reads.get(keyOf(q)) ?? (await readDintero(q)));
    },
  };
}

/**
 * The journal's orders of the day, for this desk's account: those this desk sent, and for the
 * store's close also those the store's other desks sent (each order once, from the journal).
 */
function journalRows(
  ctx: EngineContext,
  window: { from: string; to: string },
  scope: DayScope,
): OrderRow[] {
  return ctx.journal
    .list({ from: window.from, to: window.to, limit: DAY_CHECK_MAX_ITEMS })
    .orders.filter(
      (r) =>
        (r.accountId === undefined || r.accountId === ctx.accountId) &&
        (scope === 'store' || r.originDesk === undefined),
    );
}

/** Payments Dintero listed for the day that no order of this desk's journal made. */
function learnedRows(
  ctx: EngineContext,
  ofDay: ReadonlyMap<string, OrderRow>,
  transactions: readonly DinteroTransaction[],
  timeZone: string,
): DayRow[] {
  const out: DayRow[] = [];
  for (const tx of transactions) {
    const known =
      ofDay.get(tx.merchant_reference) ?? ctx.journal.getByReference(tx.merchant_reference);
    if (known && (known.transactionId === undefined || known.transactionId === tx.id)) continue;
    const seen = observeTransaction(tx);
    if (!PAID_OR_VOIDED.includes(seen.state)) continue;
    const created = Date.parse(tx.created_at);
    out.push({
      merchantReference: tx.merchant_reference,
      createdAt: Number.isNaN(created) ? tx.created_at : isoInZone(created, timeZone),
      desk: '',
      staff: '',
      state: seen.state,
      currency: tx.currency,
      amount: tx.amount,
      captured: seen.capturedAmount ?? 0,
      refunded: seen.refundedAmount ?? 0,
      paymentMethod: methodFamily(seen.paymentMethod),
      transactionId: tx.id,
      sessionId: tx.session_id ?? '',
      externalReference: tx.merchant_reference_2 ?? '',
      source: 'dintero',
    });
  }
  return out;
}

const ref = (r: OrderRow): DayOrderRef => ({
  orderId: r.id,
  merchantReference: r.merchantReference,
  amount: r.amount,
  currency: r.currency,
});

/** What still needs staff, on any day: uncaptured money (soonest lapse first), unknown, queued. */
function needs(ctx: EngineContext): DayNeeds {
  const now = ctx.now();
  const uncaptured: UncapturedOrder[] = ctx.journal
    .inStates(UNCAPTURED_STATES)
    .filter((r) => r.authorizedAmount - r.capturedAmount > 0)
    .map((r) => {
      const method = methodFamily(r.paymentMethod);
      const lapse = authorizationLapse(r.authorizedAt ?? r.updatedAt, method, now);
      return {
        orderId: r.id,
        merchantReference: r.merchantReference,
        currency: r.currency,
        uncaptured: r.authorizedAmount - r.capturedAmount,
        method: method === '' ? 'other' : method,
        ...lapse,
      };
    })
    .sort((a, b) => (a.lapsesAt < b.lapsesAt ? -1 : a.lapsesAt > b.lapsesAt ? 1 : 0))
    .slice(0, NEEDS_LIMIT);
  const unknownRows = [...ctx.journal.inStates(['unknown']), ...ctx.journal.withUnknownOutcome()];
  const unknown = [...new Map(unknownRows.map((r) => [r.id, ref(r)])).values()].slice(
    0,
    NEEDS_LIMIT,
  );
  const queued = ctx.journal.inStates(['queued']).slice(0, NEEDS_LIMIT).map(ref);
  return { uncaptured, unknown, queued };
}
