import {
  AgeBucket, AgencyReconciliation, DeclineCase, DeclineKind, ExclusionReason, JurisdictionFigures, JurisdictionRef, Measure,
  PolicyInForce, ReportWeek, RowDispute, SourceKind,
} from '@app/domain';
import { AccessScope, detainerVisibleIn, Params } from '../scope';
import { Sql } from '../sql';
import { decodeCursor, encodeCursor, Page } from '../paging';

/**
 * One week's contributions: the stored ones (computed by the domain when each detainer changed)
 * whose instant falls in the week. $1 week_start, $2 start (inclusive), $3 end (exclusive).
 */
const WEEK_CONTRIBUTIONS_SQL = `
  SELECT $1::date, measure, detainer_id, lodging_seq, jurisdiction_id, agency_id, facility_id, at,
         decline_kind, age_bucket, exclusion, source, acknowledged, disputed
  FROM detainer_contributions WHERE at >= $2 AND at < $3`;

const count = (condition: string) => `count(*) FILTER (WHERE ${condition})::int`;

/** Per-jurisdiction figures aggregated from a week's contributions. */
const FIGURES_SQL = `
  INSERT INTO report_figures
  SELECT week_start, jurisdiction_id,
    ${count(`measure = 'issued'`)},
    ${count(`measure = 'declined'`)},
    ${count(`measure = 'declined' AND decline_kind = 'refused'`)},
    ${count(`measure = 'declined' AND decline_kind = 'no_notice'`)},
    ${count(`measure = 'declined' AND decline_kind = 'hold_refused'`)},
    ${count(`measure = 'declined' AND age_bucket = 'under_week'`)},
    ${count(`measure = 'declined' AND age_bucket = 'under_month'`)},
    ${count(`measure = 'declined' AND age_bucket = 'under_year'`)},
    ${count(`measure = 'declined' AND age_bucket = 'year_or_more'`)},
    ${count(`measure = 'declined' AND source = 'lea_reported'`)},
    ${count(`measure = 'declined' AND source = 'ice_observed'`)},
    ${count(`measure = 'declined' AND source = 'system'`)},
    ${count(`measure = 'declined' AND source IS NULL`)},
    ${count(`measure = 'honored'`)},
    ${count(`measure = 'honored' AND source = 'lea_reported'`)},
    ${count(`measure = 'honored' AND source = 'ice_observed'`)},
    ${count(`measure = 'honored' AND source = 'system'`)},
    ${count(`measure = 'honored' AND source IS NULL`)},
    ${count(`measure = 'missed_pickup'`)},
    ${count(`measure = 'short_notice'`)},
    ${count(`measure = 'excluded'`)},
    ${count(`measure = 'excluded' AND exclusion = 'issued_in_error'`)},
    ${count(`measure = 'excluded' AND exclusion = 'wrong_subject'`)},
    ${count(`measure = 'excluded' AND exclusion = 'us_citizen'`)},
    ${count(`measure = 'excluded' AND exclusion = 'misdirected'`)},
    ${count(`measure = 'excluded' AND exclusion = 'excluded_by_dispute'`)},
    ${count(`measure = 'decline_retracted'`)},
    ${count(`measure = 'issued' AND NOT acknowledged`)},
    ${count(`disputed`)}
  FROM report_contributions WHERE week_start = $1
  GROUP BY week_start, jurisdiction_id`;

export interface ReportWeekRow {
  weekStart: string;
  weekEnd: string;
  start: Date;
  end: Date;
  timeZone: string;
  dirty: boolean;
  dirtySeq: number;
  rolledSeq: number;
  rolledAt: Date | null;
  rollCount: number;
}

export interface ContributionRow {
  measure: Measure;
  detainerId: string;
  lodgingSeq: number;
  caseRef: string;
  jurisdictionId: string;
  jurisdictionCode: string;
  agencyId: string;
  agencyOri: string;
  facilityId: string;
  timeZone: string;
  at: Date;
  declineKind: DeclineKind | null;
  ageBucket: AgeBucket | null;
  exclusion: ExclusionReason | null;
  source: string | null;
  acknowledged: boolean | null;
  disputed: boolean;
}

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

