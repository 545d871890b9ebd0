/**
 * The Electron shell (main/index.ts) booted against a fake `electron` module: no Electron
 * binary can run here, so this checks the wiring a real launch depends on — the window's
 * secure options and entry URL, guards on every web contents, permission denial, every IPC
 * channel registered behind the sender check, events forwarded to the page, the window
 * hiding to the tray on close, a clean quit, and the data folder's lock: held while the app
 * runs, released on quit, and a second start on a held folder shows the "in use" dialog and
 * exits without touching the folder.
 */
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channels } from '../../common/ipc-contract';
import { acquireDataFolderLock, DataFolderInUseError, LOCK_FILE } from '../../main/data-lock';
import { en } from '../../common/i18n/en';

type Fn = (...args: any[]) => any;

const dataDir = mkdtempSync(join(tmpdir(), 'paylink-shell-'));
const fake = vi.hoisted(() => {
  const handlers = new Map<string, Fn>();
  const appEvents = new Map<string, Fn>();
  const windows: Array<{
    opts: Record<string, any>;
    events: Map<string, Fn>;
    webContents: { send: Fn; on: Fn; closeDevTools: Fn };
    show: Fn;
  }> = [];
  const state = { dataDir: '' };
  const notifications: Array<{ opts: Record<string, any>; events: Map<string, Fn> }> = [];
  /** Plain records (vitest clears vi.fn call history before each test). */
  const log = {
    loaded: [] as string[],
    sent: [] as Array<[string, any]>,
    contentsOn: [] as string[],
    permissions: 0,
    hidden: 0,
    exit: [] as number[],
    errorBoxes: [] as Array<[string, string]>,
  };
  return { handlers, appEvents, windows, state, log, notifications };
});

vi.mock('electron', () => {
  const app = {
    requestSingleInstanceLock: () => true,
    on: (e: string, f: Fn) => fake.appEvents.set(e, f),
    whenReady: () => Promise.resolve(),
    getPath: () => fake.state.dataDir,
    getVersion: () => '0.1.0',
    getPreferredSystemLanguages: () => ['en-GB'],
    getLocale: () => 'en-GB',
    isPackaged: true,
    setAsDefaultProtocolClient: () => true,
    quit: vi.fn(),
    exit: (code: number) => fake.log.exit.push(code),
  };
  class BrowserWindow {
    events = new Map<string, Fn>();
    webContents = {
      send: (name: string, payload: unknown) => fake.log.sent.push([name, payload]),
      on: (name: string) => fake.log.contentsOn.push(name),
      closeDevTools: vi.fn(),
    };
    loadURL = (url: string) => {
      fake.log.loaded.push(url);
      return Promise.resolve();
    };
    hide = () => {
      fake.log.hidden += 1;
    };
    show = vi.fn();
    focus = vi.fn();
    constructor(public opts: Record<string, unknown>) {
      fake.windows.push(this);
    }
    once(e: string, f: Fn) {
      this.events.set(e, f);
    }
    on(e: string, f: Fn) {
      this.events.set(e, f);
    }
    isDestroyed() {
      return false;
    }
  }
  class Tray {
    on = vi.fn();
    setToolTip = vi.fn();
    setTitle = vi.fn();
    setContextMenu = vi.fn();
  }
  class Notification {
    static isSupported = () => true;
    events = new Map<string, Fn>();
    constructor(public opts: Record<string, unknown>) {
      fake.notifications.push(this);
    }
    on(e: string, f: Fn) {
      this.events.set(e, f);
    }
    show = vi.fn();
  }
  const ipcMain = { handle: (c: string, h: Fn) => fake.handlers.set(c, h), on: vi.fn() };
  const session = {
    defaultSession: {
      setPermissionRequestHandler: () => {
        fake.log.permissions += 1;
      },
      setPermissionCheckHandler: () => {
        fake.log.permissions += 1;
      },
    },
  };
  const mod = {
    app,
    BrowserWindow,
    Tray,
    Notification,
    ipcMain,
    session,
    dialog: {
      showMessageBoxSync: vi.fn(() => 1),
      showErrorBox: (title: string, body: string) => fake.log.errorBoxes.push([title, body]),
    },
    Menu: { buildFromTemplate: (t: unknown) => t },
    nativeImage: { createFromDataURL: () => ({}) },
    shell: { openExternal: vi.fn() },
  };
  return { default: mod, ...mod };
});

/**
 * electron-updater's autoUpdater as the packaged app gets it (the real one needs Electron):
 * the feed offers `offer` when set; what the desk set on it and called is recorded.
 */
