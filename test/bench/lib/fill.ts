/**
 * Fast pre-filling of an order journal for the benchmarks: the schema comes from the journal
 * itself (Journal.open creates and migrates it), the rows from OrderRow objects mapped with the
 * journal's own column mapping (order-row.ts), the timeline lines as the engine writes them
 * (catalog messages). A million orders take well under a minute: one transaction without a
 * rollback journal or fsyncs, a large page cache, and the secondary indexes dropped during
 * the inserts and built again at the end (each is one sort, instead of a million random
 * inserts); the journal is switched back to WAL and checked before it is used.
 *
 * Orders look like a desk's history: spread over `spanDays` (two years for the big journal)
 * with a growing business, quiet Sundays, a busy December and a slow July, in opening hours;
 * mostly captured, some expired, cancelled, declined, voided, failed or refunded, the last
 * week's authorizations still waiting for capture, live links in the last minutes, and the
 * newest few in the outbox (queued, sending, an answer lost: the line dropped a minute ago).
 * When the journal has `orders.origin_desk` (migration 9), a share of the orders come from
 * the store's other desks (their identity, terminal name and references). Customer data
 * older than 90 days is erased (a day ahead: see ERASED_BY), as a desk with the default setting
 * holds it. The reference
 * counters (sequences) are set to match, so the engine can keep numbering.
 */
import { english } from '../../../common/i18n';
import { msg } from '../../../common/i18n/messages';
import { randomUUID } from 'node:crypto';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { ERASED_PHONE, type OrderState } from '../../../common/domain';
import { CUSTOMER_DONE_STATES, LATE_STATES } from '../../../common/order-state';
import { Journal } from '../../../main/orders/journal';
import {
  dayStamp,
  deskPart,
  formatReference,
  sequenceName,
} from '../../../main/orders/merchant-reference';
import { COLUMNS, toColumnValue, type OrderRow } from '../../../main/orders/order-row';
import { DEFAULT_POLL_TIMING, followAllSql } from '../../../main/orders/poll-schedule';
import { prng } from '../../support/prng';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/**
 * Customer data is erased 90 days after an order's last change (the default setting); the fill
 * erases a day early, as a desk whose daily erase has just run: nothing falls due for a day.
 */
const ERASE_AFTER = 90 * DAY;
const ERASED_BY = ERASE_AFTER - DAY;
/** Opening hours (UTC): orders of a past day fall between these. */
const OPENS = 7 * HOUR;
const CLOSES = 21 * HOUR;

/** One of the store's desks (its identity and terminal name). */
export interface FillDesk {
  deskId: string;
  terminalName: string;
}

/** The store's other desks whose orders a journal holds (when it has orders.origin_desk). */
export const OTHER_DESKS: readonly FillDesk[] = [
  { deskId: 'K7Q2MX', terminalName: 'Desk 2' },
  { deskId: 'P4RT9Z', terminalName: 'Front till' },
];

export interface FillOptions {
  /** How many orders. */
  count: number;
  /** "Now" of the fill (ms); the newest order is a few seconds old. */
  now: number;
  /** Orders are spread over this many days up to `now` (today included). */
  spanDays: number;
  /** This desk: terminal name / store id / identity the references are made from. */
  terminal: { terminalName: string; storeId: string; deskId?: string };
  /** Order i gets phone +47(phoneBase + i). */
  phoneBase: number;
  seed?: number;
  /** Order index → customer name override (to plant a unique search target). */
  names?: ReadonlyMap<number, string>;
  /**
   * Share of orders sent by the store's other desks ({@link OTHER_DESKS}), when the journal
   * has orders.origin_desk; default 0.25.
   */
  otherDeskShare?: number;
  /** A day (YYYY-MM-DD, UTC) given exactly this many orders (a sale); the rest as usual. */
  busyDay?: { day: string; orders: number };
}

