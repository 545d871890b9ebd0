/**
 * Turns what came back from Dintero (an HTTP answer, or a transport failure) into a typed
 * DinteroError. Messages are built here from status codes, error codes and Dintero's own
 * (redacted) error text, never from request data, so no secret, token or full phone number can
 * reach them. Nothing from got (request, response, headers, options) is ever attached.
 */
import { DinteroError, type DinteroErrorKind } from './errors';
import { redactText } from '../redact';

/** HTTP method of a Dintero call: GETs are safe to resend, POSTs never are. */
export type HttpMethod = 'GET' | 'POST';

/** Which part of a call failed: getting the access token, or the call itself. */
export type CallStage = 'token' | 'call';

/** Error codes that mean the connection was never made, so nothing reached Dintero. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'ERR_INVALID_URL',
]);

const MAX_DINTERO_MESSAGE = 300;
const MAX_FIELD_ERRORS = 20;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A code safe to quote in a message (ECONNRESET, ETIMEDOUT, ...); anything else is dropped. */
export function safeCode(err: unknown): string | undefined {
  if (!isRecord(err) && !(err instanceof Error)) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : undefined;
}

/** Whether the request had been fully written to the socket when the failure happened. */
export function requestWasSent(err: unknown): boolean {
  const code = safeCode(err);
  if (code && NOT_SENT_CODES.has(code)) return false;
  if (!(err instanceof Error)) return false;
  const timings = (err as { timings?: { upload?: number } }).timings;
  return typeof timings?.upload === 'number';
}

/**
 * Classifies a transport failure (no HTTP status). Before anything was sent: 'network'. After
 * the request was written: a POST's outcome is unknown; a GET is 'unavailable' (retryable).
 * Token-stage failures are always 'network': the business request itself was never sent.
 */
export function classifyTransportError(
  err: unknown,
  ctx: { method: HttpMethod; operation: string; stage: CallStage },
): DinteroError {
  const code = safeCode(err) ?? 'ERROR';
  const details = { operation: ctx.operation };
  if (ctx.stage === 'token') {
    return new DinteroError(
      'network',
      `Could not get an access token from Dintero (${code}); nothing was sent. Check the internet connection and try again.`,
      details,
    );
  }
  if (!requestWasSent(err)) {
    return new DinteroError(
      'network',
      `Could not reach Dintero (${code}); nothing was sent. Check the internet connection and try again.`,
      details,
    );
  }
  if (ctx.method === 'POST') {
    return outcomeUnknown(ctx.operation, `the answer was lost (${code})`);
  }
  return new DinteroError(
    'unavailable',
    `Dintero did not answer ${ctx.operation} (${code}); try again shortly.`,
    details,
  );
}

/** A POST that reached Dintero but whose answer we could not read. */
export function outcomeUnknown(operation: string, why: string): DinteroError {
  return new DinteroError(
    'outcome_unknown',
    `${operation} was sent to Dintero but ${why}; it may or may not have taken effect. Check its status before trying again.`,
    { operation },
  );
}

