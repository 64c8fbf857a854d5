import { Injectable } from '@nestjs/common';
import { ChangeList, diffReports, RecordChange, ReportWeek, WeeklyReportBody } from '@app/domain';
import { ContributionChange, ReportChangesRepository, Sql, VersionRow } from '@app/persistence';
import { publicDetail } from './public-event-detail';

/** Builds the change list a new version is published with. */
@Injectable()
export class ChangeListBuilder {
  constructor(private readonly changes: ReportChangesRepository) {}

  first(week: ReportWeek, number: number, now: Date): ChangeList {
    return { weekStart: week.weekStart, version: number, previousVersion: null, publishedAt: now.toISOString(), summary: 'First publication of this week.', figures: [], records: [] };
  }

  /** What changed since `previous` and why: figures field by field, records with the events recorded since. */
  async since(sql: Sql, week: ReportWeek, previous: VersionRow, body: WeeklyReportBody, number: number, now: Date): Promise<ChangeList> {
    const figures = diffReports(previous.report, body);
    const diff = await this.changes.contributionDiff(sql, previous.id, week.weekStart);
    const events = await this.changes.eventsSince(sql, [...new Set(diff.map((d) => d.detainerId))], previous.publishedAt);
    const records = new Map<string, RecordChange>();
    const facts = (c: ContributionChange) => ({
      jurisdictionCode: c.jurisdictionCode, at: c.at.toISOString(), declineKind: c.declineKind ?? undefined, ageBucket: c.ageBucket ?? undefined,
      exclusion: c.exclusion ?? undefined, source: c.source ?? undefined, acknowledged: c.acknowledged ?? undefined, disputed: c.disputed,
    });
    for (const c of diff) {
      const key = `${c.caseRef}|${c.measure}`;
      const entry = records.get(key) ?? {
        caseRef: c.caseRef,
        measure: c.measure,
        jurisdictionCode: c.jurisdictionCode,
        change: c.side,
        before: null,
        after: null,
        because: events
          .filter((e) => e.detainerId === c.detainerId)
          .map((e) => ({ kind: e.kind, recordedAt: e.recordedAt.toISOString(), source: e.source, detail: publicDetail(e.kind, e.payload, e.occurredAt) })),
      };
      if (c.side === 'removed') entry.before = facts(c);
      else entry.after = facts(c);
      entry.change = entry.before && entry.after ? 'changed' : entry.before ? 'removed' : 'added';
      records.set(key, entry);
    }
    const list = [...records.values()].sort((a, b) => (a.caseRef + a.measure < b.caseRef + b.measure ? -1 : 1));
    const kinds = [...new Set(list.flatMap((r) => r.because.map((b) => b.kind)))].sort();
    const summary =
      `${figures.length} figure(s) and ${list.length} record contribution(s) changed since version ${previous.version}` +
      (kinds.length ? `; events recorded since: ${kinds.join(', ')}` : '') + '.';
    return { weekStart: week.weekStart, version: number, previousVersion: previous.version, publishedAt: now.toISOString(), summary, figures, records: list };
  }
}
