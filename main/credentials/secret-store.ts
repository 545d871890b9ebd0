/**
 * Where the Dintero client secret lives. Secrets never touch electron-store, the journal or
 * the renderer: only main reads them, from the OS keychain.
 */
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
  constructor(cause?: unknown) {
    super(
      'The system keychain is not available, so the Dintero client secret cannot be read or stored. ' +
        'On Linux install and unlock gnome-keyring (or another Secret Service); on Windows and macOS ' +
        'sign in to your user account normally.',
      { cause: cause instanceof Error ? new Error(cause.message) : undefined },
    );
  }
}