export interface DrillDownFilter {
  measure?: Measure;
  jurisdictionId?: string;
  state?: string;
  agencyId?: string;
  declineKind?: DeclineKind;
  ageBucket?: AgeBucket;
  exclusion?: ExclusionReason;
}

type Row = Record<string, unknown>;

/** A de-identified, stable reference to one lodging's record, safe to publish. */
export const CASE_REF_SQL = (detainer: string, seq: string) => `'c-' || left(md5(${detainer}::text || ':' || ${seq}::text), 12)`;

/** Whether a change marked the week (alias `w`) since its last roll-up. */
const MARKED_SQL = `EXISTS (SELECT 1 FROM report_week_marks m WHERE m.week_start = w.week_start) AS marked`;

const weekRow = (r: Row): ReportWeekRow => ({
  weekStart: r.week_start as string,
  weekEnd: r.week_end as string,
  start: r.start_at as Date,
  end: r.end_at as Date,
  timeZone: r.time_zone as string,
  dirtySeq: Number(r.dirty_seq),
  rolledSeq: Number(r.rolled_seq),
  dirty: Number(r.dirty_seq) > Number(r.rolled_seq) || r.marked === true,
  rolledAt: (r.rolled_at as Date | null) ?? null,
  rollCount: r.roll_count as number,
});

const sources = (r: Row, prefix: string): Record<SourceKind, number> => ({
  lea_reported: r[`${prefix}_lea_reported`] as number,
  ice_observed: r[`${prefix}_ice_observed`] as number,
  system: r[`${prefix}_system`] as number,
  unknown: r[`${prefix}_unknown`] as number,
});

/** Report weeks, the roll-up, reconciliation and published versions: explicit SQL, set-based. */
export class ReportRepository {
  /**
   * Marks weeks for re-roll by a change to one detainer. Called inside the change's transaction: one appended row per week, so
   * that changes never wait on one another (the week's row is the roll-up's lock, not the writers').
   */
  async markWeeks(sql: Sql, weeks: readonly ReportWeek[], detainerId: string, now: Date): Promise<void> {
    const unique = [...new Map(weeks.map((w) => [w.weekStart, w])).values()];
    if (unique.length === 0) return;
    await sql.query(
      `INSERT INTO report_week_marks (week_start, end_at, detainer_id, marked_at) SELECT w, e, $3, $4 FROM unnest($1::date[], $2::timestamptz[]) AS t(w, e)`,
      [unique.map((w) => w.weekStart), unique.map((w) => w.end), detainerId, now],
    );
  }

  /**
   * Marks the published weeks that overlap a span of days (a policy's effective dates; `to` null: still
   * in force), so that their next roll-up publishes a version with the policy in Section III. Weeks
   * never published need nothing: their live figures read policies as they are. Locks in week order,
   * as markWeeks does.
   */
  async markPublishedWeeksOverlapping(sql: Sql, from: string, to: string | null, now: Date): Promise<string[]> {
    const rows = await sql.query<{ week_start: string }>(
      `WITH target AS (
         SELECT w.week_start FROM report_weeks w
         WHERE w.week_end >= $1::date AND ($2::date IS NULL OR w.week_start <= $2::date)
           AND EXISTS (SELECT 1 FROM report_versions v WHERE v.week_start = w.week_start)
         ORDER BY w.week_start FOR UPDATE)
       UPDATE report_weeks w SET dirty_seq = w.dirty_seq + 1, last_marked_at = $3
       FROM target WHERE w.week_start = target.week_start
       RETURNING to_char(w.week_start, 'YYYY-MM-DD') AS week_start`,
      [from, to, now],
    );
    return rows.map((r) => r.week_start).sort();
  }

