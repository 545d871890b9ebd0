/**
 * Fast pre-filling of an order journal for the benchmarks: the schema comes from the journal
 * itself (Journal.open creates and migrates it), the rows from OrderRow objects mapped with the
 * journal's own column mapping (order-row.ts), all in ONE transaction. Orders look like a
 * year of a busy desk: mostly captured, some expired/cancelled/refunded, a few live links in
 * the last minutes, each with a realistic timeline (created, sending, link sent, outcome).
 * The reference counters (sequences) are set to match, so the engine can keep numbering.
 */
import { english } from '../../../common/i18n';
import { msg } from '../../../common/i18n/messages';
import { randomUUID } from 'node:crypto';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ERASED_PHONE, type OrderItem, type OrderState } from '../../../common/domain';
import { Journal } from '../../../main/orders/journal';
import {
  dayStamp,
  formatReference,
  sequenceName,
  terminalPrefix,
} from '../../../main/orders/merchant-reference';
import { COLUMNS, toColumnValue, type OrderRow } from '../../../main/orders/order-row';
import { DEFAULT_POLL_TIMING, followAllSql } from '../../../main/orders/poll-schedule';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ERASE_AFTER = 90 * DAY;

/** A small deterministic PRNG (mulberry32), so every run fills the same journal. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FillOptions {
  /** How many orders. */
  count: number;
  /** "Now" of the fill (ms); the newest order is a few seconds old. */
  now: number;
  /** Orders are spread evenly over this many days before `now`. */
  spanDays: number;
  /** Terminal name / store id the references are made from (as the engine does). */
  terminal: { terminalName: string; storeId: string };
  /** Order i gets phone +47(phoneBase + i). */
  phoneBase: number;
  seed?: number;
  /** Order index → customer name override (to plant a unique search target). */
  names?: ReadonlyMap<number, string>;
}

