import { DynamicModule, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { DETAINER_CHANGE_SUBSCRIBERS } from './detainers/detainer-change';
import { DetainerQueries } from './detainers/detainer-queries';
import { IssueDetainer } from './detainers/issue-detainer.use-case';
import { RecordDetainerAction } from './detainers/record-detainer-action.use-case';
import { AuthenticationService } from './identity/authentication.service';
import { UserAdminService } from './identity/user-admin.service';
import { ClaimQueueItem } from './queues/claim-queue-item.use-case';
import { QueueQueries } from './queues/queue-queries';
import { ReferenceDataService } from './reference/reference-data.service';

const USE_CASES = [IssueDetainer, RecordDetainerAction, DetainerQueries, ReferenceDataService, UserAdminService, AuthenticationService, QueueQueries, ClaimQueueItem];

export interface ApplicationOptions {
  /** Tests pass a clock they can move; production uses the system clock. */
  clock?: Clock;
}

@Module({})
export class ApplicationModule {
  static forRoot(options: ApplicationOptions = {}): DynamicModule {
    return {
      module: ApplicationModule,
      providers: [
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
        // Reminders (outbox) and report re-rolls register here as they arrive.
        { provide: DETAINER_CHANGE_SUBSCRIBERS, useValue: [] },
        ...USE_CASES,
      ],
      exports: [Clock, ...USE_CASES],
    };
  }
}
