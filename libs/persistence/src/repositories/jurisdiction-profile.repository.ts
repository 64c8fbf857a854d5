import { ProfileCounts } from '@app/domain';
import { AccessScope, detainerVisibleIn, Params } from '../scope';
import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';
import { CASE_REF_SQL } from './report-case-ref';

/** One report week of a profile, by its bounds. */
export interface ProfileWeek {
  weekStart: string;
  start: Date;
  end: Date;
}

/** A dispute about a record counted in a jurisdiction's profile; `detainerId` only where the caller's scope reaches the record. */
export interface ProfileDispute {
  caseRef: string;
  detainerId: string | null;
  agencyOri: string;
  measures: string[];
  status: 'open' | 'upheld' | 'rejected';
  reason: string | null;
  openedAt: Date;
  resolvedAt: Date | null;
  correction: string | null;
}

const count = (condition: string) => `count(*) FILTER (WHERE ${condition})::int`;

/**
 * Adds up one jurisdiction's stored contributions week by week: the profile's counting is the
 * domain's (`contributionsOf`, `profileContributionsOf`); this only counts rows. $1 jurisdiction,
 * $2 week starts, $3 starts, $4 ends, $5 the instant nothing later counts (now: a `lodged` row waits
 * for the end of its 24 hours).
 *
 * Each week is its own aggregate (a lateral subquery), so each reads one range of the
 * `(jurisdiction_id, at)` index: joined and grouped instead, the planner merged the weeks into a few
 * wide ranges and read five times the jurisdiction's rows at 3 M detainers. A week with no rows
 * counts zeros.
 */
export const WEEKLY_COUNTS_SQL = `
  SELECT w.week_start, k.*
  FROM unnest($2::date[], $3::timestamptz[], $4::timestamptz[]) AS w(week_start, s, e)
  CROSS JOIN LATERAL (SELECT
      ${count(`c.measure = 'lodged'`)} AS lodged,
      ${count(`c.measure = 'lodged' AND c.on_time`)} AS lodged_on_time,
      ${count(`c.measure = 'release_notice'`)} AS notices,
      ${count(`c.measure = 'release_notice' AND c.on_time`)} AS notices_on_time,
      ${count(`c.measure = 'concluded'`)} AS concluded,
      ${count(`c.measure = 'concluded' AND c.conclusion = 'custody_to_ice'`)} AS custody_to_ice,
      ${count(`c.measure = 'concluded' AND c.conclusion = 'declined' AND c.decline_kind = 'refused'`)} AS declined_refused,
      ${count(`c.measure = 'concluded' AND c.conclusion = 'declined' AND c.decline_kind = 'no_notice'`)} AS declined_no_notice,
      ${count(`c.measure = 'concluded' AND c.conclusion = 'declined' AND c.decline_kind = 'hold_refused'`)} AS declined_hold_refused,
      ${count(`c.measure = 'concluded' AND c.conclusion = 'missed_pickup'`)} AS missed_pickups,
      ${count(`c.measure = 'concluded' AND c.hold_asked`)} AS holds_asked,
      ${count(`c.measure = 'concluded' AND c.hold_asked AND c.conclusion <> 'declined'`)} AS holds_honored,
      ${count(`c.measure IN ('issued', 'excluded')`)} AS sent,
      ${count(`c.measure = 'excluded' AND c.exclusion = 'misdirected'`)} AS misdirected,
      ${count(`c.measure = 'excluded' AND c.exclusion = 'issued_in_error'`)} AS cancelled_issued_in_error
    FROM detainer_contributions c
    WHERE c.jurisdiction_id = $1 AND c.at >= w.s AND c.at < least(w.e, $5)
      AND c.measure IN ('lodged', 'release_notice', 'concluded', 'issued', 'excluded')) k`;

/** A row of WEEKLY_COUNTS_SQL: one week's counts. */
interface WeeklyCountsRow {
  week_start: string;
  lodged: number;
  lodged_on_time: number;
  notices: number;
  notices_on_time: number;
  concluded: number;
  custody_to_ice: number;
  declined_refused: number;
  declined_no_notice: number;
  declined_hold_refused: number;
  missed_pickups: number;
  holds_asked: number;
  holds_honored: number;
  sent: number;
  misdirected: number;
  cancelled_issued_in_error: number;
}

