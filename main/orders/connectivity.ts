/**
 * Whether the desk can talk to Dintero right now, and whether it should.
 *
 * - offline: a call could not reach Dintero at all. Sending and polling pause; a cheap probe
 *   (one GET of one session) runs every `probeMs`, and the moment it gets any answer from
 *   Dintero the desk is online again and the queue resumes at once.
 * - blocked: Dintero refused our credentials (401/403) or none are configured. Orders stay
 *   queued (they are fine; the settings are not), sending pauses, and the same probe notices
 *   when the settings have been fixed.
 * - a 429 sets a "not before" time for new sends.
 */
import type { Message } from '../../common/i18n/messages';
import { DinteroError } from '../dintero/errors';
import type { DinteroClient } from '../dintero/types';
import type { Logger } from '../log';

/** Options of {@link Connectivity}. */
export interface ConnectivityOptions {
  client: DinteroClient;
  logger: Logger;
  now: () => number;
  probeMs: number;
  /** online/blocked changed (the engine re-emits status). */
  onChange: () => void;
  /** The line (or the credentials) came back: resume at once. */
  onResume: () => void;
}

/** The desk's view of the line to Dintero. */
export class Connectivity {
  private onlineFlag = true;
  private blockedReason: Message | undefined;
  private notBeforeMs = 0;
  private probeTimer: NodeJS.Timeout | undefined;
  private probing: Promise<boolean> | undefined;
  private stopped = false;

  constructor(private readonly opts: ConnectivityOptions) {}

  /** Reachable, as far as the last call knows. */
  get online(): boolean {
    return this.onlineFlag;
  }

  /** Why sending is paused although the line works (credentials), if it is. */
  get blocked(): Message | undefined {
    return this.blockedReason;
  }

  /** True when new creates may go out now. */
  canSend(): boolean {
    return this.onlineFlag && !this.blockedReason && this.opts.now() >= this.notBeforeMs;
  }

  /** Earliest time a send may go out after a 429 (ms). */
  get notBefore(): number {
    return this.notBeforeMs;
  }

  /** A call could not reach Dintero: go offline and start probing. */
  networkFailed(): void {
    if (this.onlineFlag) {
      this.onlineFlag = false;
      this.opts.logger.warn('dintero unreachable: sending paused, probing');
      this.opts.onChange();
    }
    this.scheduleProbe();
  }

  /** A call reached Dintero (any answer): the line is up. */
  reached(): void {
    if (!this.onlineFlag) {
      this.onlineFlag = true;
      this.opts.onChange();
      this.opts.onResume();
    }
  }

  /** Dintero refused our credentials: pause sending until a probe passes. */
  block(reason: Message): void {
    if (JSON.stringify(this.blockedReason) !== JSON.stringify(reason)) {
      this.blockedReason = reason;
      this.opts.logger.warn('dintero refused credentials: sending paused');
      this.opts.onChange();
    }
    this.scheduleProbe();
  }

  /** Dintero asked us to slow down. */
  rateLimited(retryAfterMs: number): void {
    this.notBeforeMs = Math.max(this.notBeforeMs, this.opts.now() + retryAfterMs);
  }

  /** One probe now; true when sending may resume. Concurrent calls share one probe. */
  probe(): Promise<boolean> {
    this.probing ??= this.runProbe().finally(() => {
      this.probing = undefined;
    });
    return this.probing;
  }

  private async runProbe(): Promise<boolean> {
    try {
      await this.opts.client.listSessions({ limit: 1 });
      const wasPaused = !this.onlineFlag || this.blockedReason !== undefined;
      this.onlineFlag = true;
      this.blockedReason = undefined;
      if (wasPaused) {
        this.opts.logger.info('dintero reachable again: resuming');
        this.opts.onChange();
        this.opts.onResume();
      }
      return true;
    } catch (err) {
      const kind = err instanceof DinteroError ? err.kind : 'network';
      if (kind === 'network') return false;
      if (kind === 'authentication' || kind === 'permission' || kind === 'not_configured') {
        // The line works; the credentials do not.
        if (!this.onlineFlag) {
          this.onlineFlag = true;
          this.opts.onChange();
        }
        return false;
      }
      // 5xx / 429 / anything else: Dintero answered, so the line is back.
      this.reached();
      return !this.blockedReason;
    }
  }

  private scheduleProbe(): void {
    if (this.stopped || this.probeTimer) return;
    const tick = (): void => {
      this.probeTimer = undefined;
      if (this.stopped || (this.onlineFlag && !this.blockedReason)) return;
      void this.probe().then(() => {
        if (!this.onlineFlag || this.blockedReason) this.scheduleProbe();
      });
    };
    this.probeTimer = setTimeout(tick, this.opts.probeMs);
    this.probeTimer.unref?.();
  }

  /** Stops probing. */
  stop(): void {
    this.stopped = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
  }

  /** Allows probing again after {@link stop} (engine restart). */
  start(): void {
    this.stopped = false;
    if (!this.onlineFlag || this.blockedReason) this.scheduleProbe();
  }
}
