import { afterEach, describe, expect, it } from 'vitest';
import { harness, sessionRequest, type Harness } from './helpers';

let h: Harness | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

const calls = (x: Harness) => x.fake.requests.filter((r) => !r.path.includes('/auth/token'));
const last = (x: Harness) => calls(x).at(-1)!;

describe('sessions', () => {
  it('createSession POSTs the request to /v1/sessions-profile and returns id, url, publish', async () => {
    h = await harness();
    const r = await h.client.createSession(sessionRequest);
    const req = last(h);
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/sessions-profile');
    expect(req.json).toEqual(sessionRequest);
    expect(r.id).toMatch(/^T12345678\./);
    expect(r.url).toContain(r.id);
    expect(r.publish?.[0]).toMatchObject({ type: 'checkout-link', channel: 'sms', status: 'sent' });
  });

  it('getSession GETs /v1/sessions/{id}, encoding the id', async () => {
    h = await harness();
    const s = h.fake.addSession({ id: 'T12345678.a/b?c' });
    const got = await h.client.getSession(s.id);
    expect(got.id).toBe(s.id);
    expect(last(h).method).toBe('GET');
    expect(last(h).path).toBe('/v1/sessions/T12345678.a%2Fb%3Fc');
  });

  it('listSessions sends repeatable id, search, created_at range, limit and starting_after', async () => {
    h = await harness();
    const a = h.fake.addSession({});
    const b = h.fake.addSession({});
    const list = await h.client.listSessions({
      ids: [a.id, b.id],
      search: 'POS1-0001',
      createdGte: '2026-01-01T00:00:00Z',
      createdLte: '2026-01-02T00:00:00Z',
      limit: 50,
      startingAfter: 'T12345678.cursor',
    });
    expect(Array.isArray(list)).toBe(true);
    const q = last(h).query;
    expect(last(h).path).toBe('/v1/sessions');
    expect(q.getAll('id')).toEqual([a.id, b.id]);
    expect(q.get('search')).toBe('POS1-0001');
    expect(q.get('created_at.gte')).toBe('2026-01-01T00:00:00Z');
    expect(q.get('created_at.lte')).toBe('2026-01-02T00:00:00Z');
    expect(q.get('limit')).toBe('50');
    expect(q.get('starting_after')).toBe('T12345678.cursor');
  });

  it('keeps limit within 1..100', async () => {
    h = await harness();
    await h.client.listSessions({ limit: 500 });
    expect(last(h).query.get('limit')).toBe('100');
    await h.client.listSessions({ limit: 0 });
    expect(last(h).query.get('limit')).toBe('1');
  });

  it('listAllSessions follows starting_after until a short page', async () => {
    h = await harness();
    const all = Array.from({ length: 250 }, () => h!.fake.addSession({}));
    const got = await h.client.listAllSessions({});
    expect(got.map((s) => s.id)).toEqual(all.map((s) => s.id));
    const pages = calls(h);
    expect(pages).toHaveLength(3);
    expect(pages[0]!.query.get('starting_after')).toBeNull();
    expect(pages[1]!.query.get('starting_after')).toBe(all[99]!.id);
    expect(pages[2]!.query.get('starting_after')).toBe(all[199]!.id);
    expect(pages.every((p) => p.query.get('limit') === '100')).toBe(true);
  });

  it('listAllSessions stops at maxItems', async () => {
    h = await harness();
    Array.from({ length: 250 }, () => h!.fake.addSession({}));
    const got = await h.client.listAllSessions({ limit: 50 }, 120);
    expect(got).toHaveLength(120);
    expect(calls(h)).toHaveLength(3);
  });

  it('listAllSessions on an exact multiple of the page size ends on the empty page', async () => {
    h = await harness();
    Array.from({ length: 200 }, () => h!.fake.addSession({}));
    expect(await h.client.listAllSessions({})).toHaveLength(200);
    expect(calls(h)).toHaveLength(3);
  });

  it('cancelSession POSTs /v1/sessions/{id}/cancel with no body', async () => {
    h = await harness();
    const s = h.fake.addSession({});
    const got = await h.client.cancelSession(s.id);
    expect(got.cancelled_at).toBeTruthy();
    expect(last(h)).toMatchObject({
      method: 'POST',
      path: `/v1/sessions/${s.id}/cancel`,
      body: '',
    });
  });

  it('sessionQr POSTs {format: png, size} and returns the data URL', async () => {
    h = await harness();
    const s = h.fake.addSession({});
    const qr = await h.client.sessionQr(s.id, { size: 300 });
    expect(qr).toMatch(/^data:image\/png;base64,/);
    expect(last(h)).toMatchObject({ method: 'POST', path: `/v1/sessions/${s.id}/qr` });
    expect(last(h).json).toEqual({ format: 'png', size: 300 });
    await h.client.sessionQr(s.id);
    expect(last(h).json).toEqual({ format: 'png' });
  });
});

