/**
 * CLI: runs the simulator as its own process, for tests and for people (`npm run simulator`:
 * one simulator that several desks, e.g. two `npm run preview:browser`, use as their Dintero).
 * The first stdout line is one JSON line `{url, credentials}` for machines; the lines after it
 * say the same in plain words for a person (what to type into each desk's Settings). It stays
 * up until SIGTERM/SIGINT.
 *
 *   npm run simulator -- [--port 0] [--account P00000000] [--client-id training]
 *     [--client-secret …] [--store-name …] [--state file] [--async]
 *     [--search-lag-ms 0] [--event-lag-ms 0]
 *   (or: npx node main/training/run-simulator.ts …)
 *
 * With --state, sessions, transactions and SMS are kept in that file, and the credentials in
 * `<file>.credentials.json` beside it (mode 0600), so a restart keeps both: the desks' stored
 * secret still works. --account, --client-id and --client-secret override what was kept (and
 * are kept from then on). Without --state everything, the secret included, is new each run.
 *
 * Node 24 strips the types itself. The project imports relative modules without extensions,
 * which Node's ESM loader does not resolve, so this file first registers a tiny resolve hook
 * that retries a failing extension-less relative specifier with `.ts`, then loads the
 * simulator through it. Use only erasable TypeScript in main/training (no enums, no
 * parameter properties, no namespaces).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (e) {
      const relative = specifier.startsWith('./') || specifier.startsWith('../');
      if (!relative || /\.[cm]?[jt]s$/.test(specifier)) throw e;
      return nextResolve(`${specifier}.ts`, context);
    }
  },
});

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    account: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'store-name': { type: 'string' },
    state: { type: 'string' },
    async: { type: 'boolean', default: false },
    'search-lag-ms': { type: 'string', default: '0' },
    'event-lag-ms': { type: 'string', default: '0' },
  },
});

/** Says what is wrong with the command line, in plain words, and stops (exit code 2). */
function refuse(text: string): never {
  process.stderr.write(`${text}\n`);
  process.exit(2);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  refuse('--port must be a port number (0 picks a free one).');
}
// What a desk's Settings accept (common/ipc-contract.ts settingsSchema, the secret's minimum).
if (values.account !== undefined && !/^[PT]\d{8}$/.test(values.account)) {
  refuse("--account must be P or T followed by 8 digits, as a desk's Settings take it.");
}
if (values['client-secret'] !== undefined && values['client-secret'].length < 8) {
  refuse("--client-secret must be at least 8 characters, as a desk's Settings take it.");
}

const stateFile = values.state ? resolve(values.state) : undefined;
const credentialsFile = stateFile ? `${stateFile}.credentials.json` : undefined;
// A folder named for the state file is made (the simulator only writes the file itself).
if (stateFile) mkdirSync(dirname(stateFile), { recursive: true });

/** The credentials a previous run with this state file kept (none: first run). */
function keptCredentials(): Partial<Record<'accountId' | 'clientId' | 'clientSecret', string>> {
  if (!credentialsFile || !existsSync(credentialsFile)) return {};
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(credentialsFile, 'utf8')) as Record<string, unknown>;
  } catch {
    return refuse(`${credentialsFile} cannot be read as JSON: repair or delete it.`);
  }
  const kept: Partial<Record<'accountId' | 'clientId' | 'clientSecret', string>> = {};
  for (const key of ['accountId', 'clientId', 'clientSecret'] as const) {
    if (typeof raw[key] === 'string' && raw[key] !== '') kept[key] = raw[key];
  }
  return kept;
}

const kept = keptCredentials();
const given = {
  ...kept,
  ...(values.account ? { accountId: values.account } : {}),
  ...(values['client-id'] ? { clientId: values['client-id'] } : {}),
  ...(values['client-secret'] ? { clientSecret: values['client-secret'] } : {}),
};

const mod = (await import(
  new URL('./simulator.ts', import.meta.url).href
)) as typeof import('./simulator');
let sim: Awaited<ReturnType<typeof mod.startSimulator>>;
try {
  sim = await mod.startSimulator({
    port,
    asyncOperations: values.async,
    searchLagMs: Number(values['search-lag-ms']),
    eventLagMs: Number(values['event-lag-ms']),
    ...(Object.keys(given).length > 0 ? { credentials: given } : {}),
    ...(values['store-name'] ? { storeName: values['store-name'] } : {}),
    ...(stateFile ? { stateFile } : {}),
  });
} catch (e) {
  if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
  process.stderr.write(`Port ${port} is in use: pick another with --port.\n`);
  process.exit(1);
}
// Before anything is printed: whoever reads the first line may stop it at once.
const shutdown = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

if (credentialsFile) {
  const durable = (await import(
    new URL('../durable-file.ts', import.meta.url).href
  )) as typeof import('../durable-file');
  durable.writeFileDurably(credentialsFile, `${JSON.stringify(sim.credentials, null, 2)}\n`);
}

const { accountId, clientId, clientSecret } = sim.credentials;
process.stdout.write(`${JSON.stringify({ url: sim.url, credentials: sim.credentials })}\n`);
process.stdout.write(
  [
    '',
    `Dintero simulator running at ${sim.url}`,
    stateFile
      ? `Orders are kept in ${stateFile}, credentials in ${credentialsFile}.`
      : 'Nothing is kept after it stops (start it with --state <file> to keep orders and credentials).',
    '',
    'Start each desk with its own data folder and port, pointed at this simulator',
    '(build once first: npm run build && npm run build:preview):',
    `  PAYLINK_DINTERO_API_URL=${sim.url} PAYLINK_DINTERO_CHECKOUT_URL=${sim.url} \\`,
    '  PAYLINK_DATA_DIR=<folder of this desk> PAYLINK_PREVIEW_PORT=<port of this desk> \\',
    '  npm run preview:serve',
    '',
    "In each desk's Settings type these, then press Save (all but the terminal name are the",
    'same on every desk of the shop):',
    `  Account ID          ${accountId}`,
    `  Client ID           ${clientId}`,
    `  Client secret       ${clientSecret}`,
    '  Payment profile ID  default',
    '  Store ID            one name for the shop, the same on every desk',
    '  Terminal name       one per desk (its merchant references start with it)',
    '',
    "To play the customer, open an order's payment link: its page has Pay and Decline buttons.",
    `Everything the simulator holds: ${sim.url}/__sim/state`,
    'Stop it with Ctrl+C.',
    '',
  ].join('\n'),
);
