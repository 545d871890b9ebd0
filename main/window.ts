/**
 * The main window's security: web preferences, navigation and window-open guards, permission
 * denial and the external-link allow-list. Written as plain functions over the few Electron
 * interfaces they touch, so tests exercise the exact configuration the app uses.
 */
import type {
  BrowserWindowConstructorOptions,
  Event as ElectronEvent,
  HandlerDetails,
  WebContents,
  WebPreferences,
} from 'electron';

/** Hosts staff may be sent to in their browser (https only): Dintero's own pages. */
export const EXTERNAL_LINK_ALLOW_LIST = [
  'dintero.com',
  'www.dintero.com',
  'docs.dintero.com',
  'backoffice.dintero.com',
  'checkout.dintero.com',
] as const;

/** True for an https URL on the allow-list (no credentials, no odd ports). */
export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (
    url.protocol === 'https:' &&
    url.username === '' &&
    url.password === '' &&
    url.port === '' &&
    (EXTERNAL_LINK_ALLOW_LIST as readonly string[]).includes(url.hostname)
  );
}

/** The renderer's web preferences: isolated, sandboxed, no Node, web security on. */
export function secureWebPreferences(preloadPath: string, isPackaged: boolean): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    enableBlinkFeatures: undefined,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: !isPackaged,
    safeDialogs: true,
  };
}

/** Options for the one main window. */
export function mainWindowOptions(
  preloadPath: string,
  isPackaged: boolean,
): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    title: 'Paylink Desk',
    show: false,
    backgroundColor: '#f6f7f9',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(preloadPath, isPackaged),
  };
}

/** True when `raw` is a page of the app itself (same origin as the app's entry URL). */
export function isAppUrl(raw: string, appEntryUrl: string): boolean {
  try {
    const url = new URL(raw);
    const app = new URL(appEntryUrl);
    if (app.protocol === 'file:') return url.protocol === 'file:' && url.pathname === app.pathname;
    return url.origin === app.origin;
  } catch {
    return false;
  }
}

/** The parts of WebContents the guards use. */
export type GuardedContents = Pick<WebContents, 'setWindowOpenHandler' | 'on'>;

/**
 * New windows are denied (allow-listed https links open in the system browser instead),
 * navigation away from the app is blocked, webviews are refused.
 */
export function applyNavigationGuards(
  contents: GuardedContents,
  appEntryUrl: string,
  openExternal: (url: string) => void,
): void {
  contents.setWindowOpenHandler((details: HandlerDetails) => {
    if (isAllowedExternalUrl(details.url)) openExternal(details.url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event: ElectronEvent, url: string) => {
    if (!isAppUrl(url, appEntryUrl)) {
      event.preventDefault();
      if (isAllowedExternalUrl(url)) openExternal(url);
    }
  });
  contents.on('will-redirect', (event: ElectronEvent, url: string) => {
    if (!isAppUrl(url, appEntryUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event: ElectronEvent) => event.preventDefault());
}

/** The parts of Session the permission guard uses. */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (wc: unknown, permission: string) => boolean): void;
}

/** Every permission request (camera, geolocation, notifications from the page...) is denied. */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
