/**
 * Settings through the real electron-store (electron mocked) and through conf (the preview):
 * defaults, persistence, schema rejection, and a corrupt file that is backed up, never wiped.
 */
import { english } from '../../common/i18n';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { findHiddenCharacter } from '../../common/hidden-characters';
import { languageFromTags } from '../../common/i18n/system-language';
import type { StoreFactory } from '../../main/settings';
import { HIDDEN_TEXT, PLAIN_TEXT } from '../common/fixtures/text-corpus';

const userData = mkdtempSync(join(tmpdir(), 'paylink-userdata-'));
vi.mock('electron', () => {
  const app = { getPath: () => userData, getVersion: () => '0.1.0' };
  const ipcMain = { on: () => {} };
  const shell = {};
  return { default: { app, ipcMain, shell }, app, ipcMain, shell };
});

let electronFactory: StoreFactory;
let mod: typeof import('../../main/settings');

beforeAll(async () => {
  const ElectronStore = (await import('electron-store')).default;
  electronFactory = (opts) => new ElectronStore(opts as never);
  mod = await import('../../main/settings');
});

const tmp = () => mkdtempSync(join(tmpdir(), 'paylink-settings-'));

function zodErrorOf(f: () => unknown): z.ZodError | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof z.ZodError) return e;
    throw e;
  }
  return undefined;
}

describe.each([
  ['electron-store', () => electronFactory],
  ['conf', () => mod.confStoreFactory],
])('settings via %s', (_name, factory) => {
  it('starts from defaults and persists changes to settings.json', () => {
    const dir = tmp();
    const s = new mod.SettingsStore(dir, factory());
    expect(s.get()).toEqual(mod.DEFAULT_SETTINGS);
    expect(s.warning).toBeUndefined();
    s.update({ accountId: 'P12345678', clientId: 'abc', terminalName: 'Till 2', language: 'nb' });
    const again = new mod.SettingsStore(dir, factory());
    expect(again.get()).toMatchObject({
      accountId: 'P12345678',
      terminalName: 'Till 2',
      language: 'nb',
    });
    const onDisk = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));
    expect(onDisk.accountId).toBe('P12345678');
    expect(JSON.stringify(onDisk)).not.toMatch(/secret/i);
  });

  it('a first start speaks the system language and keeps it; an existing file keeps its own', () => {
    const now = () => new Date();
    const fresh = tmp();
    const first = new mod.SettingsStore(fresh, factory(), now, languageFromTags(['nn-NO']));
    expect(first.get()).toEqual({ ...mod.DEFAULT_SETTINGS, language: 'nb' });
    // Written at once: the next start reads it from the file, whatever the system says then.
    expect(JSON.parse(readFileSync(join(fresh, 'settings.json'), 'utf8')).language).toBe('nb');
    expect(new mod.SettingsStore(fresh, factory(), now, 'da').get().language).toBe('nb');

    // A desk that has run before (its file has no language: it ran in English) stays English.
    const existing = tmp();
    writeFileSync(join(existing, 'settings.json'), JSON.stringify({ terminalName: 'Till 3' }));
    const again = new mod.SettingsStore(existing, factory(), now, languageFromTags(['sv-SE']));
    expect(again.get()).toMatchObject({ terminalName: 'Till 3', language: 'en' });

    for (const [tag, language] of [
      ['sv-SE', 'sv'],
      ['da-DK', 'da'],
      ['de-DE', 'en'],
    ] as const) {
      const dir = tmp();
      expect(
        new mod.SettingsStore(dir, factory(), now, languageFromTags([tag])).get().language,
      ).toBe(language);
    }
  });

  it('a file from before customerDataDays existed keeps working and gets the default', () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'settings.json'),
      JSON.stringify({ accountId: 'P12345678', terminalName: 'Till 4', language: 'sv' }),
    );
    const s = new mod.SettingsStore(dir, factory());
    expect(s.warning).toBeUndefined();
    expect(s.get()).toMatchObject({ accountId: 'P12345678', terminalName: 'Till 4' });
    expect(s.get().customerDataDays).toBe(90);
    expect(s.update({ customerDataDays: 30 }).customerDataDays).toBe(30);
    expect(new mod.SettingsStore(dir, factory()).get().customerDataDays).toBe(30);
    expect(() => s.update({ customerDataDays: 0 })).toThrow();
    expect(() => s.update({ customerDataDays: 3651 })).toThrow();
    expect(s.get().customerDataDays).toBe(30);
  });

  it('rejects invalid values and keeps the old ones', () => {
    const s = new mod.SettingsStore(tmp(), factory());
    expect(() => s.update({ accountId: 'X1' })).toThrow();
    expect(() => s.update({ defaultLinkLifetimeHours: 0 })).toThrow();
    expect(s.get().accountId).toBe('');
  });

  it('refuses control, direction and invisible characters in every typed text, naming the field', () => {
    const dir = tmp();
    const s = new mod.SettingsStore(dir, factory());
    s.update({ terminalName: 'Till 2', storeId: 'oslo-1' });
    const before = readFileSync(join(dir, 'settings.json'), 'utf8');
    const fields = [
      ['terminalName', 'The terminal name'],
      ['storeId', 'The store ID'],
      ['clientId', 'The client ID'],
      ['profileId', 'The payment profile ID'],
    ] as const;
    for (const [key, name] of fields) {
      for (const c of HIDDEN_TEXT) {
        const error = zodErrorOf(() => s.update({ [key]: c.text }));
        expect(error?.issues[0]?.path, `${key}: ${c.note}`).toEqual([key]);
        expect(error?.issues[0]?.message, c.note).toMatch(new RegExp(`^${name} `));
      }
    }
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(before);
    for (const t of PLAIN_TEXT) expect(s.update({ terminalName: t }).terminalName).toBe(t);

    // The URL parser drops tabs and line breaks itself; everything else is refused.
    for (const c of HIDDEN_TEXT) {
      const url = `https://shop.example/${c.text}`;
      const error = zodErrorOf(() => s.update({ returnUrl: url }));
      if (error === undefined) {
        expect(c.kind, c.note).toMatch(/control|line_break/);
        expect(findHiddenCharacter(s.get().returnUrl), c.note).toBeUndefined();
      } else {
        expect(error.issues[0]?.path, c.note).toEqual(['returnUrl']);
      }
    }
  });

  it.each([
    ['empty', ''],
    ['truncated', '{"accountId": "P1234'],
    ['garbage', '\u0000\u0001binary garbage'],
    ['wrong shape', '{"accountId": "not-an-account", "defaultCurrency": "BTC"}'],
    ['wrong version', '[1,2,3]'],
  ])(
    'a %s settings file is backed up intact and replaced by defaults with a warning',
    (_k, content) => {
      const dir = tmp();
      writeFileSync(join(dir, 'settings.json'), content);
      const s = new mod.SettingsStore(dir, factory());
      expect(s.get()).toEqual(mod.DEFAULT_SETTINGS);
      expect(english(s.warning!)).toMatch(/could not be read/);
      const backups = readdirSync(dir).filter((f) => f.startsWith('settings.json.corrupt-'));
      expect(backups).toHaveLength(1);
      expect(readFileSync(join(dir, backups[0]!), 'utf8')).toBe(content);
      expect(english(s.warning!)).toContain(backups[0]);
      expect(existsSync(join(dir, 'settings.json')) || s.get()).toBeTruthy();
    },
  );
});
