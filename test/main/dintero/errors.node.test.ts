import { afterEach, describe, expect, it } from 'vitest';
import { createDinteroClient } from '../../../main/dintero/client';
import { DinteroError } from '../../../main/dintero/errors';
import { harness, rejection, sessionRequest, type Harness } from './helpers';

let h: Harness | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

const sent = (x: Harness, path: string) => x.fake.requests.filter((r) => r.path === path).length;

describe('HTTP errors are typed', () => {
  it('400 -> invalid_request with Dintero message, code and flattened field errors', async () => {
    h = await harness();
    h.fake.intercept('POST /v1/sessions-profile', {
      status: 400,
      json: {
        error: {
          code: 'INVALID_REQUEST_PARAMETERS',
          message: 'order.amount must equal the sum of the items',
          errors: [
            { field: 'order.amount', message: 'does not match items' },
            {
              errors: [{ path: ['order', 'items', 0, 'vat'], message: 'must be a number' }],
              message: 'items invalid',
            },
          ],
        },
      },
    });
    const e = (await rejection(h.client.createSession(sessionRequest))) as DinteroError;
    expect(e).toBeInstanceOf(DinteroError);
    expect(e.kind).toBe('invalid_request');
    expect(e.details).toMatchObject({
      status: 400,
      dinteroCode: 'INVALID_REQUEST_PARAMETERS',
      dinteroMessage: 'order.amount must equal the sum of the items',
      operation: 'POST /v1/sessions-profile',
    });
    expect(e.details.fieldErrors).toEqual([
      { field: 'order.amount', message: 'does not match items' },
      { message: 'items invalid' },
      { field: 'order.items.0.vat', message: 'must be a number' },
    ]);
    expect(e.message).toContain('order.amount must equal the sum of the items');
    expect(e.message).toMatch(/Correct the details/);
    expect(e.nothingSent).toBe(false);
    expect(e.transient).toBe(false);
  });

  it('400 with a body that is not JSON still gives a usable message', async () => {
    h = await harness();
    h.fake.intercept('POST /v1/sessions-profile', { status: 400, body: '<html>bad</html>' });
    const e = (await rejection(h.client.createSession(sessionRequest))) as DinteroError;
    expect(e.kind).toBe('invalid_request');
    expect(e.message).toMatch(/HTTP 400/);
  });

  it.each([
    [403, 'permission'],
    [404, 'not_found'],
    [409, 'unavailable'],
    // A 5xx may come after Dintero acted (gateway errors): the engine must check first.
    [500, 'outcome_unknown'],
    [502, 'outcome_unknown'],
    [503, 'outcome_unknown'],
    [504, 'outcome_unknown'],
    [422, 'invalid_request'],
  ] as const)('POST answered %i -> %s, sent once', async (status, kind) => {
    h = await harness();
    const tx = h.fake.addTransaction({});
    h.fake.intercept(
      'POST /v1/transactions/:id/capture',
      { status, json: { error: { message: `m${status}` } } },
      5,
    );
    const e = (await rejection(
      h.client.capture(tx.id, { amount: 1, capture_reference: 'c' }),
    )) as DinteroError;
    expect(e.kind).toBe(kind);
    expect(e.details.status).toBe(status);
    expect(sent(h, `/v1/transactions/${tx.id}/capture`)).toBe(1);
  });

  it('getSession of an unknown id -> not_found (not retried)', async () => {
    h = await harness();
    const e = (await rejection(h.client.getSession('T12345678.nope'))) as DinteroError;
    expect(e.kind).toBe('not_found');
    expect(h.sleeps).toEqual([]);
  });

  it('429 -> rate_limited with retryAfterMs from Retry-After seconds', async () => {
    h = await harness();
    h.fake.intercept('POST /v1/sessions-profile', {
      status: 429,
      json: { error: { message: 'slow' } },
      headers: { 'retry-after': '12' },
    });
    const e = (await rejection(h.client.createSession(sessionRequest))) as DinteroError;
    expect(e.kind).toBe('rate_limited');
    expect(e.details.retryAfterMs).toBe(12_000);
    expect(sent(h, '/v1/sessions-profile')).toBe(1);
  });

  it('429 -> rate_limited with retryAfterMs from an HTTP date', async () => {
    h = await harness();
    const at = new Date(h.clock.t + 30_000).toUTCString();
    h.fake.intercept('POST /v1/sessions-profile', {
      status: 429,
      json: { error: { message: 'slow' } },
      headers: { 'retry-after': at },
    });
    const e = (await rejection(h.client.createSession(sessionRequest))) as DinteroError;
    expect(e.details.retryAfterMs).toBe(30_000);
  });
});

