import { AgeBucket, Charge, DeclineCase, DeclineKind, JurisdictionFigures, JurisdictionRef, PolicyInForce, ReportWeek, RowDispute, SourceKind } from '@app/domain';
import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';
import { CASE_REF_SQL } from './report-case-ref';

/** A row of report_figures with its jurisdiction's code, name and state. */
interface FiguresRecord {
  jurisdiction_id: string;
  code: string;
  name: string;
  /** char(2), blank-padded */
  state: string;
  issued: number;
  declined: number;
  declined_refused: number;
  declined_no_notice: number;
  declined_hold_refused: number;
  declined_under_week: number;
  declined_under_month: number;
  declined_under_year: number;
  declined_year_or_more: number;
  declined_lea_reported: number;
  declined_ice_observed: number;
  declined_system: number;
  declined_unknown: number;
  honored: number;
  honored_lea_reported: number;
  honored_ice_observed: number;
  honored_system: number;
  honored_unknown: number;
  missed_pickups: number;
  short_notices: number;
  excluded: number;
  excluded_issued_in_error: number;
  excluded_wrong_subject: number;
  excluded_us_citizen: number;
  excluded_misdirected: number;
  excluded_by_dispute: number;
  declines_retracted: number;
  unacknowledged: number;
  disputed: number;
}

const figuresRow = new RowMapper<FiguresRecord, JurisdictionFigures>((r) => ({
  jurisdictionId: r.jurisdiction_id,
  code: r.code,
  name: r.name,
  state: r.state.trim(),
  issued: r.issued,
  declined: r.declined,
  declinedByKind: { refused: r.declined_refused, no_notice: r.declined_no_notice, hold_refused: r.declined_hold_refused },
  declinedByAge: {
    under_week: r.declined_under_week,
    under_month: r.declined_under_month,
    under_year: r.declined_under_year,
    year_or_more: r.declined_year_or_more,
  },
  declinedBySource: { lea_reported: r.declined_lea_reported, ice_observed: r.declined_ice_observed, system: r.declined_system, unknown: r.declined_unknown },
  honored: r.honored,
  honoredBySource: { lea_reported: r.honored_lea_reported, ice_observed: r.honored_ice_observed, system: r.honored_system, unknown: r.honored_unknown },
  missedPickups: r.missed_pickups,
  shortNotices: r.short_notices,
  excluded: r.excluded,
  excludedByReason: {
    issued_in_error: r.excluded_issued_in_error,
    wrong_subject: r.excluded_wrong_subject,
    us_citizen: r.excluded_us_citizen,
    misdirected: r.excluded_misdirected,
    excluded_by_dispute: r.excluded_by_dispute,
  },
  declinesRetracted: r.declines_retracted,
  unacknowledged: r.unacknowledged,
  disputed: r.disputed,
}));

/** A row of policies, its dates as text. */
interface PolicyRecord {
  id: string;
  jurisdiction_id: string;
  kind: string;
  citation: string;
  summary: string;
  limits_hold: boolean;
  limits_notification: boolean;
  limits_access: boolean;
  from_text: string;
  to_text: string | null;
}

const policyRow = new RowMapper<PolicyRecord, PolicyInForce>((r) => ({
  policyId: r.id,
  jurisdictionId: r.jurisdiction_id,
  kind: r.kind,
  citation: r.citation,
  summary: r.summary,
  limitsHold: r.limits_hold,
  limitsNotification: r.limits_notification,
  limitsAccess: r.limits_access,
  effectiveFrom: r.from_text,
  effectiveTo: r.to_text ?? null,
}));

const jurisdictionRefRow = new RowMapper<{ id: string; code: string; name: string; state: string }, JurisdictionRef>((r) => ({
  jurisdictionId: r.id,
  code: r.code,
  name: r.name,
  state: r.state.trim(),
}));

interface ProgramRecord {
  jurisdiction_id: string;
  ori: string;
  name: string;
  program_287g: string;
}

const programRow = new RowMapper<ProgramRecord, { jurisdictionId: string; ori: string; name: string; program287g: string }>((r) => ({
  jurisdictionId: r.jurisdiction_id,
  ori: r.ori,
  name: r.name,
  program287g: r.program_287g,
}));

/** A decline of the week with what Section II shows of its detainer. */
interface DeclineCaseRecord {
  case_ref: string;
  jurisdiction_id: string;
  ori: string;
  form: string;
  /** char(2), blank-padded */
  citizenship: string;
  issued_date: string;
  declined_date: string;
  decline_kind: DeclineKind;
  age_bucket: AgeBucket;
  source: SourceKind | null;
  charges: Charge[];
  disputed: boolean;
}

/** A decline case before its most serious charge is chosen (by the domain's rule). */
export type DeclineCaseWithCharges = Omit<DeclineCase, 'mostSeriousCharge'> & { charges: Charge[] };

const declineCaseRow = new RowMapper<DeclineCaseRecord, DeclineCaseWithCharges>((r) => ({
  caseRef: r.case_ref,
  jurisdictionId: r.jurisdiction_id,
  agencyOri: r.ori,
  form: r.form,
  citizenship: r.citizenship.trim(),
  issuedDate: r.issued_date,
  declinedDate: r.declined_date,
  declineKind: r.decline_kind,
  ageBucket: r.age_bucket,
  source: r.source ?? 'unknown',
  disputed: r.disputed,
  charges: r.charges,
}));

