/**
 * Child-process entry for the kill -9 test: one "life" of the order engine on a data folder.
 * Built into a temp folder by build-runner.ts (vite SSR build, dependencies external), then
 * run with plain Node, so it runs exactly the product code the app runs.
 *
 * Config: one JSON argument (RunnerConfig). Protocol: one JSON object per stdout line
 * (stdout to a pipe is synchronous on Linux, so a line is out before the next step starts):
 *   {"t":"ready","have":[[i,id,ref],...]}   journal open, engine started; orders already there
 *   {"t":"ack","i":i,"id":id,"ref":ref}       order i is journaled (createOrder resolved)
 *   {"t":"status","states":{...},"acked":n}   periodic counts by state
 *   {"t":"stopped"}                           after "stop" on stdin: engine.stop() finished
 * Orders are keyed by customerName `${keyPrefix}${i}`, so a life that finds order i already
 * journaled (created by a life killed before it could say so) acknowledges it instead of
 * creating it again.
 */
import { english } from '../../../common/i18n';
import { createDinteroClient } from '../../../main/dintero/client';
import type { DinteroCredentials } from '../../../main/dintero/types';
import { createLogger } from '../../../main/log';
import { createOrderEngine } from '../../../main/orders/engine';
import type { EngineSettings, EngineTiming } from '../../../main/orders/engine-types';

/** What the parent passes. */
export interface RunnerConfig {
  dataDir: string;
  logDir: string;
  url: string;
  credentials: DinteroCredentials;
  /** Orders 0..total-1 exist when the battery is done. */
  total: number;
  /** Most NEW orders this life creates (those found already journaled do not count). */
  quota: number;
  /** Pause between two creates, ms (min and max; drawn from the seeded PRNG). */
  paceMs: [number, number];
  seed: number;
  settings: EngineSettings;
  timing: Partial<EngineTiming>;
  concurrency: number;
  keyPrefix: string;
  statusEveryMs: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as RunnerConfig;

let a = config.seed >>> 0;
const random = (): number => {
  a = (a + 0x6d2b79f5) >>> 0;
  let t = a;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const say = (o: unknown): void => {
  process.stdout.write(`${JSON.stringify(o)}\n`);
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const logger = createLogger({ dir: config.logDir, level: 'debug' });
const client = createDinteroClient({
  apiUrl: config.url,
  checkoutUrl: config.url,
  credentials: () => Promise.resolve(config.credentials),
  timeoutMs: 5000,
  systemName: 'Paylink Desk reliability',
  systemVersion: '0',
  logger,
  random,
});
const engine = createOrderEngine({
  accountId: 'P00000000',
  dataDir: config.dataDir,
  client,
  settings: () => config.settings,
  logger,
  concurrency: config.concurrency,
  timing: config.timing,
  random,
});

let stopping = false;
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  if (!chunk.includes('stop') || stopping) return;
  stopping = true;
  void engine.stop().then(() => {
    say({ t: 'stopped' });
    process.exit(0);
  });
});

const status = engine.status();
if (status.journalProblem) {
  say({ t: 'problem', message: english(status.journalProblem) });
  process.exit(3);
}

engine.start();
const byKey = new Map<string, { id: string; ref: string }>();
for (const o of engine.listOrders({ limit: 1_000_000 }).orders) {
  if (o.customerName?.startsWith(config.keyPrefix)) {
    byKey.set(o.customerName, { id: o.id, ref: o.merchantReference });
  }
}
const have: Array<[number, string, string]> = [];
for (const [key, v] of byKey) have.push([Number(key.slice(config.keyPrefix.length)), v.id, v.ref]);
say({ t: 'ready', have });

const statusTimer = setInterval(() => {
  if (stopping) return;
  const states: Record<string, number> = {};
  for (const o of engine.listOrders({ limit: 1_000_000 }).orders) {
    states[o.state] = (states[o.state] ?? 0) + 1;
  }
  say({ t: 'status', states, acked: byKey.size });
}, config.statusEveryMs);
statusTimer.unref();

let created = 0;
for (let i = 0; i < config.total && created < config.quota && !stopping; i++) {
  const key = `${config.keyPrefix}${i}`;
  if (byKey.has(key)) continue;
  const r = await engine.createOrder(
    {
      phone: `4${String(1_000_000 + i).padStart(7, '0')}`,
      country: 'NO',
      amount: 10_000 + i,
      currency: 'NOK',
      linkLifetimeHours: 24,
      delivery: 'sms',
      customerName: key,
      allowDuplicate: true,
    },
    'K9',
  );
  if (!r.created) throw new Error(`order ${i} was not created`);
  byKey.set(key, { id: r.order.id, ref: r.order.merchantReference });
  say({ t: 'ack', i, id: r.order.id, ref: r.order.merchantReference });
  created++;
  const [lo, hi] = config.paceMs;
  await sleep(lo + Math.floor(random() * (hi - lo + 1)));
}
// Stay alive (sending, reconciling, polling) until killed or told to stop.
setInterval(() => undefined, 1 << 30);
