import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { Public } from '../common/auth';

export const HEALTH_REDIS = Symbol('HealthRedis');

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    @Inject(HEALTH_REDIS) private readonly redis: IORedis,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Redis reachable (503 otherwise)' })
  ready() {
    return this.health.check([
      () => this.indicators.check('database').attempt(async () => { await this.dataSource.query('SELECT 1'); }).withTimeout(2000),
      () => this.indicators.check('redis').attempt(async () => { await this.redis.ping(); }).withTimeout(2000),
    ]);
  }
}
