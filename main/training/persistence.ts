/**
 * Optional persistence of the simulator's data (training mode), so training orders survive an
 * app restart: loaded at start, written through atomically (temp file, fsync, rename) on
 * every change. Tokens and counters are per run and not stored.
 */
import { readFileSync } from 'node:fs';
import { writeFileDurably } from '../durable-file';
import type { TrainingSms } from '../../common/domain';
import type { SimSession, SimTransaction } from './types';

/** An accepted (202) operation that has not finished yet. */
export interface PendingOperation {
  transactionId: string;
  kind: 'CAPTURE' | 'REFUND' | 'VOID';
  amount: number;
  /** The `event-request-id` of the 202; the final event's correlation_request_id. */
  requestId: string;
  eventReference?: string;
  items?: Array<Record<string, unknown>>;
}

/** What the state file holds. */
export interface PersistedState {
  version: 1;
  accountId: string;
  sessions: SimSession[];
  transactions: SimTransaction[];
  sms: TrainingSms[];
  pending: PendingOperation[];
}

/**
 * Reads a state file. Missing file = undefined; a corrupt or foreign file throws, so a
 * broken training state is noticed rather than silently replaced.
 */
export function loadState(file: string): PersistedState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const data = JSON.parse(text) as Partial<PersistedState>;
  if (data.version !== 1 || !Array.isArray(data.sessions) || !Array.isArray(data.transactions)) {
    throw new Error('Simulator state file has an unknown format');
  }
  return {
    version: 1,
    accountId: String(data.accountId ?? ''),
    sessions: data.sessions,
    transactions: data.transactions,
    sms: Array.isArray(data.sms) ? data.sms : [],
    pending: Array.isArray(data.pending) ? data.pending : [],
  };
}

/** Writes the state atomically: a reader sees the old file or the new one, never half. */
export function saveState(file: string, state: PersistedState): void {
  writeFileDurably(file, JSON.stringify(state));
}
