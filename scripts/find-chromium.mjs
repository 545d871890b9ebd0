// Finds a system Chromium for the browser end-to-end tests (playwright-core never downloads
// one here). CHROMIUM_PATH overrides; otherwise the usual Debian/Ubuntu/macOS locations.
import { existsSync } from 'node:fs';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** @returns {{ path: string | null, reason: string }} */
export function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH) {
    return existsSync(env.CHROMIUM_PATH)
      ? { path: env.CHROMIUM_PATH, reason: '' }
      : { path: null, reason: `CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist` };
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  return found
    ? { path: found, reason: '' }
    : {
        path: null,
        reason: 'no Chromium found (install the chromium package or set CHROMIUM_PATH)',
      };
}