/** What was written. */
export interface FillResult {
  path: string;
  orders: number;
  events: number;
  byState: Partial<Record<OrderState, number>>;
  /** Orders per sending desk ('' = this desk). */
  byDesk: Record<string, number>;
  /** Ids in fill order (oldest first). */
  ids: string[];
  /** The first and last day with orders (YYYY-MM-DD, UTC). */
  firstDay: string;
  lastDay: string;
  seconds: number;
}

const FIRST = [
  'Kari',
  'Ola',
  'Ingrid',
  'Lars',
  'Nora',
  'Jonas',
  'Emma',
  'Henrik',
  'Sofie',
  'Magnus',
];
const LAST = ['Nordmann', 'Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Berg', 'Dahl'];
const ITEMS = ['Sofa pickup', 'Dinner for two', 'Repair', 'Catering', 'Gift card', 'Bike service'];

type Share = readonly [OrderState, number];
/** Links in the last quarter hour are mostly still open. */
const FRESH: readonly Share[] = [
  ['link_sent', 0.7],
  ['opened', 0.15],
  ['authorized', 0.15],
];
/** The past week: a few still waiting for capture. */
const WEEK: readonly Share[] = [
  ['authorized', 0.1],
  ['partially_captured', 0.02],
  ['captured', 0.58],
  ['partially_refunded', 0.02],
  ['refunded', 0.03],
  ['expired', 0.12],
  ['cancelled', 0.05],
  ['declined', 0.03],
  ['voided', 0.02],
  ['failed', 0.03],
];
/** Older: everything has settled. */
const OLD: readonly Share[] = [
  ['captured', 0.68],
  ['partially_refunded', 0.02],
  ['refunded', 0.04],
  ['expired', 0.14],
  ['cancelled', 0.05],
  ['declined', 0.03],
  ['voided', 0.03],
  ['failed', 0.01],
];
/** The newest orders, oldest first: the line dropped a minute ago. */
const OUTBOX_TAIL: readonly OrderState[] = ['unknown', 'sending', 'queued', 'queued'];

function pickState(table: readonly Share[], r: number): OrderState {
  let acc = 0;
  for (const [state, p] of table) {
    acc += p;
    if (r < acc) return state;
  }
  return table[0]![0];
}

const PAID: ReadonlySet<OrderState> = new Set([
  'authorized',
  'partially_captured',
  'captured',
  'partially_refunded',
  'refunded',
  'voided',
]);
/** States whose customer data a desk erases after 90 days (done, or late and past grace). */
const ERASABLE: ReadonlySet<OrderState> = new Set([...CUSTOMER_DONE_STATES, ...LATE_STATES]);

/** 26 random hex digits (a Dintero id's tail). */
const hex26 = (rand: () => number): string =>
  Math.floor(rand() * 2 ** 32)
    .toString(16)
    .padStart(8, '0') +
  Math.floor(rand() * 2 ** 32)
    .toString(16)
    .padStart(8, '0') +
  Math.floor(rand() * 2 ** 32)
    .toString(16)
    .padStart(8, '0') +
  Math.floor(rand() * 256)
    .toString(16)
    .padStart(2, '0');
/** The last errors the fill's orders carry (stored as the journal stores a Message). */
const REFUSED = JSON.stringify(msg('line.refusedByDintero', { why: 'invalid phone number' }));
const LOST = JSON.stringify(msg('line.answerLost'));

/** Orders per INSERT of the fill (fewer statement runs). */
const BATCH = 50;
/** Orders whose timelines are written together (then the next orders). */
const CHUNK = 2000;

/** SQL: an ISO date-time from SQLite date-time arguments. */
const iso = (args: string): string => `strftime('%Y-%m-%dT%H:%M:%fZ', ${args})`;
/** SQL: the phone as timeline lines show it (redact.ts maskPhone, for +47 numbers). */
const MASKED = `CASE WHEN phone = '${ERASED_PHONE}' THEN phone
  ELSE substr(phone, 1, 3) || ' ••• ••• ' || substr(phone, -2) END`;
