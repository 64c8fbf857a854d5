import { AccessScope, beginStatement, Database, DatabaseScope, DetainerReadRepository, preparedStatementName, Sql, withDatabaseScope } from '@app/persistence';
import { BenchPart, BenchTable, percentile, timed } from '../bench';
import { openNationalDataset } from '../scratch-database';
import { NATIONAL_DETAINERS } from './dataset';
import { policyBoundReader } from './row-security';

const RUNS = Number(process.env.BENCH_LISTS_RUNS ?? 30);
const LIMIT = 50;

/** Runs the first statement as EXPLAIN (ANALYZE, BUFFERS) and keeps its plan. */
class ExplainingSql extends Sql {
  plan: string[] | null = null;
  override async query<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    if (this.plan !== null) return super.query<T>(text, params);
    const rows = await super.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${text}`, params);
    this.plan = rows.map((r) => r['QUERY PLAN']);
    return [];
  }
  /** A prepared first statement: run past PostgreSQL's switch to its generic plan, then that plan explained. */
  override async prepared<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    if (this.plan !== null) return super.prepared<T>(text, params);
    for (let i = 0; i < 6; i += 1) await super.prepared(text, params);
    // EXECUTE takes no bind parameters: the values (ids, statuses, cursor keys of this bench) as literals
    const literal = (v: unknown) => `'${(v instanceof Date ? v.toISOString() : String(v)).replace(/'/g, "''")}'`;
    const args = params.map(literal).join(', ');
    const rows = await super.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE ${preparedStatementName(text)}${args ? `(${args})` : ''}`);
    this.plan = ['(prepared: its generic plan)', ...rows.map((r) => r['QUERY PLAN'])];
    return [];
  }
}

/**
 * `GET /detainers` pages (the repository's keyset query and the page's lodgings and subjects) for an
 * officer and a supervisor (their AOR's scope) and a jail (its agency's), first and tenth page, beside
 * the same page fetched by primary key in the same run, with the page query's plan.
 */
export const listsPart: BenchPart = {
  name: 'lists',
  description: 'keyset-paged detainer lists (first and tenth page) per role on the national data set, beside the same page by primary key, with plans',
  async run(ctx) {
    const { url, dataSource: ds } = await openNationalDataset(ctx, 'bench-lists', 2);
    // as the service reads: a role the row-level security policies bind, each read in a transaction with its caller's scope
    const reader = await policyBoundReader(url, ds, 'bench-lists', 2).catch(async (error: unknown) => {
      await ds.destroy();
      throw error;
    });
    try {
      await ds.query('ANALYZE detainers');
      const bound = new Database(reader);
      const reads = new DetainerReadRepository();
      const [area] = await ds.query<{ id: string; n: number }[]>(`SELECT area_id AS id, count(*)::int AS n FROM detainers GROUP BY 1 ORDER BY 2 DESC LIMIT 1`);
      const [agency] = await ds.query<{ id: string; n: number }[]>(`SELECT agency_id AS id, count(*)::int AS n FROM lodgings GROUP BY 1 ORDER BY 2 DESC LIMIT 1`);
      const roles: { role: string; scope: AccessScope; includeIdentity: boolean; reach: number }[] = [
        { role: 'officer (its AOR)', scope: { kind: 'area', areaId: area.id }, includeIdentity: true, reach: area.n },
        { role: 'supervisor (its AOR, status=issued)', scope: { kind: 'area', areaId: area.id }, includeIdentity: true, reach: area.n },
        { role: 'jail staff (its agency)', scope: { kind: 'agency', agencyId: agency.id }, includeIdentity: true, reach: agency.n },
      ];
      const rows: (string | number)[][] = [];
      const plans: string[][] = [];
      for (const r of roles) {
        const filters = r.role.startsWith('supervisor') ? { status: 'issued' } : {};
        const opts = { scope: r.scope, includeIdentity: r.includeIdentity };
        const db = { read: <T>(work: (sql: Sql) => Promise<T>) => withDatabaseScope(r.scope as DatabaseScope, () => bound.read(work)) };
        // the cursor of the tenth page
        let cursor: string | undefined;
        for (let i = 0; i < 9; i += 1) cursor = (await db.read((sql) => reads.list(sql, filters as never, { limit: LIMIT, cursor }, opts))).nextCursor ?? undefined;
        for (const [label, pageCursor] of [['first', undefined], ['tenth', cursor]] as const) {
          const page = await db.read((sql) => reads.list(sql, filters as never, { limit: LIMIT, ...(pageCursor && { cursor: pageCursor }) }, opts));
          const ids = page.items.map((d) => d.id);
          const ours: number[] = [];
          const floor: number[] = [];
          for (let i = 0; i < RUNS; i += 1) {
            ours.push((await timed(() => db.read((sql) => reads.list(sql, filters as never, { limit: LIMIT, ...(pageCursor && { cursor: pageCursor }) }, opts)))).ms);
            floor.push((await timed(() => db.read((sql) => reads.byIds(sql, ids, opts)))).ms);
          }
          rows.push([r.role, r.reach, label, ids.length, percentile(floor, 50), percentile(floor, 95), percentile(ours, 50), percentile(ours, 95), percentile(ours, 95) / percentile(floor, 95)]);
          if (label === 'tenth' || r.role.startsWith('jail')) {
            const runner = reader.createQueryRunner();
            await runner.connect();
            try {
              // the same transaction and settings as Database.read under the caller's scope
              await runner.query(beginStatement('READ COMMITTED', r.scope));
              const sql = new ExplainingSql(runner);
              await reads.list(sql, filters as never, { limit: LIMIT, ...(pageCursor && { cursor: pageCursor }) }, opts);
              plans.push([`${r.role}, ${label} page`, ...(sql.plan ?? [])]);
            } finally {
              await runner.query('ROLLBACK');
              await runner.release();
            }
          }
        }
      }
      const tables: BenchTable[] = [
        {
          title: `GET /detainers?limit=${LIMIT}: one page in ms (${RUNS} runs each; target p95 < 30 ms)`,
          columns: ['caller', 'detainers in reach', 'page', 'rows', 'by primary key p50', 'by primary key p95', 'list p50', 'list p95', 'p95 ratio'],
          rows,
          notes: [
            'list = the keyset query (one ordered index scan per scope alternative, merged) plus the page\'s lodgings and subjects; by primary key = the same rows fetched by id plus the same lodgings and subjects',
            `data set: ${NATIONAL_DETAINERS.toLocaleString('en-US')} detainers; both sides read as a role the row-level security policies bind, with the caller's scope set (as the service reads)`,
            'shared 2-core machine: read ratios rather than absolute times',
          ],
        },
        { title: 'Plans of the page query (EXPLAIN ANALYZE, BUFFERS)', columns: ['plan'], rows: plans.map((p) => [p.join('\n')]) },
      ];
      return tables;
    } finally {
      await reader.destroy();
      await ds.destroy();
    }
  },
};
