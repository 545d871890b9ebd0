/**
 * The simulator's own HTTP surface, beside the Dintero routes: the control API under
 * `/__sim/` (for tests running the simulator in another process, and the checkout page's
 * buttons) and the checkout page at `/v1/view/{id}`. Answered only to loopback peers.
 *
 * Customer actions: POST /__sim/customer/{id}/{open|pay|decline|hold|release|expire}
 * (`pay`/`hold` take `{method}`, `release` takes `{outcome: 'authorized'|'failed'}`).
 * Switches: /__sim/faults, /__sim/latency, /__sim/async, /__sim/settle, /__sim/lag
 * (`{searchMs?, eventMs?}`), /__sim/clock (`{jumpMs}` either way, or `{offsetMs}`) and
 * /__sim/grants (`{settlements: false}` = the settlements route answers 403).
 */
import { z } from 'zod';
import { checkoutPage, resultPage } from './customer-page';
import {
  CustomerActionError,
  declineSession,
  expireSession,
  holdSession,
  openSession,
  paySession,
  releaseHold,
} from './customer';
import { faultRuleSchema, type FaultTable } from './faults';
import { ApiError, type RouteAnswer } from './http-io';
import { checkLag } from './lag';
import type { SimCore } from './state';
import type { AsyncSettleMode, CustomerPaymentMethod } from './types';

/** What the control API can reach besides the core. */
export interface ControlDeps {
  core: SimCore;
  faults: FaultTable;
  setAsync(on: boolean, settle?: AsyncSettleMode): void;
  settlePending(): number;
}

const asyncSchema = z.object({ on: z.boolean(), settle: z.enum(['auto', 'manual']).optional() });
const latencySchema = z.object({ ms: z.number().min(0) });
const methodSchema = z.enum(['vipps', 'card']).optional();
const outcomeSchema = z.enum(['authorized', 'failed']).optional();
const grantsSchema = z.object({ settlements: z.boolean() });
const lagSchema = z.object({
  searchMs: z.number().min(0).optional(),
  eventMs: z.number().min(0).optional(),
});
/** `jumpMs` moves the clock by that much (either way); `offsetMs` sets the offset outright. */
const clockSchema = z
  .object({ jumpMs: z.number().optional(), offsetMs: z.number().optional() })
  .refine((c) => (c.jumpMs === undefined) !== (c.offsetMs === undefined), {
    message: 'give exactly one of jumpMs and offsetMs',
  });

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw new ApiError(400, 'INVALID_CONTROL_REQUEST', z.prettifyError(r.error));
  return r.data;
}

/** Everything the simulator knows, for GET /__sim/state (no secrets). */
export function stateDump(deps: ControlDeps): Record<string, unknown> {
  const { core } = deps;
  const sessions = [...core.sessions.values()].reverse();
  return {
    accountId: core.accountId,
    url: core.baseUrl,
    sessions,
    transactions: [...core.transactions.values()].reverse(),
    sms: core.smsLog,
    training: sessions.map((s) => core.trainingView(s)),
    stats: core.stats,
    faults: deps.faults.list(),
    async: core.asyncMode,
    pending: core.pending,
    lag: core.lag,
    clock: clockDump(core),
    grants: { settlements: core.settlementsGranted },
  };
}

/** Dintero's wall time and the jump offset, for GET/POST /__sim/clock. */
function clockDump(core: SimCore): { now: string; offsetMs: number } {
  return { now: core.iso(), offsetMs: core.clockOffsetMs };
}

function customerAction(
  deps: ControlDeps,
  sessionId: string,
  action: string,
  body: unknown,
  form: boolean,
): RouteAnswer {
  const { core } = deps;
  try {
    let result: unknown;
    if (action === 'open') result = openSession(core, sessionId);
    else if (action === 'pay') {
      const raw = (body as { method?: unknown } | undefined)?.method;
      const method: CustomerPaymentMethod | undefined =
        raw === undefined ? undefined : parse(methodSchema, raw);
      result = paySession(core, sessionId, method);
    } else if (action === 'hold') {
      const raw = (body as { method?: unknown } | undefined)?.method;
      result = holdSession(
        core,
        sessionId,
        raw === undefined ? undefined : parse(methodSchema, raw),
      );
    } else if (action === 'release') {
      const raw = (body as { outcome?: unknown } | undefined)?.outcome;
      const outcome = raw === undefined ? undefined : parse(outcomeSchema, raw);
      result = releaseHold(core, sessionId, outcome !== 'failed');
    } else if (action === 'decline') result = declineSession(core, sessionId);
    else if (action === 'expire') result = expireSession(core, sessionId);
    else throw new ApiError(404, 'NOT_FOUND', 'Unknown customer action');
    if (form) {
      const done = action === 'pay' ? 'Payment approved.' : `Done: ${action}.`;
      return {
        status: 200,
        raw: { contentType: 'text/html; charset=utf-8', text: resultPage(done) },
      };
    }
    return { status: 200, body: result };
  } catch (e) {
    if (!(e instanceof CustomerActionError)) throw e;
    if (form) {
      return {
        status: 409,
        raw: { contentType: 'text/html; charset=utf-8', text: resultPage(`Refused: ${e.reason}.`) },
      };
    }
    throw new ApiError(e.reason === 'not_found' ? 404 : 409, e.reason, e.message);
  }
}

