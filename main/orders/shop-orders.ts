/**
 * The store's board: desks with the same store ID see each other's orders, with Dintero as the
 * shared truth (issue 14, part 2).
 *
 * Every few poll rounds a desk with a store ID reads what Dintero holds for the store:
 * - the store's sessions (`GET /v1/sessions?store_id=`, every page), created since the last
 *   read less an hour: Dintero's lists lag behind its writes, so a read always looks back far
 *   enough to see what was still unlisted last time (the first read looks back 30 days);
 * - the store's transactions (`GET /v1/transactions?store_id=`, every page) since the same
 *   time: a payment whose session the session list did not show yet is still found, and its
 *   session is read by id (reads by id do not lag), 100 per call.
 * Each session sent by ANOTHER Paylink desk (its `ext_desk_id`, else the desk identity in its
 * merchant reference) and not yet in the journal becomes an order row marked with that desk
 * (`origin_desk`). From then on it is an order like any other: the poller follows it, staff
 * open it and capture, refund, void, cancel or resend it (money moves once: every operation
 * re-reads the transaction first and carries this desk's identity in its reference).
 *
 * Never imported: a session this desk sent (its desk identity, or a reference, order id or
 * session id the journal already holds, which covers a create whose answer was lost), and a
 * session that is not a Paylink desk's (no desk identity: a web shop sharing the store ID).
 * The store is also checked on each session and transaction, in case Dintero ignores the
 * filter. A session that cannot be an order (no valid amount, currency or mobile number) is
 * left out and logged by id only.
 */
import { randomUUID } from 'node:crypto';
import { CURRENCIES, type Currency, type OrderItem } from '../../common/domain';
import { DEFAULT_SETTINGS, SETTINGS_LIMITS } from '../../common/settings-defaults';
import { findHiddenCharacter } from '../../common/hidden-characters';
import { msg } from '../../common/i18n/messages';
import { parseCustomerPhone } from '../../common/phone';
import type { DinteroSession, DinteroTransaction } from '../dintero/types';
import { DESK_ID_PATTERN, isDeskId } from '../desk-identity';
import { commitChange, type EngineContext } from './engine-context';
import type { EventInput } from './journal';
import { nextTurn } from './main-slices';
import { FRESH_ROW, type OrderRow } from './order-row';
import { changeFromObservation, observeSession, observeTransaction } from './remote-state';
import { DESK_ID_METADATA, ORDER_ID_METADATA, TERMINAL_METADATA } from './session-request';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** How far back a desk's first read of its store looks. */
export const SHOP_FIRST_LOOKBACK_MS = 30 * DAY_MS;
/** How far before the previous read each read starts again (Dintero's lists lag). */
export const SHOP_OVERLAP_MS = HOUR_MS;
/** Items one read takes at most from each list (a guard far above a store's month). */
export const SHOP_MAX_ITEMS = 50_000;
const PAGE = 100;
/** A session id or order id as Dintero or another desk could send it. */
const ID = /^[A-Za-z0-9_.:-]{1,100}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** `PREFIX-DESKID-YYYYMMDD-N…`: the desk identity inside a Paylink Desk reference. */
const REFERENCE_DESK = new RegExp(`^[A-Z0-9]{1,8}-(${DESK_ID_PATTERN})-\\d{8}-\\d+`);

/** What one read of the store did (tests and logs). */
export interface ShopRead {
  sessionCalls: number;
  transactionCalls: number;
  imported: number;
}

type Metadata = Record<string, unknown>;

const metadataOf = (s: { metadata?: unknown }): Metadata =>
  typeof s.metadata === 'object' && s.metadata !== null ? (s.metadata as Metadata) : {};

/** The desk identity that sent `session`: its metadata, else its reference; undefined: none. */
export function sendingDesk(session: DinteroSession): string | undefined {
  const meta = metadataOf(session)[DESK_ID_METADATA];
  if (typeof meta === 'string' && isDeskId(meta)) return meta;
  const ref = session.order?.merchant_reference;
  return typeof ref === 'string' ? REFERENCE_DESK.exec(ref)?.[1] : undefined;
}

/** A short plain text from another desk (its terminal name), or undefined when unusable. */
function plainText(v: unknown, max: number): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (t === '' || t.length > max || findHiddenCharacter(t) !== undefined) return undefined;
  return t;
}

/** The order lines of a session, or none when any line is not one a desk could have sent. */
function itemsOf(session: DinteroSession): OrderItem[] {
  const out: OrderItem[] = [];
  for (const i of session.order.items ?? []) {
    const { quantity = 0, amount } = i;
    const description = plainText(i.description, 200);
    if (
      description === undefined ||
      !Number.isInteger(quantity) ||
      quantity <= 0 ||
      !Number.isInteger(amount) ||
      amount < 0
    ) {
      return [];
    }
    out.push({
      lineId: String(i.line_id),
      description,
      quantity,
      unitPrice: Math.round(amount / quantity),
      vatPercent: typeof i.vat === 'number' ? i.vat : 0,
      amount,
      vatAmount: Number.isInteger(i.vat_amount) ? (i.vat_amount ?? 0) : 0,
    });
  }
  return out;
}