  /**
   * Takes the week's row lock for the rest of the transaction (creating the row if needed). While it is
   * held, no change touching this week can commit: its marker waits on the same row.
   */
  async lockWeek(sql: Sql, w: ReportWeek): Promise<ReportWeekRow> {
    await sql.query(
      `INSERT INTO report_weeks (week_start, week_end, start_at, end_at, time_zone) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (week_start) DO NOTHING`,
      [w.weekStart, w.weekEnd, w.start, w.end, w.timeZone],
    );
    const row = await sql.one<Row>(`SELECT *, ${MARKED_SQL} FROM report_weeks w WHERE week_start = $1 FOR UPDATE OF w`, [w.weekStart]);
    return weekRow(row!);
  }

  async findWeek(sql: Sql, weekStart: string): Promise<ReportWeekRow | null> {
    const row = await sql.one<Row>(`SELECT *, ${MARKED_SQL} FROM report_weeks w WHERE week_start = $1`, [weekStart]);
    return row ? weekRow(row) : null;
  }

  /**
   * Rolls one week up from the stored contributions. Caller holds the week lock. A week never rolled
   * copies all of its contributions; afterwards only those of the detainers whose marks it drains
   * (a change marks every week its contributions left or entered). Then the figures and the
   * reconciliation are added up again from the week's copy.
   */
  async rollUp(sql: Sql, w: ReportWeek, locked: ReportWeekRow, now: Date): Promise<{ contributions: number; recopied: number }> {
    // Drain the marks first: a change committed before this statement is in the contributions copied
    // below; one committing later leaves its mark, and the week is rolled again.
    const drained = await sql.query<{ detainer_id: string }>(`DELETE FROM report_week_marks WHERE week_start = $1 RETURNING detainer_id`, [w.weekStart]);
    const columns = `week_start, measure, detainer_id, lodging_seq, jurisdiction_id, agency_id, facility_id, at, decline_kind, age_bucket, exclusion, source, acknowledged, disputed`;
    let recopied: number;
    if (locked.rolledAt === null) {
      await sql.query(`DELETE FROM report_contributions WHERE week_start = $1`, [w.weekStart]);
      recopied = await sql.execute(`INSERT INTO report_contributions (${columns}) ${WEEK_CONTRIBUTIONS_SQL}`, [w.weekStart, w.start, w.end]);
    } else {
      const changed = [...new Set(drained.map((d) => d.detainer_id))];
      recopied = 0;
      if (changed.length > 0) {
        await sql.query(`DELETE FROM report_contributions WHERE week_start = $1 AND detainer_id = ANY($2::uuid[])`, [w.weekStart, changed]);
        recopied = await sql.execute(`INSERT INTO report_contributions (${columns}) ${WEEK_CONTRIBUTIONS_SQL} AND detainer_id = ANY($4::uuid[])`, [w.weekStart, w.start, w.end, changed]);
      }
    }
    await sql.query(`DELETE FROM report_reconciliation WHERE week_start = $1`, [w.weekStart]);
    await sql.query(`DELETE FROM report_figures WHERE week_start = $1`, [w.weekStart]);
    await sql.query(FIGURES_SQL, [w.weekStart]);
    await sql.query(
      `INSERT INTO report_reconciliation (week_start, agency_id, jurisdiction_id, issued, acknowledged)
       SELECT week_start, agency_id, jurisdiction_id, count(*)::int, ${count('acknowledged')}
       FROM report_contributions WHERE week_start = $1 AND measure = 'issued' GROUP BY week_start, agency_id, jurisdiction_id`,
      [w.weekStart],
    );
    const rolled = await sql.one<{ contributions: number }>(
      `UPDATE report_weeks SET rolled_seq = dirty_seq, rolled_at = $2, roll_count = roll_count + 1 WHERE week_start = $1
       RETURNING (SELECT count(*)::int FROM report_contributions WHERE week_start = $1) AS contributions`,
      [w.weekStart, now],
    );
    return { contributions: rolled!.contributions, recopied };
  }

