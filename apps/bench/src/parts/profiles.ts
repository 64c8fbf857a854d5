import { Clock, Principal, ReadJurisdictionProfile, ReportCalendar } from '@app/application';
import { FORM_RULES, Measured, measuredOf, PROFILE_KEYS, ProfileCounts, previousWeek, ReportWeek } from '@app/domain';
import { Database, JurisdictionProfileRepository, ReferenceRepository, WEEKLY_COUNTS_SQL } from '@app/persistence';
import { BenchPart, BenchTable, timesOf } from '../bench';
import { openNationalDataset } from '../scratch-database';
import { DEFAULT_AS_OF, hasProfileContributions, storeDatasetProfileContributions } from '../generator/national-dataset';
import { NATIONAL_DETAINERS } from './dataset';

const RUNS = Number(process.env.BENCH_PROFILE_RUNS ?? 30);
// the hand-written aggregate of the busiest jurisdiction takes over a minute a run at 3 M detainers
const BASELINE_RUNS = Number(process.env.BENCH_PROFILE_BASELINE_RUNS ?? RUNS);
const WEEKS = 52;

class FixedClock extends Clock {
  constructor(private readonly instant: Date) {
    super();
  }
  now(): Date {
    return new Date(this.instant);
  }
}

const BENCH_ADMIN: Principal = { kind: 'user', id: '00000000-0000-4000-8000-000000000000', name: 'bench', role: 'admin', agencyId: null, areaId: null };

/**
 * The baseline: the same 52 weekly figures of one jurisdiction written by hand as one aggregate over
 * the records themselves (lodgings and detainers, what the events fold into: this data set's events
 * are markers, not a history), with the counting rules spelt out in SQL instead of read from the
 * stored contributions. $1 jurisdiction, $2 week starts, $3 starts, $4 ends, $5 now, $6 hold-asking forms.
 */
