import { english } from '../../../common/i18n';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { Journal, IllegalTransition } from '../../../main/orders/journal';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../main/orders/journal-schema';
import { DeskError } from '../../../main/desk-error';
import { MemoryDintero } from '../../support/memory-dintero';
import { engine, input, phone, tempDir } from './helpers';

const hash = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

function open(dir: string): Journal {
  const r = Journal.open(dir);
  if (!r.ok) throw new Error(english(r.problem));
  return r.journal;
}

describe('journal: opening', () => {
  it('creates a journal in WAL mode with synchronous=FULL and foreign keys on', async () => {
    const dir = tempDir();
    const e = engine(dir, new MemoryDintero());
    await e.createOrder(input(), 'Desk 2');
    const j = e.journal!;
    expect(j.pragma('journal_mode')).toBe('wal');
    expect(j.pragma('synchronous')).toBe(2);
    expect(j.pragma('foreign_keys')).toBe(1);
    expect(j.pragma('user_version')).toBe(SCHEMA_VERSION);
    expect(existsSync(join(dir, 'journal.sqlite-wal'))).toBe(true);
    // A second connection sees WAL persisted in the file.
    const other = new DatabaseSync(join(dir, 'journal.sqlite'));
    expect(other.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    other.close();
  });

  it('migrates a version-0 database (valid SQLite, no schema) to the current version', () => {
    const dir = tempDir();
    const db = new DatabaseSync(join(dir, 'journal.sqlite'));
    db.exec('CREATE TABLE scratch (x); DROP TABLE scratch;');
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: 0 });
    db.close();
    const r = Journal.open(dir);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.migratedFrom).toBe(0);
    expect(r.journal.pragma('user_version')).toBe(SCHEMA_VERSION);
    r.journal.close();
  });

  it('migrates a version-1 journal to the current version, keeping its orders', () => {
    const dir = tempDir();
    const db = new DatabaseSync(join(dir, 'journal.sqlite'));
    db.exec(MIGRATIONS[0]!.sql);
    db.exec('PRAGMA user_version = 1');
    db.prepare(
      `INSERT INTO orders (id, merchant_reference, state, phone, amount, currency, delivery,
        link_lifetime_hours, created_at, updated_at, created_by)
       VALUES ('o1', 'DESK2-20250301-1', 'queued', '+4791234567', 100, 'NOK', 'sms', 24,
        '2025-03-01T10:00:00.000Z', '2025-03-01T10:00:00.000Z', 'Desk 2')`,
    ).run();
    db.close();
    const j = open(dir);
    expect(j.pragma('user_version')).toBe(SCHEMA_VERSION);
    const row = j.get('o1')!;
    expect(row.merchantReference).toBe('DESK2-20250301-1');
    expect(row.pendingOp).toBeUndefined();
    expect(row.lapseWarned).toBe(false);
    expect(j.operations('o1')).toEqual([]);
    j.close();
  });

  it('refuses a journal from a newer version and leaves it exactly as it was', async () => {
    const dir = tempDir();
    const path = join(dir, 'journal.sqlite');
    const db = new DatabaseSync(path);
    db.exec('CREATE TABLE future (x); PRAGMA user_version = 99;');
    db.close();
    const before = hash(path);
    const r = Journal.open(dir);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(english(r.problem)).toContain('newer version of Paylink Desk');
    expect(english(r.problem)).toContain(path);
    expect(hash(path)).toBe(before);
    const check = new DatabaseSync(path);
    expect(check.prepare('PRAGMA user_version').get()).toEqual({ user_version: 99 });
    expect(
      check.prepare("SELECT name FROM sqlite_master WHERE name = 'orders'").get(),
    ).toBeUndefined();
    check.close();
    const e = engine(dir, new MemoryDintero());
    expect(english(e.status().journalProblem!)).toContain('newer version');
    await expect(e.createOrder(input(), 'Desk 2')).rejects.toMatchObject({
      code: 'journal_unavailable',
    });
  });

  const corruptions: Array<[string, (path: string, dir: string) => void]> = [
    ['an empty file', (p) => writeFileSync(p, '')],
    ['garbage bytes', (p) => writeFileSync(p, Buffer.alloc(8192, 0xa5))],
    ['a non-database file (JSON)', (p) => writeFileSync(p, JSON.stringify({ orders: [] }))],
    [
      'a truncated journal',
      (p, dir) => {
        const j = open(dir);
        j.transaction(() => {
          for (let i = 0; i < 300; i++) {
            j.nextSequence(`pad-${i}-${'x'.repeat(200)}`);
          }
        });
        j.close();
        truncateSync(p, 3 * 4096);
      },
    ],
    [
      'a journal with a damaged page',
      (p, dir) => {
        const j = open(dir);
        j.transaction(() => {
          for (let i = 0; i < 300; i++) j.nextSequence(`pad-${i}-${'x'.repeat(200)}`);
        });
        j.close();
        const buf = readFileSync(p);
        buf.fill(0x5a, 4096 * 2, 4096 * 4);
        writeFileSync(p, buf);
      },
    ],
  ];

  it.each(corruptions)(
    'never wipes %s: reports it plainly, keeps it, copies it aside',
    async (_n, damage) => {
      const dir = tempDir();
      const path = join(dir, 'journal.sqlite');
      damage(path, dir);
      const before = hash(path);
      const e = engine(dir, new MemoryDintero());
      const raw = e.status().journalProblem;
      expect(raw).toBeDefined();
      const problem = english(raw!);
      expect(problem).toContain(path);
      expect(problem).toContain('Sending is stopped');
      expect(problem).toMatch(/copy was saved as .*journal\.sqlite\.broken-/);
      // The file is where it was, byte for byte; the copy is identical.
      expect(hash(path)).toBe(before);
      const backup = readdirSync(dir).find(
        (f) =>
          /^journal\.sqlite\.broken-[^-]+Z?$/.test(f) || f.startsWith('journal.sqlite.broken-'),
      );
      expect(backup).toBeDefined();
      expect(hash(join(dir, backup!.replace(/-(wal|shm)$/, '')))).toBe(before);
      // Writes refuse, reads are empty, nothing is sent.
      await expect(e.createOrder(input(), 'Desk 2')).rejects.toBeInstanceOf(DeskError);
      await expect(e.capture('x', undefined, 'Desk 2')).rejects.toMatchObject({
        code: 'journal_unavailable',
      });
      expect(() => e.retry('x', 'Desk 2')).toThrow(/journal/);
      expect(e.listOrders()).toEqual({ orders: [], total: 0 });
      e.start();
      await e.stop();
      // A second start finds the same problem: no fresh journal was made behind anyone's back.
      expect(hash(path)).toBe(before);
      const again = Journal.open(dir);
      expect(again.ok).toBe(false);
    },
  );

  it('refuses to start fresh when the journal is gone but its WAL is still there', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'journal.sqlite-wal'), Buffer.alloc(100, 1));
    const r = Journal.open(dir);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(english(r.problem)).toContain('write-ahead log');
    expect(existsSync(join(dir, 'journal.sqlite'))).toBe(false);
  });
});

