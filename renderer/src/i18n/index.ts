/**
 * The renderer's one i18next instance, initialised synchronously with every catalog bundled
 * (no network: the CSP allows none). English is the default and the e2e suite's language.
 * The catalogs and their helpers live in common/i18n, shared with the main process.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../../common/domain';
import type { en } from '../../../common/i18n/en';
import { i18nOptions } from '../../../common/i18n';

export { localeFor } from '../../../common/i18n';

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init(i18nOptions('en'));

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
