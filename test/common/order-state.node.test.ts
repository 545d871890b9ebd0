import { describe, expect, it } from 'vitest';
import { FINAL_STATES, ORDER_STATES, type OrderState } from '../../common/domain';
import {
  amountState,
  BACKWARD_EVENTS,
  EVENT_INTO,
  STATE_EVENTS,
  STATE_RANK,
  TRANSITIONS,
  transition,
  type StateEvent,
} from '../../common/order-state';

/** The legal moves, written out by hand: the table under test must match it exactly. */
const EXPECTED: Record<string, OrderState> = {
  'queued/send': 'sending',
  'sending/link_created': 'link_sent',
  'sending/defer': 'queued',
  'sending/refuse': 'failed',
  'sending/lose': 'unknown',
  'unknown/reconcile_found': 'link_sent',
  'sending/reconcile_found': 'link_sent',
  'unknown/reconcile_absent': 'queued',
  'sending/reconcile_absent': 'queued',
  'failed/retry': 'queued',
  'link_sent/open': 'opened',
  'link_sent/authorize': 'authorized',
  'opened/authorize': 'authorized',
  'link_sent/capture_part': 'partially_captured',
  'opened/capture_part': 'partially_captured',
  'authorized/capture_part': 'partially_captured',
  'partially_captured/capture_part': 'partially_captured',
  'partially_refunded/capture_part': 'partially_refunded',
  'link_sent/capture_all': 'captured',
  'opened/capture_all': 'captured',
  'authorized/capture_all': 'captured',
  'partially_captured/capture_all': 'captured',
  'partially_refunded/capture_all': 'partially_refunded',
  'link_sent/refund_part': 'partially_refunded',
  'opened/refund_part': 'partially_refunded',
  'authorized/refund_part': 'partially_refunded',
  'partially_captured/refund_part': 'partially_refunded',
  'captured/refund_part': 'partially_refunded',
  'partially_refunded/refund_part': 'partially_refunded',
  'link_sent/refund_all': 'refunded',
  'opened/refund_all': 'refunded',
  'authorized/refund_all': 'refunded',
  'partially_captured/refund_all': 'refunded',
  'captured/refund_all': 'refunded',
  'partially_refunded/refund_all': 'refunded',
  'link_sent/void': 'voided',
  'opened/void': 'voided',
  'authorized/void': 'voided',
  'link_sent/decline': 'declined',
  'opened/decline': 'declined',
  'link_sent/fail': 'failed',
  'opened/fail': 'failed',
  'link_sent/expire': 'expired',
  'opened/expire': 'expired',
  // A payment can still complete after the link expired, was declined or failed.
  ...Object.fromEntries(
    (['expired', 'declined', 'failed'] as const).flatMap((s) => [
      [`${s}/authorize`, 'authorized'],
      [`${s}/capture_part`, 'partially_captured'],
      [`${s}/capture_all`, 'captured'],
      [`${s}/refund_part`, 'partially_refunded'],
      [`${s}/refund_all`, 'refunded'],
      [`${s}/void`, 'voided'],
    ]),
  ),
  'queued/cancel': 'cancelled',
  'link_sent/cancel': 'cancelled',
  'opened/cancel': 'cancelled',
};

const pairs: Array<[OrderState, StateEvent]> = ORDER_STATES.flatMap((s) =>
  STATE_EVENTS.map((e) => [s, e] as [OrderState, StateEvent]),
);

describe('order state machine', () => {
  it.each(pairs)('%s + %s', (state, event) => {
    const expected = EXPECTED[`${state}/${event}`];
    const r = transition(state, event);
    if (expected === undefined) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toContain(state);
    } else {
      expect(r).toEqual({ ok: true, state: expected });
    }
  });

  it('covers every (state, event) pair: no entry in the table that the list above lacks', () => {
    let legal = 0;
    for (const [event, moves] of Object.entries(TRANSITIONS)) {
      for (const from of Object.keys(moves)) {
        legal++;
        expect(EXPECTED[`${from}/${event}`], `${from}/${event}`).toBeDefined();
      }
    }
    expect(legal).toBe(Object.keys(EXPECTED).length);
    expect(pairs).toHaveLength(ORDER_STATES.length * STATE_EVENTS.length);
  });

  it('never goes backwards except by the named queue-again events', () => {
    for (const [state, event] of pairs) {
      const r = transition(state, event);
      if (!r.ok) continue;
      if (BACKWARD_EVENTS.includes(event)) {
        expect(r.state).toBe('queued');
      } else {
        expect(STATE_RANK[r.state], `${state}/${event}`).toBeGreaterThanOrEqual(STATE_RANK[state]);
      }
    }
  });

  it('nothing leaves a final state', () => {
    expect([...FINAL_STATES].sort()).toEqual(['cancelled', 'refunded', 'voided']);
    for (const s of FINAL_STATES) {
      for (const e of STATE_EVENTS) expect(transition(s, e).ok, `${s}/${e}`).toBe(false);
    }
  });

  it('an expired, declined or failed link only moves on when a payment arrives (or Retry)', () => {
    const paidEvents: StateEvent[] = [
      'authorize',
      'capture_part',
      'capture_all',
      'refund_part',
      'refund_all',
      'void',
    ];
    for (const s of ['expired', 'declined', 'failed'] as const) {
      for (const e of STATE_EVENTS) {
        const r = transition(s, e);
        const allowed = paidEvents.includes(e) || (s === 'failed' && e === 'retry');
        expect(r.ok, `${s}/${e}`).toBe(allowed);
      }
    }
  });

  it('a sent order can never be sent again: send is legal from queued only', () => {
    for (const s of ORDER_STATES) expect(transition(s, 'send').ok).toBe(s === 'queued');
  });

  it('EVENT_INTO events really lead into their state', () => {
    for (const [target, event] of Object.entries(EVENT_INTO)) {
      const reached = ORDER_STATES.some((s) => {
        const r = transition(s, event);
        return r.ok && r.state === target;
      });
      expect(reached, `${event} -> ${target}`).toBe(true);
    }
  });

  it('amounts decide the paid state; capturing the rest after a partial refund stays partially refunded', () => {
    expect(amountState(1000, 0, 0)).toBe('authorized');
    expect(amountState(1000, 400, 0)).toBe('partially_captured');
    expect(amountState(1000, 1000, 0)).toBe('captured');
    expect(amountState(1000, 400, 100)).toBe('partially_refunded');
    // Everything captured is refunded, but 600 can still be captured: not finished.
    expect(amountState(1000, 400, 400)).toBe('partially_refunded');
    expect(amountState(1000, 400, 400, true)).toBe('refunded');
    expect(amountState(1000, 1000, 1000)).toBe('refunded');
    expect(amountState(1000, 1000, 100)).toBe('partially_refunded');
  });
});
