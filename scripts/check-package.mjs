// Packaging check (part of `npm test`): runs electron-builder's real `--dir` target with
// electron-builder.yml against a stub Electron dist (no download possible here), then asserts
// what ended up in the package. Real installers are built on release machines.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import asar from '@electron/asar';

const root = resolve(import.meta.dirname, '..');
const outDir = mkdtempSync(join(tmpdir(), 'paylink-pack-'));
const stub = mkdtempSync(join(tmpdir(), 'electron-stub-'));
// A stub "Electron" that carries a real fuse wire (sentinel, version 1, 8 fuses in Electron's
// default states), so electron-builder flips the fuses for real and this check reads them.
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
writeFileSync(
  join(stub, 'electron'),
  Buffer.concat([
    Buffer.from(`#!/bin/sh\necho stub\nexit 0\n# ${FUSE_SENTINEL}`),
    Buffer.from([1, 8]),
    Buffer.from('10110001\n'),
  ]),
);
chmodSync(join(stub, 'electron'), 0o755);

const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

try {
  execFileSync(
    'npx',
    [
      'electron-builder',
      '--linux',
      'dir',
      '--config',
      'electron-builder.yml',
      `-c.electronDist=${stub}`,
      `-c.directories.output=${outDir}`,
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
    },
  );
  const resources = join(outDir, 'linux-unpacked', 'resources');
  const archive = join(resources, 'app.asar');
  check(existsSync(archive), 'resources/app.asar exists');
  const files = asar.listPackage(archive, { isPack: false }).map((f) => f.replaceAll('\\', '/'));
  const has = (p) => files.includes(p);
  check(has('/out/main/index.js'), 'main process bundle packed (out/main/index.js)');
  check(has('/out/preload/index.cjs'), 'sandboxed preload packed (out/preload/index.cjs)');
  check(has('/out/renderer/index.html'), 'renderer packed (out/renderer/index.html)');
  check(
    files.some((f) => f.startsWith('/out/renderer/assets/') && f.endsWith('.js')),
    'renderer scripts packed',
  );
  check(!files.some((f) => f.startsWith('/out/preview')), 'browser preview bridge NOT packed');
  check(
    !files.some((f) => /(^|\/)(test|tests|__tests__)\//.test(f) && !f.includes('/node_modules/')),
    'no test folders of ours',
  );
  check(!files.some((f) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(f)), 'no test files');
  check(!files.some((f) => f.endsWith('.map')), 'no source maps');
  check(
    !files.some(
      (f) => f.startsWith('/node_modules/node/') || f.startsWith('/node_modules/node-linux'),
    ),
    'no Node toolchain packed',
  );
  check(
    !files.some((f) =>
      /\/node_modules\/(electron|vitest|playwright-core|react|typescript)\//.test(f),
    ),
    'no dev dependencies packed',
  );
  check(has('/node_modules/keytar/package.json'), 'keytar packed');
  check(
    has('/node_modules/electron-updater/out/main.js') &&
      has('/node_modules/builder-util-runtime/package.json'),
    'electron-updater packed (with builder-util-runtime)',
  );
  // electron-builder writes the feed (electron-builder.yml `publish`) where electron-updater reads it.
  const updateYml = join(resources, 'app-update.yml');
  check(
    existsSync(updateYml) && /provider: generic/.test(readFileSync(updateYml, 'utf8')),
    'update feed configured (resources/app-update.yml, generic provider)',
  );
  const unpacked = join(
    resources,
    'app.asar.unpacked',
    'node_modules',
    'keytar',
    'build',
    'Release',
    'keytar.node',
  );
  check(existsSync(unpacked), 'keytar native module unpacked from the asar');
  const secretish = files.filter(
    (f) => /\.(env|pem|key|p12|pfx)$/.test(f) || /(^|\/)\.npmrc$/.test(f),
  );
  check(
    secretish.length === 0,
    `no key/env files packed${secretish.length ? `: ${secretish.join(', ')}` : ''}`,
  );
  const mainJs = asar.extractFile(archive, 'out/main/index.js').toString('utf8');
  check(!/sourceMappingURL/.test(mainJs), 'main bundle carries no source map reference');
  // The fuses electron-builder flipped in the packaged executable.
  const unpackedDir = join(outDir, 'linux-unpacked');
  const exe = readdirSync(unpackedDir)
    .map((f) => join(unpackedDir, f))
    .find((f) => statSync(f).isFile() && readFileSync(f).includes(FUSE_SENTINEL));
  check(!!exe, 'packaged executable carries the fuse wire');
  if (exe) {
    const bin = readFileSync(exe);
    const at = bin.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length + 2;
    const fuse = (i) => String.fromCharCode(bin[at + i]);
    check(fuse(0) === '0', 'fuse RunAsNode off');
    check(fuse(1) === '1', 'fuse EnableCookieEncryption on');
    check(fuse(2) === '0', 'fuse EnableNodeOptionsEnvironmentVariable off');
    check(fuse(3) === '0', 'fuse EnableNodeCliInspectArguments off');
    check(fuse(4) === '1', 'fuse EnableEmbeddedAsarIntegrityValidation on');
    check(fuse(5) === '1', 'fuse OnlyLoadAppFromAsar on');
  }
  const count = files.length;
  console.log(
    `package: ${count} entries in app.asar; unpacked: ${readdirSync(join(resources, 'app.asar.unpacked')).join(', ')}`,
  );
} catch (e) {
  failures.push(
    `electron-builder failed: ${(String(e.stdout ?? '') + String(e.stderr ?? '') + e.message).slice(-3000)}`,
  );
  console.log(failures.at(-1));
} finally {
  rmSync(outDir, { recursive: true, force: true });
  rmSync(stub, { recursive: true, force: true });
}

if (failures.length) {
  console.log(`packaging check: ${failures.length} failed`);
  process.exit(1);
}
console.log('packaging check: all passed');
