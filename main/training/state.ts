/**
 * The simulator's data and configuration in one place: sessions, transactions, the SMS log,
 * accepted async operations, counters, the clock, and write-through persistence. Route
 * handlers and customer actions change it through the functions in sessions.ts and money.ts.
 */
import { EventEmitter } from 'node:events';
import type { TrainingSession, TrainingSms, Currency } from '../../common/domain';
import type { DinteroCredentials } from '../dintero/types';
import type { Logger } from '../log';
import { laggedSession, laggedTransaction, WriteLog, type LagSettings } from './lag';
import { settlePendingFor } from './money';
import { loadState, saveState, type PendingOperation, type PersistedState } from './persistence';
import type { AsyncSettleMode, SimSession, SimTransaction, SimulatorStats } from './types';

/** Configuration the core needs (resolved from SimulatorOptions). */
export interface CoreConfig {
  credentials: DinteroCredentials;
  /** The injected clock: elapsed time (lag, token lifetime) and, plus the offset, wall time. */
  now: () => number;
  tokenLifetimeSeconds: number;
  storeName: string;
  stateFile?: string;
  logger?: Logger;
}

/** Fresh, zeroed counters. */
export function emptyStats(): SimulatorStats {
  return {
    tokenRequests: 0,
    tokensIssued: 0,
    sessionsCreated: {},
    smsSent: {},
    requests: {},
    capturesApplied: 0,
    refundsApplied: 0,
    voidsApplied: 0,
    faultsApplied: {},
  };
}

/** Mutable simulator state plus what every handler needs to change it. */
export class SimCore {
  readonly config: CoreConfig;
  readonly sessions = new Map<string, SimSession>();
  readonly transactions = new Map<string, SimTransaction>();
  readonly smsLog: TrainingSms[] = [];
  pending: PendingOperation[] = [];
  stats: SimulatorStats = emptyStats();
  readonly events = new EventEmitter();
  /** Base URL once listening (session links are built from it). */
  baseUrl = '';
  /** 202 mode of capture/refund/void and how accepted operations finish. */
  asyncMode: { on: boolean; settle: AsyncSettleMode; delayMs: number } = {
    on: false,
    settle: 'auto',
    delayMs: 50,
  };
  /** Read lags (lag.ts); 0/0 = every read sees every write at once. */
  lag: LagSettings = { searchMs: 0, eventMs: 0 };
  /** Wall-clock jump: added to the injected clock for created_at, expires_at, event times. */
  clockOffsetMs = 0;
  /** False: the settlements route answers 403 (a client without read:settlements). */
  settlementsGranted = true;
  /** When each session, transaction and event was written (elapsed clock), for the lags. */
  readonly written: WriteLog;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(config: CoreConfig) {
    this.config = config;
    this.written = new WriteLog(() => this.realNow());
    this.events.setMaxListeners(0);
    if (config.stateFile) this.load(config.stateFile);
  }

  get accountId(): string {
    return this.config.credentials.accountId;
  }

  /** Dintero's wall time in ms: the injected clock plus any jump (clockOffsetMs). */
  now(): number {
    return this.config.now() + this.clockOffsetMs;
  }

  /**
   * Elapsed time in ms: the injected clock without jumps. Lags and token lifetimes are time
   * passing, so a wall-clock jump neither reveals a lagging write nor kills a token.
   */
  realNow(): number {
    return this.config.now();
  }

  /** Dintero's wall time as ISO 8601 (what Dintero puts in created_at). */
  iso(): string {
    return new Date(this.now()).toISOString();
  }

  /** Jumps Dintero's wall clock by `ms` (negative = back); returns the new offset. */
  jumpClock(ms: number): number {
    if (!Number.isFinite(ms)) throw new RangeError('A clock jump must be a number of ms');
    this.clockOffsetMs += Math.round(ms);
    return this.clockOffsetMs;
  }