const money = (amount: string): string => `json_object('money', ${amount}, 'currency', currency)`;
/** SQL: a catalog message as msg() makes it (key, then params in order). */
const line = (key: string, params?: string): string =>
  params === undefined
    ? `json_object('key', ${key})`
    : `json_object('key', ${key}, 'params', json_object(${params}))`;

/** One kind of timeline line for every order of the fill that has it. */
function timelineSql(e: {
  at: string;
  kind: string;
  actor: string;
  message: string;
  amount?: string;
  move?: [string, string];
  where: string;
}): string {
  return `INSERT INTO order_events (order_id, at, kind, actor, message, amount, from_state, to_state)
    SELECT id, ${e.at}, ${e.kind}, ${e.actor}, ${e.message}, ${e.amount ?? 'NULL'},
      ${e.move?.[0] ?? 'NULL'}, ${e.move?.[1] ?? 'NULL'}
    FROM orders WHERE rowid > ? AND rowid <= ? AND ${e.where} ORDER BY rowid`;
}

/**
 * Every order's timeline as the engine writes it, one statement per kind of line, in the order
 * the lines happen (so an order's lines keep their order by id): created; sending; the answer
 * lost, refused, or the link texted; opened, paid, or how the link ended; voided, captured,
 * refunded. Generated by SQLite from the order rows: five million lines in seconds.
 */
const TIMELINE: readonly string[] = [
  timelineSql({
    at: 'created_at',
    kind: "'created'",
    actor: 'created_by',
    message: line(
      "'line.createdSms'",
      `'reference', merchant_reference, 'amount', ${money('amount')}, 'phone', ${MASKED}`,
    ),
    amount: 'amount',
    where: 'TRUE',
  }),
  timelineSql({
    at: iso("created_at, '+0.05 seconds'"),
    kind: "'sending'",
    actor: "'system'",
    message: 'NULL',
    move: ["'queued'", "'sending'"],
    where: "state <> 'queued'",
  }),
  timelineSql({
    at: iso("created_at, '+0.8 seconds'"),
    kind: "'unknown'",
    actor: "'system'",
    message: line("'line.answerLost'"),
    move: ["'sending'", "'unknown'"],
    where: "state = 'unknown'",
  }),
  timelineSql({
    at: iso("created_at, '+0.8 seconds'"),
    kind: "'failed'",
    actor: "'dintero'",
    message: line("'line.refusedByDintero'", "'why', 'invalid phone number'"),
    move: ["'sending'", "'failed'"],
    where: "state = 'failed' AND session_id IS NULL",
  }),
  timelineSql({
    at: iso("created_at, '+0.8 seconds'"),
    kind: "'link_sent'",
    actor: "'system'",
    message: line("'line.linkTexted'", `'amount', ${money('amount')}, 'phone', ${MASKED}`),
    move: ["'sending'", "'link_sent'"],
    where: 'session_id IS NOT NULL',
  }),
  timelineSql({
    at: 'updated_at',
    kind: "'opened'",
    actor: "'customer'",
    message: line("'line.opened'"),
    move: ["'link_sent'", "'opened'"],
    where: "state = 'opened'",
  }),
  timelineSql({
    at: 'updated_at',
    kind: 'state',
    actor: "'dintero'",
    message: line("'line.' || state"),
    move: ["'link_sent'", 'state'],
    where: "session_id IS NOT NULL AND state IN ('expired', 'cancelled', 'declined', 'failed')",
  }),
  timelineSql({
    at: 'authorized_at',
    kind: "'authorized'",
    actor: "'customer'",
    message: line("'line.paidWith'", `'amount', ${money('amount')}, 'method', payment_method`),
    amount: 'amount',
    move: ["'link_sent'", "'authorized'"],
    where: 'transaction_id IS NOT NULL',
  }),
  timelineSql({
    at: 'updated_at',
    kind: "'voided'",
    actor: 'created_by',
    message: line("'line.voided'"),
    move: ["'authorized'", "'voided'"],
    where: "state = 'voided'",
  }),
  timelineSql({
    at: `CASE WHEN refunded_amount > 0
      THEN ${iso('(julianday(authorized_at) + julianday(updated_at)) / 2')} ELSE updated_at END`,
    kind: "'captured'",
    actor: 'created_by',
    message: line("'line.captured'", `'amount', ${money('captured_amount')}`),
    amount: 'captured_amount',
    move: ["'authorized'", "CASE state WHEN 'partially_captured' THEN state ELSE 'captured' END"],
    where: 'captured_amount > 0',
  }),
  timelineSql({
    at: 'updated_at',
    kind: "'refunded'",
    actor: 'created_by',
    message: line("'line.refunded'", `'amount', ${money('refunded_amount')}`),
    amount: 'refunded_amount',
    move: ["'captured'", 'state'],
    where: 'refunded_amount > 0',
  }),
];

