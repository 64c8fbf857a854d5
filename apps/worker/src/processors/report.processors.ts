import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { ReportCalendar, RollUpMarkedWeeks, RollUpWeek } from '@app/application';
import { AppConfig } from '@app/config';
import { DomainError, WEEKDAYS } from '@app/domain';
import { JobHandler, JobPayloads } from '@app/queue';

/**
 * Cron for the weekly roll-up: five minutes after each report week closes, in the report's zone
 * (cron weekdays: Sunday 0 ... Saturday 6).
 */
export function weeklyRollupSchedule(config: AppConfig): { pattern: string; tz: string } {
  const cronDay = (WEEKDAYS.indexOf(config.report.weekStart) + 1) % 7;
  return { pattern: `5 ${config.report.weekStartHour} * * ${cronDay}`, tz: config.report.timeZone };
}

/** The weekly roll-up: the week that just closed, then any weeks changes touched. Idempotent. */
@Injectable()
export class ReportRollupProcessor implements JobHandler<'report.rollup'> {
  readonly jobName = 'report.rollup' as const;
  private readonly logger = new Logger('ReportRollup');

  constructor(
    private readonly calendar: ReportCalendar,
    private readonly rollUpWeek: RollUpWeek,
    private readonly rollUpMarkedWeeks: RollUpMarkedWeeks,
  ) {}

  async handle(payload: JobPayloads['report.rollup']): Promise<void> {
    const weekStart = payload.weekStart ?? this.calendar.lastClosedWeek().weekStart;
    try {
      this.calendar.week(weekStart);
    } catch (error) {
      // A malformed week will never succeed: do not retry it.
      if (error instanceof DomainError) throw new UnrecoverableError(error.message);
      throw error;
    }
    const result = await this.rollUpWeek.execute(weekStart);
    const rerolled = await this.rollUpMarkedWeeks.execute();
    this.logger.log({ ...result, rerolled }, 'weekly roll-up done');
  }
}

/** Every minute: re-roll closed weeks that late or corrected records touched (the database says which). */
@Injectable()
export class ReportRerollProcessor implements JobHandler<'report.reroll'> {
  readonly jobName = 'report.reroll' as const;
  private readonly logger = new Logger('ReportReroll');

  constructor(private readonly rollUpMarkedWeeks: RollUpMarkedWeeks) {}

  async handle(): Promise<void> {
    const weeks = await this.rollUpMarkedWeeks.execute();
    if (weeks.length) this.logger.log({ weeks }, 'report weeks re-rolled');
  }
}
