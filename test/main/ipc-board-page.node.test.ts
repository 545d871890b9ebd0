/**
 * `orders:page`, the board's one way to the journal: main validates every input (the page
 * size is capped, the cursor is an order's place, a day close's set of orders and the search
 * are bounded) before the journal sees it, and a valid call answers one page through the real
 * services, the search typed as staff type it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { channels, type Channel, type OrderPage } from '../../common/ipc-contract';
import type { OrderSummary } from '../../common/domain';
import {
  BOARD_IDS_MAX,
  BOARD_PAGE_MAX,
  BOARD_SEARCH_MAX,
  compareBoardKeys,
} from '../../common/order-search';
import { MemorySecretStore } from '../../main/credentials/memory-secret-store';
import { dispatch, type HandlerTable } from '../../main/ipc/dispatch';
import { createHandlerTable } from '../../main/ipc/handlers';
import { createLogger } from '../../main/log';
import { AppServices } from '../../main/services';
import { PHONE_ORDER } from '../support/app-services';

const ctx = { actor: 'Desk 1' };
const KEY = { createdAt: '2025-03-01T10:00:00.000Z', id: '6c1f0d9e-1c7a-4d35-9a57-1f4f2c8f1a10' };

/** A table whose every handler records its input. */
function recordingTable() {
  const calls: unknown[] = [];
  const table = Object.fromEntries(
    (Object.keys(channels) as Channel[]).map((c) => [
      c,
      (input: unknown) => {
        calls.push(input);
        return { orders: [], all: 0 };
      },
    ]),
  ) as unknown as HandlerTable;
  return { table, calls };
}

describe('orders:page: every input validated in main', () => {
  it('passes a full, valid query to the handler as sent', async () => {
    const { table, calls } = recordingTable();
    const q = {
      states: ['authorized', 'captured'],
      from: '2025-03-01T00:00:00+01:00',
      to: '2025-03-01T23:59:59.999+01:00',
      ids: ['a', 'b'],
      search: '912 34 567',
      after: KEY,
      until: { ...KEY, id: 'x' },
      limit: BOARD_PAGE_MAX,
    };
    expect(await dispatch(table, 'orders:page', q, ctx)).toMatchObject({ ok: true });
    expect(await dispatch(table, 'orders:page', { limit: 1 }, ctx)).toMatchObject({ ok: true });
    expect(calls).toEqual([q, { limit: 1 }]);
  });

  it('refuses a page too big, a cursor that is not an order’s place, and unbounded sets', async () => {
    const { table, calls } = recordingTable();
    const bad: unknown[] = [
      undefined,
      {},
      { limit: 0 },
      { limit: BOARD_PAGE_MAX + 1 },
      { limit: 1.5 },
      { limit: '50' },
      { limit: 10, extra: true },
      { limit: 10, states: ['paid'] },
      { limit: 10, states: 'captured' },
      { limit: 10, from: 'yesterday' },
      { limit: 10, to: '2025-03-01' },
      { limit: 10, after: { createdAt: 'soon', id: 'x' } },
      { limit: 10, after: { createdAt: KEY.createdAt } },
      { limit: 10, after: { ...KEY, id: '' } },
      { limit: 10, after: { ...KEY, id: 'x'.repeat(101) } },
      { limit: 10, after: { ...KEY, rowid: 5 } },
      { limit: 10, until: KEY.createdAt },
      { limit: 10, ids: [1, 2] },
      { limit: 10, ids: Array.from({ length: BOARD_IDS_MAX + 1 }, (_, i) => `o${i}`) },
      { limit: 10, search: 'x'.repeat(BOARD_SEARCH_MAX + 1) },
      { limit: 10, search: 912 },
      { limit: 10, search: new Date() },
      JSON.parse('{"limit":10,"__proto__":{"admin":true}}'),
    ];
    for (const input of bad) {
      const r = await dispatch(table, 'orders:page', input, ctx);
      expect(r, JSON.stringify(input)?.slice(0, 80)).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
    }
    expect(calls).toHaveLength(0);
  });
});

describe('orders:page through the services', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
  });

  it('answers one page, newest first, and finds an order by the number as typed', async () => {
    const svc = await AppServices.create({
      dataDir: mkdtempSync(join(tmpdir(), 'paylink-page-')),
      secretStore: new MemorySecretStore(),
      logger: createLogger(),
      version: 'test',
      env: {},
    });
    closers.push(() => svc.close());
    const table = createHandlerTable(svc);
    const call = async (input: unknown): Promise<OrderPage> => {
      const r = await dispatch(table, 'orders:page', input, ctx);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as OrderPage;
    };
    const created: OrderSummary[] = [];
    for (const amount of [10_000, 20_000, 30_000]) {
      const r = await dispatch(table, 'orders:create', { ...PHONE_ORDER, amount }, ctx);
      if (!r.ok) throw new Error(r.error.message);
      created.push((r.value as { order: OrderSummary }).order);
    }
    // Newest first (orders made in the same millisecond: by id).
    const made = created.sort(compareBoardKeys).map((o) => o.id);
    const byAmount = (amount: number) => created.find((o) => o.amount === amount)!.id;
    const top = await call({ limit: 2 });
    expect(top.orders.map((o) => o.id)).toEqual(made.slice(0, 2));
    expect(top).toMatchObject({ total: 3, all: 3 });
    const next = await call({ limit: 2, after: top.resume });
    expect(next.orders.map((o) => o.id)).toEqual(made.slice(2));
    expect(next.resume).toBeUndefined();
    const found = await call({
      limit: 10,
      search: '+47 912 34 567',
      states: ['queued', 'sending', 'link_sent'],
    });
    expect(found.orders.map((o) => o.id).sort()).toEqual([...made].sort());
    expect((await call({ limit: 10, search: '200,00' })).orders.map((o) => o.id)).toEqual([
      byAmount(20_000),
    ]);
  });
});
