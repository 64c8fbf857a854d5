import { AppConfig, redact } from '@app/config';
import { createMigrationDataSource, ensureDatabaseExists, roleOf } from '@app/persistence';

/**
 * Creates the database if missing and applies every pending migration, each in its own transaction,
 * as the owner (MIGRATION_DATABASE_URL), granting to the application role DATABASE_URL signs in as.
 */
export async function migrate(config: AppConfig, log: (line: string) => void = console.log): Promise<string[]> {
  if (await ensureDatabaseExists(config.migrationDatabaseUrl)) log(`Created database ${redact(config.migrationDatabaseUrl)}`);
  const dataSource = createMigrationDataSource({ url: config.migrationDatabaseUrl, applicationRole: roleOf(config.databaseUrl) });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations();
    log(applied.length ? `Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}` : 'Database schema is up to date.');
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
