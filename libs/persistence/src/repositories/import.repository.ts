import { LodgingPlace, QuarantineReason } from '@app/domain';
import { decodeCursor, encodeCursor, Page } from '../paging';
import { RowMapper } from '../row-mapper';
import { Params } from '../scope';
import { Sql } from '../sql';

export interface ImportRunRecord extends Omit<RunCounts, 'rows'> {
  id: string;
  kind: 'ice_release';
  fileName: string;
  sha256: string;
  crosswalkSha256: string;
  status: 'running' | 'completed';
  startedAt: Date;
  finishedAt: Date | null;
  rowsRead: number;
  quarantinedByReason: Partial<Record<QuarantineReason, number>>;
}

export interface RunCounts {
  rows: number;
  imported: number;
  corrected: number;
  unchanged: number;
  quarantined: number;
  undatedDeclines: number;
  undatedLifts: number;
}

export interface QuarantineRow {
  rowNumber: number;
  reason: QuarantineReason;
  detail: string;
  facilityCode: string | null;
  preparedOn: string | null;
  row: Record<string, unknown>;
}

/** A staged row beside the record already on file for its key, if any. */
export interface StagedRow {
  rowNumber: number;
  rowKey: string;
  factsHash: string;
  onFile: { detainerId: string; factsHash: string; seenRunId: string; seenRowNumber: number } | null;
}

export interface StagedRecord {
  rowNumber: number;
  rowKey: string;
  detainerId: string;
  factsHash: string;
  undatedDecline: boolean;
}

/** int8 as pg gives it: a string. */
type Int8 = string;

/** A row of import_runs with its quarantine counted by reason. */
interface ImportRunRow {
  id: string;
  kind: 'ice_release';
  file_name: string;
  sha256: string;
  crosswalk_sha256: string;
  status: 'running' | 'completed';
  started_at: Date;
  finished_at: Date | null;
  rows_done: Int8;
  imported: Int8;
  corrected: Int8;
  unchanged: Int8;
  quarantined: Int8;
  undated_declines: Int8;
  undated_lifts: Int8;
  by_reason: Partial<Record<QuarantineReason, number>> | null;
}

const RUN_COLUMNS = `r.*, COALESCE((SELECT jsonb_object_agg(reason, n) FROM (SELECT reason, count(*)::int AS n FROM import_quarantine q WHERE q.run_id = r.id GROUP BY reason) x), '{}'::jsonb) AS by_reason`;

const runOf = new RowMapper<ImportRunRow, ImportRunRecord>((r) => ({
  id: r.id,
  kind: r.kind,
  fileName: r.file_name,
  sha256: r.sha256,
  crosswalkSha256: r.crosswalk_sha256,
  status: r.status,
  startedAt: r.started_at,
  finishedAt: r.finished_at ?? null,
  rowsRead: Number(r.rows_done),
  imported: Number(r.imported),
  corrected: Number(r.corrected),
  unchanged: Number(r.unchanged),
  quarantined: Number(r.quarantined),
  undatedDeclines: Number(r.undated_declines),
  undatedLifts: Number(r.undated_lifts),
  quarantinedByReason: r.by_reason ?? {},
}));

/** A row of import_quarantine. */
interface QuarantineRecord {
  row_number: Int8;
  reason: QuarantineReason;
  detail: string;
  facility_code: string | null;
  prepared_on: string | null;
  row: Record<string, unknown>;
}

const quarantineOf = new RowMapper<QuarantineRecord, QuarantineRow>((r) => ({
  rowNumber: Number(r.row_number),
  reason: r.reason,
  detail: r.detail,
  facilityCode: r.facility_code ?? null,
  preparedOn: r.prepared_on ?? null,
  row: r.row,
}));

/** A staged row beside the imported_records row of its key (all null when none). */
interface StagedRowRecord {
  row_number: Int8;
  row_key: string;
  facts_hash: string;
  detainer_id: string | null;
  on_file_hash: string | null;
  seen_run_id: string | null;
  seen_row_number: Int8 | null;
}

const stagedOf = new RowMapper<StagedRowRecord, StagedRow>((r) => ({
  rowNumber: Number(r.row_number),
  rowKey: r.row_key,
  factsHash: r.facts_hash,
  onFile:
    r.detainer_id !== null
      ? { detainerId: r.detainer_id, factsHash: r.on_file_hash!, seenRunId: r.seen_run_id!, seenRowNumber: Number(r.seen_row_number) }
      : null,
}));

/** A facility with its agency's jurisdiction. */
interface PlaceRecord {
  id: string;
  agency_id: string;
  jurisdiction_id: string;
  area_id: string;
  time_zone: string;
}

