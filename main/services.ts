/**
 * The composition root of main: settings, the keychain credentials, the Dintero client (live,
 * or pointed at the training simulator when no credentials are set), the order engine and the
 * events the screen listens to. Plain Node: the Electron shell (index.ts) and the browser
 * preview (main/preview/server.ts) both build the app from here, so both run the same code.
 * The parts live in their own files: credentials/keychain-credentials.ts (reading, retrying
 * and storing the secret), training/runtime.ts (the simulator and its client), app-events.ts.
 *
 * Training and live orders never mix: training keeps its own journal (and the simulator's
 * state) under `<data>/training/`, live orders are in `<data>/journal.sqlite`.
 *
 * One process per data folder: both entry points take the folder's lock (data-lock.ts) before
 * they build AppServices, which trusts that nobody else has the folder's journals open.
 */
import { msg } from '../common/i18n/messages';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppMode, AppStatus, DeskPlatform, SecretStatus, Settings } from '../common/domain';
import {
  accountBoundOrder,
  type AccountBoundOrder,
  type AccountChangeNotice,
  type EventName,
  type EventPayloads,
  type SettingsView,
} from '../common/ipc-contract';
import { DeskAccessService } from './access/desk-access';
import { changesProtected } from './access/protected-settings';
import { AppEvents } from './app-events';
import { deskIdentity } from './desk-identity';
import { LinkInbox } from './paylink-links';
import { KeychainCredentials } from './credentials/keychain-credentials';
import type { SecretStore } from './credentials/secret-store';
import { DeskError } from './desk-error';
import { createDinteroClient, resolveDinteroUrls } from './dintero/client';
import type { DinteroClient, DinteroCredentials } from './dintero/types';
import type { Logger } from './log';
import { createOrderEngine } from './orders/engine';
import type { EngineSettings, NotificationRequest, OrderEngine } from './orders/engine-types';
import { SettingsStore, type StoreFactory } from './settings';
import { startTrainingRuntime } from './training/runtime';
import type { Simulator } from './training/simulator';
import type { PendingWork } from './orders/engine-types';
import type { UpdaterPort } from './updates/desk-updater';
import { mayRestart } from './updates/restart-gate';

export { KEYCHAIN_RETRY_MS } from './credentials/keychain-credentials';

export interface ServicesOptions {
  dataDir: string;
  secretStore: SecretStore;
  logger: Logger;
  version: string;
  /** electron-store in the Electron app; conf elsewhere. */
  storeFactory?: StoreFactory;
  env?: NodeJS.ProcessEnv;
  /** Engine timing overrides (tests, preview). */
  engineTiming?: Parameters<typeof createOrderEngine>[0]['timing'];
  /** How often an unreadable keychain is read again (default 30 s). */
  keychainRetryMs?: number;
  /** Whose advice the keychain banner gives (default: this machine's). */
  platform?: NodeJS.Platform;
  /** The computer's language, for a first start (no settings file yet); default English. */
  systemLanguage?: Settings['language'];
  /** The desk's IANA time zone for the day close (default: the computer's). */
  timeZone?: string;
  /**
   * Updates (main/updates): the packaged app's updater; none in the browser preview and
   * tests, where nothing about updates shows and a restart press is refused.
   */
  updater?: UpdaterPort;
}

/**
 * The orders of the journal in use that would be stranded if the account changed: what the
 * engine still needs the account for (queued, unknown, followed, or an operation in flight).
 */
export function ordersNeedingAccount(engine: OrderEngine): AccountBoundOrder[] {
  return engine.ordersNeedingAccount().map(accountBoundOrder);
}

/** Outcome of saving settings: saved, or refused until staff confirm an account change. */
export type SaveOutcome =
  { saved: true; settings: Settings } | { saved: false; accountChange: AccountChangeNotice };

const deskPlatform = (p: NodeJS.Platform): DeskPlatform =>
  p === 'darwin' ? 'mac' : p === 'win32' ? 'windows' : 'linux';

