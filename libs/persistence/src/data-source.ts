import { userInfo } from 'node:os';
import { types } from 'pg';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '../../../migrations';
import { CONNECTION_QUEUE_DEFAULTS, ConnectionQueue, useConnectionQueue } from './connection-queue';

// Calendar dates (dates of birth, policy dates) stay 'YYYY-MM-DD' strings: a Date would shift them by the process's zone.
types.setTypeParser(types.builtins.DATE, (value: string) => value);

export interface DataSourceOptions {
  url: string;
  applicationName?: string;
  poolSize?: number;
  /** Run-time settings for every connection of the pool (libpq's `options`, e.g. `-c name=value`). */
  sessionOptions?: string;
  /** Callers that may wait for a pooled connection, and for how long (see ConnectionQueue). */
  queue?: { limit?: number; timeoutMs?: number };
}

/**
 * No JIT compilation: a request's statements read a few rows by index, but the planner's estimates for
 * a join over `unnest` of a parameter array (a profile's 52 weeks) pass `jit_above_cost`, and compiling
 * then cost more than running (25 ms of JIT for a 6 ms query; a 52-week profile 110 ms instead of ~20).
 */
const NO_JIT = '-c jit=off';

/**
 * pg's limit on taking a connection, establishing a new one included: short, so that a database
 * that is down or unreachable fails fast (503). Waiting for a busy pool is the ConnectionQueue's.
 */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * TypeORM is our connection pool, transaction manager and migration runner. Repositories speak
 * explicit SQL: the hand-written migrations are the one description of the schema.
 */
export function createDataSource({ url, applicationName = 'detainer-workflow', poolSize = 10, sessionOptions, queue }: DataSourceOptions): DataSource {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    entities: [],
    applicationName,
    extra: { max: poolSize, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, options: [NO_JIT, sessionOptions].filter(Boolean).join(' ') },
  });
  useConnectionQueue(dataSource, new ConnectionQueue({
    connections: poolSize,
    limit: queue?.limit ?? CONNECTION_QUEUE_DEFAULTS.limit,
    timeoutMs: queue?.timeoutMs ?? CONNECTION_QUEUE_DEFAULTS.timeoutMs,
  }));
  return dataSource;
}

/**
 * The migrator's connection, as the schema's owner. Its session carries the system scope (the
 * policies bind the owner too, and a data migration must see every row) and the name of the
 * application role the migrations grant to. A session setting is safe here: this pool of one
 * connection serves the migrator alone and ends with it.
 */
export function createMigrationDataSource({ url, applicationRole, applicationName = 'detainer-workflow-migrate' }: DataSourceOptions & { applicationRole: string }): DataSource {
  return createDataSource({ url, applicationName, poolSize: 1, sessionOptions: migrationSessionOptions(applicationRole) });
}

/** The session settings migrations need (see createMigrationDataSource), for tools that migrate with a pool of their own. */
export function migrationSessionOptions(applicationRole: string): string {
  if (!ROLE_NAME.test(applicationRole)) throw new Error(`The application role "${applicationRole}" is not a plain role name (letters, digits, _).`);
  return `-c app.scope=system -c app.application_role=${applicationRole}`;
}

const ROLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The role a connection URL signs in as (PostgreSQL's default: the operating-system user). */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username) || userInfo().username;
}
