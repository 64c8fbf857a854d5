import { hostname } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig } from '@app/config';
import { JobHandler } from '@app/queue';
import { WORKER_REDIS } from '../worker.tokens';

/** Marks this worker process alive, so operators can see how many workers run. */
@Injectable()
export class HeartbeatProcessor implements JobHandler<'system.heartbeat'> {
  readonly jobName = 'system.heartbeat' as const;

  constructor(
    @Inject(WORKER_REDIS) private readonly redis: IORedis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(): Promise<void> {
    await this.redis.set(`${this.config.queuePrefix}:worker-heartbeat:${hostname()}:${process.pid}`, new Date().toISOString(), 'EX', 180);
  }
}
