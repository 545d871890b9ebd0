/**
 * The screens' side of common/hidden-characters: the same check main runs on names, notes,
 * descriptions, refund reasons and settings text, said in the screen's language and naming the
 * field, so staff see the problem before anything is sent.
 */
import type { TFunction } from 'i18next';
import {
  findHiddenCharacter,
  type HiddenCharacter,
  type HiddenCharacterOptions,
} from '../../../common/hidden-characters';
import { en, type Translation } from '../../../common/i18n/en';

/** The free-text fields the catalogs can name. */
export type HiddenTextField = keyof Translation['hiddenText']['field'];

/** True for a field the catalogs can name (settings keys, entry fields, the refund reason). */
export function isHiddenTextField(key: string): key is HiddenTextField {
  return Object.prototype.hasOwnProperty.call(en.hiddenText.field, key);
}

const KINDS: readonly string[] = ['control', 'line_break', 'direction', 'invisible'];

/**
 * The hidden character a zod issue from the contract's schemas reports (its `params`, set by
 * the contract's check), or undefined for any other issue.
 */
export function hiddenCharacterOfIssue(issue: object): HiddenCharacter | undefined {
  if (!('code' in issue) || issue.code !== 'custom' || !('params' in issue)) return undefined;
  const params = issue.params as { hiddenCharacter?: unknown; codePoint?: unknown } | undefined;
  const kind = params?.hiddenCharacter;
  const codePoint = params?.codePoint;
  if (typeof kind !== 'string' || !KINDS.includes(kind) || typeof codePoint !== 'string') {
    return undefined;
  }
  return { kind: kind as HiddenCharacter['kind'], codePoint };
}

/** The catalog message for a hidden character found in `field`. */
export function hiddenTextMessage(
  t: TFunction,
  field: HiddenTextField,
  found: Pick<HiddenCharacter, 'kind' | 'codePoint'>,
): string {
  return t(`hiddenText.${found.kind}`, {
    field: t(`hiddenText.field.${field}`),
    code: found.codePoint,
  });
}

/**
 * Checks the text of `field` as main will (after trimming): undefined when it shows what it
 * holds, else the message in the screen's language.
 */
export function hiddenTextProblem(
  t: TFunction,
  field: HiddenTextField,
  text: string,
  opts: HiddenCharacterOptions = {},
): string | undefined {
  const found = findHiddenCharacter(text.trim(), opts);
  return found === undefined ? undefined : hiddenTextMessage(t, field, found);
}
