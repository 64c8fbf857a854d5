import { ChangeListBuilder, Clock, Principal, ReadReport, ReportCalendar, ReportRenderer, ReportTrend, ReportVersionWriter, RollUpWeek } from '@app/application';
import { weekStartingOn } from '@app/domain';
import {
  Database, ImportRepository, ReportChangesRepository, ReportContentRepository, ReportReconciliationRepository, ReportRollUpRepository,
  ReportVersionsRepository, ReportWeeksRepository,
} from '@app/persistence';
import { reportCsv } from '../../../api/src/reports/report-csv';
import { reportPdf } from '../../../api/src/reports/report-pdf';
import { BenchPart, BenchTable, timesOf } from '../bench';
import { openNationalDataset } from '../scratch-database';
import { DEFAULT_AS_OF } from '../generator/national-dataset';
import { NATIONAL_DETAINERS } from './dataset';

const RUNS = Number(process.env.BENCH_REPORT_RUNS ?? 7);

class FixedClock extends Clock {
  constructor(private readonly instant: Date) {
    super();
  }
  now(): Date {
    return new Date(this.instant);
  }
}

const BENCH_ADMIN: Principal = { kind: 'user', id: '00000000-0000-4000-8000-000000000000', name: 'bench', role: 'admin', agencyId: null, areaId: null };

/** The figures every jurisdiction row carries, as the baseline computes them. */
const COMPARED = [
  'issued', 'excluded', 'unacknowledged', 'declined', 'refused', 'no_notice', 'hold_refused',
  'under_week', 'under_month', 'under_year', 'year_or_more', 'honored', 'missed_pickups', 'short_notices',
] as const;
type Figures = Record<(typeof COMPARED)[number], number>;

/**
 * The baseline: the same week's per-jurisdiction figures and per-agency reconciliation (issued,
 * acknowledged) written by hand as one aggregate query, straight from the projection (no
 * contributions kept, no sources, no disputes). It also checks the roll-up: both must give the same numbers.
 */
const HAND_AGGREGATE = `
  SELECT 'jurisdiction' AS kind, j, NULL::uuid AS agency, 0 AS acknowledged,
    sum(issued)::int AS issued, sum(excluded)::int AS excluded, sum(unacknowledged)::int AS unacknowledged,
    sum(declined)::int AS declined, sum(refused)::int AS refused, sum(no_notice)::int AS no_notice, sum(hold_refused)::int AS hold_refused,
    sum(under_week)::int AS under_week, sum(under_month)::int AS under_month, sum(under_year)::int AS under_year, sum(year_or_more)::int AS year_or_more,
    sum(honored)::int AS honored, sum(missed_pickups)::int AS missed_pickups, sum(short_notices)::int AS short_notices
  FROM (
    SELECT l1.jurisdiction_id AS j,
      count(*) FILTER (WHERE NOT x.out) AS issued, count(*) FILTER (WHERE x.out) AS excluded,
      count(*) FILTER (WHERE NOT x.out AND l1.acknowledged_at IS NULL) AS unacknowledged,
      0 AS declined, 0 AS refused, 0 AS no_notice, 0 AS hold_refused, 0 AS under_week, 0 AS under_month, 0 AS under_year, 0 AS year_or_more,
      0 AS honored, 0 AS missed_pickups, 0 AS short_notices
    FROM detainers d JOIN lodgings l1 ON l1.detainer_id = d.id AND l1.seq = 1
    CROSS JOIN LATERAL (SELECT coalesce(d.cancel_reason IN ('issued_in_error', 'wrong_subject', 'us_citizen'), false) OR l1.status = 'misdirected' OR d.excluded_at IS NOT NULL AS out) x
    WHERE d.issued_at >= $1 AND d.issued_at < $2
    GROUP BY 1
    UNION ALL
    SELECT l.jurisdiction_id, 0, 0, 0,
      count(*) FILTER (WHERE dw),
      count(*) FILTER (WHERE dw AND l.decline_kind = 'refused'), count(*) FILTER (WHERE dw AND l.decline_kind = 'no_notice'),
      count(*) FILTER (WHERE dw AND l.decline_kind = 'hold_refused'),
      count(*) FILTER (WHERE dw AND age < 7 * 86400), count(*) FILTER (WHERE dw AND age >= 7 * 86400 AND age < 30 * 86400),
      count(*) FILTER (WHERE dw AND age >= 30 * 86400 AND age < 365 * 86400), count(*) FILTER (WHERE dw AND age >= 365 * 86400),
      count(*) FILTER (WHERE l.honored_at >= $1 AND l.honored_at < $2),
      count(*) FILTER (WHERE l.missed_pickup AND l.released_at >= $1 AND l.released_at < $2),
      count(*) FILTER (WHERE l.short_notice AND l.release_scheduled_recorded_at >= $1 AND l.release_scheduled_recorded_at < $2)
    FROM lodgings l
    JOIN detainers d ON d.id = l.detainer_id
    JOIN lodgings l1 ON l1.detainer_id = d.id AND l1.seq = 1
    CROSS JOIN LATERAL (SELECT l.declined AND l.decline_recorded_at >= $1 AND l.decline_recorded_at < $2 AS dw,
                               extract(epoch FROM l.decline_recorded_at - d.issued_at) AS age) f
    WHERE NOT (coalesce(d.cancel_reason IN ('issued_in_error', 'wrong_subject', 'us_citizen'), false) OR l1.status = 'misdirected' OR d.excluded_at IS NOT NULL)
      AND ((l.declined AND l.decline_recorded_at >= $1 AND l.decline_recorded_at < $2)
        OR (l.honored_at >= $1 AND l.honored_at < $2)
        OR (l.missed_pickup AND l.released_at >= $1 AND l.released_at < $2)
        OR (l.short_notice AND l.release_scheduled_recorded_at >= $1 AND l.release_scheduled_recorded_at < $2))
    GROUP BY 1
  ) t GROUP BY j
  UNION ALL
  SELECT 'agency', l1.jurisdiction_id, l1.agency_id, count(*) FILTER (WHERE l1.acknowledged_at IS NOT NULL)::int,
    count(*)::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  FROM detainers d JOIN lodgings l1 ON l1.detainer_id = d.id AND l1.seq = 1
  WHERE d.issued_at >= $1 AND d.issued_at < $2
    AND NOT (coalesce(d.cancel_reason IN ('issued_in_error', 'wrong_subject', 'us_citizen'), false) OR l1.status = 'misdirected' OR d.excluded_at IS NOT NULL)
  GROUP BY l1.jurisdiction_id, l1.agency_id`;

