/**
 * The one in-memory Dintero for tests: a DinteroClient over the training simulator's own core
 * (main/training), so engine tests, the model battery and the training desk all meet the same
 * model of Dintero's rules. Every call goes to the simulator's route handlers in-process
 * (request validation, sessions, SMS publish, capture/refund/void bounds and statuses, 202
 * mode, listings and paging, the read lags of main/training/lag.ts) and their answer is turned
 * into a result or a DinteroError by the real client's classifier (main/dintero/classify.ts),
 * as if it had come over HTTP. Nothing here re-implements a Dintero rule.
 *
 * What a test adds on top, all off by default:
 * - the customer: `open`, `pay` (or scripted `DECLINED`/`ON_HOLD`), `decline`, `hold`,
 *   `release`, and Backoffice work (`captureElsewhere`, `refundElsewhere`, `voidElsewhere`);
 * - 202 answers (`asyncOperations`), finished by `settleAsync()`, or on the next read of the
 *   transaction when `settleOnRead` is set;
 * - Dintero's unkindness: `lag`, `jumpClock`;
 * - payouts: the simulator's settlements (main/training/settlements.ts: next day 06:00 UTC by
 *   Dintero's clock, 2.5 % fee), read with `listSettlements`; `settlementsGranted = false`
 *   makes that route answer 403 like a client without read:settlements;
 * - faults: `offline`; route rules (`fail(route, kind)`: nothing sent, 5xx, 429, answer lost
 *   before or after the work, 400, 401, hang); and a queue of `faults` that hit the NEXT calls
 *   whatever their route (`5xx`, `hang`, optionally after Dintero did the work), a hung
 *   request possibly arriving late (`lateWindowMs`) when the client gives up (`releaseHung`);
 * - counters: `calls`/`count(route)`, `createRequests`, creates in flight, sessions per
 *   reference, SMS per session.
 *
 * Every call resolves through microtasks only (no timers), so a test can tell "finished" from
 * "stuck on a hung call" by waiting for the next macrotask.
 */
import {
  clampLimit,
  clampSettlementLimit,
  sessionParams,
  settlementParams,
  transactionParams,
} from '../../main/dintero/list-params';
import {
  listAllPages,
  listAllSettlementPages,
  readSettlementPage,
} from '../../main/dintero/paging';
import type { IncomingHttpHeaders } from 'node:http';
import { errorFromResponse } from '../../main/dintero/classify';
import { DinteroError } from '../../main/dintero/errors';
import type {
  CaptureRequest,
  CreateSessionRequest,
  CreateSessionResult,
  DinteroClient,
  DinteroSession,
  DinteroSettlement,
  DinteroTransaction,
  OperationResult,
  RefundRequest,
  SessionListQuery,
  SettlementListQuery,
  SettlementPage,
  TransactionListQuery,
  TransactionStatus,
} from '../../main/dintero/types';
import { issueToken, type TokenTable } from '../../main/training/auth';
import {
  declineSession,
  holdSession,
  openSession,
  paySession,
  releaseHold,
} from '../../main/training/customer';
import { errorAnswer, type RouteAnswer } from '../../main/training/http-io';
import type { LagSettings } from '../../main/training/lag';
import {
  capture as captureNow,
  refund as refundNow,
  settleAll,
  settlePendingFor,
  totals,
  voidTransaction,
} from '../../main/training/money';
import { matchRoute } from '../../main/training/routes';
import { settleDue, settlementsOf } from '../../main/training/settlements';
import { SimCore } from '../../main/training/state';
import type { RouteName, SimSession, SimTransaction } from '../../main/training/types';

/** A Dintero route a fault rule can name (the simulator's route names, without the token). */
export type Route = Exclude<RouteName, 'token'>;

/** What a route fault rule does. */
export type FaultKind =
  /** Nothing reaches Dintero. */
  | 'network'
  /** 5xx, nothing done. */
  | 'unavailable'
  /** 5xx, but the work was done. */
  | 'unavailable_after_commit'
  /** 429, nothing done. */
  | 'rate_limited'
  /** Done, then the answer is lost. */
  | 'drop_after_commit'
  /** Answer lost, nothing done. */
  | 'drop_before_commit'
  /** 400 with a message. */
  | 'invalid_request'
  /** 401. */
  | 'authentication'
  /** Never answers, nothing done. */
  | 'hang'
  /** Never answers, work done. */
  | 'hang_after_commit';

