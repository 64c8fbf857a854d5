import { Injectable } from '@nestjs/common';
import { previousWeek, ReportWeek } from '@app/domain';
import { Database, ReportContentRepository } from '@app/persistence';
import { ReportCalendar } from './report-calendar';
import { RollUpWeek } from './roll-up-week.use-case';
import { TrendPoint } from './weekly-report';

/** How many weeks the trend line covers, ending with the report's week. */
const TREND_WEEKS = 12;

/** Nationwide issued and declined for the 12 weeks ending with a week (rolling any week not yet rolled). */
@Injectable()
export class ReportTrend {
  constructor(
    private readonly db: Database,
    private readonly calendar: ReportCalendar,
    private readonly content: ReportContentRepository,
    private readonly rollUpWeek: RollUpWeek,
  ) {}

  async endingWith(week: ReportWeek): Promise<TrendPoint[]> {
    const weeks: ReportWeek[] = [week];
    while (weeks.length < TREND_WEEKS) weeks.unshift(previousWeek(weeks[0], this.calendar.weekConfig));
    for (const w of weeks.slice(0, -1)) await this.rollUpWeek.ensureRolled(w.weekStart);
    const totals = await this.db.read((sql) => this.content.totalsOf(sql, weeks.map((w) => w.weekStart)));
    return weeks.map((w) => ({ weekStart: w.weekStart, ...(totals.get(w.weekStart) ?? { issued: 0, declined: 0 }) }));
  }
}
