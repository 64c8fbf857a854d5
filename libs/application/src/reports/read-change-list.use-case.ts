import { Injectable } from '@nestjs/common';
import { ChangeList, DomainError } from '@app/domain';
import { Database, ReportChangesRepository, ReportVersionsRepository } from '@app/persistence';
import { ReportCalendar } from './report-calendar';

/** The change list a version was published with: what changed since the previous version, and why. */
@Injectable()
export class ReadChangeList {
  constructor(
    private readonly db: Database,
    private readonly calendar: ReportCalendar,
    private readonly versions: ReportVersionsRepository,
    private readonly changes: ReportChangesRepository,
  ) {}

  async execute(weekStart: string, version: number): Promise<ChangeList> {
    this.calendar.week(weekStart);
    return this.db.read(async (sql) => {
      const v = await this.versions.version(sql, weekStart, version);
      if (!v) throw new DomainError('not_found', `The week of ${weekStart} has no version ${version}.`);
      const stored = await this.changes.changes(sql, v.id);
      return stored!.changes;
    });
  }
}
