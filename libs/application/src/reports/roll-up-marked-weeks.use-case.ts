import { Injectable } from '@nestjs/common';
import { Database, ReportWeeksRepository } from '@app/persistence';
import { Clock } from '../clock';
import { RollUpWeek } from './roll-up-week.use-case';

/** A re-roll sweep handles at most this many weeks per run; the rest wait for the next run. */
const REROLL_BATCH = 25;

/** Rolls up closed weeks that changes touched since their last roll-up. */
@Injectable()
export class RollUpMarkedWeeks {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly weeks: ReportWeeksRepository,
    private readonly rollUpWeek: RollUpWeek,
  ) {}

  async execute(limit = REROLL_BATCH): Promise<string[]> {
    const weeks = await this.db.read((sql) => this.weeks.dirtyClosedWeeks(sql, this.clock.now(), limit));
    for (const w of weeks) await this.rollUpWeek.execute(w);
    return weeks;
  }
}
