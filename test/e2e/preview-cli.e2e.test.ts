/**
 * `npm run preview:browser` as a developer runs it: the built CLI prints one URL line, serves
 * the renderer with the bridge, starts in training mode without credentials, and the bridge
 * refuses calls without the per-run secret or with a foreign Host/Origin.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root, tempDataDir } from './harness';

const cli = join(root, 'out/preview/cli.mjs');
let child: ChildProcess;
let url = '';
let token = '';
const dataDir = tempDataDir();

beforeAll(async () => {
  expect(existsSync(cli), 'run `npm run build:preview` (npm test does) before the e2e suite').toBe(
    true,
  );
  child = spawn(process.execPath, [cli], {
    env: { ...process.env, PAYLINK_PREVIEW_PORT: '0', PAYLINK_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('preview did not print its URL')), 30_000);
    lines.once('line', (l) => {
      clearTimeout(timer);
      resolve(l.trim());
    });
  });
  const html = await (await fetch(url)).text();
  token = /data-token="([^"]+)"/.exec(html)?.[1] ?? '';
});

afterAll(() => {
  child?.kill('SIGTERM');
});

const invoke = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(new URL('/__paylink/invoke', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('npm run preview:browser', () => {
  it('prints exactly its loopback URL', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves the renderer with the bridge and a per-run secret', async () => {
    const res = await fetch(url);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(token.length).toBeGreaterThanOrEqual(24);
    const bridge = await fetch(new URL('/__paylink/bridge.js', url));
    expect(bridge.status).toBe(200);
  });

  it('starts in training mode when no credentials are set', async () => {
    const res = await invoke({ channel: 'app:status', input: null }, { 'x-paylink-token': token });
    const body = (await res.json()) as { ok: boolean; value: { mode: string } };
    expect(body).toMatchObject({ ok: true, value: { mode: 'training' } });
  });

  it('refuses calls without the secret, with a wrong one, or from a foreign origin', async () => {
    expect((await invoke({ channel: 'app:status' })).status).toBe(403);
    expect(
      (await invoke({ channel: 'app:status' }, { 'x-paylink-token': 'x'.repeat(token.length) }))
        .status,
    ).toBe(403);
    expect(
      (
        await invoke(
          { channel: 'app:status' },
          { 'x-paylink-token': token, origin: 'https://evil.example' },
        )
      ).status,
    ).toBe(403);
    const events = await fetch(new URL('/__paylink/events?token=wrong', url));
    expect(events.status).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(url);
      const req = request(
        { host: '127.0.0.1', port: u.port, path: '/', headers: { host: 'evil.example' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('does not serve files outside the renderer folder', async () => {
    const res = await fetch(new URL('/..%2f..%2fpackage.json', url));
    expect(res.status).toBe(404);
  });
});