const weeklyCounts = new RowMapper<WeeklyCountsRow, [string, ProfileCounts]>((r) => [
  r.week_start,
  {
    lodged: r.lodged, lodgedOnTime: r.lodged_on_time, notices: r.notices, noticesOnTime: r.notices_on_time, concluded: r.concluded, custodyToIce: r.custody_to_ice,
    declinedRefused: r.declined_refused, declinedNoNotice: r.declined_no_notice, declinedHoldRefused: r.declined_hold_refused, missedPickups: r.missed_pickups,
    holdsAsked: r.holds_asked, holdsHonored: r.holds_honored, sent: r.sent, misdirected: r.misdirected, cancelledIssuedInError: r.cancelled_issued_in_error,
  },
]);

/** A dispute about a counted record, with what the profile shows of it. */
interface ProfileDisputeRow {
  status: ProfileDispute['status'];
  reason: string;
  reason_public: boolean;
  opened_at: Date;
  resolved_at: Date | null;
  correction: string | null;
  ori: string;
  measures: string[];
  case_ref: string;
  detainer_id: string | null;
}

const profileDispute = new RowMapper<ProfileDisputeRow, ProfileDispute>((r) => ({
  caseRef: r.case_ref,
  detainerId: r.detainer_id ?? null,
  agencyOri: r.ori,
  measures: r.measures,
  status: r.status,
  reason: r.reason_public ? r.reason : null,
  openedAt: r.opened_at,
  resolvedAt: r.resolved_at ?? null,
  correction: r.correction ?? null,
}));

/** A jurisdiction's measured practice, added up from the stored contributions, and the disputes on the records behind it. */
export class JurisdictionProfileRepository {
  async weeklyCounts(sql: Sql, jurisdictionId: string, weeks: readonly ProfileWeek[], upTo: Date): Promise<Map<string, ProfileCounts>> {
    return new Map(
      await weeklyCounts.all(sql, WEEKLY_COUNTS_SQL, [jurisdictionId, weeks.map((w) => w.weekStart), weeks.map((w) => w.start), weeks.map((w) => w.end), upTo]),
    );
  }

  /** Week starts (of those given) that have a published version. */
  async publishedWeeks(sql: Sql, weekStarts: readonly string[]): Promise<Set<string>> {
    const rows = await sql.query<{ week_start: string }>(`SELECT DISTINCT week_start FROM report_versions WHERE week_start = ANY($1::date[])`, [weekStarts]);
    return new Set(rows.map((r) => r.week_start));
  }

  /**
   * Disputes (open or decided) about records counted in the jurisdiction's profile over the weeks,
   * newest first. The record's id only where `scope` reaches it; otherwise its de-identified case
   * reference. A reason is shown only where its author marked it public.
   */
  async disputes(sql: Sql, jurisdictionId: string, weeks: readonly ProfileWeek[], upTo: Date, scope: AccessScope): Promise<ProfileDispute[]> {
    const params = new Params();
    const j = params.add(jurisdictionId);
    const s = params.add(weeks.map((w) => w.start));
    const e = params.add(weeks.map((w) => w.end));
    const until = params.add(upTo);
    const visible = detainerVisibleIn(scope, params, 'd');
    return profileDispute.all(
      sql,
      // from the disputes (few) to their records' contributions, not from every contribution of the weeks
      `WITH counted AS (
         SELECT c.detainer_id, c.lodging_seq, array_agg(DISTINCT c.measure ORDER BY c.measure) AS measures
         FROM (SELECT DISTINCT detainer_id, lodging_seq FROM record_disputes) disputed
         JOIN detainer_contributions c ON c.detainer_id = disputed.detainer_id AND c.lodging_seq = disputed.lodging_seq AND c.jurisdiction_id = ${j}
         WHERE EXISTS (SELECT 1 FROM unnest(${s}::timestamptz[], ${e}::timestamptz[]) AS w(s, e) WHERE c.at >= w.s AND c.at < least(w.e, ${until}))
         GROUP BY c.detainer_id, c.lodging_seq)
       SELECT rd.status, rd.reason, rd.reason_public, rd.opened_at, rd.resolved_at, rd.correction, a.ori, counted.measures,
              ${CASE_REF_SQL('rd.detainer_id', 'rd.lodging_seq')} AS case_ref, CASE WHEN ${visible} THEN d.id END AS detainer_id
       FROM counted
       JOIN record_disputes rd ON rd.detainer_id = counted.detainer_id AND rd.lodging_seq = counted.lodging_seq
       JOIN detainers d ON d.id = rd.detainer_id
       JOIN agencies a ON a.id = rd.agency_id
       ORDER BY rd.opened_at DESC, rd.id`,
      params.values,
    );
  }
}