  /** Closed weeks a change touched since their last roll-up, oldest first. */
  async dirtyClosedWeeks(sql: Sql, now: Date, limit: number): Promise<string[]> {
    const rows = await sql.query<{ week_start: string }>(
      `SELECT to_char(week_start, 'YYYY-MM-DD') AS week_start FROM (
         SELECT week_start FROM report_weeks WHERE dirty_seq > rolled_seq AND end_at <= $1
         UNION SELECT week_start FROM report_week_marks WHERE end_at <= $1) t
       ORDER BY week_start LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.week_start);
  }

  async figures(sql: Sql, weekStart: string): Promise<JurisdictionFigures[]> {
    const rows = await sql.query<Row>(
      `SELECT f.*, j.code, j.name, j.state FROM report_figures f JOIN jurisdictions j ON j.id = f.jurisdiction_id WHERE f.week_start = $1 ORDER BY j.code`,
      [weekStart],
    );
    return rows.map((r) => ({
      jurisdictionId: r.jurisdiction_id as string,
      code: r.code as string,
      name: r.name as string,
      state: (r.state as string).trim(),
      issued: r.issued as number,
      declined: r.declined as number,
      declinedByKind: { refused: r.declined_refused as number, no_notice: r.declined_no_notice as number, hold_refused: r.declined_hold_refused as number },
      declinedByAge: {
        under_week: r.declined_under_week as number,
        under_month: r.declined_under_month as number,
        under_year: r.declined_under_year as number,
        year_or_more: r.declined_year_or_more as number,
      },
      declinedBySource: sources(r, 'declined'),
      honored: r.honored as number,
      honoredBySource: sources(r, 'honored'),
      missedPickups: r.missed_pickups as number,
      shortNotices: r.short_notices as number,
      excluded: r.excluded as number,
      excludedByReason: {
        issued_in_error: r.excluded_issued_in_error as number,
        wrong_subject: r.excluded_wrong_subject as number,
        us_citizen: r.excluded_us_citizen as number,
        misdirected: r.excluded_misdirected as number,
        excluded_by_dispute: r.excluded_by_dispute as number,
      },
      declinesRetracted: r.declines_retracted as number,
      unacknowledged: r.unacknowledged as number,
      disputed: r.disputed as number,
    }));
  }

  async reconciliation(sql: Sql, weekStart: string): Promise<AgencyReconciliation[]> {
    const rows = await sql.query<Row>(
      `SELECT r.*, a.ori, a.name, a.program_287g, c.confirmed_at, c.note
       FROM report_reconciliation r
       JOIN agencies a ON a.id = r.agency_id
       LEFT JOIN LATERAL (
         -- the note goes into the report only when its author marked it public
         SELECT confirmed_at, CASE WHEN note_public THEN note END AS note FROM report_reconciliation_confirmations c
         -- a confirmation covers a surplus up to the one confirmed; a larger surplus needs a new confirmation
         WHERE c.week_start = r.week_start AND c.agency_id = r.agency_id AND c.issued - c.acknowledged >= r.issued - r.acknowledged
         ORDER BY c.id DESC LIMIT 1) c ON TRUE
       WHERE r.week_start = $1 ORDER BY a.ori`,
      [weekStart],
    );
    return rows.map((r) => {
      const issued = r.issued as number;
      const acknowledged = r.acknowledged as number;
      return {
        agencyId: r.agency_id as string,
        ori: r.ori as string,
        name: r.name as string,
        jurisdictionId: r.jurisdiction_id as string,
        program287g: r.program_287g as string,
        issued,
        acknowledged,
        unacknowledged: issued - acknowledged,
        flagged: issued > acknowledged,
        confirmation: r.confirmed_at ? { confirmedAt: (r.confirmed_at as Date).toISOString(), note: (r.note as string | null) ?? null } : null,
      };
    });
  }

  async reconciliationRow(sql: Sql, weekStart: string, agencyId: string): Promise<{ issued: number; acknowledged: number } | null> {
    return sql.one<{ issued: number; acknowledged: number }>(
      `SELECT issued, acknowledged FROM report_reconciliation WHERE week_start = $1 AND agency_id = $2`,
      [weekStart, agencyId],
    );
  }

  async confirmReconciliation(sql: Sql, c: { weekStart: string; agencyId: string; issued: number; acknowledged: number; userId: string; at: Date; note: string; notePublic: boolean }): Promise<void> {
    await sql.query(
      `INSERT INTO report_reconciliation_confirmations (week_start, agency_id, issued, acknowledged, confirmed_by, confirmed_at, note, note_public)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [c.weekStart, c.agencyId, c.issued, c.acknowledged, c.userId, c.at, c.note, c.notePublic],
    );
  }

