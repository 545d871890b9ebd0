/**
 * listSettlements: GET {apiUrl}/v1/accounts/{aid}/settlements on the core API host, every page
 * by `last_evaluated_key` (starting_after_id + starting_after_date together), a guard on the
 * count, and a 403 that stays a distinguishable 'permission' error (not retried).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DinteroError } from '../../../main/dintero/errors';
import { harness, rejection, type Harness } from './helpers';

let h: Harness | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

const settlementCalls = (x: Harness) =>
  x.fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/settlements'));

describe('listSettlements', () => {
  it('reads the core API host, not the checkout host, under the account id', async () => {
    // The checkout host is a closed port: only the api host can answer.
    h = await harness({ checkoutUrl: 'http://127.0.0.1:9', readRetries: 0 });
    h.fake.addSettlement({ id: 'stl_a' });
    const list = await h.client.listSettlements({ settledGte: '2026-01-01' });
    expect(list.map((s) => s.id)).toEqual(['stl_a']);
    const [call] = settlementCalls(h);
    expect(call?.path).toBe(`/v1/accounts/${h.fake.credentials.accountId}/settlements`);
    expect(call?.headers.authorization).toMatch(/^Bearer /);
    expect(call?.query.get('created_at.gte')).toBe('2026-01-01');
    expect(call?.query.get('limit')).toBe('100');
  });

  it('follows last_evaluated_key with both halves of the cursor until a page has none', async () => {
    h = await harness();
    for (let i = 1; i <= 5; i++) {
      h.fake.addSettlement({ id: `stl_${i}`, settled_at: `2026-01-0${i}T06:00:00.000Z` });
    }
    const list = await h.client.listSettlements({ limit: 2 });
    expect(list.map((s) => s.id)).toEqual(['stl_1', 'stl_2', 'stl_3', 'stl_4', 'stl_5']);
    const calls = settlementCalls(h);
    expect(calls).toHaveLength(3);
    expect(calls[0]!.query.has('starting_after_id')).toBe(false);
    expect(calls[1]!.query.get('starting_after_id')).toBe('stl_2');
    expect(calls[1]!.query.get('starting_after_date')).toBe('2026-01-02T06:00:00.000Z');
    expect(calls[2]!.query.get('starting_after_id')).toBe('stl_4');
    expect(calls[2]!.query.get('starting_after_date')).toBe('2026-01-04T06:00:00.000Z');
  });

  it('stops at maxItems, and when the server repeats the cursor it was given', async () => {
    h = await harness();
    for (let i = 1; i <= 5; i++) h.fake.addSettlement({ id: `stl_${i}` });
    expect(await h.client.listSettlements({ limit: 2 }, 3)).toHaveLength(3);
    expect(settlementCalls(h)).toHaveLength(2);

    // A server that ignores the cursor: the same page and key every time.
    h.fake.intercept(
      (r) => r.path.endsWith('/settlements'),
      {
        status: 200,
        json: {
          items: [{ id: 'stl_x', settled_at: '2026-01-01' }],
          last_evaluated_key: { id: 'stl_x', settled_at: '2026-01-01' },
        },
      },
      100,
    );
    const before = settlementCalls(h).length;
    expect((await h.client.listSettlements({ limit: 1 })).map((s) => s.id)).toEqual(['stl_x']);
    expect(settlementCalls(h).length - before).toBe(2);
  });

  it('a 403 is a permission error, sent once (no retry)', async () => {
    h = await harness();
    h.fake.intercept((r) => r.path.endsWith('/settlements'), {
      status: 403,
      json: { error: { code: 'FORBIDDEN', message: 'missing scope read:settlements' } },
    });
    const err = await rejection(h.client.listSettlements({}));
    expect(err).toBeInstanceOf(DinteroError);
    expect((err as DinteroError).kind).toBe('permission');
    expect((err as DinteroError).details.status).toBe(403);
    expect((err as DinteroError).text).toEqual({ key: 'error.dintero.permission' });
    expect(settlementCalls(h)).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  it('an answer that is not a settlement list is unavailable, and a 5xx is retried', async () => {
    h = await harness({ readRetries: 1 });
    h.fake.intercept((r) => r.path.endsWith('/settlements'), { status: 200, json: [] });
    const err = await rejection(h.client.listSettlements({}));
    expect((err as DinteroError).kind).toBe('unavailable');

    h.fake.intercept((r) => r.path.endsWith('/settlements'), { status: 503, json: {} });
    h.fake.addSettlement({ id: 'stl_after_503' });
    const list = await h.client.listSettlements({});
    expect(list.map((s) => s.id)).toEqual(['stl_after_503']);
    expect(h.sleeps).toHaveLength(1);
  });
});