const placeOf = new RowMapper<PlaceRecord, LodgingPlace>((r) => ({
  facilityId: r.id,
  agencyId: r.agency_id,
  jurisdictionId: r.jurisdiction_id,
  areaId: r.area_id,
  timeZone: r.time_zone,
}));

/** Runs of the federal-release import, their quarantine, the records they wrote and the facilities their crosswalks created. */
export class ImportRepository {
  /** The unfinished run of this file and crosswalk (to resume), or a new one. */
  async startOrResume(sql: Sql, run: { fileName: string; sha256: string; crosswalkSha256: string; now: Date }): Promise<{ run: ImportRunRecord; resumed: boolean }> {
    const open = await runOf.one(sql, `SELECT ${RUN_COLUMNS} FROM import_runs r WHERE sha256 = $1 AND crosswalk_sha256 = $2 AND status = 'running' FOR UPDATE`, [run.sha256, run.crosswalkSha256]);
    if (open) return { run: open, resumed: true };
    const created = await runOf.one(
      sql,
      `INSERT INTO import_runs (kind, file_name, sha256, crosswalk_sha256, status, started_at) VALUES ('ice_release', $1, $2, $3, 'running', $4) RETURNING *, '{}'::jsonb AS by_reason`,
      [run.fileName, run.sha256, run.crosswalkSha256, run.now],
    );
    return { run: created!, resumed: false };
  }

  /** Moves the checkpoint past a batch and adds its counts, in the batch's transaction. */
  async advance(sql: Sql, runId: string, counts: RunCounts): Promise<void> {
    await sql.query(
      `UPDATE import_runs SET rows_done = rows_done + $2, imported = imported + $3, corrected = corrected + $4, unchanged = unchanged + $5,
         quarantined = quarantined + $6, undated_declines = undated_declines + $7, undated_lifts = undated_lifts + $8 WHERE id = $1`,
      [runId, counts.rows, counts.imported, counts.corrected, counts.unchanged, counts.quarantined, counts.undatedDeclines, counts.undatedLifts],
    );
  }

  async finish(sql: Sql, runId: string, now: Date): Promise<ImportRunRecord> {
    await sql.query(`UPDATE import_runs SET status = 'completed', finished_at = $2 WHERE id = $1`, [runId, now]);
    return (await this.findRun(sql, runId))!;
  }

  async findRun(sql: Sql, runId: string): Promise<ImportRunRecord | null> {
    return runOf.one(sql, `SELECT ${RUN_COLUMNS} FROM import_runs r WHERE id = $1`, [runId]);
  }

