/**
 * Each installation's desk identity: made once and kept in the data folder, different for two
 * folders, and a damaged file moved aside for a new one. Two desks of one account with the
 * same terminal name and the same clock, creating orders at the same moment against one
 * simulator, never make the same merchant reference.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DESK_FILE, deskIdentity, isDeskId, newDeskId } from '../../main/desk-identity';
import { startSimulator, type Simulator } from '../../main/training/simulator';
import { clock, engine, input, phone, settings, tempDir } from './orders/helpers';
import { simClient } from './training/sim-helpers';

const folder = () => mkdtempSync(join(tmpdir(), 'paylink-desk-id-'));

describe('the desk identity', () => {
  it('is made once per data folder and kept; another folder gets its own', () => {
    const dir = folder();
    const first = deskIdentity(dir);
    expect(isDeskId(first.deskId)).toBe(true);
    expect(first.replacedDamaged).toBeUndefined();
    expect(deskIdentity(dir).deskId).toBe(first.deskId);
    expect(JSON.parse(readFileSync(join(dir, DESK_FILE), 'utf8'))).toEqual({
      version: 1,
      deskId: first.deskId,
    });
    expect(deskIdentity(folder()).deskId).not.toBe(first.deskId);
  });

  it('reads aloud without doubt: six characters, no I, L, O or U', () => {
    const ids = Array.from({ length: 2000 }, newDeskId);
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(new Set(ids).size).toBeGreaterThan(1990);
  });

  it('a damaged file is moved aside intact and a new identity made', () => {
    for (const damaged of ['{', '{"deskId":"lower1"}', '[]', '']) {
      const dir = folder();
      writeFileSync(join(dir, DESK_FILE), damaged);
      const id = deskIdentity(dir, () => new Date('2026-12-03T10:00:00Z'));
      expect(isDeskId(id.deskId)).toBe(true);
      expect(id.replacedDamaged).toBe(join(dir, `${DESK_FILE}.corrupt-2026-12-03T10-00-00-000Z`));
      expect(readFileSync(id.replacedDamaged!, 'utf8')).toBe(damaged);
      expect(deskIdentity(dir).deskId).toBe(id.deskId);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    }
  });
});

describe('merchant references across desks', () => {
  const sims: Simulator[] = [];
  afterEach(async () => {
    for (const s of sims.splice(0)) await s.close();
  });

  it('two desks named alike, on one clock, sending at once, never share a reference', async () => {
    const sim = await startSimulator({ port: 0 });
    sims.push(sim);
    const t = clock(Date.parse('2026-12-03T09:00:00Z'));
    const desks = [folder(), folder()].map((dir) => {
      const { deskId } = deskIdentity(dir);
      const e = engine(tempDir(), simClient(sim), {
        now: t.now,
        settings: () => settings({ terminalName: 'Kasse 1', storeId: 'oslo-1', deskId }),
      });
      return { deskId, e };
    });
    expect(desks[0]!.deskId).not.toBe(desks[1]!.deskId);
    const perDesk = 60;
    // Both desks take orders at the same moments, interleaved.
    await Promise.all(
      Array.from({ length: perDesk }, (_, i) =>
        Promise.all(
          desks.map(({ e }, d) => e.createOrder(input({ phone: phone(i * 2 + d) }), 'Kasse 1')),
        ),
      ),
    );
    await Promise.all(desks.map(({ e }) => e.sendNow()));
    const refs = desks.flatMap(({ e, deskId }) =>
      e.listOrders({ limit: 1000 }).orders.map((o) => {
        // The terminal name for people, the desk's identity, the day, the desk's count.
        expect(o.merchantReference).toMatch(new RegExp(`^KASSE1-${deskId}-20261203-\\d+$`));
        return o.merchantReference;
      }),
    );
    expect(refs).toHaveLength(2 * perDesk);
    expect(new Set(refs).size).toBe(2 * perDesk);
    // At "Dintero": one session per reference, none shared.
    const created = sim.stats().sessionsCreated;
    expect(Object.keys(created).sort()).toEqual([...refs].sort());
    expect(Object.values(created).every((n) => n === 1)).toBe(true);
  });
});
