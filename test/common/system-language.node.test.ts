/**
 * The first start's language, from what the computer says it speaks: Norwegian in any form
 * reads Norsk bokmål, Swedish Svenska, Danish Dansk, anything else English.
 */
import { describe, expect, it } from 'vitest';
import { languageFromEnvironment, languageFromTags } from '../../common/i18n';

describe('system language', () => {
  it.each([
    [['nb-NO'], 'nb'],
    [['nn-NO'], 'nb'],
    [['no'], 'nb'],
    [['sv-SE'], 'sv'],
    [['sv-FI'], 'sv'],
    [['da'], 'da'],
    [['en-US'], 'en'],
    [['de-DE'], 'en'],
    [['de-DE', 'da-DK'], 'da'],
    [['en-GB', 'nb-NO'], 'en'],
    [[], 'en'],
  ] as const)('%j → %s', (tags, language) => {
    expect(languageFromTags(tags)).toBe(language);
  });

  it('reads LANGUAGE, LC_ALL, LC_MESSAGES and LANG, then the fallback tag', () => {
    expect(languageFromEnvironment({ LANG: 'sv_SE.UTF-8' })).toBe('sv');
    expect(languageFromEnvironment({ LANG: 'nn_NO.UTF-8' })).toBe('nb');
    expect(languageFromEnvironment({ LANGUAGE: 'da:en', LANG: 'en_US.UTF-8' })).toBe('da');
    expect(languageFromEnvironment({ LC_ALL: 'nb_NO.UTF-8', LANG: 'en_US.UTF-8' })).toBe('nb');
    expect(languageFromEnvironment({ LANG: 'de_DE.UTF-8' }, 'sv-SE')).toBe('en');
    expect(languageFromEnvironment({ LANG: 'C.UTF-8' }, 'da-DK')).toBe('da');
    expect(languageFromEnvironment({ LANG: 'POSIX' }, 'en-US')).toBe('en');
    expect(languageFromEnvironment({}, 'nb-NO')).toBe('nb');
    expect(languageFromEnvironment({})).toBe('en');
  });
});
