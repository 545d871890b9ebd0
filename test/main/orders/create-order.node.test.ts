import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { OrderSummary } from '../../../common/domain';
import { DeskError } from '../../../main/desk-error';
import {
  dayStamp,
  resendReference,
  rootReference,
  sanitizePrefix,
  terminalPrefix,
} from '../../../main/orders/merchant-reference';
import { MemoryDintero } from '../../support/memory-dintero';
import { clock, engine, input, phone, settings, tempDir } from './helpers';

describe('createOrder', () => {
  it('is durable before it resolves: a new connection sees the row and its created event', async () => {
    const dir = tempDir();
    const e = engine(dir, new MemoryDintero());
    const r = await e.createOrder(input({ customerName: 'Kari Nordmann' }), 'Desk 2');
    expect(r.created).toBe(true);
    if (!r.created) return;
    const db = new DatabaseSync(join(dir, 'journal.sqlite'), { readOnly: true });
    const row = db.prepare('SELECT * FROM orders WHERE id = ?').get(r.order.id) as Record<
      string,
      unknown
    >;
    expect(row).toMatchObject({
      state: 'queued',
      phone: '+4791234567',
      amount: 25_000,
      currency: 'NOK',
      merchant_reference: r.order.merchantReference,
    });
    const events = db
      .prepare('SELECT kind, actor, detail FROM order_events WHERE order_id = ?')
      .all(r.order.id);
    expect(events).toEqual([expect.objectContaining({ kind: 'created', actor: 'Desk 2' })]);
    // The timeline never holds the full number.
    expect(JSON.stringify(events)).not.toContain('91234567');
    db.close();
  });

  it('emits orderChanged and statusChanged with the new queue length', async () => {
    const e = engine(tempDir(), new MemoryDintero());
    const changed: OrderSummary[] = [];
    const statuses: unknown[] = [];
    e.on('orderChanged', (o) => changed.push(o));
    e.on('statusChanged', (s) => statuses.push(s));
    await e.createOrder(input(), 'Desk 2');
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ state: 'queued', statusWord: 'Queued' });
    expect(statuses).toEqual([{ online: true, queueLength: 1 }]);
  });

  it('main has the last word on validation: a landline and an over-limit amount are refused', async () => {
    const e = engine(tempDir(), new MemoryDintero(), {
      settings: () => settings({ maxOrderAmount: 100 }),
    });
    const err = await e
      .createOrder(input({ phone: '22 12 34 56', amount: 1_000_000 }), 'Desk 2')
      .catch((x: unknown) => x);
    expect(err).toBeInstanceOf(DeskError);
    expect((err as DeskError).code).toBe('invalid_input');
    expect(Object.keys((err as DeskError).fields ?? {})).toEqual(
      expect.arrayContaining(['phone', 'amount']),
    );
    expect(e.listOrders().total).toBe(0);
  });

  it('fixes merchant references once: terminal prefix, desk identity, local day, a counter; unique and stable', async () => {
    const c = clock();
    const dir = tempDir();
    const e = engine(dir, new MemoryDintero(), { now: c.now });
    const refs: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await e.createOrder(input({ phone: phone(i) }), 'Desk 2');
      if (r.created) refs.push(r.order.merchantReference);
    }
    const day = dayStamp(c.now());
    expect(refs).toEqual([1, 2, 3, 4, 5].map((n) => `DESK2-TEST02-${day}-${n}`));
    c.advance(24 * 60 * 60 * 1000);
    const next = await e.createOrder(input({ phone: phone(9) }), 'Desk 2');
    expect(next.created && next.order.merchantReference).toBe(
      `DESK2-TEST02-${dayStamp(c.now())}-1`,
    );
    // Reopening continues the counter; existing references never change.
    e.closeNow();
    const again = engine(dir, new MemoryDintero(), { now: c.now });
    const later = await again.createOrder(input({ phone: phone(10) }), 'Desk 2');
    expect(later.created && later.order.merchantReference).toBe(
      `DESK2-TEST02-${dayStamp(c.now())}-2`,
    );
    expect(
      again
        .listOrders()
        .orders.map((o) => o.merchantReference)
        .sort(),
    ).toEqual(
      [
        ...refs,
        `DESK2-TEST02-${dayStamp(c.now())}-1`,
        `DESK2-TEST02-${dayStamp(c.now())}-2`,
      ].sort(),
    );
  });

  it('warns about an open order to the same number for the same amount, unless allowed', async () => {
    const e = engine(tempDir(), new MemoryDintero());
    const first = await e.createOrder(input(), 'Desk 2');
    expect(first.created).toBe(true);
    // Typed differently, same E.164.
    const dup = await e.createOrder(input({ phone: '+47 912 34 567' }), 'Desk 2');
    expect(dup.created).toBe(false);
    if (!dup.created && first.created)
      expect(dup.duplicates.map((d) => d.id)).toEqual([first.order.id]);
    expect(
      e.checkDuplicate({ phone: '91234567', country: 'NO', amount: 25_000, currency: 'NOK' }),
    ).toHaveLength(1);
    expect(
      e.checkDuplicate({ phone: '91234567', country: 'NO', amount: 25_001, currency: 'NOK' }),
    ).toHaveLength(0);
    expect(
      e.checkDuplicate({ phone: '91234567', country: 'NO', amount: 25_000, currency: 'SEK' }),
    ).toHaveLength(0);
    const allowed = await e.createOrder(input({ allowDuplicate: true }), 'Desk 2');
    expect(allowed.created).toBe(true);
    // A closed order does not count.
    if (first.created) await e.cancelLink(first.order.id, 'Desk 2');
    if (allowed.created) await e.cancelLink(allowed.order.id, 'Desk 2');
    expect((await e.createOrder(input(), 'Desk 2')).created).toBe(true);
  });
});

describe('merchant reference parts', () => {
  it('sanitises the prefix to [A-Z0-9], at most 8', () => {
    expect(sanitizePrefix('Desk 2')).toBe('DESK2');
    expect(sanitizePrefix('Kasse Ø-æ-å long name')).toBe('KASSEOAE');
    expect(terminalPrefix({ terminalName: '---', storeId: 'oslo-1' })).toBe('OSLO1');
    expect(terminalPrefix({ terminalName: '', storeId: '' })).toBe('DESK');
  });

  it('numbers resent links -R1, -R2 from the original reference', () => {
    expect(resendReference('A-20250301-1', [])).toBe('A-20250301-1-R1');
    expect(resendReference('A-20250301-1-R1', ['A-20250301-1-R1'])).toBe('A-20250301-1-R2');
    expect(resendReference('A-20250301-1', ['A-20250301-1-R1', 'A-20250301-1-R3'])).toBe(
      'A-20250301-1-R4',
    );
  });

  it('puts the resending desk in a resend reference, numbered across desks', () => {
    const root = 'DESK2-7KQ2MX-20250301-17';
    expect(resendReference(root, [], 'DESKBB')).toBe(`${root}-R1-DESKBB`);
    // Desk B resends what desk A already resent once: -R2, and B's identity.
    expect(resendReference(`${root}-R1-7KQ2MX`, [`${root}-R1-7KQ2MX`], 'DESKBB')).toBe(
      `${root}-R2-DESKBB`,
    );
    expect(rootReference(`${root}-R12-DESKBB`)).toBe(root);
    expect(rootReference(`${root}-R3`)).toBe(root);
    // Not a desk identity (I, L, O and U are never in one): left alone.
    expect(rootReference(`${root}-R1-DESKIL`)).toBe(`${root}-R1-DESKIL`);
  });
});
