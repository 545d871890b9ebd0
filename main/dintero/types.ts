/**
 * The Dintero Checkout API as Paylink Desk uses it: request/response shapes (Dintero's own
 * field names, see test/fixtures/dintero/ and https://docs.dintero.com/checkout-api) and the
 * client interface the order engine calls.
 * The real client (client.ts, got) and the training simulator (main/training) both follow it.
 */

export interface DinteroCredentials {
  /** ^[PT]\d{8}$ — T accounts are test accounts (Dintero sends no SMS for them). */
  accountId: string;
  clientId: string;
  clientSecret: string;
}

export interface DinteroOrderItem {
  line_id: string;
  id?: string;
  description?: string;
  quantity?: number;
  /** Line total incl. VAT, minor units. */
  amount: number;
  vat_amount?: number;
  /** VAT percentage. */
  vat?: number;
}

/** Body of POST /v1/sessions-profile. */
export interface CreateSessionRequest {
  profile_id: string;
  url: { return_url: string; callback_url?: string };
  customer?: { phone_number?: string; email?: string; first_name?: string; last_name?: string };
  order: {
    amount: number;
    currency: string;
    merchant_reference: string;
    /** A second reference of the merchant's (ours: the order's number in the shop's other system). */
    merchant_reference_2?: string;
    vat_amount?: number;
    items?: DinteroOrderItem[];
    store?: { id: string; name?: string; terminal_id?: string };
  };
  configuration?: {
    publish?: Array<{ type: 'checkout-link'; channel: 'sms' }>;
    channel?: 'in_store';
  };
  expires_at?: string;
  metadata?: Record<string, string>;
}

export interface PublishStatus {
  id?: string;
  type: string;
  channel: string;
  status?: 'sent' | 'skipped' | 'failed';
}

/** 200 answer of POST /v1/sessions-profile. */
export interface CreateSessionResult {
  id: string;
  url: string;
  publish?: PublishStatus[];
}

export interface SessionEvent {
  id?: string;
  name: string;
  created_at: string;
  request_id?: string;
  details?: Record<string, unknown>;
}

/** A session as GET /v1/sessions/{id} and GET /v1/sessions return it (fields we read). */
export interface DinteroSession {
  id: string;
  created_at: string;
  updated_at?: string;
  expires_at?: string;
  url?: { return_url?: string };
  order: CreateSessionRequest['order'];
  customer?: CreateSessionRequest['customer'];
  configuration?: { publish?: PublishStatus[] };
  transaction_id?: string;
  events?: SessionEvent[];
  cancelled_at?: string;
  cancelled_by?: string;
  /** As created (ours: ext_terminal, ext_desk_id, ext_order_id), plus Dintero's own keys. */
  metadata?: Record<string, unknown>;
}

export type TransactionStatus =
  | 'INITIATED'
  | 'ON_HOLD'
  | 'AUTHORIZED'
  | 'PARTIALLY_CAPTURED'
  | 'PARTIALLY_CAPTURED_REFUNDED'
  | 'CAPTURED'
  | 'PARTIALLY_REFUNDED'
  | 'REFUNDED'
  | 'AUTHORIZATION_VOIDED'
  | 'DECLINED'
  | 'FAILED'
  | 'UNKNOWN';

export interface TransactionEvent {
  id?: string;
  event:
    | 'INITIALIZE'
    | 'AUTHORIZE'
    | 'CAPTURE'
    | 'REFUND'
    | 'VOID'
    | 'INITIATE_CAPTURE'
    | 'INITIATE_REFUND'
    | 'INITIATE_VOID'
    | 'SETTLEMENT';
  success: boolean;
  amount?: number;
  created_at: string;
  created_by?: string;
  request_id?: string;
  correlation_request_id?: string;
  /** Our capture_reference / refund_reference. */
  event_reference?: string;
  transaction_status?: TransactionStatus;
  error?: { code?: string; message?: string; type?: string };
  /** Payouts this event was part of (the spec's `TransactionSettlementsRead`). */
  settlements?: TransactionSettlementsRead;
}

