/**
 * The order engine's face towards the IPC handlers and the Electron shell. Implemented by
 * createOrderEngine (engine.ts); everything behind it is plain Node and runs in tests.
 */
import type { RefundApproval } from './transaction-ops';
import type { RefundReason } from '../../common/refund-reason';
import type { DayCloseQuery, DayCloseView, DayReport } from '../../common/day-close';
import type { Message } from '../../common/i18n/messages';
import type {
  NewOrderInput,
  OrderDetail,
  OrderFilter,
  OrderPage,
  OrderPageInput,
  CreateOrderResult,
} from '../../common/ipc-contract';
import type { OrderSummary, Settings } from '../../common/domain';
import type { DinteroClient } from '../dintero/types';
import type { Logger } from '../log';

/** A desktop notification the shell should show (decided in plain Node, shown by Electron). */
export interface NotificationRequest {
  orderId: string;
  kind:
    | 'paid'
    | 'paid_late'
    | 'declined'
    | 'failed'
    | 'expired'
    | 'authorization_lapsing'
    | 'duplicate_cancelled'
    | 'duplicate_paid';
  /** Catalog messages; the shell shows them in the desk's language. */
  title: Message;
  body: Message;
  /** Actions offered where the platform supports them. */
  actions: Array<'capture' | 'open'>;
}

export interface EngineEvents {
  orderChanged: (order: OrderSummary) => void;
  /** Connectivity or queue length changed. */
  statusChanged: (s: { online: boolean; queueLength: number }) => void;
  notify: (n: NotificationRequest) => void;
}

export interface EngineSettings {
  profileId: string;
  returnUrl: string;
  storeId: string;
  terminalName: string;
  /** This installation's random identity (main/desk-identity.ts), part of every reference. */
  deskId: string;
  /** Highest order total, major units. */
  maxOrderAmount: number;
  notifications: Settings['notifications'];
  /** Days a finished order keeps its customer's data after its last change (Settings). */
  customerDataDays: number;
}

export interface OrderEngineOptions {
  /** Folder holding journal.sqlite (and where a broken journal is moved aside). */
  dataDir: string;
  /** The Dintero client in use (real, or pointed at the training simulator). */
  client: DinteroClient;
  /** Read on every use, so settings changes apply at once. */
  settings: () => EngineSettings;
  logger: Logger;
  /**
   * The Dintero account the client serves. Every new order records it; queued and unknown
   * orders are sent and reconciled, and orders followed and acted on, only with this account.
   */
  accountId: string;
  /** Injectable clock (ms since epoch) for tests. */
  now?: () => number;
  /** Injectable monotonic clock (ms) for tests; default performance.now. */
  monotonic?: () => number;
  /** Outbox concurrency (default 4). */
  concurrency?: number;
  /** Poll intervals etc. can be shortened in tests. */
  timing?: Partial<EngineTiming>;
  /** Random source for jitter (tests make it deterministic). */
  random?: () => number;
  /** The desk's IANA time zone, for the day close (default: the computer's). */
  timeZone?: string;
  /**
   * Largest journal whose integrity check runs as it opens (journal-open.ts); a larger one is
   * checked by the journal's helper thread while the desk starts, and nothing is sent (links,
   * money operations, status reads) until it passes. Tests set 0 to check off-thread.
   */
  inlineCheckMaxBytes?: number;
}

