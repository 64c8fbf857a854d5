import { Inject, Injectable } from '@nestjs/common';
import { AmendCommand, decide, DetainerCommand, DetainerState, DomainError, evolve, IssueCommand, parseInstant, replay } from '@app/domain';
import { Database, DetainerReadRepository, lockWithBegin, DetainerRecord, DetainerWriteRepository, ReferenceRepository, Sql } from '@app/persistence';
import { Clock } from '../clock';
import { actorOf, detainerScopeOf, mayReadIdentity, Principal } from '../principal';
import { DETAINER_CHANGE_SUBSCRIBERS, DetainerChangeSubscriber } from './detainer-change';
import { WithInstantInputs } from './instants';

type ReleaseToAgency = Extract<DetainerCommand, { type: 'release'; destination: 'other_agency' }>;

/** An action as it arrives over the API: instants as text, the receiving facility by id. */
export type ActionRequest =
  | WithInstantInputs<Exclude<DetainerCommand, IssueCommand | AmendCommand | ReleaseToAgency>>
  | { type: 'release'; at: string; destination: 'other_agency'; toFacilityId: string };

export interface ActionOptions {
  expectedVersion?: number;
  requestId: string | null;
}

/**
 * Every action on an existing detainer: load its events, decide, and write the new events, the
 * projection and whatever subscribers add, in one transaction, compare-and-set on the version.
 */
@Injectable()
export class RecordDetainerAction {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly references: ReferenceRepository,
    private readonly writes: DetainerWriteRepository,
    private readonly reads: DetainerReadRepository,
    @Inject(DETAINER_CHANGE_SUBSCRIBERS) private readonly subscribers: DetainerChangeSubscriber[],
  ) {}

  /** Takes the action and answers with the detainer as the caller now sees it (read in the same transaction). */
  async execute(principal: Principal, detainerId: string, request: ActionRequest, opts: ActionOptions): Promise<DetainerRecord> {
    const readOpts = { scope: detainerScopeOf(principal), includeIdentity: mayReadIdentity(principal), withEvents: false };
    return this.db.transaction(async (sql) => {
      await this.decideAndWrite(sql, principal, detainerId, request, opts);
      const record = await this.reads.findOne(sql, detainerId, readOpts);
      if (!record) throw notFound();
      return record;
    }, this.opening(principal, detainerId));
  }

  /**
   * The same action for a caller that does not answer with the detainer (a custody event): decided
   * and written exactly as `execute` does, without reading the record back. Resolves to the new version.
   */
  async apply(principal: Principal, detainerId: string, request: ActionRequest, opts: ActionOptions): Promise<number> {
    return this.db.transaction((sql) => this.decideAndWrite(sql, principal, detainerId, request, opts), this.opening(principal, detainerId));
  }

  /** The transaction opens the detainer for change and takes loadStream's lock (scope checked) with its BEGIN. */
  private opening(principal: Principal, detainerId: string) {
    return { openDetainers: [detainerId], withBegin: lockWithBegin(detainerId, detainerScopeOf(principal)) };
  }

  /** Inside a transaction that opened the detainer for change: load, decide, write. */
  private async decideAndWrite(sql: Sql, principal: Principal, detainerId: string, request: ActionRequest, opts: ActionOptions): Promise<number> {
    const scope = detainerScopeOf(principal);
    // the scope check and the lock in one statement: the detainer is read once before deciding
    const stream = await this.writes.loadStream(sql, detainerId, scope);
    if (!stream || stream.events.length === 0) throw notFound();
    const state = replay(stream.events);
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== state.version) {
      throw new DomainError(
        'version_conflict',
        `The detainer is at version ${state.version}, not ${opts.expectedVersion}: it changed since you read it. Reload it and try again.`,
        { currentVersion: state.version, expectedVersion: opts.expectedVersion },
      );
    }
    if (stream.version !== state.version) throw concurrentChange();
    assertMayActOnCurrentLodging(principal, state);

    const now = this.clock.now();
    const command = await this.toCommand(sql, request, state);
    const decision = decide(state, command, { now, actor: actorOf(principal) });
    if (!decision.ok) throw decision.error;
    const next = decision.events.reduce<DetainerState>((s, e) => evolve(s, e), state);
    const applied = await this.writes.applyChange(sql, { version: state.version, eventCount: stream.events.length }, next, decision.events, now, opts.requestId);
    if (!applied) throw concurrentChange();
    for (const s of this.subscribers) await s.onDetainerChanged(sql, { before: state, after: next, events: decision.events, now });
    return next.version;
  }

  private async toCommand(sql: Sql, request: ActionRequest, state: DetainerState): Promise<DetainerCommand> {
    const current = state.lodgings[state.lodgings.length - 1];
    // Instants without an offset are local time at the facility holding the person.
    const instant = (value: string, field: string) => parseInstant(value, field, current.place.timeZone);
    if ('policyId' in request && request.policyId !== undefined) {
      const policy = await this.references.findPolicy(sql, request.policyId);
      if (!policy || policy.jurisdictionId !== current.place.jurisdictionId) {
        throw DomainError.invalidInput('policyId', 'No policy of this jurisdiction has this id.');
      }
    }
    switch (request.type) {
      case 'acknowledge':
        return { ...request, servedAt: request.servedAt === undefined ? undefined : instant(request.servedAt, 'servedAt') };
      case 'report_not_in_custody':
      case 'claim_citizenship':
      case 'dispute_identity':
      case 'decide_identity_claim':
      case 'cancel':
        return request;
      case 'schedule_release':
        return { type: 'schedule_release', releaseAt: instant(request.releaseAt, 'releaseAt') };
      case 'start_hold':
        return { type: 'start_hold', since: instant(request.since, 'since') };
      case 'plan_pickup':
      case 'transfer_to_ice':
      case 'refuse':
      case 'record_decline':
        return { ...request, at: instant(request.at, 'at') };
      case 'record_outcome':
        if (request.relatedDetainerId !== undefined) {
          const related = await sql.one('SELECT 1 FROM detainers WHERE id = $1 AND subject_id = $2', [request.relatedDetainerId, state.subjectId]);
          if (!related) throw DomainError.invalidInput('relatedDetainerId', 'No detainer on the same subject has this id.');
        }
        return { ...request, at: instant(request.at, 'at') };
      case 'release': {
        const at = instant(request.at, 'at');
        if (request.destination === 'community') return { type: 'release', destination: 'community', at };
        const to = await this.references.findPlace(sql, request.toFacilityId);
        if (!to) throw DomainError.invalidInput('toFacilityId', 'No facility has this id.');
        return { type: 'release', destination: 'other_agency', at, to };
      }
      default: {
        const never: never = request;
        return never;
      }
    }
  }
}

/**
 * Reading part of a detainer's history is not the same as acting on it: jail staff act only while
 * the person is lodged with their agency; officers and supervisors only within their AOR.
 */
function assertMayActOnCurrentLodging(principal: Principal, state: DetainerState): void {
  if (!mayActOnCurrentLodging(principal, state)) {
    throw new DomainError('forbidden', 'This detainer is now lodged with another agency; only that agency can act on it.');
  }
}

export function mayActOnCurrentLodging(principal: Principal, state: DetainerState): boolean {
  const current = state.lodgings[state.lodgings.length - 1];
  return principal.role !== 'jail_staff' || current.place.agencyId === principal.agencyId;
}

const notFound = () => new DomainError('not_found', 'No detainer with this id.');
const concurrentChange = () =>
  new DomainError('version_conflict', 'Another change to this detainer was saved at the same moment. Reload it and try again.');
