/**
 * The outbox sender: takes queued orders to Dintero, exactly once.
 *
 * - An order is marked `sending` in the journal BEFORE its POST, and its result is journaled
 *   after; a crash in between leaves `sending`, which the next start turns into `unknown`.
 * - `unknown` orders (lost answer, a 5xx to the POST, interrupted send) are reconciled BEFORE
 *   anything is created again: the session is searched by exact merchant reference; found =
 *   take it; absent = believed only after several reads spread over a monotonic window all
 *   showed nothing (search lags behind creates), then queue again; search failed = stay
 *   unknown and try later. Never create while unknown.
 * - An order whose create was ever uncertain is watched for a second session with the same
 *   reference for a while (the poller cancels an unpaid extra one).
 * - Bounded concurrency; exponential backoff with full jitter; Retry-After honoured; offline =
 *   pause until the connectivity probe succeeds; refused credentials = pause, orders kept.
 */
import { msg, type Message } from '../../common/i18n/messages';
import { DinteroError } from '../dintero/errors';
import type { CreateSessionResult, DinteroSession } from '../dintero/types';
import { maskPhone } from '../redact';
import { backoffDelay } from './backoff';
import { commitChange, type EngineContext } from './engine-context';
import { IllegalTransition, type OrderChange } from './journal';
import type { OrderRow } from './order-row';
import { OUTBOX_STATES } from '../../common/order-state';
import { lookUpSession } from './reconciler';
import { buildCreateSessionRequest } from './session-request';

const SYSTEM = 'system';

