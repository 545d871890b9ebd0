/**
 * Public types of the training simulator: its options, the object `startSimulator` returns,
 * fault rules and counters. The simulator speaks the Dintero subset in main/dintero/types.ts.
 */
import type { TrainingSession, TrainingSms } from '../../common/domain';
import type {
  DinteroCredentials,
  DinteroSession,
  DinteroSettlement,
  DinteroTransaction,
  PublishStatus,
  SettlementStatus,
} from '../dintero/types';
import type { Logger } from '../log';
import type { LagSettings } from './lag';

export type { LagSettings } from './lag';

/** Names of the Dintero routes the simulator serves; fault rules and counters use them. */
export const ROUTE_NAMES = [
  'token',
  'create',
  'getSession',
  'listSessions',
  'cancel',
  'qr',
  'getTransaction',
  'listTransactions',
  'capture',
  'refund',
  'void',
  'listSettlements',
] as const;
/** One Dintero route of the simulator. */
export type RouteName = (typeof ROUTE_NAMES)[number];

/** What a fault rule does to a matching request. */
export const FAULT_KINDS = [
  'status',
  'rate_limit',
  'drop_after_commit',
  'reset',
  'hang',
  'hang_after_commit',
  'slow_body',
  'invalid_json',
  'latency',
] as const;
/**
 * - status: answer `status` (default 503) without performing; optional Retry-After.
 * - rate_limit: 429 + Retry-After (`retryAfterSeconds`, default 1) without performing.
 * - drop_after_commit: perform fully, then destroy the socket without answering.
 * - reset: destroy the socket before doing anything.
 * - hang: never answer (until the client gives up or the simulator stops); not performed.
 * - hang_after_commit: perform, then never answer.
 * - slow_body: perform, send headers, then trickle the body over `delayMs`.
 * - invalid_json: perform, answer 200 with a broken JSON body.
 * - latency: delay the answer by `delayMs` (combines with any other rule).
 */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A fault switch for tests. Rules are checked in the order they were added. */
export interface FaultRule {
  /** Route name, or '*' for every Dintero route (never the /__sim control routes). */
  route: RouteName | '*';
  kind: FaultKind;
  /** kind 'status': the HTTP status (default 503). */
  status?: number;
  /** kind 'status' / 'rate_limit': Retry-After header, in seconds. */
  retryAfterSeconds?: number;
  /** kind 'latency' / 'slow_body' (default 1000 / 500). */
  delayMs?: number;
  /** Apply this many times, then the rule is dropped. Unset = until cleared. */
  times?: number;
  /** Apply to 1 in N matching requests: the Nth, 2Nth, ... (unset = every one). */
  every?: number;
  /** Apply with this probability (0..1), drawn from the simulator's `random`. */
  probability?: number;
}

/** A stored rule with its id and how often it applied. */
export interface ActiveFaultRule extends FaultRule {
  id: string;
  applied: number;
  seen: number;
}

/** The fault switches of a running simulator. */
export interface FaultController {
  /** Adds a rule; returns its id. Throws on an invalid rule. */
  add(rule: FaultRule): string;
  /** Removes one rule; true when it existed. */
  remove(id: string): boolean;
  /** Removes every rule and the global latency. */
  clear(): void;
  /** The current rules (copies). */
  list(): ActiveFaultRule[];
  /** Delays every Dintero answer by `ms` (0 = off). */
  setLatency(ms: number): void;
}

/** Counters a test or the training panel can read. Per run; not persisted. */
export interface SimulatorStats {
  tokenRequests: number;
  /** Tokens actually issued (200 answers). */
  tokensIssued: number;
  /** Sessions created, per merchant_reference: >1 means a duplicate (customer texted twice). */
  sessionsCreated: Record<string, number>;
  /** SMS "sent", per phone number. */
  smsSent: Record<string, number>;
  /** Every request that reached a Dintero route, per route name (including faulted ones). */
  requests: Partial<Record<RouteName, number>>;
  /** Operations applied (the final event written), counted once each. */
  capturesApplied: number;
  refundsApplied: number;
  voidsApplied: number;
  /** Fault rule applications, per kind. */
  faultsApplied: Partial<Record<FaultKind, number>>;
}

/** How async (202) operations finish: on the next read / a short timer, or only on demand. */
export type AsyncSettleMode = 'auto' | 'manual';

/** Options of startSimulator. Every field is optional. */
export interface SimulatorOptions {
  /** 0 (default) = a random free port. The host is always 127.0.0.1. */
  port?: number;
  /** Default: account P00000000, client id 'training', a random per-run secret. */
  credentials?: Partial<DinteroCredentials>;
  /** expires_in of issued tokens (default 14400 s, Dintero's 4 hours). */
  tokenLifetimeSeconds?: number;
  /** Injectable clock (ms since epoch). Default Date.now. */
  now?: () => number;
  /** Injectable randomness for probabilistic faults (default Math.random). */
  random?: () => number;
  /** Answer capture/refund/void with 202 and finish later. Default false. */
  asyncOperations?: boolean;
  /** Delay before an async operation finishes by itself, in 'auto' mode (default 50 ms). */
  asyncDelayMs?: number;
  /** JSON file holding sessions, transactions and SMS; loaded at start, written on change. */
  stateFile?: string;
  /** Shop name used in the SMS text (default 'Paylink Desk'). */
  storeName?: string;
  /** Delay every Dintero answer by this many ms (default 0). */
  latencyMs?: number;
  /**
   * Search lag (default 0): a new session shows in `GET /v1/sessions` listings that are not
   * by `id=` (search, created_at window) only this many ms after it was created.
   */
  searchLagMs?: number;
  /**
   * Event lag (default 0): transaction reads and the session's payment fields (transaction_id,
   * payment events) show a write only this many ms after it happened. Writes are not lagged.
   */
  eventLagMs?: number;
  /** Wall-clock jump at start (default 0): added to `now` for Dintero's timestamps. */
  clockOffsetMs?: number;
  /**
   * Days the SMS texts are kept (unset = for good): older ones are dropped at start and then
   * once a day, with the days read on each run.
   */
  smsKeepDays?: () => number;
  logger?: Logger;
}

