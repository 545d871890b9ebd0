/**
 * Main speaks in codes: every timeline line, notification, refusal reason and error the engine
 * produces over a busy day (sends, lost answers, payments, captures, refunds, voids, cancels,
 * resends, expiries, declines, duplicates) is a catalog message, and every one of them reads
 * as a whole sentence in every language: no missing key, no placeholder left unfilled, and
 * none of the English words in the other languages.
 */
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../common/domain';
import { CATALOGS, createTranslator, english, type Message } from '../../../common/i18n';
import type { NotificationRequest } from '../../../main/orders/engine-types';
import { MemoryDintero } from '../../support/memory-dintero';
import { clock, engine, input, phone, rejection, tempDir } from './helpers';

const translators = LANGUAGES.map((l) => createTranslator(l));

/** Problems with one message in any language (empty when it reads well everywhere). */
function unreadable(m: Message, where: string): string[] {
  const out: string[] = [];
  for (const tr of translators) {
    const words = tr.t(m);
    if (words === m.key || words.trim() === '')
      out.push(`${where}: ${m.key} missing in ${tr.language}`);
    if (/\{\{|\}\}/.test(words))
      out.push(`${where}: ${m.key} unfilled in ${tr.language}: ${words}`);
    if (tr.language !== 'en' && words === english(m) && words.length > 20) {
      out.push(`${where}: ${m.key} is English in ${tr.language}`);
    }
  }
  return out;
}

describe('main speaks in codes, the screen in the language', () => {
  it('a busy day produces only messages every catalog can say', async () => {
    expect(Object.keys(CATALOGS).sort()).toEqual([...LANGUAGES].sort());
    const c = clock();
    const fake = new MemoryDintero(c.now);
    const e = engine(tempDir(), fake, { now: c.now });
    const notes: NotificationRequest[] = [];
    e.on('notify', (n) => notes.push(n));
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await e.createOrder(
        input({ phone: phone(i), ...(i === 7 ? { delivery: 'link_only' as const } : {}) }),
        'Desk 2',
      );
      if (r.created) ids.push(r.order.id);
    }
    const errors: unknown[] = [];
    fake.fail('create', 'drop_after_commit');
    fake.fail('create', 'unavailable');
    await e.sendNow();
    c.advance(5_000);
    await e.sendNow();
    const [a, b, d, f, g, h, k] = ids as [string, string, string, string, string, string, string];
    const sid = (id: string): string => e.getOrder(id).order.sessionId as string;
    fake.pay(sid(a));
    fake.pay(sid(b));
    fake.decline(sid(d));
    fake.open(sid(f));
    await e.pollNow();
    await e.capture(a, 10_000, 'Desk 2');
    await e.capture(a, undefined, 'Desk 2');
    await e.refund(a, 5_000, 'Customer kept the chair', 'Desk 2');
    fake.fail('refund', 'drop_before_commit');
    errors.push(await rejection(e.refund(a, 1_000, 'Scratched', 'Desk 2')));
    errors.push(await rejection(e.capture(a, 1, 'Desk 2')));
    await e.resolveOperationsNow();
    fake.fail('void', 'invalid_request', { message: 'Authorization expired' });
    errors.push(await rejection(e.void(b, 'Desk 2')));
    await e.void(b, 'Desk 2');
    await e.cancelLink(g, 'Desk 2');
    await e.resendLink(h, 'sms', 'Desk 2');
    errors.push(await rejection(e.capture(k, undefined, 'Desk 2')));
    try {
      e.retry(k, 'Desk 2');
    } catch (err) {
      errors.push(err);
    }
    // The customer who declined pays on the same link after all.
    fake.pay(sid(d));
    c.advance(60_000);
    await e.pollNow();
    c.advance(25 * 3_600_000);
    await e.sendNow();
    await e.pollNow();

    const problems: string[] = [];
    let lines = 0;
    for (const o of e.listOrders().orders) {
      const detail = e.getOrder(o.id);
      for (const ev of detail.events) {
        // Every line has its label (event.<kind>); most also say what happened.
        problems.push(...unreadable({ key: `event.${ev.kind}` }, `${o.merchantReference} label`));
        if (!ev.message) continue;
        lines++;
        problems.push(...unreadable(ev.message, `${o.merchantReference} ${ev.kind}`));
      }
      if (o.lastError)
        problems.push(...unreadable(o.lastError, `${o.merchantReference} lastError`));
      for (const [name, action] of Object.entries(detail.actions)) {
        if (!action.allowed)
          problems.push(...unreadable(action.reason, `${o.merchantReference} ${name}`));
      }
    }
    for (const n of notes) {
      problems.push(...unreadable(n.title, `notification ${n.kind} title`));
      problems.push(...unreadable(n.body, `notification ${n.kind} body`));
    }
    for (const err of errors) {
      const text = (err as { text?: Message } | undefined)?.text;
      if (!text) problems.push(`an error without a message: ${String(err)}`);
      else problems.push(...unreadable(text, 'error'));
    }
    expect(problems).toEqual([]);
    // The day really was busy: many kinds of line and every notification kind staff rely on.
    expect(lines).toBeGreaterThan(40);
    expect(new Set(notes.map((n) => n.kind))).toEqual(
      new Set(['paid', 'declined', 'expired', 'paid_late']),
    );
  });

  it('the same order reads in every language, money in that language’s format', () => {
    const m: Message = {
      key: 'line.paidWith',
      params: { amount: { money: 129_950, currency: 'NOK' }, method: 'vipps' },
    };
    const words = Object.fromEntries(
      translators.map((t) => [t.language, t.t(m).replace(/\s/g, ' ')]),
    );
    expect(words.en).toBe('The customer paid NOK 1,299.50 with vipps.');
    expect(words.nb).toBe('Kunden betalte 1 299,50 kr med vipps.');
    expect(new Set(Object.values(words)).size).toBe(LANGUAGES.length);
  });
});
