import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Job, JobsOptions, JobState, Queue } from 'bullmq';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig } from '@app/config';
import { JOB_QUEUE, JobName, JobPayloads, JobQueue } from './jobs';
import { createRedisConnection } from './redis';

const PRODUCER_REDIS = Symbol('ProducerRedis');

/**
 * Finished jobs are kept forever unless told otherwise: completed jobs go at once (the database
 * records what happened), failed ones stay a week for the dashboard.
 */
export const FINISHED_JOB_RETENTION = {
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} as const satisfies JobsOptions;

export interface NewJob<N extends JobName> {
  name: N;
  data: JobPayloads[N];
  /** Always a deterministic id (jobId(), reminderJobId()...), so duplicates collapse. */
  jobId: string;
  opts?: Omit<JobsOptions, 'jobId'>;
}

/**
 * Adds jobs to their queues. Its Redis connection fails fast (no offline queue): a caller learns at
 * once that Redis is down instead of hanging, and the database keeps what must be done.
 */
@Injectable()
export class JobProducer implements OnApplicationShutdown {
  private readonly queues = new Map<JobQueue, Queue>();
  private readonly logger = new Logger('JobProducer');

  constructor(
    @Inject(PRODUCER_REDIS) private readonly connection: IORedis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  queue(name: JobQueue): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.config.queuePrefix });
      queue.on('error', (error) => this.logger.warn({ queue: name, err: error.message }, 'queue connection error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  async add<N extends JobName>(job: NewJob<N>): Promise<void> {
    await this.queue(JOB_QUEUE[job.name]).add(job.name, job.data, { ...FINISHED_JOB_RETENTION, ...job.opts, jobId: job.jobId });
  }

  /** Adds many jobs, grouped per queue (one round trip per queue and chunk). */
  async addBulk(jobs: readonly NewJob<JobName>[]): Promise<void> {
    const byQueue = new Map<JobQueue, NewJob<JobName>[]>();
    for (const job of jobs) {
      const q = JOB_QUEUE[job.name];
      byQueue.set(q, [...(byQueue.get(q) ?? []), job]);
    }
    for (const [queueName, list] of byQueue) {
      for (let i = 0; i < list.length; i += 1000) {
        await this.queue(queueName).addBulk(
          list.slice(i, i + 1000).map((j) => ({ name: j.name, data: j.data as never, opts: { ...FINISHED_JOB_RETENTION, ...j.opts, jobId: j.jobId } })),
        );
      }
    }
  }

  async state(name: JobQueue, jobId: string): Promise<JobState | 'unknown'> {
    return this.queue(name).getJobState(jobId);
  }

  async job(name: JobQueue, jobId: string): Promise<Job | undefined> {
    return this.queue(name).getJob(jobId);
  }

  /**
   * Where each job id stands, in one pipelined round trip per call: absent (never added, or lost with
   * Redis's data), finished (held by a completed or failed job: a re-add with that id is a no-op), or queued.
   */
  async presence(name: JobQueue, jobIds: readonly string[]): Promise<Map<string, 'absent' | 'finished' | 'queued'>> {
    const queue = this.queue(name);
    const pipeline = this.connection.pipeline();
    for (const id of jobIds) {
      pipeline.exists(queue.toKey(id));
      pipeline.zscore(queue.toKey('failed'), id);
      pipeline.zscore(queue.toKey('completed'), id);
    }
    const replies = (await pipeline.exec()) ?? [];
    const out = new Map<string, 'absent' | 'finished' | 'queued'>();
    jobIds.forEach((id, i) => {
      const [exists, failed, completed] = [replies[3 * i], replies[3 * i + 1], replies[3 * i + 2]].map((r) => {
        if (!r || r[0]) throw r?.[0] ?? new Error('no reply from Redis');
        return r[1];
      });
      out.set(id, failed !== null || completed !== null ? 'finished' : exists === 1 ? 'queued' : 'absent');
    });
    return out;
  }

  /** Ids of the jobs waiting or delayed in a queue (not those being processed). */
  async waitingIds(name: JobQueue): Promise<string[]> {
    const queue = this.queue(name);
    const [delayed, wait, paused, prioritized] = await Promise.all([
      this.connection.zrange(queue.toKey('delayed'), 0, -1),
      this.connection.lrange(queue.toKey('wait'), 0, -1),
      this.connection.lrange(queue.toKey('paused'), 0, -1),
      this.connection.zrange(queue.toKey('prioritized'), 0, -1),
    ]);
    return [...delayed, ...wait, ...paused, ...prioritized];
  }

  /** Removes a waiting or delayed job; a job being processed is left alone (its processor will see it is stale). */
  async remove(name: JobQueue, jobId: string): Promise<void> {
    await this.queue(name).remove(jobId).catch(() => 0);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.connection.disconnect();
  }
}

/** The producer for every process that adds jobs (API, worker, CLI); global so use cases can inject it. */
@Global()
@Module({
  providers: [
    { provide: PRODUCER_REDIS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createRedisConnection(config.redisUrl, 'producer', 'producer') },
    JobProducer,
  ],
  exports: [JobProducer],
})
export class QueueModule {}