interface RouteFault {
  route: Route | '*';
  kind: FaultKind;
  times: number;
  message?: string;
  retryAfterMs?: number;
}

/** One queued fault: hits the next call, whatever its route. */
export interface QueuedFault {
  /** 502 (a POST's outcome is then unknown, a GET's Dintero unavailable), or no answer. */
  kind: '5xx' | 'hang';
  /** Dintero did the work before the answer was lost. */
  afterCommit: boolean;
}

/** Options of the in-memory Dintero. */
export interface MemoryDinteroOptions {
  /**
   * A request that hung before Dintero acted may still arrive late: when the client gives up
   * (releaseHung) within this many ms of sending it, Dintero carries it out then. 0 = never.
   */
  lateWindowMs?: number;
  /** The account the sessions belong to (default P00000000: SMS are "sent"). */
  accountId?: string;
}

/** How a scripted payment attempt ends. */
export type PaymentOutcome = Extract<TransactionStatus, 'AUTHORIZED' | 'DECLINED' | 'ON_HOLD'>;

const BASE_URL = 'https://memory.dintero.test';
const enc = encodeURIComponent;

/** One wire call, as the real client (main/dintero/client.ts) makes it. */
interface WireCall {
  route: Route;
  method: 'GET' | 'POST';
  path: string;
  operation: string;
  query?: URLSearchParams;
  json?: unknown;
  /** Runs just before Dintero handles the call (settle-on-read). */
  before?: () => void;
}

/** A DinteroClient over the simulator's core, for tests. */
export class MemoryDintero implements DinteroClient {
  /** The simulator's state: sessions, transactions, SMS, counters, lags, clock. */
  readonly core: SimCore;
  readonly calls: Record<string, number> = {};
  /** Every call fails with a network error (nothing sent) while true. */
  offline = false;
  /** A read of a transaction (or a transaction list) first finishes accepted operations. */
  settleOnRead = false;
  /** Faults that hit the next calls in order, whatever their route. */
  readonly faults: QueuedFault[] = [];
  /** Rejecters of hung calls (releaseHung answers them all). */
  readonly hung: Array<() => void> = [];
  /** Awaited inside every create before it is carried out (tests hold creates in flight). */
  createGate: (() => Promise<void>) | undefined;
  /** Creates running right now, and the most seen at once. */
  createsInFlight = 0;
  peakCreates = 0;
  /** Every create request received. */
  readonly createRequests: CreateSessionRequest[] = [];

  private routeFaults: RouteFault[] = [];
  private readonly tokens: TokenTable = new Map();
  private readonly headers: IncomingHttpHeaders;
  private readonly lateWindowMs: number;

  constructor(
    readonly now: () => number = Date.now,
    opts: MemoryDinteroOptions = {},
  ) {
    this.lateWindowMs = opts.lateWindowMs ?? 0;
    const credentials = {
      accountId: opts.accountId ?? 'P00000000',
      clientId: 'memory',
      clientSecret: 'memory-secret',
    };
    this.core = new SimCore({
      credentials,
      now,
      // Tests move the clock by days; a token that never lapses keeps auth out of their way.
      tokenLifetimeSeconds: 10 * 365 * 24 * 3600,
      storeName: 'Paylink test shop',
    });
    this.core.baseUrl = BASE_URL;
    // 202 operations finish only when asked (settleAsync / settleOnRead): no timers.
    this.core.asyncMode = { on: false, settle: 'manual', delayMs: 0 };
    const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString(
      'base64',
    );
    const token = issueToken(
      this.core,
      this.tokens,
      credentials.accountId,
      { authorization: `Basic ${basic}` },
      {
        grant_type: 'client_credentials',
        audience: `https://api.dintero.com/v1/accounts/${credentials.accountId}`,
      },
    );
    this.headers = { authorization: `Bearer ${token.access_token}` };
  }

  // ----- the state, for assertions --------------------------------------------------

  /** Sessions by id (the simulator's own objects: a test may change them). */
  get sessions(): Map<string, SimSession> {
    return this.core.sessions;
  }

  /** Transactions by id (the simulator's own objects). */
  get transactions(): Map<string, SimTransaction> {
    return this.core.transactions;
  }

