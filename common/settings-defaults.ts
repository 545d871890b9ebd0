/**
 * Settings a fresh desk starts with, and the limits every saved value must keep: one
 * definition, read by main's settings store, the IPC schema that validates what Settings
 * saves, and every test double, so none of them can drift from the others.
 */
import type { Settings } from './domain';

/** What a fresh install starts with (and what replaces a corrupt settings file). */
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  accountId: '',
  clientId: '',
  profileId: 'default',
  returnUrl: '',
  defaultCountry: 'NO',
  defaultCurrency: 'NOK',
  storeId: '',
  terminalName: 'Desk 1',
  defaultLinkLifetimeHours: 24,
  maxOrderAmount: 100_000,
  notifications: Object.freeze({
    paid: true,
    declined: true,
    expired: true,
    authorizationLapsing: true,
    lapseWarningDays: 5,
  }),
  language: 'en',
  customerDataDays: 90,
  staff: Object.freeze([]) as unknown as string[],
  refundApprovalAbove: null,
  refundReasons: Object.freeze([]) as unknown as string[],
});

/** A fresh, mutable copy of the defaults (the frozen original is never handed out to edit). */
export function defaultSettings(): Settings {
  return {
    ...DEFAULT_SETTINGS,
    notifications: { ...DEFAULT_SETTINGS.notifications },
    staff: [],
    refundReasons: [],
  };
}

/** Inclusive bounds of the numeric and length-limited settings. */
export const SETTINGS_LIMITS = {
  /** Characters in the terminal name (it names who took an order). */
  terminalNameLength: { min: 1, max: 60 },
  /** A payment link's lifetime, hours: one hour to 30 days. */
  linkLifetimeHours: { min: 1, max: 24 * 30 },
  /** Highest order total, whole major units (Dintero's own ceiling is above it). */
  maxOrderAmount: { min: 1, max: 21_000_000 },
  /** Days after authorization before staff are reminded to capture. */
  lapseWarningDays: { min: 1, max: 30 },
  /** Days finished orders keep the customer's details: one day to ten years. */
  customerDataDays: { min: 1, max: 3650 },
  /** Characters in a staff name, and how many names a desk lists. */
  staffNameLength: { min: 1, max: 40 },
  staffCount: { min: 0, max: 50 },
  /** Characters in one of the shop's refund reasons, and how many it lists. */
  refundReasonLength: { min: 1, max: 100 },
  refundReasonCount: { min: 0, max: 20 },
  /** Refund approval limit, whole major units (0: every refund needs the manager PIN). */
  refundApprovalAbove: { min: 0, max: 21_000_000 },
  /** Digits in a staff PIN or the manager PIN. */
  pinDigits: { min: 4, max: 8 },
} as const;
