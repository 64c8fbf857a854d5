import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { QueueName } from '@app/domain';
import {
  AccessScope, createDataSource, Database, DatabaseScope, DetainerReadRepository, ensureDatabaseRoles, NO_SCOPE, QueueRepository, quoteIdent, withDatabaseScope,
} from '@app/persistence';
import { BenchContext, BenchTable, percentile, timed } from '../bench';
import { DEFAULT_AS_OF, ensureNationalDataset } from '../generator/national-dataset';
import { NATIONAL_DETAINERS } from './dataset';

/** A reader like the service's role (no superuser, no BYPASSRLS), named per checkout: roles are cluster-wide. */
const READER = `dw_bench_reader_${createHash('sha1').update(process.cwd()).digest('hex').slice(0, 6)}`;

/**
 * A pool on `url` as READER, which the policies bind (created and granted SELECT on every table
 * through `owner`, a pool on the same database that may): reads as the service makes them.
 */
export async function policyBoundReader(url: string, owner: DataSource, applicationName: string, poolSize: number): Promise<DataSource> {
  const server = new URL(url);
  server.pathname = '/postgres';
  await ensureDatabaseRoles(server.toString(), [{ name: READER }]);
  await owner.query(`GRANT USAGE ON SCHEMA public TO ${quoteIdent(READER)}; GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${quoteIdent(READER)}`);
  const readerUrl = new URL(url);
  readerUrl.username = READER;
  readerUrl.password = '';
  const reader = createDataSource({ url: readerUrl.toString(), applicationName, poolSize });
  await reader.initialize();
  return reader;
}

/**
 * The national data set with this branch's migrations, in the database BENCH_SECURITY_DATABASE names
 * (a copy of the shared one: migrations must not run on a data set other checkouts read), else the shared one.
 */
async function dataset(ctx: BenchContext): Promise<string> {
  const own = process.env.BENCH_SECURITY_DATABASE;
  const rename = (name: string) => own ?? name;
  const { url, reused } = await ensureNationalDataset(
    (name) => ctx.scratchDatabase(rename(name)),
    (name) => ctx.scratchDatabaseUrl(rename(name)),
    { detainers: NATIONAL_DETAINERS, asOf: DEFAULT_AS_OF, skipForeignKeyChecks: true, log: ctx.log },
  );
  ctx.log(`${reused ? 'reused' : 'built'} ${new URL(url).pathname.slice(1)}`);
  return url;
}

/**
 * What row-level security costs on the hottest reads: the same repository calls, with the same
 * scope, as a superuser (policies bypassed) and as a role the policies bind. Also the same reads the
 * way they ran before scopes (autocommit, no transaction), to show what the per-transaction
 * set_config adds on its own.
 */
