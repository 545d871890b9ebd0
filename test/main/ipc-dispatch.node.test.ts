/**
 * The one IPC wrapper: every channel validates its input, checks the sender and answers with a
 * typed result, whatever the renderer (or an attacker in it) sends.
 */
import { msg } from '../../common/i18n/messages';
import { describe, expect, it, vi } from 'vitest';
import { channels, type Channel } from '../../common/ipc-contract';
import { DinteroError } from '../../main/dintero/errors';
import { dispatch, type HandlerTable } from '../../main/ipc/dispatch';
import { isTrustedSender, registerIpc } from '../../main/ipc/electron-ipc';
import { DeskError } from '../../main/desk-error';

const ctx = { actor: 'Desk 1' };

/** A table whose every handler records its input and answers 'done'. */
function recordingTable(impl?: (channel: Channel, input: unknown) => unknown) {
  const calls: Array<[Channel, unknown]> = [];
  const table = Object.fromEntries(
    (Object.keys(channels) as Channel[]).map((c) => [
      c,
      (input: unknown) => {
        calls.push([c, input]);
        return impl ? impl(c, input) : 'done';
      },
    ]),
  ) as unknown as HandlerTable;
  return { table, calls };
}

describe('dispatch', () => {
  it('runs the handler with validated input', async () => {
    const { table, calls } = recordingTable();
    const res = await dispatch(table, 'orders:get', { id: 'o1' }, ctx);
    expect(res).toEqual({ ok: true, value: 'done' });
    expect(calls).toEqual([['orders:get', { id: 'o1' }]]);
  });

  it('refuses unknown channels, including prototype names', async () => {
    const { table, calls } = recordingTable();
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 42, null]) {
      const res = await dispatch(table, name, {}, ctx);
      expect(res).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    }
    expect(calls).toHaveLength(0);
  });

  it('refuses wrong types, extra keys, prototype keys and huge strings with field errors', async () => {
    const { table, calls } = recordingTable();
    const bad: Array<[Channel, unknown]> = [
      ['orders:get', { id: 5 }],
      ['orders:get', { id: 'o1', extra: true }],
      ['orders:get', JSON.parse('{"id":"o1","__proto__":{"admin":true}}')],
      ['orders:capture', { id: 'o1', amount: -5 }],
      ['orders:capture', { id: 'o1', amount: 1.5 }],
      ['orders:refund', { id: 'o1', reason: 'x'.repeat(100_000) }],
      ['settings:save', { accountId: 'X123' }],
      ['settings:save', { returnUrl: 'http://insecure.example/' }],
      ['settings:setSecret', { secret: 'short' }],
      [
        'orders:create',
        {
          phone: '123',
          country: 'NO',
          amount: 0,
          currency: 'NOK',
          linkLifetimeHours: 1,
          delivery: 'sms',
        },
      ],
      ['orders:create', 'a string'],
    ];
    for (const [channel, input] of bad) {
      const res = await dispatch(table, channel, input, ctx);
      expect(res.ok, `${channel} ${JSON.stringify(input).slice(0, 60)}`).toBe(false);
      if (!res.ok) {
        expect(res.error.code).toBe('invalid_input');
        expect(res.error.fields).toBeDefined();
      }
    }
    expect(calls).toHaveLength(0);
  });

  it('refuses non-plain objects that zod would read as empty objects', async () => {
    const { table, calls } = recordingTable();
    const odd = [
      new Date(),
      new Map(),
      new Set(),
      new Error('x'),
      /re/,
      new ArrayBuffer(2),
      Object.create(null),
      new (class Foo {})(),
    ];
    for (const input of odd) {
      for (const channel of [
        'settings:clearSecret',
        'app:status',
        'orders:list',
        'settings:save',
      ] as const) {
        const res = await dispatch(table, channel, input, ctx);
        expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      }
    }
    expect(
      await dispatch(table, 'settings:save', { notifications: new Date() }, ctx),
    ).toMatchObject({ ok: false });
    expect(calls).toHaveLength(0);
  });

  it('turns thrown errors into typed, safe errors', async () => {
    const secret = 'sk_live_do_not_leak_123456';
    const { table } = recordingTable((c) => {
      if (c === 'orders:void') throw new DeskError('not_allowed', msg('reason.allCaptured'));
      if (c === 'orders:capture')
        throw new DinteroError('unavailable', 'Dintero is not answering.');
      throw new Error(`boom with ${secret}`);
    });
    expect(await dispatch(table, 'orders:void', { id: 'a' }, ctx)).toEqual({
      ok: false,
      error: {
        code: 'not_allowed',
        message: 'Everything has been captured.',
        text: { key: 'reason.allCaptured' },
      },
    });
    // Main sends a code the screen turns into words; English stays for the log.
    expect(await dispatch(table, 'orders:capture', { id: 'a' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'dintero_unavailable', text: { key: 'error.dintero.unavailable' } },
    });
    const internal = await dispatch(table, 'orders:get', { id: 'a' }, ctx);
    expect(internal).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(internal)).not.toContain(secret);
  });
});

describe('Electron registration', () => {
  const appUrl = 'file:///app/out/renderer/index.html';
  const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });

  it('registers exactly the contract channels', () => {
    const handle = vi.fn();
    registerIpc({ handle }, recordingTable().table, {
      isTrustedUrl: (u) => u === appUrl,
      context: () => ctx,
    });
    expect(handle.mock.calls.map((c) => c[0]).sort()).toEqual(Object.keys(channels).sort());
  });

  it('refuses calls from other pages and from subframes', async () => {
    const handlers = new Map<string, (e: unknown, input: unknown) => Promise<unknown>>();
    const { table, calls } = recordingTable();
    registerIpc({ handle: (c: string, h: never) => handlers.set(c, h) }, table, {
      isTrustedUrl: (u) => u === appUrl,
      context: () => ctx,
    });
    const get = handlers.get('orders:get')!;
    expect(await get(frame('https://evil.example/'), { id: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden_sender' },
    });
    expect(await get(frame(appUrl, {}), { id: 'x' })).toMatchObject({ ok: false });
    expect(await get({ senderFrame: null }, { id: 'x' })).toMatchObject({ ok: false });
    expect(calls).toHaveLength(0);
    expect(await get(frame(appUrl), { id: 'x' })).toEqual({ ok: true, value: 'done' });
    expect(isTrustedSender(frame(appUrl) as never, { isTrustedUrl: (u) => u === appUrl })).toBe(
      true,
    );
  });
});
