import { afterEach, describe, expect, it } from 'vitest';
import type { TrainingSms } from '../../../common/domain';
import { createSession, sessionBody, startTestSim, type TestSim, type Json } from './sim-helpers';

let t: TestSim | undefined;
afterEach(async () => {
  await t?.sim.close();
  t = undefined;
});

describe('POST /v1/sessions-profile', () => {
  it('creates a session, texts the link once and answers id, url and publish status', async () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    t = await startTestSim({ now: () => now, storeName: 'Kaffebrenneriet' });
    const heard: TrainingSms[] = [];
    const off = t.sim.on('sms', (m) => heard.push(m));
    const res = await t.call('POST', '/v1/sessions-profile', sessionBody());
    off();
    expect(res.status).toBe(200);
    const { id, url, publish } = res.json;
    expect(id).toMatch(/^P00000000\.[1-9A-HJ-NP-Za-km-z]{22}$/);
    expect(url).toBe(`${t.sim.url}/v1/view/${id}`);
    expect(publish).toEqual([
      { id: expect.any(String), type: 'checkout-link', channel: 'sms', status: 'sent' },
    ]);
    expect(res.json.session).toBeUndefined();

    const sms = t.sim.sms();
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ to: '+4791234567', url, sessionId: id });
    expect(sms[0]!.text).toContain('299.90');
    expect(sms[0]!.text).toContain(url);
    expect(sms[0]!.text).toContain('Kaffebrenneriet');
    expect(heard).toEqual(sms);
    expect(t.sim.stats().smsSent).toEqual({ '+4791234567': 1 });
    expect(t.sim.stats().sessionsCreated).toEqual({ 'POS1-000123': 1 });

    const got = await t.call('GET', `/v1/sessions/${id}`);
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({
      id,
      created_at: '2026-03-01T10:00:00.000Z',
      expires_at: '2026-03-02T10:00:00.000Z', // 24 h default
      order: { amount: 29990, currency: 'NOK', merchant_reference: 'POS1-000123' },
      customer: { phone_number: '+4791234567' },
      url: { return_url: 'https://shop.example/paid' },
      configuration: { publish: [{ status: 'sent' }] },
      metadata: { 'session:profile_id': 'default' },
    });
    expect(got.json.events.map((e: Json) => e.name)).toEqual(['INITIATED']);
    expect(got.json.transaction_id).toBeUndefined();
  });

  it('keeps the given expires_at and returns the session with include_session=true', async () => {
    t = await startTestSim();
    const res = await t.call(
      'POST',
      '/v1/sessions-profile?include_session=true',
      sessionBody({ expires_at: '2030-01-01T12:00:00+01:00' }),
    );
    expect(res.status).toBe(200);
    expect(res.json.session).toMatchObject({
      id: res.json.id,
      expires_at: '2030-01-01T11:00:00.000Z',
    });
  });

  it('skips the SMS without a phone number and for T (test) accounts', async () => {
    t = await startTestSim();
    const noPhone = await t.call(
      'POST',
      '/v1/sessions-profile',
      sessionBody({ customer: undefined }),
    );
    expect(noPhone.json.publish[0].status).toBe('skipped');
    const noPublish = await t.call(
      'POST',
      '/v1/sessions-profile',
      sessionBody({ configuration: undefined }),
    );
    expect(noPublish.json.publish).toBeUndefined();
    expect(t.sim.sms()).toEqual([]);
    await t.sim.close();

    t = await startTestSim({ credentials: { accountId: 'T00000001' } });
    const test = await t.call('POST', '/v1/sessions-profile', sessionBody());
    expect(test.status).toBe(200);
    expect(test.json.id).toMatch(/^T00000001\./);
    expect(test.json.publish[0].status).toBe('skipped');
    expect(t.sim.sms()).toEqual([]);
  });

  it.each([
    ['missing return_url', { url: {} }, 'url.return_url'],
    [
      'non-integer amount',
      { order: { amount: 299.9, currency: 'NOK', merchant_reference: 'x' } },
      'order.amount',
    ],
    [
      'negative amount',
      { order: { amount: -1, currency: 'NOK', merchant_reference: 'x' } },
      'order.amount',
    ],
    [
      'missing merchant_reference',
      { order: { amount: 1, currency: 'NOK' } },
      'order.merchant_reference',
    ],
    [
      'bad publish channel',
      { configuration: { publish: [{ type: 'checkout-link', channel: 'email' }] } },
      'configuration.publish.0.channel',
    ],
    [
      'publish without type',
      { configuration: { publish: [{ channel: 'sms' }] } },
      'configuration.publish.0.type',
    ],
    ['phone without prefix', { customer: { phone_number: '91234567' } }, 'customer.phone_number'],
    ['missing profile_id', { profile_id: undefined }, 'profile_id'],
    ['bad expires_at', { expires_at: 'tomorrow' }, 'expires_at'],
    [
      'item without line_id',
      {
        order: { amount: 100, currency: 'NOK', merchant_reference: 'x', items: [{ amount: 100 }] },
      },
      'order.items.0.line_id',
    ],
    [
      'too much metadata',
      { metadata: Object.fromEntries([...Array(11).keys()].map((i) => [`k${i}`, 'v'])) },
      'metadata',
    ],
    ['non-string metadata', { metadata: { a: 1 } }, 'metadata.a'],
  ])('refuses %s with 400 and a nested error naming the field', async (_name, patch, field) => {
    t ??= await startTestSim();
    const res = await t.call('POST', '/v1/sessions-profile', sessionBody(patch));
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(res.json.error.errors.map((e: Json) => e.field)).toContain(field);
    expect(t.sim.sessions()).toEqual([]);
    expect(t.sim.sms()).toEqual([]);
  });

  it('tolerates unknown top-level keys, refuses broken JSON and duplicate line ids', async () => {
    t = await startTestSim();
    expect(
      (await t.call('POST', '/v1/sessions-profile', sessionBody({ something_new: { a: 1 } })))
        .status,
    ).toBe(200);
    const broken = await t.call('POST', '/v1/sessions-profile', '{"profile_id":');
    expect(broken.status).toBe(400);
    const dup = await t.call(
      'POST',
      '/v1/sessions-profile',
      sessionBody({
        order: {
          amount: 200,
          currency: 'NOK',
          merchant_reference: 'd',
          items: [
            { line_id: '1', amount: 100 },
            { line_id: '1', amount: 100 },
          ],
        },
      }),
    );
    expect(dup.status).toBe(400);
  });

  it('checks item sums only with the strict-session-amounts feature toggle', async () => {
    t = await startTestSim();
    const order = {
      amount: 500,
      currency: 'NOK',
      merchant_reference: 's',
      items: [{ line_id: '1', amount: 400 }],
    };
    expect((await t.call('POST', '/v1/sessions-profile', sessionBody({ order }))).status).toBe(200);
    const strict = await t.call('POST', '/v1/sessions-profile', sessionBody({ order }), {
      'dintero-feature-toggles': 'strict-session-amounts',
    });
    expect(strict.status).toBe(400);
  });
});

