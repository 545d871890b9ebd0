/**
 * A small loopback fake of the Dintero endpoints the client uses (token and settlements on the
 * api host, sessions and transactions on the checkout host, both served from one base URL). It
 * records every request and lets a test script faults for the next matching requests: any
 * status and body, a dropped connection after the request was read, or no answer at all.
 *
 * This is the client tests' own fixture, deliberately independent of main/training.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type {
  DinteroSession,
  DinteroSettlement,
  DinteroTransaction,
} from '../../../main/dintero/types';

/** One request as the fake received it. */
export interface RecordedRequest {
  method: string;
  /** Pathname as sent (still percent-encoded). */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: unknown;
}

/** What to do with a matched request instead of the default behaviour. */
export type FakeReply =
  | { status: number; json?: unknown; body?: string; headers?: Record<string, string> }
  | { action: 'reset' }
  | { action: 'hang' };

type Matcher = string | ((r: RecordedRequest) => boolean);

interface Intercept {
  match: (r: RecordedRequest) => boolean;
  reply: FakeReply | ((r: RecordedRequest) => FakeReply);
  times: number;
}

/** Handle on a running fake. */
export interface FakeDintero {
  url: string;
  requests: RecordedRequest[];
  /** Credentials the token endpoint accepts. */
  credentials: { accountId: string; clientId: string; clientSecret: string };
  tokenTtlSec: number;
  /** Tokens issued so far, in order. */
  issuedTokens: string[];
  /** Number of token requests received (accepted or not). */
  tokenRequests(): number;
  /** Makes every issued token invalid (Dintero answers 401 to them). */
  revokeTokens(): void;
  /** The next `times` requests matching `match` (e.g. 'GET /v1/sessions/:id') get `reply`. */
  intercept(match: Matcher, reply: Intercept['reply'], times?: number): void;
  addTransaction(t: Partial<DinteroTransaction> & { id?: string }): DinteroTransaction;
  addSession(s: Partial<DinteroSession> & { id?: string }): DinteroSession;
  /** A settlement for GET /v1/accounts/{aid}/settlements (listed in the order added). */
  addSettlement(s: Partial<DinteroSettlement> & { id?: string }): DinteroSettlement;
  close(): Promise<void>;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const alnum = (n: number) => Array.from(randomBytes(n), (b) => ALNUM[b % ALNUM.length]).join('');

/** Turns 'GET /v1/sessions/:id' into a matcher on method + decoded path segments. */
function compile(pattern: string): (r: RecordedRequest) => boolean {
  const [method, path] = pattern.split(' ') as [string, string];
  const parts = path.split('/');
  return (r) => {
    if (r.method !== method) return false;
    const got = r.path.split('/');
    return got.length === parts.length && parts.every((p, i) => p.startsWith(':') || p === got[i]);
  };
}

function page<T extends { id: string }>(items: T[], q: URLSearchParams): T[] {
  let list = items;
  const after = q.get('starting_after');
  if (after) {
    const i = list.findIndex((x) => x.id === after);
    list = i >= 0 ? list.slice(i + 1) : [];
  }
  return list.slice(0, Number(q.get('limit') ?? 10));
}

/** Starts the fake on 127.0.0.1 (random port). */
export async function startFakeDintero(): Promise<FakeDintero> {
  const requests: RecordedRequest[] = [];
  const intercepts: Intercept[] = [];
  const issuedTokens: string[] = [];
  const validTokens = new Set<string>();
  const sessions = new Map<string, DinteroSession>();
  const transactions = new Map<string, DinteroTransaction>();
  const settlements: DinteroSettlement[] = [];
  let tokenRequests = 0;
  let base = '';

  const fake: FakeDintero = {
    url: '',
    requests,
    credentials: { accountId: 'T12345678', clientId: 'client-id-1', clientSecret: 'secret-1' },
    tokenTtlSec: 14_400,
    issuedTokens,
    tokenRequests: () => tokenRequests,
    revokeTokens: () => validTokens.clear(),
    intercept(match, reply, times = 1) {
      intercepts.push({ match: typeof match === 'string' ? compile(match) : match, reply, times });
    },
    addTransaction(t) {
      const aid = fake.credentials.accountId;
      const tx: DinteroTransaction = {
        id: t.id ?? `${aid}.${alnum(22)}`,
        created_at: new Date().toISOString(),
        status: 'AUTHORIZED',
        amount: 10000,
        currency: 'NOK',
        merchant_reference: `ref-${alnum(6)}`,
        events: [],
        ...t,
      };
      transactions.set(tx.id, tx);
      return tx;
    },
    addSession(s) {
      const aid = fake.credentials.accountId;
      const session: DinteroSession = {
        id: s.id ?? `${aid}.${alnum(22)}`,
        created_at: new Date().toISOString(),
        order: { amount: 10000, currency: 'NOK', merchant_reference: `ref-${alnum(6)}` },
        ...s,
      };
      sessions.set(session.id, session);
      return session;
    },
    addSettlement(s) {
      const settlement: DinteroSettlement = {
        id: s.id ?? `stl_${alnum(10)}`,
        settled_at: '2026-01-02T06:00:00.000Z',
        provider: 'dintero',
        amounts: [{ amount: 9750, capture: 10000, refund: 0, fee: 250, currency: 'NOK' }],
        payment_status: 'paid',
        ...s,
      };
      settlements.push(settlement);
      return settlement;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    ({ status, json: body, headers }) satisfies FakeReply;
  const err = (status: number, message: string, code?: string) =>
    json(status, { error: { message, ...(code ? { code } : {}) } });

  function route(r: RecordedRequest): FakeReply {
    const seg = r.path.split('/').map(decodeURIComponent);
    // Token endpoint (api host paths).
    if (r.method === 'POST' && seg[1] === 'v1' && seg[2] === 'accounts' && seg[4] === 'auth') {
      tokenRequests++;
      const c = fake.credentials;
      const expected = `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`;
      if (r.headers.authorization !== expected || seg[3] !== c.accountId)
        return err(401, 'Invalid client credentials', 'invalid_client');
      const token = `fake-token-${issuedTokens.length + 1}-${alnum(24)}`;
      issuedTokens.push(token);
      validTokens.add(token);
      return json(200, { access_token: token, token_type: 'Bearer', expires_in: fake.tokenTtlSec });
    }
    const auth = r.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !validTokens.has(auth.slice(7)))
      return err(401, 'Invalid JWT token');

    const body = (r.json ?? {}) as Record<string, unknown>;
    const key = `${r.method} /${seg.slice(1, 3).join('/')}${seg.length > 3 ? '/:id' : ''}${seg[4] ? `/${seg[4]}` : ''}`;
    const id = seg[3] ?? '';
    switch (key) {
      case 'POST /v1/sessions-profile': {
        const req = body as {
          order: DinteroSession['order'];
          customer?: DinteroSession['customer'];
          configuration?: { publish?: Array<{ type: string; channel: string }> };
          expires_at?: string;
        };
        const s = fake.addSession({
          order: req.order,
          ...(req.customer ? { customer: req.customer } : {}),
          ...(req.expires_at ? { expires_at: req.expires_at } : {}),
        });
        const publish = (req.configuration?.publish ?? []).map((p) => ({
          ...p,
          id: alnum(8),
          status: req.customer?.phone_number ? ('sent' as const) : ('skipped' as const),
        }));
        s.configuration = { publish };
        return json(200, { id: s.id, url: `${base}/v1/view/${s.id}`, publish });
      }
      case 'GET /v1/sessions': {
        const ids = r.query.getAll('id');
        const search = r.query.get('search');
        const list = [...sessions.values()].filter(
          (s) =>
            (!ids.length || ids.includes(s.id)) &&
            (!search || s.order.merchant_reference.includes(search)),
        );
        return json(200, page(list, r.query));
      }
      case 'GET /v1/sessions/:id': {
        const s = sessions.get(id);
        return s ? json(200, s) : err(404, 'Session not found', 'NOT_FOUND');
      }
      case 'POST /v1/sessions/:id/cancel': {
        const s = sessions.get(id);
        if (!s) return err(404, 'Session not found');
        s.cancelled_at = new Date().toISOString();
        return json(200, s);
      }
      case 'POST /v1/sessions/:id/qr':
        return sessions.has(id)
          ? json(200, { qr: 'data:image/png;base64,iVBORw0KGgo=' })
          : err(404, 'Session not found');
      case 'GET /v1/transactions': {
        const ids = r.query.getAll('id');
        const sids = r.query.getAll('session_id');
        const ref = r.query.get('merchant_reference');
        const list = [...transactions.values()].filter(
          (t) =>
            (!ids.length || ids.includes(t.id)) &&
            (!sids.length || sids.includes(t.session_id ?? '')) &&
            (!ref || t.merchant_reference === ref),
        );
        return json(200, page(list, r.query));
      }
      case 'GET /v1/accounts/:id/settlements': {
        if (id !== fake.credentials.accountId) return err(403, 'Forbidden');
        const after = r.query.get('starting_after_id');
        const from = after ? settlements.findIndex((x) => x.id === after) + 1 : 0;
        const limit = Number(r.query.get('limit') ?? 10);
        const items = settlements.slice(from, from + limit);
        const last = items[items.length - 1];
        const more = from + limit < settlements.length;
        return json(200, {
          items,
          ...(last && more
            ? {
                last_evaluated_key: {
                  id: last.id,
                  account_id: id,
                  settled_at: last.settled_at,
                },
              }
            : {}),
        });
      }
      case 'GET /v1/transactions/:id': {
        const t = transactions.get(id);
        return t ? json(200, t) : err(404, 'Transaction not found');
      }
      case 'POST /v1/transactions/:id/capture':
      case 'POST /v1/transactions/:id/refund':
      case 'POST /v1/transactions/:id/void': {
        const t = transactions.get(id);
        if (!t) return err(404, 'Transaction not found');
        const op = seg[4];
        t.status =
          op === 'capture' ? 'CAPTURED' : op === 'refund' ? 'REFUNDED' : 'AUTHORIZATION_VOIDED';
        t.events = [
          ...(t.events ?? []),
          {
            event: op === 'capture' ? 'CAPTURE' : op === 'refund' ? 'REFUND' : 'VOID',
            success: true,
            created_at: new Date().toISOString(),
            ...(typeof body.amount === 'number' ? { amount: body.amount } : {}),
          },
        ];
        return json(200, t);
      }
      default:
        return err(404, `No route ${r.method} ${r.path}`);
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const text = Buffer.concat(chunks).toString('utf8');
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      const r: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: text,
        json: parsed,
      };
      requests.push(r);
      const ic = intercepts.find((i) => i.times > 0 && i.match(r));
      let reply: FakeReply;
      if (ic) {
        ic.times--;
        reply = typeof ic.reply === 'function' ? ic.reply(r) : ic.reply;
      } else {
        reply = route(r);
      }
      if ('action' in reply) {
        if (reply.action === 'reset') req.socket.destroy();
        return; // 'hang': never answer
      }
      const payload = reply.body ?? (reply.json !== undefined ? JSON.stringify(reply.json) : '');
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.url = base;
  return fake;
}
