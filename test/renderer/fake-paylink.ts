/**
 * An in-memory PaylinkApi for renderer tests, faithful to common/ipc-contract.ts: every input is
 * validated with the contract's zod schema, every call resolves to an IpcResult (never throws),
 * new orders are checked with common/order-input and go queued -> sending -> link_sent on their
 * own (emitting 'order:changed' for each step), money actions follow the domain's rules, and
 * training mode "sends" SMS and lets a test play the customer.
 *
 * The domain's rules are the app's own, from common/: state moves go through the state machine
 * (common/order-state), the actions an order allows and their maxima come from
 * common/order-actions, status words from STATUS_WORDS, settings defaults from
 * common/settings-defaults. Only what main does with Dintero is played here.
 *
 * Controls for tests: `control.setOnline`, `control.failNext`, `control.seed`, `control.setState`,
 * `control.emit`, `control.hold` (stop the automatic progression), and `calls` (what was asked).
 */
import { zodFields } from '../../main/ipc/dispatch';
import { english, msg, type Message } from '../../common/i18n';
import {
  STATUS_WORDS,
  shownState,
  type AppStatus,
  type Currency,
  type OrderActions,
  type OrderEvent,
  type OrderState,
  type OrderSummary,
  type SecretStatus,
  type Settings,
  type TrainingSession,
  type TrainingSms,
} from '../../common/domain';
import {
  accountBoundOrder,
  channels,
  type Channel,
  type ChannelResults,
  type EventName,
  type EventPayloads,
  type IpcError,
  type IpcResult,
  type NewOrderInput,
  type DeskAccess,
  type OrderDetail,
  type OrderPageInput,
  type SettingsView,
} from '../../common/ipc-contract';
import { boardKeyOf, boardMatcher, compareBoardKeys } from '../../common/order-search';
import { actorOf } from '../../common/actor';
import { PROTECTED_SETTINGS } from '../../main/access/protected-settings';
import { actionableOf, orderActions } from '../../common/order-actions';
import { validateNewOrder } from '../../common/order-input';
import {
  ACCOUNT_BOUND_STATES,
  amountState,
  EVENT_INTO,
  OPEN_LINK_STATES,
  OUTBOX_STATES,
  transition,
  type StateEvent,
} from '../../common/order-state';
import { createPaylinkApi, type PaylinkApi } from '../../common/paylink-api';
import type { NewOrderLink } from '../../common/paylink-link';
import { parseCustomerPhone } from '../../common/phone';
import { defaultSettings } from '../../common/settings-defaults';
import type {
  DayCheckView,
  DayCloseView,
  DayRow,
  DayScope,
  PayoutsView,
} from '../../common/day-close';
import { byMethod, dayRowOf, figuresByCurrency } from '../../common/day-figures';
import { dayOf, dayWindow } from '../../common/day-time';
import { authorizationLapse, methodFamily } from '../../common/payment-method';

/** A 1x1 transparent PNG: enough for an <img> to have a data: URL. */
export const TINY_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

export interface FakeOptions {
  mode?: 'training' | 'live';
  online?: boolean;
  testAccount?: boolean;
  settings?: Partial<Settings>;
  secret?: SecretStatus;
  /** Orders present at start (newest first or not; the fake does not care). */
  orders?: OrderSummary[];
  /** Clock (ms since epoch). */
  now?: () => number;
  /** Start with automatic progression held (orders stay queued until `control.release`). */
  hold?: boolean;
  /** Extra fields for AppStatus (journalProblem, settingsWarning, keychainProblem...). */
  status?: Partial<AppStatus>;
  /** What the day close's check against Dintero and payouts say (default: agreed, training). */
  dayCheck?: DayCheckView;
  payouts?: PayoutsView;
  /** A paylink: link main holds at start (the page takes it with 'app:takeLink'). */
  link?: NewOrderLink;
  /** Who is at the desk and the PINs set (in the clear here: main hashes; see main/access). */
  access?: { current?: string; staffPins?: Record<string, string>; managerPin?: string };
}

