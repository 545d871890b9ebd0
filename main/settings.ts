/**
 * Non-secret preferences in `settings.json` in the data folder, through electron-store (in the
 * Electron app) or conf, the library electron-store is built on (plain Node: tests and the
 * browser preview). Both read and write the same file with the same JSON schema, derived from
 * the zod `settingsSchema` in common/ so the screen, main and the file agree.
 *
 * A corrupt or invalid file is never a crash and never a silent wipe: it is moved aside
 * intact (`settings.json.corrupt-<time>`), defaults are used, and `warning` says so plainly.
 */
import { msg, type Message } from '../common/i18n/messages';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import { z } from 'zod';
import type { Language, Settings } from '../common/domain';
import { settingsSchema, type SettingsPatch } from '../common/ipc-contract';
import { DEFAULT_SETTINGS, defaultSettings } from '../common/settings-defaults';

export const SETTINGS_FILE = 'settings.json';

/** What a fresh install starts with (defined once, in common/). */
export { DEFAULT_SETTINGS };

/** The subset of the conf/electron-store API this module uses. */
export interface KeyValueStore {
  store: Record<string, unknown>;
  set(object: Record<string, unknown>): void;
  readonly path: string;
}

/** Options both electron-store and conf accept. */
export interface StoreOptions {
  cwd: string;
  configName: string;
  name: string;
  projectName: string;
  schema: Record<string, unknown>;
  defaults: Record<string, unknown>;
  clearInvalidConfig: false;
}

export type StoreFactory = (opts: StoreOptions) => KeyValueStore;

/** Plain-Node factory (tests, preview). The Electron shell passes electron-store instead. */
export const confStoreFactory: StoreFactory = (opts) =>
  new Conf<Record<string, unknown>>({
    ...opts,
    projectSuffix: '',
  } as ConstructorParameters<typeof Conf<Record<string, unknown>>>[0]);

const jsonSchemaProperties = (): Record<string, unknown> => {
  const schema = z.toJSONSchema(settingsSchema, { target: 'draft-2020-12' }) as {
    properties: Record<string, unknown>;
  };
  return schema.properties;
};

/** Settings with validation, change events and corrupt-file recovery. */
export class SettingsStore {
  private readonly store: KeyValueStore;
  private readonly listeners = new Set<(s: Settings) => void>();
  /** Set when the file on disk was unusable and defaults were used instead. */
  readonly warning: Message | undefined;

  /**
   * `systemLanguage` is the computer's own language (when it is one the desk speaks): a desk
   * with no settings file yet starts in it and keeps it; an existing file keeps its own.
   */
  constructor(
    dataDir: string,
    factory: StoreFactory = confStoreFactory,
    now = () => new Date(),
    systemLanguage: Language = DEFAULT_SETTINGS.language,
  ) {
    const file = join(dataDir, SETTINGS_FILE);
    const defaults: Settings = existsSync(file)
      ? defaultSettings()
      : { ...defaultSettings(), language: systemLanguage };
    const opts: StoreOptions = {
      cwd: dataDir,
      configName: 'settings',
      name: 'settings',
      projectName: 'paylink-desk',
      schema: jsonSchemaProperties(),
      // A copy: the store may fill in (and so touch) what it is given.
      defaults: { ...defaults },
      clearInvalidConfig: false,
    };
    let store: KeyValueStore | undefined;
    let warning: Message | undefined;
    try {
      // zod has the last word on the file as written (a file from an older version may lack
      // newer keys: defaults fill those in).
      if (existsSync(file)) {
        const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
        if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
          throw new z.ZodError([]);
        }
        settingsSchema.parse({ ...DEFAULT_SETTINGS, ...raw });
      }
      store = factory(opts);
    } catch (e) {
      const backup = `${file}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`;
      if (existsSync(file)) renameSync(file, backup);
      warning = msg('banner.settingsReset', { detail: describe(e), backup });
      store = factory(opts);
    }
    this.store = store;
    this.warning = warning;
  }

  /** Current settings (a copy). */
  get(): Settings {
    return settingsSchema.parse({ ...DEFAULT_SETTINGS, ...this.store.store });
  }

  /** Validates and applies a patch; throws a ZodError for invalid values. */
  update(patch: SettingsPatch): Settings {
    const next = settingsSchema.parse({ ...this.get(), ...patch });
    this.store.set(next);
    for (const l of this.listeners) l(next);
    return next;
  }

  /** Called after every successful update. */
  onChange(listener: (s: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get path(): string {
    return this.store.path;
  }
}

function describe(e: unknown): string {
  if (e instanceof SyntaxError) return 'it is not valid JSON';
  if (e instanceof z.ZodError) return 'it holds values that are not allowed';
  if (e instanceof Error && /schema|must/i.test(e.message))
    return 'it holds values that are not allowed';
  return 'it is damaged';
}
