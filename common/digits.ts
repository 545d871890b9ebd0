/**
 * Digits in amounts and phone numbers: only ASCII 0–9 count. Unicode NFKC is too broad for
 * that: it also turns superscripts (²), subscripts (₂), circled (①), parenthesised (⑴),
 * full-stop (⒈) and mathematical (𝟙) digits into ordinary ones, so "1²99" would be read as
 * 1299 while the screen shows something else. Only the full-width forms a CJK keyboard types
 * (U+FF01–FF5E: `０-９`, `＋`, `－`, `．`, `，`, …) and the ideographic space (U+3000) are turned
 * into their ASCII twins; every other number character (`\p{N}` outside 0–9, Arabic-Indic and
 * other scripts' decimal digits included) is refused by the parsers with {@link UNUSUAL_DIGIT_MESSAGE}.
 *
 * Also here: the direction controls that force text right-to-left. Invisible marks pasted with
 * a number (zero-width space, LRM, the LRO/PDF pair phones wrap copied numbers in) cannot change
 * how digits show, and the parsers drop them; a right-to-left mark, embedding, override or
 * isolate can show "1 299" as "299 1", so the parsers refuse those.
 */

const FULL_WIDTH = /[\uFF01-\uFF5E]/g;
const FULL_WIDTH_OFFSET = 0xfee0;

/** Full-width ASCII forms (U+FF01–FF5E) to ASCII, the ideographic space to a space; nothing else. */
export function normaliseWidth(text: string): string {
  return text
    .replace(FULL_WIDTH, (ch) => String.fromCharCode(ch.charCodeAt(0) - FULL_WIDTH_OFFSET))
    .replace(/\u3000/g, ' ');
}

const UNUSUAL_DIGIT = /(?![0-9])\p{N}/u;

/**
 * True when `text` holds a number character other than ASCII 0–9: superscript, subscript,
 * circled, parenthesised, mathematical, fraction, Roman numeral, or another script's digit.
 * Call it after {@link normaliseWidth} (full-width digits are accepted, as ASCII).
 */
export function hasUnusualDigit(text: string): boolean {
  return UNUSUAL_DIGIT.test(text);
}

/** What the parsers say about such a digit (never repeating the input). */
export const UNUSUAL_DIGIT_MESSAGE =
  'Use ordinary digits 0–9. This has a digit written another way (raised, lowered, circled, styled, or from another script).';

const RIGHT_TO_LEFT = /[\u200F\u061C\u202B\u202E\u2067]/u;

/**
 * True when `text` holds a control that forces right-to-left display (RLM, ALM, RLE, RLO,
 * RLI), which can reorder how the groups of a number show without changing what is parsed.
 */
export function hasRightToLeftControl(text: string): boolean {
  return RIGHT_TO_LEFT.test(text);
}

/** What the parsers say about a right-to-left control. */
export const RIGHT_TO_LEFT_MESSAGE =
  'This holds a hidden character that changes the direction of the text, so it could show differently from what it is. Type it again instead of pasting it.';
