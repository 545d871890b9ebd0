/**
 * The real Dintero client (got): client-credentials token cache, Checkout sessions and
 * transactions, settlements (core API host), typed errors, read retries. See Dintero's
 * Checkout API reference (https://docs.dintero.com/checkout-api) for the API and
 * main/dintero/types.ts for the interface it implements.
 *
 * Promises:
 * - POSTs are sent once. The only resend is after a 401 (Dintero did not act): refresh the
 *   token once, send once more. A lost POST answer is 'outcome_unknown'.
 * - GETs retry transient failures with full-jitter backoff, honouring Retry-After.
 * - No client secret, token or full phone number appears in errors or log lines.
 */
import type { Logger } from '../log';
import { registerSecret } from '../redact';
import { errorFromResponse, outcomeUnknown, type HttpMethod } from './classify';
import { DinteroError } from './errors';
import { createTransport, type RawResponse, type SendFn } from './http';
import { listAllPages, listAllSettlementPages, readSettlementPage } from './paging';
import {
  clampLimit,
  clampSettlementLimit,
  sessionParams,
  settlementParams,
  transactionParams,
} from './list-params';
import { withReadRetries } from './retry';
import { TokenCache, type IssuedToken } from './token-cache';
import type {
  CaptureRequest,
  CreateSessionRequest,
  CreateSessionResult,
  DinteroClient,
  DinteroCredentials,
  DinteroSession,
  DinteroTransaction,
  OperationResult,
  RefundRequest,
  SettlementPage,
} from './types';

/** Dintero's production core API host (token, settlements; also the token `audience` host). */
export const DEFAULT_DINTERO_API_URL = 'https://api.dintero.com';
/** Dintero's production Checkout host (sessions, transactions). */
export const DEFAULT_DINTERO_CHECKOUT_URL = 'https://checkout.dintero.com';

/** The two Dintero hosts the client talks to. */
export interface DinteroUrls {
  /** Core API host (`/v1/accounts/{aid}/auth/token`, `/v1/accounts/{aid}/settlements`). */
  apiUrl: string;
  /** Checkout host (sessions, transactions). */
  checkoutUrl: string;
}

/** Date headers count whole seconds: closer than this to the local clock is agreement. */
const DATE_RESOLUTION_SLACK_MS = 2000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function normaliseUrl(raw: string, what: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new TypeError(`${what} is not a valid URL`);
  }
  // Credentials never travel in clear text: plain http only to this machine (training, tests).
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(u.hostname))) {
    throw new TypeError(`${what} must use https (plain http only on 127.0.0.1)`);
  }
  return u.toString().replace(/\/+$/, '');
}

/**
 * Resolves the Dintero hosts: an explicit override (e.g. from settings) wins, then the env
 * variables PAYLINK_DINTERO_API_URL / PAYLINK_DINTERO_CHECKOUT_URL, then Dintero's production
 * hosts. Trailing slashes are removed; non-https URLs are refused except on loopback.
 */
export function resolveDinteroUrls(
  settingsOverride?: Partial<DinteroUrls>,
  env: Record<string, string | undefined> = process.env,
): DinteroUrls {
  const pick = (o: string | undefined, e: string | undefined, d: string) =>
    o?.trim() || e?.trim() || d;
  return {
    apiUrl: normaliseUrl(
      pick(settingsOverride?.apiUrl, env.PAYLINK_DINTERO_API_URL, DEFAULT_DINTERO_API_URL),
      'Dintero API URL',
    ),
    checkoutUrl: normaliseUrl(
      pick(
        settingsOverride?.checkoutUrl,
        env.PAYLINK_DINTERO_CHECKOUT_URL,
        DEFAULT_DINTERO_CHECKOUT_URL,
      ),
      'Dintero Checkout URL',
    ),
  };
}

/** Options of createDinteroClient. Only `credentials` is required. */
export interface DinteroClientOptions {
  /** Token host; default: env PAYLINK_DINTERO_API_URL, else https://api.dintero.com. */
  apiUrl?: string;
  /** Checkout host; default: env PAYLINK_DINTERO_CHECKOUT_URL, else https://checkout.dintero.com. */
  checkoutUrl?: string;
  /** Read before every call; null means not configured. */
  credentials: () => Promise<DinteroCredentials | null>;
  /** Per-request timeout (got `timeout.request`), default 15000. */
  timeoutMs?: number;
  /** Sent as Dintero-System-Name / Dintero-System-Version (≤120 chars). */
  systemName?: string;
  systemVersion?: string;
  logger?: Logger;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Retries of safe reads after the first attempt, default 3. */
  readRetries?: number;
  /** Backoff base and cap for read retries, default 250 ms and 8 s. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** A Retry-After longer than this is handed to the caller instead of waited out (60 s). */
  maxRetryAfterMs?: number;
}

