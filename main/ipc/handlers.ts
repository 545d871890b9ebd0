/**
 * The handler table: one function per contract channel, over the app's services. Inputs
 * arrive validated by `dispatch`; handlers only do the work. The same table is served by
 * Electron's ipcMain and by the browser bridge.
 */
import { DeskError } from '../desk-error';
import type { AppServices } from '../services';
import { CustomerActionError } from '../training/customer';
import type { HandlerTable } from './dispatch';

const CONNECTION_MESSAGES = {
  works: 'Connected: Dintero accepted the credentials and answered.',
  wrong_credentials: 'Dintero refused the client ID or client secret. Check both in Backoffice.',
  not_granted:
    'The credentials work, but this API client has no access to the account. Grant it in Backoffice.',
  no_network: 'Dintero could not be reached. Check the internet connection.',
  unavailable: 'Dintero is not answering properly right now. Try again in a few minutes.',
  not_configured: 'Enter the account ID, client ID and client secret first.',
} as const;

function trainingOnly(svc: AppServices) {
  const sim = svc.simulator;
  if (!sim) {
    throw new DeskError('not_allowed', 'The training panel is only available in training mode.');
  }
  return sim;
}

/** Builds the handler table over the running services. */
export function createHandlerTable(svc: AppServices): HandlerTable {
  return {
    'app:status': () => svc.status(),
    'orders:create': (input, ctx) => svc.engine.createOrder(input, ctx.actor),
    'orders:checkDuplicate': (input) => ({ duplicates: svc.engine.checkDuplicate(input) }),
    'orders:list': (filter) => svc.engine.listOrders(filter),
    'orders:get': ({ id }) => svc.engine.getOrder(id),
    'orders:capture': ({ id, amount }, ctx) => svc.engine.capture(id, amount, ctx.actor),
    'orders:refund': ({ id, amount, reason }, ctx) =>
      svc.engine.refund(id, amount, reason, ctx.actor),
    'orders:void': ({ id }, ctx) => svc.engine.void(id, ctx.actor),
    'orders:cancelLink': ({ id }, ctx) => svc.engine.cancelLink(id, ctx.actor),
    'orders:resendLink': ({ id, delivery }, ctx) => svc.engine.resendLink(id, delivery, ctx.actor),
    'orders:qr': ({ id }) => svc.engine.qr(id),
    'orders:retry': ({ id }, ctx) => svc.engine.retry(id, ctx.actor),
    'settings:get': () => ({
      settings: svc.settings.get(),
      secret: svc.secretStatus(),
      training: svc.mode === 'training',
    }),
    'settings:save': async ({ confirmAccountChange, ...patch }) => {
      const outcome = await svc.saveSettings(patch, {
        confirmAccountChange: confirmAccountChange === true,
      });
      if (!outcome.saved) return outcome;
      return {
        saved: true,
        settings: svc.settings.get(),
        secret: svc.secretStatus(),
        training: svc.mode === 'training',
      };
    },
    'settings:setSecret': ({ secret }) => svc.setSecret(secret),
    'settings:clearSecret': () => svc.clearSecret(),
    'settings:testConnection': async () => {
      if (!svc.secretStatus().configured || !svc.settings.get().clientId) {
        return { outcome: 'not_configured', message: CONNECTION_MESSAGES.not_configured };
      }
      const outcome = await svc.liveClient().testConnection();
      return { outcome, message: CONNECTION_MESSAGES[outcome] };
    },
    'training:listSms': () => trainingOnly(svc).sms(),
    'training:listSessions': () => trainingOnly(svc).sessions(),
    'training:customer': ({ sessionId, action }) => {
      const sim = trainingOnly(svc);
      try {
        sim[action](sessionId);
      } catch (e) {
        if (e instanceof CustomerActionError) {
          throw new DeskError(
            'not_allowed',
            `The customer cannot do that now (${e.reason.replaceAll('_', ' ')}).`,
          );
        }
        throw e;
      }
      const session = sim.sessions().find((s) => s.sessionId === sessionId);
      if (!session) throw new DeskError('not_found', 'That training session does not exist.');
      return session;
    },
  };
}
