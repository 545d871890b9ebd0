/**
 * Electron lifecycle only: single-instance lock, the data folder's lock, the window and its
 * guards, the tray, IPC wiring, notifications and paylink: links (handed to main/paylink-links.ts).
 * Everything else is built by AppServices (plain Node).
 */
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { app, BrowserWindow, dialog, Menu, nativeImage, session, shell, Tray } from 'electron';
import ElectronStore from 'electron-store';
import { createTranslator } from '../common/i18n';
import type { Message } from '../common/i18n/messages';
import { languageFromTags } from '../common/i18n/system-language';
import type { EventPayloads } from '../common/ipc-contract';
import { EVENT_NAMES } from '../common/paylink-api';
import { KeytarSecretStore } from './credentials/keytar-secret-store';
import { acquireDataFolderLock, DataFolderInUseError, type DataFolderLock } from './data-lock';
import { folderInUseText, folderLanguage } from './data-lock-text';
import { createHandlerTable } from './ipc/handlers';
import { serveElectronIpc } from './ipc/electron-ipc';
import { createLogger, logDir, type Logger } from './log';
import { showNotification } from './notifications';
import type { SaveFile } from './day-close/export';
import { exportDialog, quitQuestion, START_FAILED, TRAY_MENU, trayStatus } from './shell-text';
import { linkFromArgv } from './paylink-links';
import { AppServices } from './services';
import type { KeyValueStore } from './settings';
import { TRAY_ICON_DATA_URL } from './tray-icon';
import { DeskUpdater } from './updates/desk-updater';
import { electronUpdateFeed } from './updates/electron-feed';
import {
  applyNavigationGuards,
  denyAllPermissions,
  isAllowedExternalUrl,
  isAppUrl,
  mainWindowOptions,
} from './window';

const dataDir = process.env.PAYLINK_DATA_DIR || app.getPath('userData');
/** Created once the folder lock is held: the log files live in the data folder too. */
let logger: Logger | undefined;
/** Held for the life of the process; the OS drops it if the process dies. */
let folderLock: DataFolderLock | undefined;

let win: BrowserWindow | null = null;
let tray: Tray | null = null;
let quitting = false;

const appEntryUrl = (): string =>
  !app.isPackaged && process.env.ELECTRON_RENDERER_URL
    ? process.env.ELECTRON_RENDERER_URL
    : new URL(`file://${join(import.meta.dirname, '../renderer/index.html')}`).href;

const openExternal = (url: string): void => {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
};

function createWindow(services: AppServices): BrowserWindow {
  const w = new BrowserWindow({
    ...mainWindowOptions(join(import.meta.dirname, '../preload/index.cjs'), app.isPackaged),
    icon: nativeImage.createFromDataURL(TRAY_ICON_DATA_URL),
  });
  if (app.isPackaged) w.webContents.on('devtools-opened', () => w.webContents.closeDevTools());
  w.once('ready-to-show', () => w.show());
  // Staff often unlock the keychain in another window and come back: read it again at once.
  w.on('focus', () => void services.readKeychainAgain());
  w.on('close', (event) => {
    if (!quitting) {
      // Closing the window keeps the app in the tray: sending, polling and notifications go on.
      event.preventDefault();
      w.hide();
    }
  });
  void w.loadURL(appEntryUrl());
  for (const name of EVENT_NAMES) {
    services.on(name, (payload) => {
      if (!w.isDestroyed()) w.webContents.send(name, payload);
    });
  }
  return w;
}

/**
 * Brings the window forward on one order. With intent 'capture' the page opens the capture
 * confirmation; nothing is captured until staff press Confirm there.
 */
function showOrder(id: string, intent?: 'capture'): void {
  if (!win) return;
  win.show();
  win.focus();
  const payload: EventPayloads['navigate:order'] = intent ? { id, intent } : { id };
  win.webContents.send('navigate:order', payload);
}

/** A paylink: link that arrived before the services were built (the one that started the app). */
let earlyLink: string | undefined;

/**
 * A paylink: link (common/paylink-link.ts) opens New order filled in, or says why not. It only
 * fills in the form: nothing is sent until staff press Send link.
 */
function openLink(url: string): void {
  if (!servicesRef) {
    earlyLink = url;
    return;
  }
  servicesRef.links.receive(url);
  win?.show();
  win?.focus();
}

/** The shell's words, in the language the desk chose (follows Settings without a restart). */
const words = createTranslator('en');
const say = (m: Message): string => {
  if (servicesRef) words.setLanguage(servicesRef.settings.get().language);
  return words.t(m);
};
let servicesRef: AppServices | undefined;

/** A day-close export goes where the user picks in the system's save dialog, nowhere else. */
const saveWithDialog: SaveFile = async (file) => {
  const text = exportDialog(file.name);
  const options = {
    title: say(text.title),
    defaultPath: join(app.getPath('documents'), file.name),
    filters: [{ name: say(text.filterName), extensions: [text.extension] }],
  };
  const picked = win
    ? await dialog.showSaveDialog(win, options)
    : await dialog.showSaveDialog(options);
  if (picked.canceled || !picked.filePath) return { saved: false };
  await writeFile(picked.filePath, file.bytes);
  return { saved: true, name: basename(picked.filePath) };
};

function updateTray(services: AppServices): void {
  if (!tray) return;
  const status = services.status();
  const label = say(trayStatus(status));
  tray.setToolTip(`Paylink Desk: ${label}`);
  if (process.platform === 'darwin') {
    tray.setTitle(status.queueLength > 0 ? String(status.queueLength) : '');
  }
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: say(TRAY_MENU.open), click: () => win?.show() },
      { label, enabled: false },
      { type: 'separator' },
      { label: say(TRAY_MENU.quit), click: () => app.quit() },
    ]),
  );
}

