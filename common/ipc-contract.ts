/**
 * The one IPC contract between the renderer and main: channel names, input schemas (zod),
 * result types and event payloads. Main validates every input against these schemas before a
 * handler runs; the preload and the browser bridge build `window.paylink` from this file.
 *
 * Every call resolves to an `IpcResult`: errors cross the boundary as data with a stable code
 * and a message a person can act on, never as thrown exceptions (Electron would strip them).
 */
import type { Message } from './i18n/messages';
import type { NewOrderLink } from './paylink-link';
import { z } from 'zod';
import {
  CURRENCIES,
  LANGUAGES,
  ORDER_STATES,
  PHONE_COUNTRIES,
  type AppStatus,
  type ConnectionTestOutcome,
  type OrderActions,
  type OrderEvent,
  type OrderSummary,
  type SecretStatus,
  type Settings,
  type TrainingSession,
  type TrainingSms,
} from './domain';
import { DAY_EXPORT_FORMATS, type DayCloseView } from './day-close';
import { BOARD_IDS_MAX, BOARD_PAGE_MAX, BOARD_SEARCH_MAX, type BoardKey } from './order-search';
import { isDayString } from './day-time';
import { REFUND_REASON_CODES } from './refund-reason';
import { findHiddenCharacter, hiddenCharacterMessage } from './hidden-characters';
import { SETTINGS_LIMITS } from './settings-defaults';

const MAX_TEXT = 200;

/**
 * A zod check that refuses control, direction and invisible characters in a one-line text
 * (common/hidden-characters). The issue's message names the field in English; its `params`
 * carry `hiddenCharacter` (the kind) and `codePoint` so a screen can say it in its language.
 */
function noHiddenCharacters(fieldName: string) {
  return (value: string, ctx: z.RefinementCtx<string>): void => {
    const found = findHiddenCharacter(value);
    if (found === undefined) return;
    ctx.addIssue({
      code: 'custom',
      message: hiddenCharacterMessage(fieldName, found),
      params: { hiddenCharacter: found.kind, codePoint: found.codePoint },
    });
  };
}
const id = z.string().min(1).max(100);

/** A staff name as Settings lists it and staff choose it at the desk. */
export const staffNameSchema = z
  .string()
  .trim()
  .min(SETTINGS_LIMITS.staffNameLength.min)
  .max(SETTINGS_LIMITS.staffNameLength.max)
  .superRefine(noHiddenCharacters('A staff name'));

/** A staff PIN or the manager PIN: four to eight digits. */
export const pinSchema = z
  .string()
  .regex(
    new RegExp(`^\\d{${SETTINGS_LIMITS.pinDigits.min},${SETTINGS_LIMITS.pinDigits.max}}$`),
    'Four to eight digits.',
  );

function distinctIgnoringCase(list: readonly string[]): boolean {
  return new Set(list.map((x) => x.trim().toLocaleLowerCase())).size === list.length;
}
const positiveMinor = z.number().int().min(1).max(2_147_483_647);

/** A line item as staff enter it; line totals and VAT are computed, never trusted from input. */
export const newOrderItemSchema = z.strictObject({
  description: z.string().trim().min(1).max(MAX_TEXT),
  quantity: z.number().int().min(1).max(10_000),
  unitPrice: positiveMinor,
  vatPercent: z.number().min(0).max(100),
});

/** What the entry screen sends to create an order. The phone is sent as typed. */
export const newOrderSchema = z.strictObject({
  phone: z.string().max(64),
  country: z.enum(PHONE_COUNTRIES),
  amount: positiveMinor,
  currency: z.enum(CURRENCIES),
  items: z.array(newOrderItemSchema).max(100).optional(),
  customerName: z.string().trim().max(MAX_TEXT).optional(),
  email: z.string().trim().max(MAX_TEXT).optional(),
  note: z.string().trim().max(1000).optional(),
  /** The order's number in the shop's other system (Dintero's merchant_reference_2). */
  externalReference: z
    .string()
    .trim()
    .max(64)
    .superRefine(noHiddenCharacters('The order number in your system'))
    .optional(),
  linkLifetimeHours: z
    .number()
    .int()
    .min(SETTINGS_LIMITS.linkLifetimeHours.min)
    .max(SETTINGS_LIMITS.linkLifetimeHours.max),
  delivery: z.enum(['sms', 'link_only']),
  /** Staff confirmed sending although an open link exists for the same number and amount. */
  allowDuplicate: z.boolean().optional(),
});
export type NewOrderInput = z.infer<typeof newOrderSchema>;