/** Sends queued orders and reconciles unknown ones. */
export class Outbox {
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly ctx: EngineContext) {}

  /** Orders being worked on right now. */
  get busy(): number {
    return this.inFlight.size;
  }

  /**
   * Resumes what a crash left: an order still `sending` may or may not have reached Dintero,
   * so it becomes `unknown` and is reconciled before anything is sent again.
   */
  recoverInterrupted(): void {
    for (const row of this.ctx.journal.inStates(['sending'])) {
      if (this.inFlight.has(row.id)) continue;
      this.lose(row.id, msg('line.interrupted'), { kind: 'interrupted' });
    }
  }

  /** Waits longer than this ahead can only come from a wall clock that jumped back. */
  private horizon(): number {
    const t = this.ctx.timing;
    return 2 * Math.max(t.backoffMaxMs, t.absenceWindowMs, t.reconcileDelayMs, 60_000);
  }

  /** Starts the send loop. */
  start(): void {
    this.running = true;
    this.recoverInterrupted();
    this.wake(0);
  }

  /** Stops scheduling; returns the calls still in flight (the engine waits for them). */
  stop(): Promise<void>[] {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return [...this.inFlight.values()];
  }

  /** Asks for a pass soon (new order, line back, …). */
  wake(delayMs = 0): void {
    if (!this.running) return;
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.pass();
      this.scheduleNext();
    }, delayMs);
    this.timer.unref?.();
  }

  private scheduleNext(): void {
    if (!this.running) return;
    const next = this.ctx.journal.due(['queued', 'unknown'], Number.MAX_SAFE_INTEGER, 1)[0];
    const wait = next ? Math.min(Math.max(0, next.nextAttemptAt - this.ctx.now()), 5000) : 5000;
    const notBefore = Math.max(0, this.ctx.connectivity.notBefore - this.ctx.now());
    this.wake(Math.min(Math.max(wait, notBefore, 50), 5000));
  }

  /**
   * Starts work on due orders up to the concurrency limit; returns the promises started.
   * Does nothing while offline or paused.
   */
  pass(): Promise<void>[] {
    if (this.ctx.journal.isClosed || !this.ctx.connectivity.canSend()) return [];
    const free = this.ctx.concurrency - this.inFlight.size;
    if (free <= 0) return [];
    const rows = this.ctx.journal
      .due(['queued', 'unknown'], this.ctx.now(), free + this.inFlight.size, this.horizon())
      .filter((r) => !this.inFlight.has(r.id))
      .slice(0, free);
    return rows.map((r) => this.track(r.id));
  }

  /** Runs passes until nothing due is left (tests and shutdown-free callers). */
  async drain(): Promise<void> {
    for (;;) {
      const started = this.pass();
      if (started.length === 0 && this.inFlight.size === 0) return;
      await Promise.race([...this.inFlight.values()]);
    }
  }

  private track(id: string): Promise<void> {
    const p = this.process(id)
      .catch((err: unknown) => {
        this.ctx.logger.error({ err, orderId: id }, 'outbox: unexpected failure');
      })
      .finally(() => {
        this.inFlight.delete(id);
        if (this.running) this.wake(0);
      });
    this.inFlight.set(id, p);
    return p;
  }

  private commit(
    id: string,
    decide: (row: OrderRow) => OrderChange | undefined,
  ): OrderRow | undefined {
    return commitChange(this.ctx, id, decide);
  }

  private async process(id: string): Promise<void> {
    const row = this.ctx.journal.get(id);
    if (!row) return;
    if (row.state === 'unknown') return this.reconcile(row);
    if (row.state !== 'queued') return;

    const attempt = row.attempts + 1;
    const sending = this.commit(id, (r) =>
      r.state !== 'queued'
        ? undefined
        : {
            event: 'send',
            patch: { attempts: attempt },
            events: [
              {
                kind: 'sending',
                actor: SYSTEM,
                ...(attempt > 1 ? { message: msg('line.attempt', { attempt }) } : {}),
              },
            ],
          },
    );
    if (!sending) return;

    if (sending.checkBeforeSend) {
      // An earlier attempt may have reached Dintero: reconcile (as unknown) before any POST.
      this.lose(id, msg('line.checkEarlierAttempt'), { delayMs: 0 });
      return;
    }

    const settings = this.ctx.settings();
    const req = buildCreateSessionRequest(sending, settings, this.ctx.now());
    let result: CreateSessionResult;
    try {
      result = await this.ctx.client.createSession(req);
    } catch (err) {
      return this.onCreateFailed(sending, err);
    }
    this.ctx.connectivity.reached();
    const sms = result.publish?.find((p) => p.channel === 'sms')?.status;
    this.commit(id, (r) => ({
      event: 'link_created',
      patch: {
        sessionId: result.id,
        linkUrl: result.url,
        expiresAt: req.expires_at,
        checkBeforeSend: false,
        ...(sms ? { smsStatus: sms } : {}),
      },
      clear: ['lastError'],
      events: [{ kind: 'link_sent', actor: SYSTEM, message: linkSentLine(r, sms) }],
    }));
  }

  private onCreateFailed(row: OrderRow, err: unknown): void {
    const e =
      err instanceof DinteroError
        ? err
        : new DinteroError('outcome_unknown', 'The create call failed unexpectedly.', {});
    if (!(err instanceof DinteroError)) {
      this.ctx.logger.error({ err, orderId: row.id }, 'outbox: create threw a non-Dintero error');
    }
    const now = this.ctx.now();
    const t = this.ctx.timing;
    switch (e.kind) {
      case 'network':
        this.ctx.connectivity.networkFailed();
        this.defer(row, {
          at: now,
          attempts: row.attempts - 1,
          error: msg('line.deferredOffline'),
          check: false,
        });
        return;
      case 'rate_limited': {
        const wait = backoffDelay(row.attempts - 1, {
          baseMs: t.backoffBaseMs,
          maxMs: t.backoffMaxMs,
          random: this.ctx.random,
          retryAfterMs: e.details.retryAfterMs ?? t.backoffBaseMs,
        });
        this.ctx.connectivity.rateLimited(e.details.retryAfterMs ?? t.backoffBaseMs);
        this.defer(row, {
          at: now + wait,
          error: msg('line.deferredRateLimited'),
          check: false,
        });
        return;
      }
      case 'unavailable':
        // A 5xx answer to a POST may still have created the session: its outcome is unknown.
        this.ctx.connectivity.reached();
        this.lose(row.id, msg('line.unknownAfterError'));
        return;
      case 'authentication':
      case 'permission':
      case 'not_configured': {
        const reason = msg(
          e.kind === 'permission'
            ? 'line.pausedPermission'
            : e.kind === 'not_configured'
              ? 'line.pausedNotConfigured'
              : 'line.pausedAuthentication',
        );
        this.defer(row, { at: now, attempts: row.attempts - 1, error: reason, check: false });
        this.ctx.connectivity.block(reason);
        return;
      }
      case 'invalid_request':
      case 'not_found': {
        this.ctx.connectivity.reached();
        // Dintero's own words are shown as Dintero wrote them (they come in English).
        const why = e.details.dinteroMessage ?? e.message;
        const fields = (e.details.fieldErrors ?? [])
          .map((f) => (f.field ? `${f.field}: ${f.message}` : f.message))
          .join('; ');
        const message = msg('line.refusedByDintero', { why: fields ? `${why} (${fields})` : why });
        this.commit(row.id, (r) =>
          r.state !== 'sending'
            ? undefined
            : {
                event: 'refuse',
                patch: { lastError: message },
                events: [{ kind: 'failed', actor: 'dintero', message }],
              },
        );
        return;
      }
      case 'outcome_unknown':
      default:
        this.lose(row.id, msg('line.answerLost'));
        return;
    }
  }

  /**
   * The create's outcome is unknown (answer lost, 5xx, crash mid-send): the order becomes
   * `unknown` and is reconciled (searched, over a window) before anything is sent again, and
   * watched for a second session for a while.
   */
  private lose(id: string, line: Message, o: { kind?: string; delayMs?: number } = {}): void {
    this.commit(id, (r) =>
      r.state !== 'sending'
        ? undefined
        : {
            event: 'lose',
            patch: {
              nextAttemptAt: this.ctx.now() + (o.delayMs ?? this.ctx.timing.reconcileDelayMs),
              checkBeforeSend: true,
              duplicateWatchUntil: this.ctx.now() + this.ctx.timing.duplicateWatchMs,
              lastError: msg('line.checkingCreate'),
            },
            events: [{ kind: o.kind ?? 'unknown', actor: SYSTEM, message: line }],
          },
    );
  }

  private defer(
    row: OrderRow,
    o: { at: number; error: Message; check: boolean; attempts?: number },
  ): void {
    this.commit(row.id, (r) =>
      r.state !== 'sending'
        ? undefined
        : {
            event: 'defer',
            patch: {
              nextAttemptAt: o.at,
              lastError: o.error,
              checkBeforeSend: o.check || r.checkBeforeSend,
              ...(o.attempts !== undefined ? { attempts: Math.max(0, o.attempts) } : {}),
            },
            events: [{ kind: 'queued', actor: SYSTEM, message: o.error }],
          },
    );
  }

  /** Reconciles an `unknown` order: take the session, queue again, or wait. */
  private async reconcile(row: OrderRow): Promise<void> {
    const lookup = await lookUpSession(this.ctx.client, row, this.ctx.now());
    if (lookup.kind === 'found') {
      this.ctx.absence.forget(row.id);
      return this.takeSession(row, lookup.session, lookup.others.length);
    }
    const now = this.ctx.now();
    if (lookup.kind === 'failed') {
      if (lookup.error.kind === 'network') this.ctx.connectivity.networkFailed();
      else this.ctx.connectivity.reached();
      const wait = backoffDelay(Math.min(row.attempts, 10), {
        baseMs: this.ctx.timing.backoffBaseMs,
        maxMs: this.ctx.timing.backoffMaxMs,
        random: this.ctx.random,
        ...(lookup.error.details.retryAfterMs !== undefined
          ? { retryAfterMs: lookup.error.details.retryAfterMs }
          : {}),
      });
      // Not a state change: the order stays unknown until a search succeeds.
      this.ctx.journal.change(row.id, (r) =>
        r.state === 'unknown' ? { patch: { nextAttemptAt: now + wait } } : undefined,
      );
      return;
    }
    this.ctx.connectivity.reached();
    const verdict = this.ctx.absence.absent(row.id);
    if (!verdict.conclusive) {
      // One empty search proves nothing: Dintero's search lags behind its creates.
      this.ctx.journal.change(row.id, (r) =>
        r.state === 'unknown'
          ? { patch: { nextAttemptAt: now + verdict.nextReadInMs } }
          : undefined,
      );
      return;
    }
    // Sent again after the usual backoff, so repeated 5xx answers do not hammer Dintero.
    const wait = backoffDelay(Math.max(0, row.attempts - 1), {
      baseMs: this.ctx.timing.backoffBaseMs,
      maxMs: this.ctx.timing.backoffMaxMs,
      random: this.ctx.random,
    });
    this.commit(row.id, (r) =>
      r.state !== 'unknown'
        ? undefined
        : {
            event: 'reconcile_absent',
            patch: { nextAttemptAt: now + wait, checkBeforeSend: false },
            events: [
              {
                kind: 'reconciled',
                actor: SYSTEM,
                message: msg('line.reconciledAbsent', {
                  reads: verdict.reads,
                  seconds: Math.round(this.ctx.timing.absenceWindowMs / 1000),
                }),
              },
            ],
          },
    );
  }

  private takeSession(row: OrderRow, session: DinteroSession, others: number): void {
    this.ctx.connectivity.reached();
    if (others > 0) {
      this.ctx.logger.warn(
        { orderId: row.id, reference: row.merchantReference, others },
        'reconcile: more than one session carries this reference; taking the oldest',
      );
    }
    const sms = session.configuration?.publish?.find((p) => p.channel === 'sms')?.status;
    const linkUrl = (session as { url?: { session_url?: unknown } }).url?.session_url;
    try {
      this.commit(row.id, (r) =>
        r.state !== 'unknown' && r.state !== 'sending'
          ? undefined
          : {
              event: 'reconcile_found',
              patch: {
                sessionId: session.id,
                checkBeforeSend: false,
                ...(session.expires_at ? { expiresAt: session.expires_at } : {}),
                ...(typeof linkUrl === 'string' ? { linkUrl } : {}),
                ...(sms ? { smsStatus: sms } : {}),
              },
              clear: ['lastError'],
              events: [
                {
                  kind: 'reconciled',
                  actor: SYSTEM,
                  message: msg('line.reconciledFound'),
                },
                { kind: 'link_sent', actor: SYSTEM, message: linkSentLine(r, sms) },
              ],
            },
      );
    } catch (err) {
      if (!(err instanceof IllegalTransition)) throw err;
    }
  }

  /** Orders the outbox owns (queued, sending, unknown). */
  queueLength(): number {
    return this.ctx.journal.count(OUTBOX_STATES);
  }
}

/** The timeline line for a link that now exists: how it reached (or did not reach) the customer. */
function linkSentLine(r: OrderRow, sms: string | undefined): Message {
  const amount = { money: r.amount, currency: r.currency };
  if (r.delivery !== 'sms') return msg('line.linkCreatedNotTexted', { amount });
  const phone = maskPhone(r.phone);
  switch (sms) {
    case 'sent':
      return msg('line.linkTexted', { amount, phone });
    case 'skipped':
      return msg('line.linkSmsSkipped', { amount, phone });
    case 'failed':
      return msg('line.linkSmsFailed', { amount, phone });
    default:
      return msg('line.linkCreatedFor', { amount, phone });
  }
}
