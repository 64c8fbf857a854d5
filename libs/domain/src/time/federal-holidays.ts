/**
 * U.S. federal holidays (5 U.S.C. 6103) as observed by federal offices: a holiday falling on a
 * Saturday is observed the Friday before, on a Sunday the Monday after.
 * Rules are those of the Uniform Monday Holiday Act (in force from 1971), with Veterans Day on the
 * fourth Monday of October in 1971-1977, MLK Day from 1986 and Juneteenth from 2021.
 * Earlier years are computed with the 1971 rules. One-off closures by executive order (e.g. some
 * Christmas Eves) are not included.
 */
import { Temporal } from 'temporal-polyfill';
import { parseLocalDate } from './local-time';

export interface FederalHoliday {
  /** The observed date (YYYY-MM-DD): the day federal offices are closed. */
  date: string;
  name: string;
  /** True when `date` differs from the legal date because that fell on a weekend. */
  observed: boolean;
}

const MONDAY = 1;
const THURSDAY = 4;

/**
 * The holidays of `year` (by their legal date), each with its observed date. The observed date can
 * fall in the previous year: New Year's Day 2022 (a Saturday) is observed on Friday 2021-12-31.
 */
export function federalHolidays(year: number): FederalHoliday[] {
  if (!Number.isInteger(year) || year < 1 || year > 9999) throw new RangeError(`Invalid year: ${year}`);
  const list: FederalHoliday[] = [];
  const fixed = (name: string, month: number, day: number): void => {
    const legal = Temporal.PlainDate.from({ year, month, day });
    const shift = legal.dayOfWeek === 6 ? -1 : legal.dayOfWeek === 7 ? 1 : 0;
    list.push({ date: legal.add({ days: shift }).toString(), name, observed: shift !== 0 });
  };
  const floating = (name: string, date: Temporal.PlainDate): void => {
    list.push({ date: date.toString(), name, observed: false });
  };

  fixed("New Year's Day", 1, 1);
  if (year >= 1986) floating('Birthday of Martin Luther King, Jr.', nthWeekday(year, 1, MONDAY, 3));
  floating("Washington's Birthday", nthWeekday(year, 2, MONDAY, 3));
  floating('Memorial Day', lastWeekday(year, 5, MONDAY));
  if (year >= 2021) fixed('Juneteenth National Independence Day', 6, 19);
  fixed('Independence Day', 7, 4);
  floating('Labor Day', nthWeekday(year, 9, MONDAY, 1));
  floating('Columbus Day', nthWeekday(year, 10, MONDAY, 2));
  if (year >= 1971 && year <= 1977) floating('Veterans Day', nthWeekday(year, 10, MONDAY, 4));
  else fixed('Veterans Day', 11, 11);
  floating('Thanksgiving Day', nthWeekday(year, 11, THURSDAY, 4));
  fixed('Christmas Day', 12, 25);
  return list;
}

const holidayCache = new Map<number, Map<string, string>>();

/** Observed and legal dates of the holidays whose legal date is in `year` -> name. */
function holidayDates(year: number): Map<string, string> {
  let dates = holidayCache.get(year);
  if (!dates) {
    dates = new Map();
    for (const h of federalHolidays(year)) {
      dates.set(h.date, h.name);
    }
    holidayCache.set(year, dates);
  }
  return dates;
}

/**
 * The federal holiday observed on `localDate`, if any. Looks at next year's list too, so that
 * Friday 2021-12-31 (New Year's Day 2022 observed) is found.
 */
export function federalHolidayOn(localDate: string): string | undefined {
  const date = parseLocalDate(localDate, 'date');
  return holidayDates(date.year).get(localDate) ?? (date.year < 9999 ? holidayDates(date.year + 1).get(localDate) : undefined);
}

/** True on an observed federal holiday (see `federalHolidayOn`). */
export function isFederalHoliday(localDate: string): boolean {
  return federalHolidayOn(localDate) !== undefined;
}

/** Monday to Friday and not an observed federal holiday. */
export function isBusinessDay(localDate: string): boolean {
  const date = parseLocalDate(localDate, 'date');
  return date.dayOfWeek <= 5 && !isFederalHoliday(localDate);
}

function nthWeekday(year: number, month: number, weekday: number, n: number): Temporal.PlainDate {
  const first = Temporal.PlainDate.from({ year, month, day: 1 });
  return first.add({ days: ((weekday - first.dayOfWeek + 7) % 7) + (n - 1) * 7 });
}

function lastWeekday(year: number, month: number, weekday: number): Temporal.PlainDate {
  const last = Temporal.PlainDate.from({ year, month, day: 1 }).add({ months: 1 }).subtract({ days: 1 });
  return last.subtract({ days: (last.dayOfWeek - weekday + 7) % 7 });
}