/** Where a mode keeps its journal. */
export const modeDataDir = (dataDir: string, mode: AppMode): string =>
  mode === 'training' ? join(dataDir, 'training') : dataDir;

/** The running app, minus the window. */
export class AppServices {
  readonly settings: SettingsStore;
  /** Who is at the desk, the manager PIN and the refund lock. */
  readonly access: DeskAccessService;
  /** This installation's random identity, part of every merchant reference it makes. */
  readonly deskId: string;
  private readonly events = new AppEvents();
  /** paylink: links asking for New order, kept until a page takes them (paylink-links.ts). */
  readonly links: LinkInbox;
  private readonly credentials: KeychainCredentials;
  private engineRef: OrderEngine | undefined;
  private simulatorRef: Simulator | undefined;
  private modeRef: AppMode = 'training';
  private unsubscribeEngine: Array<() => void> = [];
  private switching: Promise<void> = Promise.resolve();
  private updaterOff: (() => void) | undefined;
  /** The update offer last sent to the screen (status:changed goes out when it changes). */
  private lastUpdateKey = 'null';
  private updateCheckQueued = false;

  private constructor(private readonly opts: ServicesOptions) {
    mkdirSync(opts.dataDir, { recursive: true });
    this.settings = new SettingsStore(
      opts.dataDir,
      opts.storeFactory,
      undefined,
      opts.systemLanguage,
    );
    if (this.settings.warning) opts.logger.warn('Settings file was unusable; defaults in use');
    this.links = new LinkInbox({
      settings: () => {
        const s = this.settings.get();
        return {
          country: s.defaultCountry,
          currency: s.defaultCurrency,
          maxOrderAmount: s.maxOrderAmount,
        };
      },
      emit: (link) => this.emit('navigate:newOrder', link),
      logger: opts.logger,
    });
    const identity = deskIdentity(opts.dataDir);
    this.deskId = identity.deskId;
    if (identity.replacedDamaged) opts.logger.warn('desk.json was damaged; a new desk identity');
    this.access = new DeskAccessService({ dataDir: opts.dataDir, settings: this.settings });
    if (this.access.file.warning) opts.logger.warn('PIN file was unusable; PINs must be set again');
    this.access.onChange((a) => this.emit('access:changed', a));
    this.credentials = new KeychainCredentials({
      store: opts.secretStore,
      logger: opts.logger,
      ...(opts.keychainRetryMs !== undefined ? { retryMs: opts.keychainRetryMs } : {}),
      accountId: () => this.settings.get().accountId,
      onReadable: () => this.reconsiderMode(),
    });
  }

  /**
   * Builds and starts everything: training mode when no credentials are configured. A desk
   * whose account and client ID are set but whose keychain cannot be read starts live, with
   * sending paused, and keeps reading the keychain until it answers.
   */
  static async create(opts: ServicesOptions): Promise<AppServices> {
    const s = new AppServices(opts);
    await s.credentials.load();
    if (s.credentials.unreadable) {
      opts.logger.warn(
        s.wantedMode() === 'live'
          ? 'Keychain cannot be read; staying live with sending paused until it can'
          : 'Keychain cannot be read; no live credentials configured, training mode',
      );
    }
    await s.startMode(s.wantedMode());
    s.credentials.startRetry();
    s.startUpdates();
    return s;
  }

  get logger(): Logger {
    return this.opts.logger;
  }

  /** The desk's IANA time zone (the day close's days). */
  get timeZone(): string {
    return this.opts.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  }

  get mode(): AppMode {
    return this.modeRef;
  }

  /** The engine of the current mode. */
  get engine(): OrderEngine {
    if (!this.engineRef) throw new Error('engine not started');
    return this.engineRef;
  }

  /** The training simulator, in training mode only. */
  get simulator(): Simulator | undefined {
    return this.simulatorRef;
  }

