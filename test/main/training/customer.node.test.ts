import { afterEach, describe, expect, it } from 'vitest';
import { CustomerActionError } from '../../../main/training/simulator';
import { createSession, raw, startTestSim, type TestSim, type Json } from './sim-helpers';

let t: TestSim | undefined;
afterEach(async () => {
  await t?.sim.close();
  t = undefined;
});

const names = (events: Array<{ name: string }>) => events.map((e) => e.name);

describe('playing the customer', () => {
  it('open records VISITED; the panel shows visited', async () => {
    t = await startTestSim();
    const id = await createSession(t);
    expect(t.sim.sessions()[0]).toMatchObject({
      sessionId: id,
      state: 'open',
      amount: 29990,
      currency: 'NOK',
    });
    expect(names(t.sim.open(id).events!)).toEqual(['INITIATED', 'VISITED']);
    const got = await t.call('GET', `/v1/sessions/${id}`);
    expect(names(got.json.events)).toEqual(['INITIATED', 'VISITED']);
    expect(t.sim.sessions()[0]!.state).toBe('visited');
  });

  it('pay makes an AUTHORIZED transaction for the order amount, linked to the session', async () => {
    t = await startTestSim();
    const id = await createSession(t);
    const tx = t.sim.pay(id);
    expect(tx.id).toMatch(/^P00000000\.[1-9A-HJ-NP-Za-km-z]{22}$/);
    const session = (await t.call('GET', `/v1/sessions/${id}`)).json;
    expect(session.transaction_id).toBe(tx.id);
    expect(names(session.events)).toEqual(['INITIATED', 'VISITED', 'AUTHORIZED']);
    const got = (await t.call('GET', `/v1/transactions/${tx.id}`)).json;
    expect(got).toMatchObject({
      id: tx.id,
      session_id: id,
      status: 'AUTHORIZED',
      amount: 29990,
      currency: 'NOK',
      merchant_reference: 'POS1-000123',
      payment_product_type: 'vipps',
    });
    expect(got.events.map((e: Json) => [e.event, e.success, e.transaction_status])).toEqual([
      ['INITIALIZE', true, 'INITIATED'],
      ['AUTHORIZE', true, 'AUTHORIZED'],
    ]);
    expect(t.sim.sessions()[0]!.state).toBe('paid');
    expect(() => t!.sim.pay(id)).toThrow(CustomerActionError);
  });

  it('pays by card when asked', async () => {
    t = await startTestSim();
    const tx = t.sim.pay(await createSession(t), { method: 'card' });
    expect(tx).toMatchObject({
      payment_product: 'dintero_psp',
      payment_product_type: 'dintero_psp.creditcard',
    });
  });

  it('decline makes a DECLINED transaction and event; the link stays payable', async () => {
    t = await startTestSim();
    const id = await createSession(t);
    const tx = t.sim.decline(id);
    expect(tx.status).toBe('DECLINED');
    const session = (await t.call('GET', `/v1/sessions/${id}`)).json;
    expect(names(session.events)).toContain('DECLINED');
    expect(session.transaction_id).toBe(tx.id);
    expect(t.sim.sessions()[0]!.state).toBe('declined');
    expect(t.sim.pay(id).status).toBe('AUTHORIZED');
    expect(t.sim.sessions()[0]!.state).toBe('paid');
  });

  it('expire moves expires_at to now; pay and open are refused afterwards', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    t = await startTestSim({ now: () => now });
    const id = await createSession(t);
    now += 5_000;
    const s = t.sim.expire(id);
    expect(s.expires_at).toBe('2026-03-01T10:00:05.000Z');
    expect((await t.call('GET', `/v1/sessions/${id}`)).json.expires_at).toBe(
      '2026-03-01T10:00:05.000Z',
    );
    expect(t.sim.sessions()[0]!.state).toBe('expired');
    expect(() => t!.sim.pay(id)).toThrow(/expired/);
    expect(() => t!.sim.open(id)).toThrow(/expired/);
  });

  it('a session expires by the clock too, and a cancelled one cannot be paid', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    t = await startTestSim({ now: () => now });
    const a = await createSession(t, { expires_at: '2026-03-01T11:00:00Z' });
    now = Date.parse('2026-03-01T11:00:00Z');
    expect(() => t!.sim.pay(a)).toThrow(/expired/);
    const b = await createSession(t);
    await t.call('POST', `/v1/sessions/${b}/cancel`);
    expect(() => t!.sim.pay(b)).toThrow(/cancelled/);
    expect(() => t!.sim.pay('P00000000.nope')).toThrow(/not_found/);
  });

  it('serves a checkout page at the link that records a visit and pays through a form post', async () => {
    t = await startTestSim({ storeName: 'Sykkelbua' });
    const id = await createSession(t);
    const page = await fetch(`${t.sim.url}/v1/view/${id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Sykkelbua');
    expect(html).toContain('NOK 299.90');
    expect(html).toContain(`/__sim/customer/${id}/pay`);
    expect(names(t.sim.getSession(id)!.events)).toEqual(['INITIATED', 'VISITED']);
    const paid = await fetch(`${t.sim.url}/__sim/customer/${id}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'method=card',
    });
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain('Payment approved');
    expect(t.sim.transactions()[0]).toMatchObject({
      status: 'AUTHORIZED',
      payment_product: 'dintero_psp',
    });
    const after = await (await fetch(`${t.sim.url}/v1/view/${id}`)).text();
    expect(after).toContain('no longer available');
    expect((await fetch(`${t.sim.url}/v1/view/P00000000.nope`)).status).toBe(404);
  });

  it('offers the customer actions over the control API', async () => {
    t = await startTestSim();
    const a = await createSession(t);
    const b = await createSession(t);
    const post = (path: string, body?: unknown) => raw(`${t!.sim.url}${path}`, 'POST', body);
    expect((await post(`/__sim/customer/${a}/open`)).json.events).toHaveLength(2);
    const pay = await post(`/__sim/customer/${a}/pay`, { method: 'vipps' });
    expect(pay.status).toBe(200);
    expect(pay.json.status).toBe('AUTHORIZED');
    expect((await post(`/__sim/customer/${a}/pay`)).status).toBe(409);
    expect((await post(`/__sim/customer/${b}/decline`)).json.status).toBe('DECLINED');
    expect((await post(`/__sim/customer/P00000000.nope/expire`)).status).toBe(404);
    expect((await post(`/__sim/customer/${a}/dance`)).status).toBe(404);
    expect((await post(`/__sim/customer/${b}/pay`, { method: 'cash' })).status).toBe(400);
    const state = (await raw(`${t.sim.url}/__sim/state`, 'GET')).json;
    expect(state.sessions).toHaveLength(2);
    expect(state.transactions).toHaveLength(2);
    expect(state.sms).toHaveLength(2);
    expect(state.training.map((s: Json) => s.state)).toEqual(['declined', 'paid']);
    expect(state.stats.sessionsCreated).toEqual({ 'POS1-000123': 2 });
    expect(JSON.stringify(state)).not.toContain(t.sim.credentials.clientSecret);
  });

  it('emits change events for the training panel', async () => {
    t = await startTestSim();
    let changes = 0;
    const off = t.sim.on('change', () => changes++);
    const id = await createSession(t);
    t.sim.open(id);
    off();
    t.sim.pay(id);
    expect(changes).toBe(2);
  });
});
