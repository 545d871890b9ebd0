/**
 * 50 concurrent calls on an expired token against the simulator: exactly ONE token request.
 *
 * Two ways a token runs out, each 10 rounds with a mix of GETs and POSTs (list/get sessions,
 * list/get transactions, create sessions), the token endpoint slowed by 30 ms so the calls
 * really pile up behind the refresh:
 * - the client's own clock says it expired (client and simulator clocks moved together);
 * - only Dintero's clock says so: every call is answered 401 with the old token, and all 50
 *   must share one refresh (and each call is sent at most twice).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDinteroClient } from '../../main/dintero/client';
import type { DinteroClient } from '../../main/dintero/types';
import { startSimulator, type Simulator } from '../../main/training/simulator';
import { prng, summary } from './support/env';

const LIFETIME_S = 3600;
const CONCURRENT = 50;
const ROUNDS_PER_KIND = 10;

describe('token refresh under 50 concurrent calls', () => {
  let sim: Simulator;
  let simNow = Date.parse('2025-03-01T10:00:00Z');
  let clientNow = simNow;
  let client: DinteroClient;
  let sessionId = '';
  let transactionId = '';

  beforeAll(async () => {
    sim = await startSimulator({
      now: () => simNow,
      tokenLifetimeSeconds: LIFETIME_S,
      random: prng(7),
    });
    sim.faults.add({ route: 'token', kind: 'latency', delayMs: 30 });
    client = createDinteroClient({
      apiUrl: sim.url,
      checkoutUrl: sim.url,
      credentials: () => Promise.resolve(sim.credentials),
      timeoutMs: 5000,
      now: () => clientNow,
      random: prng(8),
    });
    const created = await client.createSession(request('TOK-SETUP'));
    sessionId = created.id;
    transactionId = sim.pay(sessionId).id;
  });

  afterAll(async () => {
    await sim?.close();
  });

  let seq = 0;
  function request(ref: string): Parameters<DinteroClient['createSession']>[0] {
    return {
      profile_id: 'P00000000.default',
      url: { return_url: 'https://shop.example/thanks' },
      customer: { phone_number: '+4741000001' },
      order: { amount: 1000, currency: 'NOK', merchant_reference: ref },
      expires_at: new Date(simNow + 3_600_000).toISOString(),
    };
  }

  /** The i-th call of a round: a mix of reads and creates. */
  function call(i: number): Promise<unknown> {
    switch (i % 5) {
      case 0:
        return client.listSessions({ limit: 5 });
      case 1:
        return client.getSession(sessionId);
      case 2:
        return client.listTransactions({ ids: [transactionId] });
      case 3:
        return client.getTransaction(transactionId);
      default:
        return client.createSession(request(`TOK-${++seq}`));
    }
  }

  it('each round of 50 calls on an expired token makes exactly one token request', async () => {
    const rows: string[] = [];
    let passed = 0;
    let failed = 0;
    for (const kind of ['client clock', 'server clock (401)'] as const) {
      for (let r = 0; r < ROUNDS_PER_KIND; r++) {
        // Past the token's life (plus the client's refresh margin).
        const jump = (LIFETIME_S + 120) * 1000;
        simNow += jump;
        if (kind === 'client clock') clientNow += jump;
        const before = sim.stats();
        const results = await Promise.allSettled(
          Array.from({ length: CONCURRENT }, (_, i) => call(i)),
        );
        const after = sim.stats();
        const tokenRequests = after.tokenRequests - before.tokenRequests;
        const issued = after.tokensIssued - before.tokensIssued;
        const rejected = results.filter((x) => x.status === 'rejected').length;
        const sent = Object.entries(after.requests)
          .filter(([route]) => route !== 'token')
          .reduce((n, [route, c]) => n + (c ?? 0) - (before.requests[route as 'create'] ?? 0), 0);
        const ok = tokenRequests === 1 && issued === 1 && rejected === 0 && sent <= 2 * CONCURRENT;
        if (ok) passed++;
        else failed++;
        rows.push(
          `${kind} #${r + 1}: token requests ${tokenRequests}, calls ok ${CONCURRENT - rejected}/${CONCURRENT}, requests ${sent}`,
        );
        expect(tokenRequests, `${kind} round ${r + 1}: token requests`).toBe(1);
        expect(issued).toBe(1);
        expect(rejected).toBe(0);
        expect(sent).toBeLessThanOrEqual(2 * CONCURRENT);
      }
    }
    console.log(
      `token: ${passed + failed} rounds x ${CONCURRENT} concurrent calls on an expired token; ` +
        `token requests per round: ${rows.map((r) => r.match(/token requests (\d+)/)?.[1]).join(',')}`,
    );
    summary('token', passed, failed);
  });
});
