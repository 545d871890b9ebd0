/**
 * The whole main side for a test, built as the Electron shell and the browser preview build
 * it: AppServices (training mode unless credentials are given), the handler table, and calls
 * through the validating dispatcher, made as whoever is at the desk now (svc.actor()).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySecretStore } from '../../main/credentials/memory-secret-store';
import { dispatch } from '../../main/ipc/dispatch';
import { createHandlerTable } from '../../main/ipc/handlers';
import { createLogger } from '../../main/log';
import { AppServices, type ServicesOptions } from '../../main/services';

/** Engine timings short enough for a test to watch an order go through. */
export const FAST_TIMING = {
  pollFastMs: 50,
  pollSlowMs: 100,
  backoffBaseMs: 20,
  backoffMaxMs: 100,
  probeMs: 50,
};

/** A phone order as New order sends it (NOK 299.90 to a Norwegian mobile, by SMS). */
export const PHONE_ORDER = {
  phone: '912 34 567',
  country: 'NO',
  amount: 29_990,
  currency: 'NOK',
  linkLifetimeHours: 24,
  delivery: 'sms',
};

export interface BootedApp {
  svc: AppServices;
  /** One IPC call: its IpcResult. */
  call(channel: string, input?: unknown): ReturnType<typeof dispatch>;
  /** One IPC call that must succeed: its value. */
  ok<T>(channel: string, input?: unknown): Promise<T>;
  close(): Promise<void>;
}

/** Starts the services in a fresh data folder (or `extra.dataDir`). */
export async function bootApp(extra: Partial<ServicesOptions> = {}): Promise<BootedApp> {
  const svc = await AppServices.create({
    dataDir: mkdtempSync(join(tmpdir(), 'paylink-app-')),
    secretStore: new MemorySecretStore(),
    logger: createLogger({ level: 'silent' }),
    version: 'test',
    env: {},
    engineTiming: FAST_TIMING,
    ...extra,
  });
  const table = createHandlerTable(svc);
  const call = (channel: string, input?: unknown) =>
    dispatch(table, channel, input, { actor: svc.actor() });
  const ok = async <T>(channel: string, input?: unknown): Promise<T> => {
    const r = await call(channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  return { svc, call, ok, close: () => svc.close() };
}
