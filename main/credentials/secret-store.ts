/**
 * Where the Dintero client secret lives. Secrets never touch electron-store, the journal or
 * the renderer: only main reads them, from the OS keychain.
 */
import { english } from '../../common/i18n';
import { msg, type Message } from '../../common/i18n/messages';

export interface SecretStore {
  /** The secret for an account, or null when none is stored. */
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
}

/** The keychain service name every Paylink Desk secret is filed under. */
export const KEYCHAIN_SERVICE = 'no.paylink.desk.dintero';

/** Raised when the OS keychain cannot be reached (no Secret Service, locked keychain). */
export class KeychainUnavailableError extends Error {
  override readonly name = 'KeychainUnavailableError';
  /** What the screen shows (in the desk's language). */
  readonly text: Message = msg('error.keychainUnavailable');
  constructor(cause?: unknown) {
    super(english(msg('error.keychainUnavailable')), {
      cause: cause instanceof Error ? new Error(cause.message) : undefined,
    });
  }
}