const upd = vi.hoisted(() => {
  const calls = { check: 0, download: 0, quitAndInstall: [] as unknown[][] };
  const hooks = { onInstall: () => undefined as void };
  const autoUpdater = {
    autoDownload: true,
    autoInstallOnAppQuit: true,
    allowDowngrade: true,
    disableWebInstaller: false,
    logger: null as unknown,
    offer: undefined as string | undefined,
    checkForUpdates() {
      calls.check += 1;
      const version = autoUpdater.offer;
      return Promise.resolve({
        isUpdateAvailable: version !== undefined,
        updateInfo: { version: version ?? '0.1.0' },
      });
    },
    downloadUpdate() {
      calls.download += 1;
      return Promise.resolve([]);
    },
    quitAndInstall(...args: unknown[]) {
      calls.quitAndInstall.push(args);
      hooks.onInstall();
    },
    on: () => autoUpdater,
    off: () => autoUpdater,
  };
  return { autoUpdater, calls, hooks };
});
vi.mock('electron-updater', () => ({
  default: { autoUpdater: upd.autoUpdater },
  autoUpdater: upd.autoUpdater,
}));

beforeAll(async () => {
  fake.state.dataDir = dataDir;
  process.env.PAYLINK_DATA_DIR = dataDir;
  await import('../../main/index');
  const end = Date.now() + 15_000;
  while (fake.handlers.size < Object.keys(channels).length || fake.windows.length === 0) {
    if (Date.now() > end) throw new Error('the shell did not finish starting');
    await new Promise((r) => setTimeout(r, 20));
  }
}, 30_000);

afterAll(() => {
  delete process.env.PAYLINK_DATA_DIR;
});

const win = () => fake.windows[0]!;
const entryUrl = () => fake.log.loaded[0]!;
const fromApp = () => ({ senderFrame: { url: entryUrl(), parent: null } });

describe('the Electron shell', () => {
  it('holds the data folder lock while it runs', () => {
    expect(() => acquireDataFolderLock(dataDir)).toThrow(DataFolderInUseError);
  });

  it('opens one secure window on the packaged renderer', () => {
    expect(fake.windows).toHaveLength(1);
    const prefs = win().opts.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: false,
    });
    expect(prefs.preload).toMatch(/preload[\\/]index\.cjs$/);
    expect(entryUrl()).toMatch(/^file:\/\/.*renderer\/index\.html$/);
    expect(fake.log.loaded).toHaveLength(1);
    expect(fake.log.contentsOn).toContain('devtools-opened');
  });

  it('denies permissions and guards every web contents that is created', () => {
    expect(fake.log.permissions).toBe(2);
    const created = fake.appEvents.get('web-contents-created')!;
    const contents = { setWindowOpenHandler: vi.fn(), on: vi.fn() };
    created({}, contents);
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
    expect(contents.on.mock.calls.map((c) => c[0])).toEqual(
      expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview']),
    );
  });

  it('serves every contract channel to the app page only, and starts in training mode', async () => {
    expect([...fake.handlers.keys()].sort()).toEqual(Object.keys(channels).sort());
    const status = await fake.handlers.get('app:status')!(fromApp(), undefined);
    expect(status).toMatchObject({ ok: true, value: { mode: 'training' } });
    const foreign = await fake.handlers.get('app:status')!(
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      undefined,
    );
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
  });

  it('forwards order events to the page', async () => {
    const created = await fake.handlers.get('orders:create')!(fromApp(), {
      phone: '912 34 567',
      country: 'NO',
      amount: 10_000,
      currency: 'NOK',
      linkLifetimeHours: 1,
      delivery: 'sms',
    });
    expect(created).toMatchObject({ ok: true, value: { created: true } });
    await vi.waitFor(() => {
      const sent = fake.log.sent.filter((c) => c[0] === 'order:changed');
      expect(sent.map((c) => c[1].state)).toContain('link_sent');
    });
  });

  it("the notification's Capture opens the capture confirmation and captures nothing", async () => {
    const call = async (channel: string, input?: unknown) => {
      const r = await fake.handlers.get(channel)!(fromApp(), input);
      if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
      return r.value;
    };
    const created = await call('orders:create', {
      phone: '412 34 567',
      country: 'NO',
      amount: 25_000,
      currency: 'NOK',
      linkLifetimeHours: 1,
      delivery: 'sms',
    });
    const id: string = created.order.id;
    const sessionId = await vi.waitFor(
      async () => {
        const d = await call('orders:get', { id });
        expect(d.order.state).toBe('link_sent');
        return d.order.sessionId as string;
      },
      { timeout: 10_000 },
    );
    // Notification buttons exist on macOS only.
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { value: 'darwin' });
    let paidNote: (typeof fake.notifications)[number];
    try {
      await call('training:customer', { sessionId, action: 'pay' });
      paidNote = await vi.waitFor(
        () => {
          const n = fake.notifications.find((x) =>
            (x.opts.actions as Array<{ text: string }>).some((a) => a.text === 'Capture'),
          );
          expect(n).toBeDefined();
          return n!;
        },
        { timeout: 15_000 },
      );
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
    const captureIndex = (paidNote.opts.actions as Array<{ text: string }>).findIndex(
      (a) => a.text === 'Capture',
    );
    paidNote.events.get('action')!({}, captureIndex);

    await new Promise((r) => setTimeout(r, 500));
    const after = await call('orders:get', { id });
    expect(after.order.state).toBe('authorized');
    expect(after.order.capturedAmount).toBe(0);
    expect(after.order.pendingOperation).toBeUndefined();
    expect(after.events.map((e: { kind: string }) => e.kind)).not.toContain('capture_requested');
    expect(fake.log.sent).toContainEqual(['navigate:order', { id, intent: 'capture' }]);
  }, 30_000);

  it('hides to the tray on close instead of quitting', () => {
    const event = { preventDefault: vi.fn() };
    win().events.get('close')!(event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(fake.log.hidden).toBe(1);
  });

  it('quits cleanly, stopping the services first', async () => {
    const event = { preventDefault: vi.fn() };
    fake.appEvents.get('before-quit')!(event);
    await vi.waitFor(() => expect(fake.log.exit).toEqual([0]));
    // The folder is free for the next start.
    acquireDataFolderLock(dataDir).release();
  });
});

