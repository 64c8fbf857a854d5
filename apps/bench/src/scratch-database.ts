import { createDataSource, migrationSessionOptions, roleOf } from '@app/persistence';
import { BenchContext } from './bench';

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
