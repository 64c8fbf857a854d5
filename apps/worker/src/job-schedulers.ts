import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig } from '@app/config';
import { FINISHED_JOB_RETENTION, JOB_QUEUE, jobId, JobName, JobQueue } from '@app/queue';
import { weeklyRollupSchedule } from './processors/report.processors';
import { WORKER_REDIS } from './worker.tokens';

/** Expired Idempotency-Keys are purged hourly: they are claimed anew when used, so this only bounds the table. */
const IDEMPOTENCY_PURGE_EVERY_MS = 3_600_000;

/** The recurring jobs, by their fixed scheduler keys (each equals its job name). */
export const SCHEDULED_JOBS = ['system.heartbeat', 'reminders.reconcile', 'report.rollup', 'report.reroll', 'audit.chain', 'idempotency.purge'] as const satisfies readonly JobName[];

/**
 * The job schedulers (fixed keys, upserted from this one place) and the sentinel: a key written
 * beside them that only a loss of Redis's data removes (FLUSHALL, a restart without persistence,
 * eviction). The connection may never drop in such a loss, so it is looked for, not waited for.
 */
@Injectable()
export class JobSchedulers implements OnApplicationShutdown {
  private readonly logger = new Logger('JobSchedulers');
  private readonly queues = new Map<JobQueue, Queue>();
  private readonly connection: IORedis;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WORKER_REDIS) private readonly redis: IORedis,
  ) {
    this.connection = redis.duplicate();
  }

  get sentinelKey(): string {
    return `${this.config.queuePrefix}:redis-sentinel`;
  }

  private queue(name: JobQueue): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.config.queuePrefix });
      queue.on('error', (error) => this.logger.warn({ queue: name, err: error.message }, 'queue connection error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /**
   * Schedulers are upserted by one process at a time (a short Redis lock): concurrent upserts from
   * several workers have left dead or duplicate schedulers elsewhere. Then the sentinel is set, and
   * a reconcile is queued (Redis may have lost its data while no worker ran); runs are idempotent.
   */
  async register(): Promise<void> {
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
        await this.queue(JOB_QUEUE['idempotency.purge']).upsertJobScheduler('idempotency.purge', { every: IDEMPOTENCY_PURGE_EVERY_MS }, {
          name: 'idempotency.purge', data: {}, opts: { removeOnComplete: 10, removeOnFail: 100 },
        });
        await this.redis.set(this.sentinelKey, new Date().toISOString());
      } finally {
        await this.redis.del(lockKey);
      }
    }
    await this.queue(JOB_QUEUE['reminders.reconcile']).add('reminders.reconcile', {}, {
      ...FINISHED_JOB_RETENTION,
      attempts: 3,
      backoff: { type: 'exponential', delay: 1000 },
      jobId: jobId('reconcile-at-start', process.pid, Date.now()),
    });
  }

  /** What a loss of Redis's data left missing: the sentinel and any of the schedulers (empty when all is there). */
  async missing(): Promise<string[]> {
    const missing: string[] = [];
    if ((await this.redis.exists(this.sentinelKey)) === 0) missing.push(this.sentinelKey);
    for (const name of SCHEDULED_JOBS) {
      if (!(await this.queue(JOB_QUEUE[name]).getJobScheduler(name))) missing.push(`scheduler ${name}`);
    }
    return missing;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.connection.disconnect();
  }
}
