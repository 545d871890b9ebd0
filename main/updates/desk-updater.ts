/**
 * Updates, decided in plain Node: when to ask the feed, downloading in the background, and
 * whether a restart may happen. The feed itself (update-feed.ts) is electron-updater's; the
 * shell (main/index.ts) supplies how the app closes for the installer.
 *
 * States: idle → checking → up to date | downloading(version) → ready(version) | failed(code).
 * - The feed is asked at start and then once a day. The wall clock decides "a day", read on a
 *   timer that ticks every few minutes, so a desk that slept through its hour still checks
 *   when it wakes; a clock that jumps backwards counts as "due now" (it never postpones the
 *   next check by the size of the jump). After a failure the next try comes sooner (1 h).
 * - A newer version is downloaded at once, in the background; it is "ready" only once
 *   electron-updater verified its sha512 against the feed. A damaged download is refused
 *   (failed 'download_damaged'), never ready.
 * - Once ready the desk stops asking until it restarts. It never restarts by itself: only
 *   restart(), which the IPC handler calls when staff press "Restart to update", and which
 *   refuses while the restart gate (restart-gate.ts) says work is under way.
 */
import type { RestartBlocker } from '../../common/domain';
import type { Logger } from '../log';
import type { PendingWork } from '../orders/engine-types';
import { mayRestart } from './restart-gate';
import { UpdateFeedError, type UpdateFailure, type UpdateFeed } from './update-feed';

export type UpdateState =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'upToDate'; latest: string }
  | { kind: 'downloading'; version: string }
  | { kind: 'ready'; version: string }
  | { kind: 'failed'; code: UpdateFailure };

/** What a press of "Restart to update" came to. */
export type RestartDecision =
  | { restarting: true; version: string }
  | { restarting: false; why: 'not_ready' }
  | { restarting: false; why: 'busy'; waitsFor: RestartBlocker[] };

/** What AppServices needs of the updater (DeskUpdater; tests may hand in another). */
export interface UpdaterPort {
  readonly state: UpdateState;
  /** First check now, then the daily schedule. */
  start(): void;
  /** Stops the schedule (a check or download under way finishes on its own). */
  stop(): void;
  onChange(listener: (state: UpdateState) => void): () => void;
  /** Staff pressed "Restart to update": restarts only when ready and `work` allows it. */
  restart(work: PendingWork): RestartDecision;
}

/** A repeating timer; returns how to stop it. */
export type Repeat = (fn: () => void, everyMs: number) => () => void;

const HOUR_MS = 60 * 60 * 1000;
export const UPDATE_TIMING = {
  /** How often the feed is asked once a check went through (24 h). */
  everyMs: 24 * HOUR_MS,
  /** How soon the feed is asked again after a failed check or download (1 h). */
  retryMs: HOUR_MS,
  /** How often the clock is read to see whether a check is due (10 min). */
  tickMs: 10 * 60 * 1000,
};

export interface DeskUpdaterOptions {
  feed: UpdateFeed;
  /**
   * Closes the app the normal way (services, the data folder's lock) and then runs the
   * installer (DeskUpdater.install). Called by restart() only, once, after the gate allowed it.
   */
  restartApp: () => void;
  logger: Logger;
  /** Wall clock (ms since epoch); injectable for tests. */
  now?: () => number;
  /** Repeating timer; injectable for tests (default setInterval, unref'd). */
  repeat?: Repeat;
  timing?: Partial<typeof UPDATE_TIMING>;
}

const defaultRepeat: Repeat = (fn, everyMs) => {
  const t = setInterval(fn, everyMs);
  t.unref();
  return () => clearInterval(t);
};

export class DeskUpdater implements UpdaterPort {
  private current: UpdateState = { kind: 'idle' };
  private readonly listeners = new Set<(s: UpdateState) => void>();
  private readonly now: () => number;
  private readonly timing: typeof UPDATE_TIMING;
  private stopTimer: (() => void) | undefined;
  /** The wall clock at the last tick, and when the feed is due next. */
  private lastSeenAt: number | undefined;
  private nextDueAt: number | undefined;
  private running: Promise<void> | undefined;
  private restarting = false;

  constructor(private readonly opts: DeskUpdaterOptions) {
    this.now = opts.now ?? Date.now;
    this.timing = { ...UPDATE_TIMING, ...opts.timing };
  }

  get state(): UpdateState {
    return this.current;
  }

  onChange(listener: (state: UpdateState) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  start(): void {
    if (this.stopTimer) return;
    const tick = (): void => void this.tick();
    this.stopTimer = (this.opts.repeat ?? defaultRepeat)(tick, this.timing.tickMs);
    tick();
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = undefined;
  }

  /**
   * Reads the clock and asks the feed when a check is due. Returns the run it started or is
   * waiting on (tests await it); nothing is thrown, a failure becomes the failed state.
   */
  tick(): Promise<void> {
    if (this.running) return this.running;
    if (this.current.kind === 'ready' || this.restarting) return Promise.resolve();
    const now = this.now();
    const clockWentBack = this.lastSeenAt !== undefined && now < this.lastSeenAt;
    this.lastSeenAt = now;
    if (this.nextDueAt !== undefined && now < this.nextDueAt && !clockWentBack) {
      return Promise.resolve();
    }
    const run = this.checkAndDownload(now).finally(() => {
      this.running = undefined;
    });
    this.running = run;
    return run;
  }

  restart(work: PendingWork): RestartDecision {
    const state = this.current;
    if (state.kind !== 'ready') return { restarting: false, why: 'not_ready' };
    const gate = mayRestart(work);
    if (!gate.allowed) return { restarting: false, why: 'busy', waitsFor: gate.waitsFor };
    if (!this.restarting) {
      this.restarting = true;
      this.stop();
      this.opts.logger.info({ version: state.version }, 'restarting to install the update');
      this.opts.restartApp();
    }
    return { restarting: true, version: state.version };
  }

  /**
   * Runs the downloaded version's installer (the shell calls this once it has closed the app's
   * services). False when it could not start; the app is still running then.
   */
  install(): boolean {
    const started = this.opts.feed.install();
    if (!started) this.opts.logger.error('the update installer did not start');
    return started;
  }

  private async checkAndDownload(startedAt: number): Promise<void> {
    const { feed, logger } = this.opts;
    let phase: 'check' | 'download' = 'check';
    try {
      this.set({ kind: 'checking' });
      const answer = await feed.check();
      if (!answer.newer) {
        this.nextDueAt = startedAt + this.timing.everyMs;
        this.set({ kind: 'upToDate', latest: answer.latest });
        return;
      }
      phase = 'download';
      this.set({ kind: 'downloading', version: answer.version });
      await feed.download();
      this.set({ kind: 'ready', version: answer.version });
      logger.info({ version: answer.version }, 'update downloaded and verified');
    } catch (err) {
      const code =
        err instanceof UpdateFeedError
          ? err.code
          : phase === 'check'
            ? 'feed_invalid'
            : 'download_failed';
      this.nextDueAt =
        startedAt + (code === 'not_supported' ? this.timing.everyMs : this.timing.retryMs);
      logger.warn(
        { code, err: err instanceof UpdateFeedError ? err.cause : err },
        `update ${phase} failed`,
      );
      this.set({ kind: 'failed', code });
    }
  }

  private set(state: UpdateState): void {
    this.current = state;
    for (const l of this.listeners) {
      try {
        l(state);
      } catch (err) {
        this.opts.logger.error({ err }, 'update listener threw');
      }
    }
  }
}
