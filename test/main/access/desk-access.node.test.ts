/**
 * Who is at the desk and the manager PIN, on a real data folder: staff choose their name
 * (with their PIN), five wrong manager PINs lock for five minutes (also across a restart,
 * and a clock set back never stretches the lock), PINs are on disk only as hashes, and a
 * damaged PIN file is moved aside with a warning.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actorParts } from '../../../common/actor';
import { ACCESS_FILE } from '../../../main/access/access-file';
import { DeskAccessService, LOCK_MS } from '../../../main/access/desk-access';
import { DeskError } from '../../../main/desk-error';
import { SettingsStore } from '../../../main/settings';

function desk(
  dir = mkdtempSync(join(tmpdir(), 'paylink-access-')),
  clock = { now: 1_800_000_000_000 },
) {
  const settings = new SettingsStore(dir);
  const access = new DeskAccessService({ dataDir: dir, settings, now: () => clock.now });
  return { dir, settings, access, clock };
}

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof DeskError) return e.code;
    throw e;
  }
  return 'accepted';
}

describe('who is at the desk', () => {
  it('without a staff list the desk acts alone; with one, nobody acts until a name is chosen', async () => {
    const d = desk();
    expect(d.access.view().needsStaff).toBe(false);
    expect(actorParts(d.access.actor())).toEqual({ desk: 'Desk 1' });
    d.settings.update({ staff: ['Anna', 'Bo'] });
    expect(d.access.view().needsStaff).toBe(true);
    expect(await refusal(() => d.access.requireStaff())).toBe('not_allowed');
    await d.access.choose('Bo', undefined);
    expect(actorParts(d.access.actor())).toEqual({ desk: 'Desk 1', staff: 'Bo' });
    expect(await refusal(d.access.choose('Eve', undefined))).toBe('not_found');
    d.access.leave();
    expect(d.access.view().needsStaff).toBe(true);
  });

  it('a person with a PIN needs it; a wrong one is refused, the fifth locks that name', async () => {
    const d = desk();
    d.settings.update({ staff: ['Anna'] });
    await d.access.setStaffPin('Anna', '1357', undefined);
    expect(d.access.view().staff).toEqual([{ name: 'Anna', hasPin: true }]);
    expect(await refusal(d.access.choose('Anna', undefined))).toBe('approval_required');
    for (let i = 0; i < 4; i++)
      expect(await refusal(d.access.choose('Anna', '0000'))).toBe('wrong_pin');
    expect(await refusal(d.access.choose('Anna', '0000'))).toBe('wrong_pin');
    expect(await refusal(d.access.choose('Anna', '1357'))).toBe('locked');
    d.clock.now += LOCK_MS;
    await d.access.choose('Anna', '1357');
    expect(d.access.view().current).toBe('Anna');
  });

  it('a name taken off the list leaves the desk and its PIN is forgotten', async () => {
    const d = desk();
    d.settings.update({ staff: ['Anna', 'Bo'] });
    await d.access.setStaffPin('Anna', '1357', undefined);
    await d.access.choose('Anna', '1357');
    d.settings.update({ staff: ['Bo'] });
    expect(d.access.view().current).toBeUndefined();
    expect(d.access.file.get().staffPins).toEqual({});
  });
});

describe('the manager PIN', () => {
  it('is needed to change or remove it, and to set a staff PIN once set', async () => {
    const d = desk();
    await d.access.setManagerPin(undefined, '2468');
    expect(d.access.view().managerPinSet).toBe(true);
    expect(await refusal(d.access.setManagerPin(undefined, '1111'))).toBe('approval_required');
    expect(await refusal(d.access.setManagerPin('9999', '1111'))).toBe('wrong_pin');
    await d.access.setManagerPin('2468', '11112222');
    d.settings.update({ staff: ['Anna'] });
    expect(await refusal(d.access.setStaffPin('Anna', '1357', undefined))).toBe(
      'approval_required',
    );
    await d.access.setStaffPin('Anna', '1357', '11112222');
    expect(d.access.view().staff[0]!.hasPin).toBe(true);
  });

  it('is on disk only as a salted hash, never in the clear', async () => {
    const d = desk();
    await d.access.setManagerPin(undefined, '86420975');
    d.settings.update({ staff: ['Anna'] });
    await d.access.setStaffPin('Anna', '13572468', '86420975');
    const text = readFileSync(join(d.dir, ACCESS_FILE), 'utf8');
    expect(text).not.toContain('86420975');
    expect(text).not.toContain('13572468');
    expect(text).toMatch(/scrypt\$15\$8\$1\$/);
    expect(readFileSync(join(d.dir, 'settings.json'), 'utf8')).not.toMatch(/scrypt|86420975/);
    expect(JSON.stringify(d.access.view())).not.toMatch(/scrypt|86420975|13572468/);
  });

  it('five wrong tries lock for five minutes, across a restart; the right PIN waits too', async () => {
    const d = desk();
    await d.access.setManagerPin(undefined, '2468');
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push(await refusal(d.access.checkManagerPin('1111')));
    expect(codes).toEqual(['wrong_pin', 'wrong_pin', 'wrong_pin', 'wrong_pin', 'locked']);
    expect(await refusal(d.access.checkManagerPin('2468'))).toBe('locked');
    expect(d.access.view().lockedUntil).toBe(new Date(d.clock.now + LOCK_MS).toISOString());

    // A restart (a new service on the same folder) keeps the lock.
    const again = desk(d.dir, d.clock);
    expect(await refusal(again.access.checkManagerPin('2468'))).toBe('locked');
    again.clock.now += LOCK_MS - 1;
    expect(await refusal(again.access.checkManagerPin('2468'))).toBe('locked');
    again.clock.now += 1;
    expect(await refusal(again.access.checkManagerPin('2468'))).toBe('accepted');
    // The right PIN starts the count again.
    for (let i = 0; i < 4; i++) await refusal(again.access.checkManagerPin('1111'));
    await again.access.checkManagerPin('2468');
    expect(await refusal(again.access.checkManagerPin('1111'))).toBe('wrong_pin');
  });

  it('a clock set back an hour never stretches the lock beyond five minutes from now', async () => {
    const d = desk();
    await d.access.setManagerPin(undefined, '2468');
    for (let i = 0; i < 5; i++) await refusal(d.access.checkManagerPin('1111'));
    d.clock.now -= 60 * 60 * 1000;
    expect(await refusal(d.access.checkManagerPin('2468'))).toBe('locked');
    d.clock.now += LOCK_MS;
    expect(await refusal(d.access.checkManagerPin('2468'))).toBe('accepted');
  });

  it('cannot be removed while a refund approval limit depends on it', async () => {
    const d = desk();
    await d.access.setManagerPin(undefined, '2468');
    d.settings.update({ refundApprovalAbove: 500 });
    expect(await refusal(d.access.setManagerPin('2468', null))).toBe('not_allowed');
    d.settings.update({ refundApprovalAbove: null });
    await d.access.setManagerPin('2468', null);
    expect(d.access.view().managerPinSet).toBe(false);
  });
});

describe('a damaged PIN file', () => {
  it('is moved aside intact, the desk starts without PINs and says so', () => {
    for (const content of ['{not json', '{"version":1,"staffPins":[],"managerFailures":0}', '[]']) {
      const dir = mkdtempSync(join(tmpdir(), 'paylink-access-'));
      writeFileSync(join(dir, ACCESS_FILE), content);
      const d = desk(dir);
      expect(d.access.view().managerPinSet).toBe(false);
      expect(d.access.file.warning?.key).toBe('banner.accessReset');
      const aside = readdirSync(dir).filter((f) => f.startsWith(`${ACCESS_FILE}.corrupt-`));
      expect(aside).toHaveLength(1);
      expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(content);
      expect(existsSync(join(dir, ACCESS_FILE))).toBe(false);
    }
  });
});
