/**
 * Which of the desk's languages the computer itself speaks, for the first start (before anyone
 * has chosen one in Settings). Pure string work on language tags: the Electron shell passes
 * the OS's preferred languages, the browser preview its environment (LANG and friends, or
 * Intl's default locale).
 */
import { LANGUAGES, type Language } from '../domain';

/** Norwegian in any written form (bokmål, nynorsk, the bare macro tag) reads Norsk bokmål. */
const ALIASES: Readonly<Record<string, Language>> = { no: 'nb', nn: 'nb' };

/**
 * The desk language of one language tag ("nb-NO", "sv_SE.UTF-8", "da", "nn"), or undefined
 * when the tag is none of them (German, "C", "POSIX", empty).
 */
export function languageOfTag(tag: string): Language | undefined {
  const primary =
    tag
      .trim()
      .toLowerCase()
      .split(/[-_.@]/)[0] ?? '';
  if ((LANGUAGES as readonly string[]).includes(primary)) return primary as Language;
  return ALIASES[primary];
}

/**
 * The first of `tags` (most preferred first) that is a desk language; English when none is.
 * So a computer set to Swedish starts in Svenska, one set to German then Danish starts in
 * Dansk, and one set to German alone in English.
 */
export function languageFromTags(tags: readonly (string | undefined)[]): Language {
  for (const tag of tags) {
    const language = tag === undefined ? undefined : languageOfTag(tag);
    if (language !== undefined) return language;
  }
  return 'en';
}

/**
 * The desk language a POSIX environment asks for: LANGUAGE (a colon-separated list), then
 * LC_ALL, LC_MESSAGES and LANG, as gettext reads them; when none of those names a language
 * (unset, "C", "POSIX"), the `fallback` tag (Intl's default locale in the preview).
 */
export function languageFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  fallback?: string,
): Language {
  const named = [...(env.LANGUAGE ?? '').split(':'), env.LC_ALL, env.LC_MESSAGES, env.LANG].filter(
    (t): t is string => t !== undefined && !/^(|c|posix)([._@].*)?$/i.test(t.trim()),
  );
  return languageFromTags(named.length > 0 ? named : [fallback]);
}
