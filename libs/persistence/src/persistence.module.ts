import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { createDataSource } from './data-source';
import { serviceRoleProblem } from './database-admin';
import { useCursorKey } from './paging';
import { AccountRepository } from './repositories/account.repository';
import { ApiKeyRepository } from './repositories/api-key.repository';
import { AuditChainRepository } from './repositories/audit-chain.repository';
import { AuditRepository } from './repositories/audit.repository';
import { CustodyAlertRepository, CustodyEventRepository } from './repositories/custody-event.repository';
import { DetainerContributionRepository } from './repositories/detainer-contribution.repository';
import { DetainerReadRepository } from './repositories/detainer-read.repository';
import { DetainerWriteRepository } from './repositories/detainer-write.repository';
import { DeliveryRepository } from './repositories/delivery.repository';
import { NotificationRepository } from './repositories/notification.repository';
import { RecipientRepository } from './repositories/recipient.repository';
import { ReminderRepository } from './repositories/reminder.repository';
import { WebhookRepository } from './repositories/webhook.repository';
import { IdempotencyRepository } from './repositories/idempotency.repository';
import { QueueRepository } from './repositories/queue.repository';
import { RecordDisputeRepository } from './repositories/record-dispute.repository';
import { ReferenceRepository } from './repositories/reference.repository';
import { ReportWeeksRepository } from './repositories/report-weeks.repository';
import { ReportRollUpRepository } from './repositories/report-roll-up.repository';
import { ReportContentRepository } from './repositories/report-content.repository';
import { ReportReconciliationRepository } from './repositories/report-reconciliation.repository';
import { ReportVersionsRepository } from './repositories/report-versions.repository';
import { ReportChangesRepository } from './repositories/report-changes.repository';
import { ReportDrillDownRepository } from './repositories/report-drill-down.repository';
import { JurisdictionProfileRepository } from './repositories/jurisdiction-profile.repository';
import { SessionRepository } from './repositories/session.repository';
import { SubjectRepository } from './repositories/subject.repository';
import { UserRepository } from './repositories/user.repository';
import { WorklistRepository } from './repositories/worklist.repository';
import { ImportRepository } from './repositories/import.repository';
import { Database } from './sql';

const REPOSITORIES = [
  DetainerReadRepository,
  DetainerWriteRepository,
  IdempotencyRepository,
  QueueRepository,
  ReferenceRepository,
  SubjectRepository,
  RecordDisputeRepository,
  ReportWeeksRepository,
  ReportRollUpRepository,
  ReportContentRepository,
  ReportReconciliationRepository,
  ReportVersionsRepository,
  ReportChangesRepository,
  ReportDrillDownRepository,
  JurisdictionProfileRepository,
  DetainerContributionRepository,
  ImportRepository,
  UserRepository,
  ReminderRepository,
  DeliveryRepository,
  NotificationRepository,
  RecipientRepository,
  WebhookRepository,
  AccountRepository,
  ApiKeyRepository,
  AuditRepository,
  AuditChainRepository,
  SessionRepository,
  CustodyEventRepository,
  CustodyAlertRepository,
  WorklistRepository,
];

@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        useCursorKey(config.security.cursorKey);
        const dataSource = await createDataSource({ url: config.databaseUrl, queue: config.databaseQueue }).initialize();
        const problem = await serviceRoleProblem((sql) => dataSource.query(sql));
        if (problem && config.nodeEnv === 'production') {
          await dataSource.destroy();
          throw new Error(problem);
        }
        if (problem) new Logger('Database').warn(`${problem} Allowed outside production only.`);
        return dataSource;
      },
    },
    { provide: Database, inject: [DataSource], useFactory: (ds: DataSource) => new Database(ds) },
    ...REPOSITORIES.map((R) => ({ provide: R, useValue: new R() })),
  ],
  exports: [DataSource, Database, ...REPOSITORIES],
})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
