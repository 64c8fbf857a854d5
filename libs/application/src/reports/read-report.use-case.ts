import { Injectable } from '@nestjs/common';
import { DomainError, publicationBlockers } from '@app/domain';
import { Database, ReportVersionsRepository } from '@app/persistence';
import { Clock } from '../clock';
import { Principal } from '../principal';
import { ReportCalendar } from './report-calendar';
import { ReportRenderer } from './report-renderer';
import { ReportTrend } from './report-trend';
import { RollUpWeek } from './roll-up-week.use-case';
import { assertMayReadLive, nationally, VersionSelector, WeeklyReport } from './weekly-report';

/** Reads a week's report: a published version (anyone), or the live figures (supervisors and admins). */
@Injectable()
export class ReadReport {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly calendar: ReportCalendar,
    private readonly versions: ReportVersionsRepository,
    private readonly renderer: ReportRenderer,
    private readonly trend: ReportTrend,
    private readonly rollUpWeek: RollUpWeek,
  ) {}

  async execute(principal: Principal | null, weekStart: string, selector: VersionSelector): Promise<WeeklyReport> {
    const week = this.calendar.week(weekStart);
    if (selector === 'live') {
      assertMayReadLive(principal);
      await this.rollUpWeek.ensureRolled(weekStart);
      const trend = await this.trend.endingWith(week);
      return nationally(() => this.db.read(async (sql) => {
        const body = await this.renderer.render(sql, week, trend);
        const blockers = publicationBlockers(body);
        const latest = await this.versions.version(sql, weekStart, 'latest');
        return {
          ...body,
          version: 'live',
          status: 'live',
          closed: week.end.getTime() <= this.clock.now().getTime(),
          publishable: { ok: blockers.length === 0 && week.end.getTime() <= this.clock.now().getTime(), blockers },
          latestPublishedVersion: latest?.version ?? null,
        };
      }));
    }
    const version = await this.db.read((sql) => this.versions.version(sql, weekStart, selector));
    if (!version) {
      throw new DomainError('not_found', selector === 'latest' ? `The week of ${weekStart} has no published version yet.` : `The week of ${weekStart} has no version ${selector}.`);
    }
    return version.report;
  }
}
