/**
 * An in-memory Dintero for the property-based model test: the DinteroClient interface with
 * the simulator's semantics (main/training: session search by merchant reference, SMS publish,
 * transactions with CAPTURE/REFUND/VOID events and the same status rules and bounds, 202 mode
 * with INITIATE_* events settled on the next read) and the real client's error classification
 * (a POST whose answer is lost or 5xx is `outcome_unknown`; a GET that keeps failing is
 * `unavailable`; no connection is `network`, nothing done).
 *
 * Everything resolves through microtasks only (no timers), so a test can tell "finished" from
 * "stuck on a hung call" by waiting for the next macrotask.
 *
 * As unkind as Dintero when asked (all off by default, the simulator's own rules from
 * main/training/lag.ts): `lag.searchMs` hides new sessions from searches, `lag.eventMs` makes
 * transaction reads and the session's payment fields lag behind writes (writes still act on
 * the true state), `hold`/`release` end an ON_HOLD payment even after the link expired,
 * `decline` leaves the link payable (a later `pay` makes a new transaction and moves the
 * session's transaction_id to it), and `jumpClock` moves Dintero's wall clock either way.
 *
 * Faults are queued and hit the NEXT calls in order, whatever their route:
 * - `5xx`: answered 502; with `afterCommit` Dintero did the work first;
 * - `hang`: never answered until `releaseHung()` (the client's timeout); with `afterCommit`
 *   Dintero did the work; without, it may still do it late (see ModelOptions).
 */
import {
  laggedSession,
  laggedTransaction,
  searchable,
  WriteLog,
  type LagSettings,
} from '../../../main/training/lag';
import { statusFor, totals } from '../../../main/training/money';
import { DinteroError } from '../../../main/dintero/errors';
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
} from '../../../main/dintero/types';

/** One queued fault. */
export interface ModelFault {
  kind: '5xx' | 'hang';
  afterCommit: boolean;
}

/**
 * A request that hung before Dintero acted may still arrive late: when the client gives up
 * (releaseHung) within `lateWindowMs` of sending it, Dintero carries it out then. 0 = never.
 */
export interface ModelOptions {
  lateWindowMs: number;
}

type Session = DinteroSession & { metadata?: Record<string, string> };
type Tx = DinteroTransaction & { events: TransactionEvent[] };

interface Pending {
  txId: string;
  requestId: string;
  event: Omit<TransactionEvent, 'created_at'>;
}

const unknownAnswer = (): DinteroError =>
  new DinteroError('outcome_unknown', 'The answer was lost; it may or may not have been done.');
const unavailable = (): DinteroError =>
  new DinteroError('unavailable', 'Dintero is not available right now.', { status: 502 });
const refused = (message: string): DinteroError =>
  new DinteroError('invalid_request', `Dintero refused: ${message}`, {
    status: 400,
    dinteroMessage: message,
  });

/** The simulator's own rules: totals of successful events, and the status they imply. */
export { totals as txTotals };

/** The in-memory Dintero. */
export class ModelDintero implements DinteroClient {
  readonly sessions = new Map<string, Session>();
  readonly transactions = new Map<string, Tx>();
  /** Sessions created per merchant reference (>1 = a customer texted twice). */
  readonly sessionsPerReference = new Map<string, number>();
  readonly smsPerPhone = new Map<string, number>();
  /** SMS per session (a resent link texts the same phone again, but once per session). */
  readonly smsPerSession = new Map<string, number>();
  readonly calls: Record<string, number> = {};
  offline = false;
  asyncOperations = false;
  readonly faults: ModelFault[] = [];
  private readonly hung: Array<() => void> = [];
  private pending: Pending[] = [];
  private seq = 0;
  /** Read lags (0 = reads see every write at once). */
  lag: LagSettings = { searchMs: 0, eventMs: 0 };
  /** Dintero's wall clock = now() + clockOffsetMs. */
  clockOffsetMs = 0;
  private readonly written: WriteLog;

  constructor(
    private readonly now: () => number,
    private readonly opts: ModelOptions = { lateWindowMs: 0 },
  ) {
    this.written = new WriteLog(() => this.now());
  }

  /** Jumps Dintero's wall clock by `ms` (negative = back); returns the new offset. */
  jumpClock(ms: number): number {
    this.clockOffsetMs += ms;
    return this.clockOffsetMs;
  }

