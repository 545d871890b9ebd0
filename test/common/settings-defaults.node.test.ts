import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../common/ipc-contract';
import { DEFAULT_SETTINGS, defaultSettings, SETTINGS_LIMITS } from '../../common/settings-defaults';

describe('settings defaults and limits (common/settings-defaults)', () => {
  it('the defaults are valid settings, and a copy can be changed without touching them', () => {
    expect(settingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
    const copy = defaultSettings();
    copy.notifications.expired = false;
    copy.terminalName = 'Desk 2';
    expect(DEFAULT_SETTINGS.notifications.expired).toBe(true);
    expect(DEFAULT_SETTINGS.terminalName).toBe('Desk 1');
  });

  it('the schema that validates what Settings saves keeps exactly the limits', () => {
    const ok = (patch: object): boolean =>
      settingsSchema.safeParse({ ...defaultSettings(), ...patch }).success;
    const notify = (days: number): object => ({
      notifications: { ...DEFAULT_SETTINGS.notifications, lapseWarningDays: days },
    });
    const { linkLifetimeHours, maxOrderAmount, lapseWarningDays, terminalNameLength } =
      SETTINGS_LIMITS;
    expect(ok({ defaultLinkLifetimeHours: linkLifetimeHours.max })).toBe(true);
    expect(ok({ defaultLinkLifetimeHours: linkLifetimeHours.max + 1 })).toBe(false);
    expect(ok({ defaultLinkLifetimeHours: linkLifetimeHours.min - 1 })).toBe(false);
    expect(ok({ maxOrderAmount: maxOrderAmount.max })).toBe(true);
    expect(ok({ maxOrderAmount: maxOrderAmount.max + 1 })).toBe(false);
    expect(ok(notify(lapseWarningDays.max))).toBe(true);
    expect(ok(notify(lapseWarningDays.max + 1))).toBe(false);
    const { customerDataDays } = SETTINGS_LIMITS;
    expect(DEFAULT_SETTINGS.customerDataDays).toBe(90);
    expect(ok({ customerDataDays: customerDataDays.min })).toBe(true);
    expect(ok({ customerDataDays: customerDataDays.max })).toBe(true);
    expect(ok({ customerDataDays: customerDataDays.min - 1 })).toBe(false);
    expect(ok({ customerDataDays: customerDataDays.max + 1 })).toBe(false);
    expect(ok({ customerDataDays: 30.5 })).toBe(false);
    expect(ok({ terminalName: 'x'.repeat(terminalNameLength.max) })).toBe(true);
    expect(ok({ terminalName: 'x'.repeat(terminalNameLength.max + 1) })).toBe(false);
  });
});
