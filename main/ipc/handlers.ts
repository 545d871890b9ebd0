/**
 * The handler table: one function per contract channel, over the app's services. Inputs
 * arrive validated by `dispatch`; handlers only do the work. The same table is served by
 * Electron's ipcMain and by the browser bridge.
 */
import { dayOf } from '../../common/day-time';
import { msg } from '../../common/i18n/messages';
import { dayExportFile, type SaveFile } from '../day-close/export';
import { DeskError } from '../desk-error';
import type { AppServices } from '../services';
import { CustomerActionError } from '../training/customer';
import type { HandlerTable } from './dispatch';

function trainingOnly(svc: AppServices) {
  const sim = svc.simulator;
  if (!sim) {
    throw new DeskError('not_allowed', msg('error.trainingOnly'));
  }
  return sim;
}

export interface HandlerOptions {
  /**
   * Saves an export through the system's save dialog (the Electron shell). Without it (the
   * browser preview, tests) the file goes back to the page as a download.
   */
  saveFile?: SaveFile;
}

/** Builds the handler table over the running services. */
export function createHandlerTable(svc: AppServices, opts: HandlerOptions = {}): HandlerTable {
  const dayQuery = (q: { day?: string | undefined; scope: 'desk' | 'store' }) => ({
    day: q.day ?? dayOf(Date.now(), svc.timeZone),
    scope: q.scope,
  });
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
        return { outcome: 'not_configured' };
      }
      const outcome = await svc.liveClient().testConnection();
      return { outcome };
    },
    'dayClose:get': (q) => svc.engine.dayCloseView(dayQuery(q)),
    'dayClose:export': async ({ format, ...q }) => {
      const report = await svc.engine.dayReport(dayQuery(q));
      const file = await dayExportFile(report, format, svc.settings.get().language);
      if (opts.saveFile) return opts.saveFile(file);
      const base64 = Buffer.from(file.bytes).toString('base64');
      return { download: { name: file.name, mimeType: file.mimeType, base64 } };
    },
    'training:listSms': () => trainingOnly(svc).sms(),
    'training:listSessions': () => trainingOnly(svc).sessions(),
    'training:customer': ({ sessionId, action }) => {
      const sim = trainingOnly(svc);
      try {
        sim[action](sessionId);
      } catch (e) {
        if (e instanceof CustomerActionError) {
          throw new DeskError('not_allowed', msg(`error.customer.${e.reason}`));
        }
        throw e;
      }
      const session = sim.sessions().find((s) => s.sessionId === sessionId);
      if (!session) throw new DeskError('not_found', msg('error.trainingSessionNotFound'));
      return session;
    },
  };
}
