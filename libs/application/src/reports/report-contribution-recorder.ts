import { Inject, Injectable } from '@nestjs/common';
import { contributionDelta, ContributionDelta, ReportWeek, weekStartingOn } from '@app/domain';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DetainerContributionRepository, ReportWeeksRepository, Sql } from '@app/persistence';
import { DetainerChange, DetainerChangeSubscriber } from '../detainers/detainer-change';
import { weekConfigOf } from './week-config';

/**
 * Inside the change's own transaction, what the change does to the weekly report, from one reading
 * of the counting rules (`contributionDelta`): the detainer's contributions are stored as they now are,
 * and every week whose figures they alter (a late record, a correction, a dispute) is marked, so the
 * re-roll job recomputes exactly those weeks. A change that alters no contribution (a planned pickup,
 * an outcome) writes nothing.
 */
@Injectable()
export class ReportContributionRecorder implements DetainerChangeSubscriber {
  constructor(
    private readonly contributions: DetainerContributionRepository,
    private readonly weeks: ReportWeeksRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onDetainerChanged(sql: Sql, change: DetainerChange): Promise<void> {
    const cfg = weekConfigOf(this.config);
    const { after, changed, weeksTouched } = contributionDelta(change.before, change.after, cfg);
    if (!changed) return;
    // the contributions and the marks of the weeks they alter in one statement
    await this.contributions.store(sql, change.after.id, after, { weeks: weeksTouched.map((w) => weekStartingOn(w, cfg)), at: change.now });
  }

  /** The same for many new detainers at once (a bulk import): their contributions and week marks in a few statements. */
  async onDetainersCreated(sql: Sql, changes: readonly DetainerChange[], now: Date): Promise<void> {
    const cfg = weekConfigOf(this.config);
    const stored: { detainerId: string; contributions: ContributionDelta['after'] }[] = [];
    const marks: { week: ReportWeek; detainerId: string }[] = [];
    for (const change of changes) {
      if (change.before !== null) throw new Error(`onDetainersCreated: detainer ${change.after.id} is not new`);
      const { after, weeksTouched } = contributionDelta(null, change.after, cfg);
      stored.push({ detainerId: change.after.id, contributions: after });
      for (const w of weeksTouched) marks.push({ week: weekStartingOn(w, cfg), detainerId: change.after.id });
    }
    await this.contributions.storeForNew(sql, stored);
    await this.weeks.markWeeksOfMany(sql, marks, now);
  }
}