describe('transport failures', () => {
  it('connection refused -> network, nothing sent', async () => {
    h = await harness();
    const url = h.fake.url;
    await h.fake.close();
    const c = createDinteroClient({
      apiUrl: url,
      checkoutUrl: url,
      credentials: async () => ({
        accountId: 'T12345678',
        clientId: 'a',
        clientSecret: 'bbbbbbbb',
      }),
      sleep: async () => {},
      readRetries: 0,
    });
    const e = (await rejection(c.createSession(sessionRequest))) as DinteroError;
    expect(e.kind).toBe('network');
    expect(e.nothingSent).toBe(true);
  });

  it('refused on the checkout host after a token was issued -> network for a POST', async () => {
    h = await harness({ checkoutUrl: 'http://127.0.0.1:9' });
    const e = (await rejection(h.client.createSession(sessionRequest))) as DinteroError;
    expect(e.kind).toBe('network');
    expect(e.message).toMatch(/ECONNREFUSED/);
  });

  it('POST whose connection drops after the request was written -> outcome_unknown, not resent', async () => {
    h = await harness();
    h.fake.intercept('POST /v1/sessions-profile', { action: 'reset' });
    const e = (await rejection(h.client.createSession(sessionRequest))) as DinteroError;
    expect(e.kind).toBe('outcome_unknown');
    expect(e.nothingSent).toBe(false);
    expect(sent(h, '/v1/sessions-profile')).toBe(1);
  });

  it('POST that times out after sending -> outcome_unknown, not resent', async () => {
    h = await harness({ timeoutMs: 250 });
    const tx = h.fake.addTransaction({});
    h.fake.intercept('POST /v1/transactions/:id/refund', { action: 'hang' });
    const e = (await rejection(
      h.client.refund(tx.id, { amount: 1, refund_reference: 'r' }),
    )) as DinteroError;
    expect(e.kind).toBe('outcome_unknown');
    expect(e.message).toMatch(/ETIMEDOUT/);
    expect(sent(h, `/v1/transactions/${tx.id}/refund`)).toBe(1);
  });

  it('POST with an unparsable 2xx body -> outcome_unknown', async () => {
    h = await harness();
    h.fake.intercept('POST /v1/sessions-profile', { status: 200, body: '{"id": "T1234' });
    const e = (await rejection(h.client.createSession(sessionRequest))) as DinteroError;
    expect(e.kind).toBe('outcome_unknown');
  });

  it('POST with a 2xx body of the wrong shape -> outcome_unknown', async () => {
    h = await harness();
    const s = h.fake.addSession({});
    h.fake.intercept('POST /v1/sessions/:id/qr', { status: 200, json: { nope: true } });
    const e = (await rejection(h.client.sessionQr(s.id))) as DinteroError;
    expect(e.kind).toBe('outcome_unknown');
  });

  it('GET that times out every time -> unavailable after the retries (timeout on every call)', async () => {
    h = await harness({ timeoutMs: 150, readRetries: 2 });
    const tx = h.fake.addTransaction({});
    h.fake.intercept('GET /v1/transactions/:id', { action: 'hang' }, 3);
    const e = (await rejection(h.client.getTransaction(tx.id))) as DinteroError;
    expect(e.kind).toBe('unavailable');
    expect(e.transient).toBe(true);
    expect(sent(h, `/v1/transactions/${tx.id}`)).toBe(3);
  });

  it('a token request that times out is a network error for the call (the call was never sent)', async () => {
    h = await harness({ timeoutMs: 150 });
    h.fake.intercept((r) => r.path.includes('/auth/token'), { action: 'hang' });
    const e = (await rejection(h.client.createSession(sessionRequest))) as DinteroError;
    expect(e.kind).toBe('network');
    expect(sent(h, '/v1/sessions-profile')).toBe(0);
  });

  it('errors carry no got request/response and no cause', async () => {
    h = await harness();
    h.fake.intercept('POST /v1/sessions-profile', { action: 'reset' });
    const e = (await rejection(h.client.createSession(sessionRequest))) as DinteroError;
    expect(e.cause).toBeUndefined();
    expect(Object.keys(e).sort()).toEqual(['details', 'kind', 'name', 'text']);
  });
});
