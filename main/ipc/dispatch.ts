/**
 * The one wrapper every IPC call goes through, in Electron (ipcMain.handle) and in the
 * browser bridge alike: it checks the channel exists, validates the input with the channel's
 * zod schema, runs the handler and turns every failure into a typed `IpcError` whose message
 * a person can act on. Nothing a handler throws reaches the renderer raw.
 */
import { z } from 'zod';
import {
  channels,
  type Channel,
  type ChannelResults,
  type IpcError,
  type IpcErrorCode,
  type IpcResult,
} from '../../common/ipc-contract';
import { KeychainUnavailableError } from '../credentials/secret-store';
import { DinteroError, type DinteroErrorKind } from '../dintero/errors';
import type { Logger } from '../log';
import { DeskError } from '../desk-error';
import { redactText } from '../redact';

/** Who is calling: the terminal name staff set, recorded in the audit trail. */
export interface CallContext {
  actor: string;
}

/** One handler per channel, receiving the validated input. */
export type HandlerTable = {
  [C in Channel]: (
    input: z.output<(typeof channels)[C]>,
    ctx: CallContext,
  ) => Promise<ChannelResults[C]> | ChannelResults[C];
};

const isChannel = (name: unknown): name is Channel =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);

const DINTERO_CODES: Record<DinteroErrorKind, IpcErrorCode> = {
  invalid_request: 'dintero_rejected',
  authentication: 'dintero_auth',
  permission: 'dintero_auth',
  not_found: 'not_found',
  rate_limited: 'dintero_unavailable',
  unavailable: 'dintero_unavailable',
  network: 'offline',
  outcome_unknown: 'outcome_unknown',
  not_configured: 'dintero_auth',
};

/** Field path -> first message, for the screen to show beside each field. */
export function zodFields(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

/** Maps anything thrown by a handler to an IpcError (never leaks stacks or secrets). */
export function toIpcError(e: unknown): IpcError {
  if (e instanceof DeskError) {
    return { code: e.code, message: e.message, ...(e.fields ? { fields: e.fields } : {}) };
  }
  if (e instanceof DinteroError)
    return { code: DINTERO_CODES[e.kind], message: redactText(e.message) };
  if (e instanceof KeychainUnavailableError)
    return { code: 'keychain_unavailable', message: e.message };
  if (e instanceof z.ZodError) {
    return { code: 'invalid_input', message: 'Some values are not valid.', fields: zodFields(e) };
  }
  return {
    code: 'internal',
    message:
      'Something went wrong inside Paylink Desk. Nothing was lost; the details are in the log.',
  };
}

/** True for JSON-shaped data: primitives, arrays and objects whose prototype is Object's. */
export function isPlainData(value: unknown, depth = 0): boolean {
  if (value === null || value === undefined) return true;
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean') return true;
  if (t !== 'object' || depth > 32) return false;
  if (Array.isArray(value)) return value.every((v) => isPlainData(v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value as Record<string, unknown>).every((v) => isPlainData(v, depth + 1));
}

/**
 * Validates and runs one call. Never throws: every outcome is an IpcResult.
 */
export async function dispatch(
  table: HandlerTable,
  channel: unknown,
  rawInput: unknown,
  ctx: CallContext,
  logger?: Logger,
): Promise<IpcResult<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'unknown_channel', message: 'Unknown request.' } };
  }
  if (!isPlainData(rawInput)) {
    // zod reads a Date, Map, Error or class instance as an empty object; structured clone can
    // deliver all of them. Only JSON-shaped input is accepted.
    return {
      ok: false,
      error: {
        code: 'invalid_input',
        message: 'Some values are not valid.',
        fields: { _: 'Expected plain data' },
      },
    };
  }
  const parsed = channels[channel].safeParse(rawInput);
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'invalid_input',
        message: 'Some values are not valid.',
        fields: zodFields(parsed.error),
      },
    };
  }
  try {
    const handler = table[channel] as (input: unknown, ctx: CallContext) => unknown;
    const value = await handler(parsed.data, ctx);
    return { ok: true, value };
  } catch (e) {
    const error = toIpcError(e);
    if (error.code === 'internal') logger?.error({ err: e, channel }, 'IPC handler failed');
    else logger?.info({ channel, code: error.code }, 'IPC call refused');
    return { ok: false, error };
  }
}
