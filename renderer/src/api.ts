/**
 * The renderer's only door to the rest of the app: `window.paylink` (built by the preload from
 * common/ipc-contract.ts). Screens get it through React context so tests can hand in a fake.
 */
import { msg } from '../../common/i18n/messages';
import { createContext, useContext } from 'react';
import type { IpcError, IpcResult, PaylinkApi } from '../../common/ipc-contract';
import { i18n } from './i18n';

declare global {
  interface Window {
    /** Exposed by the preload (or the loopback browser bridge); absent in a plain browser. */
    paylink?: PaylinkApi;
  }
}

export const ApiContext = createContext<PaylinkApi | null>(null);

/** The PaylinkApi for this tree; throws if a screen is rendered outside <App>. */
export function useApi(): PaylinkApi {
  const api = useContext(ApiContext);
  if (api === null) throw new Error('useApi outside ApiContext');
  return api;
}

/**
 * Turns a call that could also reject (a broken bridge) into an IpcResult, so screens only
 * ever handle one shape of failure; its message is the catalog's, in the screen's language
 * (the rejection's own text is for developers, not for the desk).
 */
export async function settle<T>(p: Promise<IpcResult<T>>): Promise<IpcResult<T>> {
  try {
    return await p;
  } catch {
    const text = msg('app.noBridge');
    const error: IpcError = {
      code: 'internal',
      message: i18n.t('app.noBridge'),
      text,
    };
    return { ok: false, error };
  }
}
