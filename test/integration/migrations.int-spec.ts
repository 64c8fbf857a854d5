import { Client } from 'pg';
import { SecretBox } from '@app/application';
import { loadConfig } from '@app/config';
import { createMigrationDataSource, quoteIdent } from '@app/persistence';
import { APPLICATION_ROLE, OWNER_ROLE, ownerUrl, serverUrl, TEST_DB_PREFIX } from '@app/testing';

/** Every migration applies to an empty database, reverts cleanly, and applies again. */
describe('migrations', () => {
  const name = `${TEST_DB_PREFIX}_migrations`;
  const admin = new Client({ connectionString: serverUrl() });

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${quoteIdent(name)} OWNER ${quoteIdent(OWNER_ROLE)}`);
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await admin.end();
  });

  // as the migrator runs them: the owner, granting to the application role
  const migrator = () => createMigrationDataSource({ url: ownerUrl(name), applicationRole: APPLICATION_ROLE });
  const schema = async (ds: ReturnType<typeof createMigrationDataSource>) =>
    await ds.query<unknown[]>(
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY table_name, column_name`,
    );

  it('up, down to empty, and up again give the same schema', async () => {
    const ds = migrator();
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

  it('webhook secrets stored before sealing are sealed by the migration, bound to their row, and restored by its down', async () => {
    const ds = migrator();
    await ds.initialize();
    try {
      await ds.runMigrations();
      // back to plaintext secrets: undo the sealing migration and every one after it
      const sealing = ds.migrations.findIndex((m) => m.name === 'WebhookSecretsSealed1795450000000');
      for (let i = ds.migrations.length - 1; i >= sealing; i -= 1) await ds.undoLastMigration();
      expect(await ds.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'webhooks' AND column_name LIKE 'secret%'`)).toEqual([{ column_name: 'secret' }]);
      const [{ id: jurisdictionId }] = await ds.query(`INSERT INTO jurisdictions (code, name, kind, state, fips) VALUES ('US-WA-53033', 'King County', 'county', 'WA', '53033') RETURNING id`);
      const [{ id: agencyId }] = await ds.query(`INSERT INTO agencies (ori, name, jurisdiction_id) VALUES ('WA0170000', 'King County DAJD', $1) RETURNING id`, [jurisdictionId]);
      const hooks = await ds.query<{ id: string; secret: string }[]>(
        `INSERT INTO webhooks (agency_id, url, secret, events, created_at) VALUES ($1, 'https://a.example/h', 'whsec_first', '{reminder.hold_expired}', now()), ($1, 'https://b.example/h', 'whsec_second', '{reminder.hold_expired}', now()) RETURNING id, secret`,
        [agencyId],
      );

      await ds.runMigrations();
      const sealed = await ds.query<Record<string, string>[]>(`SELECT * FROM webhooks ORDER BY id`);
      expect(JSON.stringify(sealed)).not.toMatch(/whsec_/);
      const box = new SecretBox(loadConfig(process.env).security.encryptionKey); // the key the service opens them with
      for (const hook of hooks) {
        const row = sealed.find((r) => r.id === hook.id)!;
        expect(box.open(row.secret_sealed, `webhook:${hook.id}`)).toBe(hook.secret);
        const other = hooks.find((h) => h.id !== hook.id)!;
        expect(() => box.open(row.secret_sealed, `webhook:${other.id}`)).toThrow();
      }

      for (let i = ds.migrations.length - 1; i >= sealing; i -= 1) await ds.undoLastMigration();
      expect(await ds.query(`SELECT id, secret FROM webhooks ORDER BY id`)).toEqual([...hooks].sort((a, b) => (a.id < b.id ? -1 : 1)));
      await ds.runMigrations();
    } finally {
      await ds.destroy();
    }
  });
});