describe('reading and listing sessions', () => {
  it('answers 404 for an unknown session', async () => {
    t = await startTestSim();
    const res = await t.call('GET', '/v1/sessions/P00000000.nope');
    expect(res.status).toBe(404);
    expect(res.json.error.message).toEqual(expect.any(String));
  });

  it('lists newest first, by repeated id, by search and by created_at, with paging', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    t = await startTestSim({ now: () => now });
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      ids.push(
        await createSession(t, {
          order: { amount: 100 * i, currency: 'NOK', merchant_reference: `POS1-00000${i}` },
        }),
      );
      now += 60_000;
    }
    const all = await t.call('GET', '/v1/sessions');
    expect(all.json.map((s: Json) => s.id)).toEqual([...ids].reverse());

    const byId = await t.call('GET', `/v1/sessions?id=${ids[0]}&id=${ids[3]}`);
    expect(byId.json.map((s: Json) => s.id)).toEqual([ids[3], ids[0]]);

    const search = await t.call('GET', '/v1/sessions?search=pos1-000003');
    expect(search.json.map((s: Json) => s.id)).toEqual([ids[2]]);
    const fuzzy = await t.call('GET', '/v1/sessions?search=POS1-0000');
    expect(fuzzy.json).toHaveLength(5);

    const range = await t.call(
      'GET',
      '/v1/sessions?created_at.gte=2026-03-01T10:01:00Z&created_at.lte=2026-03-01T10:03:00',
    );
    expect(range.json.map((s: Json) => s.id)).toEqual([ids[3], ids[2], ids[1]]);

    const p1 = await t.call('GET', '/v1/sessions?limit=2');
    const p2 = await t.call('GET', `/v1/sessions?limit=2&starting_after=${p1.json[1].id}`);
    const p3 = await t.call('GET', `/v1/sessions?limit=2&starting_after=${p2.json[1].id}`);
    expect([...p1.json, ...p2.json, ...p3.json].map((s: Json) => s.id)).toEqual([...ids].reverse());
    expect(p3.json).toHaveLength(1);

    for (const bad of [
      'limit=0',
      'limit=101',
      'limit=x',
      'starting_after=P00000000.unknown',
      'created_at.gte=yesterday',
    ]) {
      expect((await t.call('GET', `/v1/sessions?${bad}`)).status).toBe(400);
    }
  });

  it('returns 10 by default', async () => {
    t = await startTestSim();
    for (let i = 0; i < 12; i++)
      await createSession(t, { customer: undefined, configuration: undefined });
    expect((await t.call('GET', '/v1/sessions')).json).toHaveLength(10);
    expect((await t.call('GET', '/v1/sessions?limit=100')).json).toHaveLength(12);
  });
});

describe('cancel and QR', () => {
  it('cancels a session (cancelled_at, CANCELLED event); again is harmless; unknown is 404', async () => {
    t = await startTestSim();
    const id = await createSession(t);
    const res = await t.call('POST', `/v1/sessions/${id}/cancel`);
    expect(res.status).toBe(200);
    expect(res.json.cancelled_at).toEqual(expect.any(String));
    expect(res.json.events.map((e: Json) => e.name)).toEqual(['INITIATED', 'CANCELLED']);
    const again = await t.call('POST', `/v1/sessions/${id}/cancel`);
    expect(again.status).toBe(200);
    expect(again.json.events).toHaveLength(2);
    expect((await t.call('POST', '/v1/sessions/P00000000.nope/cancel')).status).toBe(404);
    expect(t.sim.sessions()[0]!.state).toBe('cancelled');
  });

  it('makes a PNG data URL QR code of the link', async () => {
    t = await startTestSim();
    const id = await createSession(t);
    const res = await t.call('POST', `/v1/sessions/${id}/qr`, { format: 'png', size: 200 });
    expect(res.status).toBe(200);
    expect(res.json.qr).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/);
    const png = Buffer.from(res.json.qr.split(',')[1], 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect((await t.call('POST', `/v1/sessions/${id}/qr`)).status).toBe(200);
    expect((await t.call('POST', `/v1/sessions/${id}/qr`, { format: 'gif' })).status).toBe(400);
    expect((await t.call('POST', '/v1/sessions/P00000000.nope/qr', {})).status).toBe(404);
  });
});
