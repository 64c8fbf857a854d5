import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  Channel, Charge, chargeProblems, decide, DetainerForm, DomainError, FieldProblem, IDENTITY_FIELD_WORDS, IdentityField, identityMismatches, localDateOf, normaliseANumber,
  normaliseFbiNumber, normaliseStateId, parseInstant, stateIdProblem, ProbableCause, replay, subjectProblems, Warrant,
} from '@app/domain';
import {
  AccessScope, Database, DetainerReadRepository, DetainerRecord, DetainerWriteRepository, ReferenceRepository,
  Sql, SubjectRecord, SubjectRepository,
} from '@app/persistence';
import { Clock } from '../clock';
import { actorOf, detainerScopeOf, mayReadIdentity, Principal } from '../principal';
import { DETAINER_CHANGE_SUBSCRIBERS, DetainerChangeSubscriber } from './detainer-change';

export interface IssueRequest {
  type: DetainerForm;
  facilityId: string;
  bookingNumber?: string;
  subject: {
    aNumber?: string;
    fbiNumber?: string;
    stateId?: string;
    familyName: string;
    givenName: string;
    dateOfBirth: string;
    sex?: 'F' | 'M' | 'X';
    citizenship: string;
  };
  charges: Charge[];
  probableCause: ProbableCause[];
  warrant?: Warrant;
  issuedAt?: string;
  channel?: Channel;
}

export interface IssueOptions {
  requestId: string | null;
}

/** An officer lodges a detainer with a facility: link or create the subject, decide, persist, all in one transaction. */
@Injectable()
export class IssueDetainer {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly references: ReferenceRepository,
    private readonly subjects: SubjectRepository,
    private readonly writes: DetainerWriteRepository,
    private readonly reads: DetainerReadRepository,
    @Inject(DETAINER_CHANGE_SUBSCRIBERS) private readonly subscribers: DetainerChangeSubscriber[],
  ) {}

  execute(principal: Principal, request: IssueRequest, opts: IssueOptions): Promise<DetainerRecord> {
    // The new detainer's id, opened for change with the BEGIN (nothing of it exists until this transaction writes it).
    const detainerId = randomUUID();
    return this.db.transaction((sql) => this.issue(sql, principal, detainerId, request, opts), { openDetainers: [detainerId] });
  }

  private async issue(sql: Sql, principal: Principal, detainerId: string, request: IssueRequest, opts: IssueOptions): Promise<DetainerRecord> {
    const now = this.clock.now();
    const place = await this.references.findPlace(sql, request.facilityId);
    if (!place) throw DomainError.invalidInput('facilityId', 'No facility has this id.');
    if (principal.role === 'officer' && principal.areaId !== place.areaId) {
      throw DomainError.invalidInput('facilityId', 'This facility lies outside your Area of Responsibility; lodge with a facility in your AOR.');
    }
    const issuedAt = request.issuedAt === undefined ? undefined : parseInstant(request.issuedAt, 'issuedAt', place.timeZone);
    const subject = await this.linkSubject(sql, request, now, localDateOf(now, place.timeZone), detainerScopeOf(principal));
    const decision = decide(
      null,
      {
        type: 'issue',
        detainerId,
        form: request.type,
        subjectId: subject.id,
        place,
        bookingNumber: request.bookingNumber,
        charges: request.charges,
        probableCause: request.probableCause,
        warrant: request.warrant,
        issuedAt,
        channel: request.channel ?? 'electronic',
      },
      { now, actor: actorOf(principal) },
    );
    if (!decision.ok) throw decision.error;
    const state = replay(decision.events);
    await this.writes.insertNew(sql, state, decision.events, opts.requestId);
    for (const s of this.subscribers) await s.onDetainerChanged(sql, { before: null, after: state, events: decision.events, now });
    const record = await this.reads.findOne(sql, detainerId, {
      scope: detainerScopeOf(principal),
      includeIdentity: mayReadIdentity(principal),
      withEvents: false,
    });
    if (!record) throw new Error(`issued detainer ${detainerId} is not visible to its issuer`);
    return record;
  }

  /**
   * A known A-number or FBI number links the new detainer to the person's existing record, but only
   * when what was typed is that person: otherwise 409 identity_mismatch naming the fields (never the
   * values on file), and nothing typed is replaced by what is on file.
   */
  private async linkSubject(sql: Sql, request: IssueRequest, now: Date, today: string, scope: AccessScope): Promise<SubjectRecord> {
    const input = request.subject;
    const problems: FieldProblem[] = [...subjectProblems(input, today), ...chargeProblems(request.charges ?? [])];
    const aNumber = input.aNumber === undefined ? null : normaliseANumber(input.aNumber);
    if (input.aNumber !== undefined && aNumber === null) {
      problems.push({ field: 'subject.aNumber', message: 'An A-number is the letter A followed by 8 or 9 digits, e.g. A012345678.' });
    }
    const fbiNumber = input.fbiNumber === undefined ? null : normaliseFbiNumber(input.fbiNumber);
    if (input.fbiNumber !== undefined && fbiNumber === null) {
      problems.push({ field: 'subject.fbiNumber', message: 'An FBI number is 1 to 9 letters and digits.' });
    }
    const stateId = input.stateId === undefined ? null : normaliseStateId(input.stateId);
    if (input.stateId !== undefined && stateId === null) problems.push({ field: 'subject.stateId', message: stateIdProblem(input.stateId)! });
    if (problems.length) throw new DomainError('invalid_input', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
    const citizenship = input.citizenship.toUpperCase();

    const known = await this.subjects.findByIdentifiers(sql, aNumber, fbiNumber);
    if (known.length > 1) {
      throw new DomainError('conflict', 'The A-number and the FBI number belong to two different subject records; correct the identifiers.', [
        { field: 'subject', message: 'A-number and FBI number identify different people on file.' },
      ]);
    }
    const existing = known[0];
    if (existing) {
      if (aNumber && existing.aNumber && existing.aNumber !== aNumber) {
        throw identityMismatch(['aNumber']);
      }
      const visible = await this.subjects.isVisibleIn(sql, existing.id, scope);
      const fields = identityMismatches(existing, { ...input, citizenship, fbiNumber, stateId }, visible);
      if (fields.length) throw identityMismatch(fields);
      await this.subjects.addIdentifiers(sql, existing.id, { aNumber, fbiNumber, stateId }, now);
      return { ...existing, stateId: existing.stateId ?? stateId };
    }
    return this.subjects.insert(sql, {
      aNumber,
      fbiNumber,
      stateId,
      familyName: input.familyName.trim(),
      givenName: input.givenName.trim(),
      dateOfBirth: input.dateOfBirth,
      sex: input.sex ?? null,
      citizenship,
    }, now);
  }
}

/** Names the fields that differ from the person on file, in words; never their values. */
function identityMismatch(fields: readonly (IdentityField | 'aNumber')[]): DomainError {
  const words = fields.map((f) => IDENTITY_FIELD_WORDS[f]);
  return new DomainError(
    'identity_mismatch',
    `The identifier given belongs to a person on file whose ${words.join(', ')} ${words.length === 1 ? 'differs' : 'differ'} from what you typed. Check the A-number (and FBI number) against the documents; nothing was recorded.`,
    fields.map((f) => ({ field: `subject.${f}`, message: `The ${IDENTITY_FIELD_WORDS[f]} differs from that of the person on file with this identifier (not shown): check it against the documents. Nothing was recorded.` })),
  );
}
