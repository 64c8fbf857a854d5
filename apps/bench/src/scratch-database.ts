import { createDataSource, migrationSessionOptions, roleOf } from '@app/persistence';
import type { DataSource } from 'typeorm';
import { BenchContext } from './bench';
import { DEFAULT_AS_OF, ensureNationalDataset } from './generator/national-dataset';
import { NATIONAL_DETAINERS } from './parts/dataset';

/** A new scratch database for the part, migrated, its migrating connection closed; returns its URL. */
export async function migratedScratchDatabase(ctx: BenchContext, name: string): Promise<string> {
  const url = await ctx.scratchDatabase(name);
  const ds = createDataSource({ url, poolSize: 1, sessionOptions: migrationSessionOptions(roleOf(url)) });
  await ds.initialize();
  try {
    await ds.runMigrations();
  } finally {
    await ds.destroy();
  }
  return url;
}

/**
 * The national data set (built once, then reused) and a pool on it as the schema's owner, brought
 * forward to this schema: a reused data set may predate the latest migrations (they are additive).
 */
export async function openNationalDataset(ctx: BenchContext, applicationName: string, poolSize: number): Promise<{ url: string; dataSource: DataSource }> {
  const { url } = await ensureNationalDataset(ctx.scratchDatabase, ctx.scratchDatabaseUrl, {
    detainers: NATIONAL_DETAINERS, asOf: DEFAULT_AS_OF, skipForeignKeyChecks: true, log: ctx.log,
  });
  const dataSource = createDataSource({ url, applicationName, poolSize, sessionOptions: migrationSessionOptions(roleOf(url)) });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations();
    if (applied.length) ctx.log(`applied migrations: ${applied.map((m) => m.name).join(', ')}`);
    // The test servers run without autovacuum: a table never analysed (filled by a trigger, or by a
    // migration since the set was built) would be planned as if empty, which a live database is not.
    const unanalysed = await dataSource.query<{ relname: string }[]>(
      `SELECT quote_ident(relname) AS relname FROM pg_stat_user_tables WHERE n_live_tup > 0 AND last_analyze IS NULL AND last_autoanalyze IS NULL ORDER BY relname`);
    for (const { relname } of unanalysed) await dataSource.query(`ANALYZE ${relname}`);
    if (unanalysed.length) ctx.log(`analysed ${unanalysed.map((t) => t.relname).join(', ')} (never analysed before)`);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return { url, dataSource };
}