export async function rowSecurityTables(ctx: BenchContext): Promise<BenchTable[]> {
  const url = await dataset(ctx);
  const superuser = createDataSource({ url, applicationName: 'bench-rls', poolSize: 2 });
  await superuser.initialize();
  let reader: DataSource | undefined;
  try {
    await superuser.query('VACUUM (ANALYZE) detainers, lodgings, detainer_events, subjects');
    reader = await policyBoundReader(url, superuser, 'bench-rls', 2);
    const bypassing = new Database(superuser);
    const bound = new Database(reader);

    const [area] = await superuser.query<{ id: string; n: number }[]>(`SELECT area_id AS id, count(*)::int AS n FROM detainers GROUP BY area_id ORDER BY n DESC LIMIT 1`);
    const [agency] = await superuser.query<{ id: string; n: number }[]>(`SELECT agency_id AS id, count(*)::int AS n FROM lodgings GROUP BY agency_id ORDER BY n DESC LIMIT 1`);
    const ids = (await superuser.query<{ id: string }[]>(`SELECT id FROM detainers TABLESAMPLE SYSTEM (1) WHERE area_id = $1 LIMIT 100`, [area.id])).map((r) => r.id);
    const areaScope: AccessScope = { kind: 'area', areaId: area.id };
    const agencyScope: AccessScope = { kind: 'agency', agencyId: agency.id };
    const reads = new DetainerReadRepository();
    const queues = new QueueRepository();
    const now = DEFAULT_AS_OF;
    let next = 0;
    const page = (scope: AccessScope) => (db: Database) =>
      db.read((sql) => reads.findOne(sql, ids[(next += 1) % ids.length], { scope, includeIdentity: true, withEvents: true }));
    const list = (scope: AccessScope) => (db: Database) => db.read((sql) => reads.list(sql, {}, { limit: 50 }, { scope, includeIdentity: true }));
    const queue = (scope: AccessScope, name: QueueName) => (db: Database) =>
      db.transaction((sql) => queues.page(sql, { queue: name, scope, filters: {}, now }, { limit: 50 }), 'REPEATABLE READ');

    const cases: { label: string; scope: AccessScope; run: (db: Database) => Promise<unknown>; n: number }[] = [
      { label: 'detainer page (record, lodgings, events, subject), AOR', scope: areaScope, run: page(areaScope), n: 300 },
      { label: 'list, first 50, AOR', scope: areaScope, run: list(areaScope), n: 100 },
      { label: 'list, first 50, jail (agency)', scope: agencyScope, run: list(agencyScope), n: 100 },
      { label: 'queue page: unacknowledged, AOR', scope: areaScope, run: queue(areaScope, 'unacknowledged'), n: 100 },
      { label: 'queue page: release_soon_no_pickup, AOR', scope: areaScope, run: queue(areaScope, 'release_soon_no_pickup'), n: 100 },
      { label: 'queue summary (every count), AOR', scope: areaScope, run: (db) => db.transaction((sql) => queues.summary(sql, { scope: areaScope, filters: {}, now }), 'REPEATABLE READ'), n: 30 },
    ];
    const once = (db: Database, scope: DatabaseScope, run: (db: Database) => Promise<unknown>) =>
      withDatabaseScope(scope, async () => (await timed(() => run(db))).ms);
    const rows: (string | number)[][] = [];
    for (const c of cases) {
      ctx.log(c.label);
      const sides: [Database, DatabaseScope][] = [[bypassing, NO_SCOPE], [bypassing, c.scope], [bound, c.scope]];
      for (const [db, scope] of sides) for (let i = 0; i < 10; i += 1) await once(db, scope, c.run);
      // one call of each side in turn (the order rotating), so that a noisy neighbour hurts each alike;
      // each turn's ratio too, whose median is steadier than the ratio of the medians when the load drifts
      const times: number[][] = [[], [], []];
      for (let i = 0; i < c.n; i += 1) {
        for (let k = 0; k < 3; k += 1) {
          const side = (i + k) % 3;
          const [db, scope] = sides[side];
          times[side].push(await once(db, scope, c.run));
        }
      }
      const [before, bypass, policies] = times as [number[], number[], number[]];
      const p50 = (t: number[]) => percentile(t, 50);
      const paired = percentile(policies.map((t, i) => t / bypass[i]), 50);
      rows.push([
        c.label, p50(before), p50(bypass), p50(policies), percentile(policies, 95), `${((p50(policies) / p50(before) - 1) * 100).toFixed(0)} %`,
        `${((p50(policies) / p50(bypass) - 1) * 100).toFixed(0)} %`, `${((paired - 1) * 100).toFixed(0)} %`,
      ]);
    }
    const [{ n: detainers }] = await superuser.query<{ n: number }[]>('SELECT count(*)::int AS n FROM detainers');
    return [{
      title: `Row-level security on the hottest reads, ${detainers.toLocaleString('en-US')} detainers (ms, p50 unless said)`,
      columns: ['read', 'before (autocommit, no RLS)', 'scope set, RLS bypassed', 'scope set, RLS', 'RLS p95', 'RLS vs before', 'RLS vs bypassed', 'RLS vs bypassed, paired'],
      rows,
      notes: [
        `AOR: the one with the most detainers (${area.n.toLocaleString('en-US')}); jail: the agency with the most lodgings (${agency.n.toLocaleString('en-US')}).`,
        '"before": the same repository calls as they ran before this change (each statement autocommits, no scope).',
        '"bypassed": a superuser, with the scope set in a transaction (BEGIN + set_config in one round trip, COMMIT): what the setting costs alone.',
        '"RLS": a role the policies bind (no superuser, no BYPASSRLS), same transaction: the policies\' own cost is "RLS vs bypassed".',
        '"paired": the median over turns of (RLS / bypassed), each turn running the three sides back to back.',
      ],
    }];
  } finally {
    if (reader?.isInitialized) await reader.destroy();
    await superuser.destroy();
  }
}
