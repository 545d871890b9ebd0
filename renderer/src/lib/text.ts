/**
 * Words from main: main sends catalog messages (key + parameters), never sentences; these
 * helpers turn them into the current language on the screen (re-rendering when it changes).
 */
import { useTranslation } from 'react-i18next';
import { actorParam } from '../../../common/actor';
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

/**
 * Who did something, in the current language: "Anna · Desk 1", the desk alone, or a fixed
 * actor's word ("Paylink Desk", "Dintero"). A hook: re-renders when the language changes.
 */
export function useActorText(): (actor: string) => string {
  const text = useText();
  return (actor) => {
    const p = actorParam(actor);
    return typeof p === 'string' ? p : text(p.text);
  };
}