export const orderFilterSchema = z.strictObject({
  states: z.array(z.enum(ORDER_STATES)).max(ORDER_STATES.length).optional(),
  /** ISO date-time bounds on createdAt. */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.number().int().min(1).max(100_000).optional(),
});
export type OrderFilter = z.infer<typeof orderFilterSchema>;

/** Where a board page starts or ends: an order's place on the board (common/order-search.ts). */
const boardKeySchema = z.strictObject({ createdAt: z.iso.datetime(), id });

/**
 * One page of the board (orders:page): the filters (states, created-at range, a day close's
 * set of orders, the search as typed) and the keyset cursor: only orders after `after` (older),
 * up to `until` inclusive (a page read again); at most `limit`.
 */
export const orderPageSchema = z.strictObject({
  states: z.array(z.enum(ORDER_STATES)).max(ORDER_STATES.length).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  ids: z.array(id).max(BOARD_IDS_MAX).optional(),
  search: z.string().max(BOARD_SEARCH_MAX).optional(),
  after: boardKeySchema.optional(),
  until: boardKeySchema.optional(),
  limit: z.number().int().min(1).max(BOARD_PAGE_MAX),
});
export type OrderPageInput = z.infer<typeof orderPageSchema>;

/** One page of the board. */
export interface OrderPage {
  /** Newest first. */
  orders: OrderSummary[];
  /**
   * Present when more of the board (or of the range asked for) is left: the place of the last
   * order this page covers; ask again with it as `after`. A page may hold fewer orders than
   * asked for, even none, and still go on (main stops looking after a bounded amount of work).
   */
  resume?: BoardKey;
  /** How many orders match in all, when main could tell cheaply (first pages only). */
  total?: number;
  /** How many orders the journal holds. */
  all: number;
}

export const settingsSchema = z.strictObject({
  accountId: z.union([z.literal(''), z.string().regex(/^[PT]\d{8}$/)]),
  clientId: z.string().trim().max(MAX_TEXT).superRefine(noHiddenCharacters('The client ID')),
  profileId: z
    .string()
    .trim()
    .max(MAX_TEXT)
    .superRefine(noHiddenCharacters('The payment profile ID')),
  returnUrl: z
    .union([z.literal(''), z.url({ protocol: /^https$/ }).max(2000)])
    .superRefine(noHiddenCharacters('The return URL')),
  defaultCountry: z.enum(PHONE_COUNTRIES),
  defaultCurrency: z.enum(CURRENCIES),
  storeId: z.string().trim().max(MAX_TEXT).superRefine(noHiddenCharacters('The store ID')),
  terminalName: z
    .string()
    .trim()
    .min(SETTINGS_LIMITS.terminalNameLength.min)
    .max(SETTINGS_LIMITS.terminalNameLength.max)
    .superRefine(noHiddenCharacters('The terminal name')),
  defaultLinkLifetimeHours: z
    .number()
    .int()
    .min(SETTINGS_LIMITS.linkLifetimeHours.min)
    .max(SETTINGS_LIMITS.linkLifetimeHours.max),
  maxOrderAmount: z
    .number()
    .int()
    .min(SETTINGS_LIMITS.maxOrderAmount.min)
    .max(SETTINGS_LIMITS.maxOrderAmount.max),
  notifications: z.strictObject({
    paid: z.boolean(),
    declined: z.boolean(),
    expired: z.boolean(),
    authorizationLapsing: z.boolean(),
    lapseWarningDays: z
      .number()
      .int()
      .min(SETTINGS_LIMITS.lapseWarningDays.min)
      .max(SETTINGS_LIMITS.lapseWarningDays.max),
  }),
  language: z.enum(LANGUAGES),
  customerDataDays: z
    .number()
    .int()
    .min(SETTINGS_LIMITS.customerDataDays.min)
    .max(SETTINGS_LIMITS.customerDataDays.max),
  staff: z
    .array(staffNameSchema)
    .max(SETTINGS_LIMITS.staffCount.max)
    .refine(distinctIgnoringCase, 'Each name may be listed once.'),
  refundApprovalAbove: z
    .number()
    .int()
    .min(SETTINGS_LIMITS.refundApprovalAbove.min)
    .max(SETTINGS_LIMITS.refundApprovalAbove.max)
    .nullable(),
  refundReasons: z
    .array(
      z
        .string()
        .trim()
        .min(SETTINGS_LIMITS.refundReasonLength.min)
        .max(SETTINGS_LIMITS.refundReasonLength.max)
        .superRefine(noHiddenCharacters('A refund reason')),
    )
    .max(SETTINGS_LIMITS.refundReasonCount.max)
    .refine(distinctIgnoringCase, 'Each reason may be listed once.'),
}) satisfies z.ZodType<Settings>;