describe('transactions', () => {
  it('getTransaction GETs /v1/transactions/{id}', async () => {
    h = await harness();
    const tx = h.fake.addTransaction({});
    expect((await h.client.getTransaction(tx.id)).status).toBe('AUTHORIZED');
    expect(last(h)).toMatchObject({ method: 'GET', path: `/v1/transactions/${tx.id}` });
  });

  it('listTransactions sends repeatable id and session_id, merchant_reference, limit, cursor', async () => {
    h = await harness();
    const t = h.fake.addTransaction({ session_id: 'T12345678.s1', merchant_reference: 'R1' });
    const got = await h.client.listTransactions({
      ids: [t.id, 'T12345678.other'],
      sessionIds: ['T12345678.s1', 'T12345678.s2'],
      merchantReference: 'R1',
      limit: 10,
      startingAfter: 'T12345678.before',
    });
    expect(got).toEqual([]); // the fake applies the cursor, which is not in its list
    const q = last(h).query;
    expect(last(h).path).toBe('/v1/transactions');
    expect(q.getAll('id')).toEqual([t.id, 'T12345678.other']);
    expect(q.getAll('session_id')).toEqual(['T12345678.s1', 'T12345678.s2']);
    expect(q.get('merchant_reference')).toBe('R1');
    expect(q.get('limit')).toBe('10');
    expect(q.get('starting_after')).toBe('T12345678.before');
  });

  it('listAllTransactions pages with the last id', async () => {
    h = await harness();
    const all = Array.from({ length: 30 }, () =>
      h!.fake.addTransaction({ merchant_reference: 'X' }),
    );
    const got = await h.client.listAllTransactions({ merchantReference: 'X', limit: 10 });
    expect(got.map((t) => t.id)).toEqual(all.map((t) => t.id));
    const pages = calls(h);
    expect(pages.map((p) => p.query.get('starting_after'))).toEqual([
      null,
      all[9]!.id,
      all[19]!.id,
      all[29]!.id,
    ]);
  });

  it('capture and refund POST their bodies; 200 is done', async () => {
    h = await harness();
    const tx = h.fake.addTransaction({});
    const cap = {
      amount: 5000,
      capture_reference: 'cap-1',
      items: [{ line_id: '1', amount: 5000, quantity: 1 }],
    };
    const c = await h.client.capture(tx.id, cap);
    expect(c).toMatchObject({ status: 'done', transaction: { id: tx.id, status: 'CAPTURED' } });
    expect(last(h)).toMatchObject({
      method: 'POST',
      path: `/v1/transactions/${tx.id}/capture`,
      json: cap,
    });
    const ref = { amount: 1000, reason: 'damaged', refund_reference: 'ref-1' };
    const r = await h.client.refund(tx.id, ref);
    expect(r.status).toBe('done');
    expect(last(h)).toMatchObject({
      method: 'POST',
      path: `/v1/transactions/${tx.id}/refund`,
      json: ref,
    });
  });

  it('void POSTs with no body', async () => {
    h = await harness();
    const tx = h.fake.addTransaction({});
    const v = await h.client.void(tx.id);
    expect(v).toMatchObject({ status: 'done', transaction: { status: 'AUTHORIZATION_VOIDED' } });
    expect(last(h)).toMatchObject({
      method: 'POST',
      path: `/v1/transactions/${tx.id}/void`,
      body: '',
    });
  });

  it.each(['capture', 'refund', 'void'] as const)(
    '%s answered 202 -> accepted with the event-request-id header',
    async (op) => {
      h = await harness();
      const tx = h.fake.addTransaction({});
      h.fake.intercept(`POST /v1/transactions/:id/${op}`, {
        status: 202,
        json: tx,
        headers: { 'event-request-id': 'evt-req-42' },
      });
      const r =
        op === 'void'
          ? await h.client.void(tx.id)
          : op === 'capture'
            ? await h.client.capture(tx.id, { amount: 1, capture_reference: 'c' })
            : await h.client.refund(tx.id, { amount: 1, refund_reference: 'r' });
      expect(r).toEqual({ status: 'accepted', transaction: tx, eventRequestId: 'evt-req-42' });
    },
  );
});

describe('testConnection', () => {
  it('works: gets a token and reads GET /v1/transactions?limit=1', async () => {
    h = await harness();
    expect(await h.client.testConnection()).toBe('works');
    expect(last(h)).toMatchObject({ method: 'GET', path: '/v1/transactions' });
    expect(last(h).query.get('limit')).toBe('1');
  });

  it('wrong_credentials on a token 401, and when nothing is configured', async () => {
    h = await harness({
      credentials: async () => ({
        accountId: 'T12345678',
        clientId: 'client-id-1',
        clientSecret: 'bad-secret',
      }),
    });
    expect(await h.client.testConnection()).toBe('wrong_credentials');
    await h.fake.close();
    h = await harness({ credentials: async () => null });
    expect(await h.client.testConnection()).toBe('wrong_credentials');
  });

  it('not_granted on 403 (token or list)', async () => {
    h = await harness();
    h.fake.intercept((r) => r.path.includes('/auth/token'), {
      status: 403,
      json: { error: { message: 'no grant' } },
    });
    expect(await h.client.testConnection()).toBe('not_granted');
    h.fake.intercept('GET /v1/transactions', {
      status: 403,
      json: { error: { message: 'scope' } },
    });
    expect(await h.client.testConnection()).toBe('not_granted');
  });

  it('unavailable on 5xx, without retrying', async () => {
    h = await harness();
    h.fake.intercept('GET /v1/transactions', { status: 503, json: { error: { message: 'down' } } });
    expect(await h.client.testConnection()).toBe('unavailable');
    expect(h.sleeps).toEqual([]);
  });

  it('no_network when Dintero cannot be reached', async () => {
    h = await harness();
    const url = h.fake.url;
    await h.fake.close();
    const { createDinteroClient } = await import('../../../main/dintero/client');
    const c = createDinteroClient({
      apiUrl: url,
      checkoutUrl: url,
      credentials: async () => ({
        accountId: 'T12345678',
        clientId: 'a',
        clientSecret: 'bbbbbbbb',
      }),
      sleep: async () => {},
    });
    expect(await c.testConnection()).toBe('no_network');
  });
});