describe('journal: one transaction per change', () => {
  async function withOrder(): Promise<{ j: Journal; id: string }> {
    const dir = tempDir();
    const e = engine(dir, new MemoryDintero());
    const r = await e.createOrder(input(), 'Desk 2');
    if (!r.created) throw new Error('not created');
    return { j: e.journal!, id: r.order.id };
  }

  it('appends the event in the same transaction as the state change', async () => {
    const { j, id } = await withOrder();
    const before = j.events(id).length;
    const r = j.change(id, () => ({
      event: 'send',
      events: [{ kind: 'sending', actor: 'system' }],
    }));
    expect(r?.after.state).toBe('sending');
    expect(r?.after.version).toBe(r!.before.version + 1);
    const events = j.events(id);
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({ kind: 'sending', actor: 'system' });
  });

  it('an illegal move writes nothing: neither the row nor the event', async () => {
    const { j, id } = await withOrder();
    const before = j.get(id)!;
    const events = j.events(id).length;
    expect(() =>
      j.change(id, () => ({
        event: 'capture_all',
        patch: { capturedAmount: 999 },
        events: [{ kind: 'captured', actor: 'x' }],
      })),
    ).toThrow(IllegalTransition);
    expect(j.get(id)).toEqual(before);
    expect(j.events(id)).toHaveLength(events);
  });

  it('a failure late in the transaction rolls back the earlier writes too', async () => {
    const { j, id } = await withOrder();
    const op = {
      id: 'op1',
      orderId: id,
      kind: 'capture' as const,
      reference: 'REF-C1',
      state: 'requested' as const,
      actor: 'Desk 2',
      createdAt: '2025-03-01T10:00:00.000Z',
      updatedAt: '2025-03-01T10:00:00.000Z',
    };
    j.change(id, () => ({ insertOperation: op, events: [{ kind: 'x', actor: 'y' }] }));
    const events = j.events(id).length;
    // Same reference again violates UNIQUE after the row update and event insert.
    expect(() =>
      j.change(id, () => ({
        patch: { pendingOp: 'capture' },
        events: [{ kind: 'capture_requested', actor: 'Desk 2' }],
        insertOperation: { ...op, id: 'op2' },
      })),
    ).toThrow();
    expect(j.get(id)!.pendingOp).toBeUndefined();
    expect(j.events(id)).toHaveLength(events);
  });

  it('merchant references are unique in the schema', async () => {
    const { j, id } = await withOrder();
    const row = j.get(id)!;
    expect(() => j.transaction(() => j.insertOrder({ ...row, id: 'other' }, []))).toThrow(/UNIQUE/);
  });

  it('lists newest first, by state and with a limit', async () => {
    const dir = tempDir();
    let t = Date.parse('2025-03-01T10:00:00Z');
    const e = engine(dir, new MemoryDintero(), { now: () => t });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      t += 1000;
      const r = await e.createOrder(
        input({
          phone: phone(i),
          amount: 10_000 + i * 50,
          customerName: i === 3 ? 'Kari Nordmann' : 'Ola',
        }),
        'Desk 2',
      );
      if (r.created) ids.push(r.order.id);
    }
    expect(e.listOrders().orders.map((o) => o.id)).toEqual([...ids].reverse());
    expect(e.listOrders({ states: ['queued'], limit: 2 })).toMatchObject({ total: 5 });
    expect(e.listOrders({ states: ['queued'], limit: 2 }).orders).toHaveLength(2);
    expect(
      e
        .listOrders({ from: '2025-03-01T11:00:02+01:00', to: '2025-03-01T10:00:04Z' })
        .orders.map((o) => o.id),
    ).toEqual([ids[3], ids[2], ids[1]]);
  });
});
