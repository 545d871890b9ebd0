/**
 * The one wrapper every IPC call goes through, in Electron (ipcMain.handle) and in the
 * browser bridge alike: it checks the channel exists, validates the input with the channel's
 * zod schema, runs the handler and turns every failure into a typed `IpcError` whose message
 * a person can act on. Nothing a handler throws reaches the renderer raw.
 */
import { hiddenCharacterText, type HiddenCharacter } from '../../common/hidden-characters';
import { english } from '../../common/i18n';
import { msg, type Message } from '../../common/i18n/messages';
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

/**
 * Field path -> first message, for the screen to show beside each field: a hidden character
 * named in the screen's language (the contract's check carries its kind), else "not valid".
 */
export function zodFields(error: z.ZodError): Record<string, Message> {
  const fields: Record<string, Message> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    const params = (issue as { params?: { hiddenCharacter?: unknown; codePoint?: unknown } })
      .params;
    const field = String(issue.path.at(-1) ?? '');
    const hidden =
      typeof params?.hiddenCharacter === 'string' && typeof params.codePoint === 'string'
        ? hiddenCharacterText(HIDDEN_TEXT_FIELDS.includes(field) ? field : 'generic', {
            kind: params.hiddenCharacter as HiddenCharacter['kind'],
            codePoint: params.codePoint,
          })
        : undefined;
    fields[key] ??= hidden ?? msg('error.fieldInvalid');
  }
  return fields;
}

/** Fields the catalogs can name in a hidden-character message (`hiddenText.field.*`). */
const HIDDEN_TEXT_FIELDS: readonly string[] = [
  'customerName',
  'email',
  'note',
  'description',
  'reason',
  'clientId',
  'profileId',
  'returnUrl',
  'storeId',
  'terminalName',
];

/** Maps anything thrown by a handler to an IpcError (never leaks stacks or secrets). */
export function toIpcError(e: unknown): IpcError {
  if (e instanceof DeskError) {
    return {
      code: e.code,
      message: e.message,
      text: e.text,
      ...(e.fields ? { fields: e.fields } : {}),
    };
  }
  if (e instanceof DinteroError)
    return { code: DINTERO_CODES[e.kind], message: redactText(e.message), text: e.text };
  if (e instanceof KeychainUnavailableError)
    return { code: 'keychain_unavailable', message: e.message, text: e.text };
  if (e instanceof z.ZodError) return invalidInput(zodFields(e));
  return failure('internal', msg('error.internal'));
}

/** An IpcError with its English words filled in from the catalog. */
function failure(code: IpcErrorCode, text: Message): IpcError {
  return { code, message: english(text), text };
}

/** Refused input, with the field messages for the screen. */
function invalidInput(fields: Record<string, Message>): IpcError {
  return { ...failure('invalid_input', msg('error.invalidInput')), fields };
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
    return { ok: false, error: failure('unknown_channel', msg('error.unknownChannel')) };
  }
  if (!isPlainData(rawInput)) {
    // zod reads a Date, Map, Error or class instance as an empty object; structured clone can
    // deliver all of them. Only JSON-shaped input is accepted.
    return { ok: false, error: invalidInput({ _: msg('error.fieldInvalid') }) };
  }
  const parsed = channels[channel].safeParse(rawInput);
  if (!parsed.success) {
    return { ok: false, error: invalidInput(zodFields(parsed.error)) };
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
