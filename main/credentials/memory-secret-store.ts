import type { SecretStore } from './secret-store';

/** An in-memory SecretStore for unit tests and for the browser preview without a keychain. */
export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();

  get(account: string): Promise<string | null> {
    return Promise.resolve(this.secrets.get(account) ?? null);
  }

  set(account: string, secret: string): Promise<void> {
    this.secrets.set(account, secret);
    return Promise.resolve();
  }

  delete(account: string): Promise<boolean> {
    return Promise.resolve(this.secrets.delete(account));
  }
}
