import { Client } from 'pg';
import { createDataSource, quoteIdent } from '@app/persistence';
import { serverUrl, TEST_DB_PREFIX } from '@app/testing';

/** Every migration applies to an empty database, reverts cleanly, and applies again. */
describe('migrations', () => {
  const name = `${TEST_DB_PREFIX}_migrations`;
  const admin = new Client({ connectionString: serverUrl() });

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await admin.end();
  });

  const schema = async (ds: ReturnType<typeof createDataSource>) =>
    (await ds.query(
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY table_name, column_name`,
    )) as unknown[];

  it('up, down to empty, and up again give the same schema', async () => {
    const ds = createDataSource({ url: serverUrl(name), poolSize: 1 });
    await ds.initialize();
    try {
      const applied = await ds.runMigrations();
      expect(applied.length).toBe(ds.migrations.length);
      const first = await schema(ds);
      expect(first.length).toBeGreaterThan(50);

      for (let i = 0; i < applied.length; i += 1) await ds.undoLastMigration();
      expect(await schema(ds)).toEqual([]);
      const leftovers = await ds.query(`SELECT proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'`);
      expect(leftovers).toEqual([]);

      await ds.runMigrations();
      expect(await schema(ds)).toEqual(first);
      expect(await ds.runMigrations()).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });
});
