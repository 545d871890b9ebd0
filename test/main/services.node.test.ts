/**
 * The whole main side as the Electron shell and the browser preview build it: training mode
 * with no credentials (the real client against the simulator), then live mode once staff
 * enter credentials (here: a second simulator standing in for Dintero via the URL overrides),
 * and the client secret never leaving main.
 */
import { english, type Message } from '../../common/i18n';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OrderSummary } from '../../common/domain';
import { MemorySecretStore } from '../../main/credentials/memory-secret-store';
import { dispatch } from '../../main/ipc/dispatch';
import { createHandlerTable } from '../../main/ipc/handlers';
import { createLogger } from '../../main/log';
import { AppServices } from '../../main/services';
import { startSimulator, type Simulator } from '../../main/training/simulator';
import { PHONE_ORDER } from '../support/app-services';

const timing = {
  pollFastMs: 50,
  pollSlowMs: 100,
  backoffBaseMs: 20,
  backoffMaxMs: 100,
  probeMs: 50,
};
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
});

async function boot(
  env: NodeJS.ProcessEnv = {},
  secrets = new MemorySecretStore(),
  dataDir?: string,
  extra: Partial<Parameters<typeof AppServices.create>[0]> = {},
) {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'paylink-svc-'));
  const svc = await AppServices.create({
    dataDir: dir,
    secretStore: secrets,
    logger: createLogger(),
    version: 'test',
    env,
    engineTiming: timing,
    ...extra,
  });
  closers.push(() => svc.close());
  const table = createHandlerTable(svc);
  const call = async (channel: string, input?: unknown) => {
    const r = await dispatch(table, channel, input, { actor: 'Desk 1' });
    return r;
  };
  const ok = async <T>(channel: string, input?: unknown): Promise<T> => {
    const r = await call(channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  return { svc, call, ok, dir, secrets };
}

const order = PHONE_ORDER;

describe('training mode (no credentials)', () => {
  it('runs the real client against the simulator: order, SMS, customer pays, board shows Paid', async () => {
    const app = await boot();
    const status = await app.ok<{ mode: string; online: boolean }>('app:status');
    expect(status.mode).toBe('training');
    const created = await app.ok<{ created: boolean; order: OrderSummary }>('orders:create', order);
    expect(created.created).toBe(true);
    const id = created.order.id;
    const linkSent = await untilAsync(async () => {
      const d = await app.ok<{ order: OrderSummary }>('orders:get', { id });
      return d.order.state === 'link_sent' ? d.order : undefined;
    }, 'link sent');
    const sms =
      await app.ok<Array<{ to: string; url: string; sessionId: string }>>('training:listSms');
    expect(sms).toHaveLength(1);
    expect(sms[0]!.to).toBe('+4791234567');
    expect(sms[0]!.sessionId).toBe(linkSent.sessionId);
    await app.ok('training:customer', { sessionId: linkSent.sessionId, action: 'pay' });
    const paid = await untilAsync(async () => {
      const d = await app.ok<{ order: OrderSummary }>('orders:get', { id });
      return d.order.state === 'authorized' ? d.order : undefined;
    }, 'paid');
    expect(paid.statusWord).toBe('Paid');
    expect(paid.authorizedAmount).toBe(29_990);
  });

  it("the simulator keeps its SMS texts only as long as the desk's customerDataDays", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paylink-svc-'));
    mkdirSync(join(dir, 'training'));
    const text = (id: string, at: string, to: string) => ({
      id,
      at,
      to,
      text: 'Pay here',
      url: 'http://127.0.0.1/v1/view/x',
      sessionId: `S-${id}`,
    });
    const day = 24 * 60 * 60 * 1000;
    const ago = (days: number): string => new Date(Date.now() - days * day).toISOString();
    writeFileSync(
      join(dir, 'training', 'simulator.json'),
      JSON.stringify({
        version: 1,
        accountId: 'P00000000',
        sessions: [],
        transactions: [],
        sms: [text('old', ago(40), '+4793456781'), text('new', ago(10), '+4793456782')],
        pending: [],
      }),
    );
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ customerDataDays: 30 }));
    const app = await boot({}, new MemorySecretStore(), dir);
    const sms = await app.ok<Array<{ id: string }>>('training:listSms');
    expect(sms.map((m) => m.id)).toEqual(['new']);
    expect(readFileSync(join(dir, 'training', 'simulator.json'), 'utf8')).not.toContain(
      '+4793456781',
    );
  });

  it('refuses training actions for unknown sessions with a typed error', async () => {
    const app = await boot();
    const r = await app.call('training:customer', { sessionId: 'P00000000.nope', action: 'pay' });
    expect(r).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
  });
});