const HAND_AGGREGATE = `
  WITH w AS (SELECT * FROM unnest($2::date[], $3::timestamptz[], $4::timestamptz[]) AS w(week_start, s, e)),
  kept AS (
    SELECT l.*, d.form, CASE WHEN l.seq = 1 THEN d.issued_at ELSE l.opened_at END + interval '24 hours' AS due,
      CASE WHEN l.seq = 1 THEN d.issued_at ELSE l.opened_at END AS start_at
    FROM lodgings l JOIN detainers d ON d.id = l.detainer_id JOIN lodgings l1 ON l1.detainer_id = d.id AND l1.seq = 1
    WHERE l.agency_id IN (SELECT a.id FROM agencies a WHERE a.jurisdiction_id = $1) AND l.jurisdiction_id = $1 AND l.status <> 'misdirected'
      AND NOT (coalesce(d.cancel_reason IN ('issued_in_error', 'wrong_subject', 'us_citizen'), false) OR l1.status = 'misdirected' OR d.excluded_at IS NOT NULL)),
  lodged AS (
    SELECT CASE WHEN acknowledged_at <= due THEN greatest(acknowledged_at, start_at) ELSE due END AS at, coalesce(acknowledged_at <= due, false) AS on_time
    FROM kept WHERE acknowledged_at <= due OR NOT (acknowledged_at IS NULL AND closed_at IS NOT NULL AND closed_at < due)),
  concluded AS (
    SELECT CASE WHEN honored_at IS NOT NULL THEN honored_at WHEN declined AND decline_recorded_at IS NOT NULL THEN decline_recorded_at ELSE released_at END AS at,
      CASE WHEN honored_at IS NOT NULL THEN 'custody_to_ice' WHEN declined AND decline_recorded_at IS NOT NULL THEN 'declined'
           WHEN missed_pickup AND released_at IS NOT NULL THEN 'missed_pickup' ELSE 'released' END AS how,
      decline_kind, form = ANY($6::text[]) AS hold_asked
    FROM kept
    WHERE honored_at IS NOT NULL OR (declined AND decline_recorded_at IS NOT NULL) OR (missed_pickup AND released_at IS NOT NULL)
       OR (destination = 'community' AND released_at IS NOT NULL)),
  sent AS (
    SELECT d.issued_at AS at, CASE WHEN d.cancel_reason IN ('issued_in_error', 'wrong_subject', 'us_citizen') THEN d.cancel_reason
      WHEN l1.status = 'misdirected' THEN 'misdirected' END AS exclusion
    FROM lodgings l1 JOIN detainers d ON d.id = l1.detainer_id
    WHERE l1.seq = 1 AND l1.agency_id IN (SELECT a.id FROM agencies a WHERE a.jurisdiction_id = $1) AND l1.jurisdiction_id = $1)
  SELECT w.week_start,
    (SELECT count(*) FROM lodged x WHERE x.at >= w.s AND x.at < least(w.e, $5))::int AS lodged,
    (SELECT count(*) FROM lodged x WHERE x.on_time AND x.at >= w.s AND x.at < least(w.e, $5))::int AS lodged_on_time,
    (SELECT count(*) FROM kept k WHERE k.release_scheduled_recorded_at IS NOT NULL AND k.notice_lead_hours IS NOT NULL
       AND k.release_scheduled_recorded_at >= w.s AND k.release_scheduled_recorded_at < least(w.e, $5))::int AS notices,
    (SELECT count(*) FROM kept k WHERE k.release_scheduled_recorded_at IS NOT NULL AND k.notice_lead_hours IS NOT NULL AND NOT coalesce(k.short_notice, false)
       AND k.release_scheduled_recorded_at >= w.s AND k.release_scheduled_recorded_at < least(w.e, $5))::int AS notices_on_time,
    c.concluded, c.custody_to_ice, c.declined_refused, c.declined_no_notice, c.declined_hold_refused, c.missed_pickups, c.holds_asked, c.holds_honored,
    s.sent, s.misdirected, s.cancelled_issued_in_error
  FROM w
  CROSS JOIN LATERAL (SELECT count(*)::int AS concluded, count(*) FILTER (WHERE how = 'custody_to_ice')::int AS custody_to_ice,
      count(*) FILTER (WHERE how = 'declined' AND decline_kind = 'refused')::int AS declined_refused,
      count(*) FILTER (WHERE how = 'declined' AND decline_kind = 'no_notice')::int AS declined_no_notice,
      count(*) FILTER (WHERE how = 'declined' AND decline_kind = 'hold_refused')::int AS declined_hold_refused,
      count(*) FILTER (WHERE how = 'missed_pickup')::int AS missed_pickups, count(*) FILTER (WHERE hold_asked)::int AS holds_asked,
      count(*) FILTER (WHERE hold_asked AND how <> 'declined')::int AS holds_honored
    FROM concluded x WHERE x.at >= w.s AND x.at < least(w.e, $5)) c
  CROSS JOIN LATERAL (SELECT count(*)::int AS sent, count(*) FILTER (WHERE exclusion = 'misdirected')::int AS misdirected,
      count(*) FILTER (WHERE exclusion = 'issued_in_error')::int AS cancelled_issued_in_error
    FROM sent x WHERE x.at >= w.s AND x.at < least(w.e, $5)) s
  ORDER BY w.week_start`;

const COLUMNS: Record<keyof ProfileCounts, string> = {
  lodged: 'lodged', lodgedOnTime: 'lodged_on_time', notices: 'notices', noticesOnTime: 'notices_on_time', concluded: 'concluded', custodyToIce: 'custody_to_ice',
  declinedRefused: 'declined_refused', declinedNoNotice: 'declined_no_notice', declinedHoldRefused: 'declined_hold_refused', missedPickups: 'missed_pickups',
  holdsAsked: 'holds_asked', holdsHonored: 'holds_honored', sent: 'sent', misdirected: 'misdirected', cancelledIssuedInError: 'cancelled_issued_in_error',
};

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  'Heap Fetches'?: number;
  Plans?: PlanNode[];
}
const nodesOf = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodesOf)];
const sameMeasured = (a: Measured, b: Measured) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Issue 17: a jurisdiction's 52-week profile (declared beside measured, with the weekly trend) on the
 * national data set, for the busiest jurisdiction, a median one and a small one, beside a hand-written
 * SQL aggregate of the same weekly figures in the same run; and the plan of the profile's count query:
 * it reads the jurisdiction's own contributions through (jurisdiction_id, at), nothing else.
 */
