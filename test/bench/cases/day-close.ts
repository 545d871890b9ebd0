/**
 * Bench 7: the day close for a busy day (5,000 orders) in a journal of 1,000,000.
 *
 * 7a opening the day: engine.dayCloseView (the day's rows, figures per currency and method,
 *    what needs staff, and the check against Dintero: 5,000 transactions compared with the
 *    journal, every order's own operations looked up to tell our captures from Backoffice's).
 *    Dintero is an in-process double answering at once with the day's transactions, as the
 *    journal holds them (a normal day: no differences), so the figure is the desk's own work.
 * 7b exporting it: CSV (RFC 4180) and the A4 PDF from the same report.
 * Baseline for both: the bare SELECT of the same day's rows from the same file.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect } from 'vitest';
import type {
  DinteroClient,
  DinteroTransaction,
  TransactionEvent,
} from '../../../main/dintero/types';
import { dayExportFile } from '../../../main/day-close/export';
import { createOrderEngine } from '../../../main/orders/engine';
import { journalFile, prefillJournal } from '../lib/fill';
import { ms, percentile, type BenchRow } from '../lib/report';
import { engineSettings, logger, subDir } from '../lib/setup';

const ORDERS = 1_000_000;
/** Two years of a busy desk: 1,370 orders on an average day, 5,000 on the day closed (a sale). */
const SPAN_DAYS = 730;
const DAY_ORDERS = 5_000;
/**
 * "Now" of the journal: this run's start, to the minute. The benchmarks that run the app on its
 * own clock (cold start, board, memory) then find the journal as a desk in use would (a journal
 * from months ago would first have its customer data erased, all at once).
 */
const NOW = Math.floor(Date.now() / 60_000) * 60_000;
/** The day closed: a Tuesday about two months back (UTC). */
const DAY = ((): string => {
  const d = new Date(NOW - 61 * 24 * 60 * 60 * 1000);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 5) % 7));
  return d.toISOString().slice(0, 10);
})();
const FROM = `${DAY}T00:00:00.000Z`;
const TO = `${DAY}T23:59:59.999Z`;
const RUNS = 3;

interface DayRowDb {
  id: string;
  merchant_reference: string;
  state: string;
  amount: number;
  currency: string;
  captured_amount: number;
  refunded_amount: number;
  transaction_id: string | null;
  session_id: string | null;
  payment_method: string | null;
  created_at: string;
}

const STATUS: Record<string, DinteroTransaction['status']> = {
  authorized: 'AUTHORIZED',
  partially_captured: 'PARTIALLY_CAPTURED',
  captured: 'CAPTURED',
  partially_refunded: 'PARTIALLY_REFUNDED',
  refunded: 'REFUNDED',
  voided: 'AUTHORIZATION_VOIDED',
};

/**
 * The day's transactions as Dintero would list them, and the operations the desk recorded for
 * the captures, refunds and voids in them (written straight into the journal: the pre-fill
 * has no operation rows).
 */
function dintero(path: string): DinteroTransaction[] {
  const db = new DatabaseSync(path);
  const rows = db
    .prepare(
      `SELECT * FROM orders WHERE created_at >= ? AND created_at <= ? AND transaction_id IS NOT NULL`,
    )
    .all(FROM, TO) as unknown as DayRowDb[];
  const op = db.prepare(
    `INSERT OR IGNORE INTO operations (id, order_id, kind, amount, reference, state, actor, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'done', 'Desk 1', ?, ?)`,
  );
  db.exec('BEGIN');
  const txs = rows.map((r): DinteroTransaction => {
    const events: TransactionEvent[] = [];
    const add = (
      kind: 'capture' | 'refund' | 'void',
      event: 'CAPTURE' | 'REFUND' | 'VOID',
      amount: number,
    ) => {
      const reference = `${r.merchant_reference}-${kind[0]!.toUpperCase()}1`;
      op.run(`${r.id}-${kind}`, r.id, kind, amount, reference, r.created_at, r.created_at);
      events.push({
        event,
        success: true,
        amount,
        event_reference: reference,
        created_at: r.created_at,
      });
    };
    if (r.captured_amount > 0) add('capture', 'CAPTURE', r.captured_amount);
    if (r.refunded_amount > 0) add('refund', 'REFUND', r.refunded_amount);
    if (r.state === 'voided') add('void', 'VOID', r.amount);
    return {
      id: r.transaction_id!,
      created_at: r.created_at,
      status: STATUS[r.state] ?? 'AUTHORIZED',
      amount: r.amount,
      currency: r.currency,
      merchant_reference: r.merchant_reference,
      ...(r.session_id ? { session_id: r.session_id } : {}),
      ...(r.payment_method ? { payment_product_type: r.payment_method } : {}),
      events,
    };
  });
  db.exec('COMMIT');
  db.close();
  return txs;
}

/** A Dintero that only reads: the day's list, and no payouts for this client. */
function readOnlyDintero(txs: DinteroTransaction[]): DinteroClient {
  const refuse = (): never => {
    throw new Error('bench: the day close must not write to Dintero');
  };
  const partial: Partial<DinteroClient> = {
    listAllTransactions: (q) =>
      Promise.resolve(
        txs.filter(
          (t) => t.created_at >= (q.createdGte ?? '') && t.created_at <= (q.createdLte ?? '~'),
        ),
      ),
    getTransaction: (id) => {
      const t = txs.find((x) => x.id === id);
      return t ? Promise.resolve(t) : Promise.reject(new Error('not found'));
    },
    listSettlements: () => Promise.resolve([]),
    createSession: refuse,
    capture: refuse,
    refund: refuse,
    void: refuse,
    cancelSession: refuse,
  };
  return partial as DinteroClient;
}

