/**
 * One life of the engine child process (engine-runner.ts), seen from the parent: its
 * protocol lines parsed, its acknowledgements counted, and kill -9 / graceful stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { RunnerConfig } from './engine-runner';

/** An order the child reported: index, journal id, merchant reference. */
export type Have = Array<[number, string, string]>;

interface Line {
  t: string;
  [k: string]: unknown;
}

/** Called as lines arrive, in order (ready before any ack of the same life). */
export interface LifeListeners {
  ready(have: Have): void;
  ack(i: number, id: string, ref: string): void;
}

/** Every child started, so afterAll can kill any still running. */
export const liveChildren = new Set<ChildProcess>();

/** A running child. */
export class Life {
  readonly child: ChildProcess;
  readonly ready: Promise<Have>;
  /** Resolves once the process is gone AND its stdout is drained ('close'). */
  readonly closed: Promise<number | null>;
  gotReady = false;
  acks = 0;
  lastStates: Record<string, number> = {};
  problem: string | undefined;
  private stderr = '';
  private buffer = '';
  private readonly on: LifeListeners;
  private stopped: (() => void) | undefined;

  constructor(runnerPath: string, config: RunnerConfig, on: LifeListeners) {
    this.on = on;
    this.child = spawn(process.execPath, [runnerPath, JSON.stringify(config)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    liveChildren.add(this.child);
    let resolveReady!: (h: Have) => void;
    let rejectReady!: (e: Error) => void;
    this.ready = new Promise<Have>((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    this.ready.catch(() => undefined);
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const text = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        // A line cut by the kill never reaches here: only complete lines are read.
        this.handle(JSON.parse(text) as Line, resolveReady);
      }
    });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (c: string) => {
      this.stderr = (this.stderr + c).slice(-4000);
    });
    this.closed = new Promise((resolve) => {
      this.child.once('close', (code) => {
        liveChildren.delete(this.child);
        rejectReady(new Error(`child exited before ready (code ${code}): ${this.stderr}`));
        resolve(code);
      });
    });
  }

  private handle(line: Line, resolveReady: (h: Have) => void): void {
    switch (line.t) {
      case 'ready':
        this.gotReady = true;
        // Synchronously, before the acks that may follow in the same chunk are handled.
        this.on.ready(line.have as Have);
        resolveReady(line.have as Have);
        break;
      case 'ack':
        this.acks++;
        this.on.ack(line.i as number, line.id as string, line.ref as string);
        break;
      case 'status':
        this.lastStates = line.states as Record<string, number>;
        break;
      case 'problem':
        this.problem = String(line.message);
        break;
      case 'stopped':
        this.stopped?.();
        break;
    }
  }

  /** Orders in the outbox (queued, sending, unknown) at the last status line. */
  get outboxAtLastStatus(): number {
    const s = this.lastStates;
    return (s.queued ?? 0) + (s.sending ?? 0) + (s.unknown ?? 0);
  }

  /** kill -9, then wait until the process is gone and its output read. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.closed;
  }

  /** Graceful stop (engine.stop()), bounded; kill -9 if it takes longer. */
  async stop(timeoutMs: number): Promise<boolean> {
    const done = new Promise<void>((r) => (this.stopped = r));
    this.child.stdin!.write('stop\n');
    const ok = await Promise.race([
      done.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs)),
    ]);
    if (!ok) this.child.kill('SIGKILL');
    await this.closed;
    return ok;
  }

  get stderrTail(): string {
    return this.stderr;
  }
}
