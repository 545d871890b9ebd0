/**
 * An in-memory Dintero for engine tests: implements DinteroClient with sessions, transactions,
 * capture/refund/void bounds, optional 202 answers, customer actions, call counters and
 * scripted faults (nothing sent / done-then-answer-lost / hang).
 *
 * As unkind as Dintero when asked (all off by default): `lag.searchMs` hides new sessions
 * from listings that are not by id, `lag.eventMs` makes transaction reads and the session's
 * payment fields lag behind writes (the simulator's own rules, main/training/lag.ts), a held
 * payment (`hold`) is released (`release`) even after the link expired, a declined link can
 * be paid later (the session's transaction_id moves to the new transaction, as in the
 * simulator), and `jumpClock` moves Dintero's wall clock either way.
 */
import { DinteroError } from '../../../main/dintero/errors';
import {
  laggedSession,
  laggedTransaction,
  searchable,
  WriteLog,
  type LagSettings,
} from '../../../main/training/lag';
import type {
  CaptureRequest,
  CreateSessionRequest,
  CreateSessionResult,
  DinteroClient,
  DinteroSession,
  DinteroTransaction,
  OperationResult,
  RefundRequest,
  SessionListQuery,
  TransactionEvent,
  TransactionListQuery,
  TransactionStatus,
} from '../../../main/dintero/types';

export type Route =
  | 'create'
  | 'getSession'
  | 'listSessions'
  | 'cancel'
  | 'qr'
  | 'getTransaction'
  | 'listTransactions'
  | 'capture'
  | 'refund'
  | 'void';

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

interface Fault {
  route: Route | '*';
  kind: FaultKind;
  times: number;
  message?: string;
  retryAfterMs?: number;
}

type Session = DinteroSession & { metadata?: Record<string, string> };

export class FakeDintero implements DinteroClient {
  readonly sessions = new Map<string, Session>();
  readonly transactions = new Map<string, DinteroTransaction>();
  readonly calls: Record<string, number> = {};
  /** Every call fails with a network error while true. */
  offline = false;
  /** capture/refund/void answer 202 and finish on settleAsync(). */
  asyncOperations = false;
  /** Read lags (0 = reads see every write at once). Change freely during a test. */
  lag: LagSettings = { searchMs: 0, eventMs: 0 };
  /** Dintero's wall clock = now() + clockOffsetMs (created_at, event times, expiry). */
  clockOffsetMs = 0;
  /** Write times on the elapsed clock (`now`), for the lags. */
  private readonly written: WriteLog;
  private faults: Fault[] = [];
  private seq = 0;
  private reqSeq = 0;
  private readonly pendingAsync: Array<() => void> = [];
  /** Awaited inside every create before it is carried out (tests hold creates in flight). */
  createGate: (() => Promise<void>) | undefined;
  /** Creates running right now, and the most seen at once. */
  createsInFlight = 0;
  peakCreates = 0;
  /** Every create request received. */
  readonly createRequests: CreateSessionRequest[] = [];
  /** Resolvers of hung calls (so tests can end them). */
  readonly hung: Array<() => void> = [];

  constructor(readonly now: () => number = Date.now) {
    this.written = new WriteLog(() => this.now());
  }

  /** Jumps Dintero's wall clock by `ms` (negative = back); returns the new offset. */
  jumpClock(ms: number): number {
    this.clockOffsetMs += ms;
    return this.clockOffsetMs;
  }

  /** Dintero's wall time in ms. */
  dinteroNow(): number {
    return this.now() + this.clockOffsetMs;
  }

  /** Adds a fault rule for the next `times` calls of `route`. */
  fail(
    route: Route | '*',
    kind: FaultKind,
    opts: Partial<Omit<Fault, 'route' | 'kind'>> = {},
  ): void {
    this.faults.push({ route, kind, times: opts.times ?? 1, ...opts });
  }

  clearFaults(): void {
    this.faults = [];
  }

  count(route: Route): number {
    return this.calls[route] ?? 0;
  }

  private iso(): string {
    return new Date(this.dinteroNow()).toISOString();
  }

