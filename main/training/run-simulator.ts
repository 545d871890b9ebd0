/**
 * CLI: runs the simulator as its own process for tests (and manual poking), printing one JSON
 * line `{url, credentials}` to stdout and staying up until SIGTERM/SIGINT.
 *
 *   npx node main/training/run-simulator.ts [--port 0] [--account P00000000] [--state file]
 *     [--async] [--search-lag-ms 0] [--event-lag-ms 0]
 *
 * Node 24 strips the types itself. The project imports relative modules without extensions,
 * which Node's ESM loader does not resolve, so this file first registers a tiny resolve hook
 * that retries a failing extension-less relative specifier with `.ts`, then loads the
 * simulator through it. Use only erasable TypeScript in main/training (no enums, no
 * parameter properties, no namespaces).
 */
import { registerHooks } from 'node:module';
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
    state: { type: 'string' },
    async: { type: 'boolean', default: false },
    'search-lag-ms': { type: 'string', default: '0' },
    'event-lag-ms': { type: 'string', default: '0' },
  },
});

const mod = (await import(
  new URL('./simulator.ts', import.meta.url).href
)) as typeof import('./simulator');
const sim = await mod.startSimulator({
  port: Number(values.port),
  asyncOperations: values.async,
  searchLagMs: Number(values['search-lag-ms']),
  eventLagMs: Number(values['event-lag-ms']),
  ...(values.account ? { credentials: { accountId: values.account } } : {}),
  ...(values.state ? { stateFile: values.state } : {}),
});
process.stdout.write(`${JSON.stringify({ url: sim.url, credentials: sim.credentials })}\n`);

const shutdown = (): void => {
  void sim.close().then(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