  /** Subscribes to an event for the screen. */
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Desktop notifications the shell should show. */
  onNotify(listener: (n: NotificationRequest) => void): () => void {
    return this.events.onNotify(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    this.events.emit(event, payload);
  }

  /** What the status bar shows. */
  status(): AppStatus {
    const settings = this.settings.get();
    const engine = this.engineRef?.status() ?? { online: false, queueLength: 0 };
    const accountId =
      this.modeRef === 'training' ? this.simulatorRef?.credentials.accountId : settings.accountId;
    const keychainProblem = this.credentials.problem;
    return {
      mode: this.modeRef,
      version: this.opts.version,
      online: engine.online,
      queueLength: engine.queueLength,
      ...(accountId ? { accountId } : {}),
      testAccount: this.modeRef === 'live' && settings.accountId.startsWith('T'),
      ...(engine.journalProblem ? { journalProblem: engine.journalProblem } : {}),
      ...(this.settings.warning ? { settingsWarning: this.settings.warning } : {}),
      ...(this.access.file.warning ? { accessWarning: this.access.file.warning } : {}),
      ...(this.credentials.unreadable && this.modeRef === 'live'
        ? { keychainLocked: deskPlatform(this.opts.platform ?? process.platform) }
        : keychainProblem
          ? { keychainProblem }
          : {}),
      ...this.updateStatus(),
    };
  }

  /** What Settings shows: the settings, the secret's status, the mode, the desk identity. */
  settingsView(): SettingsView {
    return {
      settings: this.settings.get(),
      secret: this.secretStatus(),
      training: this.modeRef === 'training',
      deskId: this.deskId,
    };
  }

  /** Secret status for Settings: never the secret itself. */
  secretStatus(): SecretStatus {
    return this.credentials.status();
  }

  /**
   * Why changing the account ID to `to` must be confirmed first: the live orders that still
   * need the current account. Undefined when nothing would be stranded.
   */
  accountChangeNotice(to: string): AccountChangeNotice | undefined {
    const from = this.settings.get().accountId;
    if (to === from || !from || this.modeRef !== 'live' || !this.engineRef) return undefined;
    const orders = ordersNeedingAccount(this.engineRef);
    if (orders.length === 0) return undefined;
    return { from, to, crossesEnvironment: to !== '' && to[0] !== from[0], orders };
  }

  /**
   * Saves settings, then switches mode if credentials became complete or incomplete. A change
   * of account ID while live orders still need the current account is refused (nothing is
   * saved) and the orders are listed, unless `confirmAccountChange` says staff saw them.
   */
  async saveSettings(
    patch: Partial<Settings>,
    opts: { confirmAccountChange?: boolean; managerPin?: string | undefined } = {},
  ): Promise<SaveOutcome> {
    const current = this.settings.get();
    // A new approval limit needs a manager PIN behind it (one kept as it was is no change).
    if (
      patch.refundApprovalAbove !== undefined &&
      patch.refundApprovalAbove !== null &&
      patch.refundApprovalAbove !== current.refundApprovalAbove &&
      !this.access.managerPinSet
    ) {
      throw new DeskError('not_allowed', msg('access.limitNeedsPin'), {
        refundApprovalAbove: msg('access.limitNeedsPin'),
      });
    }
    if (this.access.managerPinSet && changesProtected(patch, current)) {
      await this.access.checkManagerPin(opts.managerPin);
    }
    if (patch.accountId !== undefined && !opts.confirmAccountChange) {
      const accountChange = this.accountChangeNotice(patch.accountId);
      if (accountChange) return { saved: false, accountChange };
    }
    const before = current;
    const next = this.settings.update(patch);
    if (before.accountId !== next.accountId) {
      // The secret belongs to the keychain entry of the old account; move it along.
      await this.credentials.moveAccount(before.accountId, next.accountId);
    }
    await this.reconsiderMode();
    return { saved: true, settings: next };
  }

  /** Who does what from this desk now (the audit trail's actor): the person and the desk. */
  actor(): string {
    return this.access.actor();
  }

  /** The client secret is a connection setting: the manager PIN guards it once set. */
  private async guardConnection(managerPin: string | undefined): Promise<void> {
    if (this.access.managerPinSet) await this.access.checkManagerPin(managerPin);
  }

  /** Stores the client secret in the keychain (under the account id). */
  async setSecret(secret: string, managerPin?: string): Promise<SecretStatus> {
    await this.guardConnection(managerPin);
    const { accountId } = this.settings.get();
    if (!accountId) {
      throw new DeskError('invalid_input', msg('error.accountIdFirst'), {
        accountId: msg('error.accountIdFirst'),
      });
    }
    // A keychain that cannot be read cannot store either: KeychainUnavailableError reaches the
    // screen as 'keychain_unavailable', and the desk stays as it was.
    await this.credentials.store(accountId, secret);
    await this.reconsiderMode();
    return this.secretStatus();
  }

  async clearSecret(managerPin?: string): Promise<SecretStatus> {
    await this.guardConnection(managerPin);
    await this.credentials.clear(this.settings.get().accountId);
    await this.reconsiderMode();
    return this.secretStatus();
  }

  /** A client for the configured live credentials (used by Test connection in any mode). */
  liveClient(): DinteroClient {
    const urls = resolveDinteroUrls(undefined, this.opts.env ?? process.env);
    return createDinteroClient({
      ...urls,
      credentials: () => Promise.resolve(this.liveCredentials()),
      systemName: 'Paylink Desk',
      systemVersion: this.opts.version,
      logger: this.opts.logger,
    });
  }

  /**
   * Reads an unreadable keychain again (the timer does this every 30 s; the shell also calls
   * it when the window gains focus, as staff have often just unlocked it). When the secret
   * comes back the banner goes and the paused engine resumes sending on its next probe.
   * Concurrent calls share one read.
   */
  readKeychainAgain(): Promise<void> {
    return this.credentials.readAgain();
  }

  /** Unfinished work of the engine in use (what a restart into an update waits for). */
  pendingWork(): PendingWork {
    // Between two modes (an account switch) there is no engine: wait for it.
    return this.engineRef?.pendingWork() ?? { queued: 0, outcomeUnknown: 0, operationsPending: 1 };
  }

  /**
   * Staff pressed "Restart to update". The gate is checked now, not from the status the
   * screen last saw: while orders are queued, a payment is being checked or an operation is
   * in flight the press is refused (not_allowed) and nothing restarts; likewise when no update
   * is ready (or this build has no updater). Otherwise the shell closes the app and installs.
   */
  restartToUpdate(): { restarting: true; version: string } {
    const updater = this.opts.updater;
    const decision = updater
      ? updater.restart(this.pendingWork())
      : { restarting: false as const, why: 'not_ready' as const };
    if (decision.restarting) return decision;
    if (decision.why === 'busy') {
      this.emitIfUpdateChanged();
      throw new DeskError('not_allowed', msg('update.busy'));
    }
    throw new DeskError('not_allowed', msg('update.none'));
  }

  private startUpdates(): void {
    const updater = this.opts.updater;
    if (!updater) return;
    this.updaterOff = updater.onChange(() => this.emitIfUpdateChanged());
    updater.start();
  }

  /** The status bar's update offer: only a ready update, with what its restart waits for. */
  private updateStatus(): Pick<AppStatus, 'update'> {
    const state = this.opts.updater?.state;
    if (state?.kind !== 'ready') return {};
    const gate = mayRestart(this.pendingWork());
    return {
      update: {
        state: 'ready',
        version: state.version,
        ...(gate.allowed ? {} : { waitsFor: gate.waitsFor }),
      },
    };
  }

  /**
   * Tells the screen when the update offer or what its restart waits for changed. Costs
   * nothing without a ready update; with one, the journal is counted at most once per turn of
   * the event loop however many orders changed in it.
   */
  private emitIfUpdateChanged(): void {
    const updater = this.opts.updater;
    if (!updater || this.updateCheckQueued) return;
    if (updater.state.kind !== 'ready' && this.lastUpdateKey === 'null') return;
    this.updateCheckQueued = true;
    setImmediate(() => {
      this.updateCheckQueued = false;
      if (!this.engineRef) return;
      const status = this.status();
      const key = JSON.stringify(status.update ?? null);
      if (key === this.lastUpdateKey) return;
      this.lastUpdateKey = key;
      this.emit('status:changed', status);
    });
  }

  /** Stops the engine and the simulator. */
  async close(): Promise<void> {
    this.updaterOff?.();
    this.opts.updater?.stop();
    await this.credentials.close();
    await this.switching;
    await this.stopMode();
  }

  private liveCredentials(): DinteroCredentials | null {
    const s = this.settings.get();
    const secret = this.credentials.secret;
    if (!s.accountId || !s.clientId || !secret) return null;
    return { accountId: s.accountId, clientId: s.clientId, clientSecret: secret };
  }

  /**
   * Live when the account and client ID are set and the secret is known, or cannot be read
   * right now (a locked keychain is not "no credentials"). Training only for a desk without
   * credentials.
   */
  private wantedMode(): AppMode {
    const s = this.settings.get();
    if (!s.accountId || !s.clientId) return 'training';
    return this.credentials.secret || this.credentials.unreadable ? 'live' : 'training';
  }

  private async reconsiderMode(): Promise<void> {
    const wanted = this.wantedMode();
    if (wanted !== this.modeRef) {
      this.switching = this.switching.then(async () => {
        await this.stopMode();
        await this.startMode(wanted);
      });
      await this.switching;
    }
    this.emit('status:changed', this.status());
  }

  private engineSettings(): EngineSettings {
    const s = this.settings.get();
    return {
      profileId: s.profileId || 'default',
      returnUrl: s.returnUrl || 'https://checkout.dintero.com/v1/view/return',
      storeId: s.storeId,
      terminalName: s.terminalName,
      deskId: this.deskId,
      maxOrderAmount: s.maxOrderAmount,
      notifications: s.notifications,
      customerDataDays: s.customerDataDays,
    };
  }

  private async startMode(mode: AppMode): Promise<void> {
    const dir = modeDataDir(this.opts.dataDir, mode);
    mkdirSync(dir, { recursive: true });
    let client: DinteroClient;
    let accountId = this.settings.get().accountId;
    if (mode === 'training') {
      const training = await startTrainingRuntime({
        dir,
        storeName: this.settings.get().storeId || 'Paylink Desk training shop',
        logger: this.opts.logger,
        version: this.opts.version,
        smsKeepDays: () => this.settings.get().customerDataDays,
      });
      const sim = training.simulator;
      this.simulatorRef = sim;
      sim.on('sms', (sms) => this.emit('training:sms', sms));
      accountId = sim.credentials.accountId;
      client = training.client;
    } else {
      client = this.liveClient();
    }
    const engine = createOrderEngine({
      accountId,
      dataDir: dir,
      client,
      settings: () => this.engineSettings(),
      logger: this.opts.logger,
      timeZone: this.timeZone,
      ...(this.opts.engineTiming ? { timing: this.opts.engineTiming } : {}),
    });
    this.unsubscribeEngine = [
      engine.on('orderChanged', (o) => this.emit('order:changed', o)),
      engine.on('statusChanged', () => this.emit('status:changed', this.status())),
      engine.on('notify', (n) => this.events.notify(n)),
      // A ready update's restart waits on orders: say when that changes.
      engine.on('orderChanged', () => this.emitIfUpdateChanged()),
    ];
    this.engineRef = engine;
    this.modeRef = mode;
    engine.start();
    this.opts.logger.info({ mode }, 'Paylink Desk services started');
  }

  private async stopMode(): Promise<void> {
    for (const off of this.unsubscribeEngine) off();
    this.unsubscribeEngine = [];
    await this.engineRef?.stop();
    this.engineRef = undefined;
    await this.simulatorRef?.close();
    this.simulatorRef = undefined;
  }
}
