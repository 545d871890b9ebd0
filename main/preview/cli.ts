/**
 * Entry of `npm run preview:browser`: takes the data folder's lock (as the Electron app does,
 * so the preview never runs beside the app on one folder), starts the main-side services and
 * the loopback bridge, prints one line with the URL, and stops cleanly on SIGINT/SIGTERM.
 * A paylink: link as the last argument (`npm run preview:browser -- 'paylink://new?…'`) opens
 * New order filled in on the page, as the app does (main/paylink-links.ts): the page takes it
 * when it loads. A second preview on the same data folder still stops with exit code 3 (the
 * link is not handed to the running one).
 * Environment: PAYLINK_PREVIEW_PORT (0 = any free port, default 5190), PAYLINK_DATA_DIR,
 * PAYLINK_DINTERO_API_URL, PAYLINK_DINTERO_CHECKOUT_URL.
 * Exit codes: 2 bad PAYLINK_PREVIEW_PORT; 3 the data folder is in use (said on stderr,
 * nothing in the folder touched).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { languageFromEnvironment } from '../../common/i18n/system-language';
import { KeytarSecretStore } from '../credentials/keytar-secret-store';
import { acquireDataFolderLock, DataFolderInUseError, type DataFolderLock } from '../data-lock';
import { folderInUseText, folderLanguage } from '../data-lock-text';
import { createLogger, logDir } from '../log';
import { linkFromArgv } from '../paylink-links';
import { startPreview } from './server';

const outDir = join(import.meta.dirname, '..');
const dataDir = process.env.PAYLINK_DATA_DIR || join(homedir(), '.paylink-desk-preview');
const port = Number(process.env.PAYLINK_PREVIEW_PORT ?? 5190);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('PAYLINK_PREVIEW_PORT must be a port number (0 picks a free one).');
  process.exit(2);
}
let lock: DataFolderLock;
try {
  lock = acquireDataFolderLock(dataDir);
} catch (e) {
  if (!(e instanceof DataFolderInUseError)) throw e;
  console.error(folderInUseText(e.folder, folderLanguage(dataDir)).message);
  process.exit(3);
}
// Only now: the log files live in the data folder.
const logger = createLogger({ dir: logDir(dataDir) });

const preview = await startPreview({
  dataDir,
  port,
  rendererDir: join(outDir, 'renderer'),
  bridgeScriptPath: join(outDir, 'preview', 'bridge.js'),
  secretStore: new KeytarSecretStore(),
  logger,
  version: process.env.npm_package_version ?? '0.0.0',
  env: process.env,
  // A first start speaks the computer's language (LANG and friends, else Intl's locale).
  systemLanguage: languageFromEnvironment(
    process.env,
    Intl.DateTimeFormat().resolvedOptions().locale,
  ),
});
// Before the URL is printed: a page opened from it finds the link waiting.
const link = linkFromArgv(process.argv.slice(2));
if (link !== undefined) preview.services.links.receive(link);
console.log(preview.url);

const stop = (): void => {
  void preview.close().finally(() => {
    lock.release();
    process.exit(0);
  });
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
