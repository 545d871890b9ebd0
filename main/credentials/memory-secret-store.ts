import { KeychainUnavailableError, type SecretStore } from './secret-store';

/**
 * An in-memory SecretStore for unit tests and for the browser preview without a keychain.
 * `lock()` makes it behave like a keychain that exists but cannot be read (locked, access
 * denied, daemon gone): every call throws KeychainUnavailableError until `unlock()`.
 */
export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();
  private locked = false;

  /** From now on every call fails as a locked keychain does. */
  lock(): void {
    this.locked = true;
  }

  /** The keychain can be read again. */
  unlock(): void {
    this.locked = false;
  }

  get(account: string): Promise<string | null> {
    if (this.locked) return Promise.reject(new KeychainUnavailableError());
    return Promise.resolve(this.secrets.get(account) ?? null);
  }

  set(account: string, secret: string): Promise<void> {
    if (this.locked) return Promise.reject(new KeychainUnavailableError());
    this.secrets.set(account, secret);
    return Promise.resolve();
  }

  delete(account: string): Promise<boolean> {
    if (this.locked) return Promise.reject(new KeychainUnavailableError());
    return Promise.resolve(this.secrets.delete(account));
  }
}
