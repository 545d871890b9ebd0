/**
 * Corrupt journal and settings files at startup: never a silent wipe, always a clear message,
 * and the app still starts.
 *
 * Each case writes a damaged file into a fresh data folder and starts the whole main side
 * (AppServices, training mode, real handler table), twice. Checked each time:
 * - AppServices.create resolves (the app starts), and the IPC surface answers: app:status,
 *   orders:list and settings:get work; with a damaged journal orders:create is refused with the
 *   typed `journal_unavailable` code; with damaged settings an order can still be taken;
 * - status().journalProblem / settingsWarning says what happened in words, naming the file;
 * - the original bytes are still at their path, or a byte-identical copy exists in the folder.
 */
import { english } from '../../common/i18n';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppStatus } from '../../common/domain';
import type { IpcResult } from '../../common/ipc-contract';
import { MemorySecretStore } from '../../main/credentials/memory-secret-store';
import { dispatch } from '../../main/ipc/dispatch';
import { createHandlerTable } from '../../main/ipc/handlers';
import { createLogger, logDir } from '../../main/log';
import { AppServices, modeDataDir } from '../../main/services';
import {
  FAST_TIMING,
  orderInput,
  prng,
  summary,
  tempRoot,
  waitFor,
  type TempRoot,
} from './support/env';
import { filesUnder } from './support/scan';

type Target = 'journal' | 'journal-wal' | 'settings';

interface Case {
  name: string;
  target: Target;
  /** Writes the damage into `dataDir`; returns the damaged file's path (or undefined). */
  make(dataDir: string): string;
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('corrupt journal and settings files at startup', () => {
  let root: TempRoot;
  let goodJournal: Buffer;
  let goodSettings: Buffer;
  const rand = prng(77);
  const garbage = (n: number): Buffer =>
    Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));

  beforeAll(async () => {
    root = tempRoot('corrupt');
    // A real journal with orders in it, closed cleanly, and a real settings file.
    const dir = root.dir('good');
    const svc = await AppServices.create({
      dataDir: dir,
      secretStore: new MemorySecretStore(),
      logger: createLogger({ level: 'silent' }),
      version: 'rel',
      engineTiming: FAST_TIMING,
    });
    await svc.saveSettings({ terminalName: 'Till 7', storeId: 'bergen-2' });
    for (let i = 0; i < 40; i++) await svc.engine.createOrder(orderInput(i), 'Till 7');
    await waitFor(() => svc.status().queueLength === 0, { timeoutMs: 20_000, what: 'orders sent' });
    await svc.close();
    goodJournal = readFileSync(join(modeDataDir(dir, 'training'), 'journal.sqlite'));
    goodSettings = readFileSync(join(dir, 'settings.json'));
  });

  afterAll(async () => {
    await root?.cleanup();
  });

  const journalFile = (d: string): string => {
    const t = modeDataDir(d, 'training');
    mkdirSync(t, { recursive: true });
    return join(t, 'journal.sqlite');
  };
  const settingsFile = (d: string): string => join(d, 'settings.json');
  const put = (path: string, bytes: Buffer | string): string => {
    writeFileSync(path, bytes);
    return path;
  };

  const CASES: Case[] = [
    { name: 'journal: empty (0 bytes)', target: 'journal', make: (d) => put(journalFile(d), '') },
    {
      name: 'journal: truncated to half',
      target: 'journal',
      make: (d) => put(journalFile(d), goodJournal.subarray(0, Math.floor(goodJournal.length / 2))),
    },
    {
      name: 'journal: truncated inside the header (60 bytes)',
      target: 'journal',
      make: (d) => put(journalFile(d), goodJournal.subarray(0, 60)),
    },
    {
      name: 'journal: truncated by one page',
      target: 'journal',
      make: (d) => {
        const p = put(journalFile(d), goodJournal);
        truncateSync(p, goodJournal.length - 4096);
        return p;
      },
    },
    {
      name: 'journal: garbage (64 KiB random)',
      target: 'journal',
      make: (d) => put(journalFile(d), garbage(65_536)),
    },
    {
      name: 'journal: SQLite header, garbage after',
      target: 'journal',
      make: (d) =>
        put(journalFile(d), Buffer.concat([goodJournal.subarray(0, 100), garbage(32_768)])),
    },
    {
      name: 'journal: a page in the middle overwritten',
      target: 'journal',
      make: (d) => {
        const b = Buffer.from(goodJournal);
        const pages = Math.floor(b.length / 4096);
        garbage(4096).copy(b, 4096 * Math.max(1, Math.floor(pages / 2)));
        return put(journalFile(d), b);
      },
    },
    {
      name: 'journal: newer schema (user_version 99)',
      target: 'journal',
      make: (d) => {
        const p = put(journalFile(d), goodJournal);
        const db = new DatabaseSync(p);
        db.exec('PRAGMA user_version = 99');
        db.close();
        return p;
      },
    },
    {
      name: 'journal: missing, its -wal left behind',
      target: 'journal-wal',
      make: (d) => put(`${journalFile(d)}-wal`, garbage(8192)),
    },
    { name: 'settings: empty', target: 'settings', make: (d) => put(settingsFile(d), '') },
    {
      name: 'settings: truncated JSON',
      target: 'settings',
      make: (d) =>
        put(settingsFile(d), goodSettings.subarray(0, Math.floor(goodSettings.length / 2))),
    },
    {
      name: 'settings: garbage',
      target: 'settings',
      make: (d) => put(settingsFile(d), garbage(2048)),
    },
    {
      name: 'settings: wrong types',
      target: 'settings',
      make: (d) =>
        put(
          settingsFile(d),
          JSON.stringify({
            ...JSON.parse(goodSettings.toString('utf8')),
            maxOrderAmount: 'lots',
            notifications: 7,
          }),
        ),
    },
    {
      name: 'settings: from a newer version (unknown keys)',
      target: 'settings',
      make: (d) =>
        put(
          settingsFile(d),
          JSON.stringify({
            ...JSON.parse(goodSettings.toString('utf8')),
            settingsVersion: 3,
            kioskMode: { enabled: true },
          }),
        ),
    },
    { name: 'settings: JSON null', target: 'settings', make: (d) => put(settingsFile(d), 'null') },
    {
      name: 'settings: JSON array',
      target: 'settings',
      make: (d) => put(settingsFile(d), '[{"accountId":"P12345678"}]'),
    },
  ];