/** Settings changes: any subset; notifications replaced as a whole. */
export const settingsPatchSchema = settingsSchema.partial();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/**
 * What Settings sends to save: a patch, plus the explicit confirmation that staff saw the
 * orders still bound to the old account and want to change the account ID anyway. Without
 * it, main refuses an account change while such orders exist and lists them instead.
 */
export const settingsSaveSchema = settingsPatchSchema.extend({
  confirmAccountChange: z.literal(true).optional(),
  /** Needed, once a manager PIN is set, to change connection settings or refund rules. */
  managerPin: pinSchema.optional(),
});
export type SettingsSaveInput = z.infer<typeof settingsSaveSchema>;

const orderRef = z.strictObject({ id });

/** A day close: the day (YYYY-MM-DD in the desk's time zone; default today) and the scope. */
export const dayCloseQuerySchema = z.strictObject({
  day: z.string().refine(isDayString, 'Not a calendar day (YYYY-MM-DD).').optional(),
  scope: z.enum(['desk', 'store']),
});
export type DayCloseInput = z.infer<typeof dayCloseQuerySchema>;
const empty = z.strictObject({}).optional();

/**
 * Every invoke channel: its input schema. Results are typed in `ChannelResults` below.
 * Add a channel here, in `ChannelResults`, in the handler table (main/ipc/handlers.ts) and in
 * `createPaylinkApi` below; the type checker flags any one forgotten.
 */
