/**
 * The house plan's lint rules (eslint.config.js), run through ESLint's own Node API on the
 * repository's real configuration: each rule reports a sample violation written into a real
 * file's place (the file on disk is not touched) and stays quiet on the legal sample beside
 * it. Only the plan's rules are counted; whatever else the type-aware rules say about a
 * two-line sample is beside the point here.
 */
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const PLAN_RULES = new Set([
  'no-restricted-imports',
  'no-restricted-globals',
  'no-restricted-syntax',
  'house/import-boundary',
]);

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** The plan's rule ids reported for `code` linted as if it were `filePath`. */
async function planRulesFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) });
  return (result?.messages ?? [])
    .map((m) => m.ruleId ?? `fatal: ${m.message}`)
    .filter((id) => PLAN_RULES.has(id) || id.startsWith('fatal'));
}

interface Case {
  what: string;
  file: string;
  bad: string;
  rule: string;
  good: string;
}

const cases: Case[] = [
  {
    what: 'the renderer importing main/',
    file: 'renderer/src/App.tsx',
    bad: "import { AppServices } from '../../main/services';\nexport const s = AppServices;\n",
    rule: 'house/import-boundary',
    good: "import { formatMoney } from '../../common/money';\nexport const f = formatMoney;\n",
  },
  {
    what: 'the renderer importing preload/',
    file: 'renderer/src/screens/OrderBoardScreen.tsx',
    bad: "import '../../../preload/index';\n",
    rule: 'house/import-boundary',
    good: "import { useApi } from '../api';\nexport const a = useApi;\n",
  },
  {
    what: 'the renderer importing a node: module',
    file: 'renderer/src/App.tsx',
    bad: "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
    rule: 'no-restricted-imports',
    good: "import { useState } from 'react';\nexport const u = useState;\n",
  },
  {
    what: 'the renderer importing a Node built-in without the node: prefix',
    file: 'renderer/src/lib/format.ts',
    bad: "import { join } from 'path';\nexport const j = join;\n",
    rule: 'no-restricted-imports',
    good: "import { formatMoney } from '../../../common/money';\nexport const f = formatMoney;\n",
  },
  {
    what: 'the renderer importing electron',
    file: 'renderer/src/App.tsx',
    bad: "import { shell } from 'electron';\nexport const s = shell;\n",
    rule: 'no-restricted-imports',
    good: "import i18next from 'i18next';\nexport const i = i18next;\n",
  },
  {
    what: "the renderer reaching for Node's process",
    file: 'renderer/src/lib/format.ts',
    bad: 'export const env = process.env.NODE_ENV;\n',
    rule: 'no-restricted-globals',
    good: 'export const lang = navigator.language;\n',
  },
  {
    what: 'common/ importing main/',
    file: 'common/money.ts',
    bad: "import { createLogger } from '../main/log';\nexport const c = createLogger;\n",
    rule: 'house/import-boundary',
    good: "import { STATUS_WORDS } from './domain';\nexport const w = STATUS_WORDS;\n",
  },
  {
    what: 'common/ importing the renderer (from a subfolder)',
    file: 'common/i18n/en.ts',
    bad: "import { useApi } from '../../renderer/src/api';\nexport const a = useApi;\n",
    rule: 'house/import-boundary',
    good: "import { STATUS_WORDS } from '../domain';\nexport const w = STATUS_WORDS;\n",
  },
  {
    what: 'common/ importing a node: module',
    file: 'common/money.ts',
    bad: "import { randomUUID } from 'node:crypto';\nexport const r = randomUUID;\n",
    rule: 'no-restricted-imports',
    good: "import { z } from 'zod';\nexport const s = z.string();\n",
  },
  {
    what: 'common/ importing a library off the allow-list',
    file: 'common/phone.ts',
    bad: "import got from 'got';\nexport const g = got;\n",
    rule: 'no-restricted-imports',
    good: "import { parsePhoneNumberFromString } from 'libphonenumber-js/max';\nexport const p = parsePhoneNumberFromString;\n",
  },
  {
    what: 'common/ importing react',
    file: 'common/i18n/index.ts',
    bad: "import { useState } from 'react';\nexport const u = useState;\n",
    rule: 'no-restricted-imports',
    good: "import i18next from 'i18next';\nexport const i = i18next;\n",
  },
  {
    what: 'common/ using the DOM',
    file: 'common/money.ts',
    bad: 'export const title = document.title;\n',
    rule: 'no-restricted-globals',
    good: "export const nf = new Intl.NumberFormat('nb-NO');\n",
  },
  {
    what: 'main/orders importing electron',
    file: 'main/orders/engine.ts',
    bad: "import { Notification } from 'electron';\nexport const n = Notification;\n",
    rule: 'no-restricted-imports',
    good: "import { join } from 'node:path';\nexport const j = join;\n",
  },
  {
    what: 'main/dintero importing electron (even a type)',
    file: 'main/dintero/client.ts',
    bad: "import type { App } from 'electron';\nexport type A = App;\n",
    rule: 'no-restricted-imports',
    good: "import type { DinteroClient } from './types';\nexport type C = DinteroClient;\n",
  },
  {
    what: 'raw ipcMain outside the IPC adapters (main/index.ts)',
    file: 'main/index.ts',
    bad: "import { ipcMain } from 'electron';\nexport const i = ipcMain;\n",
    rule: 'no-restricted-imports',
    good: "import { app } from 'electron';\nexport const a = app;\n",
  },
  {
    what: 'raw ipcMain outside the IPC adapters (main/services.ts)',
    file: 'main/services.ts',
    bad: "import { ipcMain as m } from 'electron';\nexport const i = m;\n",
    rule: 'no-restricted-imports',
    good: "import type { IpcMain } from 'electron';\nexport type I = IpcMain;\n",
  },
  {
    what: 'raw ipcRenderer outside the preload',
    file: 'main/window.ts',
    bad: "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n",
    rule: 'no-restricted-imports',
    good: "import { shell } from 'electron';\nexport const s = shell;\n",
  },
  {
    what: 'electron imported whole (which would hide ipcMain from the rule)',
    file: 'main/notifications.ts',
    bad: "import * as electron from 'electron';\nexport const i = electron.ipcMain;\n",
    rule: 'no-restricted-syntax',
    good: "import { Notification } from 'electron';\nexport const n = Notification;\n",
  },
];

describe('the house plan lint rules', () => {
  for (const c of cases) {
    it(`${c.rule} reports ${c.what}, and allows the legal sample`, async () => {
      expect(await planRulesFor(c.file, c.bad)).toContain(c.rule);
      expect(await planRulesFor(c.file, c.good)).toEqual([]);
    }, 120_000);
  }

  it('the two IPC adapters may hold raw ipcMain / ipcRenderer', async () => {
    expect(
      await planRulesFor(
        'main/ipc/electron-ipc.ts',
        "import { ipcMain } from 'electron';\nexport const i = ipcMain;\n",
      ),
    ).toEqual([]);
    expect(
      await planRulesFor(
        'preload/index.ts',
        "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n",
      ),
    ).toEqual([]);
  }, 120_000);
});
