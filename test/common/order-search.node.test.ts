/**
 * The board's rules (common/order-search.ts), which main's pages, the screen's live rows and
 * the screens' test double all follow: board order, and what a search matches.
 */
import { describe, expect, it } from 'vitest';
import {
  boardMatcher,
  compareBoardKeys,
  matchesBoardSearch,
  parseBoardSearch,
} from '../../common/order-search';
import { makeOrder } from '../renderer/fake-paylink';

const order = {
  merchantReference: 'KASSE1-7KQ2MX-20261203-17',
  externalReference: 'SO-2025-000123',
  customerName: 'Øyvind Ødegård',
  email: 'oyvind@Example.no',
  phone: '+4791234567',
  amount: 129_950,
  currency: 'NOK',
};
const finds = (typed: string): boolean => matchesBoardSearch(order, parseBoardSearch(typed));

describe('the board’s search', () => {
  it('finds a phone number in every common form, and never by two digits', () => {
    for (const typed of ['91234567', '912 34 567', '+47 912 34 567', '004791234567', '4567'])
      expect(finds(typed), typed).toBe(true);
    expect(parseBoardSearch('67').phoneDigits).toBe('');
    expect(finds('91234568')).toBe(false);
  });

  it('finds parts of the reference, the other system’s number, the name and the e-mail in any case', () => {
    for (const typed of ['7kq2mx', 'so-2025', 'ØDEGÅRD', 'øyvind ø', 'EXAMPLE.NO', '  kasse1  '])
      expect(finds(typed), typed).toBe(true);
    expect(finds('ødegard')).toBe(false);
  });

  it('finds an amount typed as staff type it, in the order’s currency only', () => {
    for (const typed of ['1 299,50', '1299.50', 'kr 1299,50'])
      expect(finds(typed), typed).toBe(true);
    expect(finds('1299')).toBe(false);
    expect(matchesBoardSearch({ ...order, currency: 'EUR' }, parseBoardSearch('kr 1299,50'))).toBe(
      false,
    );
  });

  it('ignores invisible characters pasted with a search; an empty search matches all', () => {
    expect(finds('\u200e912\u200b34 567\u200f')).toBe(true);
    expect(parseBoardSearch(' \u200b ').text).toBe('');
    expect(finds('')).toBe(true);
  });
});

describe('board order and filters', () => {
  it('lists newest first, ties on the same millisecond by id', () => {
    const at = '2026-03-01T10:00:00.000Z';
    const keys = [
      { createdAt: at, id: 'a' },
      { createdAt: '2026-03-01T10:00:00.001Z', id: 'a' },
      { createdAt: at, id: 'b' },
    ];
    expect(keys.sort(compareBoardKeys)).toEqual([
      { createdAt: '2026-03-01T10:00:00.001Z', id: 'a' },
      { createdAt: at, id: 'b' },
      { createdAt: at, id: 'a' },
    ]);
  });

  it('combines states, bounds in any offset, a set of orders and the search', () => {
    const o = makeOrder({
      id: 'x1',
      state: 'authorized',
      createdAt: '2026-03-01T22:30:00.000Z',
      customerName: 'Kari Nordmann',
    });
    const day = { from: '2026-03-01T00:00:00+01:00', to: '2026-03-01T23:59:59.999+01:00' };
    expect(boardMatcher({ ...day, states: ['authorized'], ids: ['x1'], search: 'kari' })(o)).toBe(
      true,
    );
    expect(boardMatcher({ ...day, to: '2026-03-01T23:00:00+01:00' })(o)).toBe(false);
    expect(boardMatcher({ states: ['captured'] })(o)).toBe(false);
    expect(boardMatcher({ ids: [] })(o)).toBe(false);
    expect(boardMatcher({ search: 'ola' })(o)).toBe(false);
  });
});
