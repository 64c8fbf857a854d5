import { DataSource } from 'typeorm';
import { QueueName } from '@app/domain';
import { AccessScope, createDataSource, Database, QueueRepository, QUEUES_AVAILABLE, Sql } from '@app/persistence';
import { BenchContext, BenchPart, BenchTable, percentile, timed } from '../bench';
import { DEFAULT_AS_OF, ensureNationalDataset } from '../generator/national-dataset';
import { NATIONAL_DETAINERS } from './dataset';

const PAGE = 50;

/** The partial indexes of migration 1795440000000, by the queue they serve (dropped, in a rolled-back transaction, for the baseline). */
const QUEUE_INDEXES: Record<QueueName, string[]> = {
  unacknowledged: ['lodgings_q_unack_area_idx', 'lodgings_q_unack_issuing_idx', 'lodgings_q_unack_all_idx'],
  release_soon_no_pickup: ['lodgings_q_release_area_idx', 'lodgings_q_release_issuing_idx', 'lodgings_q_release_all_idx'],
  hold_expiring: ['lodgings_q_hold_area_idx', 'lodgings_q_hold_issuing_idx', 'lodgings_q_hold_all_idx'],
  short_notice: ['lodgings_q_short_area_idx', 'lodgings_q_short_issuing_idx', 'lodgings_q_short_all_idx'],
  decline_no_outcome: ['detainers_q_decline_area_idx', 'detainers_q_decline_current_idx', 'detainers_q_decline_all_idx'],
  disputes: ['lodgings_q_disputed_idx', 'detainer_events_identity_claims_idx'],
  failed_deliveries: [],
  booked_elsewhere: ['booking_alerts_area'],
};

/**
 * The national data set the report benchmark reads (same generator, same options, same database),
 * with this branch's migrations applied to it. BENCH_QUEUES_DATABASE puts it in a database of its
 * own instead, so that a run never touches a data set another checkout is reading.
 */
async function ensureDataset(ctx: BenchContext): Promise<{ url: string; note: string }> {
  const own = process.env.BENCH_QUEUES_DATABASE;
  const rename = (name: string) => own ?? name;
  const { url, dataset, reused } = await ensureNationalDataset(
    (name) => ctx.scratchDatabase(rename(name)),
    (name) => ctx.scratchDatabaseUrl(rename(name)),
    { detainers: NATIONAL_DETAINERS, asOf: DEFAULT_AS_OF, skipForeignKeyChecks: true, log: ctx.log },
  );
  const database = new URL(url).pathname.slice(1);
  if (reused || !dataset) return { url, note: `reused ${database}` };
  return { url, note: `built ${database} in ${dataset.seconds.toFixed(0)} s (${dataset.detainers.toLocaleString('en-US')} detainers, ${dataset.lodgings.toLocaleString('en-US')} lodgings)` };
}

