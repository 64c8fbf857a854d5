import { randomBytes } from 'node:crypto';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Job, Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { ApplicationModule, ReconcileReminders, reminderJob } from '@app/application';
import { AppConfig, AppConfigModule } from '@app/config';
import { createDataSource, Database, migrationSessionOptions, PersistenceModule, roleOf } from '@app/persistence';
import { createRedisConnection, deleteKeysWithPrefix, JobProducer } from '@app/queue';
import { WorkerModule } from '../../../worker/src/worker.module';
import { BenchContext, BenchPart, BenchTable, percentile, timed } from '../bench';
import { seedReleaseScheduledDetainers } from '../generator/release-scheduled';

const PENDING = 100_000;
const MEASURED = 2_000; // due within a 20 s window (100/s) once the worker runs
const BURST = 5_000; // overdue at once
const RAW_JOBS = 20_000;

/**
 * Reminders with 100,000 pending: how late they fire (p50/p99) and how many deliveries per second
 * the worker sustains (the real worker: BullMQ, PostgreSQL locking, inbox writes), beside raw BullMQ
 * add/process throughput and delayed-job lateness measured in the same run on the same Redis.
 */
export const remindersPart: BenchPart = {
  name: 'reminders',
  description: `${PENDING.toLocaleString('en-US')} pending reminders: lateness and deliveries/s of the worker vs raw BullMQ`,
  async run(ctx: BenchContext): Promise<BenchTable[]> {
    const url = await ctx.scratchDatabase('reminders');
    const ds = createDataSource({ url, poolSize: 4, sessionOptions: migrationSessionOptions(roleOf(url)) });
    await ds.initialize();
    await ds.runMigrations();
    const prefix = `dwbench${randomBytes(3).toString('hex')}`;
    const config: AppConfig = { ...ctx.config, databaseUrl: url, queuePrefix: prefix, smtpUrl: null, logLevel: 'silent' };
    const redis = createRedisConnection(config.redisUrl, 'worker', 'bench');
    try {
      const raw = await rawBullmq(redis, prefix, ctx);
      const db = new Database(ds);
      const seedMs = (await timed(() => seed(db, ctx))).ms;
      ctx.log(`seeded ${PENDING.toLocaleString('en-US')} pending reminders in ${(seedMs / 1000).toFixed(1)} s`);

      // Redis has none of them (as after a restart without persistence): the reconciler, alone, queues them all.
      @Module({ imports: [AppConfigModule.forRoot(config), PersistenceModule, ApplicationModule.forRoot()] })
      class ReconcilerOnly {}
      const app = await NestFactory.createApplicationContext(ReconcilerOnly, { logger: false });
      const reconcile = app.get(ReconcileReminders);
      const first = await timed(() => reconcile.execute());
      const again = await timed(() => reconcile.execute());
      ctx.log(`reconcile: ${first.result.reminders.added} jobs added in ${first.ms.toFixed(0)} ms; a second pass in ${again.ms.toFixed(0)} ms`);

      // The worker starts (it reconciles once more at start), with 100,000+ delayed jobs in Redis.
      const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
      // Let its start-up reconcile (a check of all 100,000) finish, so the window measures firing alone.
      const reminderQueue = app.get(JobProducer).queue('reminders');
      await new Promise((r) => setTimeout(r, 1000));
      for (let i = 0; i < 600; i += 1) {
        const counts = await reminderQueue.getJobCounts('active', 'wait');
        if (counts.active + counts.wait === 0) break;
        await new Promise((r) => setTimeout(r, 500));
      }

      // The measured window: MEASURED reminders rescheduled to fall due evenly over the next 5-25 s, queued
      // the way the outbox does after a commit (a new job version; the old far-off jobs become stale).
      const rescheduled = await db.read((sql) =>
        sql.query<{ id: string; job_version: number; due_at: Date }>(
          `WITH m AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM reminders WHERE key LIKE 'measured.%')
           UPDATE reminders r SET due_at = now() + interval '5 seconds' + (m.n * interval '20 seconds') / $1::int, job_version = r.job_version + 1
           FROM m WHERE r.id = m.id RETURNING r.id, r.job_version, r.due_at`,
          [MEASURED],
        ),
      );
      await app.get(JobProducer).addBulk(rescheduled.map((r) => reminderJob({ id: r.id, jobVersion: r.job_version, dueAt: r.due_at })));
      const measured = await waitForFired(db, 'measured', MEASURED, 120_000);
      const lateness = measured.map((r) => r.lateMs);
      const spanS = (Math.max(...measured.map((r) => r.firedAt)) - Math.min(...measured.map((r) => r.dueAt))) / 1000;

      // The burst: BURST reminders overdue at once (as after an outage), queued in one go.
      await db.read((sql) => sql.execute(`UPDATE reminders SET due_at = now() - interval '1 minute', anchor_at = now() + interval '47 hours' WHERE key LIKE 'burst.%'`));
      const burstStart = Date.now();
      const burstJobs = await db.read((sql) =>
        sql.query<{ id: string; job_version: number; due_at: Date }>(
          `UPDATE reminders SET job_version = job_version + 1 WHERE key LIKE 'burst.%' RETURNING id, job_version, due_at`,
        ),
      );
      await app.get(JobProducer).addBulk(burstJobs.map((r) => reminderJob({ id: r.id, jobVersion: r.job_version, dueAt: r.due_at })));
      const burst = await waitForFired(db, 'burst', BURST, 300_000);
      const burstS = (Math.max(...burst.map((r) => r.firedAt)) - burstStart) / 1000;
      const deliveries = await db.read((sql) => sql.one<{ n: string }>(`SELECT count(*) AS n FROM reminder_deliveries d JOIN reminders r ON r.id = d.reminder_id WHERE r.key LIKE 'burst.%'`));
      await worker.close();
      await app.close();

      const stillPending = await db.read((sql) => sql.one<{ n: string }>(`SELECT count(*) AS n FROM reminders WHERE status = 'pending'`));
      return [
        {
          title: 'Reminder lateness (fired - due), worker vs raw BullMQ delayed jobs, same Redis',
          columns: ['what', 'jobs', 'p50 ms', 'p99 ms', 'max ms'],
          rows: [
            ['raw BullMQ delayed job, no-op processor', raw.delayed.length, percentile(raw.delayed, 50), percentile(raw.delayed, 99), Math.max(...raw.delayed)],
            [`reminder.fire with ${Number(stillPending?.n ?? 0).toLocaleString('en-US')}+ pending`, lateness.length, percentile(lateness, 50), percentile(lateness, 99), Math.max(...lateness)],
          ],
          notes: [
            `${MEASURED} reminders due evenly over 20 s (${(MEASURED / 20).toFixed(0)}/s offered) while ${PENDING.toLocaleString('en-US')} are pending; observed over ${spanS.toFixed(1)} s.`,
            'raw: 2,000 delayed no-op jobs due evenly over 10 s on an otherwise idle queue.',
          ],
        },
        {
          title: 'Throughput, worker vs raw BullMQ (concurrency 5 per queue)',
          columns: ['what', 'count', 'seconds', 'per second'],
          rows: [
            ['raw BullMQ addBulk', RAW_JOBS, raw.addS, RAW_JOBS / raw.addS],
            ['raw BullMQ process (no-op)', RAW_JOBS, raw.processS, RAW_JOBS / raw.processS],
            ['reconcile: check + re-add pending reminders', PENDING, first.ms / 1000, PENDING / (first.ms / 1000)],
            ['reconcile: check only (nothing missing)', PENDING, again.ms / 1000, PENDING / (again.ms / 1000)],
            ['overdue burst: reminders fired', BURST, burstS, BURST / burstS],
            ['overdue burst: deliveries recorded (inbox)', Number(deliveries?.n ?? 0), burstS, Number(deliveries?.n ?? 0) / burstS],
          ],
          notes: [
            'Each reminder here has one in-app recipient; e-mail and webhook deliveries are separate delivery.send jobs on their own queue.',
            'A shared 2-core machine: expect run-to-run noise of 20-30 %.',
          ],
        },
      ];
    } finally {
      await deleteKeysWithPrefix(redis, prefix);
      redis.disconnect();
      await ds.destroy();
    }
  },
};