/**
 * The 1,000,000-order journal (filled once per run, at {@link TEMPLATE_1M_NOW}, shared with the
 * poll-round bench): its path, and the fill's seconds when this call filled it (else 0).
 */
export function template1m(root: string): { path: string; fillSeconds: number } {
  const cache = join(root, 'template-1m');
  mkdirSync(cache, { recursive: true });
  let fillSeconds = 0;
  if (!existsSync(journalFile(cache))) {
    const fill = prefillJournal(cache, {
      count: ORDERS,
      now: NOW,
      spanDays: SPAN_DAYS,
      terminal: engineSettings(),
      phoneBase: 10_000_000,
      seed: 7,
      busyDay: { day: DAY, orders: DAY_ORDERS },
    });
    fillSeconds = fill.seconds;
    console.log(
      `pre-filled ${fill.orders.toLocaleString('en')} orders (${fill.events.toLocaleString('en')}` +
        ` timeline lines, ${fill.firstDay} to ${fill.lastDay}) in ${fill.seconds.toFixed(1)} s:` +
        ` ${JSON.stringify(fill.byState)}; by desk ${JSON.stringify(fill.byDesk)}`,
    );
  }
  return { path: journalFile(cache), fillSeconds };
}

/** "Now" of the 1,000,000-order journal's fill. */
export const TEMPLATE_1M_NOW = NOW;

export async function benchDayClose(root: string): Promise<BenchRow[]> {
  const dir = subDir(root, 'b7-day-close');
  copyFileSync(template1m(root).path, journalFile(dir));
  const txs = dintero(journalFile(dir));

  const bare: number[] = [];
  const open: number[] = [];
  const csv: number[] = [];
  const pdf: number[] = [];
  let dayRows = 0;
  let sizes = { csv: 0, pdf: 0 };
  for (let run = 0; run < RUNS; run++) {
    const db = new DatabaseSync(journalFile(dir), { readOnly: true });
    const b0 = performance.now();
    const rows = db
      .prepare('SELECT * FROM orders WHERE created_at >= ? AND created_at <= ? ORDER BY created_at')
      .all(FROM, TO);
    bare.push(performance.now() - b0);
    db.close();
    dayRows = rows.length;

    const engine = createOrderEngine({
      accountId: 'P00000000',
      dataDir: dir,
      client: readOnlyDintero(txs),
      settings: engineSettings,
      logger,
      now: () => NOW,
      timeZone: 'UTC',
    });
    const o0 = performance.now();
    const view = await engine.dayCloseView({ day: DAY, scope: 'desk' });
    open.push(performance.now() - o0);
    expect(view.rowCount).toBe(dayRows);
    expect(view.check.status === 'checked' && view.check.differences).toEqual([]);

    const c0 = performance.now();
    const report = await engine.dayReport({ day: DAY, scope: 'desk' });
    const file = await dayExportFile(report, 'csv', 'en');
    csv.push(performance.now() - c0);
    const p0 = performance.now();
    const paper = await dayExportFile(
      await engine.dayReport({ day: DAY, scope: 'desk' }),
      'pdf',
      'en',
    );
    pdf.push(performance.now() - p0);
    sizes = { csv: file.bytes.length, pdf: paper.bytes.length };
    expect(report.rows).toHaveLength(dayRows);
    engine.closeNow();
  }
  expect(dayRows).toBeGreaterThanOrEqual(4_900);

  const base = percentile(bare, 50);
  const openP50 = percentile(open, 50);
  const csvP50 = percentile(csv, 50);
  const pdfP50 = percentile(pdf, 50);
  console.log(
    `[7] day close, ${dayRows.toLocaleString('en')} orders of ${ORDERS.toLocaleString('en')}, ${RUNS} runs:\n` +
      `    bare SELECT of the day ${bare.map((v) => ms(v, 0)).join(', ')}\n` +
      `    open (view + check of ${txs.length} transactions) ${open.map((v) => ms(v, 0)).join(', ')}\n` +
      `    export CSV ${csv.map((v) => ms(v, 0)).join(', ')} (${(sizes.csv / 1024).toFixed(0)} KiB)\n` +
      `    export PDF ${pdf.map((v) => ms(v, 0)).join(', ')} (${(sizes.pdf / 1024).toFixed(0)} KiB)`,
  );
  return [
    {
      id: '7a',
      what: `day close opens: ${dayRows} orders of 1M, checked against ${txs.length} transactions (target < 1 s)`,
      figure: ms(openP50, 0),
      baseline: `bare SELECT of the day ${ms(base, 0)}`,
      ratio: openP50 / base,
      data: { open, bare, dayRows, transactions: txs.length },
    },
    {
      id: '7b',
      what: `day close CSV export, ${dayRows} rows (target < 2 s)`,
      figure: ms(csvP50, 0),
      baseline: `bare SELECT of the day ${ms(base, 0)}`,
      ratio: csvP50 / base,
      data: { csv, bytes: sizes.csv },
    },
    {
      id: '7c',
      what: `day close PDF export (A4), ${dayRows} rows (target < 2 s)`,
      figure: ms(pdfP50, 0),
      baseline: `bare SELECT of the day ${ms(base, 0)}`,
      ratio: pdfP50 / base,
      data: { pdf, bytes: sizes.pdf },
    },
  ];
}
