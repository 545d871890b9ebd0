/**
 * The live client secret as the desk holds it: read from the OS keychain (under the account
 * ID), kept in memory for the Dintero client, and never shown (only its last four characters).
 *
 * A keychain that exists but cannot be read (locked, access denied, its service gone) is not
 * "no secret": the desk remembers that it is unreadable, says so, and reads it again every
 * `retryMs` (and whenever asked, e.g. when the window gains focus) until it answers; then
 * `onReadable` lets the app pick its mode again.
 */
import { msg, type Message } from '../../common/i18n/messages';
import type { SecretStatus } from '../../common/domain';
import type { Logger } from '../log';
import { registerSecret } from '../redact';
import { KeychainUnavailableError, type SecretStore } from './secret-store';

/** Default interval between reads of a keychain that could not be read. */
export const KEYCHAIN_RETRY_MS = 30_000;

/** What the keychain credentials need from the app. */
export interface KeychainCredentialsOptions {
  store: SecretStore;
  logger: Logger;
  /** How often an unreadable keychain is read again (default 30 s). */
  retryMs?: number;
  /** The account whose secret is wanted now ('' = none configured). */
  accountId: () => string;
  /** Called after an unreadable keychain answered again. */
  onReadable: () => Promise<void>;
}

/** The client secret in memory, and whether the keychain can be read. */
export class KeychainCredentials {
  private cached: string | null = null;
  private unreadableNow = false;
  private problemText: Message | undefined;
  private retryTimer: ReturnType<typeof setInterval> | undefined;
  private reading: Promise<void> | undefined;

  constructor(private readonly opts: KeychainCredentialsOptions) {}

  /** The secret, or null when none is stored (or it cannot be read right now). */
  get secret(): string | null {
    return this.cached;
  }

  /** The keychain exists but could not be read; it is read again until it answers. */
  get unreadable(): boolean {
    return this.unreadableNow;
  }

  /** Why the keychain could not be read, in words for the status bar. */
  get problem(): Message | undefined {
    return this.problemText;
  }

  /** For Settings: configured (with the last four characters), unknown, or not configured. */
  status(): SecretStatus {
    const s = this.cached;
    if (s) return { configured: true, last4: s.slice(-4) };
    return this.unreadableNow ? { configured: false, unreadable: true } : { configured: false };
  }

  /** Reads the secret at start; an unreadable keychain is remembered, not thrown. */
  async load(): Promise<void> {
    const accountId = this.opts.accountId();
    if (!accountId) return;
    try {
      this.cached = await this.opts.store.get(accountId);
      registerSecret(this.cached);
    } catch (e) {
      this.unreadableNow = true;
      this.problemText =
        e instanceof KeychainUnavailableError ? e.text : msg('error.keychainUnreadable');
    }
  }

  /**
   * Stores the secret under `accountId`. A keychain that cannot be read cannot store either:
   * its KeychainUnavailableError is thrown and nothing changes.
   */
  async store(accountId: string, secret: string): Promise<void> {
    await this.opts.store.set(accountId, secret);
    this.cached = secret;
    registerSecret(secret);
    this.readable();
  }

  /** Deletes the secret of `accountId` (if any) and forgets it. */
  async clear(accountId: string): Promise<void> {
    if (accountId) await this.opts.store.delete(accountId);
    this.cached = null;
  }

  /** The account ID changed: the secret moves to the new account's keychain entry. */
  async moveAccount(from: string, to: string): Promise<void> {
    if (this.cached && from) await this.opts.store.delete(from);
    if (this.cached && to) await this.opts.store.set(to, this.cached);
    if (!to) this.cached = null;
  }

  /**
   * Reads an unreadable keychain again. When the secret comes back the problem is forgotten
   * and `onReadable` runs. Concurrent calls share one read.
   */
  readAgain(): Promise<void> {
    if (!this.unreadableNow) return Promise.resolve();
    this.reading ??= this.readOnce().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  /** Reads again every `retryMs` while the keychain stays unreadable. */
  startRetry(): void {
    if (this.retryTimer || !this.unreadableNow) return;
    this.retryTimer = setInterval(
      () => void this.readAgain(),
      this.opts.retryMs ?? KEYCHAIN_RETRY_MS,
    );
    this.retryTimer.unref?.();
  }

  /** Stops reading again and waits for a read in progress. */
  async close(): Promise<void> {
    this.stopRetry();
    await this.reading;
  }

  private async readOnce(): Promise<void> {
    const accountId = this.opts.accountId();
    if (!accountId) return;
    let secret: string | null;
    try {
      secret = await this.opts.store.get(accountId);
    } catch {
      return; // Still locked: the banner stays, the next read is scheduled.
    }
    if (!this.unreadableNow) return;
    this.cached = secret;
    if (secret) registerSecret(secret);
    this.readable();
    this.opts.logger.info('Keychain readable again');
    await this.opts.onReadable();
  }

  /** The keychain answered: forget the problem and stop reading it again. */
  private readable(): void {
    this.unreadableNow = false;
    this.problemText = undefined;
    this.stopRetry();
  }

  private stopRetry(): void {
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = undefined;
  }
}
