/**
 * Report weeks: 7 calendar days in a configured zone, from a configured weekday and hour.
 * Because the days are local, a week spanning a DST change lasts 167 or 169 elapsed hours.
 */
import { Temporal } from 'temporal-polyfill';
import { DomainError } from '../errors';
import { assertTimeZone, fromZoned, parseLocalDate, zoned } from './local-time';
import { firstEndingAfter } from './spans';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface WeekConfig {
  startDay: Weekday;
  /** 0-23, local. */
  startHour: number;
  timeZone: string;
}

/** As the 2017 Declined Detainer Outcome Reports: Saturday 00:00, US Eastern. */
export const DEFAULT_WEEK_CONFIG: WeekConfig = { startDay: 'saturday', startHour: 0, timeZone: 'America/New_York' };

export interface ReportWeek {
  /** Local date the week starts on (YYYY-MM-DD): the report's id. */
  weekStart: string;
  /** Local date of the week's last day, inclusive. */
  weekEnd: string;
  start: Date;
  /** Exclusive: the next week's `start`. */
  end: Date;
  timeZone: string;
}

/** Problems with a week configuration, as messages (empty when valid). */
export function weekConfigProblems(cfg: WeekConfig): string[] {
  const problems: string[] = [];
  if (!WEEKDAYS.includes(cfg.startDay)) problems.push(`startDay must be one of ${WEEKDAYS.join(', ')}`);
  if (!Number.isInteger(cfg.startHour) || cfg.startHour < 0 || cfg.startHour > 23) problems.push('startHour must be an integer from 0 to 23');
  try {
    assertTimeZone(cfg.timeZone);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    problems.push(e.message);
  }
  return problems;
}

function assertConfig(cfg: WeekConfig): void {
  const problems = weekConfigProblems(cfg);
  if (problems.length) throw new RangeError(`Invalid week configuration: ${problems.join('; ')}`);
}

/**
 * The instant a week starting on `date` begins: `startHour` local. If that hour is skipped by a DST
 * change the week starts at the first instant after the gap; if it occurs twice, at the first occurrence.
 */
function weekStartInstant(date: Temporal.PlainDate, cfg: WeekConfig): Date {
  const local = date.toPlainDateTime({ hour: cfg.startHour });
  const earlier = local.toZonedDateTime(cfg.timeZone, { disambiguation: 'earlier' });
  if (earlier.toPlainDateTime().equals(local)) return fromZoned(earlier);
  const gapEnd = earlier.getTimeZoneTransition('next');
  if (!gapEnd) throw new Error(`No time zone transition after ${earlier.toString()}`);
  return fromZoned(gapEnd);
}

function weekFrom(date: Temporal.PlainDate, cfg: WeekConfig): ReportWeek {
  return {
    weekStart: date.toString(),
    weekEnd: date.add({ days: 6 }).toString(),
    start: weekStartInstant(date, cfg),
    end: weekStartInstant(date.add({ days: 7 }), cfg),
    timeZone: cfg.timeZone,
  };
}

function startDayNumber(cfg: WeekConfig): number {
  return WEEKDAYS.indexOf(cfg.startDay) + 1; // Temporal: Monday = 1
}

/**
 * Weeks already worked out, per configuration: ordered by start, and by id. Weeks do not overlap, so
 * the one whose span holds an instant is its week; the federal release import asks for the same few
 * hundred weeks once or twice per row, and each answer costs dozens of time-zone calculations.
 */
interface KnownWeeks {
  byStart: ReportWeek[];
  byId: Map<string, ReportWeek>;
}
const knownWeeks = new Map<string, KnownWeeks>();
const KNOWN_WEEKS_PER_CONFIG = 20_000;

function knownWeeksOf(cfg: WeekConfig): KnownWeeks {
  const key = `${cfg.startDay} ${cfg.startHour} ${cfg.timeZone}`;
  let known = knownWeeks.get(key);
  if (!known) {
    assertConfig(cfg);
    known = { byStart: [], byId: new Map() };
    knownWeeks.set(key, known);
  }
  return known;
}

const endOf = (week: ReportWeek): number => week.end.getTime();

function remember(known: KnownWeeks, week: ReportWeek): void {
  if (known.byId.size >= KNOWN_WEEKS_PER_CONFIG || known.byId.has(week.weekStart)) return;
  known.byStart.splice(firstEndingAfter(known.byStart, week.start.getTime(), endOf), 0, week);
  known.byId.set(week.weekStart, week);
}

/** A copy: the dates of a known week must not be changed by a caller. */
const copyOf = (week: ReportWeek): ReportWeek => ({ ...week, start: new Date(week.start.getTime()), end: new Date(week.end.getTime()) });

/** The week containing `instant` (start inclusive, end exclusive). */
export function weekContaining(instant: Date, cfg: WeekConfig = DEFAULT_WEEK_CONFIG): ReportWeek {
  const known = knownWeeksOf(cfg);
  const t = instant.getTime();
  const found = known.byStart[firstEndingAfter(known.byStart, t, endOf)];
  if (found && found.start.getTime() <= t) return copyOf(found);
  const week = computeWeekContaining(instant, cfg);
  remember(known, week);
  return copyOf(week);
}

function computeWeekContaining(instant: Date, cfg: WeekConfig): ReportWeek {
  const date = zoned(instant, cfg.timeZone).toPlainDate();
  let start = date.subtract({ days: (date.dayOfWeek - startDayNumber(cfg) + 7) % 7 });
  if (instant.getTime() < weekStartInstant(start, cfg).getTime()) start = start.subtract({ days: 7 });
  return weekFrom(start, cfg);
}

/** The week whose id is `localDate`; `invalid_input` on `weekStart` when malformed or not the configured weekday. */
export function weekStartingOn(localDate: string, cfg: WeekConfig = DEFAULT_WEEK_CONFIG): ReportWeek {
  const known = knownWeeksOf(cfg);
  const found = known.byId.get(localDate);
  if (found) return copyOf(found);
  const date = parseLocalDate(localDate, 'weekStart');
  if (date.dayOfWeek !== startDayNumber(cfg)) {
    const actual = WEEKDAYS[date.dayOfWeek - 1];
    throw DomainError.invalidInput('weekStart', `weekStart ${localDate} is a ${capitalise(actual)}; report weeks start on ${capitalise(cfg.startDay)}`);
  }
  const week = weekFrom(date, cfg);
  remember(known, week);
  return copyOf(week);
}

export function nextWeek(week: ReportWeek, cfg: WeekConfig = DEFAULT_WEEK_CONFIG): ReportWeek {
  return weekStartingOn(Temporal.PlainDate.from(week.weekStart).add({ days: 7 }).toString(), cfg);
}

export function previousWeek(week: ReportWeek, cfg: WeekConfig = DEFAULT_WEEK_CONFIG): ReportWeek {
  return weekStartingOn(Temporal.PlainDate.from(week.weekStart).subtract({ days: 7 }).toString(), cfg);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
