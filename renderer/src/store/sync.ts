/**
 * Wires the stores to main: one initial load (status, settings, all orders) and the four
 * event subscriptions. Returns the unsubscribe. Events that arrive while the list is still
 * loading are kept (the store merges by updatedAt).
 */
import type { PaylinkApi } from '../../../common/ipc-contract';
import { settle } from '../api';
import { applyLanguage } from '../i18n';
import { useAppStore } from './app';
import { useOrdersStore } from './orders';
import { useTrainingStore } from './training';

/** Highest number of orders the board loads at once (the contract's maximum). */
export const ORDER_LIST_LIMIT = 100_000;

export function startSync(api: PaylinkApi): () => void {
  const app = useAppStore.getState();
  const orders = useOrdersStore.getState();
  const training = useTrainingStore.getState();
  const offs = [
    api.on('order:changed', (o) => {
      orders.upsert(o);
      if (useAppStore.getState().status?.mode === 'training') void loadTrainingSessions(api);
    }),
    api.on('status:changed', (s) => app.setStatus(s)),
    api.on('training:sms', (m) => training.addSms(m)),
    api.on('navigate:order', ({ id }) => app.openOrder(id)),
  ];
  void loadAll(api);
  return () => {
    for (const off of offs) off();
  };
}

async function loadAll(api: PaylinkApi): Promise<void> {
  const app = useAppStore.getState();
  const [status, settings, list] = await Promise.all([
    settle(api.app.status()),
    settle(api.settings.get()),
    settle(api.orders.list({ limit: ORDER_LIST_LIMIT })),
  ]);
  if (status.ok) app.setStatus(status.value);
  else app.setBootError(status.error.message);
  if (settings.ok) {
    app.setSettings(settings.value);
    applyLanguage(settings.value.settings.language);
  }
  if (list.ok) useOrdersStore.getState().setAll(list.value.orders);
  else useOrdersStore.getState().setLoadError(list.error.message);
  if (status.ok && status.value.mode === 'training') await loadTraining(api);
}

/** Loads the simulator's SMS and sessions (training mode only). */
export async function loadTraining(api: PaylinkApi): Promise<void> {
  const sms = await settle(api.training.listSms());
  if (sms.ok) useTrainingStore.getState().setSms(sms.value);
  await loadTrainingSessions(api);
}

let sessionsInFlight: Promise<void> | null = null;
let sessionsAgain = false;

/** Refreshes the session list; calls made while one is in flight coalesce into one more. */
export function loadTrainingSessions(api: PaylinkApi): Promise<void> {
  if (sessionsInFlight !== null) {
    sessionsAgain = true;
    return sessionsInFlight;
  }
  sessionsInFlight = (async () => {
    do {
      sessionsAgain = false;
      const r = await settle(api.training.listSessions());
      if (r.ok) useTrainingStore.getState().setSessions(r.value);
    } while (sessionsAgain);
  })().finally(() => {
    sessionsInFlight = null;
  });
  return sessionsInFlight;
}