/** Runs each statement as EXPLAIN (ANALYZE, BUFFERS) and keeps the plans instead of rows. */
class ExplainingSql extends Sql {
  readonly plans: string[][] = [];
  override async query<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    const rows = await super.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${text}`, params);
    this.plans.push(rows.map((r) => r['QUERY PLAN']));
    return [];
  }
}

async function explain(ds: DataSource, work: (sql: Sql) => Promise<unknown>, statement = 0): Promise<string[]> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    const sql = new ExplainingSql(runner);
    await work(sql);
    return sql.plans[statement] ?? [];
  } finally {
    await runner.release();
  }
}

class Rollback extends Error {}

async function inRolledBackTransaction<T>(db: Database, work: (sql: Sql) => Promise<T>): Promise<T> {
  let out: T | undefined;
  await db
    .transaction(async (sql) => {
      out = await work(sql);
      throw new Rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return out as T;
}

const stats = (ms: number[]) => [percentile(ms, 50), percentile(ms, 95), Math.max(...ms)];
const planNodes = (plan: string[]) => plan.filter((l) => /->|^[A-Z]/.test(l) && !/^Planning/.test(l)).map((l) => `   ${l}`);

const SEEDED = { identityClaims: 600, recordDisputes: 3_000, failedDeliveries: 10_000 };

/** Seeds open disputes and failed deliveries, times the disputes and failed_deliveries queues, rolls back. */
async function seededOpenMatters(
  ds: DataSource,
  scopes: { label: string; scope: AccessScope }[],
  now: Date,
): Promise<{ rows: (string | number)[][]; plans: string[] }> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    const sql = new Sql(runner);
    await sql.query(
      `WITH c AS (
         SELECT l.detainer_id, l.seq, l.status, row_number() OVER (ORDER BY md5(l.detainer_id::text)) AS n
         FROM lodgings l JOIN detainers d ON d.id = l.detainer_id AND d.current_lodging_seq = l.seq
         WHERE l.status = 'acknowledged' ORDER BY md5(l.detainer_id::text) LIMIT $2),
       u AS (UPDATE lodgings l SET status = 'disputed', identity_claim = 'citizenship', status_before_dispute = c.status
             FROM c WHERE l.detainer_id = c.detainer_id AND l.seq = c.seq RETURNING l.detainer_id),
       v AS (UPDATE detainers d SET status = 'disputed' FROM c WHERE d.id = c.detainer_id RETURNING d.id)
       INSERT INTO detainer_events (detainer_id, seq, version, lodging_seq, kind, occurred_at, recorded_at, actor_kind, actor_role, source, payload)
       SELECT c.detainer_id, 1000, 5, c.seq, 'citizenship_claimed', $1::timestamptz - c.n * interval '3 minutes', $1::timestamptz - c.n * interval '3 minutes',
              'system', 'system', 'system', '{"note":"bench"}'
       FROM c WHERE (SELECT count(*) FROM u) > 0 AND (SELECT count(*) FROM v) > 0`,
      [now, SEEDED.identityClaims],
    );
    await sql.query(
      `INSERT INTO record_disputes (id, detainer_id, lodging_seq, agency_id, reason, status, opened_at)
       SELECT md5('bench-dispute-' || l.detainer_id)::uuid, l.detainer_id, l.seq, l.agency_id, 'bench', 'open',
              $1::timestamptz - row_number() OVER (ORDER BY md5(l.detainer_id::text)) * interval '7 minutes'
       FROM (SELECT * FROM lodgings WHERE declined ORDER BY md5(detainer_id::text) LIMIT $2) l`,
      [now, SEEDED.recordDisputes],
    );
    await sql.query(
      `WITH picked AS (
         SELECT d.id, d.current_lodging_seq AS seq, l.agency_id, d.area_id, l.facility_id, l.time_zone,
                row_number() OVER (ORDER BY md5(d.id::text || 'delivery')) AS n
         FROM detainers d JOIN lodgings l ON l.detainer_id = d.id AND l.seq = d.current_lodging_seq
         WHERE d.status IN ('release_scheduled', 'held', 'released') ORDER BY md5(d.id::text || 'delivery') LIMIT $2),
       r AS (
         INSERT INTO reminders (detainer_id, lodging_seq, key, kind, audience, due_at, anchor_at, agency_id, area_id, facility_id, time_zone, status, created_at, fired_at)
         SELECT id, seq, 'bench:' || n, 'release_48h', 'office', $1::timestamptz - n * interval '1 minute', $1::timestamptz, agency_id, area_id, facility_id, time_zone,
                'fired', $1::timestamptz - n * interval '1 minute', $1::timestamptz - n * interval '1 minute'
         FROM picked RETURNING id, fired_at)
       INSERT INTO reminder_deliveries (reminder_id, channel, recipient, address, status, attempts, created_at, updated_at, failed_at, last_error)
       SELECT id, 'email', md5(id::text)::uuid, 'office@example.test', 'failed', 8, fired_at, fired_at, fired_at + interval '2 hours', 'bench: 550' FROM r`,
      [now, SEEDED.failedDeliveries],
    );
    await sql.query('ANALYZE record_disputes, reminders, reminder_deliveries');

    const repo = new QueueRepository();
    const rows: (string | number)[][] = [];
    const plans: string[] = [];
    for (const queue of ['disputes', 'failed_deliveries'] as const) {
      const pageOf = (x: Sql, scope: AccessScope) => repo.page(x, { queue, scope, filters: {}, now }, { limit: PAGE });
      await pageOf(sql, scopes[0].scope);
      const first: number[] = [];
      for (let round = 0; round < 3; round += 1) for (const s of scopes) first.push((await timed(() => pageOf(sql, s.scope))).ms);
      const nationalMs: number[] = [];
      for (let i = 0; i < 10; i += 1) nationalMs.push((await timed(() => pageOf(sql, { kind: 'all' }))).ms);
      const total = (await repo.summary(sql, { scope: { kind: 'all' }, filters: {}, now })).find((x) => x.name === queue)?.count ?? 0;
      const summaries: number[] = [];
      for (const s of scopes) summaries.push((await timed(() => repo.summary(sql, { scope: s.scope, filters: {}, now }))).ms);
      rows.push([queue, total, ...stats(first), ...stats(nationalMs).slice(0, 2), percentile(summaries, 50), percentile(summaries, 95)]);

      const explaining = new ExplainingSql(runner);
      await pageOf(explaining, scopes[0].scope);
      plans.push(`-- ${queue} (seeded), first page of ${scopes[0].label}:`, ...planNodes(explaining.plans[0] ?? []));
    }
    return { rows, plans };
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}

export const queuesPart: BenchPart = {
  name: 'queues',
  description: `one page (${PAGE} items) of each compliance queue over ${NATIONAL_DETAINERS.toLocaleString('en-US')} detainers, per AOR and national, beside the same page without the queue indexes`,
  async run(ctx) {
    const { url, note } = await ensureDataset(ctx);
    ctx.log(note);
    const ds = createDataSource({ url, applicationName: 'bench-queues', poolSize: 2 });
    await ds.initialize();
    const db = new Database(ds);
    // steady state: statistics for columns and indexes a newer migration may just have added, and the
    // visibility map autovacuum keeps in production (index-only counts depend on it)
    await db.read((sql) => sql.query('VACUUM (ANALYZE) detainers, lodgings'));
    const repo = new QueueRepository();
    const now = DEFAULT_AS_OF;
    try {
      const areas = await db.read((sql) => sql.query<{ id: string; code: string }>('SELECT id, code FROM areas ORDER BY code'));
      const scopes: { label: string; scope: AccessScope }[] = areas.map((a) => ({ label: a.code, scope: { kind: 'area', areaId: a.id } }));
      const national: AccessScope = { kind: 'all' };
      const pageOf = (sql: Sql, queue: QueueName, scope: AccessScope, cursor?: string) =>
        repo.page(sql, { queue, scope, filters: {}, now }, { limit: PAGE, ...(cursor ? { cursor } : {}) });

      // sizes, so that the figures can be read against them
      const sizes = await db.read((sql) => repo.summary(sql, { scope: national, filters: {}, now }));
      const sizeOf = (q: QueueName) => sizes.find((s) => s.name === q)?.count ?? 0;
      const perArea = await db.read(async (sql) => {
        const out = new Map<string, Map<QueueName, number>>();
        for (const s of scopes) out.set(s.label, new Map((await repo.summary(sql, { scope: s.scope, filters: {}, now })).map((x) => [x.name, x.count])));
        return out;
      });
      const largestArea = (q: QueueName) => scopes.reduce((best, s) => ((perArea.get(s.label)?.get(q) ?? 0) > (perArea.get(best.label)?.get(q) ?? 0) ? s : best));

      const pageRows: (string | number)[][] = [];
      const plans: string[] = [];
      for (const queue of QUEUES_AVAILABLE) {
        // warm-up, then every AOR three times, first page
        await db.read((sql) => pageOf(sql, queue, scopes[0].scope));
        const first: number[] = [];
        for (let round = 0; round < 3; round += 1) {
          for (const s of scopes) first.push((await timed(() => db.read((sql) => pageOf(sql, queue, s.scope)))).ms);
        }
        // a page deep in the largest AOR's queue (after ten pages)
        const big = largestArea(queue);
        let cursor: string | undefined;
        for (let i = 0; i < 10; i += 1) {
          const p = await db.read((sql) => pageOf(sql, queue, big.scope, cursor));
          if (!p.nextCursor) break;
          cursor = p.nextCursor;
        }
        const deep: number[] = [];
        for (let i = 0; i < 20; i += 1) deep.push((await timed(() => db.read((sql) => pageOf(sql, queue, big.scope, cursor)))).ms);
        const nationalMs: number[] = [];
        for (let i = 0; i < 20; i += 1) nationalMs.push((await timed(() => db.read((sql) => pageOf(sql, queue, national)))).ms);
        // baseline: the same first pages without the queue indexes (dropped, then rolled back); all of
        // them, since one queue's indexes can serve another's (short notices are releases too)
        const baseline = await inRolledBackTransaction(db, async (sql) => {
          for (const index of Object.values(QUEUE_INDEXES).flat()) await sql.query(`DROP INDEX ${index}`);
          const ms: number[] = [];
          for (const s of scopes.slice(0, 5)) ms.push((await timed(() => pageOf(sql, queue, s.scope))).ms);
          return ms;
        });
        pageRows.push([
          queue,
          sizeOf(queue),
          `${big.label} ${perArea.get(big.label)?.get(queue) ?? 0}`,
          ...stats(first),
          ...stats(deep).slice(0, 2),
          ...stats(nationalMs).slice(0, 2),
          percentile(baseline, 50),
          percentile(baseline, 50) / percentile(first, 50),
        ]);

        const plan = await explain(ds, (sql) => pageOf(sql, queue, big.scope));
        plans.push(`-- ${queue}, first page of ${big.label}:`);
        // plan nodes and the total; the index and filter conditions are left out for width
        plans.push(...planNodes(plan));
      }

      // the summary runs one statement per queue; the largest queue's
      const countPlan = await explain(
        ds,
        (sql) => repo.summary(sql, { scope: largestArea('decline_no_outcome').scope, filters: {}, now }),
        QUEUES_AVAILABLE.indexOf('decline_no_outcome'),
      );
      plans.push(`-- summary statement (count and first item) of decline_no_outcome, ${largestArea('decline_no_outcome').label}:`);
      plans.push(...planNodes(countPlan));

      const summaryMs: number[] = [];
      const summaryNational: number[] = [];
      for (let round = 0; round < 2; round += 1) {
        for (const s of scopes) summaryMs.push((await timed(() => db.read((sql) => repo.summary(sql, { scope: s.scope, filters: {}, now })))).ms);
      }
      for (let i = 0; i < 5; i += 1) summaryNational.push((await timed(() => db.read((sql) => repo.summary(sql, { scope: national, filters: {}, now })))).ms);

      // The generated data has no open disputes and no failed deliveries: seed some (in a transaction
      // rolled back afterwards, so the shared data set is unchanged) and time the grouped queues.
      const seeded = await seededOpenMatters(ds, scopes, now);

      const tables: BenchTable[] = [
        {
          title: `Queue pages (${PAGE} items; ms; as of ${now.toISOString()}; ${scopes.length} AORs)`,
          columns: ['queue', 'items (national)', 'largest AOR', 'AOR p50', 'AOR p95', 'AOR max', 'deep p50', 'deep p95', 'national p50', 'national p95', 'no-index p50', 'no-index / indexed'],
          rows: pageRows,
          notes: [
            'AOR: first page for each AOR, 3 rounds; deep: the page after ten pages of the largest AOR; national: an admin\'s first page.',
            'no-index: the same first pages (5 AORs) inside a transaction that dropped every queue index (rolled back): the baseline.',
            'Times include the page query and the mapping to records (QueueRepository.page), not HTTP or JSON.',
          ],
        },
        {
          title: 'Queue summary (GET /api/v1/queues: count and oldest due item of every queue; ms)',
          columns: ['scope', 'p50', 'p95', 'max'],
          rows: [['one AOR (all AORs, 2 rounds)', ...stats(summaryMs)], ['national (admin)', ...stats(summaryNational)]],
        },
        {
          title: `Grouped queues with open matters seeded (${SEEDED.identityClaims} citizenship claims, ${SEEDED.recordDisputes} record disputes, ${SEEDED.failedDeliveries} failed deliveries; ms)`,
          columns: ['queue', 'items (national)', 'AOR p50', 'AOR p95', 'AOR max', 'national p50', 'national p95', 'summary, one AOR p50', 'summary p95'],
          rows: seeded.rows,
          notes: ['Seeded and measured in one transaction that is rolled back; computed whole per scope, grouped per detainer, then paged.'],
        },
        { title: 'Query plans of one page (EXPLAIN ANALYZE, BUFFERS; plan nodes only)', columns: ['plan'], rows: [...plans, ...seeded.plans].map((p) => [p]) },
      ];
      return tables;
    } finally {
      await ds.destroy();
    }
  },
};
