import { Injectable } from '@nestjs/common';
import { ActionName, AmendablePart, amendableParts, allowedActions, DomainError, nextSteps, replay } from '@app/domain';
import { Database, DetainerFilters, DetainerReadRepository, DetainerRecord, DetainerWriteRepository, Page } from '@app/persistence';
import { detainerScopeOf, mayReadIdentity, Principal } from '../principal';
import { mayActOnCurrentLodging } from './record-detainer-action.use-case';

@Injectable()
export class DetainerQueries {
  constructor(
    private readonly db: Database,
    private readonly reads: DetainerReadRepository,
    private readonly writes: DetainerWriteRepository,
  ) {}

  async get(principal: Principal, id: string): Promise<DetainerRecord> {
    const record = await this.db.read((sql) =>
      this.reads.findOne(sql, id, { scope: detainerScopeOf(principal), includeIdentity: mayReadIdentity(principal), withEvents: true }),
    );
    if (!record) throw new DomainError('not_found', 'No detainer with this id.');
    return record;
  }

  /**
   * The actions the caller may take on the detainer now (state guards and role), so that a client
   * offers only those. Call after `get`, which enforces scope.
   */
  async allowedActions(principal: Principal, id: string): Promise<ActionName[]> {
    return (await this.actions(principal, id)).allowedActions;
  }

  /**
   * The lifecycle actions the caller may take now, of them the lifecycle's expected next steps (what a
   * screen offers first), and the parts of the record they may correct (amend). Call after `get`.
   */
  async actions(principal: Principal, id: string): Promise<{ allowedActions: ActionName[]; nextSteps: ActionName[]; mayAmend: AmendablePart[] }> {
    const events = await this.db.read((sql) => this.writes.readStream(sql, id));
    if (events.length === 0) return { allowedActions: [], nextSteps: [], mayAmend: [] };
    const state = replay(events);
    const mayAct = mayActOnCurrentLodging(principal, state);
    return {
      allowedActions: mayAct ? allowedActions(state, principal.role) : [],
      nextSteps: mayAct ? nextSteps(state, principal.role) : [],
      mayAmend: amendableParts(state, principal),
    };
  }

  list(principal: Principal, filters: DetainerFilters, page: { limit: number; cursor?: string }): Promise<Page<DetainerRecord>> {
    return this.db.read((sql) =>
      this.reads.list(sql, filters, page, { scope: detainerScopeOf(principal), includeIdentity: mayReadIdentity(principal) }),
    );
  }
}
