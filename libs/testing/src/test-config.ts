import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppConfig, loadConfig } from '@app/config';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A config for one test file: its own database and its own queue prefix in the shared Redis. */
export function testConfig(databaseUrl: string, extra: Record<string, string> = {}): AppConfig {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    // Its own audit spool: a file left there is only ever this test's.
    AUDIT_SPOOL_DIR: path.join(tmpdir(), `dw-audit-spool-${prefix}`),
    JWT_SECRET: 'test-only-secret-that-is-long-enough-123',
    LOG_LEVEL: 'silent',
    // Every request of a test comes from 127.0.0.1: sign-in rate limits are raised here, and the tests of the limits set their own.
    LOGIN_RATE_PER_ADDRESS: '100000',
    LOGIN_RATE_PER_USERNAME: '100000',
    ...extra,
  });
}
