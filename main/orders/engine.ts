/**
 * The order engine: the journal, the outbox sender and reconciler, the status poller and the
 * money operations, wired behind the OrderEngine interface (engine-types.ts).
 *
 * When the journal cannot be used (damaged, not a database, from a newer version) the engine
 * still comes up, but in a "journal problem" state: status().journalProblem carries the plain
 * message (naming the file and the intact copy), reads return nothing, every write rejects
 * with DeskError('journal_unavailable'), and nothing is ever sent. No fresh journal is made
 * automatically: a person decides (see journal-open.ts).
 */
import { DeskError } from '../desk-error';
import { msg, type Message } from '../../common/i18n/messages';
import { EventEmitter } from 'node:events';
import type { OrderSummary } from '../../common/domain';
import type {
  CreateOrderResult,
  NewOrderInput,
  OrderDetail,
  OrderFilter,
  OrderPageInput,
} from '../../common/ipc-contract';
import { validateNewOrder } from '../../common/order-input';
import { parseCustomerPhone } from '../../common/phone';
import { AbsenceWatch } from './absence';
import { Connectivity } from './connectivity';
import {
  DEFAULT_TIMING,
  type Committed,
  type EngineContext,
  type FullTiming,
} from './engine-context';
import {
  type EngineEvents,
  type NotificationRequest,
  type OrderEngine,
  type OrderEngineOptions,
} from './engine-types';
import { createDayClose } from '../day-close/day-close';
import { checkDay, type DayCheck, type DayWindow } from '../day-close/day-check';
import { Journal } from './journal';
import { integrityProblem } from './journal-open';
import { MoneyOps } from './money-ops';
import { notificationsFor } from './notification-rules';
import { orderActions } from '../../common/order-actions';
import { insertNewOrder } from './order-create';
import { toSummary, type OrderRow } from './order-row';
import {
  CUSTOMER_DONE_STATES,
  LATE_STATES,
  OPEN_LINK_STATES,
  OUTBOX_STATES,
} from '../../common/order-state';
import { Outbox } from './outbox';
import { nextTurn, SLICE_MS } from './main-slices';
import { StatusPoller, type PollRound } from './status-poller';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Extra handles the tests (and diagnostics) use; not part of the IPC surface. */
export interface OrderEngineInternals {
  /** Sends/reconciles everything due now and waits until done. */
  sendNow(): Promise<void>;
  /** Starts one outbox pass (due orders up to the concurrency) and waits for it. */
  pass(): Promise<void>;
  /** One poll round, awaited. */
  pollNow(): Promise<PollRound>;
  /** One connectivity probe; true when sending may resume. */
  probeNow(): Promise<boolean>;
  /** Settles money operations whose answers were lost. */
  resolveOperationsNow(): Promise<void>;
  /** The day close's check against Dintero alone (day-check.ts). */
  checkDayNow(day: DayWindow, storeIds?: readonly string[]): Promise<DayCheck>;
  /**
   * Erases old customer data now (as at start and once a day), a slice at a time, and empties
   * the WAL; resolves with how many orders. A run already going is joined, not repeated.
   */
  eraseCustomerDataNow(): Promise<number>;
  /** Stops at once without waiting for calls in flight (simulates a crash in tests). */
  closeNow(): void;
  /** The journal, when open. */
  readonly journal: Journal | undefined;
  /**
   * Resolves once the journal is known sound: true at once when it was checked as it opened,
   * else when its helper thread's check passes (false: it failed, or there is no journal).
   */
  journalChecked(): Promise<boolean>;
}