  /** Policies of any jurisdiction in force on at least one day of the week (Section III filters to restrictive ones). */
  async policiesInForce(sql: Sql, w: Pick<ReportWeek, 'weekStart' | 'weekEnd'>): Promise<PolicyInForce[]> {
    const rows = await sql.query<Row>(
      `SELECT p.*, to_char(p.effective_from, 'YYYY-MM-DD') AS from_text, to_char(p.effective_to, 'YYYY-MM-DD') AS to_text
       FROM policies p WHERE p.effective_from <= $2::date AND (p.effective_to IS NULL OR p.effective_to >= $1::date)
       ORDER BY p.jurisdiction_id, p.effective_from, p.id`,
      [w.weekStart, w.weekEnd],
    );
    return rows.map((r) => ({
      policyId: r.id as string,
      jurisdictionId: r.jurisdiction_id as string,
      kind: r.kind as string,
      citation: r.citation as string,
      summary: r.summary as string,
      limitsHold: r.limits_hold as boolean,
      limitsNotification: r.limits_notification as boolean,
      limitsAccess: r.limits_access as boolean,
      effectiveFrom: r.from_text as string,
      effectiveTo: (r.to_text as string | null) ?? null,
    }));
  }

  async jurisdictionRefs(sql: Sql, ids: readonly string[]): Promise<JurisdictionRef[]> {
    const rows = await sql.query<Row>(`SELECT id, code, name, state FROM jurisdictions WHERE id = ANY($1)`, [ids]);
    return rows.map((r) => ({ jurisdictionId: r.id as string, code: r.code as string, name: r.name as string, state: (r.state as string).trim() }));
  }

  async programs287g(sql: Sql, jurisdictionIds: readonly string[]): Promise<{ jurisdictionId: string; ori: string; name: string; program287g: string }[]> {
    const rows = await sql.query<Row>(
      `SELECT jurisdiction_id, ori, name, program_287g FROM agencies WHERE jurisdiction_id = ANY($1) AND program_287g <> 'none' ORDER BY ori`,
      [jurisdictionIds],
    );
    return rows.map((r) => ({ jurisdictionId: r.jurisdiction_id as string, ori: r.ori as string, name: r.name as string, program287g: r.program_287g as string }));
  }

  /** Section II: each decline recorded this week, de-identified (citizenship, dates, charges; no identity). */
  async declineCases(sql: Sql, weekStart: string): Promise<(Omit<DeclineCase, 'mostSeriousCharge'> & { charges: unknown })[]> {
    const rows = await sql.query<Row>(
      `SELECT ${CASE_REF_SQL('c.detainer_id', 'c.lodging_seq')} AS case_ref, c.jurisdiction_id, a.ori, d.form, s.citizenship,
              to_char(d.issued_at AT TIME ZONE l1.time_zone, 'YYYY-MM-DD') AS issued_date,
              to_char(c.at AT TIME ZONE l.time_zone, 'YYYY-MM-DD') AS declined_date,
              c.decline_kind, c.age_bucket, c.source, d.charges, c.disputed
       FROM report_contributions c
       JOIN detainers d ON d.id = c.detainer_id
       JOIN subject_demographics s ON s.id = d.subject_id
       JOIN lodgings l ON l.detainer_id = c.detainer_id AND l.seq = c.lodging_seq
       JOIN lodgings l1 ON l1.detainer_id = c.detainer_id AND l1.seq = 1
       JOIN agencies a ON a.id = c.agency_id
       WHERE c.week_start = $1 AND c.measure = 'declined'
       ORDER BY declined_date, case_ref`,
      [weekStart],
    );
    return rows.map((r) => ({
      caseRef: r.case_ref as string,
      jurisdictionId: r.jurisdiction_id as string,
      agencyOri: r.ori as string,
      form: r.form as string,
      citizenship: (r.citizenship as string).trim(),
      issuedDate: r.issued_date as string,
      declinedDate: r.declined_date as string,
      declineKind: r.decline_kind as DeclineKind,
      ageBucket: r.age_bucket as AgeBucket,
      source: ((r.source as string | null) ?? 'unknown') as SourceKind,
      disputed: r.disputed as boolean,
      charges: r.charges,
    }));
  }