  private iso(): string {
    return new Date(this.now() + this.clockOffsetMs).toISOString();
  }

  private readSession(s: Session): Session {
    return structuredClone(
      laggedSession(s, this.transactions.values(), this.written, this.lag.eventMs),
    );
  }

  private readTx(t: Tx): Tx | undefined {
    const seen = laggedTransaction(t, this.written, this.lag.eventMs);
    return seen ? structuredClone(seen) : undefined;
  }

  /** Answers every hung call with a timeout (what the client's timeout would do). */
  releaseHung(): number {
    const all = this.hung.splice(0);
    for (const r of all) r();
    return all.length;
  }

  get hungCount(): number {
    return this.hung.length;
  }

  private async call<T>(route: string, post: boolean, work: () => T): Promise<T> {
    this.calls[route] = (this.calls[route] ?? 0) + 1;
    await Promise.resolve();
    if (this.offline) {
      throw new DinteroError('network', 'Could not reach Dintero; nothing was sent.');
    }
    const fault = this.faults.shift();
    if (!fault) return work();
    if (fault.afterCommit) {
      try {
        work();
      } catch {
        // Refused by Dintero, but the answer is lost anyway.
      }
    }
    if (fault.kind === '5xx') throw post ? unknownAnswer() : unavailable();
    const sentAt = this.now();
    return new Promise<T>((_resolve, reject) => {
      this.hung.push(() => {
        if (!fault.afterCommit && this.now() - sentAt < this.opts.lateWindowMs) {
          try {
            work();
          } catch {
            // Refused on arrival; the client has given up anyway.
          }
        }
        reject(post ? unknownAnswer() : unavailable());
      });
    });
  }

  // ----- sessions -------------------------------------------------------------------

  createSession(req: CreateSessionRequest): Promise<CreateSessionResult> {
    const body = structuredClone(req);
    return this.call('create', true, () => {
      const id = `M.s${++this.seq}`;
      const ref = body.order.merchant_reference;
      this.sessionsPerReference.set(ref, (this.sessionsPerReference.get(ref) ?? 0) + 1);
      const sms = body.configuration?.publish?.some((p) => p.channel === 'sms') ?? false;
      const phone = body.customer?.phone_number;
      const status = sms && phone ? ('sent' as const) : ('skipped' as const);
      if (status === 'sent' && phone) {
        this.smsPerPhone.set(phone, (this.smsPerPhone.get(phone) ?? 0) + 1);
        this.smsPerSession.set(id, (this.smsPerSession.get(id) ?? 0) + 1);
      }
      const publish = sms ? [{ type: 'checkout-link', channel: 'sms', status }] : undefined;
      this.sessions.set(
        id,
        this.written.stamp<Session>({
          id,
          created_at: this.iso(),
          order: body.order,
          customer: body.customer ?? {},
          events: [],
          ...(body.expires_at ? { expires_at: body.expires_at } : {}),
          configuration: publish ? { publish } : {},
          ...(body.metadata ? { metadata: body.metadata } : {}),
        }),
      );
      return { id, url: `https://model.test/v1/view/${id}`, ...(publish ? { publish } : {}) };
    });
  }

  getSession(id: string): Promise<DinteroSession> {
    return this.call('getSession', false, () => {
      const s = this.sessions.get(id);
      if (!s) throw new DinteroError('not_found', 'No such session.', { status: 404 });
      return this.readSession(s);
    });
  }

  private matching(q: SessionListQuery): Session[] {
    let all = [...this.sessions.values()];
    if (q.ids && q.ids.length > 0) all = all.filter((s) => q.ids!.includes(s.id));
    // Search lag: only a listing by id is immediate.
    else all = all.filter((s) => searchable(s, this.written, this.lag.searchMs));
    const needle = q.search?.trim().toLowerCase();
    if (needle) all = all.filter((s) => s.order.merchant_reference.toLowerCase().includes(needle));
    if (q.startingAfter) {
      const i = all.findIndex((s) => s.id === q.startingAfter);
      all = i >= 0 ? all.slice(i + 1) : all;
    }
    return all;
  }

  listSessions(q: SessionListQuery): Promise<DinteroSession[]> {
    return this.call('listSessions', false, () =>
      this.matching(q)
        .slice(0, Math.min(100, q.limit ?? 10))
        .map((s) => this.readSession(s)),
    );
  }