  /** Read lags (0 = reads see every write at once). Change freely during a test. */
  get lag(): LagSettings {
    return this.core.lag;
  }

  set lag(l: LagSettings) {
    this.core.lag = { ...l };
  }

  /** capture/refund/void answer 202 and finish on settleAsync() (or a read, settleOnRead). */
  get asyncOperations(): boolean {
    return this.core.asyncMode.on;
  }

  set asyncOperations(on: boolean) {
    this.core.asyncMode = { ...this.core.asyncMode, on };
  }

  /** Dintero's wall clock offset from `now` (jumpClock). */
  get clockOffsetMs(): number {
    return this.core.clockOffsetMs;
  }

  /** Jumps Dintero's wall clock by `ms` (negative = back); returns the new offset. */
  jumpClock(ms: number): number {
    return this.core.jumpClock(ms);
  }

  /** Dintero's wall time in ms. */
  dinteroNow(): number {
    return this.core.now();
  }

  /** False: the settlements route answers 403 (no read:settlements grant). Default true. */
  get settlementsGranted(): boolean {
    return this.core.settlementsGranted;
  }

  set settlementsGranted(granted: boolean) {
    this.core.settlementsGranted = granted;
  }

  /** Every settlement paid out by Dintero's clock now, newest first (settles what is due). */
  settlements(): DinteroSettlement[] {
    settleDue(this.core);
    return structuredClone(settlementsOf(this.core));
  }

  /** Calls made to `route` (each page of a listing is a call). */
  count(route: Route): number {
    return this.calls[route] ?? 0;
  }

  /** Sessions carrying a merchant reference. */
  sessionsFor(reference: string): SimSession[] {
    return [...this.sessions.values()].filter((s) => s.order.merchant_reference === reference);
  }

  /** Sessions ever created for a merchant reference (>1 = a customer texted twice). */
  sessionsCreatedFor(reference: string): number {
    return this.core.stats.sessionsCreated[reference] ?? 0;
  }

  /** Most sessions created for any one merchant reference. */
  maxSessionsPerReference(): number {
    return Math.max(0, ...Object.values(this.core.stats.sessionsCreated));
  }

  /** Most SMS any one session (link) sent. */
  maxSmsPerSession(): number {
    const per = new Map<string, number>();
    for (const m of this.core.smsLog) per.set(m.sessionId, (per.get(m.sessionId) ?? 0) + 1);
    return Math.max(0, ...per.values());
  }

  /** Authorized, captured and refunded amounts of a transaction as Dintero holds them. */
  amountsOf(txId: string): { authorized: number; captured: number; refunded: number } | undefined {
    const t = this.transactions.get(txId);
    if (!t) return undefined;
    const x = totals(t);
    return { authorized: t.amount, captured: x.captured, refunded: x.refunded };
  }

  // ----- faults ----------------------------------------------------------------------

  /** Adds a fault rule for the next `times` calls of `route`. */
  fail(
    route: Route | '*',
    kind: FaultKind,
    opts: Partial<Omit<RouteFault, 'route' | 'kind'>> = {},
  ): void {
    this.routeFaults.push({ route, kind, times: opts.times ?? 1, ...opts });
  }

  /** Removes every fault rule and queued fault. */
  clearFaults(): void {
    this.routeFaults = [];
    this.faults.splice(0);
  }

  /** Answers every hung call with a timeout (what the client's timeout would do). */
  releaseHung(): number {
    const all = this.hung.splice(0);
    for (const r of all) r();
    return all.length;
  }

  /** Calls hanging right now. */
  get hungCount(): number {
    return this.hung.length;
  }

  // ----- the customer and Backoffice ------------------------------------------------

  /** Finishes every accepted (202) operation. */
  settleAsync(): void {
    settleAll(this.core);
  }

  /** Same as settleAsync. */
  settleAll(): void {
    settleAll(this.core);
  }

  /** The customer opens the link. */
  open(sessionId: string): void {
    openSession(this.core, sessionId);
  }

  /**
   * The customer pays (or, scripted, is declined or held for review); returns the new
   * transaction's id. Throws the simulator's CustomerActionError when the link cannot be paid
   * (cancelled, expired by Dintero's clock, already paid).
   */
  pay(sessionId: string, outcome: PaymentOutcome = 'AUTHORIZED'): string {
    const tx =
      outcome === 'DECLINED'
        ? declineSession(this.core, sessionId)
        : outcome === 'ON_HOLD'
          ? holdSession(this.core, sessionId, 'vipps')
          : paySession(this.core, sessionId);
    return tx.id;
  }

