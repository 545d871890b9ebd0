/**
 * Payouts for a day close: which of the day's captures Dintero has paid out. Reads the
 * settlements (GET {api}/v1/accounts/{aid}/settlements, scope read:settlements) and matches
 * them with the `settlements` entries on each transaction's CAPTURE events. Training reads
 * the simulator's settlements the same way. Never throws for a Dintero failure: a missing
 * grant (403) is `not_granted`, anything else `failed`.
 */
import type { PayoutLine, PayoutsView } from '../../common/day-close';
import { DinteroError } from '../dintero/errors';
import type {
  DinteroClient,
  DinteroSettlement,
  DinteroTransaction,
  TransactionSettlementsEvent,
} from '../dintero/types';

/** The scope named to staff when the API client may not read settlements. */
export const PAYOUTS_GRANT = 'read:settlements';

/** One order's capture on the day, as the day close hands it over. */
export interface DayCapture {
  orderId?: string;
  merchantReference: string;
  transactionId: string;
  currency: string;
  /** Minor units. */
  captured: number;
}

const DAY_MS = 86_400_000;
/** Most settlements read for one day close (a few per day are usual). */
const MAX_SETTLEMENTS = 1000;
const PAGE_SIZE = 100;

const utcDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The `settled_at` dates to read (the spec's `created_at.gte/.lte`, format date): from the
 * day before the day's start to the day after now, as UTC dates. A capture is paid out after
 * it was made, so nothing settled before the day's start can hold one of the day's captures;
 * the spare day on each side covers the time zone of Dintero's date filter, which is not
 * documented. (`item_created_at` filters are in neither payments spec, so not used.)
 */
export function settledDates(
  window: { from: string },
  nowMs: number,
): { settledGte: string; settledLte: string } {
  return {
    settledGte: utcDate(Date.parse(window.from) - DAY_MS),
    settledLte: utcDate(nowMs + DAY_MS),
  };
}

/** The fee of one settlement entry: `fee`, else what `amount = capture - refund - fee` implies. */
function feeOf(s: TransactionSettlementsEvent): number {
  if (s.fee !== undefined) return Math.round(s.fee);
  if (s.capture === undefined) return 0;
  return Math.round(s.capture - (s.refund ?? 0) - s.amount);
}

/**
 * One capture's line. Paid out when the transaction has successful CAPTURE events and every
 * settlement entry on them is in a `paid` settlement read: the fee is the sum of those
 * entries' fees, the settlement named is the latest of them. Otherwise waiting.
 */
function payoutOf(
  c: DayCapture,
  tx: DinteroTransaction | undefined,
  paid: ReadonlyMap<string, DinteroSettlement>,
): PayoutLine {
  const line: PayoutLine = {
    ...(c.orderId !== undefined ? { orderId: c.orderId } : {}),
    merchantReference: c.merchantReference,
    transactionId: c.transactionId,
    currency: c.currency,
    captured: c.captured,
  };
  const captures = (tx?.events ?? []).filter((e) => e.event === 'CAPTURE' && e.success);
  if (captures.length === 0) return line;
  let fee = 0;
  let latest: DinteroSettlement | undefined;
  for (const e of captures) {
    const entries = e.settlements?.events ?? [];
    if (entries.length === 0) return line;
    for (const entry of entries) {
      const settlement = paid.get(entry.settlement_id);
      if (!settlement) return line;
      fee += feeOf(entry);
      if (!latest || (settlement.settled_at ?? '') > (latest.settled_at ?? '')) {
        latest = settlement;
      }
    }
  }
  if (!latest) return line;
  return {
    ...line,
    settlementId: latest.id,
    ...(latest.settled_at !== undefined ? { settledAt: latest.settled_at } : {}),
    fee,
    net: c.captured - fee,
  };
}

/**
 * Which of the day's captures Dintero has paid out. `transactions` are the day's
 * transactions by id, with their events; `window` is the day's bounds (ISO 8601). Reads
 * nothing when there are no captures. Training reads them too: the simulator serves
 * settlements like Dintero.
 */
export async function readPayouts(
  client: DinteroClient,
  captures: DayCapture[],
  transactions: ReadonlyMap<string, DinteroTransaction>,
  window: { from: string; to: string },
  now: () => number,
): Promise<PayoutsView> {
  if (captures.length === 0) return { status: 'read', paidOut: [], waiting: [] };
  let settlements: DinteroSettlement[];
  try {
    settlements = await client.listSettlements(
      { ...settledDates(window, now()), limit: PAGE_SIZE },
      MAX_SETTLEMENTS,
    );
  } catch (err) {
    if (!(err instanceof DinteroError)) throw err;
    if (err.kind === 'permission') return { status: 'not_granted', grant: PAYOUTS_GRANT };
    return { status: 'failed', error: err.text };
  }
  const paid = new Map(
    settlements.filter((s) => s.payment_status === 'paid').map((s) => [s.id, s] as const),
  );
  const paidOut: PayoutLine[] = [];
  const waiting: PayoutLine[] = [];
  for (const c of captures) {
    const line = payoutOf(c, transactions.get(c.transactionId), paid);
    (line.settlementId !== undefined ? paidOut : waiting).push(line);
  }
  return { status: 'read', paidOut, waiting };
}