export const channels = {
  'app:status': empty,
  /** The paylink: link main holds for the page (New order filled in), taken once; or null. */
  'app:takeLink': empty,
  /**
   * Staff pressed "Restart to update": main restarts into the downloaded version only when the
   * restart gate allows it now (no queue, no payment being checked, no operation in flight).
   */
  'app:restartToUpdate': empty,
  'orders:create': newOrderSchema,
  'orders:checkDuplicate': z.strictObject({
    phone: z.string().max(64),
    country: z.enum(PHONE_COUNTRIES),
    amount: positiveMinor,
    currency: z.enum(CURRENCIES),
  }),
  'orders:list': orderFilterSchema.optional(),
  'orders:page': orderPageSchema,
  'orders:get': orderRef,
  'orders:capture': z.strictObject({ id, amount: positiveMinor.optional() }),
  'orders:refund': z.strictObject({
    id,
    amount: positiveMinor.optional(),
    /** A built-in reason or one of the shop's own (main checks it is on the list). */
    reason: z.union([
      z.strictObject({ code: z.enum(REFUND_REASON_CODES) }),
      z.strictObject({
        label: z.string().trim().min(1).max(SETTINGS_LIMITS.refundReasonLength.max),
      }),
    ]),
    /** Optional words beside the reason. */
    reasonText: z
      .string()
      .trim()
      .max(MAX_TEXT)
      .superRefine(noHiddenCharacters('The refund reason'))
      .optional(),
    /** Needed when the refund is above the approval limit. */
    managerPin: pinSchema.optional(),
  }),
  'orders:void': orderRef,
  'orders:cancelLink': orderRef,
  'orders:resendLink': z.strictObject({ id, delivery: z.enum(['sms', 'link_only']) }),
  'orders:qr': orderRef,
  'orders:retry': orderRef,
  'settings:get': empty,
  'settings:save': settingsSaveSchema,
  'settings:setSecret': z.strictObject({
    secret: z.string().min(8).max(500),
    managerPin: pinSchema.optional(),
  }),
  'settings:clearSecret': z.strictObject({ managerPin: pinSchema.optional() }).optional(),
  /** Set, change or remove the manager PIN (changing or removing it needs the current one). */
  'access:setManagerPin': z.strictObject({
    current: pinSchema.optional(),
    next: pinSchema.nullable(),
  }),
  /** Set or remove a listed person's PIN (needs the manager PIN once one is set). */
  'access:setStaffPin': z.strictObject({
    name: staffNameSchema,
    pin: pinSchema.nullable(),
    managerPin: pinSchema.optional(),
  }),
  /** Who may be at the desk, who is, and what the refund rules ask. */
  'staff:get': empty,
  /** A listed person takes the desk (with their PIN when they have one). */
  'staff:choose': z.strictObject({ name: staffNameSchema, pin: pinSchema.optional() }),
  /** The person at the desk leaves it. */
  'staff:leave': empty,
  'settings:testConnection': empty,
  'dayClose:get': dayCloseQuerySchema,
  'dayClose:export': dayCloseQuerySchema.extend({ format: z.enum(DAY_EXPORT_FORMATS) }),
  'training:listSms': empty,
  'training:listSessions': empty,
  'training:customer': z.strictObject({
    sessionId: id,
    action: z.enum(['open', 'pay', 'decline', 'expire']),
  }),
} as const;

export type Channel = keyof typeof channels;
export type ChannelInput<C extends Channel> = z.input<(typeof channels)[C]>;

export interface OrderDetail {
  order: OrderSummary;
  events: OrderEvent[];
  actions: OrderActions;
}

export interface SettingsView {
  settings: Settings;
  secret: SecretStatus;
  /** The app runs on the built-in simulator (no credentials configured). */
  training: boolean;
  /** This installation's desk identity (part of its merchant references). */
  deskId: string;
}

/** An order that still needs the account it was made for (shown when that account changes). */
export type AccountBoundOrder = Pick<
  OrderSummary,
  'id' | 'merchantReference' | 'state' | 'statusWord' | 'amount' | 'currency'
>;

/** What the account-change question shows of an order (no phone number, no customer). */
export function accountBoundOrder(o: OrderSummary): AccountBoundOrder {
  return {
    id: o.id,
    merchantReference: o.merchantReference,
    state: o.state,
    statusWord: o.statusWord,
    amount: o.amount,
    currency: o.currency,
  };
}

/** Why an account change waits for staff to confirm it. */
export interface AccountChangeNotice {
  /** The account the listed orders belong to. */
  from: string;
  /** The account asked for ('' when the account ID is being cleared). */
  to: string;
  /** The change crosses between a test (T…) and a production (P…) account. */
  crossesEnvironment: boolean;
  orders: AccountBoundOrder[];
}

export type SaveSettingsResult =
  | ({ saved: true } & SettingsView)
  /** Nothing was saved: orders still need the current account; resend with confirmAccountChange. */
  | { saved: false; accountChange: AccountChangeNotice };

export type CreateOrderResult =
  | { created: true; order: OrderSummary }
  /** An open link to the same number for the same amount exists; resend with allowDuplicate. */
  | { created: false; duplicates: OrderSummary[] };

/**
 * What an export became: saved through the system's save dialog (the app), not saved (the
 * dialog was cancelled), or handed to the page as a download (the browser preview).
 */
