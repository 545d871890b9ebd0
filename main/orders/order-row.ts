/**
 * An order as the journal holds it (camelCase, with the bookkeeping fields the screen never
 * sees), and the mapping between SQLite rows and that shape.
 */
import { msg, type Message } from '../../common/i18n/messages';
import {
  STATUS_WORDS,
  type MoneyOperationKind,
  type OrderEvent,
  type OrderItem,
  type OrderSummary,
} from '../../common/domain';

/** A journaled order: the summary fields plus outbox and audit bookkeeping. */
export interface OrderRow extends Omit<
  OrderSummary,
  'statusWord' | 'pendingOperation' | 'outcomeUnknown'
> {
  /** The answer to the pending operation was lost (the screen sees `outcomeUnknown`). */
  outcomeUnknown: boolean;
  /** The money operation in flight (the screen sees it as `pendingOperation`). */
  pendingOp?: MoneyOperationKind;
  /** Epoch ms before which the outbox leaves the order alone (backoff). */
  nextAttemptAt: number;
  /** Create attempts so far (drives the backoff). */
  attempts: number;
  /** A previous create may have reached Dintero: look it up before creating again. */
  checkBeforeSend: boolean;
  /** When the payment was authorized (for the "capture before it lapses" reminder). */
  authorizedAt?: string;
  lapseWarned: boolean;
  /**
   * Epoch ms until which the poller searches Dintero for a second session carrying this
   * order's merchant reference (set when a create's outcome was uncertain); 0 = not watched.
   */
  duplicateWatchUntil: number;
  /**
   * Epoch ms (wall clock) when the status poller reads the order next; absent = not followed.
   * Set by the journal on every change (poll-schedule.ts), and by the poller's rounds.
   */
  nextPollAt?: number;
  /** Bumped on every write. */
  version: number;
}

/**
 * The amounts and bookkeeping of an order row nothing has happened to yet: no money, no send
 * attempt, no lost answer, no duplicate watch, first version (a new order, or another desk's
 * order as this desk first learns it).
 */
export const FRESH_ROW = {
  authorizedAmount: 0,
  capturedAmount: 0,
  refundedAmount: 0,
  attempts: 0,
  checkBeforeSend: false,
  lapseWarned: false,
  outcomeUnknown: false,
  duplicateWatchUntil: 0,
  version: 1,
} as const satisfies Partial<OrderRow>;

/** Column names for every OrderRow field. */
export const COLUMNS: Readonly<Record<keyof OrderRow, string>> = {
  id: 'id',
  merchantReference: 'merchant_reference',
  state: 'state',
  phone: 'phone',
  customerName: 'customer_name',
  email: 'email',
  note: 'note',
  externalReference: 'external_reference',
  amount: 'amount',
  currency: 'currency',
  vatAmount: 'vat_amount',
  items: 'items',
  delivery: 'delivery',
  linkLifetimeHours: 'link_lifetime_hours',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  createdBy: 'created_by',
  sessionId: 'session_id',
  linkUrl: 'link_url',
  smsStatus: 'sms_status',
  expiresAt: 'expires_at',
  transactionId: 'transaction_id',
  paymentMethod: 'payment_method',
  authorizedAmount: 'authorized_amount',
  capturedAmount: 'captured_amount',
  refundedAmount: 'refunded_amount',
  pendingOp: 'pending_op',
  lastError: 'last_error',
  replacesOrderId: 'replaces_order_id',
  replacedByOrderId: 'replaced_by_order_id',
  nextAttemptAt: 'next_attempt_at',
  attempts: 'attempts',
  checkBeforeSend: 'check_before_send',
  authorizedAt: 'authorized_at',
  lapseWarned: 'lapse_warned',
  accountId: 'account_id',
  outcomeUnknown: 'outcome_unknown',
  duplicateWatchUntil: 'duplicate_watch_until',
  customerErasedAt: 'customer_erased_at',
  nextPollAt: 'next_poll_at',
  originDesk: 'origin_desk',
  version: 'version',
};

type SqlValue = string | number | null;

