import { DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { QueueModule } from '@app/queue';
import { AuditChain } from './audit/audit-chain.service';
import { AuditLog } from './audit/audit-log.service';
import { AuditSpool } from './audit/audit-spool';
import { AuditSpoolReplayer } from './audit/audit-spool-replayer';
import { Clock, SystemClock } from './clock';
import { AmendDetainer } from './detainers/amend-detainer.use-case';
import { DETAINER_CHANGE_SUBSCRIBERS } from './detainers/detainer-change';
import { DetainerQueries } from './detainers/detainer-queries';
import { IssueDetainer } from './detainers/issue-detainer.use-case';
import { IdempotentRequests } from './idempotency/idempotent-requests';
import { PurgeExpiredIdempotencyKeys } from './idempotency/purge-expired-keys.use-case';
import { RecordDetainerAction } from './detainers/record-detainer-action.use-case';
import { AccountAdminService } from './identity/account-admin.service';
import { ApiKeyService } from './identity/api-key.service';
import { AuthenticationService } from './identity/authentication.service';
import { SecondFactorService } from './identity/second-factor.service';
import { SecretBox } from './identity/secret-box';
import { UserAdminService } from './identity/user-admin.service';
import { ClaimQueueItem } from './queues/claim-queue-item.use-case';
import { QueueQueries } from './queues/queue-queries';
import { ReferenceDataService } from './reference/reference-data.service';
import { FailedDeliveries } from './reminders/failed-deliveries.service';
import { Notifications } from './reminders/notifications.service';
import { ReconcileReminders } from './reminders/reconcile-reminders.use-case';
import { ReminderOutbox } from './reminders/reminder-outbox.subscriber';
import { Webhooks } from './reminders/webhooks.service';
import { RecordDisputes } from './reports/record-disputes.service';
import { ReportContributionRecorder } from './reports/report-contribution-recorder';
import { ReportCalendar } from './reports/report-calendar';
import { ReportRenderer } from './reports/report-renderer';
import { ChangeListBuilder } from './reports/change-list';
import { ReportVersionWriter } from './reports/report-version-writer';
import { ReportTrend } from './reports/report-trend';
import { RollUpWeek } from './reports/roll-up-week.use-case';
import { RollUpMarkedWeeks } from './reports/roll-up-marked-weeks.use-case';
import { ReadReport } from './reports/read-report.use-case';
import { ReadJurisdictionProfile } from './reports/read-jurisdiction-profile.use-case';
import { ListReportWeeks } from './reports/list-report-weeks.use-case';
import { PublishReport } from './reports/publish-report.use-case';
import { ReadChangeList } from './reports/read-change-list.use-case';
import { ConfirmReconciliation } from './reports/confirm-reconciliation.use-case';
import { DrillDownReport } from './reports/drill-down.use-case';
import { SECURITY_CLOCK } from './security-clock';
import { SubjectQueries } from './subjects/subject-queries';
import { RecordCustodyEvents } from './custody/record-custody-events.use-case';
import { BookingAlerts } from './custody/booking-alerts';
import { WorklistQueries } from './detainers/worklist-queries';
import { ImportIceRelease } from './imports/import-ice-release.use-case';
import { ImportQueries } from './imports/import-queries';

const USE_CASES = [
  IssueDetainer, RecordDetainerAction, DetainerQueries, ReferenceDataService, UserAdminService, AuthenticationService, RecordDisputes,
  QueueQueries, ClaimQueueItem, SubjectQueries, AmendDetainer, RecordCustodyEvents, BookingAlerts,
  WorklistQueries, ImportIceRelease, ImportQueries, IdempotentRequests, PurgeExpiredIdempotencyKeys,
];
/** The weekly report, one use case per action (and the parts they share). */
const REPORT_USE_CASES = [
  ReportCalendar, ReportRenderer, ChangeListBuilder, ReportVersionWriter, ReportTrend,
  RollUpWeek, RollUpMarkedWeeks, ReadReport, ReadJurisdictionProfile, ListReportWeeks, PublishReport, ReadChangeList, ConfirmReconciliation, DrillDownReport,
];
const IDENTITY = [AuditLog, AuditSpool, AuditSpoolReplayer, AuditChain, AccountAdminService, ApiKeyService, SecondFactorService];
const REMINDER_USE_CASES = [Notifications, Webhooks, FailedDeliveries, ReconcileReminders];

/** Work committed with every detainer change (see DetainerChangeSubscriber). */
const SUBSCRIBERS = [ReminderOutbox, ReportContributionRecorder];

export interface ApplicationOptions {
  /** Tests pass a clock they can move; production uses the system clock. */
  clock?: Clock;
  /** Sessions, sign-in limits, tokens and audit timestamps; the system clock unless a test of those rules moves it. */
  securityClock?: Clock;
}

@Module({})
export class ApplicationModule {
  static forRoot(options: ApplicationOptions = {}): DynamicModule {
    return {
      module: ApplicationModule,
      imports: [QueueModule],
      providers: [
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
        // Reminders (outbox) and report re-rolls register here as they arrive.
        ...SUBSCRIBERS,
        { provide: DETAINER_CHANGE_SUBSCRIBERS, inject: SUBSCRIBERS, useFactory: (...subscribers: unknown[]) => subscribers },
        { provide: SECURITY_CLOCK, useValue: options.securityClock ?? new SystemClock() },
        { provide: SecretBox, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new SecretBox(config.security.encryptionKey) },
        ...USE_CASES,
        ...REPORT_USE_CASES,
        ...IDENTITY,
        ...REMINDER_USE_CASES,
      ],
      exports: [Clock, SECURITY_CLOCK, SecretBox, ...USE_CASES, ...REPORT_USE_CASES, ...IDENTITY, ...REMINDER_USE_CASES],
    };
  }
}
