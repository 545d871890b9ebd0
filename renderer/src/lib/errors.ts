/** Turning IPC errors into what a screen shows. */
import { translate } from '../../../common/i18n';
import { i18n } from '../i18n';
import type { IpcError } from '../../../common/ipc-contract';
import { errorText } from './text';

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
    const words = translate(i18n, message);
    if (known(path)) fields[path] = words;
    else rest.push(words);
  }
  const general =
    Object.keys(fields).length === 0 || rest.length > 0
      ? [Object.keys(fields).length === 0 ? errorText(error) : '', ...rest]
          .filter(Boolean)
          .join(' ')
      : undefined;
  return { fields, ...(general ? { general } : {}) };
}
