/**
 * Shared plumbing of the reliability battery: temp folders under one root per file (removed
 * in afterAll), a seeded PRNG, bounded waiting, engine settings and order inputs, and the
 * one summary line every part prints (`<name>: N passed, N failed`).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { NewOrderInput } from '../../../common/ipc-contract';
import type { EngineSettings, EngineTiming } from '../../../main/orders/engine-types';
/** The battery's seeded PRNG (every run draws the same sequences). */
export { prng } from '../../support/prng';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '..', '..', '..');

/** Every temp folder of the battery lives under a folder whose name starts with this. */
export const TEMP_PREFIX = 'paylink-rel-';

/** A temp root for one test file, with named sub-folders; `cleanup()` removes it all. */
export interface TempRoot {
  readonly path: string;
  /** A new empty folder `<root>/<name>-<n>`. */
  dir(name: string): string;
  /**
   * Removes the root; again a moment later, because a file logger may still flush a last line
   * (and recreate its file) after the services that used it were closed.
   */
  cleanup(): Promise<void>;
}

/**
 * Creates a temp root. `fast` puts it on /dev/shm (tmpfs) when there is one: for tests that
 * simulate crashes inside one process, where fsync buys nothing and costs a lot of time.
 */
export function tempRoot(name: string, opts: { fast?: boolean } = {}): TempRoot {
  const base = opts.fast && canUse('/dev/shm') ? '/dev/shm' : tmpdir();
  const path = mkdtempSync(join(base, `${TEMP_PREFIX}${name}-`));
  let n = 0;
  return {
    path,
    dir(sub: string) {
      const d = join(path, `${sub}-${++n}`);
      mkdirSync(d, { recursive: true });
      return d;
    },
    async cleanup() {
      if (process.env.PAYLINK_REL_KEEP) {
        console.log(`(kept ${path})`);
        return;
      }
      rmSync(path, { recursive: true, force: true });
      await sleep(300);
      rmSync(path, { recursive: true, force: true });
    },
  };
}

function canUse(dir: string): boolean {
  try {
    const probe = mkdtempSync(join(dir, `${TEMP_PREFIX}probe-`));
    rmSync(probe, { recursive: true, force: true });
    return true;
  } catch {
    return false;
  }
}

/** A whole number in [min, max] from `random`. */
export function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `check` every `intervalMs` until it returns a truthy value or `timeoutMs` passes;
 * then throws naming `what` (and the last value `describe` gives, if any).
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  opts: { timeoutMs: number; intervalMs?: number; what: string; describe?: () => string },
): Promise<NonNullable<T>> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${opts.timeoutMs} ms waiting for ${opts.what}` +
          (opts.describe ? ` (${opts.describe()})` : ''),
      );
    }
    await sleep(opts.intervalMs ?? 10);
  }
}

/** Engine settings for the battery (terminal name sets the reference prefix). */
export function engineSettings(terminalName = 'REL'): EngineSettings {
  return {
    profileId: 'P00000000.default',
    returnUrl: 'https://shop.example/thanks',
    storeId: 'oslo-1',
    terminalName,
    deskId: 'RE11AB',
    maxOrderAmount: 100_000,
    notifications: {
      paid: true,
      declined: true,
      expired: true,
      authorizationLapsing: true,
      lapseWarningDays: 5,
    },
    customerDataDays: 90,
  };
}

/** Fast engine timing for tests that run on real timers. */
export const FAST_TIMING: Partial<EngineTiming> = {
  pollFastMs: 30,
  pollSlowMs: 60,
  backoffBaseMs: 10,
  backoffMaxMs: 100,
  probeMs: 30,
  reconcileDelayMs: 50,
  // "Absent" believed after 3 empty reads over 300 ms: longer than the lag most of these
  // tests set (lagged-answers, whose events lag 300 ms, widens it).
  absenceWindowMs: 300,
  absenceReads: 3,
  stopTimeoutMs: 2000,
};

/** The i-th distinct valid Norwegian mobile, as staff would type it (8 digits, no prefix). */
export function phoneNo(i: number): string {
  return `4${String(1_000_000 + i).padStart(7, '0')}`;
}

/** Its E.164 form. */
export const e164No = (i: number): string => `+47${phoneNo(i)}`;

/** A valid order input for the i-th customer (distinct phone and amount). */
export function orderInput(i: number, over: Partial<NewOrderInput> = {}): NewOrderInput {
  return {
    phone: phoneNo(i),
    country: 'NO',
    amount: 10_000 + i,
    currency: 'NOK',
    linkLifetimeHours: 24,
    delivery: 'sms',
    allowDuplicate: true,
    ...over,
  };
}

/** Prints the one summary line a CI log is grepped for, and returns it. */
export function summary(name: string, passed: number, failed: number): string {
  const line = `${name}: ${passed} passed, ${failed} failed`;
  console.log(line);
  return line;
}

/** Formats a duration for the human-readable lines. */
export const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