/** A session as the simulator stores and returns it (Dintero's read shape). */
export interface SimSession extends DinteroSession {
  url: { return_url: string; callback_url?: string; merchant_terms_url?: string };
  configuration: {
    publish?: PublishStatus[];
    channel?: string;
    auto_capture?: boolean;
  };
  expires_at: string;
  events: NonNullable<DinteroSession['events']>;
  metadata: Record<string, string>;
}

/** A transaction as the simulator stores and returns it. */
export interface SimTransaction extends DinteroTransaction {
  events: NonNullable<DinteroTransaction['events']>;
  customer?: { phone_number?: string; email?: string };
  items?: Array<Record<string, unknown>>;
  card?: { brand: string; masked_pan: string };
  settlement_status: SettlementStatus;
  metadata: Record<string, string>;
}

/** How a held (ON_HOLD) payment's review ends. */
export type HoldOutcome = 'authorized' | 'failed';

/** What a payment method choice on the customer page maps to. */
export type CustomerPaymentMethod = 'vipps' | 'card';

/** Emitted events: 'sms' (a TrainingSms) and 'change' (any state change). */
export interface SimulatorEvents {
  sms: (sms: TrainingSms) => void;
  change: () => void;
}

/** The running simulator. */
export interface Simulator {
  /** Base URL (http://127.0.0.1:port) for both the api host and the checkout host paths. */
  readonly url: string;
  readonly port: number;
  readonly credentials: DinteroCredentials;
  /** False while stopped (an outage) or after close(). */
  readonly running: boolean;
  /** Stops for good: closes the listener, destroys open sockets, cancels timers. */
  close(): Promise<void>;
  /** An outage: close the listener and destroy open sockets. New connections are refused. */
  stop(): Promise<void>;
  /** Ends an outage: listens again on the same port, state kept. */
  restart(): Promise<void>;

  /** The customer opens the link (VISITED event). Refused when cancelled/expired. */
  open(sessionId: string): DinteroSession;
  /** The customer pays: an AUTHORIZED transaction for the order amount. */
  pay(sessionId: string, opts?: { method?: CustomerPaymentMethod }): DinteroTransaction;
  /** The customer declines: a DECLINED transaction and a DECLINED session event. */
  decline(sessionId: string): DinteroTransaction;
  /** The link lapses now: expires_at is moved to the current time. */
  expire(sessionId: string): DinteroSession;
  /** The customer pays into a review hold: the transaction stays ON_HOLD until release(). */
  hold(sessionId: string, opts?: { method?: CustomerPaymentMethod }): DinteroTransaction;
  /**
   * The review ends: the ON_HOLD transaction becomes AUTHORIZED (default) or FAILED, also
   * after the link expired. Refused (CustomerActionError 'not_on_hold') otherwise.
   */
  release(sessionId: string, outcome?: HoldOutcome): DinteroTransaction;

  /** The read lags now in force. */
  lag(): LagSettings;
  /** Changes one or both lags (ms ≥ 0); returns the lags now in force. */
  setLag(lag: Partial<LagSettings>): LagSettings;
  /** Dintero's wall time (ms): the injected clock plus the jump offset. */
  now(): number;
  /** The current wall-clock offset in ms. */
  readonly clockOffsetMs: number;
  /** Jumps Dintero's wall clock by `ms` (negative = back); returns the new offset. */
  jumpClock(ms: number): number;

  /** Every SMS "sent", oldest first. */
  sms(): TrainingSms[];
  /** Drops the SMS texts older than `days` by Dintero's clock (and saves); returns how many. */
  pruneSms(days: number): number;
  /** The training panel's view of every session, newest first. */
  sessions(): TrainingSession[];
  /** One session in Dintero's shape, or undefined. */
  getSession(sessionId: string): SimSession | undefined;
  /** One transaction in Dintero's shape, or undefined. */
  getTransaction(transactionId: string): SimTransaction | undefined;
  /** Every transaction, newest first. */
  transactions(): SimTransaction[];
  /** Every settlement paid out by Dintero's clock now, newest first (settlements.ts). */
  settlements(): DinteroSettlement[];
  /**
   * Whether the API client holds the settlements grant (default true). False: GET
   * /v1/accounts/{aid}/settlements answers 403, as for a client without read:settlements.
   */
  readonly settlementsGranted: boolean;
  setSettlementsGranted(granted: boolean): void;
  /** Subscribes to 'sms' or 'change'; returns an unsubscribe function. */
  on<E extends keyof SimulatorEvents>(event: E, listener: SimulatorEvents[E]): () => void;

  readonly faults: FaultController;
  stats(): SimulatorStats;
  /** Switches 202 mode for capture/refund/void. 'manual' settles only on settlePending(). */
  setAsyncOperations(on: boolean, settle?: AsyncSettleMode): void;
  /** Finishes every accepted (202) operation now; returns how many finished. */
  settlePending(): number;
}
