import { AppConfig, redact } from '@app/config';
import { ensureDatabaseExists, ensureDatabaseRoles, roleOf, transferOwnership } from '@app/persistence';

/**
 * `npm run db:prepare` (and `npm start`): with a superuser's connection (DATABASE_ADMIN_URL), creates
 * the owner role of MIGRATION_DATABASE_URL and the application role of DATABASE_URL when missing,
 * creates the database, and hands it and everything in it to the owner. Migrations then grant the
 * application role what it needs.
 */
export async function prepareDatabase(config: AppConfig, log: (line: string) => void = console.log): Promise<void> {
  const admin = config.databaseAdminUrl;
  if (!admin) throw new Error('DATABASE_ADMIN_URL is not set: prepare-database needs a superuser connection to create the roles.');
  const owner = roleOf(config.migrationDatabaseUrl);
  const application = roleOf(config.databaseUrl);
  if (owner === application) throw new Error('MIGRATION_DATABASE_URL and DATABASE_URL sign in as the same role: the service must not connect as the owner.');
  const passwordOf = (url: string) => decodeURIComponent(new URL(url).password) || undefined;
  const server = new URL(admin);
  server.pathname = '/postgres';
  await ensureDatabaseRoles(server.toString(), [{ name: owner, password: passwordOf(config.migrationDatabaseUrl) }, { name: application, password: passwordOf(config.databaseUrl) }]);
  const database = decodeURIComponent(new URL(config.migrationDatabaseUrl).pathname.replace(/^\//, ''));
  const target = new URL(admin);
  target.pathname = `/${database}`;
  if (await ensureDatabaseExists(target.toString())) log(`Created database ${redact(target.toString())}`);
  await transferOwnership(server.toString(), database, owner);
  log(`Database roles: ${owner} owns the schema and runs migrations; ${application} is what the API and worker connect as (no ownership, row-level security applies).`);
}
