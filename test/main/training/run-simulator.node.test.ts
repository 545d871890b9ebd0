/**
 * `npm run simulator`: the simulator in its own process as one shop's Dintero, for several
 * desks at once. Checked: it says in plain words what to type into Settings (after the JSON
 * line machines read); with --state its orders and its credentials survive a restart, so the
 * desks' stored secret keeps working; two clients (two desks) use it at the same time with
 * their own tokens; GET /v1/sessions and GET /v1/transactions filter by `store_id`; a bad
 * command line is refused in words.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { basic, raw, sessionBody, type Json } from './sim-helpers';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'paylink-sim-cli-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Credentials {
  accountId: string;
  clientId: string;
  clientSecret: string;
}

interface Run {
  child: ChildProcess;
  url: string;
  credentials: Credentials;
  /** Everything printed after the JSON line (for a person). */
  text(): string;
  stop(): Promise<number | null>;
}

/** Starts the CLI and resolves once its JSON line and its words for a person are out. */
async function startCli(args: string[]): Promise<Run> {
  const child = spawn(process.execPath, ['main/training/run-simulator.ts', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  cleanup.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  const lines: string[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const reader = createInterface({ input: child.stdout });
    reader.on('line', (l) => {
      lines.push(l);
      if (l.startsWith('Stop it with')) resolve();
    });
    void exited.then(() => reject(new Error(`simulator exited early: ${lines.join('\n')}`)));
  });
  await done;
  const first = JSON.parse(lines[0]!) as { url: string; credentials: Credentials };
  return {
    child,
    ...first,
    text: () => lines.slice(1).join('\n'),
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A token for `creds` (what a desk's client does first). */
async function token(url: string, creds: Credentials): Promise<string> {
  const res = await raw(
    `${url}/v1/accounts/${creds.accountId}/auth/token`,
    'POST',
    {
      grant_type: 'client_credentials',
      audience: `https://api.dintero.com/v1/accounts/${creds.accountId}`,
    },
    { authorization: basic(creds.clientId, creds.clientSecret) },
  );
  expect(res.status).toBe(200);
  return res.json.access_token as string;
}

/** One desk talking to the simulator with its own token. */
function desk(url: string, bearer: string) {
  const call = (method: string, path: string, body?: unknown) =>
    raw(`${url}${path}`, method, body, { authorization: `Bearer ${bearer}` });
  return {
    call,
    async create(reference: string, store?: string): Promise<string> {
      const res = await call(
        'POST',
        '/v1/sessions-profile',
        sessionBody({
          order: {
            amount: 10_000,
            currency: 'NOK',
            merchant_reference: reference,
            ...(store ? { store: { id: store } } : {}),
          },
        }),
      );
      expect(res.status).toBe(200);
      return res.json.id as string;
    },
  };
}

const refs = (list: Json[]): string[] =>
  list.map((x: Json) => (x.order?.merchant_reference ?? x.merchant_reference) as string).sort();

describe('npm run simulator', () => {
  it('says what to type into Settings, and keeps orders and credentials across a restart', async () => {
    const dir = tempDir();
    // A folder that does not exist yet: the simulator makes it.
    const state = join(dir, 'paylink-shop', 'shop.json');
    let run = await startCli(['--state', state, '--account', 'T12345678']);
    const { url, credentials } = run;
    expect(credentials).toMatchObject({ accountId: 'T12345678', clientId: 'training' });
    // In words, the three things a person types into each desk's Settings, and where it is.
    const text = run.text();
    expect(text).toContain(`Dintero simulator running at ${url}`);
    expect(text).toMatch(/Account ID\s+T12345678/);
    expect(text).toMatch(/Client ID\s+training/);
    expect(text).toContain(`Client secret       ${credentials.clientSecret}`);
    expect(text).toContain(`PAYLINK_DINTERO_API_URL=${url}`);
    expect(text).toContain(state);
    // The credentials file beside the state file is for this user only.
    expect(statSync(`${state}.credentials.json`).mode & 0o777).toBe(0o600);

    const a = desk(url, await token(url, credentials));
    const id = await a.create('KASSE1-AAAAAA-20260301-1', 'oslo');
    expect(await run.stop()).toBe(0);

    // Restarted with the state file alone: same account, client and secret, the order still there.
    run = await startCli(['--state', state]);
    expect(run.credentials).toEqual(credentials);
    const again = desk(run.url, await token(run.url, credentials));
    const found = await again.call('GET', `/v1/sessions/${id}`);
    expect(found.status).toBe(200);
    expect(found.json.order.merchant_reference).toBe('KASSE1-AAAAAA-20260301-1');
    expect(await run.stop()).toBe(0);

    // Flags still win over what was kept, and are kept from then on.
    run = await startCli(['--state', state, '--client-secret', 'a-new-secret-1234']);
    expect(run.credentials).toEqual({ ...credentials, clientSecret: 'a-new-secret-1234' });
    expect(await run.stop()).toBe(0);
    run = await startCli(['--state', state]);
    expect(run.credentials.clientSecret).toBe('a-new-secret-1234');
  });

  it('serves two desks at once, each with its own token, and filters by store', async () => {
    const run = await startCli([]);
    const { url, credentials } = run;
    const [tokenA, tokenB] = await Promise.all([token(url, credentials), token(url, credentials)]);
    expect(tokenA).not.toBe(tokenB);
    const a = desk(url, tokenA);
    const b = desk(url, tokenB);

    // Both desks of store "oslo" send at the same time; a desk of another store, and one without.
    const ids = await Promise.all([
      a.create('KASSE1-AAAAAA-20260301-1', 'oslo'),
      b.create('KASSE2-BBBBBB-20260301-1', 'oslo'),
      a.create('KASSE1-AAAAAA-20260301-2', 'oslo'),
      b.create('KASSE2-BBBBBB-20260301-2', 'oslo'),
    ]);
    await b.create('BERGEN-CCCCCC-20260301-1', 'bergen');
    await a.create('DESK-DDDDDD-20260301-1');

    // Either desk reads the store's sessions, the other desk's too.
    const oslo = await b.call('GET', '/v1/sessions?store_id=oslo&limit=100');
    expect(oslo.status).toBe(200);
    expect(refs(oslo.json)).toEqual([
      'KASSE1-AAAAAA-20260301-1',
      'KASSE1-AAAAAA-20260301-2',
      'KASSE2-BBBBBB-20260301-1',
      'KASSE2-BBBBBB-20260301-2',
    ]);
    const both = await a.call('GET', '/v1/sessions?store_id=oslo&store_id=bergen&limit=100');
    expect(both.json).toHaveLength(5);
    expect((await a.call('GET', '/v1/sessions?limit=100')).json).toHaveLength(6);
    expect((await a.call('GET', '/v1/sessions?store_id=trondheim')).json).toEqual([]);

    // Customers pay two of the shop's links and the other store's; the store's transactions.
    for (const id of [ids[0], ids[1]])
      expect((await raw(`${url}/__sim/customer/${id}/pay`, 'POST', {})).status).toBe(200);
    const txs = await a.call('GET', '/v1/transactions?store_id=oslo&limit=100');
    expect(txs.status).toBe(200);
    expect(refs(txs.json)).toEqual(['KASSE1-AAAAAA-20260301-1', 'KASSE2-BBBBBB-20260301-1']);
    expect(txs.json.every((t: Json) => t.store?.id === 'oslo')).toBe(true);
    expect((await b.call('GET', '/v1/transactions?store_id=bergen')).json).toEqual([]);
    expect(await run.stop()).toBe(0);
  });

  it('refuses a command line a desk could not use, in words', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; err: string }>((resolve) => {
        const child = spawn(process.execPath, ['main/training/run-simulator.ts', ...args], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let err = '';
        child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
        child.once('close', (code) => resolve({ code, err }));
      });
    expect(await run(['--account', 'shop1'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--account must be P or T followed by 8 digits/),
    });
    expect(await run(['--client-secret', 'short'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/at least 8 characters/),
    });
    expect(await run(['--port', 'x'])).toMatchObject({ code: 2 });
  });
});
