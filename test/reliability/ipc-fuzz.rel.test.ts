/**
 * Every IPC channel fed 1,000 malformed payloads through dispatch with the REAL handler table
 * over a real AppServices (training mode, temp data folder, MemorySecretStore).
 *
 * Payloads are built (seeded) from a valid payload of the channel — with REAL order and session
 * ids, so anything wrongly accepted would visibly capture, refund, pay, save... — and broken one
 * way each: wrong types, extra keys, prototype keys (__proto__ as an own key, constructor,
 * prototype), huge strings, deep nesting, NaN/±Infinity/BigInt, arrays for objects, missing
 * fields, non-object payloads (null, strings, Map, Set, Date, circular objects), huge arrays.
 *
 * Required: 0 crashes (no throw out of dispatch, no unhandled rejection or exception), every
 * payload refused with `ok: false` and a code from IPC_ERROR_CODES, the journal (every row of
 * every table), settings.json, the secret store and the simulator's state unchanged, and
 * Object.prototype unpolluted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, IPC_ERROR_CODES, type Channel, type IpcResult } from '../../common/ipc-contract';
import { MemorySecretStore } from '../../main/credentials/memory-secret-store';
import { dispatch } from '../../main/ipc/dispatch';
import { createHandlerTable } from '../../main/ipc/handlers';
import { createLogger, logDir } from '../../main/log';
import { AppServices, modeDataDir } from '../../main/services';
import { startSimulator } from '../../main/training/simulator';
import type { OrderSummary } from '../../common/domain';
import {
  FAST_TIMING,
  orderInput,
  prng,
  secs,
  summary,
  tempRoot,
  waitFor,
  type TempRoot,
} from './support/env';
import { logicalDump } from './support/journal-db';

const PER_CHANNEL = 1000;
const UNKNOWN_CHANNELS = 1000;
const SEED = 8_675_309;

type Json = unknown;

describe('IPC fuzz: malformed payloads on every channel', () => {
  let root: TempRoot;
  let svc: AppServices;
  let dataDir: string;
  const secretStore = new MemorySecretStore();
  const ids: Record<'linkSent' | 'paid' | 'captured', string> = {
    linkSent: '',
    paid: '',
    captured: '',
  };
  let sessionId = '';

  beforeAll(async () => {
    root = tempRoot('fuzz');
    dataDir = root.dir('data');
    svc = await AppServices.create({
      dataDir,
      secretStore,
      logger: createLogger({ dir: logDir(dataDir), level: 'debug' }),
      version: 'rel',
      engineTiming: FAST_TIMING,
    });
    const make = async (i: number): Promise<OrderSummary> => {
      const r = await svc.engine.createOrder(orderInput(i), 'Desk');
      if (!r.created) throw new Error('not created');
      return r.order;
    };
    const a = await make(1);
    const b = await make(2);
    const c = await make(3);
    const state = (id: string): string => svc.engine.getOrder(id).order.state;
    await waitFor(() => [a, b, c].every((o) => state(o.id) === 'link_sent'), {
      timeoutMs: 20_000,
      what: 'links sent',
    });
    const sim = svc.simulator!;
    sim.pay(svc.engine.getOrder(b.id).order.sessionId!);
    sim.pay(svc.engine.getOrder(c.id).order.sessionId!);
    await waitFor(() => state(b.id) === 'authorized' && state(c.id) === 'authorized', {
      timeoutMs: 20_000,
      what: 'paid',
    });
    await svc.engine.capture(c.id, undefined, 'Desk');
    await waitFor(() => state(c.id) === 'captured', { timeoutMs: 20_000, what: 'captured' });
    ids.linkSent = a.id;
    ids.paid = b.id;
    ids.captured = c.id;
    sessionId = svc.engine.getOrder(a.id).order.sessionId!;
  });

  afterAll(async () => {
    await svc?.close();
    await root?.cleanup();
  });

  /** A valid payload per channel, with real ids (what a malformed one is built from). */
  function valid(channel: Channel): Record<string, Json> {
    switch (channel) {
      case 'orders:create':
        return {
          ...orderInput(50),
          items: [{ description: 'Flowers', quantity: 1, unitPrice: 10_050, vatPercent: 25 }],
          customerName: 'Kari',
          note: 'n',
        };
      case 'orders:checkDuplicate':
        return { phone: '41000001', country: 'NO', amount: 10_001, currency: 'NOK' };
      case 'orders:list':
        return { states: ['link_sent'], limit: 10 };
      case 'orders:page':
        return { states: ['link_sent'], search: 'kari', limit: 10 };
      case 'orders:get':
      case 'orders:void':
      case 'orders:qr':
      case 'orders:retry':
        return { id: ids.paid };
      case 'orders:cancelLink':
        return { id: ids.linkSent };
      case 'orders:capture':
        return { id: ids.paid, amount: 100 };
      case 'orders:refund':
        return { id: ids.captured, amount: 100, reason: 'Goodwill' };
      case 'orders:resendLink':
        return { id: ids.linkSent, delivery: 'sms' };
      case 'settings:save':
        return {
          terminalName: 'Fuzzed',
          maxOrderAmount: 5,
          notifications: {
            paid: false,
            declined: false,
            expired: false,
            authorizationLapsing: false,
            lapseWarningDays: 2,
          },
        };
      case 'settings:setSecret':
        return { secret: 'fuzzsecret-0123456789' };
      case 'training:customer':
        return { sessionId, action: 'pay' };
      case 'dayClose:get':
        return { day: '2025-03-01', scope: 'desk' };
      case 'dayClose:export':
        return { day: '2025-03-01', scope: 'desk', format: 'csv' };
      default:
        return {};
    }
  }

  // ----- the malformed payload generator ------------------------------------------------

  const rand = prng(SEED);
  const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const deep = (depth: number, asArray: boolean): Json => {
    let v: Json = 'leaf';
    for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
    return v;
  };
  const DEEP = [deep(100, false), deep(1000, true), deep(5000, false), deep(10_000, true)];
  const huge = (): string =>
    pickOf(['x', 'é', '\u0000', '9', '😀', '<script>']).repeat(
      pickOf([2_001, 10_000, 100_000, 1_000_000]),
    );
  const circular = (): Json => {
    const o: Record<string, Json> = { id: ids.paid };
    o.self = o;
    return o;
  };
  const PROTO_KEYS = [
    '__proto__',
    'constructor',
    'prototype',
    '__defineGetter__',
    'hasOwnProperty',
    'toString',
    'valueOf',
  ];
  /** `o` with an OWN enumerable `key` (as JSON.parse makes `__proto__` in a message). */
  const withOwnKey = (o: Record<string, Json>, key: string, value: Json): Record<string, Json> => {
    const out: Record<string, Json> = {};
    Object.defineProperty(out, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    for (const [k, v] of Object.entries(o)) {
      Object.defineProperty(out, k, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  const protoPayload = (base: Record<string, Json>): Json =>
    withOwnKey(
      base,
      pickOf(PROTO_KEYS),
      pickOf<Json>([{ polluted: true }, { prototype: { polluted: true } }, 'x', 1]),
    );
  /** A value of the wrong type for a field whose valid value is `v`. */
  const wrongFor = (v: Json): Json => {
    const common: Json[] = [
      null,
      [],
      [v],
      {},
      { value: v },
      true,
      new Date(0),
      new Map([['a', 1]]),
      new Set([1]),
      10n,
      deep(50, false),
    ];
    if (typeof v === 'string') return pickOf<Json>([...common, 42, NaN, Infinity, -1, huge()]);
    if (typeof v === 'number')
      return pickOf<Json>([
        ...common,
        NaN,
        Infinity,
        -Infinity,
        -1,
        String(v),
        '1e3',
        2 ** 53,
        -0.5,
      ]);
    if (typeof v === 'boolean')
      return pickOf<Json>([...common.filter((x) => x !== true), 'true', 1, 0, NaN]);
    if (Array.isArray(v))
      return pickOf<Json>([
        { 0: v[0] },
        'x',
        1,
        null,
        NaN,
        new Set(v),
        deep(1000, true),
        Array(10_000).fill(v[0] ?? 1),
      ]);
    return pickOf<Json>([
      'x',
      1,
      null,
      [v],
      NaN,
      Infinity,
      deep(1000, false),
      JSON.parse('{"__proto__":{"polluted":true}}'),
    ]);
  };

  /** One malformed payload for `channel`, and the name of what is wrong with it. */
  function malformed(channel: Channel): { kind: string; payload: Json } {
    const base = valid(channel);
    const keys = Object.keys(base);
    const kinds = keys.length
      ? [
          'wrong type',
          'extra key',
          'prototype key',
          'huge string',
          'deep nesting',
          'missing field',
          'not an object',
          'array for object',
          'nested wrong',
          'circular',
        ]
      : [
          'extra key',
          'prototype key',
          'not an object',
          'array for object',
          'deep nesting',
          'circular',
          'huge string',
        ];
    const kind = pickOf(kinds);
    const copy = (): Record<string, Json> => ({ ...base });
    switch (kind) {
      case 'wrong type': {
        const o = copy();
        const k = pickOf(keys);
        o[k] = wrongFor(o[k]);
        return { kind, payload: o };
      }
      case 'extra key': {
        const o = copy();
        o[pickOf(['extra', 'admin', 'id2', 'amountMinor', 'isAdmin', 'then', 'length', ''])] =
          pickOf<Json>([true, 1, 'x', {}, null]);
        return { kind, payload: o };
      }
      case 'prototype key':
        return { kind, payload: protoPayload(base) };
      case 'huge string': {
        if (!keys.length) return { kind, payload: huge() };
        const o = copy();
        const strings = keys.filter((k) => typeof o[k] === 'string');
        o[strings.length ? pickOf(strings) : pickOf(keys)] = huge();
        return { kind, payload: o };
      }
      case 'deep nesting': {
        if (!keys.length || rand() < 0.3) return { kind, payload: pickOf(DEEP) };
        const o = copy();
        o[pickOf(keys)] = pickOf(DEEP);
        return { kind, payload: o };
      }
      case 'missing field': {
        const required = keys.filter((k) => !channels[channel].safeParse(omit(base, k)).success);
        const o = copy();
        if (required.length) delete o[pickOf(required)];
        else o[pickOf(keys)] = pickOf<Json>([NaN, -1, null]);
        return { kind, payload: o };
      }
      case 'not an object':
        // Everything Electron's structured clone can carry that is not a plain object.
        return {
          kind,
          payload: pickOf<Json>([
            null,
            'orders',
            42,
            NaN,
            Infinity,
            true,
            10n,
            '{}',
            huge(),
            new Date(),
            new Map(),
            new Set(),
            new Error('x'),
            /x/,
            new ArrayBuffer(8),
            new Uint8Array(4),
          ]),
        };
      case 'array for object':
        return {
          kind,
          payload: pickOf<Json>([[], [base], Object.entries(base), Array(10_000).fill(base)]),
        };
      case 'nested wrong': {
        // Objects and arrays inside (order lines, notifications, states) get the same treatment.
        const o = copy();
        const nested = keys.filter((k) => typeof o[k] === 'object' && o[k] !== null);
        if (!nested.length) {
          const k = pickOf(keys);
          o[k] = wrongFor(o[k]);
          return { kind, payload: o };
        }
        const k = pickOf(nested);
        const v = o[k];
        if (Array.isArray(v)) {
          const first = v[0] as Json;
          // Wrong for the field it replaces (a string's 42 would be a valid VAT rate).
          const line = first as Record<string, Json>;
          const ik = typeof first === 'object' && first !== null ? pickOf(Object.keys(line)) : '';
          o[k] =
            typeof first === 'object' && first !== null
              ? [{ ...line, [ik]: wrongFor(line[ik] ?? 'x') }]
              : [wrongFor(first)];
        } else {
          const inner = { ...(v as Record<string, Json>) };
          const ik = pickOf(Object.keys(inner));
          inner[ik] = wrongFor(inner[ik]);
          o[k] = rand() < 0.3 ? withOwnKey(inner, '__proto__', { polluted: true }) : inner;
        }
        return { kind, payload: o };
      }
      default:
        return { kind: 'circular', payload: circular() };
    }
  }

  it('20 channels x 1,000 malformed payloads (+1,000 unknown channels): every one refused, typed, nothing changed', async () => {
    const started = Date.now();
    const table = createHandlerTable(svc);
    const sim = svc.simulator!;
    const journalDir = modeDataDir(dataDir, 'training');
    const settingsPath = join(dataDir, 'settings.json');
    const readSettings = (): string => {
      try {
        return readFileSync(settingsPath, 'utf8');
      } catch {
        return '(none)';
      }
    };
    const simState = (): string => JSON.stringify([sim.sessions(), sim.transactions(), sim.sms()]);
    const before = {
      journal: logicalDump(journalDir),
      settings: readSettings(),
      secret: JSON.stringify(svc.secretStatus()),
      sim: simState(),
      status: JSON.stringify({ ...svc.status(), online: true }),
    };

    let unhandled = 0;
    const onUnhandled = (): void => {
      unhandled++;
    };
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);

    const codes = new Map<string, number>();
    const byKind = new Map<string, number>();
    const accepted: string[] = [];
    const untyped: string[] = [];
    let thrown = 0;
    let total = 0;
    const perChannel: string[] = [];
    try {
      for (const channel of Object.keys(channels) as Channel[]) {
        let refused = 0;
        for (let n = 0; n < PER_CHANNEL; n++) {
          const { kind, payload } = malformed(channel);
          byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
          total++;
          let r: IpcResult<unknown>;
          try {
            r = await dispatch(table, channel, payload, { actor: 'Fuzz' }, svc.logger);
          } catch {
            thrown++;
            continue;
          }
          if (r.ok) {
            accepted.push(`${channel} (${kind}): ${preview(payload)}`);
            continue;
          }
          if (
            !(IPC_ERROR_CODES as readonly string[]).includes(r.error.code) ||
            typeof r.error.message !== 'string'
          ) {
            untyped.push(`${channel} (${kind}): ${JSON.stringify(r.error).slice(0, 120)}`);
            continue;
          }
          refused++;
          codes.set(r.error.code, (codes.get(r.error.code) ?? 0) + 1);
        }
        perChannel.push(`${channel} ${refused}/${PER_CHANNEL}`);
      }
      // And channels that do not exist, including prototype names.
      let unknownRefused = 0;
      for (let n = 0; n < UNKNOWN_CHANNELS; n++) {
        const name = pickOf<Json>([
          ...PROTO_KEYS,
          'orders:delete',
          'orders:capture ',
          'ORDERS:CAPTURE',
          'settings:getSecret',
          '',
          huge(),
          42,
          null,
          undefined,
          ['orders:get'],
          { toString: 'orders:get' },
          `${pickOf(Object.keys(channels))}\u0000`,
        ]);
        total++;
        const r = await dispatch(
          table,
          name,
          { id: ids.paid },
          { actor: 'Fuzz' },
          svc.logger,
        ).catch(() => undefined);
        if (!r) thrown++;
        else if (r.ok) accepted.push(`unknown channel ${preview(name)}`);
        else if (r.error.code === 'unknown_channel') unknownRefused++;
        else untyped.push(`unknown channel ${preview(name)}: ${r.error.code}`);
      }
      perChannel.push(`(unknown channels) ${unknownRefused}/${UNKNOWN_CHANNELS}`);
      // Let anything a handler started in the background finish or fail before checking.
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      process.off('unhandledRejection', onUnhandled);
      process.off('uncaughtException', onUnhandled);
    }

    const after = {
      journal: logicalDump(journalDir),
      settings: readSettings(),
      secret: JSON.stringify(svc.secretStatus()),
      sim: simState(),
      status: JSON.stringify({ ...svc.status(), online: true }),
    };
    const changed = (Object.keys(before) as Array<keyof typeof before>).filter(
      (k) => before[k] !== after[k],
    );
    const polluted =
      ({} as Record<string, unknown>).polluted !== undefined ||
      Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted');
    const failed = accepted.length + untyped.length + thrown;

    console.log(
      `ipc-fuzz: ${total} payloads (${Object.keys(channels).length} channels x ${PER_CHANNEL} + ${UNKNOWN_CHANNELS} unknown channels) in ${secs(Date.now() - started)}; ` +
        `accepted ${accepted.length}, untyped errors ${untyped.length}, thrown ${thrown}, unhandled ${unhandled}; ` +
        `codes ${[...codes].map(([k, v]) => `${k} ${v}`).join(', ')}`,
    );
    console.log(`ipc-fuzz: kinds ${[...byKind].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`ipc-fuzz: refused per channel: ${perChannel.join('; ')}`);
    console.log(
      `ipc-fuzz: changed after the fuzz: ${changed.length ? changed.join(', ') : 'nothing (journal, settings, secret, simulator, status)'}; Object.prototype polluted: ${polluted}`,
    );
    // One line per channel that accepted anything: what it accepted, how often.
    const byChannel = new Map<string, string[]>();
    for (const a of accepted) {
      const [channel, what] = a.split(/ (.*)/s) as [string, string];
      byChannel.set(channel, [...(byChannel.get(channel) ?? []), what]);
    }
    const acceptedGroups = [...byChannel].map(
      ([channel, whats]) =>
        `${channel} accepted ${whats.length}: ${countDistinct(whats)
          .map(([w, n]) => `${n}x ${w}`)
          .join(', ')}`,
    );
    for (const g of acceptedGroups) console.log(`ipc-fuzz: ✗ ${g}`);
    for (const u of untyped.slice(0, 10)) console.log(`ipc-fuzz: UNTYPED ${u}`);
    summary('ipc-fuzz', total - failed, failed);

    expect(acceptedGroups).toEqual([]);
    expect(untyped).toEqual([]);
    expect(thrown).toBe(0);
    expect(unhandled).toBe(0);
    expect(changed).toEqual([]);
    expect(polluted).toBe(false);
    expect(total).toBe(Object.keys(channels).length * PER_CHANNEL + UNKNOWN_CHANNELS);
  });

  it('a Date, Map, Set or Error is not a valid payload: settings:clearSecret keeps the client secret', async () => {
    const secret = 'fuzz-live-secret-0123456789';
    const live = await startSimulator({
      credentials: { accountId: 'P12345678', clientId: 'fuzz-client', clientSecret: secret },
    });
    const store = new MemorySecretStore();
    const app = await AppServices.create({
      dataDir: root.dir('clear'),
      secretStore: store,
      logger: createLogger({ level: 'silent' }),
      version: 'rel',
      engineTiming: FAST_TIMING,
      env: { PAYLINK_DINTERO_API_URL: live.url, PAYLINK_DINTERO_CHECKOUT_URL: live.url },
    });
    try {
      const table = createHandlerTable(app);
      const ctx = { actor: 'Fuzz' };
      expect(
        (
          await dispatch(
            table,
            'settings:save',
            { accountId: 'P12345678', clientId: 'fuzz-client' },
            ctx,
          )
        ).ok,
      ).toBe(true);
      expect((await dispatch(table, 'settings:setSecret', { secret }, ctx)).ok).toBe(true);
      expect(app.mode).toBe('live');
      const outcomes: string[] = [];
      for (const payload of [new Date(), new Map([['x', 1]]), new Set([1]), new Error('x')]) {
        const r = await dispatch(table, 'settings:clearSecret', payload, ctx);
        outcomes.push(`${preview(payload)} -> ${r.ok ? 'ACCEPTED' : r.error.code}`);
      }
      const kept = await store.get('P12345678');
      console.log(
        `ipc-fuzz: settings:clearSecret with non-plain objects: ${outcomes.join(', ')}; ` +
          `secret still in the keychain: ${kept === secret}; mode ${app.mode}`,
      );
      expect(outcomes.filter((o) => !o.endsWith('invalid_input'))).toEqual([]);
      expect(kept).toBe(secret);
      expect(app.mode).toBe('live');
    } finally {
      await app.close();
      await live.close();
    }
  });

  function omit(o: Record<string, Json>, k: string): Record<string, Json> {
    const c = { ...o };
    delete c[k];
    return c;
  }
});

/** Distinct entries with their counts, most frequent first. */
function countDistinct(xs: readonly string[]): Array<[string, number]> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1]);
}

/** A short, readable form of a payload (non-plain objects by their class). */
function preview(v: unknown): string {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto !== Object.prototype && proto !== null) return Object.prototype.toString.call(v);
  }
  try {
    const s = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
    return (s ?? String(v)).slice(0, 160);
  } catch {
    return Object.prototype.toString.call(v);
  }
}