  /** Disputes (open or decided) about records that contribute to this week, on the row of the jurisdiction concerned. */
  async rowDisputes(sql: Sql, weekStart: string): Promise<RowDispute[]> {
    const rows = await sql.query<Row>(
      `SELECT rd.*, a.ori, c.jurisdiction_id, ${CASE_REF_SQL('rd.detainer_id', 'rd.lodging_seq')} AS case_ref,
              array_agg(DISTINCT c.measure ORDER BY c.measure) AS measures
       FROM report_contributions c
       JOIN record_disputes rd ON rd.detainer_id = c.detainer_id AND rd.lodging_seq = c.lodging_seq
       JOIN agencies a ON a.id = rd.agency_id
       WHERE c.week_start = $1
       GROUP BY rd.id, a.ori, c.jurisdiction_id
       ORDER BY rd.opened_at, rd.id`,
      [weekStart],
    );
    return rows.map((r) => ({
      disputeId: r.id as string,
      jurisdictionId: r.jurisdiction_id as string,
      agencyOri: r.ori as string,
      caseRef: r.case_ref as string,
      measures: r.measures as string[],
      status: r.status as RowDispute['status'],
      // free text only where its author marked it public; the structured facts always
      reason: r.reason_public ? (r.reason as string) : null,
      openedAt: (r.opened_at as Date).toISOString(),
      resolution: r.resolved_at
        ? { decision: r.status as 'upheld' | 'rejected', note: r.note_public ? (r.note as string) : null, correction: (r.correction as string | null) ?? null, resolvedAt: (r.resolved_at as Date).toISOString() }
        : null,
    }));
  }

