// Builds the browser preview (never packaged): the Node entry (SSR build of
// main/preview/cli.ts, dependencies external) and the bridge client (one IIFE script).
import { resolve } from 'node:path';
import { build } from 'vite';

const root = resolve(import.meta.dirname, '..');
const outDir = resolve(root, 'out/preview');

await build({
  root,
  configFile: false,
  logLevel: 'warn',
  build: {
    ssr: resolve(root, 'main/preview/cli.ts'),
    outDir,
    emptyOutDir: true,
    target: 'node24',
    sourcemap: false,
    rolldownOptions: { output: { entryFileNames: 'cli.mjs', format: 'es' } },
  },
  ssr: { noExternal: [] },
});

await build({
  root,
  configFile: false,
  logLevel: 'warn',
  build: {
    outDir,
    emptyOutDir: false,
    sourcemap: false,
    lib: {
      entry: resolve(root, 'main/preview/bridge-client.ts'),
      formats: ['iife'],
      name: 'PaylinkBridge',
      fileName: () => 'bridge.js',
    },
  },
});
