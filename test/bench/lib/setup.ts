/**
 * Shared pieces of the benchmarks: settings as the app uses them, a silent logger, valid order
 * inputs, a Dintero client pointed at a simulator (counting calls in flight), and waiting.
 */
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewOrderInput } from '../../../common/ipc-contract';
import { createDinteroClient } from '../../../main/dintero/client';
import type { DinteroClient } from '../../../main/dintero/types';
import { createLogger } from '../../../main/log';
import type { EngineSettings } from '../../../main/orders/engine-types';
import { DEFAULT_SETTINGS } from '../../../common/settings-defaults';
import type { Simulator } from '../../../main/training/simulator';

export const logger = createLogger({ level: 'silent' });

/** Engine settings as AppServices derives them from a fresh install's defaults. */
export function engineSettings(): EngineSettings {
  const s = DEFAULT_SETTINGS;
  return {
    profileId: s.profileId || 'default',
    returnUrl: s.returnUrl || 'https://checkout.dintero.com/v1/view/return',
    storeId: s.storeId,
    terminalName: s.terminalName,
    deskId: 'BENCH1',
    maxOrderAmount: s.maxOrderAmount,
    notifications: { ...s.notifications },
    customerDataDays: s.customerDataDays,
  };
}

/**
 * A Norwegian mobile number as staff type it ("912 34 567"), distinct for each `i` in a
 * series: series 9 → 9xx xx xxx. The pre-filled journals use +474xxxxxxx, so these never
 * collide with an open order there.
 */
export function typedPhone(series: number, i: number): string {
  const n = `${series}${String(1_000_000 + i).padStart(7, '0')}`;
  return `${n.slice(0, 3)} ${n.slice(3, 5)} ${n.slice(5)}`;
}

/** A valid new order, NOK 249.00, texted, as the entry screen sends it. */
export function orderInput(phone: string): NewOrderInput {
  return {
    phone,
    country: 'NO',
    amount: 24_900,
    currency: 'NOK',
    linkLifetimeHours: 24,
    delivery: 'sms',
  };
}

/** The folder every benchmark works in (removed at the end). */
export function benchRoot(): string {
  return mkdtempSync(join(tmpdir(), 'paylink-bench-'));
}

export function subDir(root: string, name: string): string {
  const d = join(root, name);
  mkdirSync(d, { recursive: true });
  return d;
}

/** Counts calls in flight per method (the highest number seen tells the real concurrency). */
export interface CallMeter {
  inFlight: number;
  maxInFlight: Record<string, number>;
  calls: Record<string, number>;
}

/** The real Dintero client (got) against the simulator, wrapped in a call meter. */
export function simulatorClient(sim: Simulator): { client: DinteroClient; meter: CallMeter } {
  const inner = createDinteroClient({
    apiUrl: sim.url,
    checkoutUrl: sim.url,
    credentials: () => Promise.resolve(sim.credentials),
    timeoutMs: 15_000,
    systemName: 'Paylink Desk',
    systemVersion: 'bench',
    logger,
  });
  const meter: CallMeter = { inFlight: 0, maxInFlight: {}, calls: {} };
  const running: Record<string, number> = {};
  const client = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return async (...args: unknown[]) => {
        meter.calls[prop] = (meter.calls[prop] ?? 0) + 1;
        running[prop] = (running[prop] ?? 0) + 1;
        meter.maxInFlight[prop] = Math.max(meter.maxInFlight[prop] ?? 0, running[prop]);
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          running[prop] = (running[prop] ?? 1) - 1;
        }
      };
    },
  });
  return { client, meter };
}

/** A client for an engine that is never started (nothing is sent): any call is a bug. */
export function unusedClient(): DinteroClient {
  return createDinteroClient({
    apiUrl: 'http://127.0.0.1:9',
    checkoutUrl: 'http://127.0.0.1:9',
    credentials: () => Promise.reject(new Error('bench: this engine must not call Dintero')),
    logger,
  });
}

/** Resolves when `done()` is true (checked every `everyMs`); rejects after `timeoutMs`. */
export async function waitUntil(
  done: () => boolean,
  what: string,
  timeoutMs: number,
  everyMs = 5,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
