/**
 * Who is at the desk, and the manager's control over refunds and protected settings.
 *
 * - Staff listed in Settings choose their name at the desk (with their PIN when they have
 *   one). The person is kept in memory only: after a restart, staff choose again. While
 *   staff are listed and nobody has chosen, orders and money operations wait for a name.
 * - The manager PIN approves refunds above the limit and changes to connection settings and
 *   the refund rules. Five wrong manager PINs lock refunds (and those changes) for five
 *   minutes; the lock is on disk, so a restart does not lift it.
 * - PINs are kept only as scrypt hashes in access.json (main/access/access-file.ts).
 */
import { actorOf } from '../../common/actor';
import { msg, type Message } from '../../common/i18n/messages';
import type { DeskAccess } from '../../common/ipc-contract';
import { DeskError } from '../desk-error';
import type { SettingsStore } from '../settings';
import { AccessFile } from './access-file';
import { hashPin, verifyPin } from './pin-hash';

/** Wrong PINs in a row before a lock, and how long it lasts. */
export const MAX_WRONG_PINS = 5;
export const LOCK_MS = 5 * 60 * 1000;

export interface DeskAccessOptions {
  dataDir: string;
  settings: SettingsStore;
  now?: () => number;
}

/** The desk's staff, its manager PIN and the refund lock. */
export class DeskAccessService {
  readonly file: AccessFile;
  private readonly settings: SettingsStore;
  private readonly now: () => number;
  private current: string | undefined;
  /** Wrong staff PINs per name (in memory: a restart clears them, as it clears who is in). */
  private readonly staffTries = new Map<string, { failures: number; until?: number }>();
  private readonly listeners = new Set<(a: DeskAccess) => void>();

  constructor(opts: DeskAccessOptions) {
    this.settings = opts.settings;
    this.now = opts.now ?? Date.now;
    this.file = new AccessFile(opts.dataDir, () => new Date(this.now()));
    // A name taken off the list leaves the desk and loses its PIN.
    opts.settings.onChange((s) => {
      const listed = new Set(s.staff);
      if (this.current !== undefined && !listed.has(this.current)) this.current = undefined;
      const stale = Object.keys(this.file.get().staffPins).filter((n) => !listed.has(n));
      if (stale.length > 0) {
        this.file.update((d) => {
          for (const n of stale) delete d.staffPins[n];
        });
      }
      this.changed();
    });
  }

  /** What the screen may know: names, whether PINs are set, the rules, the lock. */
  view(): DeskAccess {
    const s = this.settings.get();
    const d = this.file.get();
    const until = this.lockedUntil();
    return {
      staff: s.staff.map((name) => ({ name, hasPin: d.staffPins[name] !== undefined })),
      ...(this.current !== undefined ? { current: this.current } : {}),
      needsStaff: this.needsStaff(),
      managerPinSet: d.managerPin !== undefined,
      refundApprovalAbove: s.refundApprovalAbove,
      refundReasons: [...s.refundReasons],
      ...(until !== undefined ? { lockedUntil: new Date(until).toISOString() } : {}),
    };
  }

