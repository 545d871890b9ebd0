/**
 * Wires the stores to main: one initial load (status, settings, who is at the desk) and the
 * event subscriptions. Returns the unsubscribe. The board reads its own pages (store/board.ts);
 * order events go to it and to the orders the screens follow (store/orders.ts).
 *
 * Training and live keep separate journals. When main switches between them (status:changed
 * with another mode), the board must show only the orders of the journal now in use: the
 * orders (and the training panel's SMS and sessions) are dropped, order events still waiting
 * to be applied are dropped with them (they came from the old journal), a detail screen of
 * an old order goes back to the board, and the board reads its pages again. A page that was
 * asked for before the switch is ignored when it arrives.
 */
import { errorText } from '../lib/text';
import type { AppMode, OrderSummary } from '../../../common/domain';
import type { PaylinkApi } from '../../../common/ipc-contract';
import type { NewOrderLink } from '../../../common/paylink-link';
import { settle } from '../api';
import { applyLanguage } from '../i18n';
import { useAppStore } from './app';
import { boardChanges, connectBoard, resetBoard } from './board';
import { useLinkStore } from './link';
import { useOrdersStore } from './orders';
import { useTrainingStore } from './training';

/** How long order events are gathered before the store is updated once for all of them. */
const EVENT_BATCH_MS = 16;

export function startSync(api: PaylinkApi): () => void {
  const app = useAppStore.getState();
  const orders = useOrdersStore.getState();
  const training = useTrainingStore.getState();
  let pending: OrderSummary[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    flushTimer = undefined;
    const batch = pending;
    pending = [];
    orders.upsertMany(batch);
    boardChanges(batch);
    if (useAppStore.getState().status?.mode === 'training') void loadTrainingSessions(api);
  };
  const switchJournal = (mode: AppMode): void => {
    pending = [];
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = undefined;
    useOrdersStore.getState().reset();
    useTrainingStore.getState().reset();
    resetBoard();
    if (useAppStore.getState().screen === 'detail') useAppStore.getState().navigate('board');
    if (mode === 'training') void loadTraining(api);
  };
  const disconnectBoard = connectBoard(api);
  const offs = [
    api.on('order:changed', (o) => {
      // Bursts (a queue draining after an outage) become one store update per frame.
      pending.push(o);
      flushTimer ??= setTimeout(flush, EVENT_BATCH_MS);
    }),
    api.on('status:changed', (s) => {
      const before = useAppStore.getState().status?.mode;
      app.setStatus(s);
      if (before !== undefined && before !== s.mode) switchJournal(s.mode);
    }),
    api.on('training:sms', (m) => training.addSms(m)),
    api.on('navigate:order', ({ id, intent }) => app.openOrder(id, intent)),
    // A paylink: link: New order filled in (or why not). Taking it clears main's copy.
    api.on('navigate:newOrder', (link) => {
      openLink(link);
      void takeLink(api);
    }),
    api.on('access:changed', (a) => app.setAccess(a)),
  ];
  void loadAll(api);
  void takeLink(api);
  return () => {
    for (const off of offs) off();
    if (flushTimer) clearTimeout(flushTimer);
    disconnectBoard();
  };
}

async function loadAll(api: PaylinkApi): Promise<void> {
  const app = useAppStore.getState();
  const [status, settings, access] = await Promise.all([
    settle(api.app.status()),
    settle(api.settings.get()),
    settle(api.staff.get()),
  ]);
  if (access.ok) app.setAccess(access.value);
  if (status.ok) app.setStatus(status.value);
  else app.setBootError(errorText(status.error));
  if (settings.ok) {
    app.setSettings(settings.value);
    applyLanguage(settings.value.settings.language);
  }
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

/** Shows New order for a paylink: link main handed over (once per link). */
function openLink(link: NewOrderLink): void {
  if (useLinkStore.getState().receive(link)) useAppStore.getState().navigate('entry');
}

/**
 * Takes the paylink: link main holds for the page: the one that started the desk arrives
 * before the page listens, so the page asks for it once it does.
 */
async function takeLink(api: PaylinkApi): Promise<void> {
  const r = await settle(api.app.takeLink());
  if (r.ok && r.value !== null) openLink(r.value);
}
