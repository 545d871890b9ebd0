/**
 * The preload: runs sandboxed with context isolation and gives the page exactly one object,
 * `window.paylink`, built from the IPC contract. The page never sees ipcRenderer, and it can
 * only listen to the contract's event names.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_NAMES, createPaylinkApi, type PaylinkTransport } from '../common/paylink-api';

const transport: PaylinkTransport = {
  invoke: (channel, input) => ipcRenderer.invoke(channel, input),
  subscribe: (event, listener) => {
    if (!EVENT_NAMES.includes(event)) throw new Error('Unknown event');
    const handler = (_e: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(event, handler);
    return () => {
      ipcRenderer.removeListener(event, handler);
    };
  },
};

contextBridge.exposeInMainWorld('paylink', createPaylinkApi(transport));
