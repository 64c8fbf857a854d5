import { Injectable } from '@nestjs/common';
import { Database, ReportWeeksRepository } from '@app/persistence';
import { Principal } from '../principal';
import { mayReadLive } from './weekly-report';

/** The report weeks with their versions; weeks never published only for those who read live figures. */
@Injectable()
export class ListReportWeeks {
  constructor(
    private readonly db: Database,
    private readonly weeks: ReportWeeksRepository,
  ) {}

  async execute(principal: Principal | null, page: { limit: number; cursor?: string }) {
    const publishedOnly = !mayReadLive(principal);
    return this.db.read((sql) => this.weeks.listWeeks(sql, { publishedOnly }, page));
  }
}