  onChange(listener: (a: DeskAccess) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Who does what from this desk now: the person at it (if any) and the desk. */
  actor(): string {
    return actorOf(this.settings.get().terminalName, this.current);
  }

  /** Throws when staff are listed and nobody has chosen their name yet. */
  requireStaff(): void {
    if (this.needsStaff()) throw new DeskError('not_allowed', msg('access.staffRequired'));
  }

  /** A listed person takes the desk; their PIN must match when they have one. */
  async choose(name: string, pin: string | undefined): Promise<DeskAccess> {
    if (!this.settings.get().staff.includes(name)) {
      throw new DeskError('not_found', msg('access.notListed', { name }));
    }
    const stored = this.file.get().staffPins[name];
    if (stored !== undefined) {
      const tries = this.staffTries.get(name) ?? { failures: 0 };
      if (tries.until !== undefined && this.now() < tries.until) {
        throw new DeskError(
          'locked',
          msg('access.staffLocked', { name, until: { time: new Date(tries.until).toISOString() } }),
        );
      }
      if (pin === undefined) {
        throw new DeskError('approval_required', msg('access.staffPinNeeded', { name }), {
          pin: msg('access.staffPinNeeded', { name }),
        });
      }
      if (!(await verifyPin(pin, stored))) {
        const failures = tries.failures + 1;
        this.staffTries.set(
          name,
          failures >= MAX_WRONG_PINS ? { failures: 0, until: this.now() + LOCK_MS } : { failures },
        );
        throw new DeskError('wrong_pin', msg('access.wrongStaffPin', { name }), {
          pin: msg('access.wrongStaffPin', { name }),
        });
      }
      this.staffTries.delete(name);
    }
    this.current = name;
    this.changed();
    return this.view();
  }

  /** The person at the desk leaves it. */
  leave(): DeskAccess {
    this.current = undefined;
    this.changed();
    return this.view();
  }

  /** Sets, changes or removes the manager PIN (changing or removing needs the current one). */
  async setManagerPin(current: string | undefined, next: string | null): Promise<DeskAccess> {
    if (this.file.get().managerPin !== undefined) {
      await this.checkManagerPin(current, msg('access.currentPinNeeded'));
    }
    if (next === null && this.settings.get().refundApprovalAbove !== null) {
      throw new DeskError('not_allowed', msg('access.limitNeedsPin'));
    }
    const hash = next === null ? undefined : await hashPin(next);
    this.file.update((d) => {
      if (hash === undefined) delete d.managerPin;
      else d.managerPin = hash;
    });
    this.changed();
    return this.view();
  }

  /** Sets or removes a listed person's PIN (needs the manager PIN once one is set). */
  async setStaffPin(
    name: string,
    pin: string | null,
    managerPin: string | undefined,
  ): Promise<DeskAccess> {
    if (!this.settings.get().staff.includes(name)) {
      throw new DeskError('not_found', msg('access.notListed', { name }));
    }
    if (this.file.get().managerPin !== undefined) await this.checkManagerPin(managerPin);
    const hash = pin === null ? undefined : await hashPin(pin);
    this.file.update((d) => {
      if (hash === undefined) delete d.staffPins[name];
      else d.staffPins[name] = hash;
    });
    this.staffTries.delete(name);
    this.changed();
    return this.view();
  }

  get managerPinSet(): boolean {
    return this.file.get().managerPin !== undefined;
  }

  /** Throws while wrong manager PINs keep refunds locked. */
  assertNotLocked(): void {
    const until = this.lockedUntil();
    if (until !== undefined) {
      throw new DeskError(
        'locked',
        msg('access.locked', { until: { time: new Date(until).toISOString() } }),
      );
    }
  }

  /**
   * Checks the manager PIN: missing → approval_required, wrong → wrong_pin (the fifth in a
   * row locks for five minutes), during a lock → locked. Returns only when it matches.
   */
  async checkManagerPin(
    pin: string | undefined,
    needed: Message = msg('access.managerPinNeeded'),
  ): Promise<void> {
    this.assertNotLocked();
    const stored = this.file.get().managerPin;
    if (stored === undefined) throw new DeskError('not_allowed', msg('access.noManagerPin'));
    if (pin === undefined) {
      throw new DeskError('approval_required', needed, { managerPin: needed });
    }
    if (await verifyPin(pin, stored)) {
      if (this.file.get().managerFailures > 0 || this.file.get().lockedUntil !== undefined) {
        this.file.update((d) => {
          d.managerFailures = 0;
          delete d.lockedUntil;
        });
      }
      return;
    }
    const failures = this.file.get().managerFailures + 1;
    const lock = failures >= MAX_WRONG_PINS;
    this.file.update((d) => {
      d.managerFailures = lock ? 0 : failures;
      if (lock) d.lockedUntil = this.now() + LOCK_MS;
    });
    this.changed();
    if (lock) this.assertNotLocked();
    const left = MAX_WRONG_PINS - failures;
    throw new DeskError('wrong_pin', msg('access.wrongManagerPin', { count: left }), {
      managerPin: msg('access.wrongManagerPin', { count: left }),
    });
  }

  /**
   * The end of the current lock, if one holds. A clock set back never stretches a lock
   * beyond five minutes from now: the lock is moved to end then (and written down, so the
   * five minutes count from the moment the clock was found set back).
   */
  private lockedUntil(): number | undefined {
    const until = this.file.get().lockedUntil;
    const now = this.now();
    if (until === undefined || now >= until) return undefined;
    if (until - now > LOCK_MS) {
      this.file.update((d) => {
        d.lockedUntil = now + LOCK_MS;
      });
      return now + LOCK_MS;
    }
    return until;
  }

  /** Staff are listed and nobody has chosen their name. */
  private needsStaff(): boolean {
    return this.settings.get().staff.length > 0 && this.current === undefined;
  }

  private changed(): void {
    const v = this.view();
    for (const l of this.listeners) l(v);
  }
}
