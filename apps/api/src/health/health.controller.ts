import { Controller, Get, Inject, ServiceUnavailableException, Res } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiPropertyOptions, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { Public } from '../common/auth';

export const HEALTH_REDIS = Symbol('HealthRedis');

export class LivenessResponse {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

const COMPONENTS: ApiPropertyOptions = {
  type: 'object',
  description: 'Per dependency (database, redis): { status: up | down, message? }',
  additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] }, message: { type: 'string' } }, required: ['status'], additionalProperties: true },
  example: { database: { status: 'up' }, redis: { status: 'up' } },
};

export class ReadinessResponse {
  @ApiProperty({ enum: ['ok', 'degraded', 'error', 'shutting_down'] }) status!: 'ok' | 'degraded' | 'error' | 'shutting_down';
  @ApiPropertyOptional({ ...COMPONENTS, description: 'The dependencies that are up' }) info?: Record<string, Record<string, unknown> | undefined>;
  @ApiPropertyOptional({ ...COMPONENTS, description: 'The dependencies that are down' }) error?: Record<string, Record<string, unknown> | undefined>;
  @ApiProperty(COMPONENTS) details!: Record<string, Record<string, unknown> | undefined>;
}

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
  @ApiOkResponse({ type: LivenessResponse })
  live(): LivenessResponse {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Redis reachable (503 otherwise, naming which is down)' })
  @ApiOkResponse({ type: ReadinessResponse })
  @ApiServiceUnavailableResponse({ type: ReadinessResponse, description: 'A dependency is down (`error` names it)' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessResponse> {
    try {
      return await this.health.check([
        () => this.indicators.check('database').attempt(async () => { await this.dataSource.query('SELECT 1'); }).withTimeout(2000),
        () => this.indicators.check('redis').attempt(async () => { await this.redis.ping(); }).withTimeout(2000),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503);
      return error.getResponse() as ReadinessResponse;
    }
  }
}
