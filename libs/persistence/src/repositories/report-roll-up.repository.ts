import { MEASURES, ReportWeek } from '@app/domain';
import { Sql } from '../sql';
import { ReportWeekRow } from './report-weeks.repository';

/**
 * One week's contributions: the stored ones (computed by the domain when each detainer changed)
 * whose instant falls in the week, the weekly figures' measures only (the profile's stay where they
 * are). $1 week_start, $2 start (inclusive), $3 end (exclusive).
 */
const WEEK_CONTRIBUTIONS_SQL = `
  SELECT $1::date, measure, detainer_id, lodging_seq, jurisdiction_id, agency_id, facility_id, at,
         decline_kind, age_bucket, exclusion, source, acknowledged, disputed
  FROM detainer_contributions WHERE at >= $2 AND at < $3 AND measure IN (${MEASURES.map((m) => `'${m}'`).join(', ')})`;

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

/** The roll-up of a week: its copy of the stored contributions, its figures and reconciliation, set-based. */
export class ReportRollUpRepository {
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
}
