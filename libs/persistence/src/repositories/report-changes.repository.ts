import { ChangeList } from '@app/domain';
import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';
import { CASE_REF_SQL } from './report-case-ref';
import { ContributionFacts, contributionFactsOf, ContributionFactsRow } from './report-contribution-row';

/** A record's contribution present on one side only of a change list (before: the published version; after: the roll-up). */
export interface ContributionChange extends ContributionFacts {
  side: 'removed' | 'added';
  caseRef: string;
  jurisdictionCode: string;
}

/** An event as recorded on a detainer (the "why" of a change list). */
export interface RecordedEvent {
  detainerId: string;
  lodgingSeq: number;
  kind: string;
  occurredAt: Date;
  recordedAt: Date;
  source: string;
  actorRole: string | null;
  payload: Record<string, unknown>;
}

/** A contribution on one side only of a change list, with its case reference and jurisdiction code. */
interface ContributionChangeRow extends ContributionFactsRow {
  side: 'removed' | 'added';
  case_ref: string;
  jurisdiction_code: string;
}

const contributionChange = new RowMapper<ContributionChangeRow, ContributionChange>((r) => ({
  side: r.side,
  caseRef: r.case_ref,
  jurisdictionCode: r.jurisdiction_code,
  ...contributionFactsOf(r),
}));

/** A row of detainer_events, as a change list's "why" shows it. */
interface RecordedEventRow {
  detainer_id: string;
  lodging_seq: number;
  kind: string;
  occurred_at: Date;
  recorded_at: Date;
  source: string;
  actor_role: string | null;
  payload: Record<string, unknown>;
}

const recordedEvent = new RowMapper<RecordedEventRow, RecordedEvent>((r) => ({
  detainerId: r.detainer_id,
  lodgingSeq: r.lodging_seq,
  kind: r.kind,
  occurredAt: r.occurred_at,
  recordedAt: r.recorded_at,
  source: r.source,
  actorRole: r.actor_role ?? null,
  payload: r.payload,
}));

/** A row of report_version_changes: `changes` is the JSON this service stored with the version. */
interface VersionChangesRecord {
  previous_version: number | null;
  changes: ChangeList;
}

const storedChanges = new RowMapper<VersionChangesRecord, { previousVersion: number | null; changes: ChangeList }>((r) => ({
  previousVersion: r.previous_version ?? null,
  changes: r.changes,
}));

/** Change lists: stored with each version, and the differences and events they are built from. */
export class ReportChangesRepository {
  async insertChanges(sql: Sql, versionId: string, previousVersion: number | null, changes: ChangeList): Promise<void> {
    await sql.query(`INSERT INTO report_version_changes (version_id, previous_version, changes) VALUES ($1, $2, $3)`, [versionId, previousVersion, JSON.stringify(changes)]);
  }

  async changes(sql: Sql, versionId: string): Promise<{ previousVersion: number | null; changes: ChangeList } | null> {
    return storedChanges.one(sql, `SELECT previous_version, changes FROM report_version_changes WHERE version_id = $1`, [versionId]);
  }

  /**
   * Records whose contributions differ between a published version and the current roll-up: the
   * per-record part of a change list (with the record's key so the reasons can be looked up).
   */
  async contributionDiff(sql: Sql, versionId: string, weekStart: string): Promise<ContributionChange[]> {
    const cols = `measure, detainer_id, lodging_seq, jurisdiction_id, agency_id, at, decline_kind, age_bucket, exclusion, source, acknowledged, disputed`;
    return contributionChange.all(
      sql,
      `WITH before AS (SELECT ${cols} FROM report_version_contributions WHERE version_id = $1),
            after AS (SELECT ${cols} FROM report_contributions WHERE week_start = $2),
            removed AS (SELECT * FROM before EXCEPT SELECT * FROM after),
            added AS (SELECT * FROM after EXCEPT SELECT * FROM before)
       SELECT 'removed' AS side, x.*, j.code AS jurisdiction_code, ${CASE_REF_SQL('x.detainer_id', 'x.lodging_seq')} AS case_ref FROM removed x JOIN jurisdictions j ON j.id = x.jurisdiction_id
       UNION ALL
       SELECT 'added', x.*, j.code, ${CASE_REF_SQL('x.detainer_id', 'x.lodging_seq')} FROM added x JOIN jurisdictions j ON j.id = x.jurisdiction_id
       ORDER BY 2, 3, 4, 1`,
      [versionId, weekStart],
    );
  }

  /** Events on the given detainers recorded after `since`: the "why" of a change list. */
  async eventsSince(sql: Sql, detainerIds: readonly string[], since: Date): Promise<RecordedEvent[]> {
    if (detainerIds.length === 0) return [];
    return recordedEvent.all(
      sql,
      `SELECT detainer_id, lodging_seq, kind, occurred_at, recorded_at, source, actor_role, payload FROM detainer_events
       WHERE detainer_id = ANY($1) AND recorded_at > $2 ORDER BY detainer_id, seq`,
      [detainerIds, since],
    );
  }
}
