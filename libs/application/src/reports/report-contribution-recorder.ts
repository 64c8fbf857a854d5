import { Inject, Injectable } from '@nestjs/common';
import { contributionDelta, weekStartingOn } from '@app/domain';
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
    await this.contributions.store(sql, change.after.id, after);
    if (weeksTouched.length > 0) await this.weeks.markWeeks(sql, weeksTouched.map((w) => weekStartingOn(w, cfg)), change.after.id, change.now);
  }
}
