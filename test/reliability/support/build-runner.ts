/**
 * Builds engine-runner.ts into a temp folder with vite's SSR build (the way
 * scripts/build-preview.mjs builds the preview), so a child process can run the engine with
 * plain Node: the product uses TypeScript that Node cannot strip (parameter properties), and
 * loading ~40 .ts files through a transform on every one of 200 restarts would cost minutes.
 * Dependencies stay external; a `node_modules` symlink beside the bundle lets Node find them.
 */
import { existsSync, symlinkSync } from 'node:fs';
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