  /** Like pay, but false instead of an error when the link cannot be paid. */
  tryPay(sessionId: string): boolean {
    try {
      this.pay(sessionId);
      return true;
    } catch (e) {
      if (e instanceof Error && e.name === 'CustomerActionError') return false;
      throw e;
    }
  }

  /** The customer declines: a DECLINED transaction; the link stays payable (pay again). */
  decline(sessionId: string): string {
    return this.pay(sessionId, 'DECLINED');
  }

  /** The customer pays into a review hold: an ON_HOLD transaction until release(). */
  hold(sessionId: string): string {
    return this.pay(sessionId, 'ON_HOLD');
  }

  /** The review ends AUTHORIZED (or FAILED), whether or not the link has expired. */
  release(sessionId: string, outcome: 'authorized' | 'failed' = 'authorized'): void {
    releaseHold(this.core, sessionId, outcome === 'authorized');
  }

  /** Staff refund directly in Dintero's Backoffice (at once, whatever the 202 mode). */
  refundElsewhere(txId: string, amount: number): void {
    this.backoffice(txId, (tx) =>
      refundNow(this.core, tx, { amount, refund_reference: 'backoffice' }),
    );
  }

  /** Staff capture directly in Dintero's Backoffice (at once, whatever the 202 mode). */
  captureElsewhere(txId: string, amount: number): void {
    this.backoffice(txId, (tx) =>
      captureNow(this.core, tx, { amount, capture_reference: 'backoffice' }),
    );
  }

  /** Staff void directly in Dintero's Backoffice (at once, whatever the 202 mode). */
  voidElsewhere(txId: string): void {
    this.backoffice(txId, (tx) => voidTransaction(this.core, tx));
  }

  private backoffice(txId: string, work: (tx: SimTransaction) => unknown): void {
    const tx = this.transactions.get(txId);
    if (!tx) throw new Error(`no transaction ${txId}`);
    const mode = this.core.asyncMode;
    this.core.asyncMode = { ...mode, on: false };
    try {
      work(tx);
    } finally {
      this.core.asyncMode = mode;
    }
  }

  // ----- DinteroClient ---------------------------------------------------------------

  async createSession(req: CreateSessionRequest): Promise<CreateSessionResult> {
    this.createRequests.push(structuredClone(req));
    this.createsInFlight++;
    this.peakCreates = Math.max(this.peakCreates, this.createsInFlight);
    try {
      if (this.createGate) await this.createGate();
      return await this.call<CreateSessionResult>({
        route: 'create',
        method: 'POST',
        path: '/v1/sessions-profile',
        operation: 'POST /v1/sessions-profile',
        json: req,
      });
    } finally {
      this.createsInFlight--;
    }
  }

  getSession(id: string): Promise<DinteroSession> {
    return this.call({
      route: 'getSession',
      method: 'GET',
      path: `/v1/sessions/${enc(id)}`,
      operation: 'GET /v1/sessions/{id}',
    });
  }

  listSessions(q: SessionListQuery): Promise<DinteroSession[]> {
    const p = sessionParams(q);
    return this.call({
      route: 'listSessions',
      method: 'GET',
      path: '/v1/sessions',
      operation: 'GET /v1/sessions',
      query: p,
    });
  }

  listAllSessions(q: SessionListQuery, maxItems = 1000): Promise<DinteroSession[]> {
    return listAllPages(
      (startingAfter, limit) =>
        this.listSessions({ ...q, limit, ...(startingAfter ? { startingAfter } : {}) }),
      clampLimit(q.limit ?? 100),
      maxItems,
      q.startingAfter,
    );
  }

  cancelSession(id: string): Promise<DinteroSession> {
    return this.call({
      route: 'cancel',
      method: 'POST',
      path: `/v1/sessions/${enc(id)}/cancel`,
      operation: 'POST /v1/sessions/{id}/cancel',
    });
  }

  async sessionQr(id: string, opts?: { size?: number }): Promise<string> {
    const r = await this.call<{ qr: string }>({
      route: 'qr',
      method: 'POST',
      path: `/v1/sessions/${enc(id)}/qr`,
      operation: 'POST /v1/sessions/{id}/qr',
      json: { format: 'png', ...(opts?.size !== undefined ? { size: opts.size } : {}) },
    });
    return r.qr;
  }

