/**
 * electron-builder.yml as release machines will use it: installers per platform, keytar
 * unpacked, Electron fuses locked down. (`npm test` also runs the real `--dir` build:
 * scripts/check-package.mjs.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const cfg = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, any>;

describe('electron-builder.yml', () => {
  it('names the app', () => {
    expect(cfg.appId).toBe('no.paylink.desk');
    expect(cfg.productName).toBe('Paylink Desk');
  });

  it('builds a per-user NSIS installer on Windows', () => {
    expect(cfg.win.target.map((t: { target: string }) => t.target)).toContain('nsis');
    expect(cfg.nsis.perMachine).toBe(false);
    expect(cfg.nsis.allowElevation).toBe(false);
  });

  it('builds a hardened, notarized dmg on macOS (credentials from the environment)', () => {
    expect(cfg.mac.target.map((t: { target: string }) => t.target)).toContain('dmg');
    expect(cfg.mac.hardenedRuntime).toBe(true);
    expect(cfg.mac.notarize).toBe(true);
    expect(JSON.stringify(cfg)).not.toMatch(/APPLE_APP_SPECIFIC_PASSWORD"?\s*:/);
  });

  it('builds AppImage and deb on Linux', () => {
    expect(cfg.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
  });

  it('unpacks native modules (keytar) from the asar and excludes maps, tests and the preview', () => {
    expect(cfg.asar).toBe(true);
    expect(cfg.asarUnpack).toContain('**/*.node');
    expect(cfg.files).toEqual(
      expect.arrayContaining(['!**/*.map', '!out/preview/**', '!**/test/**']),
    );
  });

  it('registers the paylink: scheme, so paylink://new?… links open the desk', () => {
    expect(cfg.protocols).toEqual([{ name: 'Paylink Desk', schemes: ['paylink'] }]);
  });

  it('sets the Electron fuses', () => {
    expect(cfg.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('keeps bundled UI libraries out of the packaged dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    for (const dev of ['react', 'react-dom', 'zustand', 'electron', 'node', 'vitest']) {
      expect(pkg.dependencies[dev], dev).toBeUndefined();
    }
    expect(pkg.dependencies.keytar).toBeDefined();
  });
});
