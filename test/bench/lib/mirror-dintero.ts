/**
 * A Dintero for the poll benchmarks that answers every status read the way Dintero would for a
 * pre-filled journal: each order's session (links) or transaction (paid orders) as the fill
 * made it, so a round does all of its work (reads, maps and compares every answer, journals
 * what changed). One captured order in `refundEvery` read has been partly refunded in
 * Dintero's Backoffice meanwhile (the order changes: a journal write, a timeline line, an
 * event to the screen). List answers arrive a tick later, as from a fast network; anything
 * else is refused (the benchmarks send nothing).
 *
 * Dintero's side is read from the journal itself, on its own read-only connection, by the
 * session and transaction indexes, for each call: what the desk last saw is what Dintero holds
 * (plus the Backoffice refunds). Nothing of it sits on the heap, whose size would otherwise
 * weigh on every garbage collection the benchmark measures.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type {
  DinteroClient,
  DinteroSession,
  DinteroTransaction,
  TransactionEvent,
  TransactionStatus,
} from '../../../main/dintero/types';

const STATUS: Readonly<Record<string, TransactionStatus>> = {
  authorized: 'AUTHORIZED',
  partially_captured: 'PARTIALLY_CAPTURED',
  captured: 'CAPTURED',
  partially_refunded: 'PARTIALLY_REFUNDED',
  refunded: 'REFUNDED',
  voided: 'AUTHORIZATION_VOIDED',
};

interface Row {
  session_id: string | null;
  transaction_id: string | null;
  state: string;
  amount: number;
  currency: string;
  captured_amount: number;
  refunded_amount: number;
  payment_method: string | null;
  merchant_reference: string;
  created_at: string;
  expires_at: string | null;
}

const COLUMNS = `session_id, transaction_id, state, amount, currency, captured_amount,
  refunded_amount, payment_method, merchant_reference, created_at, expires_at`;

const event = (kind: 'CAPTURE' | 'REFUND', amount: number, at: string): TransactionEvent => ({
  event: kind,
  success: true,
  amount,
  created_at: at,
});

function session(r: Row): DinteroSession {
  return {
    id: r.session_id!,
    created_at: r.created_at,
    ...(r.expires_at !== null ? { expires_at: r.expires_at } : {}),
    order: { amount: r.amount, currency: r.currency, merchant_reference: r.merchant_reference },
    ...(r.transaction_id !== null ? { transaction_id: r.transaction_id } : {}),
    ...(r.state === 'opened' ? { events: [{ name: 'VISITED' }] } : {}),
    ...(r.state === 'cancelled' ? { cancelled_at: r.created_at } : {}),
  } as DinteroSession;
}

function transaction(r: Row, refunded: boolean): DinteroTransaction | undefined {
  const status = STATUS[r.state];
  if (r.transaction_id === null || status === undefined) return undefined;
  const events: TransactionEvent[] = [];
  if (r.captured_amount > 0) events.push(event('CAPTURE', r.captured_amount, r.created_at));
  if (r.refunded_amount > 0) events.push(event('REFUND', r.refunded_amount, r.created_at));
  const tx: DinteroTransaction = {
    id: r.transaction_id,
    ...(r.session_id !== null ? { session_id: r.session_id } : {}),
    created_at: r.created_at,
    status,
    amount: r.amount,
    currency: r.currency,
    merchant_reference: r.merchant_reference,
    ...(r.payment_method !== null ? { payment_product_type: r.payment_method } : {}),
    events,
  };
  if (refunded && status === 'CAPTURED') {
    // Refunded in part in Backoffice since the fill.
    tx.status = 'PARTIALLY_REFUNDED';
    events.push(event('REFUND', 100, r.created_at));
  }
  return tx;
}

export interface MirrorDintero {
  client: DinteroClient;
  /** True when the mirror holds this session or transaction (else ask another Dintero). */
  knows(id: string): boolean;
  /** Answers given, and Backoffice refunds among them. */
  readonly answered: { sessions: number; transactions: number; refunds: number };
  /** Closes its connection. */
  close(): void;
}

/** Dintero as the journal at `path` knows it. */
export function mirrorDintero(path: string, refundEvery = 100): MirrorDintero {
  const db = new DatabaseSync(path, { readOnly: true });
  const bySession = db.prepare(`SELECT ${COLUMNS} FROM orders WHERE session_id = ?`);
  const byTransaction = db.prepare(`SELECT ${COLUMNS} FROM orders WHERE transaction_id = ?`);
  const find = (st: StatementSync, id: string): Row | undefined => st.get(id) as Row | undefined;
  /** Orders refunded in Backoffice so far (they stay refunded). */
  const refunds = new Set<string>();
  const answered = { sessions: 0, transactions: 0, refunds: 0 };
  let reads = 0;

  const later = <T>(value: T): Promise<T> =>
    new Promise((resolve) => setImmediate(() => resolve(value)));
  const refuse = (): Promise<never> => Promise.reject(new Error('bench: not expected'));
  const readTransaction = (id: string): DinteroTransaction | undefined => {
    const r = find(byTransaction, id);
    if (!r) return undefined;
    if (r.state === 'captured' && !refunds.has(id) && ++reads % refundEvery === 0) {
      refunds.add(id);
      answered.refunds++;
    }
    return transaction(r, refunds.has(id));
  };
  const partial: Partial<DinteroClient> = {
    listSessions: (q) => {
      const out = (q.ids ?? []).flatMap((id) => {
        const r = find(bySession, id);
        return r ? [session(r)] : [];
      });
      answered.sessions += out.length;
      return later(out);
    },
    listTransactions: (q) => {
      const out = (q.ids ?? []).flatMap((id) => readTransaction(id) ?? []);
      answered.transactions += out.length;
      return later(out);
    },
    getTransaction: (id) => {
      const tx = readTransaction(id);
      return tx ? later(tx) : refuse();
    },
    getSession: refuse,
    createSession: refuse,
    capture: refuse,
    refund: refuse,
    void: refuse,
    cancelSession: refuse,
  };
  return {
    client: partial as DinteroClient,
    knows: (id) => find(bySession, id) !== undefined || find(byTransaction, id) !== undefined,
    answered,
    close: () => db.close(),
  };
}
