/**
 * This installation's desk identity: six random characters (Crockford base32: no I, L, O or
 * U, so it reads aloud and types without doubt), made once and kept in `desk.json` in the
 * data folder. It is part of every merchant reference this desk makes, so two desks of one
 * Dintero account never make the same reference, even with the same terminal name and the
 * same clock (32^6, about a billion identities). Settings shows it.
 *
 * A damaged file is moved aside intact (`desk.json.corrupt-<time>`) and a new identity is
 * made: references already sent keep the old one, and the new one is as unique.
 */
import { randomInt } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileDurably } from './durable-file';

export const DESK_FILE = 'desk.json';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 6;
/** One desk identity, as a regular expression source (no anchors). */
export const DESK_ID_PATTERN = `[${ALPHABET}]{${LENGTH}}`;
const DESK_ID = new RegExp(`^${DESK_ID_PATTERN}$`);

/** True for a desk identity as this module makes them. */
export function isDeskId(text: string): boolean {
  return DESK_ID.test(text);
}

/** A new random desk identity. */
export function newDeskId(): string {
  let id = '';
  for (let i = 0; i < LENGTH; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

export interface DeskIdentity {
  deskId: string;
  /** Set when a damaged desk.json was moved aside (the path of the copy). */
  replacedDamaged?: string;
}

/** Reads the folder's desk identity, making (and durably writing) one the first time. */
export function deskIdentity(dataDir: string, now: () => Date = () => new Date()): DeskIdentity {
  const file = join(dataDir, DESK_FILE);
  let replacedDamaged: string | undefined;
  if (existsSync(file)) {
    try {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as { deskId?: unknown };
      if (typeof raw.deskId === 'string' && isDeskId(raw.deskId)) return { deskId: raw.deskId };
    } catch {
      // damaged: moved aside below
    }
    replacedDamaged = `${file}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(file, replacedDamaged);
  }
  const deskId = newDeskId();
  writeFileDurably(file, `${JSON.stringify({ version: 1, deskId }, null, 2)}\n`, 0o644);
  return replacedDamaged ? { deskId, replacedDamaged } : { deskId };
}
