/** Turning IPC errors into what a screen shows. */
import type { IpcError } from '../../../common/ipc-contract';

/**
 * Splits an IpcError into messages per known field and one general message for the rest.
 * Field paths are the contract's (`phone`, `amount`, `items.0.unitPrice`, ...).
 */
export function splitFieldErrors(
  error: IpcError,
  known: (path: string) => boolean,
): { fields: Record<string, string>; general?: string } {
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const [path, message] of Object.entries(error.fields ?? {})) {
    if (known(path)) fields[path] = message;
    else rest.push(message);
  }
  const general =
    Object.keys(fields).length === 0 || rest.length > 0
      ? [Object.keys(fields).length === 0 ? error.message : '', ...rest].filter(Boolean).join(' ')
      : undefined;
  return { fields, ...(general ? { general } : {}) };
}
