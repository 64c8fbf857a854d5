import { FORM_RULES } from '../detainer/forms';
import type { DetainerForm } from '../detainer/types';
import { isBusinessDay } from './federal-holidays';
import { startOfLocalDay, zoned } from './local-time';

export const NOTICE_HOURS = 48;
export const HOLD_HOURS = 48;

const HOUR_MS = 3_600_000;

/** `hours` of elapsed time after `instant`: a daylight-saving change in between does not matter. */
export function addElapsedHours(instant: Date, hours: number): Date {
  return new Date(instant.getTime() + hours * HOUR_MS);
}

/**
 * When a hold started at `since` must end. From 2015 on, `since` + 48 elapsed hours. For the pre-2015
 * I-247 only time falling on local business days in the facility's zone counts (no Saturdays, Sundays
 * or federal holidays): a hold from Friday 17:00 before a Monday holiday ends Wednesday 17:00, and
 * one starting on a non-business day starts counting at the next business day's 00:00. Time is
 * counted as elapsed time within each business day, so a day shortened or lengthened by a DST change
 * contributes 23 or 25 hours.
 */
export function holdExpiresAt(form: DetainerForm, since: Date, timeZone: string): Date {
  if (!FORM_RULES[form].holdExcludesNonBusinessDays) return addElapsedHours(since, HOLD_HOURS);
  let remaining = HOLD_HOURS * HOUR_MS;
  let cursor = since.getTime();
  let day = zoned(since, timeZone).toPlainDate();
  for (;;) {
    const next = day.add({ days: 1 });
    const dayEnd = startOfLocalDay(next, timeZone).getTime();
    if (isBusinessDay(day.toString())) {
      const available = dayEnd - cursor;
      if (remaining <= available) return new Date(cursor + remaining);
      remaining -= available;
    }
    cursor = dayEnd;
    day = next;
  }
}

/** Hours between the system learning of a release and the release itself, 2 decimals; negative when learned late. */
export function noticeLeadHours(releaseAt: Date, recordedAt: Date): number {
  const hours = (releaseAt.getTime() - recordedAt.getTime()) / HOUR_MS;
  const rounded = Math.sign(hours) * (Math.round(Math.abs(hours) * 100) / 100);
  return rounded === 0 ? 0 : rounded; // never -0
}

/** Less than 48 hours' notice: a flag for the office, never a decline. */
export function isShortNotice(leadHours: number): boolean {
  return leadHours < NOTICE_HOURS;
}
