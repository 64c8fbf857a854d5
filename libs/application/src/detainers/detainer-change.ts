import { DetainerEvent, DetainerState } from '@app/domain';
import { Sql } from '@app/persistence';

export interface DetainerChange {
  before: DetainerState | null;
  after: DetainerState;
  events: readonly DetainerEvent[];
  now: Date;
}

/**
 * Work that must commit together with a detainer's events (reminders to schedule, report weeks to
 * re-roll). Subscribers run inside the same transaction; if one throws, nothing is written.
 */
export interface DetainerChangeSubscriber {
  onDetainerChanged(sql: Sql, change: DetainerChange): Promise<void>;
}

export const DETAINER_CHANGE_SUBSCRIBERS = Symbol('DetainerChangeSubscribers');
