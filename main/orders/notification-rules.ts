/**
 * Which desktop notifications an order change deserves. Pure: the engine feeds it the order
 * before and after each committed change and emits what it returns; the Electron shell shows
 * them. Texts name the merchant reference, the amount and a MASKED phone number, never the
 * full number (notifications are visible on a shared screen and may end up in OS logs).
 */
import type { OrderState, OrderSummary } from '../../common/domain';
import { actorParam } from '../../common/actor';
import { msg, type Message } from '../../common/i18n/messages';
import { maskPhone } from '../redact';
import type { EngineSettings, NotificationRequest } from './engine-types';
import { isPaid } from './remote-state';

type Rules = EngineSettings['notifications'];

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * "DESK-20250301-4 · NOK 1,250.00 · +47 ••• ••• 67 · Anna · Desk 1" (who sent the link), in
 * the desk's language when shown.
 */
export function notificationBody(o: OrderSummary): Message {
  return msg('notify.body', {
    reference: o.merchantReference,
    amount: { money: o.amount, currency: o.currency },
    phone: maskPhone(o.phone),
    by: actorParam(o.createdBy),
  });
}

const LINK_STATES: readonly OrderState[] = ['queued', 'sending', 'unknown', 'link_sent', 'opened'];
/** States a payment may still arrive from (the poller follows them for a grace period). */
const LATE_STATES: readonly OrderState[] = ['expired', 'declined', 'failed'];

/** Notifications for one committed change (`before` undefined for a new order). */
export function notificationsFor(
  before: OrderSummary | undefined,
  after: OrderSummary,
  rules: Rules,
): NotificationRequest[] {
  // Another desk's order: that desk tells its staff; this desk's board shows it.
  if (!before || before.state === after.state || after.originDesk !== undefined) return [];
  const body = notificationBody(after);
  const out: NotificationRequest[] = [];
  if (rules.paid && !isPaid(before.state) && isPaid(after.state)) {
    // A link that had expired (or a payment that was declined or failed) may still be paid.
    // Or a held payment may be released after the link's lifetime has passed.
    const lapsed =
      before.expiresAt !== undefined && Date.parse(before.expiresAt) < Date.parse(after.updatedAt);
    const late = LATE_STATES.includes(before.state) || lapsed;
    out.push({
      orderId: after.id,
      kind: late ? 'paid_late' : 'paid',
      title: msg(
        late
          ? before.state === 'declined'
            ? 'notify.paidAfterDecline'
            : before.state === 'failed'
              ? 'notify.paidAfterFailure'
              : 'notify.paidAfterExpiry'
          : after.state === 'authorized'
            ? 'notify.paidReadyToCapture'
            : 'notify.paid',
      ),
      body,
      actions: after.state === 'authorized' ? ['capture', 'open'] : ['open'],
    });
  }
  if (rules.declined && after.state === 'declined') {
    out.push({
      orderId: after.id,
      kind: 'declined',
      title: msg('notify.declined'),
      body,
      actions: ['open'],
    });
  }
  if (rules.declined && after.state === 'failed') {
    const notSent = before.state === 'sending';
    out.push({
      orderId: after.id,
      kind: 'failed',
      title: msg(notSent ? 'notify.linkNotSent' : 'notify.failed'),
      body,
      actions: ['open'],
    });
  }
  if (rules.expired && after.state === 'expired' && LINK_STATES.includes(before.state)) {
    out.push({
      orderId: after.id,
      kind: 'expired',
      title: msg('notify.expired'),
      body,
      actions: ['open'],
    });
  }
  return out;
}

/**
 * The "capture before the authorization lapses" reminder: due once the payment has been
 * authorized for `lapseWarningDays` days with money still uncaptured, and not warned before.
 */
export function lapseNotification(
  o: OrderSummary,
  authorizedAt: string | undefined,
  alreadyWarned: boolean,
  rules: Rules,
  now: number,
): NotificationRequest | undefined {
  if (!rules.authorizationLapsing || alreadyWarned || authorizedAt === undefined) return undefined;
  if (o.originDesk !== undefined) return undefined;
  if (o.state !== 'authorized' && o.state !== 'partially_captured') return undefined;
  if (o.authorizedAmount - o.capturedAmount <= 0) return undefined;
  const age = now - Date.parse(authorizedAt);
  if (!(age >= rules.lapseWarningDays * DAY_MS)) return undefined;
  return {
    orderId: o.id,
    kind: 'authorization_lapsing',
    title: msg('notify.lapsing', { count: rules.lapseWarningDays }),
    body: notificationBody(o),
    actions: ['capture', 'open'],
  };
}