  listAllSessions(q: SessionListQuery, maxItems = 1000): Promise<DinteroSession[]> {
    return this.call('listSessions', false, () =>
      this.matching(q)
        .slice(0, maxItems)
        .map((s) => this.readSession(s)),
    );
  }

  cancelSession(id: string): Promise<DinteroSession> {
    return this.call('cancel', true, () => {
      const s = this.sessions.get(id);
      if (!s) throw new DinteroError('not_found', 'No such session.', { status: 404 });
      if (s.transaction_id) throw refused('The session has a transaction.');
      s.cancelled_at ??= this.iso();
      return structuredClone(s);
    });
  }

  sessionQr(id: string): Promise<string> {
    return this.call('qr', true, () => {
      if (!this.sessions.has(id))
        throw new DinteroError('not_found', 'No such session.', { status: 404 });
      return 'data:image/png;base64,TU9ERUw=';
    });
  }

  // ----- transactions -----------------------------------------------------------------

  private settle(txId: string): void {
    const mine = this.pending.filter((p) => p.txId === txId);
    if (mine.length === 0) return;
    this.pending = this.pending.filter((p) => p.txId !== txId);
    const tx = this.transactions.get(txId);
    if (!tx) return;
    for (const p of mine) this.apply(tx, { ...p.event, correlation_request_id: p.requestId });
  }

  /** Finishes every accepted (202) operation. */
  settleAll(): void {
    for (const id of new Set(this.pending.map((p) => p.txId))) this.settle(id);
  }

  private apply(tx: Tx, e: Omit<TransactionEvent, 'created_at'>, status?: Tx['status']): void {
    const ev = { ...e, created_at: this.iso(), request_id: e.request_id ?? `r${++this.seq}` };
    tx.events.push(ev);
    tx.status = status ?? statusFor(tx.amount, totals(tx));
    tx.updated_at = this.iso();
    this.written.stamp(ev, tx.status);
  }

  getTransaction(id: string): Promise<DinteroTransaction> {
    return this.call('getTransaction', false, () => {
      this.settle(id);
      const t = this.transactions.get(id);
      const seen = t ? this.readTx(t) : undefined;
      if (!seen) throw new DinteroError('not_found', 'No such transaction.', { status: 404 });
      return seen;
    });
  }

  private txMatching(q: TransactionListQuery): Tx[] {
    this.settleAll();
    let all = [...this.transactions.values()]
      .map((t) => this.readTx(t))
      .filter((t): t is Tx => t !== undefined);
    if (q.ids && q.ids.length > 0) all = all.filter((t) => q.ids!.includes(t.id));
    if (q.sessionIds && q.sessionIds.length > 0) {
      all = all.filter((t) => t.session_id !== undefined && q.sessionIds!.includes(t.session_id));
    }
    if (q.merchantReference) all = all.filter((t) => t.merchant_reference === q.merchantReference);
    return all;
  }

  listTransactions(q: TransactionListQuery): Promise<DinteroTransaction[]> {
    return this.call('listTransactions', false, () =>
      this.txMatching(q).slice(0, Math.min(100, q.limit ?? 10)),
    );
  }

  listAllTransactions(q: TransactionListQuery, maxItems = 1000): Promise<DinteroTransaction[]> {
    return this.call('listTransactions', false, () => this.txMatching(q).slice(0, maxItems));
  }

