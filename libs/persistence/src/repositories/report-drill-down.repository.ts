import { AgeBucket, DeclineKind, ExclusionReason, Measure } from '@app/domain';
import { AccessScope, detainerVisibleIn, Params } from '../scope';
import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';
import { decodeCursor, encodeCursor, Page } from '../paging';
import { CASE_REF_SQL } from './report-case-ref';
import { ContributionFacts, contributionFactsOf, ContributionFactsRow } from './report-contribution-row';

export interface ContributionRow extends ContributionFacts {
  caseRef: string;
  jurisdictionCode: string;
  agencyOri: string;
  facilityId: string;
  timeZone: string;
}

export interface DrillDownFilter {
  measure?: Measure;
  jurisdictionId?: string;
  state?: string;
  agencyId?: string;
  declineKind?: DeclineKind;
  ageBucket?: AgeBucket;
  exclusion?: ExclusionReason;
}

/** A contribution (live or as published) with its case reference and the names of where it is attributed. */
interface DrillDownRow extends ContributionFactsRow {
  case_ref_computed: string;
  jurisdiction_code: string;
  agency_ori: string;
  facility_id: string;
  time_zone: string;
}

const drillDownRow = new RowMapper<DrillDownRow, ContributionRow>((r) => ({
  ...contributionFactsOf(r),
  caseRef: r.case_ref_computed,
  jurisdictionCode: r.jurisdiction_code,
  agencyOri: r.agency_ori,
  facilityId: r.facility_id,
  timeZone: r.time_zone,
}));

/** The drill-down from a count to the contributions behind it, live or as published. */
export class ReportDrillDownRepository {
  /** The drill-down: contributions behind a count, scoped to what the caller may read. `versionId` null = live. */
  async contributions(sql: Sql, weekStart: string, versionId: string | null, filter: DrillDownFilter, scope: AccessScope, page: { limit: number; cursor?: string }): Promise<Page<ContributionRow>> {
    const params = new Params();
    const where: string[] = [];
    if (versionId === null) where.push(`c.week_start = ${params.add(weekStart)}`);
    else where.push(`c.version_id = ${params.add(versionId)}`);
    if (filter.measure) where.push(`c.measure = ${params.add(filter.measure)}`);
    if (filter.jurisdictionId) where.push(`c.jurisdiction_id = ${params.add(filter.jurisdictionId)}`);
    if (filter.agencyId) where.push(`c.agency_id = ${params.add(filter.agencyId)}`);
    if (filter.state) where.push(`j.state = ${params.add(filter.state)}`);
    if (filter.declineKind) where.push(`c.decline_kind = ${params.add(filter.declineKind)}`);
    if (filter.ageBucket) where.push(`c.age_bucket = ${params.add(filter.ageBucket)}`);
    if (filter.exclusion) where.push(`c.exclusion = ${params.add(filter.exclusion)}`);
    where.push(detainerVisibleIn(scope, params));
    // An agency follows only the counts attributed to it.
    if (scope.kind === 'agency') where.push(`c.agency_id = ${params.add(scope.agencyId)}`);
    if (page.cursor) {
      const after = decodeCursor(page.cursor, ['m', 'd', 's']);
      where.push(`(c.measure, c.detainer_id, c.lodging_seq) > (${params.add(after.m)}, ${params.add(after.d)}::uuid, ${params.add(Number(after.s))})`);
    }
    const table = versionId === null ? 'report_contributions' : 'report_version_contributions';
    const rows = await drillDownRow.all(
      sql,
      `SELECT c.*, ${CASE_REF_SQL('c.detainer_id', 'c.lodging_seq')} AS case_ref_computed, j.code AS jurisdiction_code, a.ori AS agency_ori, f.time_zone
       FROM ${table} c
       JOIN detainers d ON d.id = c.detainer_id
       JOIN jurisdictions j ON j.id = c.jurisdiction_id
       JOIN agencies a ON a.id = c.agency_id
       JOIN facilities f ON f.id = c.facility_id
       WHERE ${where.join(' AND ')}
       ORDER BY c.measure, c.detainer_id, c.lodging_seq LIMIT ${params.add(page.limit + 1)}`,
      params.values,
    );
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ m: last.measure, d: last.detainerId, s: String(last.lodgingSeq) }) : null };
  }
}
