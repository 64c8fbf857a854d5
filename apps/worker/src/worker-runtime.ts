import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig } from '@app/config';
import {
  checkEvictionPolicy, FINISHED_JOB_RETENTION, indexHandlers, JOB_HANDLERS, JOB_NAMES, JOB_QUEUE, jobId, JobHandler, JobName, QUEUES, QueueName,
} from '@app/queue';
import { SYSTEM_SCOPE, withDatabaseScope } from '@app/persistence';
import { weeklyRollupSchedule } from './processors/report.processors';
import { WORKER_REDIS } from './worker.tokens';

/** How long shutdown waits for jobs in hand before leaving them to be recovered as stalled. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * One BullMQ worker per queue, dispatching by job name to exactly one processor, plus the
 * recurring jobs (job schedulers with fixed keys, upserted from this one place).
 */
@Injectable()
export class WorkerRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly workers: Worker[] = [];
  private readonly queues: Queue[] = [];
  /** Connections duplicated for workers and queues: BullMQ does not close connections it was given. */
  private readonly connections: IORedis[] = [];
  private readonly handlers: Map<JobName, JobHandler>;
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WORKER_REDIS) private readonly redis: IORedis,
    @Inject(JOB_HANDLERS) handlers: JobHandler[],
  ) {
    this.handlers = indexHandlers(handlers, JOB_NAMES);
  }

  async onApplicationBootstrap(): Promise<void> {
    const policy = await checkEvictionPolicy(this.redis);
    if (!policy.ok) throw new Error(policy.message);
    for (const queueName of Object.values(QUEUES)) {
      const worker = new Worker(queueName, (job) => this.dispatch(job), {
        connection: this.duplicate(),
        prefix: this.config.queuePrefix,
        concurrency: 5,
        autorun: true,
        // A worker that dies holding a job loses it after lockDuration; the stalled check hands it to another.
        lockDuration: this.config.reminders.jobLockMs,
        stalledInterval: Math.max(500, Math.floor(this.config.reminders.jobLockMs / 2)),
      });
      worker.on('failed', (job, error) =>
        this.logger.warn({ queue: queueName, jobId: job?.id, jobName: job?.name, attemptsMade: job?.attemptsMade, err: error.message }, 'job failed'),
      );
      worker.on('error', (error) => this.logger.error({ queue: queueName, err: error.message }, 'worker error'));
      this.workers.push(worker);
    }
    await this.registerSchedulers();
    // Redis back after an outage may have lost everything, schedulers included (no persistence, a flush):
    // re-register them and reconcile, rather than wait for a scheduler that no longer exists.
    this.redis.on('ready', () => {
      if (this.closing) return;
      this.logger.warn('Redis connection re-established: re-registering schedulers and reconciling reminders');
      this.registerSchedulers().catch((error: unknown) => this.logger.error({ err: (error as Error).message }, 'could not re-register schedulers'));
    });
    this.logger.log(`Worker started: queues ${Object.values(QUEUES).join(', ')}; ${this.handlers.size} job types`);
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

  private queue(name: QueueName): Queue {
    let queue = this.queues.find((q) => q.name === name);
    if (!queue) {
      queue = new Queue(name, { connection: this.duplicate(), prefix: this.config.queuePrefix });
      queue.on('error', (error) => this.logger.warn({ queue: name, err: error.message }, 'queue connection error'));
      this.queues.push(queue);
    }
    return queue;
  }

  /**
   * Schedulers have fixed keys and are upserted here only, by one process at a time (a short Redis
   * lock): concurrent upserts from several workers have left dead or duplicate schedulers elsewhere.
   */
  private async registerSchedulers(): Promise<void> {
    const lockKey = `${this.config.queuePrefix}:schedulers-lock`;
    const acquired = await this.redis.set(lockKey, String(process.pid), 'PX', 30_000, 'NX');
    if (acquired === 'OK') {
      try {
        await this.queue(JOB_QUEUE['system.heartbeat']).upsertJobScheduler(
          'system.heartbeat',
          { every: 60_000 },
          { name: 'system.heartbeat', data: {}, opts: { removeOnComplete: 10, removeOnFail: 100 } },
        );
        await this.queue(JOB_QUEUE['reminders.reconcile']).upsertJobScheduler(
          'reminders.reconcile',
          { every: this.config.reminders.reconcileEveryMs },
          { name: 'reminders.reconcile', data: {}, opts: { ...FINISHED_JOB_RETENTION, attempts: 1 } },
        );
        // The weekly report: roll up each week after it closes; re-roll weeks that late or corrected records touched.
        await this.queue(JOB_QUEUE['report.rollup']).upsertJobScheduler('report.rollup', weeklyRollupSchedule(this.config), {
          name: 'report.rollup', data: {}, opts: { attempts: 5, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: 20, removeOnFail: 100 },
        });
        await this.queue(JOB_QUEUE['report.reroll']).upsertJobScheduler('report.reroll', { every: 60_000 }, {
          name: 'report.reroll', data: {}, opts: { removeOnComplete: 10, removeOnFail: 100 },
        });
        await this.queue(JOB_QUEUE['audit.chain']).upsertJobScheduler('audit.chain', { every: this.config.auditChainEveryMs }, {
          name: 'audit.chain', data: {}, opts: { removeOnComplete: 10, removeOnFail: 100 },
        });
      } finally {
        await this.redis.del(lockKey);
      }
    }
    // Every worker reconciles once at start (Redis may have lost its data while none ran); runs are idempotent.
    await this.queue(JOB_QUEUE['reminders.reconcile']).add('reminders.reconcile', {}, {
      ...FINISHED_JOB_RETENTION,
      attempts: 3,
      backoff: { type: 'exponential', delay: 1000 },
      jobId: jobId('reconcile-at-start', process.pid, Date.now()),
    });
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
    await Promise.all(this.queues.map((q) => q.close()));
    for (const c of this.connections) c.disconnect();
    this.redis.disconnect();
  }
}