async function untilAsync<T>(
  fn: () => Promise<T | undefined>,
  what: string,
  ms = 10_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('live mode (credentials in Settings)', () => {
  let dintero: Simulator;

  it('switches to live when account, client id and secret are set, and the secret stays in main', async () => {
    dintero = await startSimulator({ port: 0, credentials: { accountId: 'P12345678' } });
    closers.push(() => dintero.close());
    const env = { PAYLINK_DINTERO_API_URL: dintero.url, PAYLINK_DINTERO_CHECKOUT_URL: dintero.url };
    const secrets = new MemorySecretStore();
    const app = await boot(env, secrets);
    await app.ok('settings:save', {
      accountId: 'P12345678',
      clientId: dintero.credentials.clientId,
      returnUrl: 'https://shop.example/paid',
    });
    expect((await app.ok<{ mode: string }>('app:status')).mode).toBe('training');
    const secretStatus = await app.ok<{ configured: boolean; last4: string }>(
      'settings:setSecret',
      {
        secret: dintero.credentials.clientSecret,
      },
    );
    expect(secretStatus).toEqual({
      configured: true,
      last4: dintero.credentials.clientSecret.slice(-4),
    });
    expect((await app.ok<{ mode: string; testAccount: boolean }>('app:status')).mode).toBe('live');
    expect(await secrets.get('P12345678')).toBe(dintero.credentials.clientSecret);

    const view = await app.ok<unknown>('settings:get');
    expect(JSON.stringify(view)).not.toContain(dintero.credentials.clientSecret);
    expect(readFileSync(join(app.dir, 'settings.json'), 'utf8')).not.toContain(
      dintero.credentials.clientSecret,
    );

    const test = await app.ok<{ outcome: string }>('settings:testConnection');
    expect(test.outcome).toBe('works');

    const created = await app.ok<{ order: OrderSummary }>('orders:create', order);
    await untilAsync(async () => {
      const d = await app.ok<{ order: OrderSummary }>('orders:get', { id: created.order.id });
      return d.order.state === 'link_sent' ? d : undefined;
    }, 'live link sent');
    expect(dintero.stats().sessionsCreated[created.order.merchantReference]).toBe(1);
    expect(await app.call('training:listSms')).toMatchObject({
      ok: false,
      error: { code: 'not_allowed' },
    });

    // Settings survive a restart; the secret comes back from the keychain.
    await app.svc.close();
    const again = await boot(env, secrets, app.dir);
    expect((await again.ok<{ mode: string }>('app:status')).mode).toBe('live');
    const list = await again.ok<{ orders: OrderSummary[] }>('orders:list');
    expect(list.orders.map((o) => o.id)).toContain(created.order.id);

    // Wrong secret: Test connection says so plainly.
    await again.ok('settings:setSecret', { secret: 'definitely-wrong-secret' });
    const wrong = await again.ok<{ outcome: string; message: string }>('settings:testConnection');
    expect(wrong.outcome).toBe('wrong_credentials');
    await again.ok('settings:clearSecret');
    expect((await again.ok<{ mode: string }>('app:status')).mode).toBe('training');
  });

  it('flags T accounts as test accounts (Dintero sends no SMS for them)', async () => {
    const sim = await startSimulator({ port: 0, credentials: { accountId: 'T12345678' } });
    closers.push(() => sim.close());
    const app = await boot({
      PAYLINK_DINTERO_API_URL: sim.url,
      PAYLINK_DINTERO_CHECKOUT_URL: sim.url,
    });
    await app.ok('settings:save', { accountId: 'T12345678', clientId: sim.credentials.clientId });
    await app.ok('settings:setSecret', { secret: sim.credentials.clientSecret });
    const status = await app.ok<{ mode: string; testAccount: boolean }>('app:status');
    expect(status).toMatchObject({ mode: 'live', testAccount: true });
  });
});

/** A live desk (account P12345678) against a simulator standing in for Dintero. */
async function liveDesk(accountId = 'P12345678') {
  const dintero = await startSimulator({ port: 0, credentials: { accountId } });
  closers.push(() => dintero.close());
  const env = { PAYLINK_DINTERO_API_URL: dintero.url, PAYLINK_DINTERO_CHECKOUT_URL: dintero.url };
  const secrets = new MemorySecretStore();
  const app = await boot(env, secrets);
  await app.ok('settings:save', { accountId, clientId: dintero.credentials.clientId });
  await app.ok('settings:setSecret', { secret: dintero.credentials.clientSecret });
  expect((await app.ok<{ mode: string }>('app:status')).mode).toBe('live');
  return { app, dintero, env, secrets };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a locked keychain is not "no credentials"', () => {
  it('keeps a live desk live: banner, orders queued and not sent, sent once the keychain opens', async () => {
    const { app, dintero, env, secrets } = await liveDesk();
    const before = await app.ok<{ order: OrderSummary }>('orders:create', order);
    await untilAsync(async () => {
      const d = await app.ok<{ order: OrderSummary }>('orders:get', { id: before.order.id });
      return d.order.state === 'link_sent' ? d : undefined;
    }, 'first link sent');
    await app.svc.close();

    secrets.lock();
    const again = await boot(env, secrets, app.dir, { keychainRetryMs: 100, platform: 'darwin' });
    const status = await again.ok<{ mode: string; keychainLocked?: string }>('app:status');
    expect(status).toMatchObject({ mode: 'live', keychainLocked: 'mac' });
    expect(again.svc.simulator).toBeUndefined();
    // The live journal: the order from before the restart is there.
    const listed = await again.ok<{ orders: OrderSummary[] }>('orders:list');
    expect(listed.orders.map((o) => o.id)).toContain(before.order.id);
    expect(await again.ok('settings:get')).toMatchObject({
      training: false,
      secret: { configured: false, unreadable: true },
    });

    // Storing a secret while locked says so plainly and changes nothing.
    expect(await again.call('settings:setSecret', { secret: 'another-secret-123' })).toMatchObject({
      ok: false,
      error: { code: 'keychain_unavailable' },
    });

    const queued = await again.ok<{ created: boolean; order: OrderSummary }>('orders:create', {
      ...order,
      amount: 12_345,
    });
    expect(queued.created).toBe(true);
    await sleep(600); // many probes, several keychain reads
    const waiting = await again.ok<{ order: OrderSummary }>('orders:get', {
      id: queued.order.id,
    });
    expect(waiting.order.state).toBe('queued');
    expect(dintero.stats().sessionsCreated[queued.order.merchantReference]).toBeUndefined();
    expect((await again.ok<{ mode: string }>('app:status')).mode).toBe('live');

    const changes: Array<{ keychainLocked?: string }> = [];
    again.svc.on('status:changed', (s) => changes.push(s));
    secrets.unlock();
    await untilAsync(async () => {
      const d = await again.ok<{ order: OrderSummary }>('orders:get', { id: queued.order.id });
      return d.order.state === 'link_sent' ? d : undefined;
    }, 'queued order sent after unlock');
    expect(dintero.stats().sessionsCreated[queued.order.merchantReference]).toBe(1);
    const after = await again.ok<{ mode: string; keychainLocked?: string }>('app:status');
    expect(after.mode).toBe('live');
    expect(after.keychainLocked).toBeUndefined();
    expect(changes.some((c) => c.keychainLocked === undefined)).toBe(true);
    expect(await again.ok('settings:get')).toMatchObject({ secret: { configured: true } });
  });

  it('a desk with no credentials at all runs training mode, locked keychain or not', async () => {
    const secrets = new MemorySecretStore();
    secrets.lock();
    const app = await boot({}, secrets);
    const status = await app.ok<{ mode: string; keychainLocked?: string }>('app:status');
    expect(status.mode).toBe('training');
    expect(status.keychainLocked).toBeUndefined();
  });

  it('an account ID without a client ID is not live; the keychain problem is still said', async () => {
    const secrets = new MemorySecretStore();
    const first = await boot({}, secrets);
    await first.ok('settings:save', { accountId: 'P12345678' });
    await first.svc.close();
    secrets.lock();
    const app = await boot({}, secrets, first.dir);
    const status = await app.ok<{ mode: string; keychainProblem?: Message }>('app:status');
    expect(status.mode).toBe('training');
    expect(english(status.keychainProblem!)).toMatch(/keychain/);
  });
});

