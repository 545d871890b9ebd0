import { afterEach, describe, expect, it } from 'vitest';
import { DinteroError } from '../../../main/dintero/errors';
import { refreshMarginMs } from '../../../main/dintero/token-cache';
import { redactText } from '../../../main/redact';
import { harness, rejection, type Harness } from './helpers';

let h: Harness | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

const tokenReqs = (x: Harness) => x.fake.requests.filter((r) => r.path.includes('/auth/token'));

describe('access token', () => {
  it('asks for a client-credentials token with HTTP Basic and the account audience', async () => {
    h = await harness();
    const tx = h.fake.addTransaction({});
    await h.client.getTransaction(tx.id);
    const [tok, call] = h.fake.requests;
    expect(tok!.method).toBe('POST');
    expect(tok!.path).toBe('/v1/accounts/T12345678/auth/token');
    expect(tok!.headers.authorization).toBe(
      `Basic ${Buffer.from('client-id-1:secret-1').toString('base64')}`,
    );
    expect(tok!.headers['content-type']).toMatch(/^application\/json/);
    expect(tok!.json).toEqual({
      grant_type: 'client_credentials',
      audience: 'https://api.dintero.com/v1/accounts/T12345678',
    });
    expect(call!.headers.authorization).toBe(`Bearer ${h.fake.issuedTokens[0]}`);
    expect(call!.headers['dintero-system-name']).toBe('paylink-desk');
    expect(call!.headers['dintero-system-version']).toBe('0.1.0');
  });

  it('reuses the token until shortly before expires_in (60 s margin on a 4 h token)', async () => {
    h = await harness();
    const tx = h.fake.addTransaction({});
    const t0 = h.clock.t;
    await h.client.getTransaction(tx.id);
    await h.client.getTransaction(tx.id);
    expect(h.fake.tokenRequests()).toBe(1);
    h.clock.t = t0 + 14_400_000 - 61_000;
    await h.client.getTransaction(tx.id);
    expect(h.fake.tokenRequests()).toBe(1);
    h.clock.t = t0 + 14_400_000 - 59_000;
    await h.client.getTransaction(tx.id);
    expect(h.fake.tokenRequests()).toBe(2);
  });

  it('uses a 10 % margin when that is smaller than 60 s', async () => {
    expect(refreshMarginMs(14_400)).toBe(60_000);
    expect(refreshMarginMs(100)).toBe(10_000);
    h = await harness();
    h.fake.tokenTtlSec = 100;
    const tx = h.fake.addTransaction({});
    const t0 = h.clock.t;
    await h.client.getTransaction(tx.id);
    h.clock.t = t0 + 89_000;
    await h.client.getTransaction(tx.id);
    expect(h.fake.tokenRequests()).toBe(1);
    h.clock.t = t0 + 91_000;
    await h.client.getTransaction(tx.id);
    expect(h.fake.tokenRequests()).toBe(2);
  });

  it('50 concurrent calls on an expired token cause exactly one token request', async () => {
    h = await harness();
    const tx = h.fake.addTransaction({});
    await h.client.getTransaction(tx.id);
    expect(h.fake.tokenRequests()).toBe(1);
    h.clock.t += 15_000_000;
    const results = await Promise.all(
      Array.from({ length: 50 }, () => h!.client.getTransaction(tx.id)),
    );
    expect(results).toHaveLength(50);
    expect(h.fake.tokenRequests()).toBe(2);
    const bearer = new Set(
      h.fake.requests.filter((r) => !r.path.includes('/auth/')).map((r) => r.headers.authorization),
    );
    expect(bearer).toEqual(
      new Set([`Bearer ${h.fake.issuedTokens[0]}`, `Bearer ${h.fake.issuedTokens[1]}`]),
    );
  });

  it('50 concurrent first calls also share one token request', async () => {
    h = await harness();
    const tx = h.fake.addTransaction({});
    await Promise.all(Array.from({ length: 50 }, () => h!.client.getTransaction(tx.id)));
    expect(h.fake.tokenRequests()).toBe(1);
  });

  it('gets a new token when the credentials change', async () => {
    h = await harness();
    const tx = h.fake.addTransaction({});
    await h.client.getTransaction(tx.id);
    h.fake.credentials.clientSecret = 'secret-2-rotated';
    await h.client.getTransaction(tx.id);
    const toks = tokenReqs(h);
    expect(toks).toHaveLength(2);
    expect(toks[1]!.headers.authorization).toBe(
      `Basic ${Buffer.from('client-id-1:secret-2-rotated').toString('base64')}`,
    );
  });

  it('a 401 on a call refreshes the token once and retries once', async () => {
    h = await harness();
    const tx = h.fake.addTransaction({});
    await h.client.getTransaction(tx.id);
    h.fake.revokeTokens();
    const got = await h.client.getTransaction(tx.id);
    expect(got.id).toBe(tx.id);
    expect(h.fake.tokenRequests()).toBe(2);
    const calls = h.fake.requests.filter((r) => r.path.startsWith('/v1/transactions'));
    expect(calls).toHaveLength(3);
  });

  it('a burst of 401s on the same stale token refreshes it once', async () => {
    h = await harness();
    const tx = h.fake.addTransaction({});
    await h.client.getTransaction(tx.id);
    h.fake.revokeTokens();
    await Promise.all(Array.from({ length: 50 }, () => h!.client.getTransaction(tx.id)));
    expect(h.fake.tokenRequests()).toBe(2);
  });

  it('a POST answered 401 is resent once with a fresh token (Dintero did not act)', async () => {
    h = await harness();
    const tx = h.fake.addTransaction({});
    await h.client.getTransaction(tx.id);
    h.fake.revokeTokens();
    const r = await h.client.capture(tx.id, { amount: 100, capture_reference: 'c1' });
    expect(r.status).toBe('done');
    expect(h.fake.requests.filter((x) => x.path.endsWith('/capture'))).toHaveLength(2);
  });

  it('a second 401 is an authentication error, with no third attempt', async () => {
    h = await harness();
    const tx = h.fake.addTransaction({});
    h.fake.intercept(
      'GET /v1/transactions/:id',
      { status: 401, json: { error: { message: 'Invalid JWT' } } },
      2,
    );
    const e = await rejection(h.client.getTransaction(tx.id));
    expect(e).toBeInstanceOf(DinteroError);
    expect((e as DinteroError).kind).toBe('authentication');
    expect(h.fake.requests.filter((r) => r.path.startsWith('/v1/transactions'))).toHaveLength(2);
    expect(h.fake.tokenRequests()).toBe(2);
    expect(h.sleeps).toEqual([]);
  });

  it.each([
    [401, { error: { message: 'Unauthorized' } }, 'authentication'],
    [400, { error: { code: 'invalid_client', message: 'Invalid client' } }, 'authentication'],
    [403, { error: { message: 'Forbidden' } }, 'permission'],
    [
      400,
      { error: { code: 'invalid_request', message: 'audience is not a grant' } },
      'invalid_request',
    ],
  ] as const)('token request answered %i %j -> %s', async (status, json, kind) => {
    h = await harness();
    h.fake.intercept((r) => r.path.includes('/auth/token'), { status, json });
    const e = await rejection(h.client.createSession({} as never));
    expect((e as DinteroError).kind).toBe(kind);
    expect((e as DinteroError).details.operation).toBe('POST /v1/accounts/{aid}/auth/token');
    expect(h.fake.requests.filter((r) => r.path === '/v1/sessions-profile')).toHaveLength(0);
  });

  it('wrong client secret on the token endpoint -> authentication', async () => {
    h = await harness({
      credentials: async () => ({
        accountId: 'T12345678',
        clientId: 'client-id-1',
        clientSecret: 'nope-wrong',
      }),
    });
    const e = (await rejection(h.client.getSession('T12345678.x'))) as DinteroError;
    expect(e.kind).toBe('authentication');
    expect(e.message).toMatch(/client id and secret/);
  });

  it('token 429 is rate_limited with Retry-After', async () => {
    h = await harness();
    h.fake.intercept((r) => r.path.includes('/auth/token'), {
      status: 429,
      json: { error: { message: 'Too many' } },
      headers: { 'retry-after': '7' },
    });
    const e = (await rejection(h.client.void('T12345678.abc'))) as DinteroError;
    expect(e.kind).toBe('rate_limited');
    expect(e.details.retryAfterMs).toBe(7000);
  });

  it('no credentials -> not_configured and nothing is sent', async () => {
    h = await harness({ credentials: async () => null });
    const e = (await rejection(h.client.getSession('T12345678.x'))) as DinteroError;
    expect(e.kind).toBe('not_configured');
    expect(e.nothingSent).toBe(true);
    expect(h.fake.requests).toHaveLength(0);
  });

  it('registers the client secret and every token for redaction', async () => {
    h = await harness();
    h.fake.credentials.clientSecret = 'registered-secret-abc123';
    const tx = h.fake.addTransaction({});
    await h.client.getTransaction(tx.id);
    expect(redactText(`x registered-secret-abc123 y`)).not.toContain('registered-secret-abc123');
    expect(redactText(`token=${h.fake.issuedTokens[0]}`)).not.toContain(h.fake.issuedTokens[0]);
  });
});
