/**
 * The day close (issue 13): what the desk took on one day, checked against Dintero, for the
 * books. These are the shapes main builds (main/day-close/) and the screen, the CSV and the
 * PDF read. Pure: no Node, no DOM. Amounts are integers in minor units.
 */
import type { OrderState } from './domain';
import type { Message } from './i18n/messages';
import type { MethodFamily } from './payment-method';

/** A calendar day in the desk's time zone, YYYY-MM-DD. */
export type DayString = string;

/** This desk's orders, or every desk of the store (store ID in Settings). */
export type DayScope = 'desk' | 'store';

/** Which day close: a day in the desk's time zone, and the scope. */
export interface DayCloseQuery {
  day: DayString;
  scope: DayScope;
}

/** The figures per currency, in the order the screen and the report show them. */
export const DAY_FIGURES = [
  'sent',
  'paid',
  'captured',
  'refunded',
  'voided',
  'cancelled',
  'expired',
  'declined',
  'open',
] as const;
export type DayFigureKind = (typeof DAY_FIGURES)[number];

/** One figure: how many orders, their sum, and which orders (to open them on the board). */
export interface DayFigure {
  count: number;
  /** Minor units of the row's currency. */
  amount: number;
  orderIds: string[];
}

/** One currency's figures for the day, and the net the books get (captured - refunded). */
export interface CurrencyDay {
  /** ISO 4217; may be one the desk does not sell in when learned from Dintero. */
  currency: string;
  figures: Record<DayFigureKind, DayFigure>;
  net: number;
}

/** Paid orders of one payment method, in one currency. */
export interface MethodDay {
  currency: string;
  /** Method family (payment-method.ts); 'other' when Dintero did not name one. */
  method: MethodFamily;
  count: number;
  paid: number;
  captured: number;
  refunded: number;
  orderIds: string[];
}

/** An authorization still holding money that nobody captured yet. */
export interface UncapturedOrder {
  orderId: string;
  merchantReference: string;
  currency: string;
  /** Authorized minus captured minus voided, minor units. */
  uncaptured: number;
  method: MethodFamily;
  /** When the authorization is expected to lapse (authorized + the method's lifetime). */
  lapsesAt: string;
  /** Whole days left before it lapses (0 = today or already past). */
  daysLeft: number;
}

/** What still needs staff, on any day (the close is when staff act on it). */
export interface DayNeeds {
  uncaptured: UncapturedOrder[];
  /** Orders whose outcome (create or money operation) is being checked with Dintero. */
  unknown: DayOrderRef[];
  /** Orders waiting in the queue to be sent. */
  queued: DayOrderRef[];
}

export interface DayOrderRef {
  orderId: string;
  merchantReference: string;
  amount: number;
  currency: string;
}

/** Kinds of difference the check against Dintero finds (main/orders/day-check.ts). */
export type DayDifferenceKind =
  | 'unknown_payment'
  | 'outside_capture'
  | 'outside_refund'
  | 'outside_void'
  | 'updated'
  | 'missing_at_dintero';

export interface DayDifference {
  kind: DayDifferenceKind;
  merchantReference: string;
  transactionId?: string;
  orderId?: string;
  /** Minor units, for the money moved outside (capture, refund) or the unknown payment. */
  amount?: number;
  currency?: string;
  /** The plain sentence shown under "Differences from Dintero". */
  message: Message;
}

/** How the check against Dintero went. */
export type DayCheckView =
  | { status: 'checked'; at: string; read: number; differences: DayDifference[] }
  /** Dintero could not be read (offline, refused...): the figures are the journal's alone. */
  | { status: 'failed'; at: string; error: Message };

/** One capture's payout, as Dintero's settlements report it. */
export interface PayoutLine {
  orderId?: string;
  merchantReference: string;
  transactionId: string;
  currency: string;
  captured: number;
  /** Set once Dintero has paid it out. */
  settlementId?: string;
  settledAt?: string;
  fee?: number;
  /** captured - fee, minor units (only when paid out). */
  net?: number;
}

/** Which of the day's captures Dintero has paid out; never fails the whole screen. */
export type PayoutsView =
  | { status: 'read'; paidOut: PayoutLine[]; waiting: PayoutLine[] }
  /** The API client lacks the grant; `grant` names the scope to ask for. */
  | { status: 'not_granted'; grant: string }
  | { status: 'failed'; error: Message };

/** One order of the day as the books see it (CSV row, PDF list line). */
export interface DayRow {
  /** Absent for a payment learned from Dintero that no order of this desk made. */
  orderId?: string;
  merchantReference: string;
  /** ISO 8601 with the desk's offset, e.g. 2025-03-01T11:00:00.000+01:00. */
  createdAt: string;
  /** The desk (terminal name) that took the order; '' when Dintero does not say. */
  desk: string;
  /** The person at the desk who took it ('' when no staff were listed, or from Dintero). */
  staff: string;
  state: OrderState;
  currency: string;
  amount: number;
  captured: number;
  refunded: number;
  /** Method family (payment-method.ts) or '' before payment. */
  paymentMethod: MethodFamily | '';
  transactionId: string;
  /** Dintero's session ID: the payment link as Backoffice knows it. */
  sessionId: string;
  /**
   * The order's number in the shop's other system (a paylink: link's `reference`, Dintero's
   * `merchant_reference_2`); '' when none.
   */
  externalReference: string;
  /** Where the row comes from: this desk's journal, or only Dintero's list. */
  source: 'journal' | 'dintero';
}

/** Everything the day close screen shows (the rows stay in main; see DayExport). */
export interface DayCloseView {
  day: DayString;
  timeZone: string;
  /** The day's bounds with the desk's offset (inclusive). */
  from: string;
  to: string;
  scope: DayScope;
  storeId: string;
  desk: string;
  generatedAt: string;
  currencies: CurrencyDay[];
  methods: MethodDay[];
  needs: DayNeeds;
  check: DayCheckView;
  payouts: PayoutsView;
  /** Orders (rows) in the day, learned from Dintero included. */
  rowCount: number;
}

/** The whole report: the view plus its rows (CSV, PDF). */
export interface DayReport extends DayCloseView {
  rows: DayRow[];
}

/** Export formats: RFC 4180 CSV, the same for Nordic Excel (semicolons, decimal commas), PDF. */
export const DAY_EXPORT_FORMATS = ['csv', 'csv_nordic', 'pdf'] as const;
export type DayExportFormat = (typeof DAY_EXPORT_FORMATS)[number];
