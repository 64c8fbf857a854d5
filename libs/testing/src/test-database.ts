import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
// Relative paths: Jest's globalSetup does not apply moduleNameMapper.
import { createDataSource } from '../../persistence/src/data-source';
import { quoteIdent } from '../../persistence/src/database-admin';

/**
 * Each test file gets its own database, copied from a template that was migrated once per run
 * (CREATE DATABASE ... TEMPLATE takes milliseconds). Names carry a hash of the checkout's path, so
 * two checkouts on one machine never share databases.
 */
const CHECKOUT = createHash('sha1').update(process.cwd()).digest('hex').slice(0, 6);
export const TEST_DB_PREFIX = `dwt_${CHECKOUT}`;
export const TEMPLATE_DB = `${TEST_DB_PREFIX}_template`;

export function serverUrl(database = 'postgres'): string {
  const base = new URL(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/${database}`;
  return base.toString();
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `The tests need a real PostgreSQL at ${serverUrl()} (${(error as Error).message}). ` +
        'Start it (pg_ctlcluster <version> main start, or docker compose up -d) or set TEST_DATABASE_URL.',
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
    await client.query(`CREATE DATABASE ${quoteIdent(TEMPLATE_DB)}`);
  });
  const dataSource = createDataSource({ url: serverUrl(TEMPLATE_DB), applicationName: 'test-template', poolSize: 1 });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `${TEST_DB_PREFIX}_${randomBytes(5).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(TEMPLATE_DB)}`));
  return {
    name,
    url: serverUrl(name),
    drop: () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)).then(() => undefined),
  };
}
