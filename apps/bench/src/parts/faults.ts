import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { reminderJob } from '@app/application';
import { createDataSource, Database, migrationSessionOptions, roleOf } from '@app/persistence';
import { BenchContext, BenchPart, BenchTable, percentile } from '../bench';
import { ownPostgres, ownRedis, waitFor } from '../faults/servers';
import { seedReleaseScheduledDetainers } from '../generator/release-scheduled';

/** Detainers per case (BENCH_FAULTS_DETAINERS); each has two reminders (agency and office), each one inbox recipient. */
const DETAINERS = Number(process.env.BENCH_FAULTS_DETAINERS ?? 100);
/** Reminders fall due evenly over this window, starting FIRST_DUE_MS after the case starts; faults strike in its middle. */
const FIRST_DUE_MS = 6_000;
const WINDOW_MS = 10_000;
const FAULT_AT_MS = 9_000;
/** "Redis down 60 s", shortened so the whole matrix runs in a few minutes (BENCH_FAULTS_REDIS_DOWN_MS). */
const REDIS_DOWN_MS = Number(process.env.BENCH_FAULTS_REDIS_DOWN_MS ?? 15_000);

type Servers = { pg: Awaited<ReturnType<typeof ownPostgres>>; redis: Awaited<ReturnType<typeof ownRedis>>; database: string; prefix: string };
interface Case {
  name: string;
  workers?: number;
  /** Runs at FAULT_AT_MS (or from the start, for those that act throughout). */
  fault?: (s: Servers, workers: WorkerPool) => Promise<void>;
  /** Before the workers start: extra setup (duplicate jobs). */
  setup?: (s: Servers) => Promise<void>;
  /** Starts at once instead of at FAULT_AT_MS. */
  early?: boolean;
}

const CASES: Case[] = [
  { name: 'none (baseline)' },
  { name: 'worker kill -9, replacement started', fault: (_s, pool) => { pool.kill(0); pool.start(); return Promise.resolve(); } },
  { name: 'Redis restarted empty', fault: async (s) => { await s.redis.stop(); await s.redis.start(); } },
  { name: 'Redis FLUSHALL', fault: async (s) => { const r = new IORedis(s.redis.url); await r.flushall(); r.disconnect(); } },
  { name: `Redis down ${REDIS_DOWN_MS / 1000} s`, fault: async (s) => { await s.redis.stop(); await sleep(REDIS_DOWN_MS); await s.redis.start(); } },
  { name: 'PostgreSQL restart (fast)', fault: async (s) => { await s.pg.restart(); } },
  { name: 'two workers', workers: 2 },
  { name: 'reschedule storm (5 rounds, all reminders)', early: true, fault: rescheduleStorm },
  { name: '20 identical jobs per reminder, in parallel', workers: 2, setup: duplicateJobs },
];

/**
 * The fault matrix at a small N, against servers the bench starts itself (its own PostgreSQL
 * cluster, a redis-server per case): per fault, how many deliveries were expected, made, lost,
 * made twice, and how late (fired - due). Lost and duplicated must be 0.
 */
export const faultsPart: BenchPart = {
  name: 'faults',
  description: `reminders under faults (${DETAINERS} detainers a case): expected, delivered, lost, duplicated, lateness`,
  async run(ctx: BenchContext): Promise<BenchTable[]> {
    const pg = await ownPostgres();
    try {
      await prepareTemplate(pg, ctx);
      const rows: (string | number)[][] = [];
      for (const [i, c] of CASES.entries()) {
        const r = await runCase(ctx, pg, c, `faults_case_${i}`);
        ctx.log(`${c.name}: expected ${r.expected}, delivered ${r.delivered}, lost ${r.lost}, duplicated ${r.duplicated}, p99 ${r.p99} ms`);
        rows.push([c.name, r.expected, r.delivered, r.lost, r.duplicated, r.p50, r.p99, r.max]);
      }
      return [
        {
          title: `Reminder deliveries under faults (${DETAINERS} detainers, ${DETAINERS * 2} reminders a case; inbox; lateness = fired - due)`,
          columns: ['fault', 'expected', 'delivered', 'lost', 'duplicated', 'p50 ms', 'p99 ms', 'max ms'],
          rows,
          notes: [
            `Reminders due evenly over ${WINDOW_MS / 1000} s from ${FIRST_DUE_MS / 1000} s after the case starts; faults at ${FAULT_AT_MS / 1000} s. Worker processes (node), SWEEP_EVERY_MS 5000, REMINDER_LOCK_MS 5000.`,
            `"Redis down" is ${REDIS_DOWN_MS / 1000} s, not 60 s, to keep the matrix to a few minutes (BENCH_FAULTS_REDIS_DOWN_MS=60000 for the full outage).`,
            'duplicated = inbox notifications beyond one per reminder and recipient; lost = reminders with no delivery 45 s after the last was due.',
            'A shared 2-core machine: lateness varies run to run by a second or more; lost/duplicated do not.',
          ],
        },
      ];
    } finally {
      await pg.destroy();
    }
  },
};