/** Midnight (UTC) of the day `at` falls in. */
const dayStart = (at: number): number => Math.floor(at / DAY) * DAY;
const isoDay = (at: number): string => new Date(at).toISOString().slice(0, 10);

/**
 * How busy a day is: a business that grew by about 80 % over two years, Fridays busiest and
 * Sundays quiet, December (and the weeks before it) busy, July slow.
 */
export function dayWeight(start: number, first: number, span: number): number {
  const growth = 0.55 + (0.45 * (start - first)) / Math.max(DAY, span);
  const d = new Date(start);
  const weekday = [0.45, 1, 0.95, 1, 1.05, 1.25, 0.85][d.getUTCDay()]!;
  const month = d.getUTCMonth();
  const date = d.getUTCDate();
  const season =
    month === 11
      ? date <= 23
        ? 1.45
        : 0.8
      : month === 10 && date >= 20
        ? 1.3
        : month === 6
          ? 0.7
          : 1;
  return growth * weekday * season;
}

/**
 * Orders per day (oldest day first) and each day's time window: `count` spread by
 * {@link dayWeight} (largest remainder, so they add up exactly), today only up to `now`,
 * `busyDay` given exactly its number.
 */
export function dayPlan(o: Pick<FillOptions, 'count' | 'now' | 'spanDays' | 'busyDay'>): Array<{
  start: number;
  from: number;
  to: number;
  orders: number;
}> {
  const today = dayStart(o.now);
  const first = today - (o.spanDays - 1) * DAY;
  const busy = o.busyDay ? Date.parse(`${o.busyDay.day}T00:00:00Z`) : Number.NaN;
  const busyOrders = o.busyDay && busy >= first && busy <= today ? o.busyDay.orders : 0;
  const days = Array.from({ length: o.spanDays }, (_, i) => {
    const start = first + i * DAY;
    const isToday = start === today;
    // Today: from opening (or an hour before now, when earlier) until a few seconds ago.
    const to = isToday ? o.now - 5_000 : start + CLOSES;
    const from = isToday ? Math.min(start + OPENS, to - HOUR) : start + OPENS;
    const share = isToday ? Math.max(0.05, (to - from) / (CLOSES - OPENS)) : 1;
    return {
      start,
      from,
      to,
      weight: start === busy ? 0 : dayWeight(start, first, o.now - first) * share,
    };
  });
  const rest = Math.max(0, o.count - busyOrders);
  const total = days.reduce((a, d) => a + d.weight, 0);
  const exact = days.map((d) => (rest * d.weight) / total);
  const orders = exact.map(Math.floor);
  let left = rest - orders.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((v, i) => ({ i, r: v - Math.floor(v) }))
    .sort((a, b) => b.r - a.r || b.i - a.i);
  for (const { i } of byRemainder) {
    if (left-- <= 0) break;
    orders[i]! += 1;
  }
  return days.map((d, i) => ({
    start: d.start,
    from: d.from,
    to: d.to,
    orders: d.start === busy ? busyOrders : orders[i]!,
  }));
}

