/**
 * A "process" view of the shared fake Dintero: when killed, every call in flight or made later
 * never answers, as if the process that made it had died. Lets a test stop an engine at any
 * step of a call (before it reaches Dintero, after Dintero did the work but before the answer
 * arrived) and start a new engine on the same data folder.
 */
import type { DinteroClient } from '../../../main/dintero/types';
import type { MemoryDintero } from '../../support/memory-dintero';

export type Phase = 'before' | 'after';

/** A killable connection to `fake`; `hook` runs before and after each call. */
export function connection(
  fake: MemoryDintero,
  hook?: (method: string, phase: Phase) => void,
): { client: DinteroClient; kill(): void; readonly killed: boolean } {
  let killed = false;
  const never = new Promise<never>(() => undefined);
  const client = new Proxy<DinteroClient>(fake, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (killed) return never;
        hook?.(String(prop), 'before');
        if (killed) return never;
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        hook?.(String(prop), 'after');
        if (killed) return never;
        return result;
      };
    },
  });
  return {
    client,
    kill: () => {
      killed = true;
    },
    get killed() {
      return killed;
    },
  };
}
