/**
 * Instants are stored as UTC `Date`s; people see them in the facility's zone.
 * All zone arithmetic goes through Temporal so that DST gaps and overlaps are handled by the tz database.
 */
import { Temporal } from 'temporal-polyfill';
import { DomainError } from '../errors';
import { firstEndingAfter } from './spans';

export interface LocalTime {
  /** ISO 8601 with the zone's offset at that instant, seconds precision: `2017-02-01T06:00:00-08:00`. */
  localTime: string;
  timeZone: string;
  /** Abbreviation as Intl (en-US) gives it: `PST`, `EDT`; zones without one give e.g. `GMT+10`. */
  abbreviation: string;
}

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const WEEKDAY_ABBR = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const MONTH_ABBR = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/**
 * An IANA zone name exactly as the tz database spells it (`America/Los_Angeles`, `UTC`).
 * Fixed offsets such as `+05:00`, which Temporal also accepts, are refused: they know nothing of DST.
 */
export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone === '' || /^[+-]/.test(zone)) return false;
  if (knownZones.has(zone)) return true;
  try {
    const valid = Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(zone).timeZoneId === zone;
    if (valid) knownZones.add(zone);
    return valid;
  } catch {
    return false;
  }
}

const knownZones = new Set<string>();

/** Throws `invalid_input` on `field` unless `zone` is a valid IANA zone. */
export function assertTimeZone(zone: string, field = 'timeZone'): void {
  if (!isValidTimeZone(zone)) {
    throw DomainError.invalidInput(field, `'${zone}' is not an IANA time zone (e.g. America/Chicago)`);
  }
}

/** The instant as a Temporal value in `timeZone`. */
export function zoned(instant: Date, timeZone: string): Temporal.ZonedDateTime {
  assertTimeZone(timeZone);
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
}

export function fromZoned(zdt: Temporal.ZonedDateTime): Date {
  return new Date(zdt.epochMilliseconds);
}

/** Calendar date (`YYYY-MM-DD`) of the instant in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): string {
  assertTimeZone(timeZone);
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
  return new Date(ms + offsetSpanAt(ms, timeZone).offsetMs).toISOString().slice(0, 10);
}

/**
 * The instant a local wall-clock time (`YYYY-MM-DDTHH:mm:ss`) stands for in `timeZone`, as Temporal's
 * `compatible` disambiguation: a time skipped by DST moves later by the gap, a repeated one is its
 * first occurrence.
 */
export function wallClockInstant(local: string, timeZone: string): Date {
  assertTimeZone(timeZone);
  const wall = WALL_CLOCK.test(local) ? Date.parse(`${local}Z`) : Number.NaN;
  // (Date.parse takes 30 February for 2 March: only a time it gives back unchanged is a real one)
  if (!Number.isNaN(wall) && new Date(wall).toISOString().slice(0, 19) === local) {
    const guess = offsetSpanAt(wall, timeZone);
    const t = wall - offsetSpanAt(wall - guess.offsetMs, timeZone).offsetMs;
    const span = offsetSpanAt(t, timeZone);
    // Far from any change of offset, t is the only instant with this wall-clock time (offsets differ
    // by at most 26 hours): near one, Temporal decides.
    if (wall - span.offsetMs === t && span.from <= t - STEADY_MARGIN_MS && t + STEADY_MARGIN_MS < span.to) return new Date(t);
  }
  return new Date(Temporal.PlainDateTime.from(local).toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds);
}

const WALL_CLOCK = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const STEADY_MARGIN_MS = 30 * 3_600_000;

/** A stretch of time in which a zone's UTC offset does not change: from inclusive, to exclusive. */
interface OffsetSpan {
  from: number;
  to: number;
  offsetMs: number;
}

/**
 * Spans already worked out, per zone, ordered by start. The tz database changes a zone's offset a
 * few times a year at most, so a bulk import's millions of conversions look up a few dozen spans
 * instead of asking Temporal each time.
 */
const offsetSpans = new Map<string, OffsetSpan[]>();
const OFFSET_SPANS_PER_ZONE = 10_000;

function offsetSpanAt(ms: number, timeZone: string): OffsetSpan {
  let spans = offsetSpans.get(timeZone);
  if (!spans) offsetSpans.set(timeZone, (spans = []));
  const lo = firstEndingAfter(spans, ms, (span) => span.to);
  const found = spans[lo];
  if (found && found.from <= ms) return found;
  const zdt = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
  // the last change at or before ms (Temporal's 'previous' is strictly before), the first after it
  const since = Temporal.Instant.fromEpochMilliseconds(ms + 1).toZonedDateTimeISO(timeZone).getTimeZoneTransition('previous');
  const span = {
    from: since?.epochMilliseconds ?? Number.NEGATIVE_INFINITY,
    to: zdt.getTimeZoneTransition('next')?.epochMilliseconds ?? Number.POSITIVE_INFINITY,
    offsetMs: zdt.offsetNanoseconds / 1_000_000,
  };
  if (spans.length < OFFSET_SPANS_PER_ZONE) spans.splice(lo, 0, span);
  return span;
}

