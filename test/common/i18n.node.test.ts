import { describe, expect, it } from 'vitest';
import { createTranslator, msg } from '../../common/i18n';

describe('shared catalogs', () => {
  it('main translates a message in the desk language, money formatted for its locale', () => {
    const tr = createTranslator('en');
    const m = msg('statusBar.queued', { count: 2 });
    const english = tr.t(m);
    tr.setLanguage('nb');
    expect(tr.language).toBe('nb');
    expect(tr.t(m)).not.toBe(english);
  });
});
