/**
 * The handler table: one function per contract channel, over the app's services. Inputs
 * arrive validated by `dispatch`; handlers only do the work. The same table is served by
 * Electron's ipcMain and by the browser bridge.
 */
import { dayOf } from '../../common/day-time';
import { msg } from '../../common/i18n/messages';
import { requestRefund } from '../access/refund-approval';
import { dayExportFile, type SaveFile } from '../day-close/export';
import { DeskError } from '../desk-error';
import type { AppServices } from '../services';
import { CustomerActionError } from '../training/customer';
import type { CallContext, HandlerTable } from './dispatch';

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
  /** Who acts: refused while staff are listed and nobody has chosen their name. */
  const staffed = (ctx: CallContext): string => {
    svc.access.requireStaff();
    return ctx.actor;
  };
  return {
    'app:status': () => svc.status(),
    // Only hands over what a link filled in; nothing is sent until staff press Send link.
    'app:takeLink': () => svc.links.take(),
    'app:restartToUpdate': () => svc.restartToUpdate(),
    'orders:create': (input, ctx) => svc.engine.createOrder(input, staffed(ctx)),
    'orders:checkDuplicate': (input) => ({ duplicates: svc.engine.checkDuplicate(input) }),
    'orders:list': (filter) => svc.engine.listOrders(filter),
    'orders:page': (q) => svc.engine.pageOrders(q),
    'orders:get': ({ id }) => svc.engine.getOrder(id),
    'orders:capture': ({ id, amount }, ctx) => svc.engine.capture(id, amount, staffed(ctx)),
    'orders:refund': (input, ctx) => requestRefund(svc, input, staffed(ctx)),
    'orders:void': ({ id }, ctx) => svc.engine.void(id, staffed(ctx)),
    'orders:cancelLink': ({ id }, ctx) => svc.engine.cancelLink(id, staffed(ctx)),
    'orders:resendLink': ({ id, delivery }, ctx) =>
      svc.engine.resendLink(id, delivery, staffed(ctx)),
    'orders:qr': ({ id }) => svc.engine.qr(id),
    'orders:retry': ({ id }, ctx) => svc.engine.retry(id, staffed(ctx)),
    'settings:get': () => svc.settingsView(),
    'settings:save': async ({ confirmAccountChange, managerPin, ...patch }) => {
      const outcome = await svc.saveSettings(patch, {
        confirmAccountChange: confirmAccountChange === true,
        managerPin,
      });
      if (!outcome.saved) return outcome;
      return { saved: true, ...svc.settingsView() };
    },
    'settings:setSecret': ({ secret, managerPin }) => svc.setSecret(secret, managerPin),
    'settings:clearSecret': (input) => svc.clearSecret(input?.managerPin),
    'access:setManagerPin': ({ current, next }) => svc.access.setManagerPin(current, next),
    'access:setStaffPin': ({ name, pin, managerPin }) =>
      svc.access.setStaffPin(name, pin, managerPin),
    'staff:get': () => svc.access.view(),
    'staff:choose': ({ name, pin }) => svc.access.choose(name, pin),
    'staff:leave': () => svc.access.leave(),
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