  getTransaction(id: string): Promise<DinteroTransaction> {
    return this.call({
      route: 'getTransaction',
      method: 'GET',
      path: `/v1/transactions/${enc(id)}`,
      operation: 'GET /v1/transactions/{id}',
      before: () => {
        if (this.settleOnRead) settlePendingFor(this.core, id);
      },
    });
  }

  listTransactions(q: TransactionListQuery): Promise<DinteroTransaction[]> {
    const p = transactionParams(q);
    return this.call({
      route: 'listTransactions',
      method: 'GET',
      path: '/v1/transactions',
      operation: 'GET /v1/transactions',
      query: p,
      before: () => {
        if (this.settleOnRead) settleAll(this.core);
      },
    });
  }

  listAllTransactions(q: TransactionListQuery, maxItems = 1000): Promise<DinteroTransaction[]> {
    return listAllPages(
      (startingAfter, limit) =>
        this.listTransactions({ ...q, limit, ...(startingAfter ? { startingAfter } : {}) }),
      clampLimit(q.limit ?? 100),
      maxItems,
      q.startingAfter,
    );
  }

  async listSettlements(q: SettlementListQuery, maxItems = 1000): Promise<DinteroSettlement[]> {
    const limit = clampSettlementLimit(q.limit ?? 100);
    const operation = 'GET /v1/accounts/{aid}/settlements';
    const page = async (
      startingAfter: SettlementListQuery['startingAfter'],
    ): Promise<SettlementPage> => {
      const body = await this.call<unknown>({
        route: 'listSettlements',
        method: 'GET',
        path: `/v1/accounts/${enc(this.core.accountId)}/settlements`,
        operation,
        query: settlementParams({ ...q, limit, ...(startingAfter ? { startingAfter } : {}) }),
      });
      const read = readSettlementPage(body);
      if (!read) throw new DinteroError('unavailable', `${operation}: unreadable answer`);
      return read;
    };
    return listAllSettlementPages(page, maxItems, q.startingAfter);
  }

  capture(id: string, req: CaptureRequest): Promise<OperationResult> {
    return this.operation({
      route: 'capture',
      method: 'POST',
      path: `/v1/transactions/${enc(id)}/capture`,
      operation: 'POST /v1/transactions/{id}/capture',
      json: req,
    });
  }

  refund(id: string, req: RefundRequest): Promise<OperationResult> {
    return this.operation({
      route: 'refund',
      method: 'POST',
      path: `/v1/transactions/${enc(id)}/refund`,
      operation: 'POST /v1/transactions/{id}/refund',
      json: req,
    });
  }

  void(id: string): Promise<OperationResult> {
    return this.operation({
      route: 'void',
      method: 'POST',
      path: `/v1/transactions/${enc(id)}/void`,
      operation: 'POST /v1/transactions/{id}/void',
    });
  }

  testConnection(): Promise<'works'> {
    return Promise.resolve('works');
  }

  // ----- the wire --------------------------------------------------------------------

  private async operation(call: WireCall): Promise<OperationResult> {
    const answer = await this.exchange(call);
    const transaction = answer.body as DinteroTransaction;
    const eventRequestId = answer.headers?.['event-request-id'];
    return answer.status === 202 && eventRequestId !== undefined
      ? { status: 'accepted', transaction, eventRequestId }
      : { status: 'done', transaction };
  }

  private async call<T>(call: WireCall): Promise<T> {
    return (await this.exchange(call)).body as T;
  }

  /**
   * Dispatches one call to the simulator's route under the fault rules, and classifies a
   * refusal as the real client would. Dintero's work happens synchronously inside `send`.
   */
  private async exchange(call: WireCall): Promise<RouteAnswer> {
    this.calls[call.route] = (this.calls[call.route] ?? 0) + 1;
    await Promise.resolve();
    if (this.offline)
      throw new DinteroError('network', 'Could not reach Dintero; nothing was sent.');
    const post = call.method === 'POST';
    const send = (): Promise<RouteAnswer> => {
      call.before?.();
      return this.dispatch(call);
    };
    const i = this.routeFaults.findIndex((f) => f.route === call.route || f.route === '*');
    const rule = i >= 0 ? this.routeFaults[i] : undefined;
    if (rule) {
      rule.times -= 1;
      if (rule.times <= 0) this.routeFaults.splice(i, 1);
      return this.underRule(rule, send);
    }
    const queued = this.faults.shift();
    if (queued) return this.underQueued(queued, send, post, call);
    return this.settled(await send(), call);
  }

