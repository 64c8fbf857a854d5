import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/domain';
import { ContributionRow, Database, DrillDownFilter, Page, ReportDrillDownRepository, ReportVersionsRepository } from '@app/persistence';
import { detainerScopeOf, Principal } from '../principal';
import { ReportCalendar } from './report-calendar';
import { RollUpWeek } from './roll-up-week.use-case';
import { assertMayReadLive, VersionSelector } from './weekly-report';

/** The detainers behind a count, scoped to what the caller may read. Analysts have no drill-down. */
@Injectable()
export class DrillDownReport {
  constructor(
    private readonly db: Database,
    private readonly calendar: ReportCalendar,
    private readonly versions: ReportVersionsRepository,
    private readonly drillDowns: ReportDrillDownRepository,
    private readonly rollUpWeek: RollUpWeek,
  ) {}

  async execute(principal: Principal, weekStart: string, selector: VersionSelector, filter: DrillDownFilter, page: { limit: number; cursor?: string }): Promise<Page<ContributionRow>> {
    this.calendar.week(weekStart);
    const scope = detainerScopeOf(principal);
    if (selector === 'live') {
      assertMayReadLive(principal);
      await this.rollUpWeek.ensureRolled(weekStart);
      return this.db.read((sql) => this.drillDowns.contributions(sql, weekStart, null, filter, scope, page));
    }
    return this.db.read(async (sql) => {
      const v = await this.versions.version(sql, weekStart, selector);
      if (!v) throw new DomainError('not_found', `The week of ${weekStart} has no published version ${selector}.`);
      return this.drillDowns.contributions(sql, weekStart, v.id, filter, scope, page);
    });
  }
}
