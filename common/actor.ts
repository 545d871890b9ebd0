/**
 * Who did something: the desk (its terminal name from Settings) and, when staff chose their
 * name at the desk, the person. Both travel as one string through main (the journal's
 * `actor` and `created_by` columns, the operations' `actor`), the person first, joined by
 * the ASCII unit separator. Neither part can contain it: names and terminal names refuse
 * control characters (common/hidden-characters), so the split is never ambiguous. A string
 * without the separator is a desk alone (every line journaled before staff names existed),
 * or one of the fixed actors `system` and `dintero`.
 */

import { msg, type NestedParam } from './i18n/messages';

const SEPARATOR = '\u001f';

/** Actors that are not a desk: said in the reader's language (catalog `actor.*`). */
const FIXED_ACTORS = ['system', 'dintero', 'customer'];

/** The two parts of an actor. */
export interface ActorParts {
  desk: string;
  staff?: string;
}

/** The actor string for a desk and, when one is at it, a person. */
export function actorOf(desk: string, staff?: string): string {
  return staff ? `${staff}${SEPARATOR}${desk}` : desk;
}

/** The desk and the person of an actor string (the inverse of {@link actorOf}). */
export function actorParts(actor: string): ActorParts {
  const at = actor.indexOf(SEPARATOR);
  return at < 0 ? { desk: actor } : { staff: actor.slice(0, at), desk: actor.slice(at + 1) };
}

/**
 * An actor as a message parameter: "Anna · Desk 1", the desk alone, or a fixed actor's
 * word ("Paylink Desk", "Dintero"), each said in the reader's language.
 */
export function actorParam(actor: string): string | NestedParam {
  if (FIXED_ACTORS.includes(actor)) return { text: msg(`actor.${actor}`) };
  const { desk, staff } = actorParts(actor);
  return staff ? { text: msg('actor.staffAtDesk', { staff, desk }) } : desk;
}
