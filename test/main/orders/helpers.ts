/**
 * Shared test setup for the order engine: temp data folders, settings, a silent logger, a
 * valid order input and an engine factory with fast, deterministic timing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { NewOrderInput } from '../../../common/ipc-contract';
import type { DinteroClient } from '../../../main/dintero/types';
import { createLogger } from '../../../main/log';
import { createOrderEngine } from '../../../main/orders/engine';
import type { EngineSettings, OrderEngineOptions } from '../../../main/orders/engine-types';

const dirs: string[] = [];
const engines: Array<{ closeNow(): void }> = [];

afterEach(() => {
  for (const e of engines.splice(0)) e.closeNow();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temp folder, removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'paylink-orders-'));
  dirs.push(d);
  return d;
}

export const logger = createLogger({ level: 'silent' });

export function settings(over: Partial<EngineSettings> = {}): EngineSettings {
  return {
    profileId: 'P00000000.default',
    returnUrl: 'https://shop.example/thanks',
    storeId: 'oslo-1',
    terminalName: 'Desk 2',
    deskId: 'TEST02',
    maxOrderAmount: 100_000,
    notifications: {
      paid: true,
      declined: true,
      expired: true,
      authorizationLapsing: true,
      lapseWarningDays: 5,
    },
    customerDataDays: 90,
    ...over,
  };
}

/** A valid order: NOK 250.00 to a Norwegian mobile, texted. */
export function input(over: Partial<NewOrderInput> = {}): NewOrderInput {
  return {
    phone: '912 34 567',
    country: 'NO',
    amount: 25_000,
    currency: 'NOK',
    linkLifetimeHours: 24,
    delivery: 'sms',
    ...over,
  };
}

/** The i-th distinct valid Norwegian mobile number. */
export function phone(i: number): string {
  return `4${String(1_000_000 + i).padStart(7, '0')}`;
}

/** A controllable clock. */
export function clock(start = Date.parse('2025-03-01T10:00:00Z')): {
  now: () => number;
  advance: (ms: number) => void;
  set: (ms: number) => void;
} {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
  };
}

/** An engine with fast timing and no jitter; closed (abruptly) after the test. */
export function engine(
  dataDir: string,
  client: DinteroClient,
  over: Partial<OrderEngineOptions> = {},
): ReturnType<typeof createOrderEngine> {
  const e = createOrderEngine({
    accountId: 'P00000000',
    dataDir,
    client,
    settings: () => settings(),
    logger,
    random: () => 0,
    timing: {
      pollFastMs: 20,
      pollSlowMs: 50,
      backoffBaseMs: 10,
      backoffMaxMs: 100,
      probeMs: 20,
      reconcileDelayMs: 0,
      // One empty read counts here; the lag tests (lag.node.test.ts) set a real window.
      absenceWindowMs: 0,
      absenceReads: 1,
      stopTimeoutMs: 2000,
    },
    ...over,
    ...(over.timing ? { timing: { absenceWindowMs: 0, absenceReads: 1, ...over.timing } } : {}),
    // A test's controllable clock drives the waits too, unless it brings its own monotonic one.
    ...(over.now && !over.monotonic ? { monotonic: over.now } : {}),
  });
  engines.push(e);
  return e;
}

/** Creates `n` orders (distinct phones) and sends them; returns their ids. */
export async function sentOrders(
  e: ReturnType<typeof engine>,
  n: number,
  over: Partial<NewOrderInput> = {},
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await e.createOrder(input({ phone: phone(i), ...over }), 'Desk 2');
    if (!r.created) throw new Error('duplicate');
    ids.push(r.order.id);
  }
  await e.sendNow();
  return ids;
}

/** What a promise rejected with, or undefined when it resolved (to assert on refusals). */
export const rejection = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (x: unknown) => x,
  );

/** Polls the desks until `done` holds (bounded by rounds, never by time). */
export async function pollUntil(
  desks: ReadonlyArray<{ pollNow(): Promise<unknown> }>,
  done: () => boolean,
  what: string,
): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (done()) return;
    for (const d of desks) await d.pollNow();
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never: ${what}`);
}