describe('the Electron shell on a data folder another process holds', () => {
  it('shows the "in use" dialog naming the folder and exits, creating and changing nothing', async () => {
    const held = mkdtempSync(join(tmpdir(), 'paylink-shell-held-'));
    const lock = acquireDataFolderLock(held);
    writeFileSync(join(held, 'journal.sqlite'), 'stand-in journal');
    const before = readdirSync(held).map((f) => `${f} ${statSync(join(held, f)).mtimeMs}`);
    const windowsBefore = fake.windows.length;
    fake.state.dataDir = held;
    process.env.PAYLINK_DATA_DIR = held;
    vi.resetModules();
    await import('../../main/index');
    await vi.waitFor(() => expect(fake.log.exit).toEqual([0, 1]));
    expect(fake.log.errorBoxes).toEqual([
      [en.app.folderInUseTitle, en.app.folderInUse.replace('{{folder}}', held)],
    ]);
    expect(fake.windows).toHaveLength(windowsBefore);
    expect(readdirSync(held).sort()).toEqual(['journal.sqlite', LOCK_FILE]);
    expect(readdirSync(held).map((f) => `${f} ${statSync(join(held, f)).mtimeMs}`)).toEqual(before);
    lock.release();
  });
});

describe('the Electron shell restarting into an update', () => {
  it('asks the feed at start, downloads, and installs only on the button, after closing', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'paylink-shell-update-'));
    upd.autoUpdater.offer = '0.2.0';
    upd.calls.check = 0;
    upd.calls.download = 0;
    let lockFreeAtInstall: boolean | undefined;
    upd.hooks.onInstall = () => {
      try {
        acquireDataFolderLock(folder).release();
        lockFreeAtInstall = true;
      } catch {
        lockFreeAtInstall = false;
      }
    };
    const exitsBefore = fake.log.exit.length;
    fake.handlers.clear();
    fake.state.dataDir = folder;
    process.env.PAYLINK_DATA_DIR = folder;
    vi.resetModules();
    await import('../../main/index');
    await vi.waitFor(() => expect(fake.handlers.size).toBe(Object.keys(channels).length), {
      timeout: 15_000,
    });

    // The desk's settings on electron-updater: it downloads, and installs only when told.
    expect(upd.autoUpdater).toMatchObject({
      autoDownload: false,
      autoInstallOnAppQuit: false,
      allowDowngrade: false,
    });
    await vi.waitFor(() => expect(upd.calls.download).toBe(1));
    expect(upd.calls.check).toBe(1);
    const status = await fake.handlers.get('app:status')!(fromApp(), undefined);
    expect(status.value.update).toEqual({ state: 'ready', version: '0.2.0' });
    expect(upd.calls.quitAndInstall).toEqual([]); // never by itself

    const pressed = await fake.handlers.get('app:restartToUpdate')!(fromApp(), undefined);
    expect(pressed).toEqual({ ok: true, value: { restarting: true, version: '0.2.0' } });
    await vi.waitFor(() => expect(upd.calls.quitAndInstall).toEqual([[true, true]]));
    // The services were closed and the folder released before the installer started.
    expect(lockFreeAtInstall).toBe(true);
    // The quit the installer causes is not asked about nor handled twice.
    const event = { preventDefault: vi.fn() };
    fake.appEvents.get('before-quit')!(event);
    expect(event.preventDefault).not.toHaveBeenCalled();
    expect(fake.log.exit).toHaveLength(exitsBefore);
    delete process.env.PAYLINK_DATA_DIR;
  });
});