  it('every damaged file: the app starts, says so plainly, and keeps the original bytes', async () => {
    const rows: string[] = [];
    const failures: string[] = [];
    // Each case alone, and one with both files damaged at once.
    const runs: Array<{ name: string; cases: Case[] }> = [
      ...CASES.map((c) => ({ name: c.name, cases: [c] })),
      { name: 'both: garbage journal + garbage settings', cases: [CASES[4]!, CASES[11]!] },
    ];
    for (const run of runs) {
      const dataDir = root.dir('case');
      const originals = run.cases.map((c) => {
        const path = c.make(dataDir);
        return { c, path, bytes: readFileSync(path) };
      });
      const problems: string[] = [];
      let message = '';
      for (const attempt of [1, 2]) {
        let svc: AppServices | undefined;
        try {
          svc = await AppServices.create({
            dataDir,
            secretStore: new MemorySecretStore(),
            logger: createLogger({ dir: logDir(dataDir), level: 'debug' }),
            version: 'rel',
            engineTiming: FAST_TIMING,
          });
        } catch (e) {
          problems.push(`start ${attempt}: AppServices.create threw ${String(e)}`);
          continue;
        }
        try {
          const table = createHandlerTable(svc);
          const call = (channel: string, input?: unknown): Promise<IpcResult<unknown>> =>
            dispatch(table, channel, input, { actor: 'Till' });
          const st = await call('app:status');
          const status = (st.ok ? st.value : undefined) as AppStatus | undefined;
          if (!status) problems.push(`start ${attempt}: app:status failed`);
          for (const ch of ['orders:list', 'settings:get']) {
            const r = await call(ch);
            if (!r.ok) problems.push(`start ${attempt}: ${ch} failed (${r.error.code})`);
          }
          const create = await call('orders:create', orderInput(900 + attempt));
          const journalDamaged = run.cases.some((c) => c.target !== 'settings');
          const settingsDamaged = run.cases.some((c) => c.target === 'settings');
          if (journalDamaged) {
            const msg = status?.journalProblem ? english(status.journalProblem) : '';
            message ||= msg;
            if (!msg) problems.push(`start ${attempt}: no journalProblem message`);
            else if (!msg.includes('journal.sqlite'))
              problems.push('the message does not name the file');
            if (create.ok || create.error.code !== 'journal_unavailable') {
              problems.push(
                `start ${attempt}: orders:create gave ${create.ok ? 'ok' : create.error.code}`,
              );
            }
          } else if (!create.ok) {
            problems.push(
              `start ${attempt}: orders:create refused (${create.error.code}) with only settings damaged`,
            );
          }
          if (settingsDamaged && attempt === 1) {
            const msg = status?.settingsWarning ? english(status.settingsWarning) : '';
            message = message ? `${message} / ${msg}` : msg;
            if (!msg) problems.push('no settingsWarning message');
            else if (!msg.includes('settings.json'))
              problems.push('the warning does not name the file');
          }
        } finally {
          await svc.close();
        }
        // Never a silent wipe: the bytes are where they were, or a byte-identical copy exists.
        for (const o of originals) {
          const want = sha(o.bytes);
          const inPlace =
            existsSync(o.path) && statSync(o.path).isFile() && sha(readFileSync(o.path)) === want;
          const copies = filesUnder(dataDir).filter(
            (f) =>
              f !== o.path && statSync(f).size === o.bytes.length && sha(readFileSync(f)) === want,
          );
          if (!inPlace && copies.length === 0) {
            problems.push(
              `start ${attempt}: the original ${basename(o.path)} (${o.bytes.length} bytes) is gone, no copy`,
            );
          }
        }
      }
      const ok = problems.length === 0;
      if (!ok) failures.push(`${run.name}: ${problems.join('; ')}`);
      rows.push(
        `${ok ? '✓' : '✗'} ${run.name.padEnd(48)} ${message.replace(/\s+/g, ' ').slice(0, 110)}…`,
      );
    }
    console.log(
      `corrupt-startup (two starts per case; ✓ = started, said so, bytes kept):\n${rows.join('\n')}`,
    );
    for (const f of failures) console.log(`corrupt-startup: ✗ ${f}`);
    summary('corrupt-startup', runs.length - failures.length, failures.length);
    expect(failures).toEqual([]);
  });
});