  /** A session as a (lagging) read shows it: see laggedSession in lag.ts. */
  readSession(s: SimSession): SimSession {
    return laggedSession(s, this.transactions.values(), this.written, this.lag.eventMs);
  }

  /** A transaction as a (lagging) read shows it; undefined = not visible to reads yet. */
  readTransaction(tx: SimTransaction): SimTransaction | undefined {
    return laggedTransaction(tx, this.written, this.lag.eventMs);
  }

  private load(file: string): void {
    const data = loadState(file);
    if (!data) return;
    for (const s of data.sessions) this.sessions.set(s.id, s);
    for (const t of data.transactions) this.transactions.set(t.id, t);
    this.smsLog.push(...data.sms);
    this.pending = data.pending;
  }

  private snapshot(): PersistedState {
    return {
      version: 1,
      accountId: this.accountId,
      sessions: [...this.sessions.values()],
      transactions: [...this.transactions.values()],
      sms: this.smsLog,
      pending: this.pending,
    };
  }

  /** Call after every change: writes the state file (if any), then tells listeners. */
  changed(): void {
    if (this.config.stateFile) {
      try {
        saveState(this.config.stateFile, this.snapshot());
      } catch (e) {
        this.config.logger?.error({ err: e }, 'simulator: could not write the state file');
      }
    }
    this.events.emit('change');
  }

  /** In 'auto' mode, finishes a transaction's accepted operations after asyncMode.delayMs. */
  scheduleSettle(transactionId: string): void {
    if (this.asyncMode.settle !== 'auto') return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      settlePendingFor(this, transactionId);
    }, this.asyncMode.delayMs);
    t.unref();
    this.timers.add(t);
  }

  /** In 'auto' mode, a read of a transaction finishes its accepted operations first. */
  settleOnRead(transactionId: string): void {
    if (this.asyncMode.settle === 'auto') settlePendingFor(this, transactionId);
  }

  /** Cancels pending settle timers (close). Accepted operations stay pending. */
  clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Records an SMS the simulator "sent" and tells listeners. */
  recordSms(sms: TrainingSms): void {
    this.smsLog.push(sms);
    this.stats.smsSent[sms.to] = (this.stats.smsSent[sms.to] ?? 0) + 1;
    this.config.logger?.info({ sessionId: sms.sessionId, phone: sms.to }, 'simulator: SMS sent');
    this.events.emit('sms', structuredClone(sms));
  }

  /** Drops the SMS texts sent before `before` (ms, Dintero's clock) and saves; how many. */
  pruneSms(before: number): number {
    const kept = this.smsLog.filter((m) => Date.parse(m.at) >= before);
    const dropped = this.smsLog.length - kept.length;
    if (dropped > 0) {
      this.smsLog.splice(0, this.smsLog.length, ...kept);
      this.changed();
    }
    return dropped;
  }

  /** The session or a 404-worthy undefined. */
  session(id: string): SimSession | undefined {
    return this.sessions.get(id);
  }

  /** True once expires_at has passed (the checkout page is then unavailable). */
  isExpired(s: SimSession): boolean {
    return this.now() >= Date.parse(s.expires_at);
  }

  /** The training panel's view of one session. */
  trainingView(s: SimSession): TrainingSession {
    const tx = s.transaction_id ? this.transactions.get(s.transaction_id) : undefined;
    let state: TrainingSession['state'];
    if (s.cancelled_at) state = 'cancelled';
    else if (tx?.status === 'DECLINED' || tx?.status === 'FAILED') state = 'declined';
    else if (tx) state = 'paid';
    else if (this.isExpired(s)) state = 'expired';
    else if (s.events.some((e) => e.name === 'VISITED')) state = 'visited';
    else state = 'open';
    return {
      sessionId: s.id,
      merchantReference: s.order.merchant_reference,
      amount: s.order.amount,
      currency: s.order.currency as Currency,
      state,
    };
  }
}
