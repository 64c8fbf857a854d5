import { PublishedReport } from '@app/domain';
import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';
import { CASE_REF_SQL } from './report-case-ref';

export interface VersionRow {
  id: string;
  weekStart: string;
  version: number;
  publishedAt: Date;
  publishedBy: string | null;
  publishedByKind: 'user' | 'system';
  report: PublishedReport;
  contentHash: string;
}

/** A row of report_versions. `report` is the JSON this service froze (triggers keep it append-only). */
interface ReportVersionRecord {
  /** bigint: a string, as pg gives int8. */
  id: string;
  week_start: string;
  version: number;
  published_at: Date;
  published_by: string | null;
  published_by_kind: 'user' | 'system';
  report: PublishedReport;
  content_hash: string;
}

const versionRow = new RowMapper<ReportVersionRecord, VersionRow>((r) => ({
  id: r.id,
  weekStart: r.week_start,
  version: r.version,
  publishedAt: r.published_at,
  publishedBy: r.published_by ?? null,
  publishedByKind: r.published_by_kind,
  report: r.report,
  contentHash: r.content_hash,
}));

/** Published versions of a week: frozen report bodies with their copy of the contributions. */
export class ReportVersionsRepository {
  async versions(sql: Sql, weekStart: string): Promise<VersionRow[]> {
    return versionRow.all(sql, `SELECT * FROM report_versions WHERE week_start = $1 ORDER BY version`, [weekStart]);
  }

  async version(sql: Sql, weekStart: string, version: number | 'latest'): Promise<VersionRow | null> {
    return version === 'latest'
      ? versionRow.one(sql, `SELECT * FROM report_versions WHERE week_start = $1 ORDER BY version DESC LIMIT 1`, [weekStart])
      : versionRow.one(sql, `SELECT * FROM report_versions WHERE week_start = $1 AND version = $2`, [weekStart, version]);
  }

  async insertVersion(sql: Sql, v: { weekStart: string; version: number; publishedAt: Date; publishedBy: string | null; report: PublishedReport; contentHash: string }): Promise<VersionRow> {
    const version = await versionRow.one(
      sql,
      `INSERT INTO report_versions (week_start, version, published_at, published_by, published_by_kind, report, content_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [v.weekStart, v.version, v.publishedAt, v.publishedBy, v.publishedBy ? 'user' : 'system', JSON.stringify(v.report), v.contentHash],
    );
    if (!version) throw new Error('INSERT ... RETURNING gave no row');
    await sql.query(
      `INSERT INTO report_version_contributions (version_id, measure, detainer_id, lodging_seq, case_ref, jurisdiction_id, agency_id, facility_id, at,
         decline_kind, age_bucket, exclusion, source, acknowledged, disputed)
       SELECT $1, measure, detainer_id, lodging_seq, ${CASE_REF_SQL('detainer_id', 'lodging_seq')}, jurisdiction_id, agency_id, facility_id, at,
         decline_kind, age_bucket, exclusion, source, acknowledged, disputed
       FROM report_contributions WHERE week_start = $2`,
      [version.id, v.weekStart],
    );
    return version;
  }
}
