/**
 * Updates through the app's own services and IPC handlers (as the Electron shell builds them):
 * the status bar learns of a ready update and of what its restart waits for, a press of
 * "Restart to update" while an order is queued is refused with the catalog's words and
 * restarts nothing, and once the queue is empty it restarts exactly once. Without an updater
 * (the browser preview) nothing about updates shows and a press is refused.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { AppStatus } from '../../../common/domain';
import { createLogger } from '../../../main/log';
import { DeskUpdater } from '../../../main/updates/desk-updater';
import type { UpdateFeed } from '../../../main/updates/update-feed';
import { bootApp, PHONE_ORDER as order } from '../../support/app-services';

const logger = createLogger({ level: 'silent' });
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
});

async function boot(updater?: DeskUpdater) {
  const app = await bootApp({ logger, version: '1.0.0', ...(updater ? { updater } : {}) });
  closers.push(app.close);
  const statuses: AppStatus[] = [];
  app.svc.on('status:changed', (s) => statuses.push(s));
  return { svc: app.svc, call: app.call, statuses };
}

function readyUpdater() {
  const restarts: number[] = [];
  const feed: UpdateFeed = {
    check: () => Promise.resolve({ newer: true, version: '1.1.0' }),
    download: () => Promise.resolve(),
    install: () => true,
  };
  const updater = new DeskUpdater({
    feed,
    logger,
    restartApp: () => restarts.push(Date.now()),
    repeat: () => () => undefined,
  });
  return { updater, restarts };
}

describe('updates in the running app', () => {
  it('offers the ready update, waits while an order is queued, then restarts once', async () => {
    const { updater, restarts } = readyUpdater();
    const { svc, call, statuses } = await boot(updater);
    await updater.tick(); // the check AppServices started at boot
    expect(svc.status().update).toEqual({ state: 'ready', version: '1.1.0' });
    // The screen hears of it (status:changed).
    await expect.poll(() => statuses.at(-1)?.update).toEqual({ state: 'ready', version: '1.1.0' });

    // Dintero cannot be reached: the order stays queued, and the restart waits for it.
    await svc.simulator!.stop();
    const created = await call('orders:create', order);
    expect(created.ok).toBe(true);
    expect(svc.status().queueLength).toBe(1);
    expect(svc.status().update).toEqual({ state: 'ready', version: '1.1.0', waitsFor: ['queue'] });

    const refused = await call('app:restartToUpdate');
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'not_allowed', text: { key: 'update.busy' } },
    });
    expect(restarts).toEqual([]);

    // The line returns, the order goes out, and the screen hears that the restart may happen.
    await svc.simulator!.restart();
    await expect.poll(() => svc.status().queueLength, { timeout: 10_000 }).toBe(0);
    await expect.poll(() => statuses.at(-1)?.update).toEqual({ state: 'ready', version: '1.1.0' });

    expect(await call('app:restartToUpdate')).toEqual({
      ok: true,
      value: { restarting: true, version: '1.1.0' },
    });
    expect(await call('app:restartToUpdate')).toMatchObject({ ok: true });
    expect(restarts).toHaveLength(1);
  });

  it('no updater (the browser preview): nothing shows, a press is refused', async () => {
    const { svc, call } = await boot();
    expect(svc.status().update).toBeUndefined();
    expect(await call('app:restartToUpdate')).toMatchObject({
      ok: false,
      error: { code: 'not_allowed', text: { key: 'update.none' } },
    });
  });
});