describe('a journal belongs to one Dintero account', () => {
  it('asks before changing the account while orders still need it, and lists them', async () => {
    const { app } = await liveDesk();
    const created = await app.ok<{ order: OrderSummary }>('orders:create', order);
    const ref = created.order.merchantReference;

    const refused = await app.ok<{
      saved: boolean;
      accountChange: {
        from: string;
        to: string;
        crossesEnvironment: boolean;
        orders: Array<{ merchantReference: string; state: string; amount: number }>;
      };
    }>('settings:save', { accountId: 'T87654321', storeId: 'changed too' });
    expect(refused.saved).toBe(false);
    expect(refused.accountChange).toMatchObject({
      from: 'P12345678',
      to: 'T87654321',
      crossesEnvironment: true,
    });
    expect(refused.accountChange.orders).toEqual([
      expect.objectContaining({ merchantReference: ref, amount: 29_990 }),
    ]);
    // Nothing of that save was applied.
    const unchanged = await app.ok<{ settings: { accountId: string; storeId: string } }>(
      'settings:get',
    );
    expect(unchanged.settings).toMatchObject({ accountId: 'P12345678', storeId: '' });

    // Other settings save as before.
    expect(await app.ok('settings:save', { storeId: 'oslo' })).toMatchObject({ saved: true });

    // A P -> P change is asked too, without the test/production warning.
    const sameKind = await app.ok<{
      saved: boolean;
      accountChange: { crossesEnvironment: boolean };
    }>('settings:save', { accountId: 'P87654321' });
    expect(sameKind).toMatchObject({ saved: false, accountChange: { crossesEnvironment: false } });

    const confirmed = await app.ok<{ saved: boolean; settings: { accountId: string } }>(
      'settings:save',
      { accountId: 'T87654321', confirmAccountChange: true },
    );
    expect(confirmed).toMatchObject({ saved: true, settings: { accountId: 'T87654321' } });
  });

  it('refuses a confirmation flag that is not exactly true', async () => {
    const app = await boot();
    const r = await app.call('settings:save', { accountId: 'P12345678', confirmAccountChange: 1 });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