/** GET /v1/view/{id}: the checkout page; a payable session records a VISITED event. */
export function viewPage(deps: ControlDeps, sessionId: string): RouteAnswer {
  const { core } = deps;
  const html = (status: number, text: string): RouteAnswer => ({
    status,
    raw: { contentType: 'text/html; charset=utf-8', text },
  });
  const s = core.session(sessionId);
  if (!s) return html(404, checkoutPage(core, sessionId, false));
  if (s.cancelled_at) return html(200, checkoutPage(core, sessionId, false, 'cancelled'));
  const tx = s.transaction_id ? core.transactions.get(s.transaction_id) : undefined;
  // A declined or failed attempt leaves the link payable until it expires (customer.ts).
  if (tx && tx.status !== 'DECLINED' && tx.status !== 'FAILED') {
    return html(200, checkoutPage(core, sessionId, false, 'already handled'));
  }
  if (core.isExpired(s)) return html(200, checkoutPage(core, sessionId, false, 'expired'));
  openSession(core, sessionId);
  return html(200, checkoutPage(core, sessionId, true));
}

/** Handles one /__sim request. Undefined = no such control route (404). */
export function controlRoute(
  deps: ControlDeps,
  method: string,
  path: string,
  body: unknown,
  form: boolean,
): RouteAnswer | undefined {
  const customer = /^\/__sim\/customer\/([^/]+)\/([a-z]+)$/.exec(path);
  if (customer && method === 'POST') {
    return customerAction(deps, decodeURIComponent(customer[1]!), customer[2]!, body, form);
  }
  const faultId = /^\/__sim\/faults\/([^/]+)$/.exec(path);
  if (faultId && method === 'DELETE') {
    return { status: deps.faults.remove(faultId[1]!) ? 204 : 404 };
  }
  switch (`${method} ${path}`) {
    case 'GET /__sim/state':
      return { status: 200, body: stateDump(deps) };
    case 'GET /__sim/faults':
      return { status: 200, body: deps.faults.list() };
    case 'POST /__sim/faults':
      return { status: 201, body: { id: deps.faults.add(parse(faultRuleSchema, body)) } };
    case 'DELETE /__sim/faults':
      deps.faults.clear();
      return { status: 204 };
    case 'POST /__sim/latency':
      deps.faults.setLatency(parse(latencySchema, body).ms);
      return { status: 204 };
    case 'POST /__sim/async': {
      const a = parse(asyncSchema, body);
      deps.setAsync(a.on, a.settle);
      return { status: 200, body: deps.core.asyncMode };
    }
    case 'GET /__sim/lag':
      return { status: 200, body: deps.core.lag };
    case 'POST /__sim/lag':
      deps.core.lag = checkLag(parse(lagSchema, body), deps.core.lag);
      return { status: 200, body: deps.core.lag };
    case 'GET /__sim/clock':
      return { status: 200, body: clockDump(deps.core) };
    case 'POST /__sim/clock': {
      const c = parse(clockSchema, body);
      if (c.offsetMs !== undefined) deps.core.clockOffsetMs = Math.round(c.offsetMs);
      else deps.core.jumpClock(c.jumpMs ?? 0);
      deps.core.changed();
      return { status: 200, body: clockDump(deps.core) };
    }
    case 'GET /__sim/grants':
      return { status: 200, body: { settlements: deps.core.settlementsGranted } };
    case 'POST /__sim/grants':
      deps.core.settlementsGranted = parse(grantsSchema, body).settlements;
      return { status: 200, body: { settlements: deps.core.settlementsGranted } };
    case 'POST /__sim/settle':
      return { status: 200, body: { settled: deps.settlePending() } };
    default:
      return undefined;
  }
}