/** Overall settlement status (the spec's `SettlementStatus`). */
export type SettlementStatus =
  'NOT_SETTLED' | 'PENDING_SETTLEMENT' | 'PARTIALLY_SETTLED' | 'SETTLED';

/** One payout an event was part of (the spec's `TransactionSettlementsEvent`). */
export interface TransactionSettlementsEvent {
  /** Id of the settlement (GET …/settlements) this was paid in. */
  settlement_id: string;
  provider_reference: string;
  /** Id of the transaction event this matches. */
  event_correlation_id?: string;
  /** Paid out in this settlement: capture − refund − fee, minor units. */
  amount: number;
  capture?: number;
  refund?: number;
  fee?: number;
}

/** `events[].settlements` of a transaction (the spec's `TransactionSettlementsRead`). */
export interface TransactionSettlementsRead {
  /** One item per payout to the merchant's bank account. */
  events: TransactionSettlementsEvent[];
  settlement_status?: SettlementStatus;
}

/** One currency's sums in a settlement; `amount = capture - refund - fee`, minor units. */
export interface SettlementAmount {
  amount: number;
  capture?: number;
  refund?: number;
  fee?: number;
  currency: string;
}

/**
 * A settlement (payout) as GET {api}/v1/accounts/{aid}/settlements lists it (the spec's
 * `SettlementItem`; every field but `id` is optional there).
 */
export interface DinteroSettlement {
  id: string;
  /** Settlement date. */
  settled_at?: string;
  /** First and last payment event in the settlement. */
  start_at?: string;
  end_at?: string;
  provider?: string;
  provider_reference?: string;
  amounts?: SettlementAmount[];
  /** `postponed`: the amount was not paid out yet. */
  payment_status?: 'paid' | 'postponed';
  /** Set only when every transaction in it has this store. */
  store_id?: string;
  payout_destination_id?: string;
  attachments?: Array<{
    id?: string;
    key?: string;
    content_type?: string;
    extension?: string;
    created_by?: string;
  }>;
}

/** Where a settlement listing continues: `last_evaluated_key` of the previous page. */
export interface SettlementCursor {
  /** Sent as `starting_after_id`. */
  id: string;
  /** The settlement's `settled_at`, sent as `starting_after_date`. */
  settledAt: string;
}

/**
 * GET {api}/v1/accounts/{aid}/settlements query. The spec's date filters are `created_at.gte`
 * / `created_at.lte` (format date), which filter on `settled_at`. `item_created_at` filters
 * are in neither payments spec this project has, so they are not offered.
 */
export interface SettlementListQuery {
  /** Settled on or after this date, YYYY-MM-DD (`created_at.gte`). */
  settledGte?: string;
  /** Settled on or before this date, YYYY-MM-DD (`created_at.lte`). */
  settledLte?: string;
  /** Page size, 1..1000 (default 100 here; Dintero's default is 10). */
  limit?: number;
  /** Start after this item (`starting_after_id` + `starting_after_date`, always together). */
  startingAfter?: SettlementCursor;
}

/** One page of settlements, and where the next one starts (absent = the last page). */
export interface SettlementPage {
  items: DinteroSettlement[];
  next?: SettlementCursor;
}

/** A transaction as GET /v1/transactions/{id} and GET /v1/transactions return it. */
export interface DinteroTransaction {
  id: string;
  session_id?: string;
  created_at: string;
  updated_at?: string;
  status: TransactionStatus;
  /** Authorized total, minor units. */
  amount: number;
  currency: string;
  merchant_reference: string;
  merchant_reference_2?: string;
  payment_product?: string;
  payment_product_type?: string;
  /** Copied from the session's `order.store` (the store a day close filters on). */
  store?: { id: string; name?: string };
  events?: TransactionEvent[];
  settlement_status?: SettlementStatus;
}

