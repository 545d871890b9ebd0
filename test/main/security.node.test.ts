/**
 * The security baseline, read from the real configuration the app uses: web preferences,
 * the renderer's Content-Security-Policy, navigation/window/permission guards, the external
 * link allow-list, the single-instance lock and devtools in packaged builds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  applyNavigationGuards,
  denyAllPermissions,
  isAllowedExternalUrl,
  isAppUrl,
  mainWindowOptions,
  secureWebPreferences,
} from '../../main/window';

const root = join(import.meta.dirname, '..', '..');

describe('web preferences', () => {
  it('isolates, sandboxes and keeps Node out of the renderer', () => {
    const prefs = mainWindowOptions('/app/preload.cjs', true).webPreferences!;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.preload).toBe('/app/preload.cjs');
  });

  it('turns devtools off in packaged builds only', () => {
    expect(secureWebPreferences('/p', true).devTools).toBe(false);
    expect(secureWebPreferences('/p', false).devTools).toBe(true);
    const index = readFileSync(join(root, 'main/index.ts'), 'utf8');
    expect(index).toMatch(/app\.isPackaged\)\s*w\.webContents\.on\('devtools-opened'/);
  });
});

/** Parses the CSP of an HTML file's meta tag into directive -> sources. */
function cspOf(html: string): Map<string, string[]> {
  const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
  expect(m, 'renderer HTML must carry a CSP meta tag').not.toBeNull();
  return new Map(
    m![1]!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((p) => p[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('Content-Security-Policy of the renderer', () => {
  const html = readFileSync(join(root, 'renderer/index.html'), 'utf8');
  const csp = cspOf(html);

  it('allows only the app itself to run scripts: no remote scripts, no eval, no inline', () => {
    const scripts = csp.get('script-src') ?? csp.get('default-src')!;
    expect(scripts).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    for (const values of csp.values()) {
      expect(values).not.toContain("'unsafe-eval'");
      expect(values.some((v) => /^https?:|^\*$|^data:$/.test(v) && v !== 'data:')).toBe(false);
    }
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    // frame-ancestors is ignored in a meta tag (Chromium warns); the preview sends it as a header.
    expect(csp.has('frame-ancestors')).toBe(false);
  });

  it('survives the build unchanged (the dev-server relaxation never reaches a build)', () => {
    const built = join(root, 'out/renderer/index.html');
    if (!existsSync(built)) return; // `npm test` builds before the tests run
    expect(cspOf(readFileSync(built, 'utf8'))).toEqual(csp);
  });

  it('has no inline scripts or remote resources in the page', () => {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/);
    expect(html).not.toMatch(/(src|href)="https?:/);
  });
});

describe('navigation and window guards', () => {
  type Handler = (...args: unknown[]) => unknown;
  const fakeContents = () => {
    const on = new Map<string, Handler>();
    let openHandler: Handler | undefined;
    return {
      contents: {
        setWindowOpenHandler: (h: Handler) => (openHandler = h),
        on: (name: string, h: Handler) => on.set(name, h),
      },
      on,
      open: (url: string) => openHandler!({ url }),
    };
  };
  const entry = 'file:///opt/paylink/resources/app.asar/out/renderer/index.html';

  it('denies every new window and opens only allow-listed https links outside', () => {
    const f = fakeContents();
    const openExternal = vi.fn();
    applyNavigationGuards(f.contents as never, entry, openExternal);
    expect(f.open('https://docs.dintero.com/docs/checkout')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://docs.dintero.com/docs/checkout');
    expect(f.open('https://evil.example/phish')).toEqual({ action: 'deny' });
    expect(f.open('http://docs.dintero.com/')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('blocks navigation away from the app and webviews', () => {
    const f = fakeContents();
    applyNavigationGuards(f.contents as never, entry, vi.fn());
    const ev = () => ({ preventDefault: vi.fn() });
    const away = ev();
    f.on.get('will-navigate')!(away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const otherFile = ev();
    f.on.get('will-navigate')!(otherFile, 'file:///etc/passwd');
    expect(otherFile.preventDefault).toHaveBeenCalled();
    const self = ev();
    f.on.get('will-navigate')!(self, `${entry}#/orders`);
    expect(self.preventDefault).not.toHaveBeenCalled();
    const redirect = ev();
    f.on.get('will-redirect')!(redirect, 'https://evil.example/');
    expect(redirect.preventDefault).toHaveBeenCalled();
    const webview = ev();
    f.on.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('recognises only the app origin as the app', () => {
    expect(isAppUrl('http://localhost:5173/#/x', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl('not a url', 'http://localhost:5173/')).toBe(false);
  });

  it('denies every permission request and check', () => {
    let request: ((wc: unknown, p: string, cb: (g: boolean) => void) => void) | undefined;
    let check: ((wc: unknown, p: string) => boolean) | undefined;
    denyAllPermissions({
      setPermissionRequestHandler: (h) => (request = h),
      setPermissionCheckHandler: (h) => (check = h),
    });
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const cb = vi.fn();
      request!(null, p, cb);
      expect(cb).toHaveBeenCalledWith(false);
      expect(check!(null, p)).toBe(false);
    }
  });

  it('allow-lists only https Dintero pages', () => {
    expect(isAllowedExternalUrl('https://backoffice.dintero.com/')).toBe(true);
    expect(isAllowedExternalUrl('https://dintero.com.evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('https://user:pw@dintero.com/')).toBe(false);
    expect(isAllowedExternalUrl('https://dintero.com:8443/')).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false);
  });
});

describe('single-instance lock', () => {
  it('quits a second instance before anything else starts', async () => {
    const quit = vi.fn();
    const whenReady = vi.fn(() => new Promise(() => {}));
    vi.resetModules();
    vi.doMock('electron', () => {
      const app = {
        requestSingleInstanceLock: () => false,
        quit,
        whenReady,
        on: vi.fn(),
        getPath: () => '/tmp/paylink-lock-test',
        isPackaged: true,
        exit: vi.fn(),
      };
      return {
        default: { app },
        app,
        BrowserWindow: vi.fn(),
        dialog: {},
        ipcMain: {},
        Menu: {},
        nativeImage: {},
        session: {},
        shell: {},
        Tray: vi.fn(),
        Notification: vi.fn(),
      };
    });
    vi.doMock('electron-store', () => ({ default: vi.fn() }));
    process.env.PAYLINK_DATA_DIR = '/tmp/paylink-lock-test';
    await import('../../main/index');
    await new Promise((r) => setTimeout(r, 20));
    expect(quit).toHaveBeenCalled();
    expect(whenReady).not.toHaveBeenCalled();
    delete process.env.PAYLINK_DATA_DIR;
    vi.doUnmock('electron');
    vi.doUnmock('electron-store');
  });
});