async function seed(db: Database, ctx: BenchContext): Promise<void> {
  await db.transaction(async (sql) => {
    const { areaId: area, agencyId: a, facilityId: f } = await seedReleaseScheduledDetainers(sql, (PENDING + BURST) / 2);
    // Measured and burst: parked far ahead until their phase; the rest pending over the next weeks.
    await sql.execute(
      `WITH d AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM detainers)
       INSERT INTO reminders (detainer_id, lodging_seq, key, kind, audience, due_at, anchor_at, agency_id, area_id, facility_id, time_zone, status, created_at)
       SELECT d.id, 1,
              CASE WHEN d.n <= $1::int THEN 'measured.' WHEN d.n <= $1::int + $2::int THEN 'burst.' ELSE '1.' END || 'release_48h.' || x.aud,
              'release_48h', x.aud, t.due, t.due + interval '48 hours', $3, $4, $5, 'America/Los_Angeles', 'pending', now()
       FROM d CROSS JOIN (VALUES ('agency'), ('office')) AS x(aud)
       CROSS JOIN LATERAL (SELECT CASE WHEN d.n <= $1::int + $2::int THEN now() + interval '400 days'
                                       ELSE now() + interval '1 day' + d.n * interval '20 seconds' END AS due) AS t`,
      [MEASURED / 2, BURST / 2, a, area, f],
    );
  });
  ctx.log('seeded reference data, detainers and reminders');
}

