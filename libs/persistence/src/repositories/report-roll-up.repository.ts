import { MEASURES, ReportWeek } from '@app/domain';
import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';
import { ReportWeekRow } from './report-weeks.repository';

/** The columns of a contribution the week's copy keeps (beside its week_start). */
const COPY_COLUMNS = ['measure', 'detainer_id', 'lodging_seq', 'jurisdiction_id', 'agency_id', 'facility_id', 'at', 'decline_kind', 'age_bucket', 'exclusion', 'source', 'acknowledged', 'disputed'] as const;
const COPY_KEY = ['measure', 'detainer_id', 'lodging_seq'];
const COPY_VALUES = COPY_COLUMNS.filter((c) => !COPY_KEY.includes(c));

const count = (condition: string) => `count(*) FILTER (WHERE ${condition})::int`;

/** The figures of report_figures, in its column order after (week_start, jurisdiction_id). */
const FIGURES: [string, string][] = [
  ['issued', `measure = 'issued'`],
  ['declined', `measure = 'declined'`],
  ['declined_refused', `measure = 'declined' AND decline_kind = 'refused'`],
  ['declined_no_notice', `measure = 'declined' AND decline_kind = 'no_notice'`],
  ['declined_hold_refused', `measure = 'declined' AND decline_kind = 'hold_refused'`],
  ['declined_under_week', `measure = 'declined' AND age_bucket = 'under_week'`],
  ['declined_under_month', `measure = 'declined' AND age_bucket = 'under_month'`],
  ['declined_under_year', `measure = 'declined' AND age_bucket = 'under_year'`],
  ['declined_year_or_more', `measure = 'declined' AND age_bucket = 'year_or_more'`],
  ['declined_lea_reported', `measure = 'declined' AND source = 'lea_reported'`],
  ['declined_ice_observed', `measure = 'declined' AND source = 'ice_observed'`],
  ['declined_system', `measure = 'declined' AND source = 'system'`],
  ['declined_unknown', `measure = 'declined' AND source IS NULL`],
  ['honored', `measure = 'honored'`],
  ['honored_lea_reported', `measure = 'honored' AND source = 'lea_reported'`],
  ['honored_ice_observed', `measure = 'honored' AND source = 'ice_observed'`],
  ['honored_system', `measure = 'honored' AND source = 'system'`],
  ['honored_unknown', `measure = 'honored' AND source IS NULL`],
  ['missed_pickups', `measure = 'missed_pickup'`],
  ['short_notices', `measure = 'short_notice'`],
  ['excluded', `measure = 'excluded'`],
  ['excluded_issued_in_error', `measure = 'excluded' AND exclusion = 'issued_in_error'`],
  ['excluded_wrong_subject', `measure = 'excluded' AND exclusion = 'wrong_subject'`],
  ['excluded_us_citizen', `measure = 'excluded' AND exclusion = 'us_citizen'`],
  ['excluded_misdirected', `measure = 'excluded' AND exclusion = 'misdirected'`],
  ['excluded_by_dispute', `measure = 'excluded' AND exclusion = 'excluded_by_dispute'`],
  ['declines_retracted', `measure = 'decline_retracted'`],
  ['unacknowledged', `measure = 'issued' AND NOT acknowledged`],
  ['disputed', `disputed`],
];

/** `INSERT ... ON CONFLICT` that writes only rows whose values differ (an equal row is left alone: no dead version). */
const upsert = (table: string, key: readonly string[], values: readonly string[]) =>
  `ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${values.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
   WHERE (${values.map((c) => `${table}.${c}`).join(', ')}) IS DISTINCT FROM (${values.map((c) => `EXCLUDED.${c}`).join(', ')})`;

const cols = COPY_COLUMNS.join(', ');

/**
 * The roll-up of a week as one statement, all of it on one snapshot. $1 week_start, $2 start
 * (inclusive), $3 end (exclusive), $4 whether the whole week is copied again (never rolled), $5 now.
 * - `drained`: the week's marks, deleted; their detainers (or, with $4, every one) are copied again
 *   from what is stored now (`stored_now`: the weekly figures' measures whose instant falls in the week);
 * - `week`: the week's copy as it is to be, the rest of the old copy (`kept`) beside `stored_now`;
 * - the copy, figures and reconciliation are made equal to it: rows upserted where they differ,
 *   rows no longer there deleted (each row is touched by one sub-statement only);
 * - the week's row records the roll-up (the caller holds its lock).
 * A change committed before the statement began is in both its marks and `stored_now`; one committing
 * later leaves its mark for the next roll-up.
 */
