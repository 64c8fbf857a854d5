import { Sql } from '../sql';
import { CASE_REF_SQL } from './report-case-ref';

export interface VersionRow {
  id: string;
  weekStart: string;
  version: number;
  publishedAt: Date;
  publishedBy: string | null;
  publishedByKind: 'user' | 'system';
  report: unknown;
  contentHash: string;
}

type Row = Record<string, unknown>;

/** Published versions of a week: frozen report bodies with their copy of the contributions. */
export class ReportVersionsRepository {
  async versions(sql: Sql, weekStart: string): Promise<VersionRow[]> {
    const rows = await sql.query<Row>(`SELECT * FROM report_versions WHERE week_start = $1 ORDER BY version`, [weekStart]);
    return rows.map(versionRow);
  }

  async version(sql: Sql, weekStart: string, version: number | 'latest'): Promise<VersionRow | null> {
    const row =
      version === 'latest'
        ? await sql.one<Row>(`SELECT * FROM report_versions WHERE week_start = $1 ORDER BY version DESC LIMIT 1`, [weekStart])
        : await sql.one<Row>(`SELECT * FROM report_versions WHERE week_start = $1 AND version = $2`, [weekStart, version]);
    return row ? versionRow(row) : null;
  }

  async insertVersion(sql: Sql, v: { weekStart: string; version: number; publishedAt: Date; publishedBy: string | null; report: unknown; contentHash: string }): Promise<VersionRow> {
    const row = await sql.one<Row>(
      `INSERT INTO report_versions (week_start, version, published_at, published_by, published_by_kind, report, content_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [v.weekStart, v.version, v.publishedAt, v.publishedBy, v.publishedBy ? 'user' : 'system', JSON.stringify(v.report), v.contentHash],
    );
    const version = versionRow(row!);
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

function versionRow(r: Row): VersionRow {
  return {
    id: String(r.id),
    weekStart: r.week_start as string,
    version: r.version as number,
    publishedAt: r.published_at as Date,
    publishedBy: (r.published_by as string | null) ?? null,
    publishedByKind: r.published_by_kind as 'user' | 'system',
    report: r.report,
    contentHash: r.content_hash as string,
  };
}
