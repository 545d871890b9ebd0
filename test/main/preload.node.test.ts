/**
 * The built preload, as the sandbox runs it: one CommonJS file whose only require is
 * `electron`, exposing exactly one narrow object, `window.paylink`, and never ipcRenderer.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { channels } from '../../common/ipc-contract';

const root = join(import.meta.dirname, '..', '..');
const preloadPath = join(root, 'out/preload/index.cjs');

beforeAll(() => {
  if (!existsSync(preloadPath)) {
    execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'ignore' });
  }
}, 120_000);

function runPreload() {
  const exposed: Record<string, unknown> = {};
  const ipcRenderer = {
    invoke: vi.fn((_channel: string, _input?: unknown) => Promise.resolve({ ok: true, value: 1 })),
    on: vi.fn(),
    removeListener: vi.fn(),
  };
  const electron = {
    contextBridge: { exposeInMainWorld: vi.fn((k: string, v: unknown) => (exposed[k] = v)) },
    ipcRenderer,
  };
  const required: string[] = [];
  const sandbox = {
    require: (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`sandboxed preload cannot require ${name}`);
      return electron;
    },
    module: { exports: {} },
    exports: {},
    console,
  };
  vm.runInNewContext(readFileSync(preloadPath, 'utf8'), sandbox, { filename: 'index.cjs' });
  return { exposed, electron, ipcRenderer, required };
}

describe('preload bundle', () => {
  it('is one CommonJS file that requires only electron', () => {
    const code = readFileSync(preloadPath, 'utf8');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    const requires = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
  });

  it('exposes exactly window.paylink, built from the contract', async () => {
    const { exposed, electron, ipcRenderer, required } = runPreload();
    expect(required).toEqual(['electron']);
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(Object.keys(exposed)).toEqual(['paylink']);
    const api = exposed.paylink as Record<string, Record<string, (...a: unknown[]) => unknown>>;
    expect(Object.keys(api).sort()).toEqual([
      'access',
      'app',
      'dayClose',
      'on',
      'orders',
      'settings',
      'staff',
      'training',
    ]);
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipc|invoke|send/i);
    let count = 0;
    const groups = [
      'access',
      'app',
      'dayClose',
      'orders',
      'settings',
      'staff',
      'training',
    ] as const;
    for (const group of groups) {
      for (const [method, fn] of Object.entries(api[group]!)) {
        count += 1;
        await fn({ probe: true });
        const channel = ipcRenderer.invoke.mock.calls.at(-1)![0];
        expect(channel).toBe(`${group}:${method}`);
      }
    }
    expect(count).toBe(Object.keys(channels).length);
  });

  it('only subscribes to contract events', () => {
    const { exposed, ipcRenderer } = runPreload();
    const on = (exposed.paylink as { on: (e: string, l: () => void) => () => void }).on;
    const off = on('order:changed', () => {});
    expect(ipcRenderer.on).toHaveBeenCalledWith('order:changed', expect.any(Function));
    off();
    expect(ipcRenderer.removeListener).toHaveBeenCalled();
    expect(() => on('electron-store-get-data', () => {})).toThrow();
  });
});
