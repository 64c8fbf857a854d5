import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { ApplicationModule, ApplicationOptions, FireOverdueReminders, FireReminder, Mailer, SendDelivery, WebhookClient } from '@app/application';
import { AppConfig, AppConfigModule } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { createRedisConnection, JOB_HANDLERS } from '@app/queue';
import { HttpWebhookClient } from './channels/http-webhook-client';
import { SmtpMailer } from './channels/smtp-mailer';
import { AuditChainProcessor } from './processors/audit-chain.processor';
import { DeliverySendProcessor } from './processors/delivery-send.processor';
import { HeartbeatProcessor } from './processors/heartbeat.processor';
import { IdempotencyPurgeProcessor } from './processors/idempotency-purge.processor';
import { ReminderFireProcessor } from './processors/reminder-fire.processor';
import { RemindersReconcileProcessor } from './processors/reminders-reconcile.processor';
import { ReportRerollProcessor, ReportRollupProcessor } from './processors/report.processors';
import { DueSweep } from './due-sweep';
import { JobSchedulers } from './job-schedulers';
import { WorkerRuntime } from './worker-runtime';
import { WORKER_REDIS } from './worker.tokens';

const PROCESSORS = [HeartbeatProcessor, ReminderFireProcessor, DeliverySendProcessor, RemindersReconcileProcessor, ReportRollupProcessor, ReportRerollProcessor, AuditChainProcessor, IdempotencyPurgeProcessor];

/** The worker: an application context with no HTTP server. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, options: ApplicationOptions = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot({ pinoHttp: { level: config.logLevel } }),
        PersistenceModule,
        ApplicationModule.forRoot(options),
      ],
      providers: [
        { provide: WORKER_REDIS, useFactory: () => createRedisConnection(config.redisUrl, 'worker', 'worker') },
        { provide: Mailer, useClass: SmtpMailer },
        { provide: WebhookClient, useClass: HttpWebhookClient },
        FireReminder,
        FireOverdueReminders,
        SendDelivery,
        ...PROCESSORS,
        { provide: JOB_HANDLERS, inject: PROCESSORS, useFactory: (...handlers: unknown[]) => handlers },
        JobSchedulers,
        WorkerRuntime,
        DueSweep,
      ],
    };
  }
}