export const profilesPart: BenchPart = {
  name: 'profiles',
  description: 'a jurisdiction\'s 52-week profile on the national data set, beside a hand-written SQL aggregate of the same figures (p95, ratio, plan)',
  async run(ctx) {
    const { dataSource } = await openNationalDataset(ctx, 'bench-profiles', 4);
    try {
      const db = new Database(dataSource);
      await db.read(async (sql) => {
        if (await hasProfileContributions(sql)) return;
        ctx.log('the reused data set has no profile contributions yet: storing them (once)');
        await storeDatasetProfileContributions(sql);
        await sql.query('ANALYZE detainer_contributions');
      });
      const config = { ...ctx.config, report: { weekStart: 'saturday' as const, weekStartHour: 0, timeZone: 'America/New_York' } };
      const clock = new FixedClock(DEFAULT_AS_OF);
      const calendar = new ReportCalendar(clock, config);
      const readProfile = new ReadJurisdictionProfile(db, clock, calendar, new ReferenceRepository(), new JurisdictionProfileRepository());

      const weeks: ReportWeek[] = [calendar.currentWeek(DEFAULT_AS_OF)];
      while (weeks.length < WEEKS) weeks.unshift(previousWeek(weeks[0], calendar.weekConfig));
      const params = (j: string) => [j, weeks.map((w) => w.weekStart), weeks.map((w) => w.start), weeks.map((w) => w.end), DEFAULT_AS_OF];
      const holdForms = Object.entries(FORM_RULES).filter(([, r]) => r.asksHold).map(([form]) => form);

      const { total, picks } = await db.read(async (sql) => {
        const total = Number((await sql.one<{ n: string }>(`SELECT count(*) n FROM detainer_contributions`))?.n);
        const sizes = await sql.query<{ id: string; code: string; name: string; n: number }>(
          `SELECT j.id, j.code, j.name, count(*)::int AS n FROM detainer_contributions c JOIN jurisdictions j ON j.id = c.jurisdiction_id
           WHERE c.at >= $1 AND c.at < $2 GROUP BY j.id ORDER BY n DESC, j.code`, [weeks[0].start, DEFAULT_AS_OF]);
        const at = (q: number) => sizes[Math.min(sizes.length - 1, Math.floor(q * (sizes.length - 1)))];
        return { total, picks: [{ size: 'busiest', ...at(0) }, { size: 'median', ...at(0.5) }, { size: 'small (90th pct.)', ...at(0.9) }] };
      });

      const figureRows: (string | number)[][] = [];
      const timingRows: (string | number)[][] = [];
      const planRows: (string | number)[][] = [];
      for (const pick of picks) {
        ctx.log(`${pick.size}: ${pick.name} [${pick.code}], ${pick.n} contributions in the 52 weeks`);
        let profile = await readProfile.execute(BENCH_ADMIN, pick.id, WEEKS, true);
        const ours = await timesOf(RUNS, async () => {
          profile = await readProfile.execute(BENCH_ADMIN, pick.id, WEEKS, true);
        });
        let hand: Record<string, unknown>[] = [];
        const baseline = await timesOf(BASELINE_RUNS, async () => {
          hand = await db.read((sql) => sql.query<Record<string, unknown>>(HAND_AGGREGATE, [...params(pick.id), holdForms]));
        });
        const handWeeks = hand.map((r) => {
          const counts = {} as ProfileCounts;
          for (const [k, c] of Object.entries(COLUMNS) as [keyof ProfileCounts, string][]) counts[k] = r[c] as number;
          return { weekStart: r.week_start as string, measured: measuredOf(counts) };
        });
        const weeksDiffering = profile.trend.filter((t, i) => handWeeks[i]?.weekStart !== t.weekStart || !sameMeasured(handWeeks[i].measured, t.measured)).length;

        const plan = await db.read(async (sql) => {
          const [row] = await sql.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${WEEKLY_COUNTS_SQL}`, params(pick.id));
          return row['QUERY PLAN'][0];
        });
        const scans = nodesOf(plan.Plan).filter((n) => n['Relation Name'] === 'detainer_contributions' || n['Index Name']?.startsWith('detainer_contributions'));
        const scanned = scans.reduce((s, n) => s + n['Actual Rows'] * n['Actual Loops'], 0);
        const buffers = scans.reduce((s, n) => s + n['Shared Hit Blocks'] + n['Shared Read Blocks'], 0);
        const heapFetches = scans.reduce((s, n) => s + (n['Heap Fetches'] ?? 0), 0); // a total over the loops, like the buffers
        const inSpan = await db.read(async (sql) => Number((await sql.one<{ n: string }>(
          `SELECT count(*) n FROM detainer_contributions WHERE jurisdiction_id = $1 AND at >= $2 AND at < $3`, [pick.id, weeks[0].start, DEFAULT_AS_OF]))?.n));

        const m = profile.measured;
        figureRows.push([
          `${pick.size}: ${pick.name} [${pick.code}]`,
          ...PROFILE_KEYS.map((k) => (m[k].rate === null ? 'no cases' : `${m[k].numerator}/${m[k].denominator}`)),
          weeksDiffering === 0 ? 'yes (52 weeks)' : `NO (${weeksDiffering} weeks differ)`,
        ]);
        timingRows.push([pick.size, pick.n, baseline.median, baseline.p95, ours.median, ours.p95, ours.p95 / baseline.p95, ours.p95 < 200 ? 'yes' : 'NO']);
        planRows.push([
          pick.size, total, inSpan, scans.map((n) => `${n['Node Type']} on ${n['Index Name'] ?? n['Relation Name']} (x${n['Actual Loops']})`).join('; '),
          scanned, heapFetches, buffers, plan['Execution Time'],
        ]);
      }
      const tables: BenchTable[] = [
        {
          title: 'Jurisdiction profile (52 weeks, live): figures, and agreement with the hand-written aggregate week by week',
          columns: ['jurisdiction', ...PROFILE_KEYS, 'same figures'],
          rows: figureRows,
        },
        {
          title: `Jurisdiction profile: timings in ms (${RUNS} runs of the profile, ${BASELINE_RUNS} of the hand-written aggregate; ratio = profile p95 / hand-written aggregate p95, same run)`,
          columns: ['jurisdiction', 'contributions in 52 weeks', 'hand-written median', 'hand-written p95', 'profile median', 'profile p95', 'ratio', 'p95 < 200 ms'],
          rows: timingRows,
          notes: [
            'profile = the use case behind GET /jurisdictions/:id/profile?weeks=52&live=true: jurisdiction, agencies, policies, certifications; 52 weekly counts from the stored contributions; disputes; declared beside measured, trend and sentences',
            'hand-written = the same 52 weekly figures straight from lodgings and detainers, the counting rules spelt out in SQL (this data set\'s events are markers, so the records they fold into)',
            `data set: ${NATIONAL_DETAINERS.toLocaleString('en-US')} detainers over ten years; shared machine, so read ratios rather than absolute times`,
          ],
        },
        {
          title: 'Jurisdiction profile: the count query\'s plan (EXPLAIN ANALYZE, BUFFERS)',
          columns: ['jurisdiction', 'contributions (table)', 'jurisdiction\'s in 52 weeks', 'scan', 'rows read', 'heap fetches', 'buffers', 'execution (ms)'],
          rows: planRows,
          notes: ['rows read = the jurisdiction\'s own contributions in the 52 weeks (index on (jurisdiction_id, at), one range per week): the work follows the jurisdiction\'s rows, not the table\'s', 'heap fetches = rows the index-only scan had to check in the table because the visibility map (kept by autovacuum) did not yet mark their page all-visible'],
        },
      ];
      return tables;
    } finally {
      await dataSource.destroy();
    }
  },
};
