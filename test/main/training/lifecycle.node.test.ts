import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../main/training/simulator';
import {
  basic,
  createSession,
  getToken,
  raw,
  startTestSim,
  type TestSim,
  type Json,
} from './sim-helpers';

let t: TestSim | undefined;
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await t?.sim.close();
  t = undefined;
  for (const f of cleanup.splice(0)) await f();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'paylink-sim-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Opens a fresh TCP connection; resolves with the error code, or 'connected'. */
function connectError(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code));
  });
}

const errorCode = (e: unknown): unknown => (e as { cause?: { code?: string } }).cause?.code;

describe('outage: stop and restart', () => {
  it('refuses connections while stopped and comes back on the same port with state and tokens kept', async () => {
    t = await startTestSim();
    const id = await createSession(t);
    await t.sim.stop();
    expect(t.sim.running).toBe(false);
    // A pooled keep-alive socket may fail first with a socket error; a new connection is refused.
    expect(await t.call('GET', `/v1/sessions/${id}`).catch((e: unknown) => e)).toBeInstanceOf(
      Error,
    );
    expect(await connectError(t.sim.port)).toBe('ECONNREFUSED');
    const refused = await t.call('GET', `/v1/sessions/${id}`).catch((e: unknown) => e);
    expect(errorCode(refused)).toBe('ECONNREFUSED');
    // Customer actions still work on the state while Dintero is "down" for the desk.
    t.sim.open(id);
    await t.sim.restart();
    expect(t.sim.running).toBe(true);
    expect(await connectError(t.sim.port)).toBe('connected');
    const back = await t.call('GET', `/v1/sessions/${id}`);
    expect(back.status).toBe(200);
    expect(back.json.events.map((e: Json) => e.name)).toEqual(['INITIATED', 'VISITED']);
    expect(new URL(t.sim.url).port).toBe(String(t.sim.port));
  });

  it('cuts open requests when stopped', async () => {
    t = await startTestSim();
    t.sim.faults.add({ route: 'listSessions', kind: 'hang' });
    const hanging = t.call('GET', '/v1/sessions').catch((e: unknown) => e);
    // Wait until the request has reached the simulator.
    while (!t.sim.stats().requests.listSessions) await new Promise((r) => setImmediate(r));
    await t.sim.stop();
    expect(await hanging).toBeInstanceOf(Error);
  });

  it('cannot restart after close', async () => {
    const sim = await startSimulator();
    await sim.close();
    await expect(sim.restart()).rejects.toThrow(/closed/);
  });
});

describe('stateFile persistence', () => {
  it('keeps sessions, transactions and SMS across simulator instances, written atomically', async () => {
    const dir = tempDir();
    const stateFile = join(dir, 'training-state.json');
    t = await startTestSim({ stateFile });
    const id = await createSession(t);
    const tx = t.sim.pay(id).id;
    await t.call('POST', `/v1/transactions/${tx}/capture`, {
      amount: 1000,
      capture_reference: 'c1',
    });
    const before = {
      session: t.sim.getSession(id),
      tx: t.sim.getTransaction(tx),
      sms: t.sim.sms(),
    };
    await t.sim.close();
    expect(readdirSync(dir)).toEqual(['training-state.json']);
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).version).toBe(1);

    t = await startTestSim({ stateFile });
    expect(t.sim.getSession(id)).toEqual(before.session);
    expect(t.sim.getTransaction(tx)).toEqual(before.tx);
    expect(t.sim.sms()).toEqual(before.sms);
    expect(t.sim.sessions()[0]).toMatchObject({ sessionId: id, state: 'paid' });
    const got = await t.call('GET', `/v1/transactions/${tx}`);
    expect(got.json.status).toBe('PARTIALLY_CAPTURED');
    // The restored state keeps working.
    const rest = await t.call('POST', `/v1/transactions/${tx}/capture`, {
      amount: 28990,
      capture_reference: 'c2',
    });
    expect(rest.json.status).toBe('CAPTURED');
  });

  it('finishes operations that were accepted (202) before the previous run ended', async () => {
    const stateFile = join(tempDir(), 'state.json');
    t = await startTestSim({ stateFile });
    t.sim.setAsyncOperations(true, 'manual');
    const id = await createSession(t);
    const tx = t.sim.pay(id).id;
    expect((await t.call('POST', `/v1/transactions/${tx}/capture`, { amount: 29990 })).status).toBe(
      202,
    );
    await t.sim.close();
    t = await startTestSim({ stateFile });
    expect(t.sim.getTransaction(tx)!.status).toBe('CAPTURED');
  });

  it('refuses to start on a corrupt state file rather than silently dropping it', async () => {
    const stateFile = join(tempDir(), 'state.json');
    writeFileSync(stateFile, '{"version": 1, "sessions": ');
    await expect(startSimulator({ stateFile })).rejects.toThrow();
  });
});