async function waitForFired(db: Database, group: string, count: number, timeoutMs: number): Promise<{ dueAt: number; firedAt: number; lateMs: number }[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await db.read((sql) =>
      sql.query<{ due_at: Date; fired_at: Date }>(`SELECT due_at, fired_at FROM reminders WHERE key LIKE $1 AND status = 'fired'`, [`${group}.%`]),
    );
    if (rows.length >= count || Date.now() > deadline) {
      return rows.map((r) => ({ dueAt: r.due_at.getTime(), firedAt: r.fired_at.getTime(), lateMs: r.fired_at.getTime() - r.due_at.getTime() }));
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Raw BullMQ on the same Redis: addBulk and no-op processing throughput, and delayed-job lateness. */
async function rawBullmq(redis: IORedis, prefix: string, ctx: BenchContext): Promise<{ addS: number; processS: number; delayed: number[] }> {
  const queue = new Queue('raw', { connection: redis, prefix });
  const add = await timed(async () => {
    for (let i = 0; i < RAW_JOBS; i += 1000) {
      await queue.addBulk(Array.from({ length: 1000 }, (_, k) => ({ name: 'noop', data: { i: i + k }, opts: { jobId: `raw-${i + k}`, removeOnComplete: true } })));
    }
  });
  let processed = 0;
  let done!: () => void;
  const allDone = new Promise<void>((r) => (done = r));
  const started = Date.now();
  const workerConnection = redis.duplicate();
  const worker = new Worker('raw', () => {
    processed += 1;
    if (processed === RAW_JOBS) done();
    return Promise.resolve();
  }, { connection: workerConnection, prefix, concurrency: 5 });
  await allDone;
  const processS = (Date.now() - started) / 1000;
  ctx.log(`raw BullMQ: ${RAW_JOBS} added in ${add.ms.toFixed(0)} ms, processed in ${(processS * 1000).toFixed(0)} ms`);

  // Delayed jobs due evenly over 10 s: how late BullMQ itself hands them over.
  const lateness: number[] = [];
  const delayedCount = 2000;
  let finished!: () => void;
  const allDelayed = new Promise<void>((r) => (finished = r));
  worker.on('completed', (job: Job) => {
    if (job.name !== 'delayed') return;
    lateness.push((job.processedOn ?? Date.now()) - (job.timestamp + (job.opts.delay ?? 0)));
    if (lateness.length === delayedCount) finished();
  });
  const t0 = Date.now();
  await queue.addBulk(Array.from({ length: delayedCount }, (_, k) => ({ name: 'delayed', data: {}, opts: { delay: 2000 + Math.floor((k * 10_000) / delayedCount) - (Date.now() - t0), removeOnComplete: true } })));
  await allDelayed;
  await worker.close();
  await queue.close();
  workerConnection.disconnect();
  return { addS: add.ms / 1000, processS, delayed: lateness };
}

