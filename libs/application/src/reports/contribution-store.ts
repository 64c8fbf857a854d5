import { Injectable } from '@nestjs/common';
import { contributionKey, contributionsOf } from '@app/domain';
import { DetainerContributionRepository, Sql } from '@app/persistence';
import { DetainerChange, DetainerChangeSubscriber } from '../detainers/detainer-change';

/**
 * Stores, inside the change's own transaction, what the detainer now contributes to the weekly
 * figures (`contributionsOf`, the one home of the counting rules). A change that alters no
 * contribution (a planned pickup, an outcome) writes nothing.
 */
@Injectable()
export class ContributionStore implements DetainerChangeSubscriber {
  constructor(private readonly contributions: DetainerContributionRepository) {}

  async onDetainerChanged(sql: Sql, change: DetainerChange): Promise<void> {
    const after = contributionsOf(change.after);
    if (change.before) {
      const before = contributionsOf(change.before).map(contributionKey).sort();
      const now = after.map(contributionKey).sort();
      if (before.length === now.length && before.every((k, i) => k === now[i])) return;
    }
    await this.contributions.store(sql, change.after.id, after);
  }
}