describe('SMS texts are kept as long as the desk keeps customer data', () => {
  const DAY = 24 * 60 * 60 * 1000;

  it('drops texts older than the days given, at start and on demand, and saves the rest', async () => {
    const stateFile = join(tempDir(), 'state.json');
    let now = Date.parse('2025-03-01T10:00:00Z');
    const clock = { now: () => now, tokenLifetimeSeconds: 10 * 365 * 24 * 3600 };
    t = await startTestSim({ stateFile, ...clock });
    await createSession(t, { customer: { phone_number: '+4793456781' } });
    now += 10 * DAY;
    await createSession(t, {
      customer: { phone_number: '+4793456782' },
      order: { amount: 100, currency: 'NOK', merchant_reference: 'POS1-000124' },
    });
    expect(t.sim.sms().map((m) => m.to)).toEqual(['+4793456781', '+4793456782']);
    await t.sim.close();

    // 95 and 85 days later; the desk keeps customer data 90 days.
    now += 85 * DAY;
    let days = 90;
    t = await startTestSim({ stateFile, ...clock, smsKeepDays: () => days });
    expect(t.sim.sms().map((m) => m.to)).toEqual(['+4793456782']);
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { sms: Array<{ to: string }> };
    expect(saved.sms.map((m) => m.to)).toEqual(['+4793456782']);
    expect(t.sim.pruneSms(days)).toBe(0);

    days = 30;
    expect(t.sim.pruneSms(days)).toBe(1);
    expect(t.sim.sms()).toEqual([]);
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).sms).toEqual([]);
  });
});

describe('run-simulator CLI', () => {
  it('runs in its own process, prints {url, credentials}, is controllable over HTTP, stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['main/training/run-simulator.ts', '--account', 'T00000042'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    cleanup.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', () => reject(new Error('simulator process exited early')));
    });
    const { url, credentials } = JSON.parse(line);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(credentials).toMatchObject({ accountId: 'T00000042', clientId: 'training' });
    const sim = { url, credentials } as Simulator;
    const token = (await getToken(sim)).json.access_token;
    const created = await raw(
      `${url}/v1/sessions-profile`,
      'POST',
      {
        profile_id: 'default',
        url: { return_url: 'https://shop.example/paid' },
        order: { amount: 100, currency: 'NOK', merchant_reference: 'CLI-1' },
      },
      { authorization: `Bearer ${token}` },
    );
    expect(created.status).toBe(200);
    expect((await raw(`${url}/__sim/customer/${created.json.id}/pay`, 'POST', {})).status).toBe(
      200,
    );
    const state = (await raw(`${url}/__sim/state`, 'GET')).json;
    expect(state.transactions[0].status).toBe('AUTHORIZED');
    expect(
      (
        await raw(
          `${url}/v1/accounts/T00000042/auth/token`,
          'POST',
          {},
          { authorization: basic('x', 'y') },
        )
      ).status,
    ).toBe(401);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
