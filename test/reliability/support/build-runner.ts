/**
 * Builds child-process entries into a temp folder with vite's SSR build (the way
 * scripts/build-preview.mjs builds the preview): engine-runner.ts, and the browser preview's
 * CLI (main/preview/cli.ts, the real `npm run preview:browser` entry). So a child process
 * runs the product with plain Node: the product uses TypeScript that Node cannot strip
 * (parameter properties), and loading ~40 .ts files through a transform on every one of 200
 * restarts would cost minutes. Dependencies stay external; a `node_modules` symlink beside the
 * bundle lets Node find them.
 */
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { ROOT } from './env';

/** Builds the runner into `outDir`; returns the path of the .mjs to run. */
export async function buildEngineRunner(outDir: string): Promise<string> {
  await build({
    root: ROOT,
    configFile: false,
    logLevel: 'warn',
    build: {
      ssr: join(ROOT, 'test/reliability/support/engine-runner.ts'),
      outDir,
      emptyOutDir: true,
      target: 'node24',
      sourcemap: false,
      minify: false,
      rolldownOptions: { output: { entryFileNames: 'engine-runner.mjs', format: 'es' } },
    },
    ssr: { noExternal: [] },
  });
  const link = join(outDir, 'node_modules');
  if (!existsSync(link)) symlinkSync(join(ROOT, 'node_modules'), link, 'dir');
  return join(outDir, 'engine-runner.mjs');
}

/**
 * Builds main/preview/cli.ts as scripts/build-preview.mjs does, into `<outDir>/preview/cli.mjs`,
 * beside a stand-in renderer page and bridge script (the bridge's token is injected into the
 * page, which is all a test needs to call it). Returns the path of cli.mjs.
 */
export async function buildPreviewCli(outDir: string): Promise<string> {
  const previewDir = join(outDir, 'preview');
  await build({
    root: ROOT,
    configFile: false,
    logLevel: 'warn',
    build: {
      ssr: join(ROOT, 'main/preview/cli.ts'),
      outDir: previewDir,
      emptyOutDir: true,
      target: 'node24',
      sourcemap: false,
      minify: false,
      rolldownOptions: { output: { entryFileNames: 'cli.mjs', format: 'es' } },
    },
    ssr: { noExternal: [] },
  });
  writeFileSync(join(previewDir, 'bridge.js'), '/* stand-in */\n');
  mkdirSync(join(outDir, 'renderer'), { recursive: true });
  writeFileSync(
    join(outDir, 'renderer', 'index.html'),
    '<!doctype html><html><head><title>Paylink Desk</title></head><body></body></html>\n',
  );
  const link = join(outDir, 'node_modules');
  if (!existsSync(link)) symlinkSync(join(ROOT, 'node_modules'), link, 'dir');
  return join(previewDir, 'cli.mjs');
}
