import { Inject, Injectable } from '@nestjs/common';
import { AmendableSubject, Charge, decide, DetainerState, DomainError, evolve, normaliseFbiNumber, normaliseStateId, replay, stateIdProblem } from '@app/domain';
import { Database, DetainerReadRepository, DetainerRecord, DetainerWriteRepository, SubjectRepository } from '@app/persistence';
import { Clock } from '../clock';
import { actorOf, detainerScopeOf, mayReadIdentity, Principal } from '../principal';
import { DETAINER_CHANGE_SUBSCRIBERS, DetainerChangeSubscriber } from './detainer-change';

/** A correction as it arrives over the API. */
export interface AmendRequest {
  reason: string;
  subject?: Partial<Omit<AmendableSubject, 'sex' | 'fbiNumber' | 'stateId'> & { sex: 'F' | 'M' | 'X'; fbiNumber: string; stateId: string }>;
  charges?: Charge[];
  bookingNumber?: string;
}

/**
 * Corrects a detainer: load -> decide (`amend`, which checks who may correct what) -> append the
 * `record_amended` event, update the projection and the person on file, in one transaction.
 */
@Injectable()
export class AmendDetainer {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly writes: DetainerWriteRepository,
    private readonly reads: DetainerReadRepository,
    private readonly subjects: SubjectRepository,
    @Inject(DETAINER_CHANGE_SUBSCRIBERS) private readonly subscribers: DetainerChangeSubscriber[],
  ) {}

  async execute(principal: Principal, detainerId: string, request: AmendRequest, opts: { expectedVersion?: number; requestId: string | null }): Promise<DetainerRecord> {
    const readOpts = { scope: detainerScopeOf(principal), includeIdentity: mayReadIdentity(principal), withEvents: false };
    return this.db.transaction(async (sql) => {
      const visible = await this.reads.findOne(sql, detainerId, readOpts);
      if (!visible) throw notFound();
      const stream = await this.writes.loadStream(sql, detainerId);
      if (!stream || stream.events.length === 0) throw notFound();
      const state = replay(stream.events);
      if (opts.expectedVersion !== undefined && opts.expectedVersion !== state.version) {
        throw new DomainError('version_conflict', `The detainer is at version ${state.version}, not ${opts.expectedVersion}: it changed since you read it. Reload it and try again.`, {
          currentVersion: state.version,
          expectedVersion: opts.expectedVersion,
        });
      }
      if (stream.version !== state.version) throw concurrentChange();

      let subject: { onFile: AmendableSubject; changes: Partial<AmendableSubject> } | undefined;
      if (request.subject !== undefined) {
        const onFile = await this.subjects.findById(sql, state.subjectId);
        if (!onFile) throw notFound();
        const { fbiNumber, stateId, ...rest } = request.subject;
        let fbi: string | undefined;
        if (fbiNumber !== undefined) {
          const normalised = normaliseFbiNumber(fbiNumber);
          if (normalised === null) throw DomainError.invalidInput('subject.fbiNumber', 'An FBI number is 1 to 9 letters and digits.');
          fbi = normalised;
        }
        let sid: string | undefined;
        if (stateId !== undefined) {
          const normalised = normaliseStateId(stateId);
          if (normalised === null) throw DomainError.invalidInput('subject.stateId', stateIdProblem(stateId)!);
          sid = normalised;
        }
        subject = { onFile, changes: { ...rest, ...(fbi !== undefined && { fbiNumber: fbi }), ...(sid !== undefined && { stateId: sid }) } };
      }

      const now = this.clock.now();
      const decision = decide(
        state,
        { type: 'amend', reason: request.reason, subject, charges: request.charges, bookingNumber: request.bookingNumber },
        { now, actor: actorOf(principal) },
      );
      if (!decision.ok) throw decision.error;
      const next = decision.events.reduce<DetainerState>((s, e) => evolve(s, e), state);
      const applied = await this.writes.applyChange(sql, { version: state.version, eventCount: stream.events.length }, next, decision.events, now, opts.requestId);
      if (!applied) throw concurrentChange();
      for (const event of decision.events) {
        if (event.kind === 'record_amended' && event.data.after.subject) await this.subjects.update(sql, state.subjectId, event.data.after.subject);
      }
      for (const s of this.subscribers) await s.onDetainerChanged(sql, { before: state, after: next, events: decision.events, now });

      const record = await this.reads.findOne(sql, detainerId, readOpts);
      if (!record) throw notFound();
      return record;
    });
  }
}

const notFound = () => new DomainError('not_found', 'No detainer with this id.');
const concurrentChange = () =>
  new DomainError('version_conflict', 'Another change to this detainer was saved at the same moment. Reload it and try again.');
