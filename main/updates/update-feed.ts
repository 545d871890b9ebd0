/**
 * The update feed as the desk uses it: ask, download (verified), install. Implemented over
 * electron-updater's own updater (its GenericProvider reads `latest*.yml` from the feed, semver
 * decides "newer", builder-util-runtime's DigestTransform checks the download's sha512 against
 * the feed before the file is kept). Plain Node: this file only takes an updater object; which
 * one is the caller's business. The app hands in electron-updater's `autoUpdater`
 * (electron-feed.ts, the one file that touches Electron); the tests hand in the same
 * electron-updater class built with a Node transport, against a feed on 127.0.0.1.
 */
import type { AppUpdater } from 'electron-updater';
import type { Logger } from '../log';

/** Why a check or a download did not end in "up to date" or "ready" (stable codes, logged). */
export const UPDATE_FAILURES = [
  /** The feed could not be reached (no network, refused, reset, timed out). */
  'feed_unreachable',
  /** The feed answered with an HTTP error (404: no `latest*.yml` there, 5xx). */
  'feed_error',
  /** The feed answered something that is not an update description (garbage, no version). */
  'feed_invalid',
  /** The installer's bytes differ from the sha512 the feed names: refused, deleted. */
  'download_damaged',
  /** The installer is not signed by the publisher the app was built with (Windows). */
  'signature_invalid',
  /** The download broke off or could not be written. */
  'download_failed',
  /** This build cannot update itself (not packaged, or a format without an updater). */
  'not_supported',
] as const;
export type UpdateFailure = (typeof UPDATE_FAILURES)[number];

/** An error with its stable code; `cause` is the original, for the log. */
export class UpdateFeedError extends Error {
  override readonly name = 'UpdateFeedError';
  constructor(
    readonly code: UpdateFailure,
    cause?: unknown,
  ) {
    super(code, { cause });
  }
}

/** What the feed says about this version. */
export type FeedAnswer = { newer: true; version: string } | { newer: false; latest: string };

export interface UpdateFeed {
  /** Reads the feed; rejects with an UpdateFeedError. */
  check(): Promise<FeedAnswer>;
  /**
   * Downloads the version the last check found and verifies it; resolves only once the file
   * matches the feed's sha512 (a damaged file rejects with 'download_damaged' and is deleted).
   */
  download(): Promise<void>;
  /**
   * Starts the installer of the downloaded version and quits the app. False when it could not
   * start (nothing downloaded, the installer refused at once): the app did not quit.
   */
  install(): boolean;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'ECONNABORTED',
]);
const FEED_INVALID_CODES = new Set([
  'ERR_UPDATER_INVALID_UPDATE_INFO',
  'ERR_UPDATER_INVALID_VERSION',
  'ERR_UPDATER_NO_FILES_PROVIDED',
  'ERR_UPDATER_NO_CHECKSUM',
  'ERR_UPDATER_LATEST_VERSION_NOT_FOUND',
]);

/** The stable code for what electron-updater (or the network under it) threw. */
export function failureOf(err: unknown, phase: 'check' | 'download'): UpdateFailure {
  if (err instanceof UpdateFeedError) return err.code;
  const e = (err ?? {}) as { code?: unknown; message?: unknown; name?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (code === 'ERR_CHECKSUM_MISMATCH') return 'download_damaged';
  if (code === 'ERR_UPDATER_INVALID_SIGNATURE') return 'signature_invalid';
  if (FEED_INVALID_CODES.has(code)) return 'feed_invalid';
  if (phase === 'check') {
    if (code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND' || code.startsWith('HTTP_ERROR_')) {
      return 'feed_error';
    }
    if (NETWORK_CODES.has(code) || /timed out|aborted|socket hang up/i.test(message)) {
      return 'feed_unreachable';
    }
    // Anything else while reading the feed: what it sent could not be used.
    return 'feed_invalid';
  }
  return 'download_failed';
}

/**
 * The desk's settings for electron-updater, applied to whichever updater is handed in:
 * - autoDownload off: the desk downloads right after a check finds a newer version itself, so
 *   "downloading" and "ready" are its states, not events it might miss;
 * - autoInstallOnAppQuit off (deliberate): electron-updater would otherwise run the installer
 *   silently on any quit with exit code 0, including a shutdown of the computer, without
 *   asking the restart gate. The update is installed only when staff press "Restart to
 *   update" and the gate allows it; a downloaded update stays in electron-updater's cache,
 *   and the next start's check finds it there (verified again) and offers it at once;
 * - no downgrades, no web installers (the desk ships full installers only).
 */
export function configureUpdater(updater: AppUpdater, logger: Logger): void {
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = false;
  updater.allowDowngrade = false;
  updater.disableWebInstaller = true;
  updater.logger = {
    info: (m?: unknown) => logger.info({ updater: true }, String(m)),
    warn: (m?: unknown) => logger.warn({ updater: true }, String(m)),
    error: (m?: unknown) => logger.error({ updater: true }, String(m)),
  };
}

/** An UpdateFeed over an electron-updater updater (configured by configureUpdater). */
export function appUpdaterFeed(updater: AppUpdater, logger: Logger): UpdateFeed {
  configureUpdater(updater, logger);
  return {
    async check() {
      let result: Awaited<ReturnType<AppUpdater['checkForUpdates']>>;
      try {
        result = await updater.checkForUpdates();
      } catch (err) {
        throw new UpdateFeedError(failureOf(err, 'check'), err);
      }
      // null: electron-updater is not active here (not packaged; an AppImage run unpacked).
      if (!result) throw new UpdateFeedError('not_supported');
      const version = result.updateInfo?.version;
      if (typeof version !== 'string') throw new UpdateFeedError('feed_invalid');
      return result.isUpdateAvailable
        ? { newer: true, version }
        : { newer: false, latest: version };
    },
    async download() {
      try {
        await updater.downloadUpdate();
      } catch (err) {
        throw new UpdateFeedError(failureOf(err, 'download'), err);
      }
    },
    install() {
      // electron-updater reports an installer that cannot start by an 'error' event, at once.
      let refused = false;
      const onError = (): void => {
        refused = true;
      };
      updater.on('error', onError);
      try {
        // Silent (Windows: no installer wizard) and start the new version afterwards.
        updater.quitAndInstall(true, true);
      } catch {
        refused = true;
      } finally {
        updater.off('error', onError);
      }
      return !refused;
    },
  };
}
