/**
 * Reading our capture/refund/void in a transaction's events, and what staff read when Dintero
 * says it failed: Dintero's own words inside our sentence, or our sentence alone when Dintero
 * gave none (never an English fallback written in main).
 */
import { describe, expect, it } from 'vitest';
import { createTranslator, english } from '../../../common/i18n';
import { msg } from '../../../common/i18n/messages';
import type { DinteroTransaction } from '../../../main/dintero/types';
import { findOperationOutcome } from '../../../main/orders/transaction-ops';

function tx(events: DinteroTransaction['events']): DinteroTransaction {
  return {
    id: 'T00000000.tx1',
    created_at: '2026-03-02T10:00:00Z',
    status: 'AUTHORIZED',
    amount: 10_000,
    currency: 'NOK',
    merchant_reference: 'DESK1-20260302-1',
    events,
  };
}
const at = '2026-03-02T10:05:00Z';

describe('the outcome of our operation, from the events', () => {
  it('a failed capture with Dintero reason, one without, and a success by our reference', () => {
    const op = { kind: 'capture' as const, reference: 'DESK1-20260302-1-C1' };
    /** Dintero's CAPTURE event for our reference, read back in a transaction. */
    const capture = (success: boolean, error?: { code: string; message: string }) =>
      findOperationOutcome(
        tx([
          {
            event: 'CAPTURE',
            success,
            amount: 10_000,
            created_at: at,
            event_reference: op.reference,
            ...(error ? { error } : {}),
          },
        ]),
        op,
      );
    expect(capture(false, { code: 'X', message: 'Acquirer host offline' })).toEqual({
      kind: 'failure',
      message: 'Acquirer host offline',
    });
    expect(capture(false)).toEqual({ kind: 'failure' });
    expect(capture(true).kind).toBe('success');
    expect(findOperationOutcome(tx([]), op)).toEqual({ kind: 'absent' });
  });

  it('the sentence without a reason exists for every operation, in every language', () => {
    const expected = {
      nb: /^Dintero kunne ikke \S+ betalingen\.$/,
      sv: /^Dintero kunde inte \S+ betalningen\.$/,
      da: /^Dintero kunne ikke \S+ betalingen\.$/,
    } as const;
    for (const kind of ['capture', 'refund', 'void']) {
      const m = msg(`op.${kind}.failedAtDinteroNoReason`);
      expect(english(m)).toMatch(/^Dintero could not \w+ the payment\.$/);
      for (const [language, sentence] of Object.entries(expected)) {
        expect(createTranslator(language as keyof typeof expected).t(m)).toMatch(sentence);
      }
    }
  });
});