export interface CaptureRequest {
  amount: number;
  capture_reference: string;
  items?: Array<{ line_id: string; amount: number; quantity?: number }>;
}

export interface RefundRequest {
  amount: number;
  reason?: string;
  refund_reference: string;
  items?: Array<{ line_id: string; amount: number; quantity?: number }>;
}

/**
 * Result of capture/refund/void: 200 = done; 202 = accepted, finishes later. After a 202,
 * watch the transaction for an event whose correlation_request_id equals eventRequestId.
 */
export type OperationResult =
  | { status: 'done'; transaction: DinteroTransaction }
  | { status: 'accepted'; transaction: DinteroTransaction; eventRequestId: string };

export interface SessionListQuery {
  /** Only these session ids (repeatable `id`). */
  ids?: string[];
  /** Fuzzy match on merchant_reference; callers filter exactly afterwards. */
  search?: string;
  createdGte?: string;
  createdLte?: string;
  /**
   * Only sessions of these stores (`store_id`, `order.store.id`; in Dintero's full spec, not
   * the public one: callers also check each session's store themselves).
   */
  storeIds?: string[];
  /** 1..100 */
  limit?: number;
  startingAfter?: string;
}

export interface TransactionListQuery {
  ids?: string[];
  sessionIds?: string[];
  merchantReference?: string;
  /** ISO 8601 bounds on created_at (`created_at.gte` / `created_at.lte`): a day's window. */
  createdGte?: string;
  createdLte?: string;
  /** Only transactions of these stores (repeatable `store_id`). */
  storeIds?: string[];
  limit?: number;
  startingAfter?: string;
}

/** What the order engine needs from Dintero. Every method rejects with a DinteroError. */
export interface DinteroClient {
  /**
   * Dintero's clock now, from the Date header of the latest answer plus the monotonic time
   * since; undefined before any answer (or when answers carry no Date). Link expiry is judged
   * by this clock, not the desk's.
   */
  serverNow?(): number | undefined;
  /** POST /v1/sessions-profile. Never retried blindly: a lost answer is OUTCOME_UNKNOWN. */
  createSession(req: CreateSessionRequest): Promise<CreateSessionResult>;
  getSession(sessionId: string): Promise<DinteroSession>;
  /** One page of GET /v1/sessions. */
  listSessions(query: SessionListQuery): Promise<DinteroSession[]>;
  /** All pages (follows starting_after) up to maxItems. */
  listAllSessions(query: SessionListQuery, maxItems?: number): Promise<DinteroSession[]>;
  cancelSession(sessionId: string): Promise<DinteroSession>;
  /** POST /v1/sessions/{id}/qr -> data:image/png;base64,... */
  sessionQr(sessionId: string, opts?: { size?: number }): Promise<string>;
  getTransaction(transactionId: string): Promise<DinteroTransaction>;
  /** One page of GET /v1/transactions. */
  listTransactions(query: TransactionListQuery): Promise<DinteroTransaction[]>;
  listAllTransactions(
    query: TransactionListQuery,
    maxItems?: number,
  ): Promise<DinteroTransaction[]>;
  /**
   * Every page of GET {apiUrl}/v1/accounts/{aid}/settlements (the core API host, scope
   * read:settlements), following `last_evaluated_key`, up to maxItems (default 1000). A
   * client without the grant gets a DinteroError of kind 'permission' (403).
   */
  listSettlements(query: SettlementListQuery, maxItems?: number): Promise<DinteroSettlement[]>;
  capture(transactionId: string, req: CaptureRequest): Promise<OperationResult>;
  refund(transactionId: string, req: RefundRequest): Promise<OperationResult>;
  void(transactionId: string): Promise<OperationResult>;
  /** Gets a token (cached) and reads one list call; classifies the outcome for Settings. */
  testConnection(): Promise<
    'works' | 'wrong_credentials' | 'not_granted' | 'no_network' | 'unavailable'
  >;
}
