import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { defineConfig, globalIgnores } from 'eslint/config';
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';

/*
 * The house plan, enforced (docs/ARCHITECTURE.md "Layout"): which runtime may import what.
 * test/lint-rules.node.test.ts shows every rule below fires on a violation and stays quiet on
 * legal code.
 */

const root = import.meta.dirname;

/** Every Node built-in, with or without `node:` (fs, fs/promises, node:sqlite, ...). */
const NODE_BUILTIN = `^(?:node:.*|(?:${builtinModules.map((m) => m.replace(/[/.]/g, '\\$&')).join('|')})(?:/.*)?)$`;

const IPC_ADAPTERS = ['main/ipc/electron-ipc.ts', 'preload/index.ts'];
const RAW_IPC = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message:
    'Raw ipcMain/ipcRenderer live only in the two IPC adapters (main/ipc/electron-ipc.ts, preload/index.ts): every channel goes through their sender check and the contract.',
};
const NO_ELECTRON = (why) => ({ name: 'electron', message: `No electron here: ${why}` });

/** Electron imported whole would hide ipcMain/ipcRenderer from the rule above. */
const ELECTRON_BY_NAME = [
  {
    selector:
      "ImportDeclaration[source.value='electron'] > :matches(ImportNamespaceSpecifier, ImportDefaultSpecifier)",
    message: "Import electron's parts by name (import { app } from 'electron').",
  },
  {
    selector: "CallExpression[callee.name='require'][arguments.0.value='electron']",
    message: "Import electron's parts by name (import { app } from 'electron').",
  },
];

/**
 * `house/import-boundary`: a relative import (or re-export, import(), require()) is resolved
 * against the importing file, and must land inside `within` (when given) and outside every
 * folder of `forbidden`. Folders are relative to the repository root. Bare specifiers are left
 * to no-restricted-imports.
 */
const importBoundary = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep relative imports inside the folders a runtime may use.' },
    schema: [
      {
        type: 'object',
        properties: {
          within: { type: 'string' },
          forbidden: { type: 'array', items: { type: 'string' } },
          message: { type: 'string' },
        },
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    const { within, forbidden = [], message = '' } = context.options[0] ?? {};
    const inside = (rel, folder) => rel === folder || rel.startsWith(`${folder}/`);
    const check = (node) => {
      const spec = node?.type === 'Literal' ? node.value : undefined;
      if (typeof spec !== 'string' || !(spec.startsWith('.') || spec.startsWith('/'))) return;
      const target = resolve(dirname(context.filename), spec);
      const rel = relative(root, target).split(sep).join('/');
      const bad =
        (within !== undefined && !inside(rel, within)) ||
        forbidden.some((folder) => inside(rel, folder));
      if (bad) context.report({ node, message: `'${spec}' resolves to ${rel}: ${message}` });
    };
    return {
      ImportDeclaration: (n) => check(n.source),
      ExportNamedDeclaration: (n) => check(n.source),
      ExportAllDeclaration: (n) => check(n.source),
      ImportExpression: (n) => check(n.source),
      TSImportEqualsDeclaration: (n) => check(n.moduleReference?.expression),
      CallExpression: (n) => {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require') check(n.arguments[0]);
      },
    };
  },
};
const house = { rules: { 'import-boundary': importBoundary } };

export default defineConfig([
  globalIgnores(['out/**', 'dist/**', 'node_modules/**', 'test-artifacts/**', 'coverage/**']),
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/only-throw-error': 'off',
      'no-eval': 'error',
      'no-implied-eval': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['main/**', 'scripts/**', 'test/**', '*.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['renderer/**', 'preload/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'test/renderer/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
  },
  {
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // ---- The house plan. Later blocks override earlier ones for the same rule, so each folder's
  // block repeats the raw-IPC ban it inherits.
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    plugins: { house },
    rules: {
      'no-restricted-imports': ['error', { paths: [RAW_IPC] }],
      'no-restricted-syntax': ['error', ...ELECTRON_BY_NAME],
    },
  },
  {
    files: IPC_ADAPTERS,
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The page: no Electron, no Node, nothing from the main process or the preload.
    files: ['renderer/**'],
    plugins: { house },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [NO_ELECTRON('the page talks to main only through window.paylink.')],
          patterns: [
            {
              regex: NODE_BUILTIN,
              message: 'No Node modules in the page: it runs sandboxed, without Node.',
            },
          ],
        },
      ],
      'house/import-boundary': [
        'error',
        {
          forbidden: ['main', 'preload'],
          message:
            'the page imports only renderer/ and common/ (main/ and preload/ run in other processes).',
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['process', 'require', 'Buffer', 'global', '__dirname', '__filename'].map((name) => ({
          name,
          message: 'The page runs without Node.',
        })),
      ],
    },
  },
  {
    // Shared by every runtime: itself and pure libraries only.
    files: ['common/**'],
    plugins: { house },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.|zod$|libphonenumber-js(?:/.*)?$|i18next$)',
              message:
                'common/ runs in every process: it may import only common/ and pure libraries (zod, libphonenumber-js, i18next).',
            },
          ],
        },
      ],
      'house/import-boundary': [
        'error',
        { within: 'common', message: 'common/ may import only common/ and pure libraries.' },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'process',
          'require',
          'Buffer',
          'global',
          '__dirname',
          '__filename',
          'window',
          'document',
          'navigator',
          'localStorage',
        ].map((name) => ({ name, message: 'common/ runs in every process: no Node, no DOM.' })),
      ],
    },
  },
  {
    // The order engine and the Dintero client are plain Node: testable without Electron.
    files: ['main/orders/**', 'main/dintero/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            NO_ELECTRON(
              'the order engine and the Dintero client are plain Node (main/index.ts and services.ts wire Electron in).',
            ),
          ],
        },
      ],
    },
  },
]);
