/**
 * Words from main: main sends catalog messages (key + parameters), never sentences; these
 * helpers turn them into the current language on the screen (re-rendering when it changes).
 */
import { useTranslation } from 'react-i18next';
import { translate, type Message } from '../../../common/i18n';
import type { IpcError } from '../../../common/ipc-contract';
import { i18n } from '../i18n';

/** A function that shows a Message in the current language (a hook: re-renders on change). */
export function useText(): (m: Message) => string {
  const { i18n: current } = useTranslation();
  return (m) => translate(current, m);
}

/** A message's words in the current language (outside React: stores, callbacks). */
export function errorWords(m: Message): string {
  return translate(i18n, m);
}

/** An IPC error's words in the current language (outside React: stores, callbacks). */
export function errorText(error: IpcError): string {
  return translate(i18n, error.text);
}
