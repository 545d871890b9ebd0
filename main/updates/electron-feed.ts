/**
 * The one Electron-side piece of updates: electron-updater's `autoUpdater` for this platform
 * (NSIS on Windows, Squirrel.Mac on macOS, AppImage or deb on Linux), which reads the feed
 * that electron-builder wrote into `resources/app-update.yml` from electron-builder.yml's
 * `publish` (generic provider) and talks through Electron's network stack (system proxy).
 * Everything else is plain Node (update-feed.ts, desk-updater.ts) and tested without Electron.
 */
import electronUpdater from 'electron-updater';
import type { Logger } from '../log';
import { appUpdaterFeed, type UpdateFeed } from './update-feed';

/** The feed of the packaged app. Touches electron-updater's autoUpdater only when called. */
export function electronUpdateFeed(logger: Logger): UpdateFeed {
  return appUpdaterFeed(electronUpdater.autoUpdater, logger);
}
