/**
 * Training mode's runtime in the app: the simulator started for a desk (on the port it had
 * last time, so links in training orders keep working across restarts) and the real Dintero
 * client pointed at it.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDinteroClient } from '../dintero/client';
import type { DinteroClient } from '../dintero/types';
import type { Logger } from '../log';
import { registerSecret } from '../redact';
import { startSimulator, type Simulator } from './simulator';

/** What the training runtime needs from the app. */
export interface TrainingRuntimeOptions {
  /** The training data folder (its journal, the simulator's state and port file). */
  dir: string;
  /** The shop name the simulator's SMS texts carry. */
  storeName: string;
  logger: Logger;
  /** Paylink Desk's version, sent to Dintero as the system version. */
  version: string;
  /** Days the simulator keeps its SMS texts (the desk's customerDataDays, read on each run). */
  smsKeepDays?: () => number;
}

/** A running training simulator and the client that talks to it. */
export interface TrainingRuntime {
  simulator: Simulator;
  client: DinteroClient;
}

/**
 * Starts the simulator (previous port when free, any free port otherwise; an unreadable
 * simulator state is kept aside and a fresh one started) and the client for it. The
 * simulator's per-run secret is registered for redaction.
 */
export async function startTrainingRuntime(opts: TrainingRuntimeOptions): Promise<TrainingRuntime> {
  const simulator = await startTrainingSimulator(opts);
  registerSecret(simulator.credentials.clientSecret);
  const client = createDinteroClient({
    apiUrl: simulator.url,
    checkoutUrl: simulator.url,
    credentials: () => Promise.resolve(simulator.credentials),
    systemName: 'Paylink Desk',
    systemVersion: opts.version,
    logger: opts.logger,
  });
  return { simulator, client };
}

async function startTrainingSimulator(opts: TrainingRuntimeOptions): Promise<Simulator> {
  const { dir, logger } = opts;
  const portFile = join(dir, 'simulator.port');
  const previous = existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : 0;
  const start = (port: number) =>
    startSimulator({
      port,
      stateFile: join(dir, 'simulator.json'),
      storeName: opts.storeName,
      logger,
      ...(opts.smsKeepDays ? { smsKeepDays: opts.smsKeepDays } : {}),
    });
  let sim: Simulator;
  try {
    sim = await start(Number.isInteger(previous) && previous > 1024 ? previous : 0);
  } catch {
    try {
      sim = await start(0);
    } catch (e) {
      // Unreadable simulator state: keep it aside (training data only) and start afresh.
      const stateFile = join(dir, 'simulator.json');
      if (existsSync(stateFile)) renameSync(stateFile, `${stateFile}.corrupt-${Date.now()}`);
      logger.warn({ err: e }, 'Training simulator state unreadable; kept aside');
      sim = await start(0);
    }
  }
  writeFileSync(portFile, String(sim.port));
  return sim;
}