/** Times `work` only; `setup` (what puts the week in the state measured) runs before each, untimed. */
/**
 * Issue 5: roll-up of one week and rendering of its report over 3,000,000 detainers, beside a
 * hand-written SQL aggregate of the same figures run in the same process on the same data.
 */
export const reportPart: BenchPart = {
  name: 'report',
  description: 'weekly roll-up and report rendering on the national data set, beside a hand-written SQL aggregate (ratio)',
  async run(ctx) {
    const { dataSource } = await openNationalDataset(ctx, 'bench-report', 4);
    try {
      const db = new Database(dataSource);
      const config = { ...ctx.config, report: { weekStart: 'saturday' as const, weekStartHour: 0, timeZone: 'America/New_York' } };
      const clock = new FixedClock(DEFAULT_AS_OF);
      const calendar = new ReportCalendar(clock, config);
      const content = new ReportContentRepository();
      const versions = new ReportVersionsRepository();
      const changes = new ReportChangesRepository();
      const renderer = new ReportRenderer(calendar, content, new ReportReconciliationRepository(), new ImportRepository());
      const versionWriter = new ReportVersionWriter(versions, changes, new ChangeListBuilder(changes));
      const rollUpWeek = new RollUpWeek(db, clock, calendar, new ReportWeeksRepository(), new ReportRollUpRepository(), versions, renderer, versionWriter);
      const readReport = new ReadReport(db, clock, calendar, versions, renderer, new ReportTrend(db, calendar, content, rollUpWeek), rollUpWeek);
      const weeks = [calendar.lastClosedWeek().weekStart, '2021-06-05', '2017-01-28'];
      // as autovacuum keeps them in steady state (visibility map for index-only scans, fresh statistics), for both sides
      await db.read((sql) => sql.query(`VACUUM (ANALYZE) detainers, lodgings, detainer_contributions, report_contributions, report_figures, report_reconciliation, report_week_marks, report_weeks`));

      const figureRows: (string | number)[][] = [];
      const timingRows: (string | number)[][] = [];
      for (const weekStart of weeks) {
        const week = weekStartingOn(weekStart, calendar.weekConfig);
        ctx.log(`week ${weekStart}: warming up (rolls the 12 weeks of the trend once)`);
        await readReport.execute(BENCH_ADMIN, weekStart, 'live');

        let handRows: (Figures & { kind: string; j: string; agency: string | null; acknowledged: number })[] = [];
        const baseline = await timesOf(RUNS, async () => {
          handRows = await db.read((sql) => sql.query(HAND_AGGREGATE, [week.start, week.end]));
        });
        const baselineRows = handRows.filter((r) => r.kind === 'jurisdiction');
        let contributions = 0;
        // From scratch: as a week never rolled, every stored contribution of the week is copied.
        const fullRollup = await timesOf(
          RUNS,
          async () => {
            contributions = (await rollUpWeek.execute(weekStart)).contributions;
          },
          () => db.read((sql) => sql.query(`UPDATE report_weeks SET rolled_at = NULL WHERE week_start = $1`, [weekStart])),
        );
        // A re-roll: 20 detainers of the week changed since (their marks), figures added up again.
        const changed = await db.read((sql) => sql.query<{ detainer_id: string }>(
          `SELECT DISTINCT detainer_id FROM report_contributions WHERE week_start = $1 ORDER BY detainer_id LIMIT 20`, [weekStart]));
        const rollup = await timesOf(
          RUNS,
          () => rollUpWeek.execute(weekStart),
          () => db.read((sql) => sql.query(
            `INSERT INTO report_week_marks (week_start, end_at, detainer_id, marked_at) SELECT $1, $2, d, now() FROM unnest($3::uuid[]) d`,
            [weekStart, week.end, changed.map((c) => c.detainer_id)])),
        );
        let report = await readReport.execute(BENCH_ADMIN, weekStart, 'live');
        const render = await timesOf(RUNS, async () => {
          report = await readReport.execute(BENCH_ADMIN, weekStart, 'live');
        });
        let csvBytes = 0;
        const csv = await timesOf(RUNS, () => {
          csvBytes = reportCsv(report).length;
          return Promise.resolve();
        });
        let pdfBytes = 0;
        const pdf = await timesOf(RUNS, async () => {
          pdfBytes = (await reportPdf(report)).length;
        });

        // The roll-up's figures must equal the hand-written aggregate's, jurisdiction by jurisdiction.
        const rolled = await db.read((sql) => content.figures(sql, weekStart));
        const byId = new Map(rolled.map((f) => [f.jurisdictionId, f]));
        let mismatches = 0;
        for (const b of baselineRows) {
          const f = byId.get(b.j);
          const ours: Figures | undefined = f && {
            issued: f.issued, excluded: f.excluded, unacknowledged: f.unacknowledged, declined: f.declined,
            refused: f.declinedByKind.refused, no_notice: f.declinedByKind.no_notice, hold_refused: f.declinedByKind.hold_refused,
            under_week: f.declinedByAge.under_week, under_month: f.declinedByAge.under_month, under_year: f.declinedByAge.under_year,
            year_or_more: f.declinedByAge.year_or_more, honored: f.honored, missed_pickups: f.missedPickups, short_notices: f.shortNotices,
          };
          if (!ours || COMPARED.some((k) => ours[k] !== b[k])) mismatches += 1;
        }
        mismatches += Math.max(0, rolled.length - baselineRows.length);
        // and the reconciliation, agency by agency
        const reconciliation = await db.read((sql) => sql.query<{ agency_id: string; jurisdiction_id: string; issued: number; acknowledged: number }>(
          `SELECT agency_id, jurisdiction_id, issued, acknowledged FROM report_reconciliation WHERE week_start = $1`, [weekStart]));
        const byAgency = new Map(reconciliation.map((r) => [r.agency_id, r]));
        const handAgencies = handRows.filter((r) => r.kind === 'agency');
        for (const h of handAgencies) {
          const r = byAgency.get(h.agency!);
          if (!r || r.jurisdiction_id !== h.j || r.issued !== h.issued || r.acknowledged !== h.acknowledged) mismatches += 1;
        }
        mismatches += Math.max(0, reconciliation.length - handAgencies.length);

        figureRows.push([
          weekStart, report.totals.issued, report.totals.declined, report.totals.honored, report.totals.missedPickups, report.totals.excluded,
          report.jurisdictions.length, contributions, mismatches === 0 ? 'yes' : `NO (${mismatches} rows differ)`,
        ]);
        timingRows.push([
          weekStart, baseline.median, fullRollup.median, fullRollup.median / baseline.median, rollup.median, rollup.median / baseline.median, rollup.p95, render.median, csv.median, pdf.median,
          `${Math.round(csvBytes / 1024)} KB / ${Math.round(pdfBytes / 1024)} KB`,
        ]);
      }
      const tables: BenchTable[] = [
        {
          title: 'Weekly report: figures (nationwide) and agreement with the hand-written aggregate',
          columns: ['week', 'issued', 'declined', 'honored', 'missed pickups', 'excluded', 'jurisdiction rows', 'contributions', 'same figures'],
          rows: figureRows,
        },
        {
          title: `Weekly report: timings in ms (median of ${RUNS} runs; ratio = roll-up / hand-written aggregate, same run)`,
          columns: ['week', 'hand-written aggregate', 'roll-up from scratch', 'ratio', 're-roll (20 changed)', 'ratio', 're-roll p95', 'render JSON (live)', 'CSV', 'PDF', 'CSV / PDF size'],
          rows: timingRows,
          notes: [
            'hand-written aggregate = one statement over the projection: the same per-jurisdiction figures compared in the first table, and the per-agency reconciliation (issued, acknowledged)',
            'roll-up from scratch = one transaction (BEGIN, lock the week, one roll-up statement, COMMIT): read all the week\'s stored contributions (computed by the domain at each change), make the week\'s copy, per-jurisdiction figures (with sources, exclusion reasons, disputes) and reconciliation equal to them (rows written only where they differ)',
            're-roll = the same after 20 detainers of the week changed: drain their marks, copy again only their contributions, add up again (what the every-minute re-roll does)',
            'untimed before each run: resetting the week as never rolled (from scratch) or writing the 20 marks (re-roll); tables vacuumed once before timing, as autovacuum keeps them',
            'render = read the rolled tables, policies in force, Section II cases and disputes, 12-week trend, and assemble sections I-IV',
            `data set: ${NATIONAL_DETAINERS.toLocaleString('en-US')} detainers over ten years; shared machine, so read ratios rather than absolute times`,
          ],
        },
      ];
      return tables;
    } finally {
      await dataSource.destroy();
    }
  },
};