/** Creates the engine. Opens (and if needed migrates) the journal right away. */
export function createOrderEngine(opts: OrderEngineOptions): OrderEngine & OrderEngineInternals {
  const now = opts.now ?? Date.now;
  const timing: FullTiming = { ...DEFAULT_TIMING, ...opts.timing };
  const emitter = new EventEmitter();
  emitter.setMaxListeners(50);
  const logger = opts.logger;

  const opened = Journal.open(
    opts.dataDir,
    now,
    opts.inlineCheckMaxBytes !== undefined ? { inlineCheckMaxBytes: opts.inlineCheckMaxBytes } : {},
  );
  if (!opened.ok) {
    logger.error({ path: opened.path, backup: opened.backup }, 'journal unusable: engine stopped');
    return problemEngine(opened.problem, emitter);
  }
  const journal = opened.journal;
  if (opened.migratedFrom > 0) logger.info({ from: opened.migratedFrom }, 'journal migrated');
  const adopted = journal.adoptUnassigned(opts.accountId);
  if (adopted > 0) logger.info({ adopted }, 'orders without an account assigned to this one');
  journal.scopeTo(opts.accountId);
  // Every write schedules the order's next status read with this engine's poll timing.
  journal.followWith(timing);
  const mono = opts.monotonic ?? (() => performance.now());
  // Checkpoints, and the integrity check of a journal too large to check as it opened, run
  // on the journal's helper thread (journal-helper.ts).
  const helper = journal.startHelper((message) =>
    logger.warn({ message }, 'journal helper thread failed'),
  );
  /** Why the journal became unusable after start (its deferred check failed). */
  let lateProblem: Message | undefined;
  /** True until the deferred integrity check has answered. */
  let checkPending = opened.checkDeferred;
  /** Resolves true once the journal is known sound (at once when checked as it opened). */
  const sound: Promise<boolean> = opened.checkDeferred
    ? (helper?.check() ?? Promise.resolve(undefined)).then((answer) => {
        checkPending = false;
        if (journal.isClosed) return false;
        // No helper to check it: here, once (slow, but nothing is sent unchecked).
        const verdict = answer ?? journal.quickCheck();
        if (!verdict.ok) journalFailed(verdict.detail);
        return verdict.ok && !journal.isClosed;
      })
    : Promise.resolve(true);

  let lastStatus = '';
  let stopped = false;
  const status = (): ReturnType<OrderEngine['status']> => ({
    online: connectivity.online,
    queueLength: journal.isClosed ? 0 : journal.count(OUTBOX_STATES),
    ...(connectivity.blocked ? { sendingPaused: connectivity.blocked } : {}),
  });
  const emitStatus = (): void => {
    if (journal.isClosed) return;
    const s = status();
    const key = `${s.online}|${s.queueLength}|${JSON.stringify(s.sendingPaused ?? '')}`;
    if (key === lastStatus) return;
    lastStatus = key;
    emitter.emit('statusChanged', { online: s.online, queueLength: s.queueLength });
  };
  const emitSafely = (event: keyof EngineEvents, payload: unknown): void => {
    try {
      emitter.emit(event, payload);
    } catch (err) {
      logger.error({ err, event }, 'engine listener threw');
    }
  };

  const connectivity = new Connectivity({
    client: opts.client,
    logger,
    now,
    probeMs: timing.probeMs,
    onChange: () => emitStatus(),
    onResume: () => {
      if (journal.isClosed) return;
      journal.wakeWaiting(['queued', 'unknown'], now());
      outbox.wake(0);
      poller.wake();
    },
  });

  const ctx: EngineContext = {
    journal,
    client: opts.client,
    settings: opts.settings,
    logger,
    now,
    mono,
    dinteroNow: () => opts.client.serverNow?.() ?? now(),
    accountId: opts.accountId,
    absence: new AbsenceWatch(
      () => ({ windowMs: timing.absenceWindowMs, reads: timing.absenceReads }),
      mono,
    ),
    random: opts.random ?? Math.random,
    timing,
    concurrency: Math.max(1, opts.concurrency ?? 4),
    connectivity,
    published: (change: Committed | undefined) => {
      if (!change) return;
      const after = toSummary(change.after);
      emitSafely('orderChanged', after);
      const before = change.before ? toSummary(change.before) : undefined;
      for (const n of notificationsFor(before, after, opts.settings().notifications)) {
        emitSafely('notify', n);
      }
      emitStatus();
    },
    notify: (n: NotificationRequest) => emitSafely('notify', n),
  };

  const outbox = new Outbox(ctx);
  const ops = new MoneyOps(ctx, () => outbox.wake(0));
  const poller = new StatusPoller(ctx, ops);
  const dayClose = createDayClose(ctx, {
    timeZone: opts.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  });

  const writable = (): void => {
    if (journal.isClosed) {
      throw new DeskError('journal_unavailable', lateProblem ?? msg('error.journalClosed'));
    }
  };
  /** Before anything reaches Dintero: waits for a deferred integrity check to pass. */
  const checked = async (): Promise<void> => {
    if (checkPending) await sound;
    writable();
  };
  /** The order as the journal holds it; DeskError not_found when there is none. */
  const existingRow = (id: string): OrderRow => {
    const row = journal.isClosed ? undefined : journal.get(id);
    if (!row) throw new DeskError('not_found', msg('error.orderNotFound'));
    return row;
  };

  const findDuplicates = (phone: string, amount: number, currency: string): OrderSummary[] =>
    journal.openDuplicates(phone, amount, currency, OPEN_LINK_STATES).map(toSummary);

  /**
   * Erases the customer from orders unchanged for `customerDataDays` (read from the settings
   * on each run) that need them no more (CUSTOMER_DONE_STATES; late ones once their grace is
   * over too), merges the customer's search index and empties the WAL (journal.compact, its
   * checkpoint on the helper thread). A slice of SLICE_MS at a time, yielding between (a first
   * run at a million orders erases thousands): orders typed meanwhile are journaled between
   * slices. One run at a time. Logs counts only.
   */
  let erasing: Promise<number> | undefined;
  const eraseSlices = async (): Promise<number> => {
    const days = opts.settings().customerDataDays;
    const t = now();
    const keepMs = days * DAY_MS;
    const q = {
      states: CUSTOMER_DONE_STATES,
      before: new Date(t - keepMs).toISOString(),
      lateStates: LATE_STATES,
      lateBefore: new Date(t - Math.max(keepMs, timing.lateGraceMs)).toISOString(),
      now: t,
    };
    let count = 0;
    for (;;) {
      if (journal.isClosed) return count;
      const ids = journal.eraseCustomerData(q, SLICE_MS);
      if (ids.length === 0) break;
      count += ids.length;
      for (const id of ids) {
        const row = journal.get(id);
        if (row) emitSafely('orderChanged', toSummary(row));
      }
      await nextTurn();
    }
    if (journal.compactDue) {
      while (!journal.isClosed && !journal.mergeCustomerSearch(SLICE_MS)) {
        await nextTurn();
      }
      if (!journal.isClosed && !(await journal.compact()) && !journal.isClosed) {
        logger.warn('journal WAL could not be emptied after erasing');
      }
    }
    if (count > 0) logger.info({ orders: count, days }, 'customer data erased');
    return count;
  };
  const eraseCustomerData = (): Promise<number> => {
    if (journal.isClosed) return Promise.resolve(0);
    erasing ??= eraseSlices()
      .catch((err: unknown) => {
        logger.error({ err }, 'customer data could not be erased');
        return 0;
      })
      .finally(() => {
        erasing = undefined;
      });
    return erasing;
  };
  let eraseTimer: NodeJS.Timeout | undefined;
  const stopErasing = (): void => {
    if (eraseTimer) clearInterval(eraseTimer);
    eraseTimer = undefined;
  };
  /** What start() sets going (at once, or once a deferred integrity check has passed). */
  const beginWork = (): void => {
    if (journal.isClosed) return;
    void eraseCustomerData();
    stopErasing();
    eraseTimer = setInterval(() => void eraseCustomerData(), timing.customerDataEveryMs);
    eraseTimer.unref?.();
    connectivity.start();
    outbox.start();
    poller.start();
    emitStatus();
  };
  /**
   * The deferred integrity check failed: as for a journal found damaged at open, an intact
   * copy is saved beside it, the engine stops (nothing more is sent or written) and the status
   * carries the banner naming both files.
   */
  const journalFailed = (detail: string): void => {
    if (journal.isClosed) return;
    const { problem, backup } = integrityProblem(journal.path, detail, now());
    logger.error(
      { path: journal.path, backup },
      'journal failed its integrity check: engine stopped',
    );
    lateProblem = problem;
    stopped = true;
    stopErasing();
    connectivity.stop();
    void outbox.stop();
    void poller.stop();
    journal.close();
    emitSafely('statusChanged', { online: false, queueLength: 0 });
  };

  const engine: OrderEngine & OrderEngineInternals = {
    get journal() {
      return journal.isClosed ? undefined : journal;
    },

    journalChecked: () => sound,

    start() {
      if (journal.isClosed) return;
      stopped = false;
      if (checkPending) {
        // Orders are taken meanwhile; nothing goes out until the journal is known sound.
        void sound.then((ok) => {
          if (ok && !stopped) beginWork();
        });
        return;
      }
      beginWork();
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      stopErasing();
      connectivity.stop();
      const pending = [...outbox.stop(), poller.stop(), ...ops.pendingCalls()].filter(
        (p): p is Promise<unknown> => p !== undefined,
      );
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timing.stopTimeoutMs);
      });
      await Promise.race([Promise.allSettled(pending), timeout]);
      if (timer) clearTimeout(timer);
      journal.close();
    },

    closeNow() {
      stopped = true;
      stopErasing();
      connectivity.stop();
      void outbox.stop();
      void poller.stop();
      journal.close();
    },

    createOrder(input: NewOrderInput, actor: string): Promise<CreateOrderResult> {
      try {
        writable();
        const settings = opts.settings();
        const v = validateNewOrder(input, {
          maxOrderAmount: settings.maxOrderAmount,
          now: new Date(now()),
        });
        if (!v.ok) {
          throw new DeskError('invalid_input', msg('error.orderNeedsFixing'), v.errors);
        }
        const o = v.order;
        if (input.allowDuplicate !== true) {
          const duplicates = findDuplicates(o.phoneE164, o.amount, o.currency);
          if (duplicates.length > 0) return Promise.resolve({ created: false, duplicates });
        }
        const row = journal.transaction(() =>
          insertNewOrder(
            journal,
            {
              phone: o.phoneE164,
              amount: o.amount,
              currency: o.currency,
              vatAmount: o.vatAmount,
              items: o.items,
              linkLifetimeHours: o.linkLifetimeHours,
              delivery: o.delivery,
              ...(o.customerName ? { customerName: o.customerName } : {}),
              ...(o.email ? { email: o.email } : {}),
              ...(o.note ? { note: o.note } : {}),
              ...(o.externalReference ? { externalReference: o.externalReference } : {}),
            },
            { actor, now: now(), settings, accountId: opts.accountId },
          ),
        );
        ctx.published({ after: row });
        outbox.wake(0);
        return Promise.resolve({ created: true, order: toSummary(row) });
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },

    checkDuplicate(input) {
      if (journal.isClosed) return [];
      const phone = parseCustomerPhone(input.phone, input.country);
      if (!phone.ok) return [];
      return findDuplicates(phone.e164, input.amount, input.currency);
    },

    listOrders(filter?: OrderFilter) {
      if (journal.isClosed) return { orders: [], total: 0 };
      const r = journal.list({
        ...(filter?.states !== undefined ? { states: filter.states } : {}),
        ...(filter?.from !== undefined ? { from: filter.from } : {}),
        ...(filter?.to !== undefined ? { to: filter.to } : {}),
        ...(filter?.limit !== undefined ? { limit: filter.limit } : {}),
      });
      return { orders: r.orders.map(toSummary), total: r.total };
    },

    pageOrders(q: OrderPageInput) {
      if (journal.isClosed) return { orders: [], all: 0 };
      const { orders, ...rest } = journal.page(q);
      return { orders: orders.map(toSummary), ...rest };
    },

    getOrder(id: string): OrderDetail {
      const row = existingRow(id);
      return {
        order: toSummary(row),
        events: journal.events(id),
        actions: orderActions(row, opts.accountId),
      };
    },

    ordersNeedingAccount() {
      if (journal.isClosed) return [];
      return poller.needingAccount().map(toSummary);
    },

    pendingWork() {
      if (journal.isClosed) return { queued: 0, outcomeUnknown: 0, operationsPending: 0 };
      const inFlight = new Set(journal.inStates([], true).map((r) => r.id));
      for (const op of journal.openOperations()) inFlight.add(op.orderId);
      return {
        queued: journal.count(OUTBOX_STATES),
        outcomeUnknown: journal.withUnknownOutcome().length,
        operationsPending: inFlight.size,
      };
    },

    async capture(id, amount, actor) {
      await checked();
      const r = await ops.capture(id, amount, actor);
      poller.wake(id);
      return r;
    },

    async refund(id, amount, reason, actor, approval) {
      await checked();
      const r = await ops.refund(id, amount, reason, actor, approval);
      poller.wake(id);
      return r;
    },

    async void(id, actor) {
      await checked();
      const r = await ops.void(id, actor);
      poller.wake(id);
      return r;
    },

    async cancelLink(id, actor) {
      await checked();
      try {
        return await ops.cancelLink(id, actor);
      } finally {
        poller.wake(id);
      }
    },

    async resendLink(id, delivery, actor) {
      await checked();
      return ops.resendLink(id, delivery, actor);
    },

    async qr(id) {
      existingRow(id);
      return ops.qr(id);
    },

    retry(id, actor) {
      writable();
      existingRow(id);
      const result = journal.change(id, (r) => {
        if (r.customerErasedAt !== undefined) {
          throw new DeskError('not_allowed', msg('reason.customerErased'));
        }
        if (r.state !== 'failed' || r.sessionId) {
          throw new DeskError(
            'not_allowed',
            msg(r.state === 'failed' ? 'reason.retryPaymentFailed' : 'reason.retryOnlyRefused'),
          );
        }
        return {
          event: 'retry',
          patch: { attempts: 0, nextAttemptAt: now(), checkBeforeSend: false },
          clear: ['lastError'],
          events: [{ kind: 'retry', actor, message: msg('line.retry') }],
        };
      });
      if (!result) throw new DeskError('not_found', msg('error.orderNotFound'));
      ctx.published(result);
      outbox.wake(0);
      return toSummary(result.after);
    },

    status() {
      if (journal.isClosed) {
        return {
          online: false,
          queueLength: 0,
          ...(lateProblem ? { journalProblem: lateProblem } : {}),
        };
      }
      return status();
    },

    on(event, listener) {
      emitter.on(event, listener);
      return () => {
        emitter.off(event, listener);
      };
    },

    async sendNow() {
      if (journal.isClosed) return;
      outbox.recoverInterrupted();
      await outbox.drain();
    },

    async pass() {
      if (journal.isClosed) return;
      await Promise.all(outbox.pass());
    },

    pollNow() {
      return poller.pollOnce();
    },

    probeNow() {
      return connectivity.probe();
    },

    resolveOperationsNow() {
      return ops.resolveOpen();
    },

    eraseCustomerDataNow: eraseCustomerData,

    checkDayNow(day, storeIds) {
      return checkDay(ctx, day, storeIds);
    },
    dayCloseView: (q) => dayClose.view(q),
    dayReport: (q) => dayClose.report(q),
  };
  return engine;
}

