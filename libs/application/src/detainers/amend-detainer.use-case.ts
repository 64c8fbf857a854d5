import { Inject, Injectable } from '@nestjs/common';
import {
  AmendableSubject, Charge, CommandContext, decide, decideSubjectCorrectedElsewhere, DetainerEvent, DetainerState, DomainError, evolve, normaliseFbiNumber, normaliseStateId,
  replay, stateIdProblem,
} from '@app/domain';
import { Sql } from '@app/persistence';
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
 * `record_amended` event, update the projection and the person on file, in one transaction. The person
 * on file is one for every detainer on them (one A-number, one person), so a correction of the person
 * is also appended to each of their other detainers' timelines, in any AOR, naming the detainer it was
 * made on (`correctedOn`): every record that now shows the corrected values shows the change.
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
      // The person first, then each of their detainers (this one included), so two corrections of one
      // person take turns rather than deadlock. Refused below if the caller may not correct the person.
      const detainersOfSubject = request.subject !== undefined ? await this.subjects.openDetainersOf(sql, visible.subjectId) : [];
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
      const corrections = decision.events.flatMap((e) =>
        e.kind === 'record_amended' && e.data.after.subject && e.data.before.subject
          ? [{ correctedOn: detainerId, reason: e.data.reason, before: e.data.before.subject, after: e.data.after.subject }]
          : []);
      for (const c of corrections) await this.subjects.update(sql, state.subjectId, c.after, now);
      for (const s of this.subscribers) await s.onDetainerChanged(sql, { before: state, after: next, events: decision.events, now });
      for (const c of corrections) {
        for (const otherId of detainersOfSubject) {
          if (otherId !== detainerId) await this.correctOnOther(sql, otherId, c, { now, actor: actorOf(principal) }, opts.requestId);
        }
      }

      const record = await this.reads.findOne(sql, detainerId, readOpts);
      if (!record) throw notFound();
      return record;
    });
  }

  /** The same correction on another detainer on the person (opened by openDetainersOf). */
  private async correctOnOther(
    sql: Sql,
    otherId: string,
    correction: Parameters<typeof decideSubjectCorrectedElsewhere>[1],
    ctx: CommandContext,
    requestId: string | null,
  ): Promise<void> {
    const stream = await this.writes.loadStream(sql, otherId);
    if (!stream || stream.events.length === 0) return;
    const state = replay(stream.events);
    const events: DetainerEvent[] = decideSubjectCorrectedElsewhere(state, correction, ctx);
    if (events.length === 0) return;
    const next = events.reduce<DetainerState>((s, e) => evolve(s, e), state);
    if (!(await this.writes.applyChange(sql, { version: state.version, eventCount: stream.events.length }, next, events, ctx.now, requestId))) throw concurrentChange();
    for (const s of this.subscribers) await s.onDetainerChanged(sql, { before: state, after: next, events, now: ctx.now });
  }
}

const notFound = () => new DomainError('not_found', 'No detainer with this id.');
const concurrentChange = () =>
  new DomainError('version_conflict', 'Another change to this detainer was saved at the same moment. Reload it and try again.');