/**
 * The order row another desk's session stands for on this desk, or undefined when the session
 * cannot be an order (logged by the caller).
 */
export function foreignOrder(
  session: DinteroSession,
  originDesk: string,
  ctx: Pick<EngineContext, 'accountId' | 'dinteroNow'>,
): OrderRow | undefined {
  const o = session.order;
  const currency = o?.currency as Currency;
  if (!o || !Number.isInteger(o.amount) || o.amount <= 0 || !CURRENCIES.includes(currency)) {
    return undefined;
  }
  const reference = plainText(o.merchant_reference, 100);
  const phone = parseCustomerPhone(session.customer?.phone_number ?? '', 'NO');
  const created = Date.parse(session.created_at);
  if (!reference || !phone.ok || Number.isNaN(created) || !ID.test(session.id)) return undefined;
  const expires = session.expires_at ? Date.parse(session.expires_at) : Number.NaN;
  const { min, max } = SETTINGS_LIMITS.linkLifetimeHours;
  const lifetime = Number.isNaN(expires)
    ? DEFAULT_SETTINGS.defaultLinkLifetimeHours
    : Math.min(max, Math.max(min, Math.round((expires - created) / HOUR_MS)));
  const meta = metadataOf(session);
  const orderId = meta[ORDER_ID_METADATA];
  const name = [session.customer?.first_name, session.customer?.last_name]
    .map((p) => plainText(p, 100))
    .filter((p) => p !== undefined)
    .join(' ');
  const email = plainText(session.customer?.email, 254);
  const external = plainText(o.merchant_reference_2, 100);
  const publish = session.configuration?.publish?.find((p) => p.channel === 'sms');
  const linkUrl = (session as { url?: { session_url?: unknown } }).url?.session_url;
  const seen = observeSession(session, { state: 'link_sent' }, ctx.dinteroNow());
  const at = new Date(created).toISOString();
  return {
    id: typeof orderId === 'string' && UUID.test(orderId) ? orderId : randomUUID(),
    merchantReference: reference,
    state: seen.state,
    phone: phone.e164,
    amount: o.amount,
    currency,
    vatAmount: Number.isInteger(o.vat_amount) ? (o.vat_amount ?? 0) : 0,
    items: itemsOf(session),
    delivery: publish ? 'sms' : 'link_only',
    linkLifetimeHours: lifetime,
    createdAt: at,
    updatedAt: at,
    createdBy: plainText(meta[TERMINAL_METADATA], 100) ?? reference.split('-')[0] ?? originDesk,
    originDesk,
    sessionId: session.id,
    ...FRESH_ROW,
    nextAttemptAt: 0,
    accountId: ctx.accountId,
    ...(name ? { customerName: name } : {}),
    ...(email ? { email } : {}),
    ...(external ? { externalReference: external } : {}),
    ...(seen.expiresAt ? { expiresAt: seen.expiresAt } : {}),
    ...(seen.transactionId ? { transactionId: seen.transactionId } : {}),
    ...(publish?.status ? { smsStatus: publish.status } : {}),
    ...(typeof linkUrl === 'string' && linkUrl.startsWith('https://') ? { linkUrl } : {}),
  };
}

/** The timeline's first line of an order another desk sent. */
function importedLine(row: OrderRow): EventInput {
  return {
    kind: 'from_other_desk',
    actor: row.createdBy,
    amount: row.amount,
    message: msg('line.fromOtherDesk', {
      reference: row.merchantReference,
      amount: { money: row.amount, currency: row.currency },
      desk: row.createdBy,
      deskId: row.originDesk ?? '',
    }),
  };
}

/** Reads the store's orders from Dintero into the journal (see the file's comment). */
export class ShopReader {
  /** Monotonic time of the next read. */
  private nextAt = -Infinity;

  constructor(
    private readonly ctx: EngineContext,
    /** Reads at most this often (ms, monotonic). */
    private readonly everyMs: () => number,
  ) {}

  /** Reads the store when due (a store ID is set and the last read is `everyMs` old). */
  async readIfDue(): Promise<ShopRead | undefined> {
    const storeId = this.ctx.settings().storeId;
    if (storeId === '' || this.ctx.mono() < this.nextAt) return undefined;
    // A failed read is tried again after the same interval (a refusal is not repeated every
    // round); what it missed is read then, from the same position.
    this.nextAt = this.ctx.mono() + this.everyMs();
    return this.read(storeId);
  }