/** The engine when the journal cannot be used: reads are empty, writes refuse, nothing sends. */
function problemEngine(
  problem: Message,
  emitter: EventEmitter,
): OrderEngine & OrderEngineInternals {
  const refuse = (): never => {
    throw new DeskError('journal_unavailable', problem);
  };
  const refuseAsync = (): Promise<never> =>
    Promise.reject(new DeskError('journal_unavailable', problem));
  return {
    journal: undefined,
    journalChecked: () => Promise.resolve(false),
    start: () => undefined,
    stop: () => Promise.resolve(),
    closeNow: () => undefined,
    eraseCustomerDataNow: () => Promise.resolve(0),
    createOrder: refuseAsync,
    checkDuplicate: () => [],
    listOrders: () => ({ orders: [], total: 0 }),
    pageOrders: () => ({ orders: [], all: 0 }),
    getOrder: () => refuse(),
    capture: refuseAsync,
    refund: refuseAsync,
    void: refuseAsync,
    cancelLink: refuseAsync,
    resendLink: refuseAsync,
    qr: refuseAsync,
    retry: () => refuse(),
    ordersNeedingAccount: () => [],
    pendingWork: () => ({ queued: 0, outcomeUnknown: 0, operationsPending: 0 }),
    status: () => ({ online: false, queueLength: 0, journalProblem: problem }),
    on(event, listener) {
      emitter.on(event, listener);
      return () => {
        emitter.off(event, listener);
      };
    },
    sendNow: () => Promise.resolve(),
    pass: () => Promise.resolve(),
    pollNow: () => Promise.resolve({ sessionCalls: 0, transactionCalls: 0, polled: 0 }),
    probeNow: () => Promise.resolve(false),
    resolveOperationsNow: () => Promise.resolve(),
    checkDayNow: refuseAsync,
    dayCloseView: refuseAsync,
    dayReport: refuseAsync,
  };
}