/** Creates (or reuses) the journal in `dataDir` and adds `count` orders in one transaction. */
export function prefillJournal(dataDir: string, o: FillOptions): FillResult {
  const started = performance.now();
  const opened = Journal.open(dataDir, () => o.now);
  if (!opened.ok) throw new Error(`bench: journal could not be opened: ${english(opened.problem)}`);
  const path = opened.journal.path;
  opened.journal.close();

  const rand = prng(o.seed ?? 42);
  const own = {
    terminalName: o.terminal.terminalName || 'Desk 1',
    part: deskPart({ ...o.terminal, deskId: o.terminal.deskId ?? 'BENCH1' }),
  };
  const others = OTHER_DESKS.map((d) => ({
    ...d,
    part: deskPart({ terminalName: d.terminalName, storeId: '', deskId: d.deskId }),
  }));
  const db = new DatabaseSync(path, { timeout: 5000, enableForeignKeyConstraints: false });
  const byState: Partial<Record<OrderState, number>> = {};
  const byDesk: Record<string, number> = {};
  const ids: string[] = [];
  let events = 0;
  let firstDay: string | undefined;
  try {
    const present = new Set(
      db
        .prepare('PRAGMA table_info(orders)')
        .all()
        .map((c) => String(c.name)),
    );
    // Only the columns this journal has (another desk's origin arrives with migration 9).
    const fields = (Object.keys(COLUMNS) as Array<keyof OrderRow>).filter((f) =>
      present.has(COLUMNS[f]),
    );
    const withOrigin = present.has('origin_desk');
    const otherShare = withOrigin ? (o.otherDeskShare ?? 0.25) : 0;
    const cols = fields.map((f) => COLUMNS[f]);

    // Fast and unsafe while filling: nothing else uses the file until it is WAL again.
    db.exec('PRAGMA journal_mode = OFF');
    db.exec('PRAGMA synchronous = OFF');
    db.exec('PRAGMA cache_size = -524288');
    db.exec('PRAGMA temp_store = MEMORY');
    const indexes = db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
           AND tbl_name IN ('orders', 'order_events')`,
      )
      .all() as Array<{ name: string; sql: string }>;

    db.exec('BEGIN IMMEDIATE');
    const lastRowid = Number(
      (db.prepare('SELECT coalesce(max(rowid), 0) AS n FROM orders').get() as { n: number }).n,
    );
    for (const ix of indexes) db.exec(`DROP INDEX "${ix.name}"`);
    const timeline = TIMELINE.map((sql) => db.prepare(sql));
    let timelined = lastRowid;
    const flush = (): void => {
      if (pending.length > 0) {
        db.prepare(insertSql(pending.length / fields.length)).run(...pending);
        pending.length = 0;
      }
      const upTo = timelined + flushed;
      for (const st of timeline) events += Number(st.run(timelined, upTo).changes);
      timelined = upTo;
      flushed = 0;
    };
    let flushed = 0;
    const placeholders = `(${cols.map(() => '?').join(', ')})`;
    const insertSql = (rows: number): string =>
      `INSERT INTO orders (${cols.join(', ')}) VALUES ${Array(rows).fill(placeholders).join(', ')}`;
    const insertBatch = db.prepare(insertSql(BATCH));
    const pending: SQLInputValue[] = [];
    const setSequence = db.prepare(
      `INSERT INTO sequences (name, value) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)`,
    );
    const sequences = new Map<string, number>();

    // Every column's value for an order with nothing optional set, and a setter by field.
    const slot = new Map(fields.map((f, k) => [f, k]));
    const base: OrderRow = {
      id: '',
      merchantReference: '',
      state: 'queued',
      phone: '',
      amount: 0,
      currency: 'NOK',
      vatAmount: 0,
      items: [],
      delivery: 'sms',
      linkLifetimeHours: 24,
      createdAt: '',
      updatedAt: '',
      createdBy: '',
      authorizedAmount: 0,
      capturedAmount: 0,
      refundedAmount: 0,
      nextAttemptAt: 0,
      attempts: 0,
      checkBeforeSend: false,
      lapseWarned: false,
      outcomeUnknown: false,
      duplicateWatchUntil: 0,
      accountId: 'P00000000',
      version: 1,
    };
    const blank = fields.map((f) => toColumnValue(f, base[f]) as SQLInputValue);
    const put = (v: SQLInputValue[], field: keyof OrderRow, value: SQLInputValue): void => {
      const k = slot.get(field);
      if (k !== undefined) v[k] = value;
    };
    const plan = dayPlan(o);
    let i = 0;
    for (const day of plan) {
      for (let k = 0; k < day.orders; k++, i++) {
        const created = Math.round(
          day.from + ((k + 0.5 + (rand() - 0.5) * 0.8) * (day.to - day.from)) / day.orders,
        );
        const age = o.now - created;
        const tail = o.count - 1 - i;
        const inOutbox = o.count >= 1000 && tail < OUTBOX_TAIL.length;
        const state = inOutbox
          ? OUTBOX_TAIL[OUTBOX_TAIL.length - 1 - tail]!
          : pickState(age < 15 * MINUTE ? FRESH : age < 7 * DAY ? WEEK : OLD, rand());
        // Another desk's order is seen here once Dintero has it (never in this desk's outbox).
        const fromOther = !inOutbox && rand() < otherShare;
        const desk = fromOther ? others[Math.floor(rand() * others.length)]! : undefined;
        const terminal = desk?.terminalName ?? own.terminalName;
        byState[state] = (byState[state] ?? 0) + 1;
        byDesk[desk?.deskId ?? ''] = (byDesk[desk?.deskId ?? ''] ?? 0) + 1;
        const part = desk?.part ?? own.part;
        // The terminal's local day, as the engine numbers it.
        const stamp = dayStamp(created);
        const seqName = sequenceName(part, stamp);
        const seq = (sequences.get(seqName) ?? 0) + 1;
        sequences.set(seqName, seq);
        const amount = (100 + Math.floor(rand() * 4900)) * 100;
        const withItem = rand() < 0.5;
        const vatAmount = withItem ? Math.round((amount * 25) / 125) : 0;
        const items = withItem
          ? `[{"lineId":"1","description":"${ITEMS[Math.floor(rand() * ITEMS.length)]!}",` +
            `"quantity":1,"unitPrice":${amount},"vatPercent":25,"amount":${amount},` +
            `"vatAmount":${vatAmount}}]`
          : '[]';
        const nameRoll = rand();
        const name =
          o.names?.get(i) ??
          (nameRoll < 0.6
            ? `${FIRST[Math.floor(rand() * FIRST.length)]!} ${LAST[Math.floor(rand() * LAST.length)]!}`
            : undefined);
        const email = name !== undefined && rand() < 0.3 ? `customer${i}@example.no` : undefined;
        const id = randomUUID();
        ids.push(id);
        const sent = !(state === 'queued' || state === 'sending' || state === 'unknown');
        const sentAt = created + 800;
        const hasSession = sent && (state !== 'failed' || rand() < 0.5);
        const paid = PAID.has(state);
        const paidAt = sentAt + Math.min(age / 2, 20 * MINUTE);
        const settledAt =
          state === 'expired'
            ? sentAt + 24 * HOUR
            : paid
              ? paidAt + Math.min(age / 4, 2 * HOUR)
              : sent
                ? paidAt
                : created;
        const lastChange = Math.min(settledAt, o.now);
        const captured =
          state === 'captured' || state === 'partially_refunded' || state === 'refunded'
            ? amount
            : state === 'partially_captured'
              ? amount / 2
              : 0;
        const refunded =
          state === 'refunded' ? amount : state === 'partially_refunded' ? amount / 4 : 0;
        const erased = o.now - lastChange > ERASED_BY && ERASABLE.has(state);

        // The row, column by column (order-row.ts's mapping, written out for speed).
        const v = blank.slice();
        put(v, 'id', id);
        put(v, 'merchantReference', formatReference(part, stamp, seq));
        put(v, 'state', state);
        put(v, 'phone', erased ? ERASED_PHONE : `+47${o.phoneBase + i}`);
        put(v, 'amount', amount);
        put(v, 'vatAmount', vatAmount);
        put(v, 'items', items);
        put(v, 'createdAt', new Date(created).toISOString());
        put(v, 'updatedAt', new Date(lastChange).toISOString());
        put(v, 'createdBy', terminal);
        put(v, 'authorizedAmount', paid ? amount : 0);
        put(v, 'capturedAmount', captured);
        put(v, 'refundedAmount', refunded);
        put(v, 'nextAttemptAt', state === 'queued' ? created : created + 50);
        put(v, 'attempts', state === 'queued' ? 0 : 1);
        put(v, 'version', paid ? 5 : sent ? 4 : 2);
        if (desk) put(v, 'originDesk', desk.deskId);
        if (erased) {
          put(
            v,
            'customerErasedAt',
            new Date(Math.min(lastChange + ERASE_AFTER, o.now)).toISOString(),
          );
        } else {
          if (name !== undefined) put(v, 'customerName', name);
          if (email !== undefined) put(v, 'email', email);
        }
        if (hasSession) {
          const sessionId = `T00000000.${hex26(rand)}`;
          put(v, 'sessionId', sessionId);
          put(v, 'linkUrl', `https://checkout.dintero.com/v1/view/${sessionId}`);
          put(v, 'smsStatus', 'sent');
          put(v, 'expiresAt', new Date(sentAt + 24 * HOUR).toISOString());
        } else if (sent) put(v, 'lastError', REFUSED);
        else if (state === 'unknown') put(v, 'lastError', LOST);
        if (paid) {
          put(v, 'transactionId', `T00000000.${hex26(rand)}`);
          put(v, 'paymentMethod', rand() < 0.6 ? 'vipps' : 'bambora.creditcard');
          put(v, 'authorizedAt', new Date(paidAt).toISOString());
        }
        for (const x of v) pending.push(x);
        flushed++;
        if (pending.length === BATCH * fields.length) {
          insertBatch.run(...pending);
          pending.length = 0;
        }
        if (flushed === CHUNK) flush();
      }
    }
    flush();
    for (const [name, value] of sequences) setSequence.run(name, value);
    // The poller's schedule, as migration 8 fills it: every order followed at `now` due then.
    db.exec(followAllSql(DEFAULT_POLL_TIMING, o.now));
    for (const ix of indexes) db.exec(ix.sql);
    db.exec('COMMIT');
    db.exec('PRAGMA journal_mode = WAL');
    firstDay = isoDay(plan.find((d) => d.orders > 0)?.start ?? o.now);
  } finally {
    db.close();
  }
  if (existsSync(`${path}-wal`)) throw new Error('bench: journal WAL left behind after the fill');
  return {
    path,
    orders: o.count,
    events,
    byState,
    byDesk,
    ids,
    firstDay: firstDay ?? isoDay(o.now),
    lastDay: isoDay(o.now),
    seconds: (performance.now() - started) / 1000,
  };
}

/** Path of the journal file inside a data folder. */
export const journalFile = (dataDir: string): string => join(dataDir, 'journal.sqlite');

/**
 * Copies a pre-filled journal to `to` and waits until the copy is on disk: a fresh copy of two
 * gigabytes leaves the disk busy writing it back for many seconds, and every fsync measured
 * meanwhile (a commit) would wait on it.
 */
export function copyJournal(from: string, to: string): void {
  copyFileSync(from, to);
  const fd = openSync(to, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