export type DayExportResult =
  | { saved: true; name: string }
  | { saved: false }
  | { download: { name: string; mimeType: string; base64: string } };

/**
 * Who may be at the desk and who is, and what the refund rules ask (never a PIN or its
 * hash: only whether one is set).
 */
export interface DeskAccess {
  staff: { name: string; hasPin: boolean }[];
  /** The person at the desk, if one chose their name. */
  current?: string;
  /** Staff are listed and nobody has chosen their name: orders and money wait for one. */
  needsStaff: boolean;
  managerPinSet: boolean;
  /** Refunds above this (major units, the order's currency) need the manager PIN. */
  refundApprovalAbove: number | null;
  /** The shop's own refund reasons; empty: the built-in list. */
  refundReasons: string[];
  /** Set while five wrong manager PINs lock refunds: until when. */
  lockedUntil?: string;
}

/** Result type of each channel. */
export interface ChannelResults {
  'app:status': AppStatus;
  'app:takeLink': NewOrderLink | null;
  /** The app is closing to install `version` (a refusal is an error: not_allowed). */
  'app:restartToUpdate': { restarting: true; version: string };
  'orders:create': CreateOrderResult;
  'orders:checkDuplicate': { duplicates: OrderSummary[] };
  'orders:list': { orders: OrderSummary[]; total: number };
  'orders:page': OrderPage;
  'orders:get': OrderDetail;
  'orders:capture': OrderSummary;
  'orders:refund': OrderSummary;
  'orders:void': OrderSummary;
  'orders:cancelLink': OrderSummary;
  'orders:resendLink': OrderSummary;
  'orders:qr': { url: string; qrDataUrl: string };
  'orders:retry': OrderSummary;
  'settings:get': SettingsView;
  'settings:save': SaveSettingsResult;
  'settings:setSecret': SecretStatus;
  'settings:clearSecret': SecretStatus;
  'access:setManagerPin': DeskAccess;
  'access:setStaffPin': DeskAccess;
  'staff:get': DeskAccess;
  'staff:choose': DeskAccess;
  'staff:leave': DeskAccess;
  'settings:testConnection': { outcome: ConnectionTestOutcome };
  'dayClose:get': DayCloseView;
  'dayClose:export': DayExportResult;
  'training:listSms': TrainingSms[];
  'training:listSessions': TrainingSession[];
  'training:customer': TrainingSession;
}

/** Stable error codes; the message says what a person can do. */
export const IPC_ERROR_CODES = [
  'invalid_input',
  'forbidden_sender',
  'unknown_channel',
  'not_found',
  'not_allowed',
  'approval_required',
  'wrong_pin',
  'locked',
  'conflict',
  'dintero_rejected',
  'dintero_auth',
  'dintero_unavailable',
  'offline',
  'outcome_unknown',
  'journal_unavailable',
  'keychain_unavailable',
  'training_only',
  'internal',
] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

export interface IpcError {
  code: IpcErrorCode;
  /** English words, for logs and tests; the screen shows `text`. */
  message: string;
  /** What the screen shows, in the desk's language. */
  text: Message;
  /** Field path -> message, for invalid input. */
  fields?: Record<string, Message>;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** Events main pushes to the renderer. */
export interface EventPayloads {
  'order:changed': OrderSummary;
  'status:changed': AppStatus;
  /** Who is at the desk changed (chosen, left, the list or a PIN changed). */
  'access:changed': DeskAccess;
  'training:sms': TrainingSms;
  /**
   * A notification was clicked: open this order. With intent 'capture' (its Capture action)
   * the detail opens with the capture confirmation ready; staff still press Confirm.
   */
  'navigate:order': { id: string; intent?: 'capture' };
  /**
   * A paylink: link (common/paylink-link.ts) asks for New order: the values to fill in, or why
   * nothing was filled in. Nothing is sent until staff press Send link.
   */
  'navigate:newOrder': NewOrderLink;
}
export type EventName = keyof EventPayloads;

export {
  EVENT_NAMES,
  createPaylinkApi,
  type PaylinkApi,
  type PaylinkTransport,
} from './paylink-api';
