import { AppConfig, redact } from '@app/config';
import { createDataSource, ensureDatabaseExists } from '@app/persistence';

/** Creates the database if missing and applies every pending migration, each in its own transaction. */
export async function migrate(config: AppConfig, log: (line: string) => void = console.log): Promise<string[]> {
  if (await ensureDatabaseExists(config.databaseUrl)) log(`Created database ${redact(config.databaseUrl)}`);
  const dataSource = createDataSource({ url: config.databaseUrl, applicationName: 'detainer-workflow-migrate', poolSize: 1 });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations();
    log(applied.length ? `Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}` : 'Database schema is up to date.');
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
