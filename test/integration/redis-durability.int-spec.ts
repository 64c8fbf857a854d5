import { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import IORedis from 'ioredis';
import { judgeRedisDurability, readRedisDurability } from '@app/queue';
import { eventually, ReminderStack, startPrivateRedis, startReminderStack } from '@test/support';

/** Append-only persistence into a directory of its own. */
const aof = () => ['--appendonly', 'yes', '--dir', mkdtempSync(path.join(tmpdir(), 'dw-aof-'))];

type PrivateRedis = Awaited<ReturnType<typeof startPrivateRedis>>;

/**
 * At start-up the worker checks that Redis keeps its jobs: append-only persistence and
 * maxmemory-policy noeviction. Production refuses, with the fix in the message; development warns.
 * Each case runs its own redis-server (never the shared one), with the settings under test.
 */
describe('Redis durability check at worker start-up (integration, private redis-servers)', () => {
  const servers: PrivateRedis[] = [];
  let stack: ReminderStack;
  const redis = async (args: string[]) => {
    const server = await startPrivateRedis(undefined, args);
    servers.push(server);
    return server;
  };
  const read = async (server: PrivateRedis) => {
    const client = new IORedis(server.url, { maxRetriesPerRequest: 1 });
    try {
      return await readRedisDurability(client);
    } finally {
      client.disconnect();
    }
  };
  const production = { NODE_ENV: 'production', ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'a long production password 1!', WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'false', LOG_LEVEL: 'warn' };
  /** Runs the worker process until it exits or says it is running. */
  const startWorker = async (server: PrivateRedis, env: Record<string, string>) => {
    const child: ChildProcess & { output?: string } = stack.spawnWorker({ REDIS_URL: server.url, ...env });
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const outcome = await Promise.race([
      exit.then((code) => ({ exited: true as const, code })),
      eventually(() => child.exitCode !== null || /Worker running/.test(child.output ?? ''), 'the worker to start', 60_000, 200).then(() => ({ exited: false as const, code: null })),
    ]);
    if (!outcome.exited) {
      child.kill('SIGKILL');
      await exit;
    }
    return { ...outcome, output: child.output ?? '' };
  };

  beforeAll(async () => {
    stack = await startReminderStack();
  });
  afterAll(async () => {
    await stack?.close();
    for (const s of servers) await s.stop();
  });

  it('reads the settings with CONFIG GET, or with INFO where CONFIG is disabled', async () => {
    expect(await read(await redis([]))).toEqual({ appendonly: 'no', maxmemoryPolicy: 'noeviction', source: 'config' });
    expect(await read(await redis(aof()))).toEqual({ appendonly: 'yes', maxmemoryPolicy: 'noeviction', source: 'config' });
    expect(await read(await redis(['--rename-command', 'CONFIG', '']))).toEqual({ appendonly: 'no', maxmemoryPolicy: 'noeviction', source: 'info' });
  });

  it('judges: production refuses no persistence with the fix; development warns; an evicting policy is refused anywhere; unknown needs the operator\'s word', () => {
    const none = { appendonly: 'no' as const, maxmemoryPolicy: 'noeviction', source: 'config' as const };
    const prod = judgeRedisDurability(none, { production: true, verified: false });
    expect(prod.refuse).toHaveLength(1);
    expect(prod.refuse[0]).toMatch(/appendonly yes/);
    expect(judgeRedisDurability(none, { production: false, verified: false })).toEqual({ refuse: [], warn: [expect.stringMatching(/appendonly yes/)] });
    expect(judgeRedisDurability({ ...none, appendonly: 'yes', maxmemoryPolicy: 'allkeys-lru' }, { production: false, verified: false }).refuse[0]).toMatch(/CONFIG SET maxmemory-policy noeviction/);
    const unknown = { appendonly: 'unknown' as const, maxmemoryPolicy: 'unknown', source: 'none' as const };
    expect(judgeRedisDurability(unknown, { production: true, verified: false }).refuse[0]).toMatch(/REDIS_PERSISTENCE_VERIFIED=true/);
    expect(judgeRedisDurability(unknown, { production: true, verified: true })).toEqual({ refuse: [], warn: [] });
    expect(judgeRedisDurability({ ...none, appendonly: 'yes' }, { production: true, verified: false })).toEqual({ refuse: [], warn: [] });
  });

  it('the worker process refuses to start in production against a Redis without append-only persistence, saying how to fix it', async () => {
    const started = await startWorker(await redis([]), production);
    expect(started).toMatchObject({ exited: true, code: 1 });
    expect(started.output).toMatch(/appendonly no/);
    expect(started.output).toMatch(/CONFIG SET appendonly yes/);
  }, 90_000);

  it('in development it starts, with a warning', async () => {
    const started = await startWorker(await redis([]), { NODE_ENV: 'development', LOG_LEVEL: 'warn' });
    expect(started.exited).toBe(false);
    expect(started.output).toMatch(/without append-only persistence/);
  }, 90_000);

  it('in production it starts against a Redis with append-only persistence', async () => {
    const started = await startWorker(await redis(aof()), production);
    expect(started.exited).toBe(false);
    expect(started.output).not.toMatch(/append-only/);
  }, 90_000);
});
