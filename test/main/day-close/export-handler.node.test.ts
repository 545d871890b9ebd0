/**
 * The day close over the IPC handler table, as the shell and the browser preview serve it:
 * training mode (the real client against the simulator over loopback), a paid and captured
 * order, the day read through `dayClose:get`, and `dayClose:export` going to the save dialog
 * (the app), nowhere when the dialog is cancelled, or back to the page as a download (the
 * preview). Bad input is refused before any work.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import type { DayCloseView, DayExportFormat } from '../../../common/day-close';
import { dayOf } from '../../../common/day-time';
import type { OrderSummary } from '../../../common/domain';
import type { DayExportResult } from '../../../common/ipc-contract';
import { MemorySecretStore } from '../../../main/credentials/memory-secret-store';
import type { ExportFile } from '../../../main/day-close/export';
import { dispatch } from '../../../main/ipc/dispatch';
import { createHandlerTable } from '../../../main/ipc/handlers';
import { createLogger } from '../../../main/log';
import { AppServices } from '../../../main/services';

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
});

const ZONE = 'Europe/Oslo';

async function until<T>(f: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('day close over IPC', () => {
  it('reads the day, saves through the dialog, refuses bad input, and downloads in the preview', async () => {
    const svc = await AppServices.create({
      dataDir: mkdtempSync(join(tmpdir(), 'paylink-dayclose-')),
      secretStore: new MemorySecretStore(),
      logger: createLogger(),
      version: 'test',
      env: {},
      timeZone: ZONE,
      engineTiming: { pollFastMs: 50, pollSlowMs: 100, backoffBaseMs: 20, probeMs: 50 },
    });
    closers.push(() => svc.close());
    const saved: ExportFile[] = [];
    let cancel = false;
    const app = createHandlerTable(svc, {
      saveFile: (file) => {
        if (cancel) return Promise.resolve({ saved: false });
        saved.push(file);
        return Promise.resolve({ saved: true, name: `chosen-${file.name}` });
      },
    });
    const preview = createHandlerTable(svc);
    const call = async <T>(table: typeof app, channel: string, input?: unknown): Promise<T> => {
      const r = await dispatch(table, channel, input, { actor: 'Desk 1' });
      if (!r.ok) throw Object.assign(new Error(r.error.message), { error: r.error });
      return r.value as T;
    };

    const created = await call<{ order: OrderSummary }>(app, 'orders:create', {
      phone: '912 34 567',
      country: 'NO',
      amount: 129_950,
      currency: 'NOK',
      linkLifetimeHours: 24,
      delivery: 'sms',
    });
    const id = created.order.id;
    const sim = svc.simulator!;
    const session = await until(() => svc.engine.getOrder(id).order.sessionId);
    sim.pay(session);
    await until(() => (svc.engine.getOrder(id).order.state === 'authorized' ? true : undefined));
    await call(app, 'orders:capture', { id });

    // No day given: main's today in the desk's time zone.
    const view = await call<DayCloseView>(app, 'dayClose:get', { scope: 'desk' });
    expect(view.day).toBe(dayOf(Date.now(), ZONE));
    expect(view.timeZone).toBe(ZONE);
    const nok = view.currencies.find((c) => c.currency === 'NOK')!;
    expect(nok.figures.captured).toMatchObject({ count: 1, amount: 129_950, orderIds: [id] });

    const exportAs = (table: typeof app, format: DayExportFormat) =>
      call<DayExportResult>(table, 'dayClose:export', { day: view.day, scope: 'desk', format });

    expect(await exportAs(app, 'csv')).toEqual({
      saved: true,
      name: `chosen-paylink-day-${view.day}-desk.csv`,
    });
    expect(saved[0]!.mimeType).toBe('text/csv;charset=utf-8');
    const rows = parse<Record<string, string>>(Buffer.from(saved[0]!.bytes), {
      bom: true,
      columns: true,
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      merchant_reference: created.order.merchantReference,
      status: 'captured',
      amount: '1299.50',
      captured: '1299.50',
      refunded: '0.00',
      desk: 'Desk 1',
    });
    expect(await exportAs(app, 'pdf')).toMatchObject({ saved: true });
    expect(saved[1]!.mimeType).toBe('application/pdf');
    expect(Buffer.from(saved[1]!.bytes).subarray(0, 5).toString()).toBe('%PDF-');

    cancel = true;
    expect(await exportAs(app, 'csv_nordic')).toEqual({ saved: false });
    expect(saved).toHaveLength(2);

    // The preview has no save dialog: the file goes back to the page.
    const download = await exportAs(preview, 'csv_nordic');
    if (!('download' in download)) throw new Error('expected a download');
    expect(download.download.name).toBe(`paylink-day-${view.day}-desk-nordic.csv`);
    const nordic = Buffer.from(download.download.base64, 'base64').toString('utf8');
    expect(nordic).toContain(`${created.order.merchantReference};`);
    expect(nordic).toContain(';1299,50;1299,50;0,00;');

    // Bad input: refused with a typed error, before any work.
    for (const bad of [
      { day: '2025-02-30', scope: 'desk' },
      { day: '01.03.2025', scope: 'desk' },
      { scope: 'everything' },
      { day: view.day, scope: 'desk', format: 'xlsx' },
    ]) {
      const channel = 'format' in bad ? 'dayClose:export' : 'dayClose:get';
      const r = await dispatch(app, channel, bad, { actor: 'Desk 1' });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalid_input');
    }
    // The whole store needs a store ID; the reason is a sentence from the catalogs.
    const store = await dispatch(app, 'dayClose:get', { scope: 'store' }, { actor: 'Desk 1' });
    expect(store).toMatchObject({
      ok: false,
      error: { code: 'not_allowed', text: { key: 'dayClose.scopeStoreMissing' } },
    });
  });
});
