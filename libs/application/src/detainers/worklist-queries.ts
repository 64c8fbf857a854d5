import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/domain';
import { Database, DetainerReadRepository, DetainerRecord, WORKLIST_SECTIONS, WorklistRepository, WorklistSection } from '@app/persistence';
import { Clock } from '../clock';
import { detainerScopeOf, mayReadIdentity, Principal } from '../principal';

export interface WorklistSectionResult {
  /** How many are in this list in all. */
  total: number;
  /** The first `limit`, most due first. */
  items: DetainerRecord[];
}

export type Worklist = Record<WorklistSection, WorklistSectionResult> & { asOf: Date };

/** Jail staff's start page: what the agency has to do next, in four lists, each most due first. */
@Injectable()
export class WorklistQueries {
  constructor(
    private readonly db: Database,
    private readonly worklist: WorklistRepository,
    private readonly reads: DetainerReadRepository,
    private readonly clock: Clock,
  ) {}

  async get(principal: Principal, limit: number): Promise<Worklist> {
    const scope = detainerScopeOf(principal);
    if (scope.kind !== 'agency') throw new DomainError('forbidden', 'The worklist is for jail staff: it lists what their agency has to do.');
    const asOf = this.clock.now();
    return this.db.read(async (sql) => {
      const result = { asOf } as Worklist;
      for (const section of WORKLIST_SECTIONS) {
        const found = await this.worklist.section(sql, section, scope.agencyId, asOf, limit);
        result[section] = { total: found.total, items: await this.reads.findMany(sql, found.ids, { scope, includeIdentity: mayReadIdentity(principal) }) };
      }
      return result;
    });
  }
}