export interface EngineTiming {
  /** Poll interval for links younger than 10 minutes (default 3000). */
  pollFastMs: number;
  /** Poll interval for older live orders (default 30000). */
  pollSlowMs: number;
  /** First retry backoff (default 1000) and cap (default 60000). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How often to probe Dintero while offline (default 5000). */
  probeMs: number;
  /**
   * How long after a create (or a money operation) lost its answer before a search that finds
   * nothing counts as proof that nothing was made (default 5000): a new session may take a
   * moment to become searchable.
   */
  reconcileDelayMs: number;
  /**
   * "Absent" (no session for a lost create, no event for a lost capture/refund/void) is only
   * believed after `absenceReads` successful reads spread over at least this many monotonic
   * ms all showed nothing (default 60000 and 3).
   */
  absenceWindowMs: number;
  absenceReads: number;
  /**
   * How long expired, declined and failed links are still read (slowly) for a payment that
   * completes late (default 48 h).
   */
  lateGraceMs: number;
  /**
   * How long after an uncertain create the poller searches for a second session carrying the
   * same merchant reference (default 48 h).
   */
  duplicateWatchMs: number;
  /** How long stop() waits for calls in flight before closing the journal (default 5000). */
  stopTimeoutMs: number;
  /** How often old customer data is erased, after once at start (default 24 h). */
  customerDataEveryMs: number;
}

/**
 * Unfinished work, counted from the journal (main/updates/restart-gate.ts decides on it):
 * orders queued, sending or with a lost create answer (the status bar's queue); orders whose
 * capture, refund or void lost its answer and is being checked with Dintero; orders with a
 * money or link operation (capture, refund, void, cancel, resend) in flight.
 */
export interface PendingWork {
  queued: number;
  outcomeUnknown: number;
  operationsPending: number;
}

export interface OrderEngine {
  /** Starts the outbox and the poller; resumes whatever a crash left. */
  start(): void;
  /** Stops timers and waits for in-flight calls to settle (bounded). */
  stop(): Promise<void>;
  /** Validates (common/order-input) and journals durably before resolving. */
  createOrder(input: NewOrderInput, actor: string): Promise<CreateOrderResult>;
  checkDuplicate(
    input: Pick<NewOrderInput, 'phone' | 'country' | 'amount' | 'currency'>,
  ): OrderSummary[];
  listOrders(filter?: OrderFilter): { orders: OrderSummary[]; total: number };
  /** One page of the board, read from the journal through its indexes (board-page.ts). */
  pageOrders(q: OrderPageInput): OrderPage;
  getOrder(id: string): OrderDetail;
  capture(id: string, amount: number | undefined, actor: string): Promise<OrderSummary>;
  /**
   * Refunds `amount` (default: everything refundable). A plain string reason is the shop's
   * own words. `approval` records that the manager PIN approved it (checked by the caller,
   * main/access/refund-approval.ts), journaled with the request in one transaction.
   */
  refund(
    id: string,
    amount: number | undefined,
    reason: string | RefundReason,
    actor: string,
    approval?: RefundApproval,
  ): Promise<OrderSummary>;
  void(id: string, actor: string): Promise<OrderSummary>;
  cancelLink(id: string, actor: string): Promise<OrderSummary>;
  resendLink(id: string, delivery: 'sms' | 'link_only', actor: string): Promise<OrderSummary>;
  /** Link and QR code (data URL) for an order that has a session. */
  qr(id: string): Promise<{ url: string; qrDataUrl: string }>;
  /**
   * Orders of this journal's current account that still need it: queued, sending or unknown,
   * followed (link open, paid and not settled), or with an operation in flight. Asked before
   * the account is changed.
   */
  ordersNeedingAccount(): OrderSummary[];
  /** Unfinished work of the current account: what a restart into an update waits for. */
  pendingWork(): PendingWork;
  /** Puts a failed create back in the queue (staff pressed Retry). */
  retry(id: string, actor: string): OrderSummary;
  status(): {
    online: boolean;
    queueLength: number;
    journalProblem?: Message;
    /** Set while sending is paused because Dintero refused the credentials. */
    sendingPaused?: Message;
  };
  on<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): () => void;
  /** The day close's screen: the day read from the journal and checked against Dintero. */
  dayCloseView(q: DayCloseQuery): Promise<DayCloseView>;
  /** The day close with its rows (CSV, PDF), from the last read of that day. */
  dayReport(q: DayCloseQuery): Promise<DayReport>;
}
