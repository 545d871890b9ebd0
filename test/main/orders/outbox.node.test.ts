import { english } from '../../../common/i18n';
import { describe, expect, it, vi } from 'vitest';
import { dayStamp } from '../../../main/orders/merchant-reference';
import { MemoryDintero } from '../../support/memory-dintero';
import { clock, engine, input, phone, tempDir } from './helpers';

async function queue(e: ReturnType<typeof engine>, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await e.createOrder(input({ phone: phone(i) }), 'Desk 2');
    if (!r.created) throw new Error('duplicate');
    ids.push(r.order.id);
  }
  return ids;
}

/** Every order has exactly one session at the fake, and the journal points at it. */
function expectExactlyOnce(e: ReturnType<typeof engine>, fake: MemoryDintero): void {
  const { orders } = e.listOrders({ limit: 100_000 });
  for (const o of orders) {
    const sessions = fake.sessionsFor(o.merchantReference);
    expect(sessions, o.merchantReference).toHaveLength(1);
    expect(o.state).toBe('link_sent');
    expect(o.sessionId).toBe(sessions[0]!.id);
  }
  expect(fake.sessions.size).toBe(orders.length);
}

describe('outbox: sending', () => {
  it('sends a queued order: sending is journaled before the POST, link and SMS status after', async () => {
    const c = clock();
    const fake = new MemoryDintero(c.now);
    const e = engine(tempDir(), fake, { now: c.now });
    const [id] = await queue(e, 1);
    let stateAtPost: string | undefined;
    fake.createGate = () => {
      stateAtPost = e.getOrder(id!).order.state;
      return Promise.resolve();
    };
    await e.sendNow();
    expect(stateAtPost).toBe('sending');
    const { order, events } = e.getOrder(id!);
    expect(order).toMatchObject({
      state: 'link_sent',
      statusWord: 'Link sent',
      smsStatus: 'sent',
      linkUrl: expect.stringContaining('/view/'),
      expiresAt: new Date(c.now() + 24 * 3600_000).toISOString(),
    });
    expect(events.map((x) => x.kind)).toEqual(['created', 'sending', 'link_sent']);
    expect(english(events.at(-1)!.message!)).toContain('texted to +47 ••• ••• 00');
    expect(JSON.stringify(events)).not.toContain('41000000');
    const req = fake.createRequests[0]!;
    expect(req).toMatchObject({
      profile_id: 'P00000000.default',
      url: { return_url: 'https://shop.example/thanks' },
      customer: { phone_number: '+4741000000' },
      order: {
        amount: 25_000,
        currency: 'NOK',
        merchant_reference: `DESK2-TEST02-${dayStamp(c.now())}-1`,
        store: { id: 'oslo-1' },
      },
      configuration: { publish: [{ type: 'checkout-link', channel: 'sms' }] },
      metadata: { ext_terminal: 'Desk 2', ext_order_id: id },
    });
    expect(e.status()).toEqual({ online: true, queueLength: 0 });
  });

  it('sends items with line ids and VAT, and no SMS publish for link-only orders', async () => {
    const fake = new MemoryDintero();
    const e = engine(tempDir(), fake);
    await e.createOrder(
      input({
        amount: 25_000,
        delivery: 'link_only',
        items: [
          { description: 'Shoes', quantity: 1, unitPrice: 20_000, vatPercent: 25 },
          { description: 'Socks', quantity: 2, unitPrice: 2_500, vatPercent: 25 },
        ],
      }),
      'Desk 2',
    );
    await e.sendNow();
    const req = fake.createRequests[0]!;
    expect(req.configuration).toBeUndefined();
    expect(req.order.vat_amount).toBe(5_000);
    expect(req.order.items).toEqual([
      expect.objectContaining({ line_id: '1', amount: 20_000, vat_amount: 4_000, quantity: 1 }),
      expect.objectContaining({ line_id: '2', amount: 5_000, vat_amount: 1_000, quantity: 2 }),
    ]);
    expect(e.listOrders().orders[0]).toMatchObject({ state: 'link_sent' });
    expect(e.listOrders().orders[0]!.smsStatus).toBeUndefined();
  });

  it('keeps at most `concurrency` creates in flight', async () => {
    const fake = new MemoryDintero();
    const e = engine(tempDir(), fake, { concurrency: 3 });
    await queue(e, 12);
    fake.createGate = () => new Promise((r) => setTimeout(r, 2));
    await e.sendNow();
    expect(fake.peakCreates).toBe(3);
    expectExactlyOnce(e, fake);
  });

  it('network down: orders stay queued, the desk goes offline, the probe brings it back, each is sent once', async () => {
    const fake = new MemoryDintero();
    const e = engine(tempDir(), fake);
    const statuses: Array<{ online: boolean; queueLength: number }> = [];
    e.on('statusChanged', (s) => statuses.push(s));
    fake.offline = true;
    await queue(e, 3);
    await e.sendNow();
    expect(e.status()).toEqual({ online: false, queueLength: 3 });
    expect(statuses).toContainEqual({ online: false, queueLength: 3 });
    expect(e.listOrders().orders.every((o) => o.state === 'queued')).toBe(true);
    expect(english(e.listOrders().orders[0]!.lastError!)).toContain('No connection');
    // While offline nothing is attempted at all.
    const creates = fake.count('create');
    await e.sendNow();
    expect(fake.count('create')).toBe(creates);
    expect(await e.probeNow()).toBe(false);
    fake.offline = false;
    expect(await e.probeNow()).toBe(true);
    expect(e.status().online).toBe(true);
    await e.sendNow();
    expectExactlyOnce(e, fake);
    expect(statuses.at(-1)).toEqual({ online: true, queueLength: 0 });
  });

  it('offline with a queue of 300, then online: every order sent exactly once (timers running)', async () => {
    const fake = new MemoryDintero();
    const e = engine(tempDir(), fake, { concurrency: 8 });
    fake.offline = true;
    e.start();
    await queue(e, 300);
    await vi.waitFor(() => expect(e.status().online).toBe(false));
    fake.offline = false;
    await vi.waitFor(() => expect(e.status()).toEqual({ online: true, queueLength: 0 }), {
      timeout: 15_000,
      interval: 20,
    });
    expectExactlyOnce(e, fake);
    expect(fake.count('create')).toBeLessThanOrEqual(300 + 8);
    await e.stop();
  });

  it('429: waits at least Retry-After, then sends', async () => {
    const c = clock();
    const fake = new MemoryDintero(c.now);
    const e = engine(tempDir(), fake, { now: c.now });
    const [id] = await queue(e, 1);
    fake.fail('create', 'rate_limited', { retryAfterMs: 30_000 });
    await e.sendNow();
    const row = e.journal!.get(id!)!;
    expect(row.state).toBe('queued');
    expect(row.nextAttemptAt).toBeGreaterThanOrEqual(c.now() + 30_000);
    await e.sendNow();
    expect(fake.count('create')).toBe(1);
    c.advance(30_000);
    await e.sendNow();
    expectExactlyOnce(e, fake);
  });

  it('backoff grows with full jitter between attempts on 5xx', async () => {
    const c = clock();
    const fake = new MemoryDintero(c.now);
    const e = engine(tempDir(), fake, {
      now: c.now,
      random: () => 0.999,
      timing: { backoffBaseMs: 1000, backoffMaxMs: 8000, reconcileDelayMs: 0 },
    });
    const [id] = await queue(e, 1);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      fake.fail('create', 'unavailable');
      await e.sendNow();
      const row = e.journal!.get(id!)!;
      waits.push(row.nextAttemptAt - c.now());
      c.set(row.nextAttemptAt);
    }
    expect(waits).toEqual([999, 1998, 3996, 7992, 7992]);
    await e.sendNow();
    expectExactlyOnce(e, fake);
  });

  it('a 5xx on create that was carried out anyway is found before a second create', async () => {
    const fake = new MemoryDintero();
    const e = engine(tempDir(), fake);
    const [id] = await queue(e, 1);
    fake.fail('create', 'unavailable_after_commit');
    await e.pass();
    // A 5xx to a POST may have been carried out: the outcome is unknown, not "try again".
    expect(e.journal!.get(id!)!).toMatchObject({ state: 'unknown', checkBeforeSend: true });
    await e.sendNow();
    expect(fake.count('create')).toBe(1);
    expectExactlyOnce(e, fake);
    expect(e.getOrder(id!).events.map((x) => x.kind)).toContain('reconciled');
  });

  it('answer lost after Dintero committed: unknown, then reconciled into the existing session', async () => {
    const fake = new MemoryDintero();
    const e = engine(tempDir(), fake);
    const [id] = await queue(e, 1);
    fake.fail('create', 'drop_after_commit');
    await e.pass();
    const unknown = e.getOrder(id!).order;
    expect(unknown.state).toBe('unknown');
    await e.sendNow();
    expect(fake.count('create')).toBe(1);
    expectExactlyOnce(e, fake);
    const kinds = e.getOrder(id!).events.map((x) => x.kind);
    expect(kinds).toEqual(['created', 'sending', 'unknown', 'reconciled', 'link_sent']);
  });

  it('answer lost before Dintero committed: proven absent, queued again, sent once', async () => {
    const fake = new MemoryDintero();
    const e = engine(tempDir(), fake);
    const [id] = await queue(e, 1);
    fake.fail('create', 'drop_before_commit');
    await e.sendNow();
    expect(fake.count('create')).toBe(2);
    expectExactlyOnce(e, fake);
    expect(e.getOrder(id!).events.map((x) => x.kind)).toEqual([
      'created',
      'sending',
      'unknown',
      'reconciled',
      'sending',
      'link_sent',
    ]);
  });

  it('never creates while unknown: a failed search leaves the order unknown', async () => {
    const c = clock();
    const fake = new MemoryDintero(c.now);
    const e = engine(tempDir(), fake, { now: c.now, random: () => 0.5 });
    const [id] = await queue(e, 1);
    fake.fail('create', 'drop_before_commit');
    fake.fail('listSessions', 'unavailable', { times: 1000 });
    for (let i = 0; i < 4; i++) {
      await e.sendNow();
      c.advance(60_000);
    }
    expect(fake.count('create')).toBe(1);
    expect(fake.count('listSessions')).toBe(4);
    expect(e.getOrder(id!).order.state).toBe('unknown');
    fake.clearFaults();
    c.advance(60_000);
    await e.sendNow();
    // Proven absent: sent again after the usual backoff.
    expect(e.getOrder(id!).order.state).toBe('queued');
    c.advance(1_000);
    await e.sendNow();
    expectExactlyOnce(e, fake);
  });

  it('believes "no session" only after repeated searches spread over the window', async () => {
    const c = clock();
    const fake = new MemoryDintero(c.now);
    const e = engine(tempDir(), fake, {
      now: c.now,
      timing: { reconcileDelayMs: 10_000, absenceWindowMs: 60_000, absenceReads: 3 },
    });
    const [id] = await queue(e, 1);
    fake.fail('create', 'drop_before_commit');
    await e.sendNow();
    expect(fake.count('listSessions')).toBe(0);
    c.advance(10_000);
    await e.sendNow();
    expect(fake.count('listSessions')).toBe(1);
    expect(e.getOrder(id!).order).toMatchObject({ state: 'unknown', statusWord: 'Unknown' });
    c.advance(29_999);
    await e.sendNow();
    expect(fake.count('listSessions')).toBe(1);
    c.advance(1);
    await e.sendNow();
    expect(fake.count('listSessions')).toBe(2);
    expect(fake.count('create')).toBe(1);
    c.advance(29_999);
    await e.sendNow();
    expect(e.getOrder(id!).order.state).toBe('unknown');
    c.advance(1);
    await e.sendNow();
    expect(fake.count('listSessions')).toBe(3);
    expectExactlyOnce(e, fake);
    expect(fake.count('create')).toBe(2);
  });

  it("does not take another terminal's session that happens to carry the same reference", async () => {
    const fake = new MemoryDintero();
    const e = engine(tempDir(), fake);
    const [id] = await queue(e, 1);
    const ref = e.getOrder(id!).order.merchantReference;
    // A session with our reference but another order id (a reinstalled terminal, say).
    const other = await fake.createSession({
      profile_id: 'default',
      url: { return_url: 'https://shop.example/paid' },
      order: { amount: 25_000, currency: 'NOK', merchant_reference: ref },
      metadata: { ext_order_id: 'someone-else' },
    });
    fake.fail('create', 'drop_before_commit');
    await e.sendNow();
    const o = e.getOrder(id!).order;
    expect(o.state).toBe('link_sent');
    expect(o.sessionId).not.toBe(other.id);
  });

  it('Dintero refuses (400): failed with its message; Retry queues it again', async () => {
    const fake = new MemoryDintero();
    const e = engine(tempDir(), fake);
    const [id] = await queue(e, 1);
    fake.fail('create', 'invalid_request', { message: 'profile_id not found' });
    await e.sendNow();
    const failed = e.getOrder(id!).order;
    expect(failed).toMatchObject({ state: 'failed', statusWord: 'Failed' });
    expect(english(failed.lastError!)).toBe('Dintero refused the order: profile_id not found');
    expect(() => e.retry(id!, 'Desk 2')).not.toThrow();
    await e.sendNow();
    expectExactlyOnce(e, fake);
    expect(e.getOrder(id!).order.lastError).toBeUndefined();
  });

  it('refused credentials pause sending but keep the orders queued; a passing probe resumes', async () => {
    const fake = new MemoryDintero();
    const e = engine(tempDir(), fake, { concurrency: 1 });
    await queue(e, 3);
    fake.fail('create', 'authentication');
    await e.sendNow();
    expect(fake.count('create')).toBe(1);
    expect(e.status()).toMatchObject({
      queueLength: 3,
      sendingPaused: { key: 'line.pausedAuthentication' },
    });
    expect(e.listOrders().orders.every((o) => o.state === 'queued')).toBe(true);
    fake.fail('listSessions', 'authentication');
    expect(await e.probeNow()).toBe(false);
    expect(await e.probeNow()).toBe(true);
    await e.sendNow();
    expectExactlyOnce(e, fake);
    expect(e.status().sendingPaused).toBeUndefined();
  });
});
