/**
 * Merchant references: fixed once when an order is created and never changed, so every retry
 * can be checked against Dintero first (a lost create is found again by its reference).
 *
 * Format `${terminalPrefix}-${deskId}-${yyyymmdd}-${seq}`, e.g. `DESK2-7KQ2MX-20250301-17`: the
 * prefix names the terminal for people, the desk identity (main/desk-identity.ts, random per
 * installation) keeps two desks of one account apart even with the same terminal name and
 * clock, the date is the terminal's local day, and `seq` comes from a per-desk-and-day
 * counter in the journal, taken in the same transaction as the order row (the column is
 * UNIQUE as well). References made before desks had an identity (`DESK2-20250301-17`) stay
 * as they are. Resent links get `-R1-<desk>`, `-R2-<desk>`… (the resending desk's identity; `-R1`
 * before desks had one); money operations the acting desk's identity and
 * `-C1` (capture), `-F1` (refund), `-V1` (void), `-X1` (cancel), e.g. `…-17-7KQ2MX-C1`.
 */
import type { MoneyOperationKind } from '../../common/domain';
import { DESK_ID_PATTERN } from '../desk-identity';

/** Longest terminal prefix. */
export const PREFIX_MAX = 8;

/** Upper-cased [A-Z0-9] only, at most 8 characters (Æ→AE, Ø→O, Å→A first). */
export function sanitizePrefix(text: string): string {
  return text
    .toUpperCase()
    .replace(/Æ/g, 'AE')
    .replace(/Ø/g, 'O')
    .normalize('NFKD')
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, PREFIX_MAX);
}

/** The terminal's prefix: its name, else the store id, else "DESK". */
export function terminalPrefix(settings: { terminalName: string; storeId: string }): string {
  return sanitizePrefix(settings.terminalName) || sanitizePrefix(settings.storeId) || 'DESK';
}

/** yyyymmdd of the terminal's local day at `at` (ms). */
export function dayStamp(at: number): string {
  const d = new Date(at);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`;
}

/** The part of a reference before its day: the terminal's prefix and the desk identity. */
export function deskPart(settings: { terminalName: string; storeId: string; deskId: string }) {
  return `${terminalPrefix(settings)}-${settings.deskId}`;
}

/** Name of the journal counter that numbers one desk's orders of one day. */
export function sequenceName(desk: string, day: string): string {
  return `order:${desk}-${day}`;
}

/** `${desk}-${day}-${seq}` (desk: {@link deskPart}). */
export function formatReference(desk: string, day: string, seq: number): string {
  return `${desk}-${day}-${seq}`;
}

/** `-R<n>` and, when a desk made the resend, `-<desk identity>`, at the end of a reference. */
const RESEND_SUFFIX = new RegExp(`-R(\\d+)(?:-${DESK_ID_PATTERN})?$`);

/** The reference an order was first created under (strips any `-R<n>` or `-R<n>-<desk>`). */
export function rootReference(reference: string): string {
  return reference.replace(RESEND_SUFFIX, '');
}

/**
 * Next resend reference for `reference`, given the references already in the journal:
 * `${root}-R${n}-${deskId}`. Any desk of the store may resend any desk's order; the resending
 * desk's identity keeps two desks resending one order at once apart (both would make `-R2`).
 * Without a desk identity: `${root}-R${n}`.
 */
export function resendReference(
  reference: string,
  existing: readonly string[],
  deskId?: string,
): string {
  const root = rootReference(reference);
  let highest = 0;
  for (const r of existing) {
    const m = RESEND_SUFFIX.exec(r);
    if (m && rootReference(r) === root) highest = Math.max(highest, Number(m[1]));
  }
  return `${root}-R${highest + 1}${deskId ? `-${deskId}` : ''}`;
}

const OPERATION_LETTER: Readonly<Record<MoneyOperationKind, string>> = {
  capture: 'C',
  refund: 'F',
  void: 'V',
  cancel: 'X',
  resend: 'S',
};

/**
 * Unique reference of the n-th (1-based) operation of a kind on an order, made by the desk
 * `deskId`: `${merchantReference}-${deskId}-C1`. `n` counts this desk's operations only, so
 * the desk identity keeps two desks acting on one order apart (both would make `…-C1`).
 * Without a desk identity: `${merchantReference}-C1` (operations journaled before desks had
 * one keep that reference).
 */
export function operationReference(
  merchantReference: string,
  kind: MoneyOperationKind,
  n: number,
  deskId?: string,
): string {
  const desk = deskId ? `-${deskId}` : '';
  return `${merchantReference}${desk}-${OPERATION_LETTER[kind]}${n}`;
}

/**
 * True when `eventReference` is an operation reference a Paylink desk made on the order
 * `merchantReference` (`${merchantReference}-${deskId}-C1` and the other letters): money moved
 * by one of the store's desks, not in Backoffice.
 */
export function isDeskOperation(merchantReference: string, eventReference?: string): boolean {
  if (eventReference === undefined || !eventReference.startsWith(`${merchantReference}-`)) {
    return false;
  }
  const rest = eventReference.slice(merchantReference.length);
  return new RegExp(`^-${DESK_ID_PATTERN}-[${Object.values(OPERATION_LETTER).join('')}]\\d+$`).test(
    rest,
  );
}
