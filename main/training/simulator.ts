/**
 * The training simulator: an HTTP server on 127.0.0.1 that speaks the Dintero subset the app
 * uses (token, sessions, transactions, capture/refund/void, settlements), plays the customer,
 * records the SMS it would have sent, and obeys fault switches. Training mode points the real
 * client at it; every integration and reliability test uses it as Dintero's stand-in.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { registerSecret } from '../redact';
import type { TokenTable } from './auth';
import { controlRoute, viewPage, type ControlDeps } from './control';
import {
  declineSession,
  expireSession,
  holdSession,
  openSession,
  paySession,
  releaseHold,
} from './customer';
import { FaultTable } from './faults';
import {
  ApiError,
  errorAnswer,
  parseJson,
  readText,
  renderAnswer,
  sendRendered,
  type RouteAnswer,
} from './http-io';
import { requestId } from './ids';
import { checkLag } from './lag';
import { settleAll } from './money';
import { matchRoute } from './routes';
import { settleDue, settlementsOf } from './settlements';
import { SimCore } from './state';
import type {
  ActiveFaultRule,
  AsyncSettleMode,
  Simulator,
  SimulatorEvents,
  SimulatorOptions,
} from './types';

export type * from './types';
export { CustomerActionError } from './customer';

const HOST = '127.0.0.1';
const DAY_MS = 24 * 60 * 60 * 1000;
const LOOPBACK = new Set(['127.0.0.1', '::ffff:127.0.0.1', '::1']);

const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((r) => setTimeout(r, ms).unref()) : Promise.resolve();

/** The answer a `status` or `rate_limit` rule gives instead of performing the request. */
function faultAnswer(rule: ActiveFaultRule): RouteAnswer {
  if (rule.kind === 'rate_limit') {
    return {
      status: 429,
      headers: { 'retry-after': String(rule.retryAfterSeconds ?? 1) },
      body: { error: { code: 'TOO_MANY_REQUESTS', message: 'Too many requests' } },
    };
  }
  const status = rule.status ?? 503;
  return {
    status,
    headers:
      rule.retryAfterSeconds !== undefined ? { 'retry-after': String(rule.retryAfterSeconds) } : {},
    body: { error: { code: 'SIMULATED_FAULT', message: `Simulated ${status}` } },
  };
}

/** Sends the body in small pieces spread over `ms` (headers first). */
async function trickle(
  res: ServerResponse,
  rendered: ReturnType<typeof renderAnswer>,
  ms: number,
): Promise<void> {
  res.writeHead(rendered.status, {
    ...rendered.headers,
    'content-length': String(rendered.body.length),
  });
  const pieces = Math.max(1, Math.min(10, rendered.body.length));
  const size = Math.ceil(rendered.body.length / pieces);
  for (let i = 0; i < pieces; i++) {
    if (res.destroyed) return;
    res.write(rendered.body.subarray(i * size, (i + 1) * size));
    await sleep(ms / pieces);
  }
  if (!res.destroyed) res.end();
}

