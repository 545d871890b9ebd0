/**
 * The order's number in the shop's other system (a paylink: link's `reference`, or typed on
 * New order): checked like the other free text, journaled, on the summary, sent to Dintero as
 * the session's `merchant_reference_2`, carried over to a resent link, and kept when the
 * customer's data is erased (it is a book-keeping reference, not customer data).
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { ERASED_PHONE } from '../../../common/domain';
import { DeskError } from '../../../main/desk-error';
import { Journal } from '../../../main/orders/journal';
import { MemoryDintero } from '../../support/memory-dintero';
import { clock, engine, input, settings, tempDir } from './helpers';

const DAY = 24 * 60 * 60 * 1000;

describe("the other system's order number (externalReference)", () => {
  it('is journaled trimmed, shown on the order and sent as merchant_reference_2', async () => {
    const dir = tempDir();
    const fake = new MemoryDintero();
    const e = engine(dir, fake);
    const r = await e.createOrder(input({ externalReference: '  SO-2025-000123  ' }), 'Desk 2');
    if (!r.created) throw new Error('not created');
    expect(r.order.externalReference).toBe('SO-2025-000123');

    const db = new DatabaseSync(join(dir, 'journal.sqlite'), { readOnly: true });
    expect(
      db.prepare('SELECT external_reference FROM orders WHERE id = ?').get(r.order.id),
    ).toEqual({ external_reference: 'SO-2025-000123' });
    db.close();

    await e.sendNow();
    expect(fake.createRequests).toHaveLength(1);
    expect(fake.createRequests[0]!.order).toMatchObject({
      merchant_reference: r.order.merchantReference,
      merchant_reference_2: 'SO-2025-000123',
    });
    // What "Dintero" (the simulator's core) keeps on the session, and copies to the payment.
    const session = fake.sessionsFor(r.order.merchantReference)[0]!;
    expect(session.order.merchant_reference_2).toBe('SO-2025-000123');
    const tx = fake.pay(e.getOrder(r.order.id).order.sessionId!);
    expect(fake.transactions.get(tx)!.merchant_reference_2).toBe('SO-2025-000123');
    expect(e.getOrder(r.order.id).order.externalReference).toBe('SO-2025-000123');
  });

  it('is left out of the session when the order has none', async () => {
    const fake = new MemoryDintero();
    const e = engine(tempDir(), fake);
    const r = await e.createOrder(input({ externalReference: '   ' }), 'Desk 2');
    if (!r.created) throw new Error('not created');
    expect(r.order).not.toHaveProperty('externalReference');
    await e.sendNow();
    expect(fake.createRequests[0]!.order).not.toHaveProperty('merchant_reference_2');
  });

  it('is refused with a hidden character, naming the field', async () => {
    const e = engine(tempDir(), new MemoryDintero());
    const err = await e
      .createOrder(input({ externalReference: 'SO-1\u202E321' }), 'Desk 2')
      .catch((x: unknown) => x);
    expect(err).toBeInstanceOf(DeskError);
    expect((err as DeskError).fields?.externalReference?.key).toBe('hiddenText.direction');
  });

  it('goes with a resent link: the new session carries it too', async () => {
    const fake = new MemoryDintero();
    const e = engine(tempDir(), fake);
    const r = await e.createOrder(input({ externalReference: 'ERP-77' }), 'Desk 2');
    if (!r.created) throw new Error('not created');
    await e.sendNow();
    await e.resendLink(r.order.id, 'sms', 'Desk 2');
    await e.sendNow();
    const next = e.getOrder(e.getOrder(r.order.id).order.replacedByOrderId!).order;
    expect(next.externalReference).toBe('ERP-77');
    expect(fake.createRequests.map((q) => q.order.merchant_reference_2)).toEqual([
      'ERP-77',
      'ERP-77',
    ]);
  });

  it('stays when the customer is erased: it is for the books', async () => {
    const c = clock();
    const dir = tempDir();
    const fake = new MemoryDintero(c.now);
    const e = engine(dir, fake, {
      now: c.now,
      settings: () => settings({ customerDataDays: 10 }),
    });
    const r = await e.createOrder(
      input({ externalReference: 'ERP-4711', customerName: 'Kari Nordmann', email: 'k@n.no' }),
      'Desk 2',
    );
    if (!r.created) throw new Error('not created');
    await e.sendNow();
    await e.cancelLink(r.order.id, 'Desk 2');
    c.advance(11 * DAY);
    expect(await e.eraseCustomerDataNow()).toBe(1);
    const after = e.getOrder(r.order.id).order;
    expect(after.phone).toBe(ERASED_PHONE);
    expect(after.customerName).toBeUndefined();
    expect(after.email).toBeUndefined();
    expect(after.externalReference).toBe('ERP-4711');
    e.closeNow();
    const reopened = Journal.open(dir);
    if (!reopened.ok) throw new Error('journal');
    expect(reopened.journal.get(r.order.id)!.externalReference).toBe('ERP-4711');
    reopened.journal.close();
  });
});