/** A row of record_disputes with the agency's ORI, the row it is shown on, and the measures it concerns. */
interface RowDisputeRecord {
  id: string;
  jurisdiction_id: string;
  ori: string;
  case_ref: string;
  measures: string[];
  status: RowDispute['status'];
  reason: string;
  reason_public: boolean;
  opened_at: Date;
  resolved_at: Date | null;
  note: string | null;
  note_public: boolean;
  correction: string | null;
}

const rowDisputeRow = new RowMapper<RowDisputeRecord, RowDispute>((r) => ({
  disputeId: r.id,
  jurisdictionId: r.jurisdiction_id,
  agencyOri: r.ori,
  caseRef: r.case_ref,
  measures: r.measures,
  status: r.status,
  // free text only where its author marked it public; the structured facts always
  reason: r.reason_public ? r.reason : null,
  openedAt: r.opened_at.toISOString(),
  resolution: r.resolved_at
    ? { decision: r.status as 'upheld' | 'rejected', note: r.note_public ? r.note : null, correction: r.correction ?? null, resolvedAt: r.resolved_at.toISOString() }
    : null,
}));

/** Nationwide issued and declined of a rolled-up week. */
export interface WeekTotals {
  issued: number;
  declined: number;
}

/** A week's sums of report_figures (cast to int4; week_start a 'YYYY-MM-DD' string). */
interface WeekTotalsRow {
  week_start: string;
  issued: number;
  declined: number;
}

const weekTotals = new RowMapper<WeekTotalsRow, WeekTotals & { weekStart: string }>((r) => ({ weekStart: r.week_start, issued: r.issued, declined: r.declined }));

/** What a report shows, read from a rolled-up week: figures, policies, 287(g) programs, decline cases, disputes, the trend's totals. */
export class ReportContentRepository {
  async figures(sql: Sql, weekStart: string): Promise<JurisdictionFigures[]> {
    return figuresRow.all(
      sql,
      `SELECT f.*, j.code, j.name, j.state FROM report_figures f JOIN jurisdictions j ON j.id = f.jurisdiction_id WHERE f.week_start = $1 ORDER BY j.code`,
      [weekStart],
    );
  }

  /** Policies of any jurisdiction in force on at least one day of the week (Section III filters to restrictive ones). */
  async policiesInForce(sql: Sql, w: Pick<ReportWeek, 'weekStart' | 'weekEnd'>): Promise<PolicyInForce[]> {
    return policyRow.all(
      sql,
      `SELECT p.*, to_char(p.effective_from, 'YYYY-MM-DD') AS from_text, to_char(p.effective_to, 'YYYY-MM-DD') AS to_text
       FROM policies p WHERE p.effective_from <= $2::date AND (p.effective_to IS NULL OR p.effective_to >= $1::date)
       ORDER BY p.jurisdiction_id, p.effective_from, p.id`,
      [w.weekStart, w.weekEnd],
    );
  }

  async jurisdictionRefs(sql: Sql, ids: readonly string[]): Promise<JurisdictionRef[]> {
    return jurisdictionRefRow.all(sql, `SELECT id, code, name, state FROM jurisdictions WHERE id = ANY($1)`, [ids]);
  }

  async programs287g(sql: Sql, jurisdictionIds: readonly string[]): Promise<{ jurisdictionId: string; ori: string; name: string; program287g: string }[]> {
    return programRow.all(
      sql,
      `SELECT jurisdiction_id, ori, name, program_287g FROM agencies WHERE jurisdiction_id = ANY($1) AND program_287g <> 'none' ORDER BY ori`,
      [jurisdictionIds],
    );
  }

  /** Section II: each decline recorded this week, de-identified (citizenship, dates, charges; no identity). */
  async declineCases(sql: Sql, weekStart: string): Promise<DeclineCaseWithCharges[]> {
    return declineCaseRow.all(
      sql,
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
  }

  /** Disputes (open or decided) about records that contribute to this week, on the row of the jurisdiction concerned. */
  async rowDisputes(sql: Sql, weekStart: string): Promise<RowDispute[]> {
    return rowDisputeRow.all(
      sql,
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
  }

  /** Nationwide issued and declined for the given weeks, as rolled up (weeks never rolled are absent). */
  async totalsOf(sql: Sql, weekStarts: readonly string[]): Promise<Map<string, WeekTotals>> {
    const rows = await weekTotals.all(
      sql,
      `SELECT w.week_start, coalesce(sum(f.issued), 0)::int AS issued, coalesce(sum(f.declined), 0)::int AS declined
       FROM report_weeks w LEFT JOIN report_figures f ON f.week_start = w.week_start
       WHERE w.week_start = ANY($1::date[]) AND w.rolled_at IS NOT NULL GROUP BY w.week_start`,
      [weekStarts],
    );
    return new Map(rows.map((r) => [r.weekStart, { issued: r.issued, declined: r.declined }]));
  }
}
