/**
 * Test helpers for the simulator tests: start one with a token, call it over real HTTP.
 */
import { createDinteroClient } from '../../../main/dintero/client';
import type { DinteroClient } from '../../../main/dintero/types';
import {
  startSimulator,
  type Simulator,
  type SimulatorOptions,
} from '../../../main/training/simulator';

/** A parsed JSON answer; tests read it freely (assertions check the shape). */

export type Json = any;

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Json;
}

/** A simulator, a valid token for it and a small fetch wrapper. */
export interface TestSim {
  sim: Simulator;
  token: string;
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer>;
}

/** Basic auth header value for the simulator's credentials. */
export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/** Raw request without auth. */
export async function raw(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Answer> {
  const res = await fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    ...(signal ? { signal } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Requests a token with the simulator's credentials. */
export async function getToken(sim: Simulator): Promise<Answer> {
  const { accountId, clientId, clientSecret } = sim.credentials;
  return raw(
    `${sim.url}/v1/accounts/${accountId}/auth/token`,
    'POST',
    {
      grant_type: 'client_credentials',
      audience: `https://api.dintero.com/v1/accounts/${accountId}`,
    },
    { authorization: basic(clientId, clientSecret) },
  );
}

/** Starts a simulator and fetches a token. Close `sim` in afterEach. */
export async function startTestSim(opts: SimulatorOptions = {}): Promise<TestSim> {
  const sim = await startSimulator(opts);
  const tok = await getToken(sim);
  const token = tok.json.access_token as string;
  return {
    sim,
    token,
    call: (method, path, body, headers = {}) =>
      raw(`${sim.url}${path}`, method, body, { authorization: `Bearer ${token}`, ...headers }),
  };
}

/** A valid create body; override parts with `patch`. */
export function sessionBody(patch: Record<string, Json> = {}): Record<string, Json> {
  return {
    profile_id: 'default',
    url: { return_url: 'https://shop.example/paid' },
    customer: { phone_number: '+4791234567' },
    order: { amount: 29990, currency: 'NOK', merchant_reference: 'POS1-000123' },
    configuration: { publish: [{ type: 'checkout-link', channel: 'sms' }] },
    ...patch,
  };
}

/** Creates a session over HTTP and returns its id (asserting 200). */
export async function createSession(t: TestSim, patch: Record<string, Json> = {}): Promise<string> {
  const res = await t.call('POST', '/v1/sessions-profile', sessionBody(patch));
  if (res.status !== 200) throw new Error(`create failed: ${res.status} ${res.text}`);
  return res.json.id as string;
}

/** Creates a session, has the customer pay it, returns the transaction id. */
export async function paidTransaction(
  t: TestSim,
  patch: Record<string, Json> = {},
): Promise<string> {
  const id = await createSession(t, patch);
  return t.sim.pay(id).id;
}

/** The real Dintero client pointed at a simulator: no read retries, no waiting between tries. */
export function simClient(sim: Simulator, timeoutMs = 1000): DinteroClient {
  return createDinteroClient({
    apiUrl: sim.url,
    checkoutUrl: sim.url,
    credentials: () => Promise.resolve(sim.credentials),
    timeoutMs,
    readRetries: 0,
    sleep: () => Promise.resolve(),
  });
}
