/**
 * A real crash: the engine runs in a child process that is killed with SIGKILL at random
 * moments while it sends (some creates lose their answer on purpose), then restarted on the
 * same journal. Whatever the timing: every order ends with exactly one session.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../main/training/simulator';
import { MemoryDintero } from '../../support/memory-dintero';
import { engine, input, phone, tempDir } from './helpers';

const jitiCli = join(
  createRequire(import.meta.url).resolve('jiti/package.json'),
  '..',
  'lib',
  'jiti-cli.mjs',
);
const child = join(import.meta.dirname, 'fixtures', 'engine-child.ts');

const sims: Simulator[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const s of sims.splice(0)) await s.close();
});

function run(
  dir: string,
  sim: Simulator,
): { proc: ChildProcess; exited: Promise<number | null>; started: Promise<void> } {
  const proc = spawn(process.execPath, [jitiCli, child, dir, sim.url], {
    env: { ...process.env, SIM_CREDS: JSON.stringify(sim.credentials) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(proc);
  const started = new Promise<void>((resolve) => {
    proc.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('started')) resolve();
    });
    proc.on('exit', () => resolve());
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, exited, started };
}

describe('SIGKILL while sending', () => {
  it(
    'loses nothing and duplicates nothing across repeated kills',
    { timeout: 60_000 },
    async () => {
      const sim = await startSimulator({ port: 0 });
      sims.push(sim);
      sim.faults.add({ route: 'create', kind: 'drop_after_commit', every: 3 });
      sim.faults.add({ route: 'create', kind: 'latency', delayMs: 15 });
      const dir = tempDir();
      const N = 40;
      const setup = engine(dir, new MemoryDintero());
      for (let i = 0; i < N; i++) await setup.createOrder(input({ phone: phone(i) }), 'Desk 9');
      setup.closeNow();

      let kills = 0;
      for (let round = 0; round < 6; round++) {
        const r = run(dir, sim);
        await r.started;
        // Kill while sending: once this life's creates have begun reaching the simulator (on a
        // loaded machine a fixed delay can land before the first one), a little later each round.
        const creates = sim.stats().requests.create ?? 0;
        const until = Date.now() + 5_000;
        while ((sim.stats().requests.create ?? 0) <= creates && Date.now() < until) {
          if (r.proc.exitCode !== null) break;
          await new Promise((res) => setTimeout(res, 2));
        }
        await new Promise((res) => setTimeout(res, round * 10));
        if (r.proc.exitCode === null && r.proc.kill('SIGKILL')) kills++;
        await r.exited;
      }
      // The kills landed while sending: some, not all, sessions existed before the last run.
      const beforeLast = Object.keys(sim.stats().sessionsCreated).length;
      expect(beforeLast).toBeGreaterThan(0);
      const last = run(dir, sim);
      expect(await last.exited).toBe(0);

      expect(kills).toBeGreaterThan(0);
      const created = sim.stats().sessionsCreated;
      expect(Object.keys(created)).toHaveLength(N);
      expect(Object.values(created).every((n) => n === 1)).toBe(true);
      const check = engine(dir, new MemoryDintero());
      const { orders } = check.listOrders();
      expect(orders).toHaveLength(N);
      for (const o of orders) {
        expect(o.state).toBe('link_sent');
        expect(sim.getSession(o.sessionId!)?.order.merchant_reference).toBe(o.merchantReference);
      }
    },
  );
});
