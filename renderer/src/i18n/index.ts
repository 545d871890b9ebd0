/**
 * The renderer's one i18next instance, initialised synchronously with both languages bundled
 * (no network: the CSP allows none). English is the default and the e2e suite's language.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../../common/domain';
import { en } from './en';
import { nb } from './nb';

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, nb: { translation: nb } },
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: ['en', 'nb'],
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

/** BCP 47 locale used for Intl number, money and date formatting per language. */
export function localeFor(language: string): string {
  return language.startsWith('nb') ? 'nb-NO' : 'en-GB';
}

/** Switches the UI language at once (and the document's lang attribute). */
export function applyLanguage(language: Language): void {
  if (i18n.language !== language) void i18n.changeLanguage(language);
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}
