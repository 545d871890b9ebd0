// `npm run typecheck`: one TypeScript project per runtime, each checked with its own libraries,
// so code that uses another runtime's globals fails here (a `document` in main/, a `process` or
// `NodeJS.Timeout` in common/ or renderer/). Runs every project even after a failure and exits
// non-zero when any failed.
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/**
 * Every project in the tree, found on disk (a new tsconfig.json is checked without being listed):
 * common/ (no DOM, no Node), renderer/ (DOM), main/ (Node), main/preview/ (the preview bridge's
 * page side: DOM), preload/ (Node), test/ (vitest: Node + DOM), and the root (tooling).
 */
const PROJECTS = globSync('**/tsconfig.json', {
  cwd: root,
  exclude: (p) => /(^|\/)(node_modules|out|dist|test-artifacts|\.git)$/.test(p),
}).sort();

const failed = [];
for (const project of PROJECTS) {
  const started = Date.now();
  const r = spawnSync('npx', ['tsc', '--noEmit', '-p', project], { cwd: root, stdio: 'inherit' });
  const ok = r.status === 0;
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} tsc -p ${project} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  if (!ok) failed.push(project);
}
if (failed.length > 0) {
  console.error(`type-check failed in: ${failed.join(', ')}`);
  process.exit(1);
}