  private async underRule(
    rule: RouteFault,
    send: () => Promise<RouteAnswer>,
  ): Promise<RouteAnswer> {
    const gaveUp = (): DinteroError => new DinteroError('outcome_unknown', 'gave up');
    switch (rule.kind) {
      case 'network':
        throw new DinteroError('network', 'Could not reach Dintero.');
      case 'unavailable':
        throw new DinteroError('unavailable', 'Dintero is not available.', { status: 503 });
      case 'unavailable_after_commit':
        await send();
        throw new DinteroError('unavailable', 'Dintero is not available.', { status: 502 });
      case 'rate_limited':
        throw new DinteroError('rate_limited', 'Slow down.', {
          status: 429,
          retryAfterMs: rule.retryAfterMs ?? 1000,
        });
      case 'drop_after_commit':
        await send();
        throw new DinteroError('outcome_unknown', 'The answer was lost.');
      case 'drop_before_commit':
        throw new DinteroError('outcome_unknown', 'The answer was lost.');
      case 'invalid_request':
        throw new DinteroError('invalid_request', 'Dintero refused the request.', {
          status: 400,
          dinteroMessage: rule.message ?? 'bad request',
        });
      case 'authentication':
        throw new DinteroError('authentication', 'Wrong client id or secret.', { status: 401 });
      case 'hang':
        return new Promise<RouteAnswer>((_resolve, reject) => {
          this.hung.push(() => reject(gaveUp()));
        });
      case 'hang_after_commit':
        await send();
        return new Promise<RouteAnswer>((_resolve, reject) => {
          this.hung.push(() => reject(gaveUp()));
        });
    }
  }

  private async underQueued(
    fault: QueuedFault,
    send: () => Promise<RouteAnswer>,
    post: boolean,
    call: WireCall,
  ): Promise<RouteAnswer> {
    const lost = (): DinteroError =>
      post
        ? new DinteroError(
            'outcome_unknown',
            'The answer was lost; it may or may not have been done.',
          )
        : new DinteroError('unavailable', 'Dintero is not available right now.', { status: 502 });
    // Refused by Dintero or not, the answer is lost anyway.
    if (fault.afterCommit) await send();
    if (fault.kind === '5xx') {
      throw errorFromResponse(
        { status: 502, headers: {}, body: '' },
        { operation: call.operation, stage: 'call', nowMs: this.now() },
      );
    }
    const sentAt = this.now();
    return new Promise<RouteAnswer>((_resolve, reject) => {
      this.hung.push(() => {
        // Not yet done, and the request is still on its way: it arrives now.
        if (!fault.afterCommit && this.now() - sentAt < this.lateWindowMs) void send();
        reject(lost());
      });
    });
  }

  /** A 2xx answer's body (a copy, as if it had crossed the wire); anything else thrown. */
  private settled(answer: RouteAnswer, call: WireCall): RouteAnswer {
    if (answer.status >= 200 && answer.status < 300) {
      return { ...answer, body: structuredClone(answer.body) };
    }
    throw errorFromResponse(
      {
        status: answer.status,
        headers: answer.headers ?? {},
        body: answer.body === undefined ? '' : JSON.stringify(answer.body),
      },
      { operation: call.operation, stage: 'call', nowMs: this.now() },
    );
  }

  /** The simulator's route for the call, run in-process; a refusal becomes its answer. */
  private async dispatch(call: WireCall): Promise<RouteAnswer> {
    const route = matchRoute(call.method, call.path);
    if (!route) return errorAnswer(new Error(`no simulator route for ${call.path}`));
    try {
      // JSON over the wire: the handler must not keep the caller's objects.
      const body =
        call.json === undefined ? undefined : (JSON.parse(JSON.stringify(call.json)) as unknown);
      return await route.run({
        core: this.core,
        tokens: this.tokens,
        query: call.query ?? new URLSearchParams(),
        headers: this.headers,
        body,
      });
    } catch (e) {
      return errorAnswer(e);
    }
  }
}
