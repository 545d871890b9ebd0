/** PINs are kept only as salted scrypt hashes that a wrong PIN never matches. */
import { describe, expect, it } from 'vitest';
import { hashPin, verifyPin } from '../../../main/access/pin-hash';

describe('PIN hashes', () => {
  it('match the PIN they were made from and no other', async () => {
    const stored = await hashPin('2468');
    expect(await verifyPin('2468', stored)).toBe(true);
    for (const wrong of ['2469', '24680', '', ' 2468', '8642']) {
      expect(await verifyPin(wrong, stored)).toBe(false);
    }
  });

  it('are salted: the same PIN twice gives two different hashes, neither holding the PIN', async () => {
    const a = await hashPin('13572468');
    const b = await hashPin('13572468');
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$15$8$1$')).toBe(true);
    expect(a).not.toContain('13572468');
    expect(await verifyPin('13572468', b)).toBe(true);
  });

  it('a damaged or foreign stored value never matches (and never throws)', async () => {
    const good = await hashPin('1234');
    const parts = good.split('$');
    const damaged = [
      '',
      '1234',
      'plain$1234',
      good.replace('scrypt', 'md5'),
      [...parts.slice(0, 5), 'AAAA'].join('$'),
      [parts[0], '40', ...parts.slice(2)].join('$'),
      [parts[0], parts[1], '0', ...parts.slice(3)].join('$'),
      [...parts.slice(0, 4), '', parts[5]].join('$'),
    ];
    for (const stored of damaged) expect(await verifyPin('1234', stored)).toBe(false);
  });
});
