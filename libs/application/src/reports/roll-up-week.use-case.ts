import { Injectable, Logger } from '@nestjs/common';
import { publicationBlockers } from '@app/domain';
import { Database, ReportRollUpRepository, ReportVersionsRepository, ReportWeekRow, ReportWeeksRepository } from '@app/persistence';
import { Clock } from '../clock';
import { ReportCalendar } from './report-calendar';
import { ReportRenderer } from './report-renderer';
import { ReportVersionWriter } from './report-version-writer';
import { contentHashOf, nationally } from './weekly-report';

/** The roll-up of one week from the stored contributions, under the week's lock. */
@Injectable()
export class RollUpWeek {
  private readonly logger = new Logger('WeeklyReport');

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly calendar: ReportCalendar,
    private readonly weeks: ReportWeeksRepository,
    private readonly rollUps: ReportRollUpRepository,
    private readonly versions: ReportVersionsRepository,
    private readonly renderer: ReportRenderer,
    private readonly versionWriter: ReportVersionWriter,
  ) {}

  /**
   * Rolls one week up from the projection. Idempotent: a second run gives the same rows. When the
   * week was published and its figures changed, publishes the correction as the next version, unless
   * an unconfirmed reconciliation flag blocks it (a supervisor then publishes).
   */
  async execute(weekStart: string): Promise<{ weekStart: string; contributions: number; newVersion: number | null }> {
    const week = this.calendar.week(weekStart);
    return nationally(() => this.db.transaction(async (sql) => {
      const locked = await this.weeks.lockWeek(sql, week);
      const now = this.clock.now();
      const { contributions } = await this.rollUps.rollUp(sql, week, locked, now);
      let newVersion: number | null = null;
      // a week never published has no version to correct: no need to read one
      const latest = locked.published ? await this.versions.version(sql, weekStart, 'latest') : null;
      if (latest) {
        const body = await this.renderer.render(sql, week, latest.report.trend);
        if (contentHashOf(body) !== latest.contentHash && publicationBlockers(body).length === 0) {
          newVersion = (await this.versionWriter.publishNext(sql, week, body, latest, null, now)).version;
          this.logger.log({ weekStart, version: newVersion }, 'correction published as a new version');
        }
      }
      return { weekStart, contributions, newVersion };
    }));
  }

  /** Rolls a week if it was never rolled or a change touched it since. */
  async ensureRolled(weekStart: string): Promise<ReportWeekRow> {
    const row = await this.db.read((sql) => this.weeks.findWeek(sql, weekStart));
    if (row && !row.dirty && row.rolledAt) return row;
    await this.execute(weekStart);
    return (await this.db.read((sql) => this.weeks.findWeek(sql, weekStart)))!;
  }
}
