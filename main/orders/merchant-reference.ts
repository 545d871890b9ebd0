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
 * as they are. Resent links get `-R1`, `-R2`…; money operations the acting desk's identity and
 * `-C1` (capture), `-F1` (refund), `-V1` (void), `-X1` (cancel), e.g. `…-17-7KQ2MX-C1`.
 */
import type { MoneyOperationKind } from '../../common/domain';

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

/** The reference an order was first created under (strips any `-R<n>`). */
export function rootReference(reference: string): string {
  return reference.replace(/-R\d+$/, '');
}

/** Next resend reference for `reference`, given the references already in the journal. */
export function resendReference(reference: string, existing: readonly string[]): string {
  const root = rootReference(reference);
  let highest = 0;
  for (const r of existing) {
    const m = /-R(\d+)$/.exec(r);
    if (m && rootReference(r) === root) highest = Math.max(highest, Number(m[1]));
  }
  return `${root}-R${highest + 1}`;
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
