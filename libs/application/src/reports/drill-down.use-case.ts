import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/domain';
import { ContributionRow, Database, DrillDownFilter, Page, ReportDrillDownRepository, ReportVersionsRepository } from '@app/persistence';
import { detainerScopeOf, Principal } from '../principal';
import { ReportCalendar } from './report-calendar';
import { RollUpWeek } from './roll-up-week.use-case';
import { assertMayReadLive, nationally, VersionSelector } from './weekly-report';

/**
 * The detainers behind a count, scoped to what the caller may read. Analysts follow the counts of a
 * published version to its cases nationally, like the report itself; the caller strips them to the
 * de-identified columns (mayReadIdentity).
 */
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
    if (principal.role === 'analyst') {
      if (selector === 'live') throw new DomainError('forbidden', 'Analysts follow the counts of published versions only; live figures are for supervisors and admins.');
      return nationally(() => this.db.read(async (sql) => {
        const v = await this.versions.version(sql, weekStart, selector);
        if (!v) throw new DomainError('not_found', `The week of ${weekStart} has no published version ${selector}.`);
        return this.drillDowns.contributions(sql, weekStart, v.id, filter, { kind: 'all' }, page);
      }));
    }
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
