import { Injectable } from '@nestjs/common';
import { DomainError, publicationBlockers } from '@app/domain';
import { Database, ReportRollUpRepository, ReportVersionsRepository, ReportWeeksRepository } from '@app/persistence';
import { Clock } from '../clock';
import { Principal } from '../principal';
import { ReportCalendar } from './report-calendar';
import { ReportRenderer } from './report-renderer';
import { ReportTrend } from './report-trend';
import { ReportVersionWriter } from './report-version-writer';
import { contentHashOf, nationally, WeeklyReport } from './weekly-report';

/** A supervisor freezes a closed week's current figures as the next version (or gets the latest back when nothing changed). */
@Injectable()
export class PublishReport {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly calendar: ReportCalendar,
    private readonly weeks: ReportWeeksRepository,
    private readonly rollUps: ReportRollUpRepository,
    private readonly versions: ReportVersionsRepository,
    private readonly renderer: ReportRenderer,
    private readonly trend: ReportTrend,
    private readonly versionWriter: ReportVersionWriter,
  ) {}

  async execute(principal: Principal, weekStart: string): Promise<{ created: boolean; report: WeeklyReport }> {
    if (principal.role !== 'supervisor') throw new DomainError('forbidden', 'Only a supervisor publishes the weekly report.');
    const week = this.calendar.week(weekStart);
    const now = this.clock.now();
    if (week.end.getTime() > now.getTime()) {
      throw new DomainError('invalid_transition', `The week of ${weekStart} is still open until ${week.end.toISOString()}; publish it once it has closed.`, {
        state: 'open', action: 'publish', allowedActions: [],
      });
    }
    const trend = await this.trend.endingWith(week);
    return nationally(() => this.db.transaction(async (sql) => {
      const locked = await this.weeks.lockWeek(sql, week);
      await this.rollUps.rollUp(sql, week, locked, now);
      const body = await this.renderer.render(sql, week, trend);
      const blockers = publicationBlockers(body);
      if (blockers.length > 0) {
        throw new DomainError('invalid_transition', `Reconciliation flags must be confirmed by a supervisor before publishing: ${blockers.join('; ')}.`, {
          state: 'reconciliation_flagged', action: 'publish', allowedActions: ['confirm_reconciliation'], blockers,
        });
      }
      const latest = await this.versions.version(sql, weekStart, 'latest');
      if (latest && latest.contentHash === contentHashOf(body)) return { created: false, report: latest.report };
      const version = await this.versionWriter.publishNext(sql, week, body, latest, principal.id, now);
      return { created: true, report: version.report };
    }));
  }
}