const BOOLEAN_FIELDS = new Set<keyof OrderRow>([
  'checkBeforeSend',
  'lapseWarned',
  'outcomeUnknown',
]);

/** Converts one field to what SQLite stores. */
export function toColumnValue(field: keyof OrderRow, value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (field === 'items' || field === 'lastError') return JSON.stringify(value);
  if (BOOLEAN_FIELDS.has(field)) return value ? 1 : 0;
  if (typeof value === 'string' || typeof value === 'number') return value;
  throw new TypeError(`journal: unexpected value for ${field}`);
}

/** Reads a SQLite row (snake_case) into an OrderRow; NULL columns become absent fields. */
export function fromDbRow(raw: Record<string, unknown>): OrderRow {
  const out: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(COLUMNS) as Array<[keyof OrderRow, string]>) {
    const v = raw[column];
    if (v === null || v === undefined) continue;
    if (field === 'items') out[field] = JSON.parse(typeof v === 'string' ? v : '[]') as OrderItem[];
    else if (field === 'lastError') out[field] = storedMessage(typeof v === 'string' ? v : '');
    else if (BOOLEAN_FIELDS.has(field)) out[field] = Number(v) !== 0;
    else out[field] = typeof v === 'bigint' ? Number(v) : v;
  }
  out.checkBeforeSend ??= false;
  out.lapseWarned ??= false;
  out.outcomeUnknown ??= false;
  out.duplicateWatchUntil ??= 0;
  return out as unknown as OrderRow;
}

/** What the screens get: the row without bookkeeping, plus the status word. */
export function toSummary(row: OrderRow): OrderSummary {
  const s: OrderSummary = {
    id: row.id,
    merchantReference: row.merchantReference,
    state: row.state,
    statusWord: STATUS_WORDS[row.outcomeUnknown ? 'unknown' : row.state],
    phone: row.phone,
    amount: row.amount,
    currency: row.currency,
    vatAmount: row.vatAmount,
    items: row.items,
    delivery: row.delivery,
    linkLifetimeHours: row.linkLifetimeHours,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    createdBy: row.createdBy,
    authorizedAmount: row.authorizedAmount,
    capturedAmount: row.capturedAmount,
    refundedAmount: row.refundedAmount,
  };
  const optional = [
    'customerName',
    'email',
    'note',
    'externalReference',
    'sessionId',
    'linkUrl',
    'smsStatus',
    'expiresAt',
    'transactionId',
    'paymentMethod',
    'lastError',
    'replacesOrderId',
    'replacedByOrderId',
    'accountId',
    'customerErasedAt',
    'originDesk',
  ] as const;
  for (const k of optional) {
    const v = row[k];
    if (v !== undefined) (s as unknown as Record<string, unknown>)[k] = v;
  }
  if (row.pendingOp !== undefined) s.pendingOperation = row.pendingOp;
  if (row.outcomeUnknown) s.outcomeUnknown = true;
  return s;
}

/** A stored Message (JSON), or undefined when the text is not one. */
function parseMessage(text: string): Message | undefined {
  try {
    const m = JSON.parse(text) as unknown;
    return typeof m === 'object' && m !== null && typeof (m as Message).key === 'string'
      ? (m as Message)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A stored last error: a Message, or the English sentence an older version wrote. */
function storedMessage(text: string): Message {
  return parseMessage(text) ?? msg('line.legacy', { text });
}

/** Reads an order_events row. */
export function eventFromDbRow(raw: Record<string, unknown>): OrderEvent {
  const e: OrderEvent = {
    id: Number(raw.id),
    orderId: String(raw.order_id),
    at: String(raw.at),
    kind: String(raw.kind),
    actor: String(raw.actor),
  };
  if (typeof raw.message === 'string') {
    const m = parseMessage(raw.message);
    if (m) e.message = m;
  }
  // Lines journaled before messages existed keep their (English) words.
  if (typeof raw.detail === 'string') e.detail = raw.detail;
  if (raw.amount !== null && raw.amount !== undefined) e.amount = Number(raw.amount);
  return e;
}