  async listRuns(sql: Sql, page: { limit: number; cursor?: string }): Promise<Page<ImportRunRecord>> {
    const params = new Params();
    const where: string[] = [];
    if (page.cursor) {
      const c = decodeCursor(page.cursor, ['s', 'i']);
      where.push(`(r.started_at, r.id) < (${params.add(c.s)}::timestamptz, ${params.add(c.i)}::uuid)`);
    }
    const rows = await runOf.all(
      sql,
      `SELECT ${RUN_COLUMNS} FROM import_runs r ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.started_at DESC, r.id DESC LIMIT ${params.add(page.limit + 1)}`,
      params.values,
    );
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ s: last.startedAt.toISOString(), i: last.id }) : null };
  }

  async quarantine(sql: Sql, runId: string, page: { limit: number; cursor?: string }): Promise<Page<QuarantineRow>> {
    const params = new Params();
    params.add(runId);
    const after = page.cursor ? Number(decodeCursor(page.cursor, ['n']).n) : 0;
    const rows = await quarantineOf.all(
      sql,
      `SELECT * FROM import_quarantine WHERE run_id = $1 AND row_number > ${params.add(after)} ORDER BY row_number LIMIT ${params.add(page.limit + 1)}`,
      params.values,
    );
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ n: String(last.rowNumber) }) : null };
  }

  async addQuarantine(sql: Sql, runId: string, rows: readonly QuarantineRow[]): Promise<void> {
    await sql.copyFrom('import_quarantine', ['run_id', 'row_number', 'reason', 'detail', 'facility_code', 'prepared_on', 'row'],
      rows.map((q) => [runId, q.rowNumber, q.reason, q.detail, q.facilityCode, q.preparedOn, q.row]));
  }

  /**
   * COPY the batch's rows into staging, then read each beside the record on file for its key. The
   * staging table is this connection's (temporary, emptied by settle, and by a rollback): a shared one
   * kept the dead rows of every earlier batch, which each batch read again.
   */
  async stage(sql: Sql, rows: readonly StagedRecord[]): Promise<StagedRow[]> {
    await sql.query(`CREATE TEMP TABLE IF NOT EXISTS import_stage (
      row_number bigint PRIMARY KEY, row_key text NOT NULL, detainer_id uuid NOT NULL, facts_hash text NOT NULL, undated_decline boolean NOT NULL)`);
    await sql.copyFrom('import_stage', ['row_number', 'row_key', 'detainer_id', 'facts_hash', 'undated_decline'],
      rows.map((r) => [r.rowNumber, r.rowKey, r.detainerId, r.factsHash, r.undatedDecline]));
    return stagedOf.all(
      sql,
      `SELECT s.row_number, s.row_key, s.facts_hash, r.detainer_id, r.facts_hash AS on_file_hash, r.seen_run_id, r.seen_row_number
       FROM pg_temp.import_stage s LEFT JOIN imported_records r ON r.row_key = s.row_key ORDER BY s.row_number`,
    );
  }

  /**
   * From staging, set-based: the records of the rows the batch wrote (new ones inserted, corrected ones
   * updated) and the run that saw every row; then the staging rows go.
   */
  async settle(sql: Sql, runId: string, written: { created: readonly number[]; corrected: readonly number[]; seen: readonly number[] }): Promise<void> {
    await sql.query(
      `INSERT INTO imported_records (row_key, detainer_id, facts_hash, first_run_id, file_run_id, seen_run_id, seen_row_number, undated_decline)
       SELECT s.row_key, s.detainer_id, s.facts_hash, $1, $1, $1, s.row_number, s.undated_decline
       FROM pg_temp.import_stage s WHERE s.row_number = ANY($2::bigint[])`,
      [runId, written.created],
    );
    await sql.query(
      `UPDATE imported_records r SET facts_hash = s.facts_hash, file_run_id = $1, seen_run_id = $1, seen_row_number = s.row_number, undated_decline = s.undated_decline
       FROM pg_temp.import_stage s WHERE s.row_key = r.row_key AND s.row_number = ANY($2::bigint[])`,
      [runId, written.corrected],
    );
    await sql.query(
      `UPDATE imported_records r SET seen_run_id = $1, seen_row_number = s.row_number
       FROM pg_temp.import_stage s WHERE s.row_key = r.row_key AND s.row_number = ANY($2::bigint[])`,
      [runId, written.seen],
    );
    await sql.query(`TRUNCATE pg_temp.import_stage`);
  }

  /** The release's people: one subject per unique_id, created when first seen (no name; citizenship and birth year as released). */
  async ensureSubjects(sql: Sql, subjects: readonly { id: string; uniqueId: string; citizenship: string; sex: string | null; birthYear: number | null }[]): Promise<void> {
    if (subjects.length === 0) return;
    await sql.query(
      `INSERT INTO subjects (id, release_unique_id, citizenship, sex, birth_year)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::smallint[])
       ON CONFLICT (release_unique_id) DO NOTHING`,
      [subjects.map((s) => s.id), subjects.map((s) => s.uniqueId), subjects.map((s) => s.citizenship), subjects.map((s) => s.sex), subjects.map((s) => s.birthYear)],
    );
  }

  /** Where facilities given by id are (unknown ids are absent). */
  async placesOfFacilities(sql: Sql, facilityIds: readonly string[]): Promise<Map<string, LodgingPlace>> {
    const rows = await sql.query<PlaceRecord>(
      `SELECT f.id, f.agency_id, a.jurisdiction_id, f.area_id, f.time_zone FROM facilities f JOIN agencies a ON a.id = f.agency_id WHERE f.id = ANY($1::uuid[])`,
      [facilityIds],
    );
    return new Map(rows.map((r) => [r.id, placeOf.decode(r)]));
  }

  /** Facilities created earlier for DETLOC codes. */
  async placesOfCodes(sql: Sql, codes: readonly string[]): Promise<Map<string, LodgingPlace>> {
    const rows = await sql.query<PlaceRecord & { code: string }>(
      `SELECT c.code, f.id, f.agency_id, a.jurisdiction_id, f.area_id, f.time_zone
       FROM release_facility_codes c JOIN facilities f ON f.id = c.facility_id JOIN agencies a ON a.id = f.agency_id WHERE c.code = ANY($1::text[])`,
      [codes],
    );
    return new Map(rows.map((r) => [r.code, placeOf.decode(r)]));
  }

  async areaIdsByCode(sql: Sql, codes: readonly string[]): Promise<Map<string, string>> {
    const rows = await sql.query<{ code: string; id: string }>(`SELECT code, id FROM areas WHERE code = ANY($1::text[])`, [codes]);
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  /**
   * The facility for a DETLOC code placed by canonical codes: the jurisdiction by its code, the agency
   * by its ORI (created when missing), a new facility of that agency, and the code's link to it.
   * Returns an error when the ORI is on file under another jurisdiction.
   */
  async createCodeFacility(
    sql: Sql,
    input: { code: string; jurisdictionCode: string; state: string; countyFips: string; ori: string; facilityName: string; areaId: string; timeZone: string },
  ): Promise<LodgingPlace | { error: string }> {
    const j = await sql.one<{ id: string }>(
      `WITH ins AS (INSERT INTO jurisdictions (code, name, kind, state, fips) VALUES ($1, $2, 'county', $3, $4) ON CONFLICT (code) DO NOTHING RETURNING id)
       SELECT id FROM ins UNION ALL SELECT id FROM jurisdictions WHERE code = $1 LIMIT 1`,
      [input.jurisdictionCode, `County ${input.countyFips} (${input.state})`, input.state, input.countyFips],
    );
    const agency = await sql.one<{ id: string; jurisdiction_id: string }>(
      `WITH ins AS (INSERT INTO agencies (ori, name, jurisdiction_id) VALUES ($1, $2, $3) ON CONFLICT (ori) DO NOTHING RETURNING id, jurisdiction_id)
       SELECT id, jurisdiction_id FROM ins UNION ALL SELECT id, jurisdiction_id FROM agencies WHERE ori = $1 LIMIT 1`,
      [input.ori, `Agency ${input.ori}`, j!.id],
    );
    if (agency!.jurisdiction_id !== j!.id) return { error: `agency ORI ${input.ori} is on file under another jurisdiction than ${input.jurisdictionCode}` };
    const facility = await sql.one<{ id: string }>(
      `INSERT INTO facilities (agency_id, name, time_zone, area_id) VALUES ($1, $2, $3, $4) RETURNING id`,
      [agency!.id, input.facilityName, input.timeZone, input.areaId],
    );
    await sql.query(`INSERT INTO release_facility_codes (code, facility_id) VALUES ($1, $2)`, [input.code, facility!.id]);
    return { facilityId: facility!.id, agencyId: agency!.id, jurisdictionId: j!.id, areaId: input.areaId, timeZone: input.timeZone };
  }

  /** Per report week: how many of the detainers issued in it are imported, and from which file. */
  async importedInWeek(sql: Sql, start: Date, end: Date): Promise<{ fileName: string; sha256: string; detainers: number }[]> {
    const rows = await sql.query<{ file_name: string; sha256: string; n: number }>(
      `SELECT r.file_name, r.sha256, count(*)::int AS n
       FROM detainer_contributions c JOIN imported_records ir ON ir.detainer_id = c.detainer_id JOIN import_runs r ON r.id = ir.file_run_id
       WHERE c.measure IN ('issued', 'excluded') AND c.at >= $1 AND c.at < $2
       GROUP BY r.file_name, r.sha256 ORDER BY r.file_name, r.sha256`,
      [start, end],
    );
    // by file (name and checksum), not by run: the report's content must not depend on which run of the file wrote a record
    return rows.map((r) => ({ fileName: r.file_name, sha256: r.sha256, detainers: r.n }));
  }

  /** Section IV's count of the public record: quarantined rows prepared in the week, and every imported decline with no lift date (in no week). */
  async publicRecordFidelity(sql: Sql, startDate: string, endDate: string): Promise<{ quarantinedThisWeek: Partial<Record<QuarantineReason, number>>; quarantinedUndated: number; declinesWithoutDate: number } | null> {
    const any = await sql.one(`SELECT 1 FROM import_runs LIMIT 1`);
    if (!any) return null;
    const q = await sql.query<{ reason: QuarantineReason; n: number }>(
      `SELECT reason, count(*)::int AS n FROM (
         SELECT DISTINCT ON (q.row->>'unique_id', q.row->>'detainer_prepare_date', q.facility_code) q.reason FROM import_quarantine q
         WHERE q.prepared_on >= $1::date AND q.prepared_on <= $2::date) x GROUP BY reason`,
      [startDate, endDate],
    );
    const totals = await sql.one<{ undated: number; declines: number }>(
      // a row quarantined by several runs (the same file again, or as XLSX) is one row
      `SELECT (SELECT count(*)::int FROM (SELECT DISTINCT q.row->>'unique_id', q.row->>'detainer_prepare_date', q.facility_code, q.reason FROM import_quarantine q WHERE q.prepared_on IS NULL) x) AS undated,
              (SELECT count(*)::int FROM imported_records WHERE undated_decline) AS declines`,
    );
    return { quarantinedThisWeek: Object.fromEntries(q.map((r) => [r.reason, r.n])), quarantinedUndated: totals!.undated, declinesWithoutDate: totals!.declines };
  }
}