export interface FakePaylink {
  api: PaylinkApi;
  /** Every call made, in order, with its (unvalidated) input. */
  calls: { channel: Channel; input: unknown }[];
  callsTo(channel: Channel): unknown[];
  orders: Map<string, OrderSummary>;
  events: Map<string, OrderEvent[]>;
  sms: TrainingSms[];
  secret: { value?: string };
  settings: Settings;
  control: {
    setOnline(online: boolean): void;
    setStatus(patch: Partial<AppStatus>): void;
    /**
     * As main does when credentials become complete (or are cleared): the other mode's
     * journal is now in use. Its orders replace the fake's, and status:changed says so.
     */
    switchMode(next: 'training' | 'live', journal?: OrderSummary[]): void;
    /** The next call to `channel` answers this error (its words shown as given when no `text`). */
    failNext(channel: Channel, error: Omit<IpcError, 'text'> & { text?: Message }): void;
    seed(orders: OrderSummary[]): void;
    /** Moves an order to a state (with the amounts that state implies) and emits it. */
    setState(id: string, state: OrderState, patch?: Partial<OrderSummary>): OrderSummary;
    emit<E extends EventName>(event: E, payload: EventPayloads[E]): void;
    hold(): void;
    /** Resumes progression and advances every queued order. */
    release(): void;
    /** Waits until the automatic progression has nothing pending. */
    settle(): Promise<void>;
  };
  dispose(): void;
}

const live = new Set<FakePaylink>();

/** Disposes every fake made in this test file (setup-dom calls it after each test). */
export function disposeAllFakes(): void {
  for (const f of live) f.dispose();
  live.clear();
}

let seq = 0;

/** An order summary with sensible defaults, for seeding boards and detail screens. */
export function makeOrder(patch: Partial<OrderSummary> & { id?: string } = {}): OrderSummary {
  const n = ++seq;
  const state = patch.state ?? 'link_sent';
  const createdAt = patch.createdAt ?? new Date(Date.UTC(2026, 0, 15, 9, 0, n % 60)).toISOString();
  const amount = patch.amount ?? 129_950;
  const base: OrderSummary = {
    id: `ord-${n}`,
    merchantReference: `PD-${String(n).padStart(6, '0')}`,
    state,
    statusWord: STATUS_WORDS[state],
    phone: '+4791234567',
    amount,
    currency: 'NOK',
    vatAmount: 0,
    items: [],
    delivery: 'sms',
    linkLifetimeHours: 24,
    createdAt,
    updatedAt: createdAt,
    createdBy: 'Desk 1',
    ...(['queued', 'sending', 'unknown'].includes(state)
      ? {}
      : {
          sessionId: `T1000000${n}`,
          linkUrl: `https://checkout.test.dintero.com/v1/view/T1000000${n}`,
          smsStatus: 'sent' as const,
        }),
    ...amountsFor(state, amount),
  };
  const order = { ...base, ...patch };
  return { ...order, statusWord: STATUS_WORDS[shownState(order)] };
}

/** Authorized/captured/refunded amounts a state implies for a full-amount payment. */
function amountsFor(
  state: OrderState,
  amount: number,
): Pick<OrderSummary, 'authorizedAmount' | 'capturedAmount' | 'refundedAmount'> {
  const half = Math.floor(amount / 2);
  switch (state) {
    case 'authorized':
    case 'voided':
      return { authorizedAmount: amount, capturedAmount: 0, refundedAmount: 0 };
    case 'partially_captured':
      return { authorizedAmount: amount, capturedAmount: half, refundedAmount: 0 };
    case 'captured':
      return { authorizedAmount: amount, capturedAmount: amount, refundedAmount: 0 };
    case 'partially_refunded':
      return { authorizedAmount: amount, capturedAmount: amount, refundedAmount: half };
    case 'refunded':
      return { authorizedAmount: amount, capturedAmount: amount, refundedAmount: amount };
    default:
      return { authorizedAmount: 0, capturedAmount: 0, refundedAmount: 0 };
  }
}

/** The actions an order allows: the app's own rules (common/order-actions). */
export function actionsFor(o: OrderSummary, accountId?: string): OrderActions {
  return orderActions(actionableOf(o), accountId);
}

/**
 * The state `event` moves the order into, by the app's state machine. A move the machine
 * refuses is a bug in the test or the fake, so it throws instead of inventing a state.
 */
function next(o: OrderSummary, event: StateEvent): OrderState {
  const t = transition(o.state, event);
  if (!t.ok) throw new Error(`fake-paylink: ${t.reason}`);
  return t.state;
}

/** The state a paid order moves into when its amounts become these. */
function afterMoney(o: OrderSummary, captured: number, refunded: number): OrderState {
  const event = EVENT_INTO[amountState(o.authorizedAmount, captured, refunded)];
  if (!event) throw new Error('fake-paylink: no event moves an order into that state');
  return next(o, event);
}

