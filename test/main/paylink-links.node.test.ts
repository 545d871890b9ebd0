/**
 * paylink: links reaching the running desk (main/paylink-links.ts): the one on the command line
 * (skipping switches after it), read with the desk's settings, announced to the page and kept
 * until a page takes it; and through the whole main side (AppServices, the handler table) a
 * link only fills in New order: no order, no money operation, no setting changes until staff
 * send the order themselves, which then reaches Dintero with its reference.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { NewOrderLink } from '../../common/paylink-link';
import { MemorySecretStore } from '../../main/credentials/memory-secret-store';
import { dispatch } from '../../main/ipc/dispatch';
import { createHandlerTable } from '../../main/ipc/handlers';
import { createLogger } from '../../main/log';
import { LinkInbox, linkFromArgv } from '../../main/paylink-links';
import { AppServices } from '../../main/services';

const LINK = 'paylink://new?phone=%2B4791234567&amount=1299.50&reference=SO-2025-000123';

describe('linkFromArgv', () => {
  it('takes the last argument when it is a paylink: link', () => {
    expect(linkFromArgv(['/opt/Paylink Desk/paylink-desk', LINK])).toBe(LINK);
    expect(linkFromArgv(['C:\\Paylink Desk.exe', '--allow-file-access', LINK])).toBe(LINK);
    // Chromium may add its switches after it on a second launch.
    expect(linkFromArgv(['app.exe', LINK, '--original-process-start-time=1'])).toBe(LINK);
    expect(linkFromArgv(['app.exe', 'PAYLINK://new'])).toBe('PAYLINK://new');
  });

  it('finds nothing in a plain start, a development start or another last argument', () => {
    expect(linkFromArgv(['app.exe'])).toBeUndefined();
    expect(linkFromArgv(['electron', '.'])).toBeUndefined();
    expect(linkFromArgv([])).toBeUndefined();
    expect(linkFromArgv(['app.exe', LINK, 'https://evil.example'])).toBeUndefined();
    expect(linkFromArgv(['app.exe', 'javascript:alert(1)'])).toBeUndefined();
  });
});

describe('LinkInbox', () => {
  const desk = { country: 'NO', currency: 'NOK', maxOrderAmount: 100_000 } as const;
  const make = () => {
    const heard: NewOrderLink[] = [];
    const logged: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logged.push(chunk.toString('utf8'));
        cb();
      },
    });
    const logger = createLogger({ level: 'info', stream });
    const inbox = new LinkInbox({ settings: () => desk, emit: (l) => heard.push(l), logger });
    return { inbox, heard, logged };
  };

  it('announces each link and keeps the latest until a page takes it, once', () => {
    const { inbox, heard } = make();
    expect(inbox.take()).toBeNull();
    const first = inbox.receive(LINK);
    expect(first).toEqual({
      seq: 1,
      prefill: {
        phone: '+4791234567',
        amount: 129_950,
        currency: 'NOK',
        externalReference: 'SO-2025-000123',
      },
    });
    const second = inbox.receive('paylink://new?amount=-1');
    expect(second).toMatchObject({ seq: 2, problem: { key: 'paylinkLink.refusedField' } });
    expect(heard).toEqual([first, second]);
    // New order holds one order: the newer link replaced the older one.
    expect(inbox.take()).toEqual(second);
    expect(inbox.take()).toBeNull();
  });

  it('logs that a link came and what it did, never the link or the number', async () => {
    const { inbox, logged } = make();
    inbox.receive(LINK);
    inbox.receive('paylink://new?phone=91234567&amount=0');
    // The log's streams hand lines on a tick later.
    await new Promise((resolve) => setImmediate(resolve));
    const text = logged.join('\n');
    expect(text).toContain('A paylink: link asked for New order');
    expect(text).toContain('"link":"filled"');
    expect(text).toContain('"problem":"paylinkLink.refusedField"');
    expect(text).not.toContain('1234567');
    expect(text).not.toContain('SO-2025');
  });
});

describe('a link through the whole main side', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
  });

  it('fills in New order with the desk’s settings, sends nothing, changes nothing', async () => {
    const svc = await AppServices.create({
      dataDir: mkdtempSync(join(tmpdir(), 'paylink-links-')),
      secretStore: new MemorySecretStore(),
      logger: createLogger({ level: 'silent' }),
      version: 'test',
      env: {},
    });
    closers.push(() => svc.close());
    await svc.saveSettings({ defaultCurrency: 'SEK', defaultCountry: 'SE' });
    const table = createHandlerTable(svc);
    const call = (channel: string, input?: unknown) =>
      dispatch(table, channel, input, { actor: 'Desk 1' });
    const heard: NewOrderLink[] = [];
    svc.on('navigate:newOrder', (l) => heard.push(l));
    const settingsBefore = svc.settings.get();

    svc.links.receive(
      'paylink://new?phone=0701234567&amount=250&reference=ERP-9&accountId=P12345678',
    );
    svc.links.receive('paylink://new?phone=0701234567&amount=250&reference=ERP-9');
    expect(heard.map((l) => ('prefill' in l ? 'filled' : l.problem.key))).toEqual([
      'paylinkLink.refused',
      'filled',
    ]);
    const taken = await call('app:takeLink');
    const prefill = {
      phone: '+46701234567',
      amount: 25_000,
      currency: 'SEK',
      externalReference: 'ERP-9',
    };
    expect(taken).toEqual({ ok: true, value: { seq: 2, prefill } });
    expect(await call('app:takeLink')).toEqual({ ok: true, value: null });
    // The page gives the channel nothing to act on.
    expect((await call('app:takeLink', { send: true })).ok).toBe(false);

    // Nothing was created, queued or changed.
    expect(await call('orders:list')).toEqual({ ok: true, value: { orders: [], total: 0 } });
    expect(svc.status().queueLength).toBe(0);
    expect(svc.settings.get()).toEqual(settingsBefore);
    const sim = svc.simulator!;
    expect(sim.sessions()).toEqual([]);

    // Staff press Send link: the order carries the reference to "Dintero".
    const created = await call('orders:create', {
      ...prefill,
      country: 'SE',
      linkLifetimeHours: 24,
      delivery: 'sms',
    });
    if (!created.ok) throw new Error(created.error.message);
    const value = created.value as { created: boolean; order: { merchantReference: string } };
    expect(value.created).toBe(true);
    const ref = value.order.merchantReference;
    await expect
      .poll(() => sim.sessions().find((x) => x.merchantReference === ref), { timeout: 10_000 })
      .toBeDefined();
    const at = sim.sessions().find((x) => x.merchantReference === ref)!;
    expect(sim.getSession(at.sessionId)!.order.merchant_reference_2).toBe('ERP-9');
  });
});
