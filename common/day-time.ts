/**
 * Calendar days in the desk's time zone (an IANA name, e.g. Europe/Oslo), for the day close:
 * which day an instant falls on, a day's bounds, and instants written with the zone's offset
 * (2025-03-01T11:00:00.000+01:00). Intl only, so it runs in main, the page and the tests alike,
 * and summer time changes (23- and 25-hour days) come out right.
 */

const dayFormats = new Map<string, Intl.DateTimeFormat>();
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

function cached(
  map: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  make: () => Intl.DateTimeFormat,
): Intl.DateTimeFormat {
  let f = map.get(timeZone);
  if (f === undefined) {
    f = make();
    map.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is a zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at instant `ms`, in minutes (Oslo in winter: 60). */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  const f = cached(
    offsetFormats,
    timeZone,
    () => new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }),
  );
  const name = f.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT([+-])(\d{2}):?(\d{2})?$/.exec(name);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/** The calendar day (YYYY-MM-DD) instant `ms` falls on in `timeZone`. */
export function dayOf(ms: number, timeZone: string): string {
  const f = cached(
    dayFormats,
    timeZone,
    () =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }),
  );
  return f.format(ms);
}

/** A YYYY-MM-DD string that names a real calendar day. */
export function isDayString(day: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === day;
}

/** The instant the day starts (local midnight) in `timeZone`, as epoch ms. */
function dayStartMs(day: string, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  const first = guess - zoneOffsetMinutes(guess, timeZone) * 60_000;
  // The offset at midnight itself may differ from the one at the guess (a change that night).
  return guess - zoneOffsetMinutes(first, timeZone) * 60_000;
}

/** Instant `ms` written in `timeZone` with its offset, to the millisecond. */
export function isoInZone(ms: number, timeZone: string): string {
  const offset = zoneOffsetMinutes(ms, timeZone);
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, -1);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

/** The day's bounds (inclusive, to the millisecond) with the zone's offsets. */
export function dayWindow(day: string, timeZone: string): { from: string; to: string } {
  if (!isDayString(day)) throw new RangeError(`not a day: ${day}`);
  const start = dayStartMs(day, timeZone);
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const end = dayStartMs(next, timeZone) - 1;
  return { from: isoInZone(start, timeZone), to: isoInZone(end, timeZone) };
}
