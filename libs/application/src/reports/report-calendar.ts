import { Inject, Injectable } from '@nestjs/common';
import { previousWeek, ReportWeek, weekContaining, WeekConfig, weekStartingOn } from '@app/domain';
import { APP_CONFIG, AppConfig } from '@app/config';
import { Clock } from '../clock';
import { weekConfigOf } from './week-config';

/** Report weeks as configured: a week by its start, the week in progress, the last closed one. */
@Injectable()
export class ReportCalendar {
  constructor(
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get weekConfig(): WeekConfig {
    return weekConfigOf(this.config);
  }

  week(weekStart: string): ReportWeek {
    return weekStartingOn(weekStart, this.weekConfig);
  }

  /** The week `now` falls in (still open). */
  currentWeek(now = this.clock.now()): ReportWeek {
    return weekContaining(now, this.weekConfig);
  }

  /** The week that closed most recently before `now`. */
  lastClosedWeek(now = this.clock.now()): ReportWeek {
    return previousWeek(weekContaining(now, this.weekConfig), this.weekConfig);
  }
}
