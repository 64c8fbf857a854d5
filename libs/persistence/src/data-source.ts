import { types } from 'pg';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '../../../migrations';

// Calendar dates (dates of birth, policy dates) stay 'YYYY-MM-DD' strings: a Date would shift them by the process's zone.
types.setTypeParser(types.builtins.DATE, (value: string) => value);

export interface DataSourceOptions {
  url: string;
  applicationName?: string;
  poolSize?: number;
}

/**
 * TypeORM is our connection pool, transaction manager and migration runner. Repositories speak
 * explicit SQL: the hand-written migrations are the one description of the schema.
 */
export function createDataSource({ url, applicationName = 'detainer-workflow', poolSize = 10 }: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    entities: [],
    applicationName,
    extra: { max: poolSize, connectionTimeoutMillis: 5000 },
  });
}
