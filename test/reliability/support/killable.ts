import type { DinteroClient } from '../../../main/dintero/types';

/**
 * A killable view of a client, one per engine "process": once killed, every call in flight or
 * made later never answers (the process that made it is gone).
 */
export function killable(target: DinteroClient): { client: DinteroClient; kill(): void } {
  let killed = false;
  const never = new Promise<never>(() => undefined);
  const client = new Proxy(target, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (killed) return never;
        try {
          const r: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(t, args);
          return killed ? never : r;
        } catch (e) {
          if (killed) return never;
          throw e;
        }
      };
    },
  });
  return {
    client,
    kill: () => {
      killed = true;
    },
  };
}
