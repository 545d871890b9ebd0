import { actorOf } from '../../../common/actor';
import { english } from '../../../common/i18n';
import { describe, expect, it } from 'vitest';
import { STATUS_WORDS, type OrderState, type OrderSummary } from '../../../common/domain';
import {
  lapseNotification,
  notificationBody,
  notificationsFor,
} from '../../../main/orders/notification-rules';
import { settings } from './helpers';

const rules = settings().notifications;
const off = {
  paid: false,
  declined: false,
  expired: false,
  authorizationLapsing: false,
  lapseWarningDays: 5,
};

function order(state: OrderState, over: Partial<OrderSummary> = {}): OrderSummary {
  return {
    id: 'o1',
    merchantReference: 'DESK2-20250301-7',
    state,
    statusWord: STATUS_WORDS[state],
    phone: '+4791234567',
    amount: 125_000,
    currency: 'NOK',
    vatAmount: 0,
    items: [],
    delivery: 'sms',
    linkLifetimeHours: 24,
    createdAt: '2025-03-01T10:00:00.000Z',
    updatedAt: '2025-03-01T10:00:00.000Z',
    createdBy: 'Desk 2',
    authorizedAmount: state === 'authorized' ? 125_000 : 0,
    capturedAmount: 0,
    refundedAmount: 0,
    ...over,
  };
}

type Row = [
  OrderState | undefined,
  OrderState,
  typeof rules,
  string[],
  Array<Array<'capture' | 'open'>>,
];

const table: Row[] = [
  ['link_sent', 'authorized', rules, ['paid'], [['capture', 'open']]],
  ['opened', 'authorized', rules, ['paid'], [['capture', 'open']]],
  ['opened', 'captured', rules, ['paid'], [['open']]],
  ['link_sent', 'authorized', { ...rules, paid: false }, [], []],
  ['opened', 'declined', rules, ['declined'], [['open']]],
  ['opened', 'declined', { ...rules, declined: false }, [], []],
  ['opened', 'failed', rules, ['failed'], [['open']]],
  ['sending', 'failed', rules, ['failed'], [['open']]],
  ['link_sent', 'expired', rules, ['expired'], [['open']]],
  ['link_sent', 'expired', { ...rules, expired: false }, [], []],
  ['queued', 'sending', rules, [], []],
  ['link_sent', 'opened', rules, [], []],
  ['authorized', 'captured', rules, [], []],
  ['captured', 'refunded', rules, [], []],
  ['authorized', 'voided', rules, [], []],
  ['link_sent', 'cancelled', rules, [], []],
  [undefined, 'queued', rules, [], []],
  ['authorized', 'authorized', rules, [], []],
  ['opened', 'authorized', off, [], []],
];

describe('notification rules', () => {
  it.each(table)('%s -> %s', (before, after, r, kinds, actions) => {
    const out = notificationsFor(before ? order(before) : undefined, order(after), r);
    expect(out.map((n) => n.kind)).toEqual(kinds);
    expect(out.map((n) => n.actions)).toEqual(actions);
    for (const n of out) {
      expect(n.orderId).toBe('o1');
      const body = english(n.body);
      expect(body).toContain('DESK2-20250301-7');
      expect(body).toContain('1,250.00');
      expect(body).toContain('+47 ••• ••• 67');
      expect(JSON.stringify(n)).not.toContain('91234567');
      expect(english(n.title).length).toBeGreaterThan(0);
    }
  });

  it('the body masks the phone number and names who sent the link', () => {
    const o = order('authorized');
    expect(english(notificationBody({ ...o, createdBy: 'Desk 2' }))).toMatch(
      /^DESK2-20250301-7 · NOK\s1,250\.00 · \+47 ••• ••• 67 · Desk 2$/,
    );
    // Staff chose their name at the desk: the person and the desk.
    expect(english(notificationBody({ ...o, createdBy: actorOf('Desk 2', 'Anna') }))).toMatch(
      /^DESK2-20250301-7 · NOK\s1,250\.00 · \+47 ••• ••• 67 · Anna · Desk 2$/,
    );
  });

  const DAY = 24 * 3600_000;
  const at = Date.parse('2025-03-01T10:00:00Z');
  const lapseTable: Array<[string, OrderSummary, boolean, typeof rules, number, boolean]> = [
    ['due after lapseWarningDays', order('authorized'), false, rules, at + 5 * DAY, true],
    ['not yet', order('authorized'), false, rules, at + 5 * DAY - 1, false],
    ['only once', order('authorized'), true, rules, at + 9 * DAY, false],
    [
      'switched off',
      order('authorized'),
      false,
      { ...rules, authorizationLapsing: false },
      at + 9 * DAY,
      false,
    ],
    [
      'custom days',
      order('authorized'),
      false,
      { ...rules, lapseWarningDays: 2 },
      at + 2 * DAY,
      true,
    ],
    [
      'partly captured with money left',
      order('partially_captured', { authorizedAmount: 100, capturedAmount: 50 }),
      false,
      rules,
      at + 6 * DAY,
      true,
    ],
    [
      'fully captured',
      order('captured', { authorizedAmount: 100, capturedAmount: 100 }),
      false,
      rules,
      at + 6 * DAY,
      false,
    ],
    ['voided', order('voided'), false, rules, at + 6 * DAY, false],
  ];
  it.each(lapseTable)('authorization lapsing: %s', (_n, o, warned, r, now, due) => {
    const n = lapseNotification(o, new Date(at).toISOString(), warned, r, now);
    expect(n !== undefined).toBe(due);
    if (n) {
      expect(n).toMatchObject({ kind: 'authorization_lapsing', actions: ['capture', 'open'] });
      expect(n.body).not.toContain('91234567');
    }
  });
});
