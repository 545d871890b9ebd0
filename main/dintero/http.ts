/**
 * The one place that talks HTTP to Dintero: a got 16 instance with got's own retry switched
 * off (the retry policy lives in retry.ts, where it is testable), a per-request timeout, text
 * bodies (parsed by the caller, so a bad body on a 2xx is ours to classify) and no thrown HTTP
 * errors. Transport failures come back as DinteroErrors with no got objects attached.
 */
import http from 'node:http';
import https from 'node:https';
import got, { type Got } from 'got';
import { classifyTransportError, type CallStage, type HttpMethod } from './classify';

/** One HTTP answer, body unparsed. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request to send. `url` is absolute; `operation` names it for messages and logs. */
export interface RawRequest {
  method: HttpMethod;
  url: string;
  operation: string;
  stage: CallStage;
  headers?: Record<string, string>;
  searchParams?: URLSearchParams;
  json?: unknown;
}

/** Sends a request once; rejects only with a DinteroError. */
export type SendFn = (req: RawRequest) => Promise<RawResponse>;

/** Options of the transport. */
export interface TransportOptions {
  timeoutMs: number;
  headers: Record<string, string>;
}

/**
 * Creates the transport. GETs share keep-alive connections; POSTs always open a fresh one, so
 * a keep-alive socket the server already closed can never make a POST look "sent but lost"
 * (an ECONNRESET on a reused socket would otherwise be indistinguishable from a lost answer).
 */
export function createTransport(opts: TransportOptions): SendFn {
  const keepAlive = {
    http: new http.Agent({ keepAlive: true, timeout: 30_000 }),
    https: new https.Agent({ keepAlive: true, timeout: 30_000 }),
  };
  const fresh = {
    http: new http.Agent({ keepAlive: false }),
    https: new https.Agent({ keepAlive: false }),
  };
  const client: Got = got.extend({
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    responseType: 'text',
    timeout: { request: opts.timeoutMs },
    headers: { accept: 'application/json', ...opts.headers },
  });

  return async (req) => {
    try {
      const res = await client(req.url, {
        method: req.method,
        headers: req.headers ?? {},
        agent: req.method === 'GET' ? keepAlive : fresh,
        ...(req.searchParams && [...req.searchParams.keys()].length
          ? { searchParams: req.searchParams }
          : {}),
        ...(req.json !== undefined ? { json: req.json } : {}),
      });
      return {
        status: res.statusCode,
        headers: res.headers,
        body: typeof res.body === 'string' ? res.body : '',
      };
    } catch (err) {
      throw classifyTransportError(err, {
        method: req.method,
        operation: req.operation,
        stage: req.stage,
      });
    }
  };
}
