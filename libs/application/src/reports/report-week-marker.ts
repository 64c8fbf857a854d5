import { Inject, Injectable } from '@nestjs/common';
import { weeksTouched, weekStartingOn } from '@app/domain';
import { APP_CONFIG, AppConfig } from '@app/config';
import { ReportWeeksRepository, Sql } from '@app/persistence';
import { DetainerChange, DetainerChangeSubscriber } from '../detainers/detainer-change';
import { weekConfigOf } from './week-config';

/**
 * Marks, inside the change's own transaction, every report week whose figures the change alters
 * (a late record, a correction, a dispute), so the re-roll job recomputes exactly those weeks.
 */
@Injectable()
export class ReportWeekMarker implements DetainerChangeSubscriber {
  constructor(
    private readonly reports: ReportWeeksRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onDetainerChanged(sql: Sql, change: DetainerChange): Promise<void> {
    const cfg = weekConfigOf(this.config);
    const weeks = weeksTouched(change.before, change.after, cfg);
    if (weeks.length === 0) return;
    await this.reports.markWeeks(sql, weeks.map((w) => weekStartingOn(w, cfg)), change.after.id, change.now);
  }
}
