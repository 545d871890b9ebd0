import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../main/training/simulator';
import { basic, getToken, raw } from './sim-helpers';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const tokenUrl = (s: Simulator, aid = s.credentials.accountId): string =>
  `${s.url}/v1/accounts/${aid}/auth/token`;
const body = (aid = 'P00000000') => ({
  grant_type: 'client_credentials',
  audience: `https://api.dintero.com/v1/accounts/${aid}`,
});

describe('token endpoint', () => {
  it('issues a Bearer token with the configured lifetime for the right client', async () => {
    sim = await startSimulator({ tokenLifetimeSeconds: 600 });
    expect(sim.credentials).toMatchObject({ accountId: 'P00000000', clientId: 'training' });
    expect(sim.credentials.clientSecret.length).toBeGreaterThanOrEqual(20);
    const res = await getToken(sim);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    expect(res.json.access_token).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    const sessions = await raw(`${sim.url}/v1/sessions`, 'GET', undefined, {
      authorization: `Bearer ${res.json.access_token}`,
    });
    expect(sessions.status).toBe(200);
    expect(sim.stats()).toMatchObject({ tokenRequests: 1, tokensIssued: 1 });
  });

  it('gives each run its own secret and accepts given credentials', async () => {
    const a = await startSimulator();
    const b = await startSimulator({
      credentials: { accountId: 'T12345678', clientSecret: 'given-secret' },
    });
    try {
      expect(a.credentials.clientSecret).not.toBe(b.credentials.clientSecret);
      expect(b.credentials).toEqual({
        accountId: 'T12345678',
        clientId: 'training',
        clientSecret: 'given-secret',
      });
      expect((await getToken(b)).status).toBe(200);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses a wrong secret, a wrong client id and a missing Basic header with 401 and an error body', async () => {
    sim = await startSimulator();
    const s = sim;
    for (const auth of [
      basic('training', 'wrong'),
      basic('other', s.credentials.clientSecret),
      undefined,
    ]) {
      const res = await raw(tokenUrl(s), 'POST', body(), auth ? { authorization: auth } : {});
      expect(res.status).toBe(401);
      expect(res.json.error.message).toEqual(expect.any(String));
      expect(res.text).not.toContain(s.credentials.clientSecret);
    }
    expect(sim.stats()).toMatchObject({ tokenRequests: 3, tokensIssued: 0 });
  });

  it('answers 403 for another account or a mismatching audience, 400 for another grant type', async () => {
    sim = await startSimulator();
    const auth = { authorization: basic('training', sim.credentials.clientSecret) };
    const otherAccount = await raw(tokenUrl(sim, 'P11111111'), 'POST', body('P11111111'), auth);
    expect(otherAccount.status).toBe(403);
    const otherAudience = await raw(tokenUrl(sim), 'POST', body('P11111111'), auth);
    expect(otherAudience.status).toBe(403);
    const grant = await raw(tokenUrl(sim), 'POST', { ...body(), grant_type: 'password' }, auth);
    expect(grant.status).toBe(400);
    expect(grant.json.error.code).toBeDefined();
  });

  it('expires tokens by the injected clock; expired and unknown tokens get 401 on every route', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    sim = await startSimulator({ now: () => now, tokenLifetimeSeconds: 100 });
    const token = (await getToken(sim)).json.access_token as string;
    const get = (t: string) =>
      raw(`${sim!.url}/v1/transactions`, 'GET', undefined, { authorization: `Bearer ${t}` });
    now += 99_000;
    expect((await get(token)).status).toBe(200);
    now += 1_000;
    const expired = await get(token);
    expect(expired.status).toBe(401);
    expect(expired.json.error.message).toMatch(/expired/i);
    expect((await get('eyJnot.a.token')).status).toBe(401);
    const noAuth = await raw(`${sim.url}/v1/sessions-profile`, 'POST', {});
    expect(noAuth.status).toBe(401);
    for (const path of ['/v1/sessions/x', '/v1/transactions/x', '/v1/sessions']) {
      expect((await raw(`${sim.url}${path}`, 'GET')).status).toBe(401);
    }
    // A fresh token works again.
    expect((await get((await getToken(sim)).json.access_token)).status).toBe(200);
  });
});
