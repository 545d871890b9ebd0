/**
 * The Dintero routes the simulator serves (api host and checkout host paths on one base URL:
 * token and settlements are api host paths, the rest checkout host paths),
 * matched to a route name (for faults and counters) and a handler that validates the request,
 * changes the state and computes Dintero's answer.
 */
import type { IncomingHttpHeaders } from 'node:http';
import QRCode from 'qrcode';
import { issueToken, requireBearer, type TokenTable } from './auth';
import { ApiError, type RouteAnswer } from './http-io';
import { searchable } from './lag';
import { multi, page, timeBound } from './list-query';
import { capture, refund, settleAll, voidTransaction, type OperationOutcome } from './money';
import {
  captureSchema,
  createSessionSchema,
  qrSchema,
  refundSchema,
  validate,
} from './request-schemas';
import { cancelSession, createSession, requireSession, viewUrl } from './sessions';
import { listSettlements, settleDue } from './settlements';
import type { SimCore } from './state';
import type { RouteName, SimSession, SimTransaction } from './types';

/** Everything a handler gets. */
export interface RouteContext {
  core: SimCore;
  tokens: TokenTable;
  params: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

type Handler = (ctx: RouteContext) => RouteAnswer | Promise<RouteAnswer>;

interface RouteDef {
  name: RouteName;
  method: 'GET' | 'POST';
  pattern: RegExp;
  /** False only for the token route. */
  auth: boolean;
  handler: Handler;
}

const ID = '([^/]+)';

/** The true transaction, for writes (capture/refund/void act on Dintero's real state). */
function requireTransaction(core: SimCore, id: string): SimTransaction {
  core.settleOnRead(id);
  const tx = core.transactions.get(id);
  if (!tx) throw new ApiError(404, 'NOT_FOUND', 'Transaction not found');
  return tx;
}

/** GET /v1/transactions/{id}: the transaction as a lagging read shows it (404 if too new). */
function readTransaction(core: SimCore, id: string): SimTransaction {
  const found = requireTransaction(core, id);
  settleDue(core);
  const tx = core.readTransaction(found);
  if (!tx) throw new ApiError(404, 'NOT_FOUND', 'Transaction not found');
  return tx;
}

function operationAnswer(outcome: OperationOutcome): RouteAnswer {
  if (outcome.eventRequestId) {
    return {
      status: 202,
      body: outcome.transaction,
      headers: { 'event-request-id': outcome.eventRequestId },
    };
  }
  return { status: 200, body: outcome.transaction };
}

function listSessions({ core, query }: RouteContext): RouteAnswer {
  const ids = multi(query, 'id');
  const txIds = multi(query, 'transaction_id');
  const search = query.get('search')?.trim().toLowerCase();
  const stores = multi(query, 'store_id');
  const gte = timeBound(query, 'created_at.gte');
  const lte = timeBound(query, 'created_at.lte');
  const keep = (s: SimSession): boolean => {
    if (ids.length > 0 && !ids.includes(s.id)) return false;
    if (stores.length > 0 && !(s.order.store && stores.includes(s.order.store.id))) return false;
    if (txIds.length > 0 && !(s.transaction_id && txIds.includes(s.transaction_id))) return false;
    if (search) {
      const o = s.order as SimSession['order'] & { merchant_reference_2?: string };
      const name = `${s.customer?.first_name ?? ''} ${s.customer?.last_name ?? ''}`.trim();
      // Dintero's search is fuzzy; a case-insensitive substring is our stand-in.
      const hay = [o.merchant_reference, o.merchant_reference_2 ?? '', name].map((v) =>
        v.toLowerCase(),
      );
      if (!hay.some((v) => v !== '' && v.includes(search))) return false;
    }
    const t = Date.parse(s.created_at);
    if (gte !== undefined && t < gte) return false;
    if (lte !== undefined && t > lte) return false;
    return true;
  };
  // Search lag: a listing that is not by id comes from Dintero's search index, which sees a
  // new session only core.lag.searchMs after it was created. Reading by id is immediate.
  const indexed = (s: SimSession): boolean =>
    ids.length > 0 || searchable(s, core.written, core.lag.searchMs);
  const views = [...core.sessions.values()].filter(indexed).map((s) => core.readSession(s));
  return { status: 200, body: page(views, keep, query) };
}

function listTransactions({ core, query }: RouteContext): RouteAnswer {
  if (core.asyncMode.settle === 'auto') settleAll(core);
  settleDue(core);
  const ids = multi(query, 'id');
  const sessionIds = multi(query, 'session_id');
  const statuses = multi(query, 'status');
  const ref = query.get('merchant_reference');
  const stores = multi(query, 'store_id');
  const from = timeBound(query, 'created_at.gte');
  const to = timeBound(query, 'created_at.lte');
  const keep = (t: SimTransaction): boolean =>
    (ids.length === 0 || ids.includes(t.id)) &&
    (stores.length === 0 || (t.store !== undefined && stores.includes(t.store.id))) &&
    (from === undefined || Date.parse(t.created_at) >= from) &&
    (to === undefined || Date.parse(t.created_at) <= to) &&
    (sessionIds.length === 0 ||
      (t.session_id !== undefined && sessionIds.includes(t.session_id))) &&
    (statuses.length === 0 || statuses.includes(t.status)) &&
    (ref === null || ref === '' || t.merchant_reference === ref);
  const views = [...core.transactions.values()]
    .map((t) => core.readTransaction(t))
    .filter((t): t is SimTransaction => t !== undefined);
  return { status: 200, body: page(views, keep, query) };
}

/**
 * GET /v1/accounts/{aid}/settlements (core API host): 403 for another account, or while the
 * client lacks the grant (SimCore.settlementsGranted), like a client without read:settlements.
 */
function settlementList({ core, params, query }: RouteContext): RouteAnswer {
  if (params[0] !== core.accountId || !core.settlementsGranted) {
    throw new ApiError(403, 'FORBIDDEN', 'The client has no grant for read:settlements');
  }
  settleDue(core);
  return { status: 200, body: listSettlements(core, query) };
}

async function qr({ core, params, body }: RouteContext): Promise<RouteAnswer> {
  const opts = validate(qrSchema, body ?? {});
  const s = requireSession(core, params[0]!);
  const data = await QRCode.toDataURL(viewUrl(core, s.id), {
    type: 'image/png',
    width: opts.size ?? 300,
    margin: 1,
  });
  return { status: 200, body: { qr: data } };
}

const ROUTES: RouteDef[] = [
  {
    name: 'token',
    method: 'POST',
    pattern: new RegExp(`^/v1/accounts/${ID}/auth/token$`),
    auth: false,
    handler: ({ core, tokens, params, headers, body }) => ({
      status: 200,
      body: issueToken(core, tokens, params[0]!, headers, body),
    }),
  },
  {
    name: 'create',
    method: 'POST',
    pattern: /^\/v1\/sessions-profile$/,
    auth: true,
    handler: ({ core, query, headers, body }) => ({
      status: 200,
      body: createSession(core, validate(createSessionSchema, body), {
        includeSession: query.get('include_session') === 'true',
        strictAmounts: String(headers['dintero-feature-toggles'] ?? '').includes(
          'strict-session-amounts',
        ),
      }),
    }),
  },
  {
    name: 'listSessions',
    method: 'GET',
    pattern: /^\/v1\/sessions$/,
    auth: true,
    handler: listSessions,
  },
  {
    name: 'getSession',
    method: 'GET',
    pattern: new RegExp(`^/v1/sessions/${ID}$`),
    auth: true,
    handler: ({ core, params }) => ({
      status: 200,
      body: core.readSession(requireSession(core, params[0]!)),
    }),
  },
  {
    name: 'cancel',
    method: 'POST',
    pattern: new RegExp(`^/v1/sessions/${ID}/cancel$`),
    auth: true,
    handler: ({ core, params }) => ({ status: 200, body: cancelSession(core, params[0]!) }),
  },
  {
    name: 'qr',
    method: 'POST',
    pattern: new RegExp(`^/v1/sessions/${ID}/qr$`),
    auth: true,
    handler: qr,
  },
  {
    name: 'listTransactions',
    method: 'GET',
    pattern: /^\/v1\/transactions$/,
    auth: true,
    handler: listTransactions,
  },
  {
    name: 'getTransaction',
    method: 'GET',
    pattern: new RegExp(`^/v1/transactions/${ID}$`),
    auth: true,
    handler: ({ core, params }) => ({ status: 200, body: readTransaction(core, params[0]!) }),
  },
  {
    name: 'capture',
    method: 'POST',
    pattern: new RegExp(`^/v1/transactions/${ID}/capture$`),
    auth: true,
    handler: ({ core, params, body }) => {
      const req = validate(captureSchema, body);
      return operationAnswer(capture(core, requireTransaction(core, params[0]!), req));
    },
  },
  {
    name: 'refund',
    method: 'POST',
    pattern: new RegExp(`^/v1/transactions/${ID}/refund$`),
    auth: true,
    handler: ({ core, params, body }) => {
      const req = validate(refundSchema, body);
      return operationAnswer(refund(core, requireTransaction(core, params[0]!), req));
    },
  },
  {
    name: 'void',
    method: 'POST',
    pattern: new RegExp(`^/v1/transactions/${ID}/void$`),
    auth: true,
    handler: ({ core, params }) =>
      operationAnswer(voidTransaction(core, requireTransaction(core, params[0]!))),
  },
  {
    name: 'listSettlements',
    method: 'GET',
    pattern: new RegExp(`^/v1/accounts/${ID}/settlements$`),
    auth: true,
    handler: settlementList,
  },
];

/** A matched Dintero route: its name, path parameters and handler (auth checked inside). */
export interface MatchedRoute {
  name: RouteName;
  params: string[];
  run(ctx: Omit<RouteContext, 'params'>): Promise<RouteAnswer>;
}

/**
 * Finds the route for a method and path. Undefined = not a Dintero route we serve; a known
 * path with another method is a 405 inside `run`.
 */
export function matchRoute(method: string, path: string): MatchedRoute | undefined {
  let pathMatch: { def: RouteDef; params: string[] } | undefined;
  for (const def of ROUTES) {
    const m = def.pattern.exec(path);
    if (!m) continue;
    const params = m.slice(1).map((p) => decodeURIComponent(p));
    if (def.method === method) {
      return {
        name: def.name,
        params,
        run: async (ctx) => {
          if (def.auth) requireBearer(ctx.core, ctx.tokens, ctx.headers);
          return def.handler({ ...ctx, params });
        },
      };
    }
    pathMatch ??= { def, params };
  }
  if (!pathMatch) return undefined;
  const { def, params } = pathMatch;
  return {
    name: def.name,
    params,
    run: () => Promise.reject(new ApiError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed')),
  };
}
