import { createRequire } from 'node:module';
import { KEYCHAIN_SERVICE, KeychainUnavailableError, type SecretStore } from './secret-store';

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

let keytarModule: Keytar | undefined;

/** Loads keytar's native module lazily, so a machine without it still starts (and says why). */
function loadKeytar(): Keytar {
  if (!keytarModule) {
    try {
      keytarModule = createRequire(import.meta.url)('keytar') as Keytar;
    } catch (e) {
      throw new KeychainUnavailableError(e);
    }
  }
  return keytarModule;
}

/**
 * The OS keychain through keytar: Windows Credential Manager, macOS Keychain, the Secret
 * Service (gnome-keyring, KWallet) on Linux. One service name for the app; the keychain
 * account is the Dintero account id.
 */
export class KeytarSecretStore implements SecretStore {
  constructor(private readonly service: string = KEYCHAIN_SERVICE) {}

  async get(account: string): Promise<string | null> {
    try {
      return await loadKeytar().getPassword(this.service, account);
    } catch (e) {
      throw new KeychainUnavailableError(e);
    }
  }

  async set(account: string, secret: string): Promise<void> {
    try {
      await loadKeytar().setPassword(this.service, account, secret);
    } catch (e) {
      throw new KeychainUnavailableError(e);
    }
  }

  async delete(account: string): Promise<boolean> {
    try {
      return await loadKeytar().deletePassword(this.service, account);
    } catch (e) {
      throw new KeychainUnavailableError(e);
    }
  }
}
