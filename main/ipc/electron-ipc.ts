/**
 * Serves the handler table over Electron IPC. Every channel goes through `dispatch` (schema
 * validation, typed errors) after the sender is checked: only the app's own top-level page may
 * call, never an iframe or a page that navigated elsewhere.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { channels } from '../../common/ipc-contract';
import type { Logger } from '../log';
import { dispatch, type CallContext, type HandlerTable } from './dispatch';

export interface IpcOptions {
  /** True when the calling frame's URL is the app's own page. */
  isTrustedUrl: (url: string) => boolean;
  context: () => CallContext;
  logger?: Logger;
}

/** True when the call comes from a trusted top-level frame. */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  opts: Pick<IpcOptions, 'isTrustedUrl'>,
): boolean {
  const frame = event.senderFrame;
  return !!frame && frame.parent === null && opts.isTrustedUrl(frame.url);
}

/**
 * Serves the handler table on Electron's own ipcMain: the one place the main process touches
 * raw IPC (main/index.ts calls this). Electron is loaded when called, so this module stays
 * importable in plain Node, where tests hand registerIpc a recording `ipcMain` of their own.
 */
export async function serveElectronIpc(table: HandlerTable, opts: IpcOptions): Promise<void> {
  const { ipcMain } = await import('electron');
  registerIpc(ipcMain, table, opts);
}

/** Registers one ipcMain.handle per contract channel. */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  table: HandlerTable,
  opts: IpcOptions,
): void {
  for (const channel of Object.keys(channels)) {
    ipcMain.handle(channel, async (event, input: unknown) => {
      if (!isTrustedSender(event, opts)) {
        opts.logger?.warn({ channel }, 'IPC call from an untrusted frame refused');
        return { ok: false, error: { code: 'forbidden_sender', message: 'Request refused.' } };
      }
      return dispatch(table, channel, input, opts.context(), opts.logger);
    });
  }
}
