import { DeclineCase, AgeBucket, DeclineKind, JurisdictionFigures, JurisdictionRef, PolicyInForce, ReportWeek, RowDispute, SourceKind } from '@app/domain';
import { Sql } from '../sql';
import { CASE_REF_SQL } from './report-case-ref';

type Row = Record<string, unknown>;

const sources = (r: Row, prefix: string): Record<SourceKind, number> => ({
  lea_reported: r[`${prefix}_lea_reported`] as number,
  ice_observed: r[`${prefix}_ice_observed`] as number,
  system: r[`${prefix}_system`] as number,
  unknown: r[`${prefix}_unknown`] as number,
});

/** What a report shows, read from a rolled-up week: figures, policies, 287(g) programs, decline cases, disputes, the trend's totals. */
export class ReportContentRepository {
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
}
