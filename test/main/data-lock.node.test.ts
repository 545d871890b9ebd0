/**
 * The data folder's lock (main/data-lock.ts) against real processes: a second holder in the
 * same process or another process is refused at once with the folder named, a refused
 * opener leaves the folder as it was, a holder killed with SIGKILL leaves no stale lock, and
 * release lets the next one in. The child runs the product module itself with plain Node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  acquireDataFolderLock,
  DataFolderInUseError,
  LOCK_FILE,
  type DataFolderLock,
} from '../../main/data-lock';
import { folderInUseText, folderLanguage } from '../../main/data-lock-text';

const root = mkdtempSync(join(tmpdir(), 'paylink-lock-'));
let n = 0;
const newDir = (): string => join(root, `data-${++n}`);
const moduleUrl = pathToFileURL(resolve(import.meta.dirname, '../../main/data-lock.ts')).href;

const held: DataFolderLock[] = [];
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const l of held.splice(0)) l.release();
  for (const c of children) c.kill('SIGKILL');
  children.clear();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const take = (dir: string): DataFolderLock => {
  const l = acquireDataFolderLock(dir);
  held.push(l);
  return l;
};

/** The refusal, caught (fails the test if acquire succeeded). */
function refusal(dir: string): DataFolderInUseError {
  try {
    take(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(DataFolderInUseError);
    return e as DataFolderInUseError;
  }
  throw new Error(`a second acquire of ${dir} was allowed`);
}

/** A child Node process that takes the lock with the product module and says "held". */
async function childHolding(dir: string): Promise<ChildProcess> {
  const script =
    `import { acquireDataFolderLock } from ${JSON.stringify(moduleUrl)};\n` +
    `acquireDataFolderLock(${JSON.stringify(dir)});\n` +
    `console.log('held');\n` +
    `setInterval(() => undefined, 1 << 30);\n`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const line = await new Promise<string>((res, rej) => {
    createInterface({ input: child.stdout }).once('line', res);
    child.once('exit', (code) => rej(new Error(`child exited (${code}): ${stderr}`)));
  });
  expect(line).toBe('held');
  return child;
}

/** Name, size, mtime and bytes of every file in a folder. */
const snapshot = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .map((f) => {
      const s = statSync(join(dir, f));
      return `${f} ${s.size} ${s.mtimeMs} ${readFileSync(join(dir, f)).toString('base64')}`;
    });

describe('the data folder lock', () => {
  it('refuses a second acquire in the same process, naming the folder', () => {
    const dir = newDir();
    const first = take(dir);
    expect(first.folder).toBe(resolve(dir));
    expect(first.path).toBe(join(resolve(dir), LOCK_FILE));
    const e = refusal(dir);
    expect(e.folder).toBe(resolve(dir));
    expect(e.code).toBe('data_folder_in_use');
    expect(e.message).toContain(resolve(dir));
  });

  it('is refused while another process holds it, and free at once after that process is killed -9', async () => {
    const dir = newDir();
    const child = await childHolding(dir);
    const e = refusal(dir);
    expect(e.message).toContain(resolve(dir));
    expect(e.message).toMatch(/in use/);

    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
    // No retry, no waiting: the OS dropped the dead process's lock.
    expect(() => take(dir)).not.toThrow();
  });

  it('a refused opener creates and changes nothing in the folder', async () => {
    const dir = newDir();
    const child = await childHolding(dir);
    writeFileSync(join(dir, 'journal.sqlite'), 'stand-in journal bytes');
    const before = snapshot(dir);
    await new Promise((r) => setTimeout(r, 20)); // a write now would show in mtime
    refusal(dir);
    refusal(dir);
    expect(snapshot(dir)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['journal.sqlite', LOCK_FILE]);
    child.kill('SIGKILL');
  });

  it('can be taken again after release (in this process and by another)', async () => {
    const dir = newDir();
    const first = take(dir);
    first.release();
    first.release(); // idempotent
    const second = take(dir);
    second.release();
    const child = await childHolding(dir); // another process gets it too
    refusal(dir);
    child.kill('SIGKILL');
  });

  it('keeps locks of different folders apart', () => {
    take(newDir());
    expect(() => take(newDir())).not.toThrow();
  });
});

describe('the words for a folder in use', () => {
  it('names the folder in English, Norwegian, Swedish or Danish, in the language saved in the folder', () => {
    const dir = newDir();
    expect(folderLanguage(dir)).toBe('en'); // no settings yet
    take(dir);
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ language: 'nb' }));
    expect(folderLanguage(dir)).toBe('nb');
    const nb = folderInUseText(resolve(dir), 'nb');
    const en = folderInUseText(resolve(dir), 'en');
    expect(nb.message).toContain(resolve(dir));
    expect(en.message).toContain(resolve(dir));
    expect(nb.message).toMatch(/er i bruk/);
    expect(en.message).toMatch(/is in use/);
    expect(nb.title).not.toBe(en.title);
    for (const [language, words] of [
      ['sv', /används av en annan/],
      ['da', /bruges af en anden/],
    ] as const) {
      writeFileSync(join(dir, 'settings.json'), JSON.stringify({ language }));
      expect(folderLanguage(dir)).toBe(language);
      const text = folderInUseText(resolve(dir), language);
      expect(text.message).toContain(resolve(dir));
      expect(text.message).toMatch(words);
    }
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ language: 'de' }));
    expect(folderLanguage(dir)).toBe('en');
    writeFileSync(join(dir, 'settings.json'), '{ not json');
    expect(folderLanguage(dir)).toBe('en');
  });
});
