/**
 * Domain types shared by main and renderer. Pure TypeScript: no electron, no Node, no DOM.
 * Amounts are always integers in the currency's minor unit (øre, cents).
 */
import type { Message } from './i18n/messages';

/** Currencies the desk can charge in. Dintero takes ISO 4217 codes. */
export const CURRENCIES = ['NOK', 'SEK', 'DKK', 'EUR', 'USD'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** Countries offered in the phone country chooser (ISO 3166-1 alpha-2). */
export const PHONE_COUNTRIES = ['NO', 'SE', 'DK', 'FI', 'DE', 'GB', 'US', 'NL', 'PL'] as const;
export type PhoneCountry = (typeof PHONE_COUNTRIES)[number];

/**
 * The life of an order in the journal.
 *
 * queued -> sending -> link_sent -> opened -> authorized -> partially_captured/captured
 *   -> partially_refunded/refunded; authorized -> voided; link_sent/opened -> expired |
 * cancelled | declined | failed; sending -> unknown (answer lost) -> link_sent | queued.
 */
export const ORDER_STATES = [
  'queued',
  'sending',
  'unknown',
  'link_sent',
  'opened',
  'authorized',
  'partially_captured',
  'captured',
  'partially_refunded',
  'refunded',
  'voided',
  'cancelled',
  'expired',
  'declined',
  'failed',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/** The one word staff see for each state on the board (stable, English; also translated). */
export const STATUS_WORDS = {
  queued: 'Queued',
  sending: 'Sending',
  unknown: 'Unknown',
  link_sent: 'Link sent',
  opened: 'Opened',
  authorized: 'Paid',
  partially_captured: 'Partially captured',
  captured: 'Captured',
  partially_refunded: 'Partially refunded',
  refunded: 'Refunded',
  voided: 'Voided',
  cancelled: 'Cancelled',
  expired: 'Expired',
  declined: 'Declined',
  failed: 'Failed',
} as const satisfies Record<OrderState, string>;
export type StatusWord = (typeof STATUS_WORDS)[OrderState];

/**
 * The state whose status word an order shows: "Unknown" while the answer to one of its money
 * operations was lost and Paylink Desk is checking with Dintero, else its own state.
 */
export function shownState(o: { state: OrderState; outcomeUnknown?: true }): OrderState {
  return o.outcomeUnknown ? 'unknown' : o.state;
}

/**
 * States after which nothing more can happen to the order. Expired, declined and failed are
 * not among them: a payment can still complete after them (a held payment released after the
 * link expired, a second attempt after a decline), and the desk keeps watching for it.
 */
export const FINAL_STATES: readonly OrderState[] = ['refunded', 'voided', 'cancelled'];

/** How the customer gets the link. */
export type Delivery = 'sms' | 'link_only';

/** One order line, as priced by the desk. */
export interface OrderItem {
  /** Dintero `line_id`: "1", "2", ... unique within the order. */
  lineId: string;
  description: string;
  quantity: number;
  /** Unit price including VAT, minor units. */
  unitPrice: number;
  /** VAT percentage, e.g. 25 for 25 %. */
  vatPercent: number;
  /** Line total including VAT (quantity x unitPrice), minor units. */
  amount: number;
  /** VAT part of the line total, minor units. */
  vatAmount: number;
}

/** A money operation in progress or finished, as the screen needs it. */
export type MoneyOperationKind = 'capture' | 'refund' | 'void' | 'cancel' | 'resend';

/** What the board and detail screens show about an order. */
export interface OrderSummary {
  id: string;
  merchantReference: string;
  state: OrderState;
  statusWord: StatusWord;
  /**
   * E.164, e.g. +4791234567. Staff see it; logs never do. {@link ERASED_PHONE} once the
   * customer's data was erased.
   */
  phone: string;
  customerName?: string;
  email?: string;
  note?: string;
  /**
   * The order's number in the shop's other system (ERP, web admin), sent to Dintero as
   * `merchant_reference_2`. Book-keeping, not customer data: kept when the customer is erased.
   */
  externalReference?: string;
  amount: number;
  currency: Currency;
  vatAmount: number;
  items: OrderItem[];
  delivery: Delivery;
  linkLifetimeHours: number;
  createdAt: string;
  updatedAt: string;
  /** Who took the order (terminal name). */
  createdBy: string;
  /**
   * The desk identity of the store's other desk that sent this order (its board shows it here
   * from Dintero); absent when this desk sent it.
   */
  originDesk?: string;
  sessionId?: string;
  /** The payment link. */
  linkUrl?: string;
  /** SMS publish status from Dintero: sent | skipped | failed. */
  smsStatus?: 'sent' | 'skipped' | 'failed';
  expiresAt?: string;
  transactionId?: string;
  paymentMethod?: string;
  authorizedAmount: number;
  capturedAmount: number;
  refundedAmount: number;
  /** Set while one money operation is in flight (one at a time per order). */
  pendingOperation?: MoneyOperationKind;
  /**
   * The answer to the pending operation (capture, refund, void) was lost: Paylink Desk is
   * checking with Dintero, no other money operation may start, and the status word is "Unknown".
   */
  outcomeUnknown?: true;
  /** The Dintero account the order was created for (sent and followed only with it). */
  accountId?: string;
  /** The latest failure, as a catalog message, if any. */
  lastError?: Message;
  /** Order this one replaced (resend link), and the one that replaced it. */
  replacesOrderId?: string;
  replacedByOrderId?: string;
  /** When the customer's phone, name, email and note were erased (kept N days, see Settings). */
  customerErasedAt?: string;
}

/**
 * What an order's phone column holds once the customer's data was erased (the column is
 * NOT NULL): no digits, so it is never taken for a number; screens show a word for it.
 */
export const ERASED_PHONE = '[erased]';

/** True for the phone of an order whose customer data was erased. */
export function isErasedPhone(phone: string): boolean {
  return phone === ERASED_PHONE;
}

/** One line of an order's timeline (also the audit trail). */
export interface OrderEvent {
  id: number;
  orderId: string;
  at: string;
  /** e.g. created, queued, sending, link_sent, opened, authorized, capture_requested, captured ... */
  kind: string;
  /** Terminal name or 'system' / 'dintero'. */
  actor: string;
  /** What happened, as a catalog message shown in the desk's language. */
  message?: Message;
  /** The English words of a line journaled before messages existed (shown as they are). */
  detail?: string;
  amount?: number;
}

/** Which actions the order allows right now, with the reason when not. */
export interface OrderActions {
  capture: ActionAvailability;
  refund: ActionAvailability;
  void: ActionAvailability;
  cancelLink: ActionAvailability;
  resendLink: ActionAvailability;
}
export type ActionAvailability =
  { allowed: true; max?: number } | { allowed: false; reason: Message };

/** Whether the app is talking to the built-in simulator or to Dintero. */
export type AppMode = 'training' | 'live';

/** Top-level status the status bar shows. */
export interface AppStatus {
  mode: AppMode;
  version: string;
  online: boolean;
  queueLength: number;
  /** Account id in use (training: the simulator's). */
  accountId?: string;
  /** T-prefixed accounts: Dintero sends no SMS. */
  testAccount: boolean;
  /** Set when the journal could not be opened; sending is stopped until resolved. */
  journalProblem?: Message;
  /** Set when settings were reset from a corrupt file (the backup path is named). */
  settingsWarning?: Message;
  /** Set when the PIN file was damaged and moved aside (PINs must be set again). */
  accessWarning?: Message;
  /** Set when the OS keychain is not available. */
  keychainProblem?: Message;
  /**
   * Set while a live desk cannot read its client secret because the keychain exists but is
   * locked, denied or its service is gone. The desk stays live: orders wait in the queue and
   * the keychain is read again until it answers. The value picks the advice staff are shown.
   */
  keychainLocked?: DeskPlatform;
  /** A newer version is downloaded and verified; staff may restart into it (packaged app only). */
  update?: UpdateStatus;
}

/** What "Restart to update" waits for: queued orders, a payment being checked, an operation. */
export type RestartBlocker = 'queue' | 'checking' | 'operation';

/** The status bar's update offer: the version ready, and what the restart waits for, if any. */
export interface UpdateStatus {
  state: 'ready';
  version: string;
  /** Set while the restart must wait (main refuses a press until the list is empty). */
  waitsFor?: RestartBlocker[];
}

/** Which operating system's words to use when telling staff how to fix the keychain. */
export type DeskPlatform = 'mac' | 'windows' | 'linux';

/** Languages the desk speaks: English, Norsk bokmål, Svenska, Dansk. */
export const LANGUAGES = ['en', 'nb', 'sv', 'da'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Non-secret preferences, kept in electron-store. The client secret lives in the keychain. */
export interface Settings {
  /** Dintero account id, ^[PT]\d{8}$, or '' when not configured. */
  accountId: string;
  clientId: string;
  profileId: string;
  returnUrl: string;
  defaultCountry: PhoneCountry;
  defaultCurrency: Currency;
  storeId: string;
  terminalName: string;
  defaultLinkLifetimeHours: number;
  /** Highest total one order may have, in major units (e.g. 100000 NOK). */
  maxOrderAmount: number;
  notifications: {
    paid: boolean;
    declined: boolean;
    expired: boolean;
    authorizationLapsing: boolean;
    /** Warn this many days after authorization if still not captured. */
    lapseWarningDays: number;
  };
  language: Language;
  /**
   * Days a finished order keeps its customer's phone, name, email and note after its last
   * activity; then they are erased (amounts, references, times and who did what stay).
   */
  customerDataDays: number;
  /**
   * Who may be at the desk: staff choose their name, and the timeline, audit trail, exports
   * and notifications name them beside the desk. Empty: the desk alone. Each may have a PIN,
   * kept apart from settings as a slow hash (main/access).
   */
  staff: string[];
  /**
   * Refunds above this amount (major units, in the order's currency) need the manager PIN;
   * null: never.
   */
  refundApprovalAbove: number | null;
  /** The shop's own refund reasons, shown as written; empty: the built-in list. */
  refundReasons: string[];
}

/** What the renderer may know about the client secret: never the secret itself. */
export interface SecretStatus {
  configured: boolean;
  /** Last four characters, shown as "configured, ending in 1234". */
  last4?: string;
  /** The keychain cannot be read right now, so whether a secret is stored is not known. */
  unreadable?: boolean;
}

/** Result of "Test connection". */
export type ConnectionTestOutcome =
  'works' | 'wrong_credentials' | 'not_granted' | 'no_network' | 'unavailable' | 'not_configured';

/** An SMS the training simulator would have sent. */
export interface TrainingSms {
  id: string;
  at: string;
  to: string;
  text: string;
  url: string;
  sessionId: string;
}

/** A session as the training panel shows it, so staff can play the customer. */
export interface TrainingSession {
  sessionId: string;
  merchantReference: string;
  amount: number;
  currency: Currency;
  state: 'open' | 'visited' | 'paid' | 'declined' | 'cancelled' | 'expired';
}