function sessionStateOf(o: OrderSummary): TrainingSession['state'] {
  switch (o.state) {
    case 'opened':
      return 'visited';
    case 'declined':
      return 'declined';
    case 'cancelled':
      return 'cancelled';
    case 'expired':
      return 'expired';
    case 'link_sent':
      return 'open';
    default:
      return o.authorizedAmount > 0 ? 'paid' : 'open';
  }
}

export function createFakePaylink(opts: FakeOptions = {}): FakePaylink {
  const now = opts.now ?? (() => Date.now());
  const iso = (): string => new Date(now()).toISOString();
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const orders = new Map<string, OrderSummary>();
  const events = new Map<string, OrderEvent[]>();
  const sms: TrainingSms[] = [];
  const calls: { channel: Channel; input: unknown }[] = [];
  const failures = new Map<Channel, IpcError>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let mode = opts.mode ?? 'training';
  let settings: Settings = { ...defaultSettings(), ...opts.settings };
  let pendingLink: NewOrderLink | null = opts.link ?? null;
  const access: { current?: string; staffPins: Record<string, string>; managerPin?: string } = {
    staffPins: {},
    ...opts.access,
  };
  const needsStaff = (): boolean => settings.staff.length > 0 && access.current === undefined;
  const actor = (): string => actorOf(settings.terminalName, access.current);
  const accessView = (): DeskAccess => ({
    staff: settings.staff.map((name) => ({ name, hasPin: access.staffPins[name] !== undefined })),
    ...(access.current !== undefined ? { current: access.current } : {}),
    needsStaff: needsStaff(),
    managerPinSet: access.managerPin !== undefined,
    refundApprovalAbove: settings.refundApprovalAbove,
    refundReasons: [...settings.refundReasons],
  });
  const accessChanged = (): DeskAccess => {
    const v = accessView();
    emit('access:changed', v);
    return v;
  };
  const secret: { value?: string } = {};
  let secretStatus: SecretStatus = opts.secret ?? { configured: false };
  let held = opts.hold ?? false;
  let disposed = false;
  let eventSeq = 0;
  let orderSeq = 0;
  let status: AppStatus = {
    mode,
    version: '0.1.0-test',
    online: opts.online ?? true,
    queueLength: 0,
    testAccount: opts.testAccount ?? false,
    ...(opts.testAccount
      ? { accountId: 'T12345678' }
      : mode === 'training'
        ? { accountId: 'P00000000' }
        : {}),
    ...opts.status,
  };

  const emit = <E extends EventName>(event: E, payload: EventPayloads[E]): void => {
    if (disposed) return;
    for (const l of listeners.get(event) ?? []) l(structuredClone(payload));
  };
  const later = (fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!disposed) fn();
    }, 0);
    timers.add(t);
  };
  const addEvent = (
    orderId: string,
    kind: string,
    actor: string,
    more: Partial<OrderEvent> = {},
  ): void => {
    const list = events.get(orderId) ?? [];
    list.push({ id: ++eventSeq, orderId, at: iso(), kind, actor, ...more });
    events.set(orderId, list);
  };
  const queueLength = (): number =>
    [...orders.values()].filter((o) => OUTBOX_STATES.includes(o.state)).length;
  const statusChanged = (): void => {
    const q = queueLength();
    if (q !== status.queueLength) {
      status = { ...status, queueLength: q };
      emit('status:changed', status);
    }
  };
  const put = (o: OrderSummary, patch: Partial<OrderSummary>): OrderSummary => {
    const next: OrderSummary = { ...o, ...patch, updatedAt: iso() };
    next.statusWord = STATUS_WORDS[shownState(next)];
    orders.set(next.id, next);
    emit('order:changed', next);
    statusChanged();
    return next;
  };

  /** queued -> sending -> link_sent, one step per tick, while online and not held. */
  const progress = (id: string): void => {
    later(() => {
      const o = orders.get(id);
      if (!o || held || !status.online) return;
      if (o.state === 'queued') {
        put(o, { state: next(o, 'send') });
        addEvent(id, 'sending', 'system');
        progress(id);
      } else if (o.state === 'sending') {
        const sessionId = `T${String(10_000_000 + orderSeq * 7 + id.length)}${id.replace(/\D/g, '')}`;
        const linkUrl = `https://checkout.test.dintero.com/v1/view/${sessionId}`;
        const smsSkipped = status.testAccount || o.delivery === 'link_only';
        const sent = put(o, {
          state: next(o, 'link_created'),
          sessionId,
          linkUrl,
          smsStatus: smsSkipped ? 'skipped' : 'sent',
          expiresAt: new Date(now() + o.linkLifetimeHours * 3_600_000).toISOString(),
        });
        addEvent(id, 'link_sent', 'dintero');
        if (mode === 'training' && !smsSkipped) {
          const m: TrainingSms = {
            id: `sms-${sms.length + 1}`,
            at: iso(),
            to: sent.phone,
            text: `Pay ${sent.amount / 100} ${sent.currency} to the shop: ${linkUrl}`,
            url: linkUrl,
            sessionId,
          };
          sms.push(m);
          emit('training:sms', m);
        }
      }
    });
  };

  const ok = <T>(value: T): IpcResult<T> => ({ ok: true, value: structuredClone(value) });
  const err = (
    code: IpcError['code'],
    text: Message,
    fields?: Record<string, Message>,
  ): IpcResult<never> => {
    return {
      ok: false,
      error: { code, message: english(text), text, ...(fields ? { fields } : {}) },
    };
  };
  const find = (id: string): OrderSummary | undefined => orders.get(id);
  const notFound = (): IpcResult<never> => err('not_found', msg('error.orderNotFound'));
  const settingsView = (): SettingsView => ({
    settings: structuredClone(settings),
    secret: { ...secretStatus },
    training: mode === 'training',
    deskId: '7KQ2MX',
  });

  /** The day close from the fake's orders, with the app's own figures (common/day-figures). */
  const dayView = (q: { day?: string; scope: DayScope }): DayCloseView => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const day = q.day ?? dayOf(now(), zone);
    const window = dayWindow(day, zone);
    const inDay = [...orders.values()].filter((o) => dayOf(Date.parse(o.createdAt), zone) === day);
    const rows: DayRow[] = inDay.map((o) => dayRowOf(o, zone));
    const all = [...orders.values()];
    const ref = (o: OrderSummary) => ({
      orderId: o.id,
      merchantReference: o.merchantReference,
      amount: o.amount,
      currency: o.currency,
    });
    return {
      day,
      timeZone: zone,
      ...window,
      scope: q.scope,
      storeId: settings.storeId,
      desk: settings.terminalName,
      generatedAt: iso(),
      currencies: figuresByCurrency(rows),
      methods: byMethod(rows),
      needs: {
        uncaptured: all
          .filter(
            (o) =>
              (o.state === 'authorized' || o.state === 'partially_captured') &&
              o.authorizedAmount > o.capturedAmount,
          )
          .map((o) => ({
            orderId: o.id,
            merchantReference: o.merchantReference,
            currency: o.currency,
            uncaptured: o.authorizedAmount - o.capturedAmount,
            method: methodFamily(o.paymentMethod) || 'other',
            ...authorizationLapse(o.updatedAt, methodFamily(o.paymentMethod), now()),
          })),
        unknown: all.filter((o) => shownState(o) === 'unknown').map(ref),
        queued: all.filter((o) => o.state === 'queued').map(ref),
      },
      check: opts.dayCheck ?? { status: 'checked', at: iso(), read: rows.length, differences: [] },
      payouts: opts.payouts ?? {
        status: 'read',
        paidOut: [],
        // The training simulator pays out the next morning: today's captures wait.
        waiting: rows
          .filter((r) => r.captured > 0)
          .map((r) => ({
            ...(r.orderId !== undefined ? { orderId: r.orderId } : {}),
            merchantReference: r.merchantReference,
            transactionId: r.transactionId,
            currency: r.currency,
            captured: r.captured,
          })),
      },
      rowCount: rows.length,
    };
  };

  const handlers: { [C in Channel]: (input: never) => IpcResult<ChannelResults[C]> } = {
    'app:status': () => ok(status),
    // As main: the paylink: link waiting for the page, handed over once.
    'app:takeLink': () => {
      const link = pendingLink;
      pendingLink = null;
      return ok(link);
    },
    // As main: restarts only when an update is ready and nothing waits (the gate).
    'app:restartToUpdate': () => {
      if (!status.update) return err('not_allowed', msg('update.none'));
      if (status.update.waitsFor?.length) return err('not_allowed', msg('update.busy'));
      return ok({ restarting: true as const, version: status.update.version });
    },
    'orders:create': (input: NewOrderInput) => {
      const checked = validateNewOrder(input, { maxOrderAmount: settings.maxOrderAmount });
      if (!checked.ok) return err('invalid_input', msg('error.invalidInput'), checked.errors);
      const v = checked.order;
      if (!input.allowDuplicate) {
        const duplicates = [...orders.values()].filter(
          (o) =>
            OPEN_LINK_STATES.includes(o.state) &&
            o.phone === v.phoneE164 &&
            o.amount === v.amount &&
            o.currency === v.currency,
        );
        if (duplicates.length > 0) return ok({ created: false as const, duplicates });
      }
      const n = ++orderSeq;
      const at = iso();
      const order: OrderSummary = {
        id: `new-${n}-${Math.random().toString(36).slice(2, 8)}`,
        merchantReference: `PD-T${String(n).padStart(5, '0')}`,
        state: 'queued',
        statusWord: STATUS_WORDS.queued,
        phone: v.phoneE164,
        amount: v.amount,
        currency: v.currency,
        vatAmount: v.vatAmount,
        items: v.items,
        delivery: v.delivery,
        linkLifetimeHours: v.linkLifetimeHours,
        createdAt: at,
        updatedAt: at,
        createdBy: settings.terminalName,
        authorizedAmount: 0,
        capturedAmount: 0,
        refundedAmount: 0,
        ...(v.customerName ? { customerName: v.customerName } : {}),
        ...(v.email ? { email: v.email } : {}),
        ...(v.note ? { note: v.note } : {}),
        ...(v.externalReference ? { externalReference: v.externalReference } : {}),
      };
      orders.set(order.id, order);
      addEvent(order.id, 'created', settings.terminalName);
      addEvent(order.id, 'queued', 'system');
      emit('order:changed', order);
      statusChanged();
      progress(order.id);
      return ok({ created: true as const, order });
    },
    'orders:checkDuplicate': (input: {
      phone: string;
      country: 'NO';
      amount: number;
      currency: Currency;
    }) => {
      const p = parseCustomerPhone(input.phone, input.country);
      const duplicates = p.ok
        ? [...orders.values()].filter(
            (o) =>
              OPEN_LINK_STATES.includes(o.state) &&
              o.phone === p.e164 &&
              o.amount === input.amount &&
              o.currency === input.currency,
          )
        : [];
      return ok({ duplicates });
    },
    'orders:list': (
      filter: { states?: OrderState[]; from?: string; to?: string; limit?: number } | undefined,
    ) => {
      const all = [...orders.values()]
        .filter((o) => !filter?.states || filter.states.includes(o.state))
        .filter((o) => !filter?.from || o.createdAt >= filter.from)
        .filter((o) => !filter?.to || o.createdAt <= filter.to)
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
      return ok({ orders: all.slice(0, filter?.limit ?? 500), total: all.length });
    },
    // As main's journal pages (main/orders/board-page.ts), by the same rules: board order,
    // the filter and search of common/order-search.ts, the keyset cursor, a total on first pages.
    'orders:page': (q: OrderPageInput) => {
      const match = boardMatcher(q);
      const matching = [...orders.values()].filter(match).sort(compareBoardKeys);
      const inRange = matching.filter(
        (o) =>
          (q.after === undefined || compareBoardKeys(q.after, o) < 0) &&
          (q.until === undefined || compareBoardKeys(o, q.until) <= 0),
      );
      const page = inRange.slice(0, q.limit);
      const first = q.after === undefined && q.until === undefined;
      return ok({
        orders: page,
        ...(inRange.length > q.limit ? { resume: boardKeyOf(page.at(-1)!) } : {}),
        ...(first ? { total: matching.length } : {}),
        all: orders.size,
      });
    },
    'orders:get': ({ id }: { id: string }) => {
      const o = find(id);
      if (!o) return notFound();
      const detail: OrderDetail = {
        order: o,
        events: events.get(id) ?? [],
        actions: actionsFor(o, status.accountId),
      };
      return ok(detail);
    },
    'orders:capture': ({ id, amount }: { id: string; amount?: number }) => {
      const o = find(id);
      if (!o) return notFound();
      const a = actionsFor(o, status.accountId).capture;
      if (!a.allowed) return err('not_allowed', a.reason);
      const take = amount ?? a.max ?? 0;
      // As main does: more than the maximum is not allowed (main/orders/transaction-ops).
      if (take > (a.max ?? 0))
        return err(
          'not_allowed',
          msg('op.capture.atMost', { amount: { money: a.max ?? 0, currency: o.currency } }),
        );
      const captured = o.capturedAmount + take;
      addEvent(id, 'capture_requested', settings.terminalName, { amount: take });
      addEvent(id, 'captured', 'dintero', { amount: take });
      return ok(
        put(o, {
          capturedAmount: captured,
          state: afterMoney(o, captured, o.refundedAmount),
        }),
      );
    },
    'orders:refund': ({
      id,
      amount,
      reason,
      reasonText,
      managerPin,
    }: {
      id: string;
      amount?: number;
      reason: { code: string } | { label: string };
      reasonText?: string;
      managerPin?: string;
    }) => {
      if (needsStaff()) return err('not_allowed', msg('access.staffRequired'));
      const o = find(id);
      if (!o) return notFound();
      const a = actionsFor(o, status.accountId).refund;
      if (!a.allowed) return err('not_allowed', a.reason);
      const give = amount ?? a.max ?? 0;
      if (give > (a.max ?? 0))
        return err(
          'not_allowed',
          msg('op.refund.atMost', { amount: { money: a.max ?? 0, currency: o.currency } }),
        );
      // As main (main/access/refund-approval.ts): above the limit, the manager PIN first.
      const limit = settings.refundApprovalAbove;
      if (limit !== null && give > limit * 100) {
        const above = { limit: { money: limit * 100, currency: o.currency } };
        if (access.managerPin === undefined)
          return err('not_allowed', msg('access.noManagerPin', above));
        if (managerPin === undefined)
          return err('approval_required', msg('access.refundNeedsApproval', above));
        if (managerPin !== access.managerPin)
          return err('wrong_pin', msg('access.wrongManagerPin', { count: 4 }));
      }
      const why = 'code' in reason ? reason.code : reason.label;
      const detail = reasonText ? `${why}: ${reasonText}` : why;
      const refunded = o.refundedAmount + give;
      addEvent(id, 'refund_requested', actor(), { amount: give, detail });
      addEvent(id, 'refunded', 'dintero', { amount: give });
      return ok(
        put(o, {
          refundedAmount: refunded,
          state: afterMoney(o, o.capturedAmount, refunded),
        }),
      );
    },
    'orders:void': ({ id }: { id: string }) => {
      const o = find(id);
      if (!o) return notFound();
      const a = actionsFor(o, status.accountId).void;
      if (!a.allowed) return err('not_allowed', a.reason);
      addEvent(id, 'voided', settings.terminalName);
      return ok(put(o, { state: next(o, 'void') }));
    },
    'orders:cancelLink': ({ id }: { id: string }) => {
      const o = find(id);
      if (!o) return notFound();
      const a = actionsFor(o, status.accountId).cancelLink;
      if (!a.allowed) return err('not_allowed', a.reason);
      addEvent(id, 'cancelled', settings.terminalName);
      return ok(put(o, { state: next(o, 'cancel') }));
    },
    'orders:resendLink': ({ id, delivery }: { id: string; delivery: 'sms' | 'link_only' }) => {
      const o = find(id);
      if (!o) return notFound();
      const a = actionsFor(o, status.accountId).resendLink;
      if (!a.allowed) return err('not_allowed', a.reason);
      const n = ++orderSeq;
      const at = iso();
      const fresh: OrderSummary = {
        ...o,
        id: `new-${n}-r`,
        merchantReference: `PD-T${String(n).padStart(5, '0')}`,
        state: 'queued',
        statusWord: STATUS_WORDS.queued,
        delivery,
        createdAt: at,
        updatedAt: at,
        replacesOrderId: o.id,
      };
      delete fresh.sessionId;
      delete fresh.linkUrl;
      delete fresh.smsStatus;
      orders.set(fresh.id, fresh);
      addEvent(fresh.id, 'created', settings.terminalName);
      emit('order:changed', fresh);
      addEvent(id, 'resent', settings.terminalName);
      put(o, {
        replacedByOrderId: fresh.id,
        ...(o.state === 'link_sent' || o.state === 'opened' ? { state: next(o, 'cancel') } : {}),
      });
      progress(fresh.id);
      return ok(fresh);
    },
    'orders:qr': ({ id }: { id: string }) => {
      const o = find(id);
      if (!o) return notFound();
      if (!o.linkUrl) return err('not_allowed', msg('reason.notSentYet'));
      return ok({ url: o.linkUrl, qrDataUrl: TINY_PNG });
    },
    'orders:retry': ({ id }: { id: string }) => {
      const o = find(id);
      if (!o) return notFound();
      const retried = transition(o.state, 'retry');
      if (!retried.ok) return err('not_allowed', msg('reason.retryOnlyRefused'));
      addEvent(id, 'queued', settings.terminalName);
      const queued = put(o, { state: retried.state });
      progress(id);
      return ok(queued);
    },
    'settings:get': () => ok(settingsView()),
    'staff:get': () => ok(accessView()),
    'staff:choose': ({ name, pin }: { name: string; pin?: string }) => {
      if (!settings.staff.includes(name))
        return err('not_found', msg('access.notListed', { name }));
      const want = access.staffPins[name];
      if (want !== undefined && pin === undefined)
        return err('approval_required', msg('access.staffPinNeeded', { name }));
      if (want !== undefined && pin !== want)
        return err('wrong_pin', msg('access.wrongStaffPin', { name }));
      access.current = name;
      return ok(accessChanged());
    },
    'staff:leave': () => {
      delete access.current;
      return ok(accessChanged());
    },
    'access:setManagerPin': ({ current, next }: { current?: string; next: string | null }) => {
      if (access.managerPin !== undefined && current !== access.managerPin)
        return err('wrong_pin', msg('access.currentPinNeeded'));
      if (next === null) delete access.managerPin;
      else access.managerPin = next;
      return ok(accessChanged());
    },
    'access:setStaffPin': ({
      name,
      pin,
      managerPin,
    }: {
      name: string;
      pin: string | null;
      managerPin?: string;
    }) => {
      if (access.managerPin !== undefined && managerPin !== access.managerPin)
        return err('approval_required', msg('access.managerPinNeeded'));
      if (pin === null) delete access.staffPins[name];
      else access.staffPins[name] = pin;
      return ok(accessChanged());
    },
    'settings:save': ({
      confirmAccountChange,
      managerPin,
      ...patch
    }: Partial<Settings> & { confirmAccountChange?: true; managerPin?: string }) => {
      // As main (main/access/protected-settings.ts): once set, the manager PIN guards these.
      const guarded = PROTECTED_SETTINGS.some(
        (k) => patch[k] !== undefined && JSON.stringify(patch[k]) !== JSON.stringify(settings[k]),
      );
      if (access.managerPin !== undefined && guarded && managerPin !== access.managerPin)
        return err(
          managerPin === undefined ? 'approval_required' : 'wrong_pin',
          msg('access.managerPinNeeded'),
        );
      // As main does: an account change while live orders still need the old account is
      // refused (nothing saved) and the orders listed, unless confirmed.
      const from = settings.accountId;
      const to = patch.accountId;
      if (
        to !== undefined &&
        to !== from &&
        from !== '' &&
        mode === 'live' &&
        !confirmAccountChange
      ) {
        const bound = [...orders.values()].filter(
          (o) => ACCOUNT_BOUND_STATES.includes(o.state) || o.pendingOperation !== undefined,
        );
        if (bound.length > 0) {
          return ok({
            saved: false as const,
            accountChange: {
              from,
              to,
              crossesEnvironment: to !== '' && to[0] !== from[0],
              orders: bound.map(accountBoundOrder),
            },
          });
        }
      }
      settings = { ...settings, ...patch };
      if (access.current !== undefined && !settings.staff.includes(access.current))
        delete access.current;
      accessChanged();
      return ok({ saved: true as const, ...settingsView() });
    },
    'settings:setSecret': ({ secret: value }: { secret: string }) => {
      secret.value = value;
      secretStatus = { configured: true, last4: value.slice(-4) };
      return ok(secretStatus);
    },
    'settings:clearSecret': () => {
      delete secret.value;
      secretStatus = { configured: false };
      return ok(secretStatus);
    },
    'settings:testConnection': () =>
      secretStatus.configured && settings.accountId !== ''
        ? ok({
            outcome: 'works' as const,
            message: 'Connected to Dintero. Payment links can be created.',
          })
        : ok({
            outcome: 'not_configured' as const,
            message: 'Fill in the account ID, client ID and client secret first.',
          }),
    'training:listSms': () =>
      mode === 'training' ? ok(sms) : err('not_allowed', msg('error.trainingOnly')),
    'training:listSessions': () =>
      mode === 'training'
        ? ok(
            [...orders.values()]
              .filter((o) => o.sessionId !== undefined)
              .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
              .map((o) => ({
                sessionId: o.sessionId!,
                merchantReference: o.merchantReference,
                amount: o.amount,
                currency: o.currency,
                state: sessionStateOf(o),
              })),
          )
        : err('not_allowed', msg('error.trainingOnly')),
    'dayClose:get': (q: { day?: string; scope: DayScope }) => ok(dayView(q)),
    'dayClose:export': (q: { day?: string; scope: DayScope; format: string }) =>
      ok({
        saved: true as const,
        name: `paylink-day-${q.day ?? ''}.${q.format === 'pdf' ? 'pdf' : 'csv'}`,
      }),
    'training:customer': ({
      sessionId,
      action,
    }: {
      sessionId: string;
      action: 'open' | 'pay' | 'decline' | 'expire';
    }) => {
      if (mode !== 'training') return err('not_allowed', msg('error.trainingOnly'));
      const o = [...orders.values()].find((x) => x.sessionId === sessionId);
      if (!o) return err('not_found', msg('error.trainingSessionNotFound'));
      if (!['link_sent', 'opened'].includes(o.state)) {
        return err('conflict', msg('error.customer.cancelled'));
      }
      if (action === 'open' && o.state === 'opened') {
        return ok({
          sessionId,
          merchantReference: o.merchantReference,
          amount: o.amount,
          currency: o.currency,
          state: sessionStateOf(o),
        });
      }
      const after =
        action === 'open'
          ? put(o, { state: next(o, 'open') })
          : action === 'pay'
            ? put(o, {
                state: next(o, 'authorize'),
                authorizedAmount: o.amount,
                transactionId: `tx-${o.id}`,
                paymentMethod: 'Visa',
              })
            : action === 'decline'
              ? put(o, { state: next(o, 'decline') })
              : put(o, { state: next(o, 'expire') });
      addEvent(o.id, after.state, 'dintero');
      return ok({
        sessionId,
        merchantReference: after.merchantReference,
        amount: after.amount,
        currency: after.currency,
        state: sessionStateOf(after),
      });
    },
  };

  const api = createPaylinkApi({
    invoke: (channel, input) => {
      calls.push({ channel, input: structuredClone(input) });
      const failure = failures.get(channel);
      if (failure) {
        failures.delete(channel);
        return Promise.resolve({ ok: false, error: failure });
      }
      const parsed = channels[channel].safeParse(input);
      if (!parsed.success) {
        // The same field messages main's dispatch gives.
        return Promise.resolve(
          err('invalid_input', msg('error.invalidInput'), zodFields(parsed.error)),
        );
      }
      const handler = handlers[channel] as (i: unknown) => IpcResult<unknown>;
      return Promise.resolve(handler(parsed.data));
    },
    subscribe: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  });

  const fake: FakePaylink = {
    api,
    calls,
    callsTo: (channel) => calls.filter((c) => c.channel === channel).map((c) => c.input),
    orders,
    events,
    sms,
    secret,
    get settings() {
      return settings;
    },
    control: {
      setOnline(online) {
        status = { ...status, online };
        emit('status:changed', status);
        if (online) for (const o of orders.values()) if (o.state === 'queued') progress(o.id);
      },
      setStatus(patch) {
        status = { ...status, ...patch };
        emit('status:changed', status);
      },
      switchMode(next, journal = []) {
        mode = next;
        orders.clear();
        events.clear();
        fake.control.seed(journal);
        const { accountId: _old, ...rest } = status;
        status = {
          ...rest,
          mode: next,
          queueLength: queueLength(),
          ...(next === 'training' ? { accountId: 'P00000000' } : {}),
          ...(next === 'live' && settings.accountId ? { accountId: settings.accountId } : {}),
        };
        emit('status:changed', status);
      },
      failNext(channel, error) {
        failures.set(channel, {
          ...error,
          text: error.text ?? msg('line.legacy', { text: error.message }),
        });
      },
      seed(list) {
        for (const o of list) {
          orders.set(o.id, o);
          events.set(o.id, [
            { id: ++eventSeq, orderId: o.id, at: o.createdAt, kind: 'created', actor: o.createdBy },
            ...(o.state === 'queued'
              ? []
              : [
                  {
                    id: ++eventSeq,
                    orderId: o.id,
                    at: o.updatedAt,
                    kind: o.state,
                    actor: 'dintero',
                  },
                ]),
          ]);
        }
        status = { ...status, queueLength: queueLength() };
      },
      setState(id, state, patch = {}) {
        const o = orders.get(id);
        if (!o) throw new Error(`no order ${id}`);
        addEvent(id, state, 'dintero');
        return put(o, { state, ...amountsFor(state, o.amount), ...patch });
      },
      emit,
      hold() {
        held = true;
      },
      release() {
        held = false;
        for (const o of orders.values())
          if (o.state === 'queued' || o.state === 'sending') progress(o.id);
      },
      async settle() {
        while (timers.size > 0) await new Promise((r) => setTimeout(r, 0));
      },
    },
    dispose() {
      disposed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      listeners.clear();
    },
  };
  if (opts.orders) fake.control.seed(opts.orders);
  live.add(fake);
  return fake;
}
