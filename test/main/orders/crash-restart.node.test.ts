import { describe, expect, it } from 'vitest';
import { connection } from './connection';
import { MemoryDintero, type FaultKind } from '../../support/memory-dintero';
import { engine, input, phone, tempDir } from './helpers';

/** Every order has exactly one session, and the journal points at it. */
function expectExactlyOnce(e: ReturnType<typeof engine>, fake: MemoryDintero, n: number): void {
  const { orders } = e.listOrders();
  expect(orders).toHaveLength(n);
  for (const o of orders) {
    const sessions = fake.sessionsFor(o.merchantReference);
    expect(sessions, `${o.merchantReference} sessions`).toHaveLength(1);
    expect(o.state, o.merchantReference).toBe('link_sent');
    expect(o.sessionId).toBe(sessions[0]!.id);
  }
  expect(fake.sessions.size).toBe(n);
}

/**
 * Runs a send with a kill at hook step `k` (each call has a before and an after step), then
 * restarts on the same folder and sends again. Returns whether the kill happened.
 */
async function killAtStep(
  k: number,
  faults: Array<[Parameters<MemoryDintero['fail']>[0], FaultKind]>,
): Promise<boolean> {
  const dir = tempDir();
  const fake = new MemoryDintero();
  for (const [route, kind] of faults) fake.fail(route, kind);
  let step = 0;
  const holder: { e1?: ReturnType<typeof engine> } = {};
  const conn = connection(fake, () => {
    if (++step === k) {
      conn.kill();
      holder.e1?.closeNow();
    }
  });
  const e1 = engine(dir, conn.client, { concurrency: 2 });
  holder.e1 = e1;
  for (let i = 0; i < 3; i++) await e1.createOrder(input({ phone: phone(i) }), 'Desk 2');
  await Promise.race([
    e1.sendNow(),
    new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (conn.killed) {
          clearInterval(t);
          resolve();
        }
      }, 1);
    }),
  ]);
  const killed = conn.killed;
  e1.closeNow();

  const e2 = engine(dir, fake);
  await e2.sendNow();
  expectExactlyOnce(e2, fake, 3);
  e2.closeNow();
  return killed;
}

const scenarios: Array<[string, Array<[Parameters<MemoryDintero['fail']>[0], FaultKind]>]> = [
  ['clean sends', []],
  ['a create whose answer is lost after commit', [['create', 'drop_after_commit']]],
  ['a create whose answer is lost before commit', [['create', 'drop_before_commit']]],
  ['a 5xx after commit', [['create', 'unavailable_after_commit']]],
  [
    'a lost answer and a failing search',
    [
      ['create', 'drop_after_commit'],
      ['listSessions', 'unavailable'],
    ],
  ],
];

describe('crash and restart at every step of sending: 0 lost, 0 duplicated', () => {
  it.each(scenarios)('%s', async (_name, faults) => {
    let kills = 0;
    // Step 0 = no kill at all; then every before/after step of every call until none is left.
    for (let k = 0; k < 40; k++) {
      const killed = await killAtStep(k, faults);
      if (killed) kills++;
      else if (k > 0) break;
    }
    expect(kills).toBeGreaterThan(3);
  });

  it('a crash after marking sending and before the POST: reconciled, then sent once', async () => {
    const dir = tempDir();
    const fake = new MemoryDintero();
    const e1 = engine(dir, fake);
    const r = await e1.createOrder(input(), 'Desk 2');
    fake.createGate = () => {
      e1.closeNow();
      return new Promise(() => undefined);
    };
    void e1.sendNow();
    await new Promise((res) => setTimeout(res, 5));
    fake.createGate = undefined;
    expect(fake.count('create')).toBe(0);

    const e2 = engine(dir, fake);
    if (!r.created) throw new Error('no order');
    expect(e2.getOrder(r.order.id).order.state).toBe('sending');
    await e2.sendNow();
    expectExactlyOnce(e2, fake, 1);
    expect(e2.getOrder(r.order.id).events.map((x) => x.kind)).toEqual([
      'created',
      'sending',
      'interrupted',
      'reconciled',
      'sending',
      'link_sent',
    ]);
  });

  it('a crash after Dintero created the session but before the answer was recorded: taken, not resent', async () => {
    const dir = tempDir();
    const fake = new MemoryDintero();
    const e1 = engine(dir, fake);
    const r = await e1.createOrder(input(), 'Desk 2');
    fake.fail('create', 'hang_after_commit');
    void e1.sendNow();
    await new Promise((res) => setTimeout(res, 5));
    e1.closeNow();
    expect(fake.sessions.size).toBe(1);

    const e2 = engine(dir, fake);
    await e2.sendNow();
    expectExactlyOnce(e2, fake, 1);
    expect(fake.count('create')).toBe(1);
    if (r.created) {
      expect(e2.getOrder(r.order.id).events.map((x) => x.kind)).toEqual([
        'created',
        'sending',
        'interrupted',
        'reconciled',
        'link_sent',
      ]);
    }
  });

  it('after start() too: an interrupted send is reconciled before the queue moves', async () => {
    const dir = tempDir();
    const fake = new MemoryDintero();
    const e1 = engine(dir, fake);
    await e1.createOrder(input(), 'Desk 2');
    fake.fail('create', 'hang_after_commit');
    void e1.sendNow();
    await new Promise((res) => setTimeout(res, 5));
    e1.closeNow();
    const e2 = engine(dir, fake);
    e2.start();
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (e2.status().queueLength === 0) {
          clearInterval(t);
          resolve();
        }
      }, 5);
    });
    await e2.stop();
    const e3 = engine(dir, fake);
    expectExactlyOnce(e3, fake, 1);
  });
});
