import { randomUUID } from 'node:crypto';
import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { IncomingMessage, ServerResponse } from 'node:http';
import IORedis from 'ioredis';
import { LoggerModule } from 'nestjs-pino';
import { ApplicationModule, ApplicationOptions } from '@app/application';
import { AppConfig, AppConfigModule } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { createRedisConnection } from '@app/queue';
import { QueueDashboardAccess } from './admin/queue-dashboard-access';
import { QueueDashboardController } from './admin/queue-dashboard.controller';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { AuditController } from './audit/audit.controller';
import { AuthController } from './auth/auth.controller';
import { CustodyEventsController } from './custody/custody-events.controller';
import { AuditInterceptor } from './common/audit.interceptor';
import { DatabaseScopeInterceptor } from './common/database-scope.interceptor';
import { AuthGuard } from './common/auth';
import { HttpAudit } from './common/http-audit';
import { RouteDeclarationsCheck } from './common/route-declarations';
import { DomainExceptionFilter } from './common/domain-exception.filter';
import { RequestBodyGuard } from './common/request-body';
import { createValidationPipe } from './common/validation';
import { DetainerExportController } from './detainers/detainer-export.controller';
import { DetainersController } from './detainers/detainers.controller';
import { HEALTH_REDIS, HealthController } from './health/health.controller';
import { NotificationsController } from './notifications/notifications.controller';
import { DeliveriesController } from './queues/deliveries.controller';
import { QueuesController } from './queues/queues.controller';
import { ReferenceController } from './reference/reference.controller';
import { DisputesController } from './reports/disputes.controller';
import { ReportsController } from './reports/reports.controller';
import { JurisdictionProfileController } from './reports/jurisdiction-profile.controller';
import { ImportsController } from './imports/imports.controller';
import { OptionalPrincipal } from './common/optional-principal';
import { SubjectsController } from './subjects/subjects.controller';
import { UserAccountsController } from './users/user-accounts.controller';
import { PasswordCheckController } from './users/password-check.controller';
import { UsersController } from './users/users.controller';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WorklistController } from './worklist/worklist.controller';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Keeps a client-supplied X-Request-Id when it is sane, else makes one; echoes it back. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

@Module({})
export class ApiModule implements OnApplicationShutdown {
  constructor(@Inject(HEALTH_REDIS) private readonly redis: IORedis) {}

  static forRoot(config: AppConfig, options: ApplicationOptions = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            genReqId: requestId,
            redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
            customProps: (req) => ({ principal: (req as { principal?: { kind: string; id: string } }).principal?.id }),
            serializers: { req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }) },
          },
        }),
        PersistenceModule,
        ApplicationModule.forRoot(options),
        TerminusModule,
        DiscoveryModule,
      ],
      controllers: [
        HealthController, AuthController, UsersController, ReferenceController, DetainerExportController, DetainersController,
        UserAccountsController, ApiKeysController, AuditController, ReportsController, DisputesController, JurisdictionProfileController,
        NotificationsController, WebhooksController, QueuesController, DeliveriesController, SubjectsController,
        CustodyEventsController,
        QueueDashboardController, PasswordCheckController,
        WorklistController, ImportsController,
      ],
      providers: [
        HttpAudit,
        OptionalPrincipal,
        QueueDashboardAccess,
        RouteDeclarationsCheck,
        { provide: APP_INTERCEPTOR, useClass: DatabaseScopeInterceptor },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
        { provide: HEALTH_REDIS, useFactory: () => createRedisConnection(config.redisUrl, 'producer', 'api-health') },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RequestBodyGuard },
        { provide: APP_FILTER, useClass: DomainExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
