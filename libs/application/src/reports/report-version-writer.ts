import { Injectable } from '@nestjs/common';
import { PublishedReport, ReportWeek, WeeklyReportBody } from '@app/domain';
import { ReportChangesRepository, ReportVersionsRepository, Sql, VersionRow } from '@app/persistence';
import { ChangeListBuilder } from './change-list';
import { contentHashOf } from './weekly-report';

/**
 * Freezes a report body as the week's next version, with its change list. Publishing by a supervisor
 * and a correction published by the roll-up both come through here, inside the caller's transaction.
 */
@Injectable()
export class ReportVersionWriter {
  constructor(
    private readonly versions: ReportVersionsRepository,
    private readonly changes: ReportChangesRepository,
    private readonly changeLists: ChangeListBuilder,
  ) {}

  async publishNext(sql: Sql, week: ReportWeek, body: WeeklyReportBody, latest: VersionRow | null, publishedBy: string | null, now: Date): Promise<VersionRow> {
    const number = (latest?.version ?? 0) + 1;
    const report: PublishedReport = {
      ...body,
      version: number,
      status: 'published',
      publishedAt: now.toISOString(),
      publishedBy: publishedBy ? 'supervisor' : 'system',
    };
    const changes = latest ? await this.changeLists.since(sql, week, latest, body, number, now) : this.changeLists.first(week, number, now);
    const inserted = await this.versions.insertVersion(sql, { weekStart: week.weekStart, version: number, publishedAt: now, publishedBy, report, contentHash: contentHashOf(body) });
    await this.changes.insertChanges(sql, inserted.id, latest?.version ?? null, changes);
    return inserted;
  }
}
