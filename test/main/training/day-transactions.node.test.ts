/**
 * A day's transactions, as a day close reads them: GET /v1/transactions with a created_at
 * window and a store filter, every page (Dintero gives no total; a short page is the last).
 * The real client against the simulator over loopback HTTP, with a clock that walks through
 * three days and two stores.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DinteroClient } from '../../../main/dintero/types';
import { startSimulator, type Simulator } from '../../../main/training/simulator';
import { sessionBody, simClient, type Json } from './sim-helpers';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** 3 days (1–3 March 2026, Oslo), 2 stores; returns the ids paid on each (day, store). */
async function threeDays(): Promise<{
  client: DinteroClient;
  paid: Map<string, string[]>;
}> {
  let now = Date.parse('2026-02-28T23:30:00Z'); // 00:30 on 1 March in Oslo (UTC+1)
  sim = await startSimulator({ now: () => now });
  const s = sim;
  const client = simClient(s, 2000);
  const paid = new Map<string, string[]>();
  let n = 0;
  for (const day of ['01', '02', '03']) {
    // Store A has 130 payments on 2 March (two pages of 100), the others a few.
    for (const [store, count] of [
      ['oslo-a', day === '02' ? 130 : 4],
      ['oslo-b', 3],
    ] as const) {
      for (let i = 0; i < count; i++) {
        n++;
        const body: Json = sessionBody({
          order: {
            amount: 1000 + n,
            currency: 'NOK',
            merchant_reference: `POS1-202603${day}-${n}`,
            store: { id: store, name: 'Oslo' },
          },
        });
        const created = await client.createSession(
          body as Parameters<DinteroClient['createSession']>[0],
        );
        const tx = s.pay(created.id);
        const key = `${day}/${store}`;
        paid.set(key, [...(paid.get(key) ?? []), tx.id]);
        now += 60_000;
      }
    }
    // Next day, 00:30 Oslo time.
    now = Date.parse(`2026-03-${day}T23:30:00Z`);
  }
  return { client, paid };
}

describe("a day's transactions from Dintero", () => {
  it('created_at window and store filter, following every page', async () => {
    const { client, paid } = await threeDays();
    const day = {
      createdGte: '2026-03-02T00:00:00+01:00',
      createdLte: '2026-03-02T23:59:59.999+01:00',
    };

    const storeA = await client.listAllTransactions({ ...day, storeIds: ['oslo-a'], limit: 100 });
    expect(storeA).toHaveLength(130);
    expect(new Set(storeA.map((t) => t.id))).toEqual(new Set(paid.get('02/oslo-a')));
    expect(storeA.every((t) => t.store?.id === 'oslo-a')).toBe(true);

    const both = await client.listAllTransactions({
      ...day,
      storeIds: ['oslo-a', 'oslo-b'],
      limit: 100,
    });
    expect(new Set(both.map((t) => t.id))).toEqual(
      new Set([...paid.get('02/oslo-a')!, ...paid.get('02/oslo-b')!]),
    );

    // No store filter: the whole account's day; the first day's are not in it.
    const all = await client.listAllTransactions({ ...day, limit: 100 });
    expect(all).toHaveLength(133);
    const first = await client.listAllTransactions({
      createdGte: '2026-03-01T00:00:00+01:00',
      createdLte: '2026-03-01T23:59:59.999+01:00',
      limit: 100,
    });
    expect(new Set(first.map((t) => t.id))).toEqual(
      new Set([...paid.get('01/oslo-a')!, ...paid.get('01/oslo-b')!]),
    );
  });

  it('a store with nothing that day is an empty list, and a bad bound is refused', async () => {
    const { client } = await threeDays();
    expect(
      await client.listAllTransactions({
        createdGte: '2026-03-02T00:00:00+01:00',
        createdLte: '2026-03-02T23:59:59.999+01:00',
        storeIds: ['bergen'],
      }),
    ).toEqual([]);
    await expect(client.listTransactions({ createdGte: 'yesterday' })).rejects.toMatchObject({
      kind: 'invalid_request',
    });
  });
});
