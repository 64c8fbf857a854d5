import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig } from '@app/config';
import { indexHandlers, judgeRedisDurability, readRedisDurability, JOB_HANDLERS, JOB_NAMES, JobHandler, JobName, JOB_QUEUES } from '@app/queue';
import { SYSTEM_SCOPE, withDatabaseScope } from '@app/persistence';
import { DueSweep } from './due-sweep';
import { JobSchedulers } from './job-schedulers';
import { WORKER_REDIS } from './worker.tokens';

/** What BullMQ says when a job's keys went with Redis's data (moveToFinished, extendLock...). */
const LOST_JOB = /Missing (key|lock) for job/;

/** How long shutdown waits for jobs in hand before leaving them to be recovered as stalled. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * One BullMQ worker per queue, dispatching by job name to exactly one processor; the recurring
 * jobs are registered at start (JobSchedulers), and again whenever Redis comes back or lost its data.
 */
@Injectable()
export class WorkerRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly workers: Worker[] = [];
  /** Connections duplicated for workers and queues: BullMQ does not close connections it was given. */
  private readonly connections: IORedis[] = [];
  private readonly handlers: Map<JobName, JobHandler>;
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WORKER_REDIS) private readonly redis: IORedis,
    @Inject(JOB_HANDLERS) handlers: JobHandler[],
    private readonly schedulers: JobSchedulers,
    private readonly sweep: DueSweep,
  ) {
    this.handlers = indexHandlers(handlers, JOB_NAMES);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.checkRedisDurability();
    for (const queueName of Object.values(JOB_QUEUES)) {
      // A worker that dies holding a job loses it after lockDuration; the stalled check (every half lock) hands it on.
      // Reminder jobs are short (one transaction): a short lock hands a dead worker's reminders on within seconds.
      const lockDuration = queueName === JOB_QUEUES.reminders ? this.config.reminders.reminderLockMs : this.config.reminders.jobLockMs;
      const worker = new Worker(queueName, (job) => this.dispatch(job), {
        connection: this.duplicate(),
        prefix: this.config.queuePrefix,
        concurrency: 5,
        autorun: true,
        lockDuration,
        stalledInterval: Math.max(500, Math.floor(lockDuration / 2)),
      });
      worker.on('failed', (job, error) =>
        this.logger.warn({ queue: queueName, jobId: job?.id, jobName: job?.name, attemptsMade: job?.attemptsMade, err: error.message }, 'job failed'),
      );
      worker.on('error', (error) => {
        // Redis lost a job this worker held (restarted empty, flushed): expected, and PostgreSQL still knows what is due.
        if (LOST_JOB.test(error.message)) {
          this.logger.warn({ queue: queueName, err: error.message }, 'Redis no longer has a job this worker held (restarted empty or flushed): sweeping and reconciling now');
          this.sweep.soon();
          return;
        }
        this.logger.error({ queue: queueName, err: error.message }, 'worker error');
      });
      this.workers.push(worker);
    }
    await this.schedulers.register();
    // Redis back after an outage may have lost everything, schedulers included (no persistence, a flush):
    // re-register them and reconcile, rather than wait for a scheduler that no longer exists.
    this.redis.on('ready', () => {
      if (this.closing) return;
      this.logger.warn('Redis connection re-established: re-registering schedulers and reconciling reminders');
      this.schedulers.register().catch((error: unknown) => this.logger.error({ err: (error as Error).message }, 'could not re-register schedulers'));
    });
    this.logger.log(`Worker started: queues ${Object.values(JOB_QUEUES).join(', ')}; ${this.handlers.size} job types`);
  }

  /** Production refuses a Redis that would lose or evict jobs, with the fix; development warns. */
  private async checkRedisDurability(): Promise<void> {
    const found = await readRedisDurability(this.redis);
    const verdict = judgeRedisDurability(found, { production: this.config.nodeEnv === 'production', verified: this.config.redisPersistenceVerified });
    for (const message of verdict.warn) this.logger.warn({ redis: found }, message);
    if (verdict.refuse.length) throw new Error(`Redis is not fit for durable jobs:\n  - ${verdict.refuse.join('\n  - ')}`);
  }

  private async dispatch(job: Job): Promise<void> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new Error(`no processor for job "${job.name}"`);
    const started = Date.now();
    // Jobs are the system's own work: every transaction they open sees all rows (row-level security).
    await withDatabaseScope(SYSTEM_SCOPE, () => handler.handle(job.data as never, job as never));
    this.logger.debug({ queue: job.queueName, jobId: job.id, jobName: job.name, durationMs: Date.now() - started }, 'job done');
  }

  private duplicate(): IORedis {
    const connection = this.redis.duplicate();
    this.connections.push(connection);
    return connection;
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    // worker.close() waits for active jobs without a bound of its own.
    const closing = Promise.all(this.workers.map((w) => w.close()));
    const timedOut = await Promise.race([closing.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), SHUTDOWN_GRACE_MS).unref())]);
    if (timedOut) {
      this.logger.warn(`jobs still running after ${SHUTDOWN_GRACE_MS} ms; leaving them to be recovered as stalled`);
      await Promise.all(this.workers.map((w) => w.close(true)));
    }
    for (const c of this.connections) c.disconnect();
    this.redis.disconnect();
  }
}
