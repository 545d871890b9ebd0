/**
 * Calendar days in the desk's time zone: bounds with the zone's offset, including the nights
 * the clocks change (a 23-hour and a 25-hour day in Oslo), and which day an instant is on.
 */
import { describe, expect, it } from 'vitest';
import { dayOf, dayWindow, isDayString, isoInZone } from '../../common/day-time';

const HOUR = 3_600_000;

describe('day-time', () => {
  it('bounds a winter day in Oslo with its offset', () => {
    expect(dayWindow('2025-03-01', 'Europe/Oslo')).toEqual({
      from: '2025-03-01T00:00:00.000+01:00',
      to: '2025-03-01T23:59:59.999+01:00',
    });
  });

  it('the spring-forward day has 23 hours and the autumn day 25', () => {
    const spring = dayWindow('2025-03-30', 'Europe/Oslo');
    expect(spring).toEqual({
      from: '2025-03-30T00:00:00.000+01:00',
      to: '2025-03-30T23:59:59.999+02:00',
    });
    expect(Date.parse(spring.to) + 1 - Date.parse(spring.from)).toBe(23 * HOUR);
    const autumn = dayWindow('2025-10-26', 'Europe/Oslo');
    expect(autumn.from).toBe('2025-10-26T00:00:00.000+02:00');
    expect(autumn.to).toBe('2025-10-26T23:59:59.999+01:00');
    expect(Date.parse(autumn.to) + 1 - Date.parse(autumn.from)).toBe(25 * HOUR);
  });

  it('works west of Greenwich and in UTC', () => {
    expect(dayWindow('2025-07-04', 'America/New_York').from).toBe('2025-07-04T00:00:00.000-04:00');
    expect(dayWindow('2025-07-04', 'UTC')).toEqual({
      from: '2025-07-04T00:00:00.000+00:00',
      to: '2025-07-04T23:59:59.999+00:00',
    });
  });

  it('names the day an instant falls on, and writes it with the offset', () => {
    const t = Date.parse('2025-03-01T23:30:00Z');
    expect(dayOf(t, 'Europe/Oslo')).toBe('2025-03-02');
    expect(dayOf(t, 'UTC')).toBe('2025-03-01');
    expect(isoInZone(t, 'Europe/Oslo')).toBe('2025-03-02T00:30:00.000+01:00');
    expect(Date.parse(isoInZone(t, 'Asia/Kolkata'))).toBe(t);
    expect(isoInZone(t, 'Asia/Kolkata')).toBe('2025-03-02T05:00:00.000+05:30');
  });

  it('refuses what is not a calendar day', () => {
    for (const bad of ['2025-02-29', '2025-13-01', '2025-3-1', '', 'today', '2025-03-01T00:00']) {
      expect(isDayString(bad)).toBe(false);
      expect(() => dayWindow(bad, 'UTC')).toThrow(RangeError);
    }
    expect(isDayString('2024-02-29')).toBe(true);
  });
});
