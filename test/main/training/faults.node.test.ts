import { afterEach, describe, expect, it } from 'vitest';
import {
  createSession,
  paidTransaction,
  raw,
  sessionBody,
  startTestSim,
  type TestSim,
} from './sim-helpers';

let t: TestSim | undefined;
afterEach(async () => {
  await t?.sim.close();
  t = undefined;
});

const create = (tt: TestSim, signal?: AbortSignal) =>
  raw(
    `${tt.sim.url}/v1/sessions-profile`,
    'POST',
    sessionBody(),
    { authorization: `Bearer ${tt.token}` },
    signal,
  );

describe('answer faults', () => {
  it('status: answers the given 5xx with Retry-After, without performing, then the rule is used up', async () => {
    t = await startTestSim();
    t.sim.faults.add({
      route: 'create',
      kind: 'status',
      status: 502,
      retryAfterSeconds: 3,
      times: 1,
    });
    const res = await create(t);
    expect(res.status).toBe(502);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.json.error.message).toEqual(expect.any(String));
    expect(t.sim.sessions()).toEqual([]);
    expect(t.sim.faults.list()).toEqual([]);
    expect((await create(t)).status).toBe(200);
    expect(t.sim.stats()).toMatchObject({ requests: { create: 2 }, faultsApplied: { status: 1 } });
  });

  it('rate_limit: 429 with Retry-After seconds', async () => {
    t = await startTestSim();
    t.sim.faults.add({ route: 'token', kind: 'rate_limit', retryAfterSeconds: 7 });
    const res = await raw(`${t.sim.url}/v1/accounts/P00000000/auth/token`, 'POST', {});
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
  });

  it('times, every and probability decide which requests are hit', async () => {
    const draws = [0.9, 0.1, 0.9, 0.1];
    t = await startTestSim({ random: () => draws.shift() ?? 0.9 });
    const id = await createSession(t);
    const statuses = async (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await t!.call('GET', `/v1/sessions/${id}`)).status);
      return out;
    };
    const every = t.sim.faults.add({ route: 'getSession', kind: 'status', status: 503, every: 3 });
    expect(await statuses(6)).toEqual([200, 200, 503, 200, 200, 503]);
    expect(t.sim.faults.remove(every)).toBe(true);
    t.sim.faults.add({ route: 'getSession', kind: 'status', status: 500, probability: 0.5 });
    expect(await statuses(4)).toEqual([200, 500, 200, 500]);
    t.sim.faults.clear();
    t.sim.faults.add({ route: '*', kind: 'status', status: 504, times: 2 });
    expect(await statuses(3)).toEqual([504, 504, 200]);
  });

  it('rejects an invalid rule', async () => {
    t = await startTestSim();
    expect(() => t!.sim.faults.add({ route: 'nope' as 'create', kind: 'status' })).toThrow();
    expect(() => t!.sim.faults.add({ route: 'create', kind: 'explode' as 'status' })).toThrow();
  });
});