const ROLL_UP_SQL = `
  WITH drained AS (DELETE FROM report_week_marks WHERE week_start = $1 RETURNING detainer_id),
  changed AS (SELECT DISTINCT detainer_id FROM drained),
  stored_now AS MATERIALIZED (
    SELECT ${cols} FROM detainer_contributions c
    WHERE c.at >= $2 AND c.at < $3 AND c.measure IN (${MEASURES.map((m) => `'${m}'`).join(', ')})
      AND ($4 OR c.detainer_id IN (SELECT detainer_id FROM changed))),
  kept AS (
    SELECT ${cols} FROM report_contributions r
    WHERE r.week_start = $1 AND NOT $4 AND NOT EXISTS (SELECT 1 FROM changed x WHERE x.detainer_id = r.detainer_id)),
  week AS MATERIALIZED (SELECT * FROM kept UNION ALL SELECT * FROM stored_now),
  copied AS (
    INSERT INTO report_contributions (week_start, ${cols}) SELECT $1::date, ${cols} FROM stored_now
    ${upsert('report_contributions', ['week_start', ...COPY_KEY], COPY_VALUES)}),
  uncopied AS (
    DELETE FROM report_contributions r
    WHERE r.week_start = $1 AND ($4 OR EXISTS (SELECT 1 FROM changed x WHERE x.detainer_id = r.detainer_id))
      AND NOT EXISTS (SELECT 1 FROM stored_now c WHERE c.measure = r.measure AND c.detainer_id = r.detainer_id AND c.lodging_seq = r.lodging_seq)),
  figures AS MATERIALIZED (
    SELECT $1::date AS week_start, jurisdiction_id, ${FIGURES.map(([, condition]) => count(condition)).join(', ')}
    FROM week GROUP BY jurisdiction_id),
  figures_written AS (
    INSERT INTO report_figures (week_start, jurisdiction_id, ${FIGURES.map(([c]) => c).join(', ')}) SELECT * FROM figures
    ${upsert('report_figures', ['week_start', 'jurisdiction_id'], FIGURES.map(([c]) => c))}),
  figures_gone AS (
    DELETE FROM report_figures f WHERE f.week_start = $1 AND NOT EXISTS (SELECT 1 FROM figures n WHERE n.jurisdiction_id = f.jurisdiction_id)),
  reconciliation AS MATERIALIZED (
    SELECT $1::date AS week_start, agency_id, jurisdiction_id, count(*)::int AS issued, ${count('acknowledged')} AS acknowledged
    FROM week WHERE measure = 'issued' GROUP BY agency_id, jurisdiction_id),
  reconciliation_written AS (
    INSERT INTO report_reconciliation (week_start, agency_id, jurisdiction_id, issued, acknowledged) SELECT * FROM reconciliation
    ${upsert('report_reconciliation', ['week_start', 'agency_id'], ['jurisdiction_id', 'issued', 'acknowledged'])}),
  reconciliation_gone AS (
    DELETE FROM report_reconciliation x WHERE x.week_start = $1 AND NOT EXISTS (SELECT 1 FROM reconciliation n WHERE n.agency_id = x.agency_id)),
  rolled AS (UPDATE report_weeks SET rolled_seq = dirty_seq, rolled_at = $5, roll_count = roll_count + 1 WHERE week_start = $1)
  SELECT (SELECT count(*)::int FROM week) AS contributions, (SELECT count(*)::int FROM stored_now) AS recopied`;

/** What a roll-up did: the contributions the week holds now, and how many of them it copied again. */
export interface RollUpResult {
  contributions: number;
  recopied: number;
}

/** The one row ROLL_UP_SQL answers (both counts cast to int4). */
interface RollUpRow {
  contributions: number;
  recopied: number;
}

const rollUpResult = new RowMapper<RollUpRow, RollUpResult>((r) => ({ contributions: r.contributions, recopied: r.recopied }));

/** The roll-up of a week: its copy of the stored contributions, its figures and reconciliation, set-based. */
export class ReportRollUpRepository {
  /**
   * Rolls one week up from the stored contributions, in one statement (see ROLL_UP_SQL). Caller holds
   * the week lock. A week never rolled copies all of its contributions; afterwards only those of the
   * detainers whose marks it drains (a change marks every week its contributions left or entered).
   */
  async rollUp(sql: Sql, w: ReportWeek, locked: ReportWeekRow, now: Date): Promise<RollUpResult> {
    return (await rollUpResult.one(sql, ROLL_UP_SQL, [w.weekStart, w.start, w.end, locked.rolledAt === null, now]))!;
  }
}