  /** One read of the store (every page of both lists). */
  async read(storeId: string): Promise<ShopRead> {
    const ctx = this.ctx;
    const stats: ShopRead = { sessionCalls: 0, transactionCalls: 0, imported: 0 };
    const key = `shop-read:${ctx.accountId}:${storeId}`;
    const startedAt = ctx.dinteroNow();
    const last = Date.parse(ctx.journal.deskValue(key) ?? '');
    const since = new Date(
      Number.isNaN(last) ? startedAt - SHOP_FIRST_LOOKBACK_MS : last - SHOP_OVERLAP_MS,
    ).toISOString();
    const inStore = (s: DinteroSession): boolean => s.order?.store?.id === storeId;

    const listed = new Set<string>();
    await this.pages(
      (startingAfter) => {
        stats.sessionCalls++;
        return ctx.client.listSessions({
          storeIds: [storeId],
          createdGte: since,
          limit: PAGE,
          ...(startingAfter ? { startingAfter } : {}),
        });
      },
      (page) => {
        for (const s of page) listed.add(s.id);
        stats.imported += this.importSessions(page.filter(inStore), new Map());
      },
    );

    await this.pages(
      (startingAfter) => {
        stats.transactionCalls++;
        return ctx.client.listTransactions({
          storeIds: [storeId],
          createdGte: since,
          limit: PAGE,
          ...(startingAfter ? { startingAfter } : {}),
        });
      },
      async (page) => {
        const txs = page.filter((t) => t.store?.id === storeId && t.session_id);
        const known = ctx.journal.knownIds(
          txs.map((t) => t.session_id as string),
          txs.map((t) => t.id),
        );
        const unknown = txs.filter(
          (t) =>
            !known.transactions.has(t.id) &&
            !known.sessions.has(t.session_id as string) &&
            !listed.has(t.session_id as string),
        );
        if (unknown.length === 0) return;
        stats.sessionCalls++;
        const sessions = await ctx.client.listSessions({
          ids: unknown.map((t) => t.session_id as string),
          limit: PAGE,
        });
        const bySession = new Map(unknown.map((t) => [t.session_id as string, t]));
        stats.imported += this.importSessions(sessions.filter(inStore), bySession);
      },
    );
    ctx.connectivity.reached();
    ctx.journal.setDeskValue(key, new Date(startedAt).toISOString());
    if (stats.imported > 0) ctx.logger.info({ imported: stats.imported }, 'shop: orders read');
    return stats;
  }

  /** Follows `starting_after` through every page (up to SHOP_MAX_ITEMS), letting work run between. */
  private async pages<T extends { id: string }>(
    read: (startingAfter: string | undefined) => Promise<T[]>,
    each: (page: T[]) => void | Promise<void>,
  ): Promise<void> {
    let after: string | undefined;
    for (let total = 0; total < SHOP_MAX_ITEMS;) {
      const page = await read(after);
      if (this.ctx.journal.isClosed) return;
      await each(page);
      total += page.length;
      const lastItem = page.at(-1);
      if (page.length < PAGE || !lastItem) return;
      after = lastItem.id;
      await nextTurn();
    }
  }

  /**
   * Journals the sessions of other desks that the journal does not hold yet, one transaction
   * for the page; a transaction already at hand is applied at once. Returns how many.
   */
  private importSessions(
    sessions: readonly DinteroSession[],
    txBySession: ReadonlyMap<string, DinteroTransaction>,
  ): number {
    const ctx = this.ctx;
    const own = ctx.settings().deskId;
    if (sessions.length === 0 || ctx.journal.isClosed) return 0;
    const known = ctx.journal.knownIds(
      sessions.map((s) => s.id),
      [],
    );
    const rows: OrderRow[] = [];
    for (const s of sessions) {
      const desk = sendingDesk(s);
      if (desk === undefined || desk === own || known.sessions.has(s.id)) continue;
      const row = foreignOrder(s, desk, ctx);
      if (!row) {
        ctx.logger.warn({ sessionId: s.id }, 'shop: a session of the store is not an order');
        continue;
      }
      rows.push(row);
    }
    const inserted = ctx.journal.transaction(() =>
      rows.flatMap((row) => {
        // Ours after all (a create whose answer was lost), or read twice in one page.
        if (ctx.journal.getByReference(row.merchantReference) || ctx.journal.get(row.id)) {
          return [];
        }
        return [ctx.journal.insertOrder(row, [importedLine(row)])];
      }),
    );
    for (const row of inserted) {
      ctx.published({ after: row });
      const tx = row.sessionId ? txBySession.get(row.sessionId) : undefined;
      if (!tx) continue;
      const seen = observeTransaction(tx);
      commitChange(ctx, row.id, (r) =>
        changeFromObservation(r, seen, { actor: 'dintero', at: ctx.now() }),
      );
    }
    return inserted.length;
  }
}
