/**
 * The four catalogs and what goes with a language (its own name, its locale), without i18next:
 * the main process's early paths (the "folder in use" dialog) read words from here before
 * anything else starts.
 */
import type { Language } from '../domain';
import { da } from './da';
import { en } from './en';
import { nb } from './nb';
import { sv } from './sv';

/** Every catalog, by language. */
export const CATALOGS = { en, nb, sv, da } as const satisfies Record<Language, unknown>;

/**
 * Each language's name in that language, as Settings → Language offers it whatever the screen's
 * language: a person who cannot read the current one still finds their own.
 */
export const LANGUAGE_NAMES = {
  en: 'English',
  nb: 'Norsk bokmål',
  sv: 'Svenska',
  da: 'Dansk',
} as const satisfies Record<Language, string>;

const LOCALES = {
  en: 'en-GB',
  nb: 'nb-NO',
  sv: 'sv-SE',
  da: 'da-DK',
} as const satisfies Record<Language, string>;

/**
 * BCP 47 locale used for Intl number, money and date formatting per language ("1 299,50 kr" in
 * Norsk bokmål); en-GB for anything else.
 */
export function localeFor(language: string): string {
  const primary = language.toLowerCase().split(/[-_]/)[0] ?? '';
  return primary in LOCALES ? LOCALES[primary as Language] : LOCALES.en;
}
