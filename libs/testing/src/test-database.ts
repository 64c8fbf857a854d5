import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
// Relative paths: Jest's globalSetup does not apply moduleNameMapper.
import { createMigrationDataSource } from '../../persistence/src/data-source';
import { ensureDatabaseRoles, quoteIdent, transferOwnership } from '../../persistence/src/database-admin';

/**
 * Each test file gets its own database, copied from a template that was migrated once per run
 * (CREATE DATABASE ... TEMPLATE takes milliseconds). Names carry a hash of the checkout's path, so
 * two checkouts on one machine never share databases.
 */
const CHECKOUT = createHash('sha1').update(process.cwd()).digest('hex').slice(0, 6);
export const TEST_DB_PREFIX = `dwt_${CHECKOUT}`;
const TEMPLATE_DB = `${TEST_DB_PREFIX}_template`;
/** Roles are cluster-wide: named per checkout too. The owner runs migrations; the API and worker under test connect as the application role. */
export const OWNER_ROLE = `${TEST_DB_PREFIX}_owner`;
export const APPLICATION_ROLE = `${TEST_DB_PREFIX}_app`;

/** A superuser's connection (the one the tests are given) to `database`. */
export function serverUrl(database = 'postgres'): string {
  const base = new URL(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/${database}`;
  return base.toString();
}

/** The same server as `role` (the test roles have no password: the test server trusts local connections). */
function roleUrl(role: string, database: string): string {
  const url = new URL(serverUrl(database));
  url.username = role;
  url.password = '';
  return url.toString();
}

export const ownerUrl = (database: string) => roleUrl(OWNER_ROLE, database);
export const applicationUrl = (database: string) => roleUrl(APPLICATION_ROLE, database);

/** Both roles exist (they outlive runs; creating them is idempotent). */
function ensureTestRoles(): Promise<void> {
  return ensureDatabaseRoles(serverUrl(), [{ name: OWNER_ROLE }, { name: APPLICATION_ROLE }]);
}

/** Applies every migration to `database` as its owner, granting to the application role. */
async function migrateTestDatabase(database: string, direction: 'up' | 'down-all' = 'up'): Promise<void> {
  const dataSource = createMigrationDataSource({ url: ownerUrl(database), applicationRole: APPLICATION_ROLE, applicationName: 'test-migrate' });
  await dataSource.initialize();
  try {
    if (direction === 'up') await dataSource.runMigrations();
    else for (let i = 0; i < dataSource.migrations.length; i += 1) await dataSource.undoLastMigration();
  } finally {
    await dataSource.destroy();
  }
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `The tests need a real PostgreSQL at ${serverUrl()} (${(error as Error).message}). ` +
        'Start it (pg_ctlcluster <version> main start, or docker compose up -d) or set TEST_DATABASE_URL.',
      { cause: error },
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Jest globalSetup: drop leftovers from earlier runs of this checkout, then migrate a fresh template. */
export async function prepareTemplateDatabase(): Promise<void> {
  await withAdmin(async (client) => {
    const stale = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${TEST_DB_PREFIX}_%`]);
    for (const { datname } of stale.rows) await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
  });
  await ensureTestRoles();
  await withAdmin((client) => client.query(`CREATE DATABASE ${quoteIdent(TEMPLATE_DB)} OWNER ${quoteIdent(OWNER_ROLE)}`));
  await transferOwnership(serverUrl(), TEMPLATE_DB, OWNER_ROLE);
  await migrateTestDatabase(TEMPLATE_DB);
}

export interface TestDatabase {
  name: string;
  /** As the application role: what the service under test connects with. */
  url: string;
  /** As a superuser (bypasses row-level security): for what a test must do behind the service's back. */
  adminUrl: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `${TEST_DB_PREFIX}_${randomBytes(5).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(TEMPLATE_DB)} OWNER ${quoteIdent(OWNER_ROLE)}`));
  return {
    name,
    url: applicationUrl(name),
    adminUrl: serverUrl(name),
    drop: () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Runs `work` on a superuser's connection to `database` (behind the service's back: bulk loads, tampering). */
export async function asSuperuser<T>(database: Pick<TestDatabase, 'adminUrl'>, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: database.adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
