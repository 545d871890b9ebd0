/**
 * The language catalogs and one way to use them, shared by the screen and the main process:
 * every word a person reads comes from here, in the language the desk chose.
 */
import i18next, { type i18n as I18n } from 'i18next';
import type { Language } from '../domain';
import { CATALOGS, localeFor } from './catalogs';
import { formatParams, type Message } from './messages';

export * from './catalogs';
export * from './messages';
export * from './system-language';

/** i18next options every instance uses (bundled catalogs, synchronous init, no escaping: React and native dialogs escape themselves). */
export function i18nOptions(language: Language) {
  return {
    resources: Object.fromEntries(
      Object.entries(CATALOGS).map(([lng, translation]) => [lng, { translation }]),
    ),
    lng: language,
    fallbackLng: 'en',
    supportedLngs: Object.keys(CATALOGS),
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  } as const;
}

/** The words of a Message in `i18n`'s current language. */
export function translate(i18n: Pick<I18n, 't' | 'language'>, m: Message): string {
  // Keys arrive as data (from main, over IPC), so the typed-key overloads cannot apply.
  const t = i18n.t as unknown as (key: string, params: Record<string, string | number>) => string;
  return t(
    m.key,
    formatParams(m.params, localeFor(i18n.language), (inner) => translate(i18n, inner)),
  );
}

/**
 * A translator for the main process (notifications, tray, dialogs): its own i18next
 * instance, switched with the desk's language.
 */
export function createTranslator(language: Language): {
  t: (m: Message) => string;
  setLanguage: (language: Language) => void;
  readonly language: Language;
} {
  const i18n = i18next.createInstance();
  void i18n.init(i18nOptions(language));
  return {
    t: (m) => translate(i18n, m),
    setLanguage: (l) => {
      if (i18n.language !== l) void i18n.changeLanguage(l);
    },
    get language() {
      return i18n.language as Language;
    },
  };
}

let englishTranslator: ReturnType<typeof createTranslator> | undefined;

/** The English words of a message: for logs, Error.message and tests, never for the screen. */
export function english(m: Message): string {
  englishTranslator ??= createTranslator('en');
  return englishTranslator.t(m);
}