describe('connection faults', () => {
  it('drop_after_commit: the client sees a socket error AND the session exists (and was texted)', async () => {
    t = await startTestSim();
    t.sim.faults.add({ route: 'create', kind: 'drop_after_commit', times: 1 });
    await expect(create(t)).rejects.toThrow();
    expect(t.sim.sessions()).toHaveLength(1);
    expect(t.sim.stats().sessionsCreated).toEqual({ 'POS1-000123': 1 });
    expect(t.sim.sms()).toHaveLength(1);
    const found = await t.call('GET', '/v1/sessions?search=POS1-000123');
    expect(found.json).toHaveLength(1);
  });

  it('drop_after_commit on capture: the capture happened though the answer was lost', async () => {
    t = await startTestSim();
    const tx = await paidTransaction(t);
    t.sim.faults.add({ route: 'capture', kind: 'drop_after_commit', times: 1 });
    await expect(
      t.call('POST', `/v1/transactions/${tx}/capture`, { amount: 29990, capture_reference: 'c1' }),
    ).rejects.toThrow();
    const got = (await t.call('GET', `/v1/transactions/${tx}`)).json;
    expect(got.status).toBe('CAPTURED');
    expect(got.events.at(-1).event_reference).toBe('c1');
  });

  it('reset: the socket is destroyed before anything happens', async () => {
    t = await startTestSim();
    t.sim.faults.add({ route: 'create', kind: 'reset', times: 1 });
    await expect(create(t)).rejects.toThrow();
    expect(t.sim.sessions()).toEqual([]);
    expect(t.sim.stats().requests.create).toBe(1);
  });

  it('hang: never answers and does not perform; hang_after_commit performs', async () => {
    t = await startTestSim();
    t.sim.faults.add({ route: 'create', kind: 'hang', times: 1 });
    await expect(create(t, AbortSignal.timeout(300))).rejects.toThrow();
    expect(t.sim.sessions()).toEqual([]);
    t.sim.faults.add({ route: 'create', kind: 'hang_after_commit', times: 1 });
    await expect(create(t, AbortSignal.timeout(300))).rejects.toThrow();
    expect(t.sim.sessions()).toHaveLength(1);
    expect((await create(t)).status).toBe(200);
  });

  it('slow_body: headers first, then the body in pieces; the body is complete', async () => {
    t = await startTestSim();
    const id = await createSession(t);
    t.sim.faults.add({ route: 'getSession', kind: 'slow_body', delayMs: 200, times: 1 });
    const res = await fetch(`${t.sim.url}/v1/sessions/${id}`, {
      headers: { authorization: `Bearer ${t.token}` },
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const chunks: Uint8Array[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    expect(chunks.length).toBeGreaterThan(1);
    expect(JSON.parse(Buffer.concat(chunks).toString()).id).toBe(id);
  });

  it('invalid_json: performs, then answers 200 with a broken body', async () => {
    t = await startTestSim();
    t.sim.faults.add({ route: 'create', kind: 'invalid_json', times: 1 });
    const res = await fetch(`${t.sim.url}/v1/sessions-profile`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(sessionBody()),
    });
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
    expect(t.sim.sessions()).toHaveLength(1);
  });

  it('latency: the delayed answer comes after an undelayed one sent later', async () => {
    t = await startTestSim();
    const id = await createSession(t);
    t.sim.faults.add({ route: 'getSession', kind: 'latency', delayMs: 1500, times: 1 });
    let slowDone = false;
    const slow = t.call('GET', `/v1/sessions/${id}`).then((r) => {
      slowDone = true;
      return r;
    });
    expect((await t.call('GET', '/v1/sessions')).status).toBe(200);
    expect(slowDone).toBe(false);
    expect((await slow).json.id).toBe(id);
    expect(t.sim.stats().faultsApplied.latency).toBe(1);
  });
});

describe('fault control over HTTP', () => {
  it('global latency delays Dintero routes but not the control routes', async () => {
    t = await startTestSim();
    expect((await raw(`${t.sim.url}/__sim/latency`, 'POST', { ms: 1000 })).status).toBe(204);
    let slowDone = false;
    const slow = t.call('GET', '/v1/sessions').then((r) => {
      slowDone = true;
      return r;
    });
    expect((await raw(`${t.sim.url}/__sim/state`, 'GET')).status).toBe(200);
    expect(slowDone).toBe(false);
    expect((await slow).status).toBe(200);
    t.sim.faults.setLatency(0);
  });

  it('adds, lists and clears rules; the control routes themselves are never faulted', async () => {
    t = await startTestSim();
    const url = t.sim.url;
    const added = await raw(`${url}/__sim/faults`, 'POST', {
      route: '*',
      kind: 'status',
      status: 500,
    });
    expect(added.status).toBe(201);
    expect(added.json.id).toEqual(expect.any(String));
    expect((await raw(`${url}/__sim/faults`, 'POST', { route: 'x', kind: 'status' })).status).toBe(
      400,
    );
    expect((await raw(`${url}/__sim/faults`, 'GET')).json).toHaveLength(1);
    expect((await t.call('GET', '/v1/sessions')).status).toBe(500);
    expect((await raw(`${url}/__sim/state`, 'GET')).status).toBe(200);
    expect((await raw(`${url}/__sim/faults/${added.json.id}`, 'DELETE')).status).toBe(204);
    await raw(`${url}/__sim/faults`, 'POST', { route: 'getSession', kind: 'reset' });
    expect((await raw(`${url}/__sim/faults`, 'DELETE')).status).toBe(204);
    expect(t.sim.faults.list()).toEqual([]);
    expect((await t.call('GET', '/v1/sessions')).status).toBe(200);
  });
});
