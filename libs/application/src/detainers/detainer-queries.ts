import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/domain';
import { Database, DetainerFilters, DetainerReadRepository, DetainerRecord, Page } from '@app/persistence';
import { detainerScopeOf, mayReadIdentity, Principal } from '../principal';

@Injectable()
export class DetainerQueries {
  constructor(
    private readonly db: Database,
    private readonly reads: DetainerReadRepository,
  ) {}

  async get(principal: Principal, id: string): Promise<DetainerRecord> {
    const record = await this.db.read((sql) =>
      this.reads.findOne(sql, id, { scope: detainerScopeOf(principal), includeIdentity: mayReadIdentity(principal), withEvents: true }),
    );
    if (!record) throw new DomainError('not_found', 'No detainer with this id.');
    return record;
  }

  list(principal: Principal, filters: DetainerFilters, page: { limit: number; cursor?: string }): Promise<Page<DetainerRecord>> {
    return this.db.read((sql) =>
      this.reads.list(sql, filters, page, { scope: detainerScopeOf(principal), includeIdentity: mayReadIdentity(principal) }),
    );
  }
}