/** Parses a `YYYY-MM-DD` calendar date; throws `invalid_input` on `field` when malformed or impossible. */
export function parseLocalDate(input: string, field: string): Temporal.PlainDate {
  if (typeof input === 'string' && LOCAL_DATE.test(input)) {
    try {
      return Temporal.PlainDate.from(input, { overflow: 'reject' });
    } catch {
      // falls through to the error below
    }
  }
  throw DomainError.invalidInput(field, `${field} must be a calendar date YYYY-MM-DD; got '${clip(input)}'`);
}

/** Start (first instant) of a local calendar day; a day whose midnight is skipped by DST starts when the gap ends. */
export function startOfLocalDay(date: Temporal.PlainDate, timeZone: string): Date {
  return fromZoned(date.toZonedDateTime({ timeZone }));
}

const abbreviationFormats = new Map<string, Intl.DateTimeFormat>();

function abbreviation(instant: Date, timeZone: string): string {
  let format = abbreviationFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' });
    abbreviationFormats.set(timeZone, format);
  }
  return format.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

export function toLocal(instant: Date, timeZone: string): LocalTime {
  const zdt = zoned(instant, timeZone);
  return {
    localTime: zdt.toString({ smallestUnit: 'second', timeZoneName: 'never' }),
    timeZone,
    abbreviation: abbreviation(instant, timeZone),
  };
}

/** For human messages: `Wed 1 Feb 2017 06:00 PST (America/Los_Angeles)`. */
export function formatLocal(instant: Date, timeZone: string): string {
  const z = zoned(instant, timeZone);
  const hhmm = `${pad2(z.hour)}:${pad2(z.minute)}`;
  return `${WEEKDAY_ABBR[z.dayOfWeek - 1]} ${z.day} ${MONTH_ABBR[z.month - 1]} ${z.year} ${hhmm} ${abbreviation(instant, timeZone)} (${timeZone})`;
}

/**
 * Parses an ISO 8601 date-time. With `Z` or an offset it is that instant. Without one it is a local
 * wall-clock time, accepted only when `timeZone` is given and the time occurs exactly once there:
 * a time skipped by a DST change (spring forward) or repeated by one (fall back) is rejected and the
 * caller is asked for the offset, rather than guessing which instant was meant.
 */
export function parseInstant(input: string, field: string, timeZone?: string): Date {
  const match = typeof input === 'string' ? ISO_DATE_TIME.exec(input.trim()) : null;
  if (!match) {
    throw DomainError.invalidInput(
      field,
      `${field} must be an ISO 8601 date-time with an offset, such as 2017-02-01T06:00:00-08:00 or 2017-02-01T14:00:00Z; got '${clip(input)}'`,
    );
  }
  const [, date, time, offset] = match;
  if (offset !== undefined) {
    try {
      return new Date(Temporal.Instant.from(`${date}T${time}${offset.toUpperCase()}`).epochMilliseconds);
    } catch {
      throw DomainError.invalidInput(field, `${field} is not a valid date-time: '${clip(input)}'`);
    }
  }
  if (timeZone === undefined) {
    throw DomainError.invalidInput(
      field,
      `${field} '${clip(input)}' has no UTC offset; give one, e.g. ${date}T${time}-05:00, or ${date}T${time}Z for UTC`,
    );
  }
  assertTimeZone(timeZone);
  let local: Temporal.PlainDateTime;
  try {
    local = Temporal.PlainDateTime.from(`${date}T${time}`, { overflow: 'reject' });
  } catch {
    throw DomainError.invalidInput(field, `${field} is not a valid date-time: '${clip(input)}'`);
  }
  const earlier = local.toZonedDateTime(timeZone, { disambiguation: 'earlier' });
  const later = local.toZonedDateTime(timeZone, { disambiguation: 'later' });
  if (!earlier.toPlainDateTime().equals(local)) {
    throw DomainError.invalidInput(
      field,
      `${field} ${local.toString()} does not exist in ${timeZone}: the clocks skip it at a time change (daylight-saving time begins). Give the UTC offset explicitly.`,
    );
  }
  if (earlier.epochMilliseconds !== later.epochMilliseconds) {
    const first = earlier.toString({ timeZoneName: 'never' });
    const second = later.toString({ timeZoneName: 'never' });
    throw DomainError.invalidInput(
      field,
      `${field} ${local.toString()} occurs twice in ${timeZone}: the clocks repeat it at a time change (daylight-saving time ends). Give the UTC offset: ${first} (first) or ${second} (second).`,
    );
  }
  return fromZoned(earlier);
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function clip(input: unknown): string {
  const s = String(input);
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}