  /** Nationwide issued and declined for the given weeks, as rolled up (weeks never rolled are absent). */
  async totalsOf(sql: Sql, weekStarts: readonly string[]): Promise<Map<string, { issued: number; declined: number }>> {
    const rows = await sql.query<{ week_start: string; issued: number; declined: number }>(
      `SELECT w.week_start, coalesce(sum(f.issued), 0)::int AS issued, coalesce(sum(f.declined), 0)::int AS declined
       FROM report_weeks w LEFT JOIN report_figures f ON f.week_start = w.week_start
       WHERE w.week_start = ANY($1::date[]) AND w.rolled_at IS NOT NULL GROUP BY w.week_start`,
      [weekStarts],
    );
    return new Map(rows.map((r) => [r.week_start, { issued: r.issued, declined: r.declined }]));
  }

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
    const rows = await sql.query<Row>(
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
    const items = rows.slice(0, page.limit).map((r) => ({
      measure: r.measure as Measure,
      detainerId: r.detainer_id as string,
      lodgingSeq: r.lodging_seq as number,
      caseRef: r.case_ref_computed as string,
      jurisdictionId: r.jurisdiction_id as string,
      jurisdictionCode: r.jurisdiction_code as string,
      agencyId: r.agency_id as string,
      agencyOri: r.agency_ori as string,
      facilityId: r.facility_id as string,
      timeZone: r.time_zone as string,
      at: r.at as Date,
      declineKind: (r.decline_kind as DeclineKind | null) ?? null,
      ageBucket: (r.age_bucket as AgeBucket | null) ?? null,
      exclusion: (r.exclusion as ExclusionReason | null) ?? null,
      source: (r.source as string | null) ?? null,
      acknowledged: (r.acknowledged as boolean | null) ?? null,
      disputed: r.disputed as boolean,
    }));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ m: last.measure, d: last.detainerId, s: String(last.lodgingSeq) }) : null };
  }

  // ------------------------------------------------------------------ versions

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

  async insertChanges(sql: Sql, versionId: string, previousVersion: number | null, changes: unknown): Promise<void> {
    await sql.query(`INSERT INTO report_version_changes (version_id, previous_version, changes) VALUES ($1, $2, $3)`, [versionId, previousVersion, JSON.stringify(changes)]);
  }

  async changes(sql: Sql, versionId: string): Promise<{ previousVersion: number | null; changes: unknown } | null> {
    const row = await sql.one<Row>(`SELECT previous_version, changes FROM report_version_changes WHERE version_id = $1`, [versionId]);
    return row ? { previousVersion: (row.previous_version as number | null) ?? null, changes: row.changes } : null;
  }

  /**
   * Records whose contributions differ between a published version and the current roll-up: the
   * per-record part of a change list (with the record's key so the reasons can be looked up).
   */
  async contributionDiff(sql: Sql, versionId: string, weekStart: string): Promise<{ side: 'removed' | 'added'; row: Row }[]> {
    const cols = `measure, detainer_id, lodging_seq, jurisdiction_id, agency_id, at, decline_kind, age_bucket, exclusion, source, acknowledged, disputed`;
    const rows = await sql.query<Row>(
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
    return rows.map((r) => ({ side: r.side as 'removed' | 'added', row: r }));
  }

  /** Events on the given detainers recorded after `since`: the "why" of a change list. */
  async eventsSince(sql: Sql, detainerIds: readonly string[], since: Date): Promise<Row[]> {
    if (detainerIds.length === 0) return [];
    return sql.query<Row>(
      `SELECT detainer_id, lodging_seq, kind, occurred_at, recorded_at, source, actor_role, payload FROM detainer_events
       WHERE detainer_id = ANY($1) AND recorded_at > $2 ORDER BY detainer_id, seq`,
      [detainerIds, since],
    );
  }

  async listWeeks(sql: Sql, opts: { publishedOnly: boolean }, page: { limit: number; cursor?: string }): Promise<Page<ReportWeekRow & { versions: { version: number; publishedAt: Date; publishedByKind: string }[] }>> {
    const params = new Params();
    const where: string[] = [];
    if (opts.publishedOnly) where.push(`EXISTS (SELECT 1 FROM report_versions v WHERE v.week_start = w.week_start)`);
    else where.push(`(w.rolled_at IS NOT NULL OR EXISTS (SELECT 1 FROM report_versions v WHERE v.week_start = w.week_start))`);
    if (page.cursor) where.push(`w.week_start < ${params.add(decodeCursor(page.cursor, ['w']).w)}::date`);
    const rows = await sql.query<Row>(
      `SELECT w.*, ${MARKED_SQL}, coalesce((SELECT json_agg(json_build_object('version', v.version, 'publishedAt', v.published_at, 'publishedByKind', v.published_by_kind) ORDER BY v.version)
                             FROM report_versions v WHERE v.week_start = w.week_start), '[]'::json) AS versions
       FROM report_weeks w WHERE ${where.join(' AND ')} ORDER BY w.week_start DESC LIMIT ${params.add(page.limit + 1)}`,
      params.values,
    );
    const items = rows.slice(0, page.limit).map((r) => ({
      ...weekRow(r),
      versions: (r.versions as { version: number; publishedAt: string; publishedByKind: string }[]).map((v) => ({ ...v, publishedAt: new Date(v.publishedAt) })),
    }));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ w: last.weekStart }) : null };
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
