/**
 * Characters that make typed text show differently from what it holds. Names, notes, line
 * descriptions, refund reasons, terminal names, store ids and the other free text a person types
 * are stored, shown to other staff and sent to Dintero (and from there to the customer's phone),
 * so they must read the way they look:
 *
 * - control characters (C0, DEL, C1), including tabs; line breaks except in a multi-line field
 *   (the order note), where `\n` and `\r` are allowed and the Unicode line/paragraph
 *   separators (U+2028, U+2029) are not;
 * - bidirectional controls (U+202A–202E, U+2066–2069, U+200E, U+200F, U+061C): an override
 *   turns "Refund 100" into "001 dnufeR" on screen while the text still says "Refund 100";
 * - every other Unicode format character (`\p{Cf}`): zero-width space/joiners (U+200B–200D),
 *   word joiner (U+2060), byte-order mark (U+FEFF), soft hyphen, invisible operators, tag
 *   characters (U+E0000–E007F, which can carry a whole hidden sentence).
 *
 * They are refused, never silently removed: the person is told which field and retypes it.
 * Pure TypeScript (main and renderer share it; main runs it again on everything it receives).
 */

/** What kind of hidden character a text holds; stable codes for tests and the screen. */
import { msg, type Message } from './i18n/messages';

export type HiddenCharacterKind = 'control' | 'line_break' | 'direction' | 'invisible';

/** The first hidden character found: its kind and its code point written `U+202E`. */
export interface HiddenCharacter {
  kind: HiddenCharacterKind;
  codePoint: string;
}

/** Options for {@link findHiddenCharacter}. */
export interface HiddenCharacterOptions {
  /** The field is multi-line (the order note): `\n` and `\r` are allowed. */
  multiline?: boolean;
}

const DIRECTION = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
const LINE_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/u;
const HIDDEN = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

function codePointOf(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function kindOf(ch: string): HiddenCharacterKind {
  if (DIRECTION.test(ch)) return 'direction';
  if (LINE_BREAK.test(ch)) return 'line_break';
  if (/\p{Cc}/u.test(ch)) return 'control';
  return 'invisible';
}

/**
 * The first control, line-break (single-line fields), direction or invisible format character
 * in `text`, or undefined when the text shows exactly what it holds. Ordinary spaces, no-break
 * spaces, letters of every script, emoji without joiners and punctuation are all fine.
 */
export function findHiddenCharacter(
  text: string,
  opts: HiddenCharacterOptions = {},
): HiddenCharacter | undefined {
  for (const ch of text) {
    if (!HIDDEN.test(ch)) continue;
    if (opts.multiline === true && (ch === '\n' || ch === '\r')) continue;
    return { kind: kindOf(ch), codePoint: codePointOf(ch) };
  }
  return undefined;
}

/**
 * The English message for a hidden character in a field, naming the field (`fieldName` is the
 * field as a subject, e.g. "The customer name") and the code point, never the text itself.
 */
export function hiddenCharacterMessage(fieldName: string, found: HiddenCharacter): string {
  switch (found.kind) {
    case 'direction':
      return `${fieldName} contains a hidden character that changes the direction of the text (${found.codePoint}), so it could show differently from what it says. Type it again instead of pasting it.`;
    case 'line_break':
      return `${fieldName} must be on one line. Remove the line break (${found.codePoint}).`;
    case 'control':
      return `${fieldName} contains a control character (${found.codePoint}) that does not show on screen. Type it again instead of pasting it.`;
    case 'invisible':
      return `${fieldName} contains an invisible character (${found.codePoint}). Type it again instead of pasting it.`;
  }
}

/**
 * Checks one free-text field: undefined when it is fine, else the English message naming the
 * field. Main and the screens call this (or the zod refinement built on it) for the same fields.
 */
export function plainTextProblem(
  text: string,
  fieldName: string,
  opts: HiddenCharacterOptions = {},
): string | undefined {
  const found = findHiddenCharacter(text, opts);
  return found === undefined ? undefined : hiddenCharacterMessage(fieldName, found);
}

/**
 * The catalog message for a hidden character in `field` (a key of the catalogs'
 * `hiddenText.field`, e.g. "customerName"), naming the code point, never the text itself.
 */
export function hiddenCharacterText(field: string, found: HiddenCharacter): Message {
  return msg(`hiddenText.${found.kind}`, {
    field: { text: msg(`hiddenText.field.${field}`) },
    code: found.codePoint,
  });
}

/** Checks one free-text field: undefined when fine, else the catalog message naming it. */
export function plainTextIssue(
  text: string,
  field: string,
  opts: HiddenCharacterOptions = {},
): Message | undefined {
  const found = findHiddenCharacter(text, opts);
  return found === undefined ? undefined : hiddenCharacterText(field, found);
}