  private operate(
    route: 'capture' | 'refund' | 'void',
    id: string,
    check: (t: Tx) => void,
    event: Omit<TransactionEvent, 'created_at'>,
  ): Promise<OperationResult> {
    return this.call(route, true, () => {
      this.settle(id);
      const t = this.transactions.get(id);
      if (!t) throw new DinteroError('not_found', 'No such transaction.', { status: 404 });
      check(t);
      if (!this.asyncOperations) {
        this.apply(t, event);
        return { status: 'done' as const, transaction: structuredClone(t) };
      }
      const requestId = `q${++this.seq}`;
      const initiate: TransactionEvent = {
        event: `INITIATE_${event.event}` as TransactionEvent['event'],
        success: true,
        ...(event.amount !== undefined ? { amount: event.amount } : {}),
        ...(event.event_reference ? { event_reference: event.event_reference } : {}),
        request_id: requestId,
        created_at: this.iso(),
      };
      t.events.push(this.written.stamp(initiate, t.status));
      this.pending.push({ txId: id, requestId, event });
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
          throw refused(`Cannot capture a transaction that is ${t.status}`);
        }
        if (req.amount <= 0 || req.amount > t.amount - totals(t).captured) {
          throw refused('amount exceeds the remaining authorized amount');
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
        const ok = [
          'CAPTURED',
          'PARTIALLY_CAPTURED',
          'PARTIALLY_CAPTURED_REFUNDED',
          'PARTIALLY_REFUNDED',
        ];
        if (!ok.includes(t.status))
          throw refused(`Cannot refund a transaction that is ${t.status}`);
        const { captured, refunded } = totals(t);
        if (req.amount <= 0 || req.amount > captured - refunded) {
          throw refused('amount exceeds the refundable amount');
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
        if (t.status !== 'AUTHORIZED')
          throw refused(`Cannot void a transaction that is ${t.status}`);
      },
      { event: 'VOID', success: true },
    );
  }

  testConnection(): Promise<'works'> {
    return Promise.resolve('works');
  }

  // ----- the customer -------------------------------------------------------------------

  /**
   * The customer pays (authorizes) the session; false when it cannot be paid (no session,
   * cancelled, expired by Dintero's clock, or a transaction that is not DECLINED/FAILED).
   */
  pay(sessionId: string): boolean {
    return this.attempt(sessionId, 'AUTHORIZED');
  }

  /** The customer declines: a DECLINED transaction; the link stays payable until it expires. */
  decline(sessionId: string): boolean {
    return this.attempt(sessionId, 'DECLINED');
  }

  /** The customer pays into a review hold: ON_HOLD until release(). */
  hold(sessionId: string): boolean {
    return this.attempt(sessionId, 'ON_HOLD');
  }

  /** The review ends AUTHORIZED (or FAILED), also after the link expired; false if not held. */
  release(sessionId: string, outcome: 'authorized' | 'failed' = 'authorized'): boolean {
    const txId = this.sessions.get(sessionId)?.transaction_id;
    const t = txId ? this.transactions.get(txId) : undefined;
    if (t?.status !== 'ON_HOLD') return false;
    const ok = outcome === 'authorized';
    this.apply(
      t,
      { event: 'AUTHORIZE', success: ok, amount: t.amount },
      ok ? 'AUTHORIZED' : 'FAILED',
    );
    return true;
  }

  private attempt(sessionId: string, status: 'AUTHORIZED' | 'DECLINED' | 'ON_HOLD'): boolean {
    const s = this.sessions.get(sessionId);
    if (!s || s.cancelled_at) return false;
    const current = s.transaction_id ? this.transactions.get(s.transaction_id) : undefined;
    if (s.transaction_id && current?.status !== 'DECLINED' && current?.status !== 'FAILED') {
      return false;
    }
    if (s.expires_at && this.now() + this.clockOffsetMs >= Date.parse(s.expires_at)) return false;
    const id = `M.t${++this.seq}`;
    const first: TransactionEvent = {
      event: status === 'ON_HOLD' ? 'INITIALIZE' : 'AUTHORIZE',
      success: status !== 'DECLINED',
      amount: s.order.amount,
      created_at: this.iso(),
    };
    const tx: Tx = {
      id,
      session_id: sessionId,
      created_at: this.iso(),
      status,
      amount: s.order.amount,
      currency: s.order.currency,
      merchant_reference: s.order.merchant_reference,
      payment_product_type: 'vipps',
      events: [this.written.stamp(first, status)],
    };
    this.transactions.set(id, this.written.stamp(tx));
    // Decline then pay: the session's transaction_id moves to the new transaction.
    s.transaction_id = id;
    return true;
  }
}

/**
 * A killable view of a client, one per engine "process": once killed, every call in flight or
 * made later never answers (the process that made it is gone).
 */
export function killable(target: DinteroClient): { client: DinteroClient; kill(): void } {
  let killed = false;
  const never = new Promise<never>(() => undefined);
  const client = new Proxy(target, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (killed) return never;
        try {
          const r: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(t, args);
          return killed ? never : r;
        } catch (e) {
          if (killed) return never;
          throw e;
        }
      };
    },
  });
  return {
    client,
    kill: () => {
      killed = true;
    },
  };
}
