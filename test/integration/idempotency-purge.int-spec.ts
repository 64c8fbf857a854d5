import { randomUUID } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { PURGE_BATCH } from '@app/application';
import { createRedisConnection, JOB_QUEUE, jobId } from '@app/queue';
import { buildWorld, drainQueues, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';
import { WorkerModule } from '../../apps/worker/src/worker.module';

/**
 * The worker's `idempotency.purge` job over real PostgreSQL and Redis, on the test's clock: keys
 * claimed 24 hours or more before the service's now go (in batches), younger ones stay, and a
 * request with a purged key is a new request.
 */
describe('expired Idempotency-Keys are purged by the worker, by the service clock (integration)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  let worker: INestApplicationContext | undefined;
  let queue: Queue | undefined;
  let connection: ReturnType<typeof createRedisConnection> | undefined;
  const now = '2026-06-10T12:00:00Z';
  const hoursBefore = (hours: number, seconds = 0) => new Date(Date.parse(now) - hours * 3_600_000 + seconds * 1000).toISOString();

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
  });
  afterAll(async () => {
    await worker?.close();
    if (queue) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
    connection?.disconnect();
    await api.close();
  });

  const postArea = (code: string, name: string, key: string) =>
    api.http.post('/api/v1/areas').set('Authorization', `Bearer ${tokens.admin}`).set('Idempotency-Key', key).send({ code, name });
  const keysOf = async (principal: string) =>
    Number((await api.db.read((sql) => sql.one<{ n: string }>('SELECT count(*) AS n FROM idempotency_keys WHERE principal = $1', [principal])))!.n);
  const stampOf = async (key: string) =>
    (await api.db.read((sql) => sql.one<{ created_at: Date }>('SELECT created_at FROM idempotency_keys WHERE key = $1', [key])))?.created_at ?? null;
  let run = 0;
  const purgeNow = async () => {
    run += 1;
    await queue!.add('idempotency.purge', {}, { jobId: jobId('test', 'purge', run), attempts: 1 });
    await drainQueues([queue!], { timeoutMs: 30_000 });
  };

  it('registers the hourly purge, deletes expired keys in batches and keeps live ones, and a purged key is a new request', async () => {
    api.clock.set(now);
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(api.config, { clock: api.clock }), { logger: false });
    await worker.init();
    connection = createRedisConnection(api.config.redisUrl, 'worker', 'purge-test');
    queue = new Queue(JOB_QUEUE['idempotency.purge'], { connection, prefix: api.config.queuePrefix });
    expect(await queue.getJobScheduler('idempotency.purge')).toMatchObject({ every: 3_600_000 });
    // What the schedulers queued at start runs first, so the runs below are the test's own.
    await drainQueues([queue], { timeoutMs: 30_000 });

    // Keys used through the API at three instants around the 24-hour line of `now`.
    const [oldKey, boundaryKey, liveKey] = ['old', 'boundary', 'live'].map((k) => `${k}-${randomUUID()}`) as [string, string, string];
    api.clock.set(hoursBefore(25));
    expect((await postArea('QPA', 'Purged', oldKey)).status).toBe(201);
    api.clock.set(hoursBefore(24));
    expect((await postArea('QPB', 'Expires at now', boundaryKey)).status).toBe(201);
    api.clock.set(hoursBefore(24, 1));
    expect((await postArea('QPC', 'Expires a second after now', liveKey)).status).toBe(201);

    // More expired keys than two batches hold, and a few live ones, written directly.
    const expired = 2 * PURGE_BATCH + 345;
    const bulk = `bulk-${randomUUID()}`;
    await api.db.transaction((sql) =>
      sql.execute(
        `INSERT INTO idempotency_keys (principal, key, method, path, request_hash, status, response_status, response_body, created_at, completed_at)
         SELECT $1, CASE WHEN i <= $2 THEN 'expired-' ELSE 'live-' END || i, 'POST', '/api/v1/areas', 'h', 'completed', 201, '{}'::jsonb,
                CASE WHEN i <= $2 THEN $3::timestamptz ELSE $4::timestamptz END, $3::timestamptz
         FROM generate_series(1, $2 + 5) AS i`,
        [bulk, expired, hoursBefore(48), hoursBefore(1)],
      ),
    );
    expect(await keysOf(bulk)).toBe(expired + 5);

    api.clock.set(now);
    await purgeNow();
    expect(await keysOf(bulk)).toBe(5);
    expect(await api.db.read((sql) => sql.query<{ key: string }>(`SELECT key FROM idempotency_keys WHERE principal = $1 AND key LIKE 'expired-%'`, [bulk]))).toEqual([]);
    expect(await stampOf(oldKey)).toBeNull();
    expect(await stampOf(boundaryKey)).toBeNull();
    expect(await stampOf(liveKey)).toEqual(new Date(hoursBefore(24, 1)));

    // A second run (BullMQ is at least once) changes nothing more.
    await purgeNow();
    expect(await keysOf(bulk)).toBe(5);
    expect(await stampOf(liveKey)).toEqual(new Date(hoursBefore(24, 1)));

    // The purged key with another body is a new request, not a 422; the live key still replays.
    const fresh = await postArea('QPD', 'After the purge', oldKey);
    expect(fresh.status).toBe(201);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    expect(fresh.body).toMatchObject({ code: 'QPD' });
    expect(await stampOf(oldKey)).toEqual(new Date(now));
    const replay = await postArea('QPC', 'Expires a second after now', liveKey);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });
});
