/**
 * Payouts in the simulator, deterministic on Dintero's (simulated) wall clock. Every
 * successful CAPTURE and REFUND is paid out in one settlement per currency per day, dated the
 * next day (UTC) at 06:00 and written only once the clock has passed that time. A capture
 * pays a 2.5 % fee (rounded to whole minor units), a refund is deducted without a fee, and
 * every settlement is `paid`. The settled event carries its `settlements` entry and the
 * transaction its `settlement_status`; GET /v1/accounts/{aid}/settlements is built from those
 * entries, so nothing beyond the transactions is stored. Shapes: the payments spec's
 * `TransactionSettlementsRead` and `SettlementResponse` (test/fixtures/dintero/).
 */
import type {
  DinteroSettlement,
  SettlementStatus,
  TransactionEvent,
  TransactionSettlementsEvent,
} from '../dintero/types';
import { ApiError } from './http-io';
import type { SimCore } from './state';
import type { SimTransaction } from './types';

const DAY_MS = 86_400_000;
/** Payouts are dated 06:00 UTC. */
const PAYOUT_HOUR_MS = 6 * 3_600_000;
/** The simulator's fee on a capture, per mille (2.5 %). */
export const CAPTURE_FEE_PER_MILLE = 25;
/** Dintero's default page size for settlements, and its maximum. */
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 1000;

/** The fee on a capture of `amount` minor units: 2.5 %, rounded to whole minor units. */
export function captureFee(amount: number): number {
  return Math.round((amount * CAPTURE_FEE_PER_MILLE) / 1000);
}

/** When an event made at `createdAt` is paid out: the next UTC day at 06:00 (ms). */
export function payoutTime(createdAt: string): number {
  return (Math.floor(Date.parse(createdAt) / DAY_MS) + 1) * DAY_MS + PAYOUT_HOUR_MS;
}

/** The settlement of one day and currency, e.g. `stl_20260302_NOK`. */
export function settlementIdFor(paidAt: number, currency: string): string {
  return `stl_${new Date(paidAt).toISOString().slice(0, 10).replaceAll('-', '')}_${currency}`;
}

const settles = (e: TransactionEvent): boolean =>
  e.success && (e.event === 'CAPTURE' || e.event === 'REFUND');

function statusOf(tx: SimTransaction): SettlementStatus {
  const due = tx.events.filter(settles);
  const paid = due.filter((e) => e.settlements !== undefined).length;
  if (paid === 0) return 'NOT_SETTLED';
  return paid === due.length ? 'SETTLED' : 'PARTIALLY_SETTLED';
}

/**
 * Pays out every capture and refund whose payout time has passed by Dintero's clock and
 * brings each transaction's `settlement_status` up to date. Returns how many events were
 * settled; saves the state when anything changed.
 */
export function settleDue(core: SimCore): number {
  const now = core.now();
  let settled = 0;
  let changed = false;
  for (const tx of core.transactions.values()) {
    for (const e of tx.events) {
      if (!settles(e) || e.settlements !== undefined) continue;
      const at = payoutTime(e.created_at);
      if (!(at <= now)) continue;
      const id = settlementIdFor(at, tx.currency);
      const capture = e.event === 'CAPTURE' ? (e.amount ?? 0) : 0;
      const refund = e.event === 'REFUND' ? (e.amount ?? 0) : 0;
      const fee = captureFee(capture);
      const entry: TransactionSettlementsEvent = {
        settlement_id: id,
        provider_reference: `payout-${id}`,
        ...(e.id !== undefined ? { event_correlation_id: e.id } : {}),
        amount: capture - refund - fee,
        capture,
        refund,
        fee,
      };
      e.settlements = { events: [entry], settlement_status: 'SETTLED' };
      settled++;
    }
    const status = statusOf(tx);
    if (tx.settlement_status !== status) {
      tx.settlement_status = status;
      changed = true;
    }
  }
  if (settled > 0 || changed) core.changed();
  return settled;
}

interface Building {
  item: DinteroSettlement & Required<Pick<DinteroSettlement, 'amounts'>>;
  stores: Set<string | undefined>;
}

