// `npm test`: the one command that says whether the tree is sound. Runs every check in
// order, keeps going after a failure so the whole picture is printed, and ends with one line
// a person (and CI) can read: "summary: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findChromium } from './find-chromium.mjs';

const root = resolve(import.meta.dirname, '..');
const artifacts = join(root, 'test-artifacts');
mkdirSync(artifacts, { recursive: true });
const results = [];

function step(name, cmd, args, opts = {}) {
  const started = Date.now();
  console.log(`\n=== ${name}: ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...opts.env },
  });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: (Date.now() - started) / 1000 });
  return ok;
}

const chromium = findChromium();
step('type-check (every project)', 'npm', ['run', '--silent', 'typecheck']);
step('lint', 'npx', ['eslint', '.', '--max-warnings=0']);
step('format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']);
const built =
  step('build', 'npx', ['electron-vite', 'build']) &&
  step('build preview bridge', 'node', ['scripts/build-preview.mjs']);

const report = join(artifacts, 'vitest-report.json');
rmSync(report, { force: true });
const projects = ['node', 'happy-dom', 'jsdom', 'e2e'].flatMap((p) => ['--project', p]);
step('vitest (unit, integration, component, e2e)', 'npx', [
  'vitest',
  'run',
  ...projects,
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
]);
step('packaging check', 'node', ['scripts/check-package.mjs']);

let tests = { passed: 0, failed: 0, skipped: 0 };
if (existsSync(report)) {
  const j = JSON.parse(readFileSync(report, 'utf8'));
  tests = {
    passed: j.numPassedTests ?? 0,
    failed: j.numFailedTests ?? 0,
    skipped: (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0),
  };
}

console.log('\n=== npm test results');
for (const r of results)
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds.toFixed(1)} s)`);
if (!chromium.path) console.log(`e2e: SKIPPED: ${chromium.reason}`);
else console.log(`e2e: ran in ${chromium.path}`);
if (!built) console.log('build failed: e2e and packaging results are not meaningful');
const checksFailed = results.filter((r) => !r.ok).length;
const checksPassed = results.length - checksFailed;
console.log(
  `checks: ${checksPassed} of ${results.length} ok; tests: ${tests.passed} passed, ${tests.failed} failed, ${tests.skipped} skipped`,
);
// The closing line counts every check step and every test.
console.log(
  `summary: ${checksPassed + tests.passed} passed, ${checksFailed + tests.failed} failed, ${tests.skipped} skipped`,
);
process.exit(checksFailed === 0 && tests.failed === 0 ? 0 : 1);
