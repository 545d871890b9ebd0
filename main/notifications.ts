/**
 * Shows the engine's notification decisions as desktop notifications (Electron adapter only:
 * what to notify is decided in orders/notification-rules.ts). On macOS the "Capture" and
 * "Open" actions appear as buttons; everywhere a click opens the order.
 */
import { Notification } from 'electron';
import type { Message } from '../common/i18n/messages';
import type { NotificationRequest } from './orders/engine-types';
import { NOTIFICATION_ACTIONS } from './shell-text';

/** What a press on a notification does. Neither may move money: both only open the order. */
export interface NotificationHandlers {
  open(orderId: string): void;
  /** Opens the order with the capture confirmation ready (staff still confirm). */
  capture(orderId: string): void;
}

/**
 * Shows one notification, its words translated by `t` (the desk's language); returns false
 * where the platform has no notifications.
 */
export function showNotification(
  n: NotificationRequest,
  handlers: NotificationHandlers,
  t: (m: Message) => string,
): boolean {
  if (!Notification.isSupported()) return false;
  const actions = process.platform === 'darwin' ? n.actions : [];
  const notification = new Notification({
    title: t(n.title),
    body: t(n.body),
    silent: false,
    actions: actions.map((a) => ({
      type: 'button' as const,
      text: t(NOTIFICATION_ACTIONS[a]),
    })),
  });
  notification.on('click', () => handlers.open(n.orderId));
  notification.on('action', (_e, index) => {
    const action = actions[index];
    if (action === 'capture') handlers.capture(n.orderId);
    else handlers.open(n.orderId);
  });
  notification.show();
  return true;
}
