/**
 * The words a person reads when a data folder is already in use: from the renderer's catalogs
 * (the one home of on-screen text), in the desk's language, for the shell's error dialog and
 * the preview's stderr. Main has no i18next; the one placeholder is filled in here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES, type Language } from '../common/domain';
import { CATALOGS } from '../common/i18n/catalogs';

/** Title and message for the "data folder in use" dialog, naming the folder. */
export function folderInUseText(
  folder: string,
  language: Language,
): { title: string; message: string } {
  const app = CATALOGS[language].app;
  return {
    title: app.folderInUseTitle,
    message: app.folderInUse.replace('{{folder}}', folder),
  };
}

/**
 * The language saved in the folder's settings, read without opening the settings store (a
 * refused process must not create or change anything there); English when unreadable.
 * (`settings.json` is SETTINGS_FILE of settings.ts, which is not imported to keep conf out.)
 */
export function folderLanguage(dataDir: string): Language {
  try {
    const saved = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as unknown;
    const language = (saved as { language?: unknown } | null)?.language;
    return LANGUAGES.find((l) => l === language) ?? 'en';
  } catch {
    return 'en';
  }
}
