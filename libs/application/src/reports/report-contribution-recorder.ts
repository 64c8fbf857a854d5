import { Inject, Injectable } from '@nestjs/common';
import { contributionDelta, ContributionDelta, DetainerState, ReportWeek, weekStartingOn } from '@app/domain';
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

  /**
   * What many new detainers (a bulk import) contribute and the weeks they mark: worked out from their
   * states alone, so that an import can do it while its previous batch is being written.
   */
  contributionsOfNew(states: readonly DetainerState[]): NewDetainersContributions {
    const cfg = weekConfigOf(this.config);
    const stored: NewDetainersContributions['stored'] = [];
    const marks: NewDetainersContributions['marks'] = [];
    for (const state of states) {
      const { after, weeksTouched } = contributionDelta(null, state, cfg);
      stored.push({ detainerId: state.id, contributions: after });
      for (const w of weeksTouched) marks.push({ week: weekStartingOn(w, cfg), detainerId: state.id });
    }
    return { stored, marks };
  }

  /** Those contributions and marks, in the transaction that writes the new detainers: a few statements for all of them. */
  async storeForNew(sql: Sql, contributions: NewDetainersContributions, now: Date): Promise<void> {
    await this.contributions.storeForNew(sql, contributions.stored);
    await this.weeks.markWeeksOfMany(sql, contributions.marks, now);
  }
}

export interface NewDetainersContributions {
  stored: { detainerId: string; contributions: ContributionDelta['after'] }[];
  marks: { week: ReportWeek; detainerId: string }[];
}