interface Call {
  method: HttpMethod;
  /** Which host: the Checkout host (default) or the core API host. */
  host?: 'checkout' | 'api';
  /** Path, ids already encoded; a function gets the (encoded) account id. */
  path: string | ((aid: string) => string);
  /** Template for messages and logs, e.g. 'GET /v1/sessions/{id}'. */
  operation: string;
  searchParams?: URLSearchParams;
  json?: unknown;
}

interface CallResult {
  status: number;
  headers: RawResponse['headers'];
  data: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const hasId = (v: unknown): v is { id: string } => isRecord(v) && typeof v.id === 'string';
const enc = encodeURIComponent;
const DEFAULT_MAX_ITEMS = 1000;

/**
 * Creates the real Dintero client. Every method rejects only with a DinteroError.
 */
export function createDinteroClient(opts: DinteroClientOptions): DinteroClient {
  const urls = resolveDinteroUrls({
    ...(opts.apiUrl !== undefined ? { apiUrl: opts.apiUrl } : {}),
    ...(opts.checkoutUrl !== undefined ? { checkoutUrl: opts.checkoutUrl } : {}),
  });
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const readRetries = opts.readRetries ?? 3;
  const log = opts.logger;

  const systemHeaders: Record<string, string> = {};
  if (opts.systemName) systemHeaders['Dintero-System-Name'] = opts.systemName.slice(0, 120);
  if (opts.systemVersion)
    systemHeaders['Dintero-System-Version'] = opts.systemVersion.slice(0, 120);
  const send: SendFn = createTransport({
    timeoutMs: opts.timeoutMs ?? 15_000,
    headers: {
      'user-agent': `${opts.systemName ?? 'paylink-desk'}/${opts.systemVersion ?? '0'}`,
      ...systemHeaders,
    },
  });

  async function readCredentials(): Promise<DinteroCredentials> {
    let creds: DinteroCredentials | null;
    try {
      creds = await opts.credentials();
    } catch {
      throw new DinteroError(
        'not_configured',
        'The Dintero credentials could not be read from the keychain; enter them again in Settings.',
      );
    }
    if (!creds || !creds.accountId || !creds.clientId || !creds.clientSecret) {
      throw new DinteroError(
        'not_configured',
        'Dintero is not set up: enter the account id, client id and client secret in Settings.',
      );
    }
    registerSecret(creds.clientSecret);
    return creds;
  }

  const TOKEN_OP = 'POST /v1/accounts/{aid}/auth/token';

  async function fetchToken(creds: DinteroCredentials): Promise<IssuedToken> {
    const aid = creds.accountId;
    const basic = Buffer.from(`${creds.clientId}:${creds.clientSecret}`, 'utf8').toString('base64');
    registerSecret(basic);
    const res = await send({
      method: 'POST',
      url: `${urls.apiUrl}/v1/accounts/${enc(aid)}/auth/token`,
      operation: TOKEN_OP,
      stage: 'token',
      headers: { authorization: `Basic ${basic}` },
      json: {
        grant_type: 'client_credentials',
        audience: `https://api.dintero.com/v1/accounts/${aid}`,
      },
    });
    if (res.status !== 200) {
      const err = errorFromResponse(res, { operation: TOKEN_OP, stage: 'token', nowMs: now() });
      log?.warn({ op: TOKEN_OP, status: res.status, kind: err.kind }, 'dintero token refused');
      throw err;
    }
    let body: unknown;
    try {
      body = JSON.parse(res.body);
    } catch {
      body = undefined;
    }
    if (
      !isRecord(body) ||
      typeof body.access_token !== 'string' ||
      body.access_token === '' ||
      typeof body.expires_in !== 'number' ||
      !(body.expires_in > 0)
    ) {
      // A token request has no business effect, so this is "try again", not "outcome unknown".
      throw new DinteroError(
        'unavailable',
        'Dintero answered the token request with something unreadable; try again shortly.',
        { status: res.status, operation: TOKEN_OP },
      );
    }
    registerSecret(body.access_token);
    log?.info({ op: TOKEN_OP, expiresIn: body.expires_in }, 'dintero token issued');
    return { accessToken: body.access_token, expiresIn: body.expires_in };
  }

  const tokens = new TokenCache(fetchToken, now);

  /** Dintero's clock as of the latest answer (Date header) and when that was (monotonic). */
  let serverClock: { at: number; mono: number } | undefined;
  const noteServerTime = (res: RawResponse): void => {
    const h = res.headers.date;
    const at = Date.parse(Array.isArray(h) ? (h[0] ?? '') : (h ?? ''));
    if (Number.isFinite(at)) serverClock = { at, mono: performance.now() };
  };

  async function sendAuthed(call: Call, token: string, aid: string): Promise<RawResponse> {
    const started = now();
    const base = call.host === 'api' ? urls.apiUrl : urls.checkoutUrl;
    const path = typeof call.path === 'string' ? call.path : call.path(enc(aid));
    const res = await send({
      method: call.method,
      url: `${base}${path}`,
      operation: call.operation,
      stage: 'call',
      headers: { authorization: `Bearer ${token}` },
      ...(call.searchParams ? { searchParams: call.searchParams } : {}),
      ...(call.json !== undefined ? { json: call.json } : {}),
    });
    log?.debug({ op: call.operation, status: res.status, ms: now() - started }, 'dintero call');
    noteServerTime(res);
    return res;
  }

  /** One attempt: token, send, one refresh-and-resend on 401, classify. */
  async function attempt(call: Call): Promise<CallResult> {
    const creds = await readCredentials();
    const token = await tokens.get(creds);
    let res = await sendAuthed(call, token, creds.accountId);
    if (res.status === 401) {
      log?.info({ op: call.operation }, 'dintero token refused; refreshing once');
      tokens.invalidate(token);
      const fresh = await tokens.get(creds);
      res = await sendAuthed(call, fresh, creds.accountId);
      if (res.status === 401) tokens.invalidate(fresh);
    }
    if (res.status < 200 || res.status > 299) {
      throw errorFromResponse(res, { operation: call.operation, stage: 'call', nowMs: now() });
    }
    let data: unknown;
    try {
      data = JSON.parse(res.body);
    } catch {
      throw unreadable(call, res.status);
    }
    return { status: res.status, headers: res.headers, data };
  }

  function unreadable(call: Call, status: number): DinteroError {
    return call.method === 'POST'
      ? outcomeUnknown(call.operation, `its answer could not be read (HTTP ${status})`)
      : new DinteroError(
          'unavailable',
          `Dintero's answer to ${call.operation} could not be read (HTTP ${status}); try again shortly.`,
          { status, operation: call.operation },
        );
  }

  async function run(call: Call, retries = readRetries): Promise<CallResult> {
    if (call.method === 'POST') return attempt(call);
    return withReadRetries(() => attempt(call), {
      retries,
      baseMs: opts.backoffBaseMs ?? 250,
      capMs: opts.backoffCapMs ?? 8_000,
      maxRetryAfterMs: opts.maxRetryAfterMs ?? 60_000,
      random,
      sleep,
      onRetry: ({ attempt: n, delayMs, error }) =>
        log?.warn(
          {
            op: call.operation,
            attempt: n,
            delayMs,
            kind: error.kind,
            status: error.details.status,
          },
          'dintero read retry',
        ),
    });
  }

  /**
   * Runs a call and checks the answer's shape (a minimal check: an object with an id, a list
   * of them, ...); a bad shape counts as an unreadable body. Fields beyond that are trusted.
   */
  async function runExpect<T>(call: Call, ok: (v: unknown) => boolean): Promise<T> {
    const r = await run(call);
    if (!ok(r.data)) throw unreadable(call, r.status);
    return r.data as T;
  }

  const isList = (v: unknown): boolean => Array.isArray(v) && v.every(hasId);

  const SETTLEMENTS_OP = 'GET /v1/accounts/{aid}/settlements';

  /** One page of settlements, from the core API host. */
  async function settlementPage(searchParams: URLSearchParams): Promise<SettlementPage> {
    const call: Call = {
      method: 'GET',
      host: 'api',
      path: (aid) => `/v1/accounts/${aid}/settlements`,
      operation: SETTLEMENTS_OP,
      searchParams,
    };
    const r = await run(call);
    const page = readSettlementPage(r.data);
    if (!page) throw unreadable(call, r.status);
    return page;
  }

  async function operation(call: Call): Promise<OperationResult> {
    const r = await run(call);
    if (!hasId(r.data)) throw unreadable(call, r.status);
    const transaction = r.data as unknown as DinteroTransaction;
    if (r.status === 202) {
      const h = r.headers['event-request-id'];
      const eventRequestId = (Array.isArray(h) ? h[0] : h) ?? '';
      if (!eventRequestId)
        log?.warn({ op: call.operation }, 'dintero 202 without event-request-id header');
      return { status: 'accepted', transaction, eventRequestId };
    }
    return { status: 'done', transaction };
  }

  const client: DinteroClient = {
    serverNow: () => {
      if (!serverClock) return undefined;
      const server = serverClock.at + (performance.now() - serverClock.mono);
      // A Date header has one-second resolution: within that, the local clock is the finer one.
      const local = now();
      return Math.abs(server - local) < DATE_RESOLUTION_SLACK_MS ? local : server;
    },

    createSession: (req: CreateSessionRequest) =>
      runExpect<CreateSessionResult>(
        {
          method: 'POST',
          path: '/v1/sessions-profile',
          operation: 'POST /v1/sessions-profile',
          json: req,
        },
        (v) => isRecord(v) && typeof v.id === 'string' && typeof v.url === 'string',
      ),

    getSession: (id) =>
      runExpect<DinteroSession>(
        { method: 'GET', path: `/v1/sessions/${enc(id)}`, operation: 'GET /v1/sessions/{id}' },
        hasId,
      ),

    listSessions: (q) =>
      runExpect<DinteroSession[]>(
        {
          method: 'GET',
          path: '/v1/sessions',
          operation: 'GET /v1/sessions',
          searchParams: sessionParams(q),
        },
        isList,
      ),

    listAllSessions: (q, maxItems = DEFAULT_MAX_ITEMS) =>
      listAllPages(
        (startingAfter, limit) =>
          client.listSessions({ ...q, limit, ...(startingAfter ? { startingAfter } : {}) }),
        clampLimit(q.limit ?? 100),
        maxItems,
        q.startingAfter,
      ),

    cancelSession: (id) =>
      runExpect<DinteroSession>(
        {
          method: 'POST',
          path: `/v1/sessions/${enc(id)}/cancel`,
          operation: 'POST /v1/sessions/{id}/cancel',
        },
        hasId,
      ),

    sessionQr: async (id, qrOpts) => {
      const call: Call = {
        method: 'POST',
        path: `/v1/sessions/${enc(id)}/qr`,
        operation: 'POST /v1/sessions/{id}/qr',
        json: { format: 'png', ...(qrOpts?.size !== undefined ? { size: qrOpts.size } : {}) },
      };
      const r = await runExpect<{ qr: string }>(
        call,
        (v) => isRecord(v) && typeof v.qr === 'string' && v.qr.startsWith('data:image/'),
      );
      return r.qr;
    },

    getTransaction: (id) =>
      runExpect<DinteroTransaction>(
        {
          method: 'GET',
          path: `/v1/transactions/${enc(id)}`,
          operation: 'GET /v1/transactions/{id}',
        },
        hasId,
      ),

    listTransactions: (q) =>
      runExpect<DinteroTransaction[]>(
        {
          method: 'GET',
          path: '/v1/transactions',
          operation: 'GET /v1/transactions',
          searchParams: transactionParams(q),
        },
        isList,
      ),

    listAllTransactions: (q, maxItems = DEFAULT_MAX_ITEMS) =>
      listAllPages(
        (startingAfter, limit) =>
          client.listTransactions({ ...q, limit, ...(startingAfter ? { startingAfter } : {}) }),
        clampLimit(q.limit ?? 100),
        maxItems,
        q.startingAfter,
      ),

    listSettlements: (q, maxItems = DEFAULT_MAX_ITEMS) => {
      const limit = clampSettlementLimit(q.limit ?? 100);
      return listAllSettlementPages(
        (startingAfter) =>
          settlementPage(
            settlementParams({ ...q, limit, ...(startingAfter ? { startingAfter } : {}) }),
          ),
        maxItems,
        q.startingAfter,
      );
    },

    capture: (id, req: CaptureRequest) =>
      operation({
        method: 'POST',
        path: `/v1/transactions/${enc(id)}/capture`,
        operation: 'POST /v1/transactions/{id}/capture',
        json: req,
      }),

    refund: (id, req: RefundRequest) =>
      operation({
        method: 'POST',
        path: `/v1/transactions/${enc(id)}/refund`,
        operation: 'POST /v1/transactions/{id}/refund',
        json: req,
      }),

    void: (id) =>
      operation({
        method: 'POST',
        path: `/v1/transactions/${enc(id)}/void`,
        operation: 'POST /v1/transactions/{id}/void',
      }),

    testConnection: async () => {
      try {
        // One attempt, no retries: Settings wants a quick, honest answer.
        await run(
          {
            method: 'GET',
            path: '/v1/transactions',
            operation: 'GET /v1/transactions',
            searchParams: new URLSearchParams({ limit: '1' }),
          },
          0,
        );
        return 'works';
      } catch (err) {
        if (!(err instanceof DinteroError)) return 'unavailable';
        const tokenStage = err.details.operation === TOKEN_OP;
        switch (err.kind) {
          case 'authentication':
          case 'not_configured':
            return 'wrong_credentials';
          case 'invalid_request':
          case 'not_found':
            return tokenStage ? 'wrong_credentials' : 'unavailable';
          case 'permission':
            return 'not_granted';
          case 'network':
            return 'no_network';
          default:
            return 'unavailable';
        }
      }
    },
  };
  return client;
}
