import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { Database } from '@app/persistence';
import { AppConfig } from '@app/config';
import { createApiApp } from '../../../apps/api/src/create-api-app';
import { recordResponsesAgainstContract } from './contract-recorder';
import { ManualClock } from './manual-clock';
import { testConfig } from './test-config';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApi {
  app: INestApplication;
  http: TestAgent;
  db: Database;
  database: TestDatabase;
  config: AppConfig;
  clock: ManualClock;
  /** Present when the test passed one: the clock of sessions, sign-in limits and audit times. */
  securityClock?: ManualClock;
  close(): Promise<void>;
}

/** The real API on a fresh database of its own, with a clock the test moves. */
export async function startTestApi(opts: { clock?: ManualClock; securityClock?: ManualClock; env?: Record<string, string> } = {}): Promise<TestApi> {
  const database = await createTestDatabase();
  const config = testConfig(database.url, opts.env);
  const clock = opts.clock ?? new ManualClock();
  // Sessions and sign-in limits run on the real clock unless a test passes its own: moving `clock` by days keeps tokens valid.
  const app = await createApiApp(config, { clock, securityClock: opts.securityClock });
  // Every response of the suites is checked against the document the app serves.
  const contract = recordResponsesAgainstContract(app);
  await app.init();
  await contract.activate();
  return {
    app,
    http: request(app.getHttpServer()),
    db: app.get(Database),
    database,
    config,
    clock,
    securityClock: opts.securityClock,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
