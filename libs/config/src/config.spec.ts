import { ConfigError, DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, loadConfig, redact } from './config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('loadConfig', () => {
  it('defaults point at localhost PostgreSQL and Redis and the 2017 report week', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      databaseUrl: DEFAULT_DATABASE_URL,
      databaseUrlIsDefault: true,
      databaseQueue: { limit: 1000, timeoutMs: 30_000 },
      redisUrl: DEFAULT_REDIS_URL,
      report: { weekStart: 'saturday', weekStartHour: 0, timeZone: 'America/New_York' },
      admin: null,
    });
  });

  it.each([
    [{ PORT: '70000' }, 'PORT="70000" must be a whole number from 1 to 65535'],
    [{ PORT: 'abc' }, 'PORT="abc"'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL="mysql://x/y" must start with postgres:// or postgresql://'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL="not a url" is not a valid URL'],
    [{ REPORT_WEEK_START: 'someday' }, 'REPORT_WEEK_START="someday" is not one of: monday'],
    [{ REPORT_TIME_ZONE: 'Mars/Olympus' }, 'REPORT_TIME_ZONE="Mars/Olympus" is not an IANA time zone'],
    [{ REPORT_WEEK_START_HOUR: '24' }, 'REPORT_WEEK_START_HOUR="24"'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV="staging" is not one of'],
    [{ ADMIN_USERNAME: 'admin' }, 'ADMIN_USERNAME and ADMIN_PASSWORD must be set together'],
    [{ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD must be at least 12 characters'],
    [{ JWT_SECRET: 'too-short' }, 'JWT_SECRET must be at least 32 characters'],
    [{ QUEUE_PREFIX: 'bad:prefix' }, 'QUEUE_PREFIX="bad:prefix"'],
    [{ BODY_LIMIT: 'huge' }, 'BODY_LIMIT="huge"'],
    [{ DATABASE_QUEUE_LIMIT: '-1' }, 'DATABASE_QUEUE_LIMIT="-1" must be a whole number from 0'],
    [{ DATABASE_QUEUE_TIMEOUT_MS: '30s' }, 'DATABASE_QUEUE_TIMEOUT_MS="30s" must be a whole number from 0'],
  ])('a bad value stops start-up naming the setting: %j', (env, message) => {
    expect(problemsOf(env).join('\n')).toContain(message);
  });

  it('production requires the first admin and a real token secret', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringContaining('ADMIN_USERNAME and ADMIN_PASSWORD are required in production'), expect.stringContaining('JWT_SECRET is required in production')]),
    );
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ PORT: '0', REDIS_URL: 'http://x', REPORT_WEEK_START: 'x' })).toHaveLength(3);
  });

  it('never echoes a password from a connection URL', () => {
    expect(redact('postgres://app:s3cret@db:5432/detainers')).toBe('postgres://app:***@db:5432/detainers');
    expect(problemsOf({ DATABASE_URL: 'mysql://app:s3cret@db/x' }).join()).not.toContain('s3cret');
  });
});