  /** Runs `work` under the fault rules for `route`. */
  private async call<T>(route: Route, work: () => T): Promise<T> {
    this.calls[route] = (this.calls[route] ?? 0) + 1;
    await Promise.resolve();
    if (this.offline) throw new DinteroError('network', 'Could not reach Dintero.');
    const i = this.faults.findIndex((f) => f.route === route || f.route === '*');
    const fault = i >= 0 ? this.faults[i] : undefined;
    if (!fault) return work();
    fault.times -= 1;
    if (fault.times <= 0) this.faults.splice(i, 1);
    switch (fault.kind) {
      case 'network':
        throw new DinteroError('network', 'Could not reach Dintero.');
      case 'unavailable':
        throw new DinteroError('unavailable', 'Dintero is not available.', { status: 503 });
      case 'unavailable_after_commit':
        work();
        throw new DinteroError('unavailable', 'Dintero is not available.', { status: 502 });
      case 'rate_limited':
        throw new DinteroError('rate_limited', 'Slow down.', {
          status: 429,
          retryAfterMs: fault.retryAfterMs ?? 1000,
        });
      case 'drop_after_commit':
        work();
        throw new DinteroError('outcome_unknown', 'The answer was lost.');
      case 'drop_before_commit':
        throw new DinteroError('outcome_unknown', 'The answer was lost.');
      case 'invalid_request':
        throw new DinteroError('invalid_request', 'Dintero refused the request.', {
          status: 400,
          dinteroMessage: fault.message ?? 'bad request',
        });
      case 'authentication':
        throw new DinteroError('authentication', 'Wrong client id or secret.', { status: 401 });
      case 'hang':
        return new Promise<T>((_resolve, reject) => {
          this.hung.push(() => reject(new DinteroError('outcome_unknown', 'gave up')));
        });
      case 'hang_after_commit':
        work();
        return new Promise<T>((_resolve, reject) => {
          this.hung.push(() => reject(new DinteroError('outcome_unknown', 'gave up')));
        });
    }
  }

  // ----- sessions ---------------------------------------------------------------------

  async createSession(req: CreateSessionRequest): Promise<CreateSessionResult> {
    this.createRequests.push(structuredClone(req));
    this.createsInFlight++;
    this.peakCreates = Math.max(this.peakCreates, this.createsInFlight);
    try {
      if (this.createGate) await this.createGate();
      return await this.createNow(req);
    } finally {
      this.createsInFlight--;
    }
  }

  private createNow(req: CreateSessionRequest): Promise<CreateSessionResult> {
    return this.call('create', () => {
      const id = `T00000000.s${++this.seq}`;
      const sms = req.configuration?.publish?.some((p) => p.channel === 'sms');
      const publish = sms
        ? [{ type: 'checkout-link', channel: 'sms', status: 'sent' as const }]
        : undefined;
      const s: Session = {
        id,
        created_at: this.iso(),
        order: structuredClone(req.order),
        customer: structuredClone(req.customer ?? {}),
        events: [],
        ...(req.expires_at ? { expires_at: req.expires_at } : {}),
        ...(publish ? { configuration: { publish } } : {}),
        ...(req.metadata ? { metadata: { ...req.metadata } } : {}),
      };
      this.sessions.set(id, this.written.stamp(s));
      return { id, url: `https://fake.test/view/${id}`, ...(publish ? { publish } : {}) };
    });
  }

  getSession(sessionId: string): Promise<DinteroSession> {
    return this.call('getSession', () => this.session(sessionId));
  }

  /** A session as a (lagging) read shows it. */
  private session(id: string): Session {
    const s = this.sessions.get(id);
    if (!s) throw new DinteroError('not_found', 'No such session.', { status: 404 });
    return this.readSession(s);
  }

  private readSession(s: Session): Session {
    return structuredClone(
      laggedSession(s, this.transactions.values(), this.written, this.lag.eventMs),
    );
  }

  private listSessionsNow(q: SessionListQuery): Session[] {
    let all = [...this.sessions.values()];
    if (q.ids) all = all.filter((s) => q.ids?.includes(s.id));
    // Search lag: only a listing by id is immediate.
    else all = all.filter((s) => searchable(s, this.written, this.lag.searchMs));
    if (q.search) {
      const needle = q.search.toLowerCase();
      all = all.filter((s) => s.order.merchant_reference.toLowerCase().includes(needle));
    }
    return all.map((s) => this.readSession(s));
  }

  listSessions(q: SessionListQuery): Promise<DinteroSession[]> {
    return this.call('listSessions', () => this.listSessionsNow(q).slice(0, q.limit ?? 10));
  }

  listAllSessions(q: SessionListQuery, maxItems = 1000): Promise<DinteroSession[]> {
    return this.call('listSessions', () => this.listSessionsNow(q).slice(0, maxItems));
  }

  cancelSession(sessionId: string): Promise<DinteroSession> {
    return this.call('cancel', () => {
      const s = this.sessions.get(sessionId);
      if (!s) throw new DinteroError('not_found', 'No such session.', { status: 404 });
      const tx = s.transaction_id ? this.transactions.get(s.transaction_id) : undefined;
      if (tx && tx.status !== 'AUTHORIZED' && tx.status !== 'INITIATED') {
        throw new DinteroError('invalid_request', 'refused', {
          status: 400,
          dinteroMessage: 'The session has a captured transaction.',
        });
      }
      if (tx)
        this.pushEvent(
          tx,
          { event: 'VOID', success: true, amount: tx.amount },
          'AUTHORIZATION_VOIDED',
        );
      s.cancelled_at = this.iso();
      return structuredClone(s);
    });
  }