/** Parses Retry-After (delta seconds or an HTTP date) into milliseconds from `nowMs`. */
export function parseRetryAfter(value: unknown, nowMs: number): number | undefined {
  const raw = Array.isArray(value) ? (value[0] as unknown) : value;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Dintero's `{error: {code, message, errors}}` body, read defensively and redacted. */
export interface DinteroErrorBody {
  message?: string;
  code?: string;
  fieldErrors: Array<{ field?: string; message: string }>;
}

const clip = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max)}…` : s);
const clean = (s: string, max = MAX_DINTERO_MESSAGE): string => clip(redactText(s), max);

function fieldOf(e: Record<string, unknown>): string | undefined {
  for (const key of ['field', 'path', 'property', 'dataPath', 'instancePath', 'name', 'key']) {
    const v = e[key];
    if (typeof v === 'string' && v !== '') return clean(v, 120);
    if (Array.isArray(v) && v.every((p) => typeof p === 'string' || typeof p === 'number'))
      return clean(v.join('.'), 120);
  }
  const params = e.params;
  if (isRecord(params) && typeof params.missingProperty === 'string')
    return clean(params.missingProperty, 120);
  return undefined;
}

function flattenFieldErrors(
  list: unknown,
  out: Array<{ field?: string; message: string }>,
  depth: number,
): void {
  if (!Array.isArray(list) || depth > 5) return;
  for (const item of list) {
    if (out.length >= MAX_FIELD_ERRORS) return;
    if (typeof item === 'string') {
      out.push({ message: clean(item) });
      continue;
    }
    if (!isRecord(item)) continue;
    const nested = item.errors;
    const msg =
      typeof item.message === 'string'
        ? item.message
        : typeof item.description === 'string'
          ? item.description
          : typeof item.code === 'string'
            ? item.code
            : undefined;
    if (msg !== undefined || !Array.isArray(nested)) {
      const field = fieldOf(item);
      out.push({ ...(field ? { field } : {}), message: clean(msg ?? 'invalid') });
    }
    flattenFieldErrors(nested, out, depth + 1);
  }
}

/** Reads Dintero's error body (may be absent or not JSON). */
export function readErrorBody(text: string): DinteroErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { fieldErrors: [] };
  }
  const error = isRecord(parsed) ? parsed.error : undefined;
  if (!isRecord(error)) return { fieldErrors: [] };
  const fieldErrors: Array<{ field?: string; message: string }> = [];
  flattenFieldErrors(error.errors, fieldErrors, 0);
  return {
    ...(typeof error.message === 'string' ? { message: clean(error.message) } : {}),
    ...(typeof error.code === 'string' ? { code: clean(error.code, 80) } : {}),
    fieldErrors,
  };
}

/**
 * Classifies a non-2xx HTTP answer. 401 is classified here as 'authentication'; the caller
 * handles the first 401 of a call by refreshing the token.
 */
export function errorFromResponse(
  res: { status: number; headers: Record<string, unknown>; body: string },
  ctx: { operation: string; stage: CallStage; nowMs: number },
): DinteroError {
  const { status } = res;
  const body = readErrorBody(res.body);
  const base = {
    status,
    operation: ctx.operation,
    ...(body.message !== undefined ? { dinteroMessage: body.message } : {}),
    ...(body.code !== undefined ? { dinteroCode: body.code } : {}),
  };
  const said = body.message ? ` Dintero said: "${body.message}".` : '';
  const make = (kind: DinteroErrorKind, message: string, extra: object = {}) =>
    new DinteroError(kind, message, { ...base, ...extra });

  const tokenStage = ctx.stage === 'token';
  if (
    status === 401 ||
    (tokenStage && status === 400 && /^invalid_client$/i.test(body.code ?? ''))
  ) {
    return make(
      'authentication',
      tokenStage
        ? `Dintero did not accept the client id and secret (HTTP ${status}).${said} Check the API client credentials in Settings.`
        : `Dintero refused the access token twice (HTTP 401) for ${ctx.operation}.${said} Check the API client credentials in Settings.`,
    );
  }
  if (status === 403) {
    return make(
      'permission',
      `The API client is not allowed to do this (HTTP 403, ${ctx.operation}).${said} Give the client the checkout grants for this account in Dintero Backoffice.`,
    );
  }
  if (status === 404) {
    return make(
      'not_found',
      tokenStage
        ? `Dintero does not know this account (HTTP 404).${said} Check the account id in Settings.`
        : `Dintero has no such record (HTTP 404, ${ctx.operation}).${said}`,
    );
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'], ctx.nowMs);
    const wait =
      retryAfterMs !== undefined ? ` Wait ${Math.ceil(retryAfterMs / 1000)} s.` : ' Wait a moment.';
    return make(
      'rate_limited',
      `Dintero asked us to slow down (HTTP 429, ${ctx.operation}).${wait}`,
      retryAfterMs !== undefined ? { retryAfterMs } : {},
    );
  }
  if (status >= 500 && !tokenStage && ctx.operation.startsWith('POST')) {
    // A gateway error (502/504) or a 500 can come after Dintero already acted: the engine
    // must check (list sessions by reference, read the transaction's events) before resending.
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'], ctx.nowMs);
    return make(
      'outcome_unknown',
      `Dintero answered ${ctx.operation} with HTTP ${status}, so it is not known whether it was done.${said} Paylink Desk checks with Dintero before trying again.`,
      retryAfterMs !== undefined ? { retryAfterMs } : {},
    );
  }
  if (status === 409 || status >= 500) {
    return make(
      'unavailable',
      `Dintero could not handle ${ctx.operation} right now (HTTP ${status}).${said} Try again shortly.`,
    );
  }
  if (status >= 400) {
    const fields = body.fieldErrors.length
      ? ` Fields: ${body.fieldErrors
          .slice(0, 5)
          .map((f) => (f.field ? `${f.field}: ${f.message}` : f.message))
          .join('; ')}.`
      : '';
    const advice = tokenStage
      ? 'Check the account id and API client in Settings.'
      : 'Correct the details and try again.';
    return make(
      'invalid_request',
      `Dintero refused ${ctx.operation} (HTTP ${status}):${said ? said : ' no reason given.'}${fields} ${advice}`,
      body.fieldErrors.length ? { fieldErrors: body.fieldErrors } : {},
    );
  }
  return make(
    'unavailable',
    `Dintero gave an unexpected answer to ${ctx.operation} (HTTP ${status}). Try again shortly.`,
  );
}
