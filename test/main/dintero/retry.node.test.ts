import { afterEach, describe, expect, it } from 'vitest';
import { DinteroError } from '../../../main/dintero/errors';
import { backoffDelay, withReadRetries } from '../../../main/dintero/retry';
import { harness, rejection, type Harness } from './helpers';

let h: Harness | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

const hits = (x: Harness, path: string) => x.fake.requests.filter((r) => r.path === path).length;
const e500 = { status: 500, json: { error: { message: 'boom' } } };

describe('read retries', () => {
  it('full jitter: sleep = random() * min(cap, base * 2^n)', () => {
    const p = { baseMs: 250, capMs: 8_000 };
    expect(backoffDelay(0, { ...p, random: () => 0.999999 })).toBe(249);
    expect(backoffDelay(3, { ...p, random: () => 0.5 })).toBe(1000);
    expect(backoffDelay(10, { ...p, random: () => 0.5 })).toBe(4000); // capped at 8 s
    expect(backoffDelay(5, { ...p, random: () => 0 })).toBe(0);
  });

  it('a GET that fails with 5xx is retried with growing jittered sleeps, then succeeds', async () => {
    h = await harness();
    const tx = h.fake.addTransaction({});
    h.fake.intercept('GET /v1/transactions/:id', e500, 3);
    const got = await h.client.getTransaction(tx.id);
    expect(got.id).toBe(tx.id);
    expect(hits(h, `/v1/transactions/${tx.id}`)).toBe(4);
    expect(h.sleeps).toEqual([125, 250, 500]); // random() = 0.5, base 250
  });

  it('gives up after readRetries and throws the last error', async () => {
    h = await harness({ readRetries: 2 });
    const tx = h.fake.addTransaction({});
    h.fake.intercept('GET /v1/transactions/:id', e500, 10);
    const e = (await rejection(h.client.getTransaction(tx.id))) as DinteroError;
    expect(e.kind).toBe('unavailable');
    expect(hits(h, `/v1/transactions/${tx.id}`)).toBe(3);
    expect(h.sleeps).toHaveLength(2);
  });

  it('honours Retry-After on a 429', async () => {
    h = await harness();
    const s = h.fake.addSession({});
    h.fake.intercept('GET /v1/sessions/:id', {
      status: 429,
      json: { error: { message: 'slow down' } },
      headers: { 'retry-after': '2' },
    });
    await h.client.getSession(s.id);
    expect(h.sleeps).toEqual([2000]);
  });

  it('a Retry-After longer than maxRetryAfterMs is handed to the caller', async () => {
    h = await harness({ maxRetryAfterMs: 5_000 });
    const s = h.fake.addSession({});
    h.fake.intercept('GET /v1/sessions/:id', {
      status: 429,
      json: { error: { message: 'slow down' } },
      headers: { 'retry-after': '600' },
    });
    const e = (await rejection(h.client.getSession(s.id))) as DinteroError;
    expect(e.kind).toBe('rate_limited');
    expect(e.details.retryAfterMs).toBe(600_000);
    expect(h.sleeps).toEqual([]);
  });

  it('retries a connection dropped mid-GET and invalid JSON on a GET', async () => {
    h = await harness();
    const s = h.fake.addSession({});
    h.fake.intercept('GET /v1/sessions/:id', { action: 'reset' });
    h.fake.intercept('GET /v1/sessions/:id', { status: 200, body: 'not json' });
    expect((await h.client.getSession(s.id)).id).toBe(s.id);
    expect(h.sleeps).toHaveLength(2);
  });

  it('invalid JSON on a GET, every time -> unavailable (retryable)', async () => {
    h = await harness({ readRetries: 1 });
    h.fake.intercept('GET /v1/sessions', { status: 200, body: '[{' }, 5);
    const e = (await rejection(h.client.listSessions({}))) as DinteroError;
    expect(e.kind).toBe('unavailable');
    expect(e.transient).toBe(true);
  });

  it('does not retry GETs on 4xx other than 429', async () => {
    h = await harness();
    h.fake.intercept('GET /v1/transactions', {
      status: 400,
      json: { error: { message: 'bad limit' } },
    });
    const e = (await rejection(h.client.listTransactions({ limit: 5 }))) as DinteroError;
    expect(e.kind).toBe('invalid_request');
    expect(h.sleeps).toEqual([]);
  });

  it.each([
    ['5xx', e500],
    ['429', { status: 429, json: { error: { message: 'x' } }, headers: { 'retry-after': '1' } }],
  ] as const)('never resends a POST on %s', async (_n, reply) => {
    h = await harness();
    const tx = h.fake.addTransaction({});
    h.fake.intercept('POST /v1/transactions/:id/void', reply, 5);
    await rejection(h.client.void(tx.id));
    expect(hits(h, `/v1/transactions/${tx.id}/void`)).toBe(1);
    expect(h.sleeps).toEqual([]);
  });

  it('withReadRetries does not retry non-transient errors', async () => {
    let n = 0;
    const sleeps: number[] = [];
    const e = await rejection(
      withReadRetries(
        async () => {
          n++;
          throw new DinteroError('outcome_unknown', 'x');
        },
        {
          retries: 3,
          baseMs: 1,
          capMs: 1,
          maxRetryAfterMs: 1,
          random: () => 0,
          sleep: async (ms) => void sleeps.push(ms),
        },
      ),
    );
    expect((e as DinteroError).kind).toBe('outcome_unknown');
    expect(n).toBe(1);
  });
});
