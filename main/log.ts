/**
 * Logging: pino writing JSON lines to a size-rotated file in the app's data folder
 * (`<data>/logs/paylink-desk.log`, 5 files of 5 MB). Every line passes the one redaction rule
 * in redact.ts, so secrets, tokens and full phone numbers never reach the file.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createStream } from 'rotating-file-stream';
import { redact, redactText } from './redact';

export type Logger = pino.Logger;

export interface LoggerOptions {
  /** Folder for log files; omitted = write to `stream` (tests) or nowhere. */
  dir?: string;
  level?: pino.LevelWithSilent;
  /** Extra destination (tests capture lines here). */
  stream?: NodeJS.WritableStream;
}

/** A destination that redacts each serialized line once more before it is written. */
function redactingStream(target: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      target.write(redactText(chunk.toString('utf8')), cb);
    },
  });
}

/** Creates the app logger. Safe to call with no options (logs nowhere). */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const targets: NodeJS.WritableStream[] = [];
  if (opts.dir) {
    mkdirSync(opts.dir, { recursive: true });
    targets.push(
      createStream('paylink-desk.log', {
        path: opts.dir,
        size: '5M',
        maxFiles: 5,
        compress: false,
      }),
    );
  }
  if (opts.stream) targets.push(opts.stream);
  const dest =
    targets.length === 0
      ? new Writable({ write: (_c, _e, cb) => cb() })
      : redactingStream(
          targets.length === 1
            ? targets[0]!
            : new Writable({
                write(chunk: Buffer, _e, cb) {
                  for (const t of targets) t.write(chunk);
                  cb();
                },
              }),
        );
  return pino(
    {
      level: opts.level ?? 'info',
      base: undefined,
      formatters: { log: (obj) => redact(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<
              typeof method
            >,
          );
        },
      },
    },
    dest,
  );
}

/** Where logs go inside a data folder. */
export const logDir = (dataDir: string): string => join(dataDir, 'logs');
