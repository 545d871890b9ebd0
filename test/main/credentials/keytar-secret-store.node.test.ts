/**
 * The client secret in the real OS keychain (gnome-keyring over the Secret Service in CI).
 * Skipped, with the reason, where no session bus exists; CI sets REQUIRE_KEYRING=1 so the
 * suite cannot skip silently there.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../../main/credentials/keytar-secret-store';
import { MemorySecretStore } from '../../../main/credentials/memory-secret-store';
import type { SecretStore } from '../../../main/credentials/secret-store';

const hasBus = !!process.env.DBUS_SESSION_BUS_ADDRESS || process.platform !== 'linux';

describe('keychain requirement', () => {
  it('has a Secret Service when REQUIRE_KEYRING=1', () => {
    if (process.env.REQUIRE_KEYRING === '1') expect(hasBus).toBe(true);
    else if (!hasBus)
      console.warn(
        'keychain tests skipped: no D-Bus session (run inside dbus-run-session with gnome-keyring)',
      );
  });
});

function contract(name: string, make: () => SecretStore, skip = false) {
  describe.skipIf(skip)(name, () => {
    it('stores, reads, replaces and deletes a secret per account', async () => {
      const store = make();
      const account = `T${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
      const secret = `secret-${randomUUID()}`;
      expect(await store.get(account)).toBeNull();
      await store.set(account, secret);
      expect(await store.get(account)).toBe(secret);
      await store.set(account, `${secret}-2`);
      expect(await store.get(account)).toBe(`${secret}-2`);
      expect(await store.delete(account)).toBe(true);
      expect(await store.get(account)).toBeNull();
      expect(await store.delete(account)).toBe(false);
    });

    it('keeps accounts apart', async () => {
      const store = make();
      const a = `P${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
      const b = `T${a.slice(1)}`;
      await store.set(a, 'secret-for-a');
      await store.set(b, 'secret-for-b');
      expect(await store.get(a)).toBe('secret-for-a');
      expect(await store.get(b)).toBe('secret-for-b');
      await store.delete(a);
      await store.delete(b);
    });
  });
}

contract('MemorySecretStore', () => new MemorySecretStore());
contract(
  'KeytarSecretStore (real keychain)',
  () => new KeytarSecretStore('no.paylink.desk.test'),
  !hasBus,
);
