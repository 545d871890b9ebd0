/**
 * The four catalogs stay whole: every language has exactly English's keys, says each thing in
 * its own words (a short list of words that are the same in every language aside), keeps the
 * same placeholders, and counts with i18next's plural forms in its own locale.
 */
import { flattenCatalog as flatten } from '../support/catalog-keys';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../common/domain';
import { CATALOGS, createTranslator, LANGUAGE_NAMES, localeFor, msg } from '../../common/i18n';

/** Values a translation may share with English: names and words every language here uses. */
const SAME_IN_EVERY_LANGUAGE = new Set([
  'Paylink Desk', // the product's name
  'Dintero', // the payment provider's name
  'SMS', // Norwegian writes it as English does
  'Status', // the word in Norwegian, Swedish and Danish too
  'Reference', // the Danish word
  'OK',
  'PIN', // the word in Norwegian, Swedish and Danish too
  // Payment method brands, written the same in every language.
  'Vipps',
  'Klarna',
  'Walley',
  'MobilePay',
  'Swish',
]);

const placeholders = (s: string): string[] =>
  [...s.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].map((m) => m[1]!.replace(/\s+/g, ' ')).sort();

/** What is left to translate once placeholders, digits, symbols and punctuation are gone. */
const words = (s: string): string => s.replace(/\{\{[^}]*\}\}/g, '').replace(/[^\p{L}]+/gu, '');

const english = flatten(CATALOGS.en);
const others = LANGUAGES.filter((l): l is Exclude<Language, 'en'> => l !== 'en');

/** What is wrong with a catalog next to English's, by kind (every list empty when whole). */
function problems(catalog: unknown): Record<string, string[]> {
  const own = flatten(catalog ?? {});
  return {
    missing: [...english.keys()].filter((k) => !own.has(k)),
    extra: [...own.keys()].filter((k) => !english.has(k)),
    untranslated: [...english]
      .filter(([k, en]) => own.get(k) === en)
      .filter(([, en]) => words(en) !== '' && !SAME_IN_EVERY_LANGUAGE.has(en))
      .map(([k, en]) => `${k}: ${en}`),
    placeholders: [...english]
      .filter(
        ([k, en]) => own.has(k) && placeholders(own.get(k)!).join() !== placeholders(en).join(),
      )
      .map(([k, en]) => `${k}: ${en} ≠ ${own.get(k)}`),
  };
}

describe.each(others)('catalog %s', (language) => {
  const catalog = (CATALOGS as Partial<Record<Language, unknown>>)[language];
  const found = problems(catalog);

  it('has every key of English and no other', () => {
    expect(catalog, `no catalog for ${language}`).toBeDefined();
    expect({ missing: found.missing, extra: found.extra }).toEqual({ missing: [], extra: [] });
  });

  it('says every thing in its own words, not in English', () => {
    expect(found.untranslated).toEqual([]);
  });

  it('keeps the placeholders of every English text', () => {
    expect(found.placeholders).toEqual([]);
  });

  it('counts in its own plural forms and formats numbers for its locale', () => {
    const tr = createTranslator(language);
    const own = flatten(catalog);
    const grouped = new Intl.NumberFormat(localeFor(language)).format(1234);
    expect(grouped).not.toBe('1,234');
    expect(tr.t(msg('board.count', { count: 1 }))).toBe(
      own.get('board.count_one')!.replace('{{count, number}}', '1'),
    );
    expect(tr.t(msg('board.count', { count: 1234 }))).toBe(
      own.get('board.count_other')!.replace('{{count, number}}', grouped),
    );
  });
});

describe('what goes with a language', () => {
  it('names each language in that language', () => {
    expect(LANGUAGE_NAMES).toEqual({
      en: 'English',
      nb: 'Norsk bokmål',
      sv: 'Svenska',
      da: 'Dansk',
    });
  });

  it('formats for the country the language belongs to', () => {
    expect(LANGUAGES.map((l) => localeFor(l))).toEqual(['en-GB', 'nb-NO', 'sv-SE', 'da-DK']);
    expect(localeFor('xx')).toBe('en-GB');
  });

  it('the checks catch a key missing or extra, English left in, a placeholder changed', () => {
    const { board, ...rest } = CATALOGS.nb;
    const { search: _dropped, ...boardWithoutSearch } = board;
    const broken = {
      ...rest,
      board: {
        ...boardWithoutSearch,
        heading: 'Orders', // English left in
        count_one: '{{n}} ordre', // placeholder renamed
        sorting: 'Sortering', // no such key in English
      },
      app: { ...rest.app, title: 'Paylink Desk' }, // the same in every language: fine
    };
    expect(problems(broken)).toEqual({
      missing: ['board.search'],
      extra: ['board.sorting'],
      untranslated: ['board.heading: Orders'],
      placeholders: ['board.count_one: {{count, number}} order ≠ {{n}} ordre'],
    });
  });
});