  sessionQr(sessionId: string): Promise<string> {
    return this.call('qr', () => {
      this.session(sessionId);
      return 'data:image/png;base64,RkFLRQ==';
    });
  }

  // ----- transactions -----------------------------------------------------------------

  getTransaction(id: string): Promise<DinteroTransaction> {
    return this.call('getTransaction', () => this.tx(id));
  }

  /** A transaction as a (lagging) read shows it; too new = 404. */
  private tx(id: string): DinteroTransaction {
    const t = this.transactions.get(id);
    const seen = t ? laggedTransaction(t, this.written, this.lag.eventMs) : undefined;
    if (!seen) throw new DinteroError('not_found', 'No such transaction.', { status: 404 });
    return structuredClone(seen);
  }

  private listTxNow(q: TransactionListQuery): DinteroTransaction[] {
    let all = [...this.transactions.values()]
      .map((t) => laggedTransaction(t, this.written, this.lag.eventMs))
      .filter((t): t is DinteroTransaction => t !== undefined);
    if (q.ids) all = all.filter((t) => q.ids?.includes(t.id));
    if (q.sessionIds) all = all.filter((t) => t.session_id && q.sessionIds?.includes(t.session_id));
    return all.map((t) => structuredClone(t));
  }

  listTransactions(q: TransactionListQuery): Promise<DinteroTransaction[]> {
    return this.call('listTransactions', () => this.listTxNow(q).slice(0, q.limit ?? 10));
  }

  listAllTransactions(q: TransactionListQuery, maxItems = 1000): Promise<DinteroTransaction[]> {
    return this.call('listTransactions', () => this.listTxNow(q).slice(0, maxItems));
  }

  private totals(t: DinteroTransaction): { captured: number; refunded: number } {
    let captured = 0;
    let refunded = 0;
    for (const e of t.events ?? []) {
      if (!e.success) continue;
      if (e.event === 'CAPTURE') captured += e.amount ?? 0;
      if (e.event === 'REFUND') refunded += e.amount ?? 0;
    }
    return { captured, refunded };
  }

  private statusAfter(t: DinteroTransaction): TransactionStatus {
    const { captured, refunded } = this.totals(t);
    if (refunded > 0) {
      if (refunded >= captured && captured >= t.amount) return 'REFUNDED';
      return captured >= t.amount ? 'PARTIALLY_REFUNDED' : 'PARTIALLY_CAPTURED_REFUNDED';
    }
    if (captured > 0) return captured >= t.amount ? 'CAPTURED' : 'PARTIALLY_CAPTURED';
    return t.status;
  }

  private pushEvent(
    t: DinteroTransaction,
    e: Omit<TransactionEvent, 'created_at'>,
    status?: TransactionStatus,
  ): TransactionEvent {
    const ev: TransactionEvent = {
      ...e,
      created_at: this.iso(),
      request_id: e.request_id ?? `r${++this.reqSeq}`,
    };
    t.events = [...(t.events ?? []), ev];
    t.status = status ?? this.statusAfter(t);
    t.updated_at = this.iso();
    this.written.stamp(ev, t.status);
    return ev;
  }

  /** Runs a money operation now, or (asyncOperations) accepts it and finishes it later. */
  private operate(
    route: 'capture' | 'refund' | 'void',
    id: string,
    check: (t: DinteroTransaction) => void,
    event: Omit<TransactionEvent, 'created_at'>,
    status?: TransactionStatus,
  ): Promise<OperationResult> {
    return this.call(route, () => {
      const t = this.transactions.get(id);
      if (!t) throw new DinteroError('not_found', 'No such transaction.', { status: 404 });
      check(t);
      if (!this.asyncOperations) {
        this.pushEvent(t, event, status);
        return { status: 'done' as const, transaction: structuredClone(t) };
      }
      const initiate = this.pushEvent(
        t,
        {
          event: `INITIATE_${event.event}` as TransactionEvent['event'],
          success: true,
          ...(event.amount !== undefined ? { amount: event.amount } : {}),
          ...(event.event_reference ? { event_reference: event.event_reference } : {}),
        },
        t.status,
      );
      const requestId = initiate.request_id as string;
      this.pendingAsync.push(() =>
        this.pushEvent(t, { ...event, correlation_request_id: requestId }, status),
      );
      return {
        status: 'accepted' as const,
        transaction: structuredClone(t),
        eventRequestId: requestId,
      };
    });
  }

