/**
 * Secrets scan after a representative mini-battery of the whole main side.
 *
 * The battery (AppServices with the real handler table, logging at debug level to files):
 * training mode with faults (lost create answers, unreadable and failed money answers, a reset
 * poll), customers paying / declining / opening / letting links lapse, captures, refunds, voids,
 * cancels, resends, QR codes, list calls carrying a phone number (refused: the board searches
 * in the screen, so a typed number never reaches main), malformed calls carrying the secret, then LIVE
 * mode against a second simulator standing in for Dintero (client secret set through
 * settings:setSecret, tokens living 2 s so several are issued, a 401 burst), a restart of the
 * services, and the secret cleared again.
 *
 * Every secret the process registered (both client secrets, the Basic credentials, every
 * access token issued) is then searched for, byte-wise, in every file the app wrote (logs,
 * both journals and their -wal, settings.json, the training simulator's state) and in
 * everything sent towards the renderer (every IpcResult, every event payload) and to the
 * desktop notifications: 0 occurrences. And no log line holds a full phone number.
 * (Other parts of the battery run the same scan over their own artefacts.)
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OrderSummary } from '../../common/domain';
import { EVENT_NAMES, type IpcResult } from '../../common/ipc-contract';
import { MemorySecretStore } from '../../main/credentials/memory-secret-store';
import { dispatch } from '../../main/ipc/dispatch';
import { createHandlerTable } from '../../main/ipc/handlers';
import { createLogger, logDir } from '../../main/log';
import { AppServices } from '../../main/services';
import { startSimulator, type Simulator } from '../../main/training/simulator';
import {
  e164No,
  FAST_TIMING,
  orderInput,
  prng,
  summary,
  tempRoot,
  waitFor,
  type TempRoot,
} from './support/env';
import { phonesInLogs, scanForSecrets, scanTexts } from './support/scan';
import { capturedSecrets, needlesOf, noteSecret } from './support/secret-capture';

vi.mock('../../main/redact', async (importOriginal) =>
  (await import('./support/secret-capture')).wrapRedact(await importOriginal()),
);

const LIVE_ACCOUNT = 'P12345678';
const LIVE_CLIENT = 'live-client';

describe('secrets scan after a mini-battery', () => {
  let root: TempRoot;
  let live: Simulator;
  const liveSecret = randomBytes(24).toString('base64url');
  const toRenderer: string[] = [];
  const services: AppServices[] = [];

  beforeAll(async () => {
    root = tempRoot('secrets');
    noteSecret(liveSecret);
    live = await startSimulator({
      credentials: { accountId: LIVE_ACCOUNT, clientId: LIVE_CLIENT, clientSecret: liveSecret },
      tokenLifetimeSeconds: 2,
      random: prng(31),
    });
  });

  afterAll(async () => {
    for (const s of services) await s.close().catch(() => undefined);
    await live?.close();
    await root?.cleanup();
  });

  const serialize = (v: unknown): string =>
    JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x)) ?? String(v);

  async function start(dataDir: string): Promise<{
    svc: AppServices;
    call: <T>(channel: string, input?: unknown) => Promise<IpcResult<T>>;
  }> {
    const logger = createLogger({ dir: logDir(dataDir), level: 'debug' });
    const svc = await AppServices.create({
      dataDir,
      secretStore,
      logger,
      version: 'rel',
      engineTiming: FAST_TIMING,
      env: { PAYLINK_DINTERO_API_URL: live.url, PAYLINK_DINTERO_CHECKOUT_URL: live.url },
    });
    services.push(svc);
    for (const name of EVENT_NAMES)
      svc.on(name, (p) => toRenderer.push(serialize({ event: name, p })));
    svc.onNotify((n) => toRenderer.push(serialize({ notify: n })));
    const table = createHandlerTable(svc);
    const call = async <T>(channel: string, input?: unknown): Promise<IpcResult<T>> => {
      const r = (await dispatch(
        table,
        channel,
        input,
        { actor: 'Till 3' },
        logger,
      )) as IpcResult<T>;
      toRenderer.push(serialize(r));
      return r;
    };
    return { svc, call };
  }
  const secretStore = new MemorySecretStore();

  it('0 secrets in logs, journals, settings and everything sent to the renderer; 0 full phone numbers in logs', async () => {
    const dataDir = root.dir('app');
    const phones: Array<{ e164: string; cc: string }> = [];
    const value = <T>(r: IpcResult<T>, what: string): T => {
      if (!r.ok) throw new Error(`${what}: ${r.error.code} ${r.error.message}`);
      return r.value;
    };

    // ---- training mode, with faults --------------------------------------------------
    let { svc, call } = await start(dataDir);
    const trainingSim = svc.simulator!;
    value(await call('settings:save', { terminalName: 'Till 3', storeId: 'oslo-3' }), 'save');
    trainingSim.faults.add({ route: 'create', kind: 'drop_after_commit', every: 3 });
    trainingSim.faults.add({ route: 'listSessions', kind: 'reset', times: 1 });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      phones.push({ e164: e164No(i), cc: '47' });
      const r = value(
        await call<{ created: boolean; order: OrderSummary }>(
          'orders:create',
          orderInput(i, {
            customerName: `Kunde ${i}`,
            email: `kunde${i}@example.com`,
            note: `Ring ${e164No(i)} først`,
            delivery: i % 4 === 3 ? 'link_only' : 'sms',
          }),
        ),
        'create',
      );
      ids.push(r.order.id);
    }
    const get = (id: string): OrderSummary => svc.engine.getOrder(id).order;
    await waitFor(() => ids.every((id) => get(id).state === 'link_sent'), {
      timeoutMs: 30_000,
      what: 'links sent',
    });
    const session = (i: number): string => get(ids[i]!).sessionId!;
    for (const i of [0, 1, 2, 3, 4, 5])
      value(await call('training:customer', { sessionId: session(i), action: 'pay' }), 'pay');
    value(await call('training:customer', { sessionId: session(6), action: 'decline' }), 'decline');
    value(await call('training:customer', { sessionId: session(7), action: 'open' }), 'open');
    value(await call('training:customer', { sessionId: session(8), action: 'expire' }), 'expire');
    await waitFor(() => [0, 1, 2, 3, 4, 5].every((i) => get(ids[i]!).state === 'authorized'), {
      timeoutMs: 30_000,
      what: 'paid',
    });
    trainingSim.faults.add({ route: 'capture', kind: 'invalid_json', times: 1 });
    trainingSim.faults.add({ route: 'refund', kind: 'status', status: 500, times: 1 });
    await call('orders:capture', { id: ids[0] });
    await call('orders:capture', { id: ids[1], amount: 5000 });
    await call('orders:capture', { id: ids[2] });
    await waitFor(() => get(ids[0]!).state === 'captured' && get(ids[2]!).state === 'captured', {
      timeoutMs: 20_000,
      what: 'captured',
    });
    await call('orders:refund', {
      id: ids[0],
      amount: 1000,
      reason: `Customer ${e164No(0)} asked`,
    });
    await waitFor(() => get(ids[0]!).pendingOperation === undefined, {
      timeoutMs: 20_000,
      what: 'refund settled',
    });
    await call('orders:refund', { id: ids[2], reason: 'Damaged' });
    await call('orders:void', { id: ids[3] });
    await call('orders:cancelLink', { id: ids[9] });
    await call('orders:resendLink', { id: ids[10], delivery: 'sms' });
    await call('orders:qr', { id: ids[11] });
    await call('orders:retry', { id: ids[11] });
    await call('orders:list', { search: phones[4]!.e164 });
    await call('orders:list', { search: '410 00 005' });
    // The board's search reaches main as typed: it is read, never written down.
    await call('orders:page', { limit: 10, search: phones[4]!.e164 });
    await call('orders:page', { limit: 10, search: '410 00 005' });
    await call('orders:checkDuplicate', {
      phone: '41000001',
      country: 'NO',
      amount: 10_001,
      currency: 'NOK',
    });
    for (const id of ids) await call('orders:get', { id });
    await call('training:listSms');
    await call('training:listSessions');
    await call('app:status');
    // Malformed calls that carry a secret: the refusals must not echo it.
    await call('settings:setSecret', { secret: liveSecret.slice(0, 5) });
    await call('orders:create', { ...orderInput(99), phone: liveSecret.slice(0, 60) });
    await call('orders:refund', { id: ids[2], reason: liveSecret, extra: liveSecret });
    await call('settings:save', { clientId: liveSecret, returnUrl: `http://x/${liveSecret}` });

    // ---- live mode against the second simulator -------------------------------------
    value(
      await call('settings:save', { accountId: LIVE_ACCOUNT, clientId: LIVE_CLIENT }),
      'live ids',
    );
    value(await call('settings:setSecret', { secret: liveSecret }), 'set secret');
    expect(svc.mode).toBe('live');
    const test = value(await call<{ outcome: string }>('settings:testConnection'), 'test');
    expect(test.outcome).toBe('works');
    const liveIds: string[] = [];
    for (let i = 20; i < 28; i++) {
      phones.push({ e164: e164No(i), cc: '47' });
      const r = value(
        await call<{ order: OrderSummary }>('orders:create', orderInput(i)),
        'live create',
      );
      liveIds.push(r.order.id);
    }
    await waitFor(() => liveIds.every((id) => get(id).state === 'link_sent'), {
      timeoutMs: 30_000,
      what: 'live links',
    });
    for (const id of liveIds.slice(0, 4)) live.pay(get(id).sessionId!);
    await waitFor(() => liveIds.slice(0, 4).every((id) => get(id).state === 'authorized'), {
      timeoutMs: 30_000,
      what: 'live paid',
    });
    live.faults.add({ route: 'listTransactions', kind: 'status', status: 401, times: 2 });
    await call('orders:capture', { id: liveIds[0] });
    await call('orders:capture', { id: liveIds[1] });
    await new Promise((r) => setTimeout(r, 2200)); // a token lifetime: the next calls refresh
    await call('orders:refund', { id: liveIds[0], amount: 500, reason: 'Goodwill' });
    await call('orders:void', { id: liveIds[2] });
    await call('settings:testConnection');

    // While running, the journals' -wal files hold the latest writes: scan them now too.
    const running = scanForSecrets(
      [dataDir],
      needlesOf([...capturedSecrets(), liveSecret, trainingSim.credentials.clientSecret]),
    );

    // ---- restart, then back to training ---------------------------------------------
    await svc.close();
    ({ svc, call } = await start(dataDir));
    expect(svc.mode).toBe('live');
    await call('orders:list');
    await call('settings:get');
    await waitFor(() => svc.status().queueLength === 0, {
      timeoutMs: 20_000,
      what: 'live queue empty',
    });
    value(await call('settings:clearSecret'), 'clear secret');
    expect(svc.mode).toBe('training');
    await call('app:status');
    await svc.close();

    // ---- the scan -----------------------------------------------------------------------
    const secrets = needlesOf([
      ...capturedSecrets(),
      liveSecret,
      trainingSim.credentials.clientSecret,
    ]);
    const tokens = capturedSecrets().filter((s) => s.split('.').length === 3).length;
    const atEnd = scanForSecrets([dataDir], secrets);
    const files = {
      files: running.files + atEnd.files,
      bytes: running.bytes + atEnd.bytes,
      leaks: [...running.leaks, ...atEnd.leaks],
    };
    const texts = scanTexts(toRenderer, secrets);
    const phoneLines = phonesInLogs([dataDir], phones);
    console.log(
      `secrets-scan: ${secrets.length} secrets (2 client secrets, ${tokens} access tokens, Basic credentials, token signatures) ` +
        `searched in ${files.files} files / ${files.bytes} bytes (logs, journals + -wal, settings, simulator state; ` +
        `scanned while running and after closing): ${files.leaks.length} hits; ` +
        `in ${texts.texts} payloads sent to the renderer or notifications: ${texts.leaks.length} hits; ` +
        `${phoneLines.lines} log lines, ${phoneLines.hits.length} with a full phone number; ` +
        `live token requests ${live.stats().tokenRequests}`,
    );
    for (const l of files.leaks)
      console.log(`secrets-scan: ✗ ${l.needle} ${l.count}x in ${l.file}`);
    for (const l of texts.leaks.slice(0, 10)) {
      console.log(`secrets-scan: ✗ ${l.needle} in payload ${toRenderer[l.index]!.slice(0, 200)}`);
    }
    for (const h of phoneLines.hits.slice(0, 10))
      console.log(`secrets-scan: ✗ phone …${h.phoneEnd} in ${h.file}:${h.line}`);
    const checks = [
      files.leaks.length === 0,
      texts.leaks.length === 0,
      phoneLines.hits.length === 0,
      tokens >= 3,
    ];
    summary('secrets-scan', checks.filter(Boolean).length, checks.filter((c) => !c).length);
    expect(tokens, 'several access tokens were issued and searched for').toBeGreaterThanOrEqual(3);
    expect(files.leaks).toEqual([]);
    expect(texts.leaks.map((l) => l.needle)).toEqual([]);
    expect(phoneLines.hits).toEqual([]);
  });
});