async function prepareTemplate(pg: Servers['pg'], ctx: BenchContext): Promise<void> {
  await pg.query('postgres', 'CREATE DATABASE faults_template');
  const url = pg.url('faults_template');
  const ds = createDataSource({ url, poolSize: 2, sessionOptions: migrationSessionOptions(roleOf(url)) });
  await ds.initialize();
  try {
    await ds.runMigrations();
    const db = new Database(ds);
    await db.transaction((sql) => seedReleaseScheduledDetainers(sql, DETAINERS));
  } finally {
    await ds.destroy();
  }
  ctx.log(`own PostgreSQL cluster ready: template with ${DETAINERS} detainers`);
}

async function runCase(ctx: BenchContext, pg: Servers['pg'], c: Case, database: string) {
  await pg.query('postgres', `CREATE DATABASE ${database} TEMPLATE faults_template`);
  const redis = await ownRedis();
  const servers: Servers = { pg, redis, database, prefix: `dwf${randomBytes(3).toString('hex')}` };
  const url = pg.url(database);
  const ds = createDataSource({ url, poolSize: 2, sessionOptions: migrationSessionOptions(roleOf(url)) });
  await ds.initialize();
  const db = new Database(ds);
  const pool = new WorkerPool(servers, url);
  try {
    // The workers first (their start-up is not what is measured), then the reminders, queued as the outbox does after a commit.
    for (let i = 0; i < (c.workers ?? 1); i += 1) pool.start();
    await waitFor(() => Promise.resolve(pool.running() >= (c.workers ?? 1)), 'the worker processes to start', 60_000);
    const startedAt = Date.now();
    await db.read((sql) =>
      sql.execute(
        `WITH d AS (SELECT id, agency_id, area_id, facility_id, row_number() OVER (ORDER BY id) AS n FROM detainers)
         INSERT INTO reminders (detainer_id, lodging_seq, key, kind, audience, due_at, anchor_at, agency_id, area_id, facility_id, time_zone, status, created_at)
         SELECT d.id, 1, '1.release_48h.' || x.aud, 'release_48h', x.aud, t.due, t.due + interval '48 hours', d.agency_id, d.area_id, d.facility_id, 'America/Los_Angeles', 'pending', now()
         FROM d CROSS JOIN (VALUES ('agency'), ('office')) AS x(aud)
         CROSS JOIN LATERAL (SELECT to_timestamp($1::float8 / 1000) + (d.n - 1) * ($2::float8 / $3::int) * interval '1 millisecond' AS due) AS t`,
        [startedAt + FIRST_DUE_MS, WINDOW_MS, DETAINERS],
      ),
    );
    await queueAll(servers, db);
    await c.setup?.(servers);
    const fault = c.fault ? (async () => { await sleep(c.early ? 2000 : Math.max(0, startedAt + FAULT_AT_MS - Date.now())); await c.fault!(servers, pool); })() : Promise.resolve();
    const lastDue = startedAt + FIRST_DUE_MS + WINDOW_MS + (c.early ? 2000 : 0);
    const deadline = Math.max(lastDue, Date.now()) + 45_000 + (c.name.startsWith('Redis down') ? REDIS_DOWN_MS : 0);
    await fault;
    const total = DETAINERS * 2;
    await waitFor(async () => (await firedCount(db)) >= total || Date.now() > deadline, 'the reminders to fire', deadline - Date.now() + 5000);
    await sleep(3000); // room for a duplicate, if there were one
    return await outcome(db, total);
  } catch (error) {
    ctx.log(`${c.name}: ${(error as Error).message}\n${pool.output().slice(-3000)}`);
    throw error;
  } finally {
    await pool.stopAll();
    await ds.destroy();
    await redis.stop();
    await pg.query('postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

async function firedCount(db: Database): Promise<number> {
  const row = await db.read((sql) => sql.one<{ n: string }>(`SELECT count(*) AS n FROM reminders WHERE status = 'fired'`));
  return Number(row?.n ?? 0);
}

async function outcome(db: Database, expected: number) {
  const rows = await db.read((sql) =>
    sql.query<{ due_at: Date; fired_at: Date | null; notes: string; recipients: string }>(
      `SELECT r.due_at, r.fired_at, count(n.id) AS notes, count(DISTINCT n.user_id) AS recipients
       FROM reminders r LEFT JOIN notifications n ON n.reminder_id = r.id GROUP BY r.id`,
    ),
  );
  const delivered = rows.filter((r) => Number(r.recipients) > 0);
  const lateness = delivered.filter((r) => r.fired_at).map((r) => r.fired_at!.getTime() - r.due_at.getTime());
  return {
    expected,
    delivered: delivered.length,
    lost: expected - delivered.length,
    duplicated: rows.reduce((sum, r) => sum + (Number(r.notes) - Number(r.recipients)), 0),
    p50: percentile(lateness, 50),
    p99: percentile(lateness, 99),
    max: lateness.length ? Math.max(...lateness) : Number.NaN,
  };
}

/** Worker processes (the real `main`), each can be SIGKILLed. */
class WorkerPool {
  private readonly children: ChildProcess[] = [];
  private log = '';

  constructor(private readonly s: Servers, private readonly databaseUrl: string) {}

  start(): void {
    const ext = path.extname(__filename);
    const main = path.resolve(__dirname, `../../../worker/src/main${ext}`);
    const args = ext === '.ts' ? ['-r', path.resolve(__dirname, '../../../../libs/testing/src/ts-register.js'), main] : [main];
    const child = spawn(process.execPath, args, {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        DATABASE_URL: this.databaseUrl,
        REDIS_URL: this.s.redis.url,
        QUEUE_PREFIX: this.s.prefix,
        JWT_SECRET: 'bench-only-secret-that-is-long-enough-123',
        LOG_LEVEL: 'warn',
        AUDIT_SPOOL_DIR: path.join(tmpdir(), `dw-bench-spool-${this.s.prefix}`),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => (this.log = (this.log + chunk.toString('utf8')).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.children.push(child);
  }

  kill(index: number): void {
    this.children[index]?.kill('SIGKILL');
  }

  /** How many worker processes said they are running. */
  running(): number {
    return (this.log.match(/Worker running/g) ?? []).length;
  }

  output(): string {
    return this.log;
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      this.children.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => new Promise<void>((r) => { c.once('exit', () => r()); c.kill('SIGKILL'); })),
    );
  }
}

/** Five rounds, a second apart, each moving every pending reminder 300 ms later under a new job version, queued as the outbox does. */
async function rescheduleStorm(s: Servers): Promise<void> {
  const url = s.pg.url(s.database);
  const ds = createDataSource({ url, poolSize: 1, sessionOptions: migrationSessionOptions(roleOf(url)) });
  await ds.initialize();
  const queue = new Queue('reminders', { connection: new IORedis(s.redis.url, { maxRetriesPerRequest: null }), prefix: s.prefix });
  try {
    const db = new Database(ds);
    for (let round = 0; round < 5; round += 1) {
      const moved = await db.read((sql) =>
        sql.query<{ id: string; job_version: number; due_at: Date }>(
          `UPDATE reminders SET due_at = due_at + interval '300 milliseconds', job_version = job_version + 1 WHERE status = 'pending' RETURNING id, job_version, due_at`,
        ),
      );
      const jobs = moved.map((r) => reminderJob({ id: r.id, jobVersion: r.job_version, dueAt: r.due_at }));
      await queue.addBulk(jobs.map((j) => ({ name: j.name, data: j.data, opts: { ...j.opts, jobId: j.jobId, removeOnComplete: true } })));
      await sleep(1000);
    }
  } finally {
    await queue.close();
    await queue.disconnect();
    await ds.destroy();
  }
}

/** Every pending reminder's job, with its remaining delay: what the outbox adds after the commit that planned it. */
async function queueAll(s: Servers, db: Database): Promise<void> {
  const queue = new Queue('reminders', { connection: new IORedis(s.redis.url, { maxRetriesPerRequest: null }), prefix: s.prefix });
  try {
    const rows = await db.read((sql) => sql.query<{ id: string; job_version: number; due_at: Date }>(`SELECT id, job_version, due_at FROM reminders WHERE status = 'pending'`));
    const jobs = rows.map((r) => reminderJob({ id: r.id, jobVersion: r.job_version, dueAt: r.due_at }));
    await queue.addBulk(jobs.map((j) => ({ name: j.name, data: j.data, opts: { ...j.opts, jobId: j.jobId, removeOnComplete: true } })));
  } finally {
    await queue.close();
    await queue.disconnect();
  }
}

/** Twenty jobs per reminder, each with its own id, all due at the reminder's time. */
async function duplicateJobs(s: Servers): Promise<void> {
  const url = s.pg.url(s.database);
  const ds = createDataSource({ url, poolSize: 1, sessionOptions: migrationSessionOptions(roleOf(url)) });
  await ds.initialize();
  const queue = new Queue('reminders', { connection: new IORedis(s.redis.url, { maxRetriesPerRequest: null }), prefix: s.prefix });
  try {
    const rows = await new Database(ds).read((sql) => sql.query<{ id: string; job_version: number; due_at: Date }>(`SELECT id, job_version, due_at FROM reminders WHERE status = 'pending'`));
    const jobs = rows.flatMap((r) =>
      Array.from({ length: 20 }, (_, k) => {
        const j = reminderJob({ id: r.id, jobVersion: r.job_version, dueAt: r.due_at });
        return { name: j.name, data: j.data, opts: { ...j.opts, jobId: `dup.${r.id}.${k}`, removeOnComplete: true } };
      }),
    );
    await queue.addBulk(jobs);
  } finally {
    await queue.close();
    await queue.disconnect();
    await ds.destroy();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