  capture(id: string, req: CaptureRequest): Promise<OperationResult> {
    return this.operate(
      'capture',
      id,
      (t) => {
        if (
          !['AUTHORIZED', 'PARTIALLY_CAPTURED', 'PARTIALLY_CAPTURED_REFUNDED'].includes(t.status)
        ) {
          throw new DinteroError('invalid_request', 'refused', {
            status: 400,
            dinteroMessage: `Cannot capture a ${t.status} transaction`,
          });
        }
        if (req.amount > t.amount - this.totals(t).captured) {
          throw new DinteroError('invalid_request', 'refused', {
            status: 400,
            dinteroMessage: 'Amount exceeds the authorized amount',
          });
        }
      },
      {
        event: 'CAPTURE',
        success: true,
        amount: req.amount,
        event_reference: req.capture_reference,
      },
    );
  }

  refund(id: string, req: RefundRequest): Promise<OperationResult> {
    return this.operate(
      'refund',
      id,
      (t) => {
        const { captured, refunded } = this.totals(t);
        if (req.amount > captured - refunded) {
          throw new DinteroError('invalid_request', 'refused', {
            status: 400,
            dinteroMessage: 'Amount exceeds the captured amount',
          });
        }
      },
      { event: 'REFUND', success: true, amount: req.amount, event_reference: req.refund_reference },
    );
  }

  void(id: string): Promise<OperationResult> {
    return this.operate(
      'void',
      id,
      (t) => {
        if (t.status !== 'AUTHORIZED') {
          throw new DinteroError('invalid_request', 'refused', {
            status: 400,
            dinteroMessage: `Cannot void a ${t.status} transaction`,
          });
        }
      },
      { event: 'VOID', success: true },
      'AUTHORIZATION_VOIDED',
    );
  }

  testConnection(): Promise<'works'> {
    return Promise.resolve('works');
  }

  // ----- the customer and Backoffice --------------------------------------------------

  /** Finishes every accepted (202) operation. */
  settleAsync(): void {
    for (const f of this.pendingAsync.splice(0)) f();
  }

  /** The customer opens the link. */
  open(sessionId: string): void {
    const s = this.sessions.get(sessionId);
    if (!s) throw new Error('no session');
    s.events = [...(s.events ?? []), { name: 'VISITED', created_at: this.iso() }];
  }

  /**
   * The customer pays (authorizes); returns the transaction id. Any status may be scripted
   * (INITIATED, DECLINED, ON_HOLD, …); a later pay on the same session (decline then pay)
   * makes a new transaction and moves the session's transaction_id to it.
   */
  pay(sessionId: string, status: TransactionStatus = 'AUTHORIZED'): string {
    const s = this.sessions.get(sessionId);
    if (!s) throw new Error('no session');
    const id = `T00000000.t${++this.seq}`;
    const tx: DinteroTransaction = {
      id,
      session_id: sessionId,
      created_at: this.iso(),
      status,
      amount: s.order.amount,
      currency: s.order.currency,
      merchant_reference: s.order.merchant_reference,
      payment_product: 'vipps',
      payment_product_type: 'vipps',
      events: [
        {
          event: status === 'AUTHORIZED' ? 'AUTHORIZE' : 'INITIALIZE',
          success: status === 'AUTHORIZED',
          amount: s.order.amount,
          created_at: this.iso(),
        },
      ],
    };
    this.written.stamp(tx);
    this.written.stamp(tx.events![0]!, status);
    this.transactions.set(id, tx);
    s.transaction_id = id;
    return id;
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
    const txId = this.sessions.get(sessionId)?.transaction_id;
    const t = txId ? this.transactions.get(txId) : undefined;
    if (t?.status !== 'ON_HOLD') throw new Error('not on hold');
    const ok = outcome === 'authorized';
    this.pushEvent(
      t,
      { event: 'AUTHORIZE', success: ok, amount: t.amount },
      ok ? 'AUTHORIZED' : 'FAILED',
    );
  }

  /** Staff refund directly in Dintero's Backoffice. */
  refundElsewhere(txId: string, amount: number): void {
    const t = this.transactions.get(txId);
    if (!t) throw new Error('no tx');
    this.pushEvent(t, { event: 'REFUND', success: true, amount, event_reference: 'backoffice' });
  }

  /** Staff capture directly in Dintero's Backoffice. */
  captureElsewhere(txId: string, amount: number): void {
    const t = this.transactions.get(txId);
    if (!t) throw new Error('no tx');
    this.pushEvent(t, { event: 'CAPTURE', success: true, amount, event_reference: 'backoffice' });
  }

  /** Sessions carrying a merchant reference (duplicate detection in tests). */
  sessionsFor(reference: string): Session[] {
    return [...this.sessions.values()].filter((s) => s.order.merchant_reference === reference);
  }
}
