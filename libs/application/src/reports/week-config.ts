import { WeekConfig } from '@app/domain';
import { AppConfig } from '@app/config';

/** Report weeks as configured (REPORT_WEEK_START, REPORT_WEEK_START_HOUR, REPORT_TIME_ZONE). */
export function weekConfigOf(config: AppConfig): WeekConfig {
  return { startDay: config.report.weekStart, startHour: config.report.weekStartHour, timeZone: config.report.timeZone };
}
