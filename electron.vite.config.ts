import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const r = (p: string): string => resolve(import.meta.dirname, p);

/**
 * `npm run dev` only: the dev server's React Refresh preamble is an inline script and HMR uses
 * a websocket, which the strict CSP of renderer/index.html forbids. Builds keep the strict CSP.
 */
const devServerCsp: Plugin = {
  name: 'paylink-dev-server-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html
      .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
      .replace("connect-src 'self'", "connect-src 'self' ws://localhost:*"),
};

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      sourcemap: false,
      lib: { entry: r('main/index.ts') },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      sourcemap: false,
      lib: { entry: r('preload/index.ts'), formats: ['cjs'] },
      rolldownOptions: { output: { entryFileNames: '[name].cjs', codeSplitting: false } },
    },
  },
  renderer: {
    root: r('renderer'),
    plugins: [react(), devServerCsp],
    base: './',
    build: {
      sourcemap: false,
      rolldownOptions: { input: r('renderer/index.html') },
    },
  },
});
