import { INestApplication, INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { databaseScopeOf, Principal } from '@app/application';
import { Database, SYSTEM_SCOPE, withDatabaseScope } from '@app/persistence';
import { AppConfig } from '@app/config';
import { createTestDatabase, expectStoredContributionsEqualReplay, ManualClock, TestDatabase, testConfig } from '@app/testing';
import { createApiApp } from '../../apps/api/src/create-api-app';
import { recordResponsesAgainstContract } from './contract-recorder';

export interface TestApi {
  app: INestApplication;
  http: TestAgent;
  /** The service's own connection (the application role) in the system scope: for fixtures and checks written directly. */
  db: Database;
  database: TestDatabase;
  config: AppConfig;
  clock: ManualClock;
  /** Present when the test passed one: the clock of sessions, sign-in limits and audit times. */
  securityClock?: ManualClock;
  close(): Promise<void>;
}

/** The real API on a fresh database of its own, with a clock the test moves. */
export async function startTestApi(
  opts: {
    clock?: ManualClock;
    securityClock?: ManualClock;
    env?: Record<string, string>;
    databaseUrl?: (url: string) => string;
    /** Off only where a test leaves the database as no write path would (it says why). */
    checkContributionsOnClose?: boolean;
  } = {},
): Promise<TestApi> {
  const database = await createTestDatabase();
  // `databaseUrl` lets a test put something between the service and its database (a proxy it can take down).
  const config = testConfig(opts.databaseUrl ? opts.databaseUrl(database.url) : database.url, opts.env);
  const clock = opts.clock ?? new ManualClock();
  // Sessions and sign-in limits run on the real clock unless a test passes its own: moving `clock` by days keeps tokens valid.
  const app = await createApiApp(config, { clock, securityClock: opts.securityClock });
  // Every response of the suites is checked against the document the app serves.
  const contract = recordResponsesAgainstContract(app);
  await app.init();
  await contract.activate();
  const db = systemDatabase(app);
  return {
    app,
    http: request(app.getHttpServer()),
    db,
    database,
    config,
    clock,
    securityClock: opts.securityClock,
    async close() {
      try {
        // Every detainer a suite made, whatever it did to them: stored contributions equal a replay of its events.
        if (opts.checkContributionsOnClose !== false) await expectStoredContributionsEqualReplay(db);
      } finally {
        await app.close();
        await database.drop();
      }
    },
  };
}

/** The app's pool, with the system scope for work done outside any request: the harness's, so that no test has to say so. */
export function systemDatabase(app: INestApplicationContext): Database {
  return new Database(app.get(DataSource), SYSTEM_SCOPE);
}

/** Calls a use case directly as `principal`, with the database scope a request of theirs would have. */
export function asPrincipal<T>(principal: Principal, work: () => Promise<T>): Promise<T> {
  return withDatabaseScope(databaseScopeOf(principal), work);
}
