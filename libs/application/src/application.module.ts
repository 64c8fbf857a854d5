import { DynamicModule, Module } from '@nestjs/common';
import { QueueModule } from '@app/queue';
import { Clock, SystemClock } from './clock';
import { DETAINER_CHANGE_SUBSCRIBERS } from './detainers/detainer-change';
import { DetainerQueries } from './detainers/detainer-queries';
import { IssueDetainer } from './detainers/issue-detainer.use-case';
import { RecordDetainerAction } from './detainers/record-detainer-action.use-case';
import { AuthenticationService } from './identity/authentication.service';
import { UserAdminService } from './identity/user-admin.service';
import { ReferenceDataService } from './reference/reference-data.service';
import { FailedDeliveries } from './reminders/failed-deliveries.service';
import { Notifications } from './reminders/notifications.service';
import { ReconcileReminders } from './reminders/reconcile-reminders.use-case';
import { ReminderOutbox } from './reminders/reminder-outbox.subscriber';
import { Webhooks } from './reminders/webhooks.service';

const USE_CASES = [IssueDetainer, RecordDetainerAction, DetainerQueries, ReferenceDataService, UserAdminService, AuthenticationService];
const REMINDER_USE_CASES = [Notifications, Webhooks, FailedDeliveries, ReconcileReminders];

export interface ApplicationOptions {
  /** Tests pass a clock they can move; production uses the system clock. */
  clock?: Clock;
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
        ReminderOutbox,
        { provide: DETAINER_CHANGE_SUBSCRIBERS, inject: [ReminderOutbox], useFactory: (reminders: ReminderOutbox) => [reminders] },
        ...USE_CASES,
        ...REMINDER_USE_CASES,
      ],
      exports: [Clock, ...USE_CASES, ...REMINDER_USE_CASES],
    };
  }
}
