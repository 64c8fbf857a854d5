/**
 * Times as people at a facility read and write them: in the facility's IANA zone, with the zone named.
 * The API stores UTC; these helpers only format and resolve wall-clock times with Intl (the browser's
 * tz database), so that what the form shows is what the API will understand.
 */

const MINUTE = 60_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();
const abbreviationFormats = new Map<string, Intl.DateTimeFormat>();

function wallClockAt(instantMs: number, zone: string): WallClock {
  let format = partsFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    partsFormats.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(instantMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24, minute: parts.minute, second: parts.second };
}

function wallAsUtcMs(w: WallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** The zone's offset from UTC at an instant, in minutes (e.g. -480 for PST). */
export function offsetMinutesAt(instantMs: number, zone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  return Math.round((wallAsUtcMs(wallClockAt(whole, zone)) - whole) / MINUTE);
}

/** `-08:00`, `+05:30`, `+00:00`. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The zone's abbreviation at an instant as en-US gives it (`PST`, `EDT`; `GMT-10` where there is none). */
export function zoneAbbreviation(instant: Date | string, zone: string): string {
  let format = abbreviationFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' });
    abbreviationFormats.set(zone, format);
  }
  return format.formatToParts(new Date(instant)).find((p) => p.type === 'timeZoneName')?.value ?? zone;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `Wed 1 Feb 2017 06:00 PST`, or with `withZone` `Wed 1 Feb 2017 06:00 PST (America/Los_Angeles)`. */
export function formatInZone(instant: Date | string, zone: string, opts: { withZone?: boolean; weekday?: boolean } = {}): string {
  const ms = new Date(instant).getTime();
  if (Number.isNaN(ms)) return '';
  const w = wallClockAt(ms, zone);
  const weekday = WEEKDAYS[new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay()];
  const text = `${opts.weekday === false ? '' : `${weekday} `}${w.day} ${MONTHS[w.month - 1]} ${w.year} ${pad(w.hour)}:${pad(w.minute)} ${zoneAbbreviation(new Date(ms), zone)}`;
  return opts.withZone ? `${text} (${zone})` : text;
}

/** The calendar date of an instant in the zone, `YYYY-MM-DD`. */
export function localDate(instant: Date | string, zone: string): string {
  const w = wallClockAt(new Date(instant).getTime(), zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** Value for `<input type="datetime-local">`: the instant's wall-clock time in the zone, `YYYY-MM-DDTHH:mm`. */
export function toLocalInputValue(instant: Date | string, zone: string): string {
  const w = wallClockAt(new Date(instant).getTime(), zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

export interface WallTimeOption {
  instant: Date;
  offset: string;
  abbreviation: string;
}

export type ResolvedWallTime =
  | { kind: 'invalid' }
  /** Skipped by a daylight-saving change (spring forward): no such time there. */
  | { kind: 'missing' }
  | ({ kind: 'unique' } & WallTimeOption)
  /** Repeated by a daylight-saving change (fall back): two instants, earlier first. */
  | { kind: 'ambiguous'; options: [WallTimeOption, WallTimeOption] };

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** What a wall-clock time typed for a facility means there: one instant, two (fall back), or none (spring forward). */
export function resolveWallTime(value: string, zone: string): ResolvedWallTime {
  const m = LOCAL_INPUT.exec(value.trim());
  if (!m) return { kind: 'invalid' };
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(asUtc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return { kind: 'invalid' };
  }
  // The offsets in force around that day; each gives a candidate that is right if the zone agrees.
  const offsets = new Set([offsetMinutesAt(asUtc - 36 * 60 * MINUTE, zone), offsetMinutesAt(asUtc, zone), offsetMinutesAt(asUtc + 36 * 60 * MINUTE, zone)]);
  const options: WallTimeOption[] = [];
  for (const offset of offsets) {
    const instantMs = asUtc - offset * MINUTE;
    if (offsetMinutesAt(instantMs, zone) === offset) {
      options.push({ instant: new Date(instantMs), offset: formatOffset(offset), abbreviation: zoneAbbreviation(new Date(instantMs), zone) });
    }
  }
  options.sort((a, b) => a.instant.getTime() - b.instant.getTime());
  if (options.length === 0) return { kind: 'missing' };
  if (options.length === 1) return { kind: 'unique', ...options[0] };
  return { kind: 'ambiguous', options: [options[0], options[1]] };
}

/** The first instant of a local calendar day (`YYYY-MM-DD`) in the zone, as ISO 8601 with offset, for date filters. */
export function startOfLocalDay(date: string, zone: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  // Midnight can be skipped by DST (e.g. America/Santiago): take the first time that exists that day.
  for (let minutes = 0; minutes < 24 * 60; minutes += 30) {
    const r = resolveWallTime(`${date}T${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`, zone);
    if (r.kind === 'invalid') return null;
    if (r.kind === 'unique') return r.instant.toISOString();
    if (r.kind === 'ambiguous') return r.options[0].instant.toISOString();
  }
  return null;
}

/** The day after `YYYY-MM-DD`. */
export function nextDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** `3 d 4 h`, `5 h 10 min`, `12 min`: how long ago, for inbox ages. */
export function elapsed(fromMs: number, toMs: number): string {
  const minutes = Math.max(0, Math.floor((toMs - fromMs) / MINUTE));
  const days = Math.floor(minutes / (24 * 60));
  const hours = Math.floor((minutes % (24 * 60)) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes % 60} min`;
  return `${minutes} min`;
}
