/**
 * Browser side of the loopback bridge (development and tests only, never packaged): gives the
 * page the same `window.paylink` object the preload gives it in Electron, over HTTP (calls)
 * and Server-Sent Events (events). The per-run secret comes from the script tag's
 * `data-token`, which the preview server writes into the page it serves.
 */
import { EVENT_NAMES, createPaylinkApi, type PaylinkTransport } from '../../common/paylink-api';
import type { EventName, IpcResult } from '../../common/ipc-contract';

const script = document.currentScript as HTMLScriptElement | null;
const token = script?.dataset.token ?? '';

const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
const source = new EventSource(`/__paylink/events?token=${encodeURIComponent(token)}`);
for (const name of EVENT_NAMES) {
  source.addEventListener(name, (e: MessageEvent<string>) => {
    const payload: unknown = JSON.parse(e.data);
    for (const l of listeners.get(name) ?? []) l(payload);
  });
}

const transport: PaylinkTransport = {
  async invoke(channel, input) {
    try {
      const res = await fetch('/__paylink/invoke', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-paylink-token': token },
        body: JSON.stringify({ channel, input: input ?? null }),
      });
      return (await res.json()) as IpcResult<unknown>;
    } catch {
      return {
        ok: false,
        error: {
          code: 'internal',
          message: 'The preview server is not answering.',
          text: { key: 'error.noAnswer' },
        },
      };
    }
  },
  subscribe(event, listener) {
    if (!EVENT_NAMES.includes(event)) throw new Error('Unknown event');
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => {
      set.delete(listener);
    };
  },
};

Object.defineProperty(window, 'paylink', {
  value: Object.freeze(createPaylinkApi(transport)),
  writable: false,
  configurable: false,
});
