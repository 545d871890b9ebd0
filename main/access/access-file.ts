/**
 * `access.json` in the data folder: the manager PIN's and staff PINs' hashes (never a PIN)
 * and the refund lock after wrong manager PINs, kept apart from settings.json so no hash ever
 * travels with the settings the screen reads. Written whole to a temporary file, flushed and
 * renamed over the old one, so a crash leaves the old file or the new one, never half.
 *
 * A damaged file is moved aside intact (`access.json.corrupt-<time>`) and the desk starts
 * with no PINs; `warning` says so. Refunds above the approval limit then wait until a
 * manager PIN is set again (main refuses them while the limit has no PIN behind it).
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { msg, type Message } from '../../common/i18n/messages';
import { writeFileDurably } from '../durable-file';

export const ACCESS_FILE = 'access.json';

const accessSchema = z.strictObject({
  version: z.literal(1),
  managerPin: z.string().max(500).optional(),
  /** Staff name -> PIN hash. */
  staffPins: z.record(z.string().max(100), z.string().max(500)),
  /** Wrong manager PINs in a row, and the end of the lock they caused (epoch ms). */
  managerFailures: z.number().int().min(0).max(1000),
  lockedUntil: z.number().int().min(0).optional(),
});
export type AccessData = z.infer<typeof accessSchema>;

const EMPTY: AccessData = { version: 1, staffPins: {}, managerFailures: 0 };

/** The file, read once at start and written on every change. */
export class AccessFile {
  private data: AccessData;
  readonly warning: Message | undefined;
  private readonly file: string;

  constructor(dataDir: string, now: () => Date = () => new Date()) {
    this.file = join(dataDir, ACCESS_FILE);
    let data: AccessData = { ...EMPTY, staffPins: {} };
    let warning: Message | undefined;
    if (existsSync(this.file)) {
      try {
        data = accessSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')));
      } catch {
        const backup = `${this.file}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`;
        renameSync(this.file, backup);
        warning = msg('banner.accessReset', { backup });
      }
    }
    this.data = data;
    this.warning = warning;
  }

  get(): Readonly<AccessData> {
    return this.data;
  }

  /** Applies `change` to a copy and makes it durable before it counts. */
  update(change: (d: AccessData) => void): void {
    const next: AccessData = { ...this.data, staffPins: { ...this.data.staffPins } };
    change(next);
    writeFileDurably(this.file, JSON.stringify(next, null, 2));
    this.data = next;
  }
}