/** Every settlement the events carry, newest first (settled_at, then id, descending). */
export function settlementsOf(core: SimCore): DinteroSettlement[] {
  const byId = new Map<string, Building>();
  for (const tx of core.transactions.values()) {
    for (const e of tx.events) {
      for (const s of e.settlements?.events ?? []) {
        let b = byId.get(s.settlement_id);
        if (!b) {
          b = {
            item: {
              id: s.settlement_id,
              settled_at: new Date(payoutTime(e.created_at)).toISOString(),
              start_at: e.created_at,
              end_at: e.created_at,
              provider: 'dintero',
              provider_reference: s.provider_reference,
              amounts: [{ amount: 0, capture: 0, refund: 0, fee: 0, currency: tx.currency }],
              payment_status: 'paid',
              attachments: [],
            },
            stores: new Set(),
          };
          byId.set(s.settlement_id, b);
        }
        const sum = b.item.amounts[0]!;
        sum.amount += s.amount;
        sum.capture = (sum.capture ?? 0) + (s.capture ?? 0);
        sum.refund = (sum.refund ?? 0) + (s.refund ?? 0);
        sum.fee = (sum.fee ?? 0) + (s.fee ?? 0);
        if (e.created_at < b.item.start_at!) b.item.start_at = e.created_at;
        if (e.created_at > b.item.end_at!) b.item.end_at = e.created_at;
        b.stores.add(tx.store?.id);
      }
    }
  }
  const items = [...byId.values()].map(({ item, stores }) => {
    const [only] = stores;
    return stores.size === 1 && only !== undefined ? { ...item, store_id: only } : item;
  });
  return items.sort((a, b) => after(a, b.settled_at!, b.id));
}

/** Negative when `x` comes before (date, id) in the list (newest first), positive after. */
function after(x: DinteroSettlement, date: string, id: string): number {
  const d = x.settled_at!;
  if (d !== date) return d > date ? -1 : 1;
  return x.id === id ? 0 : x.id > id ? -1 : 1;
}

const badParam = (field: string, message: string): ApiError =>
  new ApiError(400, 'INVALID_REQUEST_PARAMETERS', `${field} ${message}`, [
    { field, message, code: 'invalid_parameter' },
  ]);

function dateParam(q: URLSearchParams, name: string): string | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw badParam(name, 'must be a date (YYYY-MM-DD)');
  }
  return raw;
}

function limitParam(q: URLSearchParams): number {
  const raw = q.get('limit');
  if (raw === null || raw === '') return DEFAULT_LIMIT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
    throw badParam('limit', `must be an integer between 1 and ${MAX_LIMIT}`);
  }
  return n;
}

/** The answer body of GET /v1/accounts/{aid}/settlements (the spec's `SettlementResponse`). */
export interface SettlementListBody {
  items: DinteroSettlement[];
  last_evaluated_key?: { id: string; account_id: string; settled_at: string };
}

/**
 * One page of settlements, newest first: `created_at.gte/.lte` are dates compared with the
 * UTC date of `settled_at`; `limit` 1..1000 (default 10); the cursor is `starting_after_id`
 * with `starting_after_date`, both or neither. Like DynamoDB's LastEvaluatedKey (whose name
 * the field carries), every full page has `last_evaluated_key`, the last one included; whether
 * Dintero leaves it off a last full page is not documented.
 */
export function listSettlements(core: SimCore, q: URLSearchParams): SettlementListBody {
  const gte = dateParam(q, 'created_at.gte');
  const lte = dateParam(q, 'created_at.lte');
  const limit = limitParam(q);
  const afterId = q.get('starting_after_id') ?? '';
  const afterDate = q.get('starting_after_date') ?? '';
  if ((afterId === '') !== (afterDate === '')) {
    throw badParam(
      afterId === '' ? 'starting_after_id' : 'starting_after_date',
      'must be used together with the other starting_after parameter',
    );
  }
  const items = settlementsOf(core).filter((s) => {
    const day = s.settled_at!.slice(0, 10);
    if (gte !== undefined && day < gte) return false;
    if (lte !== undefined && day > lte) return false;
    return afterId === '' || after(s, afterDate, afterId) > 0;
  });
  const page = items.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page,
    ...(last && page.length === limit
      ? {
          last_evaluated_key: {
            id: last.id,
            account_id: core.accountId,
            settled_at: last.settled_at!,
          },
        }
      : {}),
  };
}