/** What was written. */
export interface FillResult {
  path: string;
  orders: number;
  events: number;
  byState: Partial<Record<OrderState, number>>;
  /** Ids in fill order (oldest first). */
  ids: string[];
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

type Pick = readonly [OrderState, number];
/** Links in the last quarter hour are mostly still open. */
const FRESH: readonly Pick[] = [
  ['link_sent', 0.7],
  ['opened', 0.15],
  ['authorized', 0.15],
];
/** The past week: a few still waiting for capture. */
const WEEK: readonly Pick[] = [
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
const OLD: readonly Pick[] = [
  ['captured', 0.68],
  ['partially_refunded', 0.02],
  ['refunded', 0.04],
  ['expired', 0.14],
  ['cancelled', 0.05],
  ['declined', 0.03],
  ['voided', 0.03],
  ['failed', 0.01],
];

function pickState(table: readonly Pick[], r: number): OrderState {
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

const hex = (rand: () => number, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rand() * 16).toString(16);
  return s;
};

/** Creates (or reuses) the journal in `dataDir` and adds `count` orders in one transaction. */
export function prefillJournal(dataDir: string, o: FillOptions): FillResult {
  const started = performance.now();
  const opened = Journal.open(dataDir, () => o.now);
  if (!opened.ok) throw new Error(`bench: journal could not be opened: ${english(opened.problem)}`);
  const path = opened.journal.path;
  opened.journal.close();

  const rand = prng(o.seed ?? 42);
  const prefix = terminalPrefix(o.terminal);
  const fields = Object.keys(COLUMNS) as Array<keyof OrderRow>;
  const cols = fields.map((f) => COLUMNS[f]);
  const db = new DatabaseSync(path, { timeout: 5000, enableForeignKeyConstraints: true });
  const byState: Partial<Record<OrderState, number>> = {};
  const ids: string[] = [];
  let events = 0;
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    const insertOrder = db.prepare(
      `INSERT INTO orders (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
    );
    const insertEvent = db.prepare(
      `INSERT INTO order_events (order_id, at, kind, actor, detail, amount, from_state, to_state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const setSequence = db.prepare(
      `INSERT INTO sequences (name, value) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)`,
    );
    const sequences = new Map<string, number>();
    const event = (
      id: string,
      at: number,
      kind: string,
      actor: string,
      detail: string | null,
      amount: number | null,
      move?: [OrderState, OrderState],
    ): void => {
      insertEvent.run(
        id,
        new Date(at).toISOString(),
        kind,
        actor,
        detail,
        amount,
        move?.[0] ?? null,
        move?.[1] ?? null,
      );
      events++;
    };

    db.exec('BEGIN IMMEDIATE');
    const span = o.spanDays * DAY;
    for (let i = 0; i < o.count; i++) {
      const created = Math.round(o.now - span + ((i + 0.5) * span) / o.count) - 5000;
      const age = o.now - created;
      const state = pickState(age < 15 * MINUTE ? FRESH : age < 7 * DAY ? WEEK : OLD, rand());
      byState[state] = (byState[state] ?? 0) + 1;
      const day = dayStamp(created);
      const seqName = sequenceName(prefix, day);
      const seq = (sequences.get(seqName) ?? 0) + 1;
      sequences.set(seqName, seq);
      const amount = (100 + Math.floor(rand() * 4900)) * 100;
      const withItem = rand() < 0.5;
      const vatAmount = withItem ? Math.round((amount * 25) / 125) : 0;
      const items: OrderItem[] = withItem
        ? [
            {
              lineId: '1',
              description: ITEMS[Math.floor(rand() * ITEMS.length)]!,
              quantity: 1,
              unitPrice: amount,
              vatPercent: 25,
              amount,
              vatAmount,
            },
          ]
        : [];
      const nameRoll = rand();
      const name =
        o.names?.get(i) ??
        (nameRoll < 0.6
          ? `${FIRST[Math.floor(rand() * FIRST.length)]!} ${LAST[Math.floor(rand() * LAST.length)]!}`
          : undefined);
      const email = name !== undefined && rand() < 0.3 ? `customer${i}@example.no` : undefined;
      const id = randomUUID();
      ids.push(id);
      const sentAt = created + 800;
      const hasSession = state !== 'failed' || rand() < 0.5;
      const sessionId = hasSession ? `T00000000.${hex(rand, 26)}` : undefined;
      const paid = PAID.has(state);
      const paidAt = sentAt + Math.min(age / 2, 20 * MINUTE);
      const settledAt =
        state === 'expired'
          ? sentAt + 24 * HOUR
          : paid
            ? paidAt + Math.min(age / 4, 2 * HOUR)
            : paidAt;
      const captured =
        state === 'captured' || state === 'partially_refunded' || state === 'refunded'
          ? amount
          : state === 'partially_captured'
            ? amount / 2
            : 0;
      const refunded =
        state === 'refunded' ? amount : state === 'partially_refunded' ? amount / 4 : 0;
      // A desk erases a finished order's customer after 90 days (the default): older orders
      // come that way, as a desk that has run for a year holds them.
      const erasedAt = age > ERASE_AFTER && state !== 'authorized' ? created + ERASE_AFTER : 0;
      const row: OrderRow = {
        id,
        merchantReference: formatReference(prefix, day, seq),
        state,
        phone: erasedAt ? ERASED_PHONE : `+47${o.phoneBase + i}`,
        amount,
        currency: 'NOK',
        vatAmount,
        items,
        delivery: 'sms',
        linkLifetimeHours: 24,
        createdAt: new Date(created).toISOString(),
        updatedAt: new Date(Math.min(settledAt, o.now)).toISOString(),
        createdBy: 'Desk 1',
        authorizedAmount: paid ? amount : 0,
        capturedAmount: captured,
        refundedAmount: refunded,
        nextAttemptAt: created,
        attempts: 1,
        checkBeforeSend: false,
        lapseWarned: false,
        outcomeUnknown: false,
        duplicateWatchUntil: 0,
        accountId: 'P00000000',
        version: paid ? 5 : 4,
        ...(erasedAt ? { customerErasedAt: new Date(erasedAt).toISOString() } : {}),
        ...(name !== undefined && !erasedAt ? { customerName: name } : {}),
        ...(email !== undefined && !erasedAt ? { email } : {}),
        ...(sessionId !== undefined
          ? {
              sessionId,
              linkUrl: `https://checkout.dintero.com/v1/view/${sessionId}`,
              smsStatus: 'sent' as const,
              expiresAt: new Date(sentAt + 24 * HOUR).toISOString(),
            }
          : { lastError: msg('line.refusedByDintero', { why: 'invalid phone number' }) }),
        ...(paid
          ? {
              transactionId: `T00000000.${hex(rand, 26)}`,
              paymentMethod: rand() < 0.6 ? 'vipps' : 'bambora.creditcard',
              authorizedAt: new Date(paidAt).toISOString(),
            }
          : {}),
      };
      insertOrder.run(...fields.map((f) => toColumnValue(f, row[f]) as SQLInputValue));
      const nok = `NOK ${(amount / 100).toFixed(2)}`;
      const masked = erasedAt ? ERASED_PHONE : `+47 ••• •• ${String(o.phoneBase + i).slice(-3)}`;
      event(
        id,
        created,
        'created',
        'Desk 1',
        `Order ${row.merchantReference} for ${nok} (texted to ${masked}).`,
        amount,
      );
      event(id, created + 50, 'sending', 'system', null, null, ['queued', 'sending']);
      if (sessionId !== undefined) {
        event(
          id,
          sentAt,
          'link_sent',
          'system',
          `Payment link for ${nok} texted to ${masked}.`,
          null,
          ['sending', 'link_sent'],
        );
        if (state !== 'link_sent') {
          event(
            id,
            Math.min(settledAt, o.now),
            state,
            'dintero',
            `Dintero: ${state}.`,
            paid ? amount : null,
            ['link_sent', state],
          );
        }
      } else {
        event(id, sentAt, 'failed', 'dintero', 'Dintero refused the order.', null, [
          'sending',
          'failed',
        ]);
      }
    }
    for (const [name, value] of sequences) setSequence.run(name, value);
    // The poller's schedule, as migration 8 fills it: every order followed at `now` due then.
    db.exec(followAllSql(DEFAULT_POLL_TIMING, o.now));
    db.exec('COMMIT');
  } finally {
    db.close();
  }
  if (existsSync(`${path}-wal`)) throw new Error('bench: journal WAL left behind after the fill');
  return {
    path,
    orders: o.count,
    events,
    byState,
    ids,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Path of the journal file inside a data folder. */
export const journalFile = (dataDir: string): string => join(dataDir, 'journal.sqlite');
