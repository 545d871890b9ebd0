import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../common/domain';
import { createTranslator } from '../../common/i18n';
import {
  NOTIFICATION_ACTIONS,
  quitQuestion,
  START_FAILED,
  TRAY_MENU,
  trayStatus,
} from '../../main/shell-text';

describe('the shell speaks the desk language (tray, quit dialog, notification buttons)', () => {
  it('every word of the tray and the dialogs reads in every language, counts plural', () => {
    const said = new Map<string, string[]>();
    for (const language of LANGUAGES) {
      const { t } = createTranslator(language);
      const q = quitQuestion(3);
      const words = [
        t(trayStatus({ queueLength: 1, online: true, mode: 'live' })),
        t(trayStatus({ queueLength: 3, online: false, mode: 'training' })),
        t(TRAY_MENU.open),
        t(TRAY_MENU.quit),
        t(q.message),
        t(q.detail),
        ...q.buttons.map(t),
        t(START_FAILED.title),
        t(START_FAILED.seeLog),
        t(NOTIFICATION_ACTIONS.capture),
        t(NOTIFICATION_ACTIONS.open),
      ];
      for (const w of words) {
        expect(w, language).not.toMatch(/^(tray|dialog|notify)\./);
        expect(w, language).not.toContain('{{');
      }
      said.set(language, words);
    }
    const en = said.get('en')!;
    expect(en.slice(0, 2)).toEqual(['1 order queued', '3 orders queued (offline) — training']);
    expect(en[4]).toBe('3 orders are still waiting to be sent.');
    for (const language of LANGUAGES.filter((l) => l !== 'en')) {
      // The menu and the question are the desk's own words in each language.
      expect(said.get(language)![3]).not.toBe(en[3]);
      expect(said.get(language)![4]).not.toBe(en[4]);
    }
  });
});
