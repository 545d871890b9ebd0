/**
 * Leak scans over a test's artefacts: every file under a folder (logs, journal.sqlite and its
 * -wal, settings.json, simulator state) searched byte-wise for secrets, and log lines searched
 * for full phone numbers.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every regular file under `dir` (recursive; symlinks not followed). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) out.push(...filesUnder(p));
    else if (st.isFile()) out.push(p);
  }
  return out;
}

/** Occurrences of `needle` in `hay`. */
export function countBytes(hay: Buffer, needle: Buffer): number {
  if (needle.length === 0) return 0;
  let n = 0;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** One place a secret was found. */
export interface Leak {
  file: string;
  /** The first and last 3 characters of the needle (never the whole secret in a report). */
  needle: string;
  count: number;
}

const hint = (s: string): string => `${s.slice(0, 3)}…${s.slice(-3)} (${s.length} chars)`;

/** Searches every file under each root for each needle (UTF-8 bytes). */
export function scanForSecrets(
  roots: readonly string[],
  needles: readonly string[],
): { files: number; bytes: number; leaks: Leak[] } {
  const bufs = needles
    .filter((n) => n.length >= 6)
    .map((n) => [n, Buffer.from(n, 'utf8')] as const);
  const leaks: Leak[] = [];
  let files = 0;
  let bytes = 0;
  for (const root of roots) {
    for (const file of filesUnder(root)) {
      const hay = readFileSync(file);
      files++;
      bytes += hay.length;
      for (const [n, b] of bufs) {
        const count = countBytes(hay, b);
        if (count > 0) leaks.push({ file: relative(root, file) || file, needle: hint(n), count });
      }
    }
  }
  return { files, bytes, leaks };
}

/** Searches strings (e.g. serialized IPC results) for each needle. */
export function scanTexts(
  texts: readonly string[],
  needles: readonly string[],
): { texts: number; leaks: Array<{ index: number; needle: string }> } {
  const leaks: Array<{ index: number; needle: string }> = [];
  texts.forEach((t, index) => {
    for (const n of needles)
      if (n.length >= 6 && t.includes(n)) leaks.push({ index, needle: hint(n) });
  });
  return { texts: texts.length, leaks };
}

/**
 * The ways a full phone number could be written into a log line: E.164, E.164 without the
 * plus, the national significant number, and libphonenumber's spaced groupings.
 */
export function phoneForms(e164: string, cc: string): string[] {
  const nsn = e164.slice(1 + cc.length);
  const forms = [e164, e164.slice(1), nsn];
  if (cc === '47' && nsn.length === 8) {
    forms.push(
      nsn.startsWith('4') || nsn.startsWith('9')
        ? `${nsn.slice(0, 3)} ${nsn.slice(3, 5)} ${nsn.slice(5)}`
        : `${nsn.slice(0, 2)} ${nsn.slice(2, 4)} ${nsn.slice(4, 6)} ${nsn.slice(6)}`,
    );
  }
  return forms;
}

/**
 * Log lines (of files whose name contains `.log`) that contain a full phone number, in any
 * of {@link phoneForms} or with other separators: every run of digits (with single spaces,
 * dots, dashes or parentheses between them, optionally after a +) is taken apart into every
 * window of consecutive digit groups, and each window's digits are looked up.
 */
export function phonesInLogs(
  roots: readonly string[],
  phones: ReadonlyArray<{ e164: string; cc: string }>,
): { lines: number; hits: Array<{ file: string; line: number; phoneEnd: string }> } {
  const byDigits = new Map<string, string>();
  for (const p of phones) {
    for (const f of phoneForms(p.e164, p.cc)) byDigits.set(f.replace(/\D/g, ''), p.e164.slice(-2));
  }
  const hits: Array<{ file: string; line: number; phoneEnd: string }> = [];
  let lines = 0;
  for (const root of roots) {
    for (const file of filesUnder(root)) {
      if (!/\.log/.test(file)) continue;
      const text = readFileSync(file, 'utf8').split('\n');
      text.forEach((line, i) => {
        if (!line) return;
        lines++;
        const found = phoneInLine(line, byDigits);
        if (found) hits.push({ file: relative(root, file), line: i + 1, phoneEnd: found });
      });
    }
  }
  return { lines, hits };
}

function phoneInLine(line: string, byDigits: Map<string, string>): string | undefined {
  for (const m of line.matchAll(/\+?\d+(?:[ .()-]{1,2}\d+)*/g)) {
    const groups = m[0].split(/[^0-9]+/).filter(Boolean);
    for (let a = 0; a < groups.length; a++) {
      let digits = '';
      for (let b = a; b < groups.length && b < a + 8; b++) {
        digits += groups[b];
        const hit = byDigits.get(digits);
        if (hit) return hit;
      }
    }
  }
  return undefined;
}
