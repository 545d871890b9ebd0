import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const r = (p: string): string => resolve(import.meta.dirname, p);

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
    plugins: [react()],
    base: './',
    build: {
      sourcemap: false,
      rolldownOptions: { input: r('renderer/index.html') },
    },
  },
});