/** Starts the simulator on 127.0.0.1 (port 0 = random) and resolves once it listens. */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const credentials = {
    accountId: opts.credentials?.accountId ?? 'P00000000',
    clientId: opts.credentials?.clientId ?? 'training',
    clientSecret: opts.credentials?.clientSecret ?? randomBytes(24).toString('base64url'),
  };
  registerSecret(credentials.clientSecret);
  const logger = opts.logger;
  const core = new SimCore({
    credentials,
    now: opts.now ?? Date.now,
    tokenLifetimeSeconds: opts.tokenLifetimeSeconds ?? 14400,
    storeName: opts.storeName ?? 'Paylink Desk',
    ...(opts.stateFile ? { stateFile: opts.stateFile } : {}),
    ...(logger ? { logger } : {}),
  });
  core.lag = checkLag({ searchMs: opts.searchLagMs, eventMs: opts.eventLagMs }, core.lag);
  if (opts.clockOffsetMs !== undefined) core.jumpClock(opts.clockOffsetMs);
  core.asyncMode = {
    on: opts.asyncOperations ?? false,
    settle: 'auto',
    delayMs: opts.asyncDelayMs ?? 50,
  };
  // Operations accepted before the previous run ended finish now.
  if (core.pending.length > 0) settleAll(core);
  const pruneSms = (days: number): number => core.pruneSms(core.now() - days * DAY_MS);
  const keepDays = opts.smsKeepDays;
  let pruneTimer: NodeJS.Timeout | undefined;
  if (keepDays) {
    const prune = (): void => {
      const dropped = pruneSms(keepDays());
      if (dropped > 0) logger?.info({ dropped }, 'simulator: old SMS texts dropped');
    };
    prune();
    pruneTimer = setInterval(prune, DAY_MS);
    pruneTimer.unref();
  }

  const faults = new FaultTable(opts.random ?? Math.random, opts.latencyMs ?? 0);
  faults.onApplied = (rule) => {
    core.stats.faultsApplied[rule.kind] = (core.stats.faultsApplied[rule.kind] ?? 0) + 1;
  };
  const tokens: TokenTable = new Map();
  const setAsync = (on: boolean, settle: AsyncSettleMode = 'auto'): void => {
    core.asyncMode = { ...core.asyncMode, on, settle };
    if (!on) settleAll(core);
  };
  const deps: ControlDeps = { core, faults, setAsync, settlePending: () => settleAll(core) };

  async function handleControl(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ): Promise<void> {
    let answer: RouteAnswer;
    try {
      if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
        throw new ApiError(403, 'FORBIDDEN', 'Control API is for loopback only');
      }
      const text = await readText(req);
      const form = String(req.headers['content-type'] ?? '').startsWith(
        'application/x-www-form-urlencoded',
      );
      const body = form ? Object.fromEntries(new URLSearchParams(text)) : parseJson(text);
      const view = /^\/v1\/view\/([^/]+)$/.exec(path);
      const found =
        view && req.method === 'GET'
          ? viewPage(deps, decodeURIComponent(view[1]!))
          : controlRoute(deps, req.method ?? 'GET', path, body, form);
      answer = found ?? {
        status: 404,
        body: { error: { code: 'NOT_FOUND', message: 'No such route' } },
      };
    } catch (e) {
      answer = errorAnswer(e);
    }
    sendRendered(res, renderAnswer(answer));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rid = requestId();
    res.setHeader('request-id', rid);
    // Dintero's time, so the app can compare expires_at with it (and see a clock jump).
    res.setHeader('date', new Date(core.now()).toUTCString());
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', `http://${HOST}`).pathname;
    if (path.startsWith('/__sim/') || path.startsWith('/v1/view/'))
      return handleControl(req, res, path);
    let route;
    try {
      route = matchRoute(method, path);
    } catch {
      route = undefined;
    }
    if (!route) {
      req.resume();
      sendRendered(
        res,
        renderAnswer({
          status: 404,
          body: { error: { code: 'NOT_FOUND', message: 'No such route' } },
        }),
      );
      return;
    }
    core.stats.requests[route.name] = (core.stats.requests[route.name] ?? 0) + 1;
    const { delayMs, rule } = faults.decide(route.name);
    if (rule?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (rule?.kind === 'hang') return; // never answered; the socket dies with the client or stop()

    let answer: RouteAnswer;
    if (rule && (rule.kind === 'status' || rule.kind === 'rate_limit')) {
      req.resume();
      answer = faultAnswer(rule);
    } else {
      try {
        const text = await readText(req);
        const body = route.name === 'void' ? undefined : parseJson(text);
        answer = await route.run({
          core,
          tokens,
          query: new URL(req.url ?? '/', `http://${HOST}`).searchParams,
          headers: req.headers,
          body,
        });
      } catch (e) {
        answer = errorAnswer(e);
      }
    }
    logger?.debug(
      { route: route.name, status: answer.status, fault: rule?.kind },
      'simulator request',
    );
    await sleep(delayMs);
    if (res.destroyed) return;
    switch (rule?.kind) {
      case 'drop_after_commit':
        req.socket.destroy();
        return;
      case 'hang_after_commit':
        return;
      case 'invalid_json':
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end('{"id": "P00000000.broken", "status": ');
        return;
      case 'slow_body':
        await trickle(res, renderAnswer(answer), rule.delayMs ?? 500);
        return;
      default:
        sendRendered(res, renderAnswer(answer));
    }
  }

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      logger?.error({ err: e }, 'simulator: request failed');
      if (!res.headersSent && !res.destroyed) sendRendered(res, renderAnswer(errorAnswer(e)));
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const listen = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      server.once('error', onError);
      server.listen(port, HOST, () => {
        server.off('error', onError);
        resolve();
      });
    });

  await listen(opts.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${HOST}:${port}`;
  core.baseUrl = url;
  let running = true;
  let closed = false;

  async function stop(): Promise<void> {
    if (!running) return;
    running = false;
    const done = new Promise<void>((r) => server.close(() => r()));
    for (const s of sockets) s.destroy();
    server.closeAllConnections();
    await done;
  }

  const clone = <T>(v: T): T => structuredClone(v);

  const sim: Simulator = {
    url,
    port,
    credentials,
    get running() {
      return running;
    },
    async close() {
      closed = true;
      core.clearTimers();
      if (pruneTimer) clearInterval(pruneTimer);
      await stop();
    },
    stop,
    async restart() {
      if (closed) throw new Error('Simulator was closed');
      if (running) return;
      await listen(port);
      running = true;
    },
    open: (id) => clone(openSession(core, id)),
    pay: (id, o) => clone(paySession(core, id, o?.method)),
    decline: (id) => clone(declineSession(core, id)),
    expire: (id) => clone(expireSession(core, id)),
    hold: (id, o) => clone(holdSession(core, id, o?.method)),
    release: (id, outcome = 'authorized') => clone(releaseHold(core, id, outcome === 'authorized')),
    lag: () => ({ ...core.lag }),
    setLag: (l) => {
      core.lag = checkLag(l, core.lag);
      return { ...core.lag };
    },
    now: () => core.now(),
    get clockOffsetMs() {
      return core.clockOffsetMs;
    },
    jumpClock: (ms) => {
      const offset = core.jumpClock(ms);
      core.changed();
      return offset;
    },
    sms: () => clone(core.smsLog),
    pruneSms,
    sessions: () => [...core.sessions.values()].reverse().map((s) => core.trainingView(s)),
    getSession: (id) => {
      const s = core.session(id);
      return s ? clone(s) : undefined;
    },
    getTransaction: (id) => {
      settleDue(core);
      const t = core.transactions.get(id);
      return t ? clone(t) : undefined;
    },
    transactions: () => {
      settleDue(core);
      return clone([...core.transactions.values()].reverse());
    },
    settlements: () => {
      settleDue(core);
      return clone(settlementsOf(core));
    },
    get settlementsGranted() {
      return core.settlementsGranted;
    },
    setSettlementsGranted: (granted) => {
      core.settlementsGranted = granted;
    },
    on<E extends keyof SimulatorEvents>(event: E, listener: SimulatorEvents[E]) {
      core.events.on(event, listener);
      return () => {
        core.events.off(event, listener);
      };
    },
    faults,
    stats: () => clone(core.stats),
    setAsyncOperations: setAsync,
    settlePending: () => settleAll(core),
  };
  logger?.info({ url, accountId: credentials.accountId }, 'simulator: listening');
  return sim;
}