/**
 * Updates (main/updates), for an installed app only. electron-updater runs its installer only
 * when staff press "Restart to update" and the restart gate allows it (never on quit:
 * autoInstallOnAppQuit is off), after the normal close path: the services, then the data
 * folder's lock. That quit does not ask the queued-orders question: the gate already required
 * an empty queue.
 */
function createUpdater(log: Logger): DeskUpdater | undefined {
  try {
    const updater: DeskUpdater = new DeskUpdater({
      feed: electronUpdateFeed(log),
      logger: log,
      restartApp: () => void restartIntoUpdate(updater, log),
    });
    return updater;
  } catch (err) {
    log.error({ err }, 'updates unavailable');
    return undefined;
  }
}

async function restartIntoUpdate(updater: DeskUpdater, log: Logger): Promise<void> {
  quitting = true;
  try {
    await servicesRef?.close();
  } catch (err) {
    log.error({ err }, 'closing for the update failed');
  } finally {
    folderLock?.release();
  }
  const startAgain = (): void => {
    // The desk is closed cleanly: start it again as it was rather than stay open without it.
    app.relaunch();
    app.exit(0);
  };
  if (!updater.install()) {
    startAgain();
    return;
  }
  // The installer quits the app; should it not (Squirrel.Mac refusing the update later),
  // the desk does not stay open with its services closed.
  setTimeout(() => {
    log.error('the update installer did not quit the app; starting again');
    startAgain();
  }, 60_000).unref();
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', (_event, argv) => {
    win?.show();
    win?.focus();
    // A second launch with a paylink: link (Windows, Linux) hands it to this one.
    const link = linkFromArgv(argv);
    if (link !== undefined) openLink(link);
  });
  // macOS hands paylink: links to the app with open-url (also the one that starts it).
  app.on('open-url', (event, url) => {
    event.preventDefault();
    openLink(url);
  });
  const startLink = linkFromArgv(process.argv);
  if (startLink !== undefined) openLink(startLink);
  // The installer registers the scheme too (electron-builder.yml protocols); a development
  // build never takes it over.
  if (app.isPackaged) app.setAsDefaultProtocolClient('paylink');
  // Another process (another copy with its own profile, the browser preview, a desk on the
  // same network folder) may hold the data folder: say so and leave before touching it.
  try {
    folderLock = acquireDataFolderLock(dataDir);
  } catch (e) {
    if (!(e instanceof DataFolderInUseError)) throw e;
    const text = folderInUseText(e.folder, folderLanguage(dataDir));
    dialog.showErrorBox(text.title, text.message);
    app.exit(1);
    return;
  }
  const log = (logger = createLogger({ dir: logDir(dataDir) }));
  app.on('web-contents-created', (_e, contents) =>
    applyNavigationGuards(contents, appEntryUrl(), openExternal),
  );
  await app.whenReady();
  denyAllPermissions(session.defaultSession);

  const updater = app.isPackaged ? createUpdater(log) : undefined;
  const services = await AppServices.create({
    dataDir,
    ...(updater ? { updater } : {}),
    secretStore: new KeytarSecretStore(),
    logger: log,
    version: app.getVersion(),
    // A first start speaks the computer's language when the desk speaks it.
    systemLanguage: languageFromTags([...app.getPreferredSystemLanguages(), app.getLocale()]),
    storeFactory: (opts) =>
      // tsc needs the cast (electron-store's schema type); the type-aware linter disagrees.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
      new ElectronStore(
        opts as ConstructorParameters<typeof ElectronStore>[0],
      ) as unknown as KeyValueStore,
  });
  servicesRef = services;
  // The link that started the app waits in the inbox until the page takes it.
  if (earlyLink !== undefined) services.links.receive(earlyLink);
  earlyLink = undefined;
  const table = createHandlerTable(services, { saveFile: saveWithDialog });
  await serveElectronIpc(table, {
    isTrustedUrl: (url) => isAppUrl(url, appEntryUrl()),
    context: () => ({ actor: services.actor() }),
    logger: log,
  });
  // One press, one intent: the notification's Capture opens the confirmation, never captures.
  services.onNotify((n) =>
    showNotification(
      n,
      {
        open: (id) => showOrder(id),
        capture: (id) => showOrder(id, 'capture'),
      },
      say,
    ),
  );

  win = createWindow(services);
  tray = new Tray(nativeImage.createFromDataURL(TRAY_ICON_DATA_URL));
  tray.on('click', () => win?.show());
  updateTray(services);
  services.on('status:changed', () => updateTray(services));

  app.on('activate', () => win?.show());
  app.on('window-all-closed', () => {
    /* stay in the tray */
  });
  app.on('before-quit', (event) => {
    if (quitting) return;
    const { queueLength } = services.status();
    if (queueLength > 0) {
      const q = quitQuestion(queueLength);
      const choice = dialog.showMessageBoxSync({
        type: 'warning',
        buttons: q.buttons.map(say),
        defaultId: 0,
        cancelId: 0,
        message: say(q.message),
        detail: say(q.detail),
      });
      if (choice === 0) {
        event.preventDefault();
        return;
      }
    }
    quitting = true;
    event.preventDefault();
    void services.close().finally(() => {
      folderLock?.release();
      app.exit(0);
    });
  });
}

main().catch((e: unknown) => {
  logger?.fatal({ err: e }, 'Paylink Desk failed to start');
  dialog.showErrorBox(
    say(START_FAILED.title),
    logger ? say(START_FAILED.seeLog) : e instanceof Error ? e.message : String(e),
  );
  app.exit(1);
});
