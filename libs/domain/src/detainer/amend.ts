/**
 * Corrections: a record is corrected, never overwritten. `amend` appends one `record_amended` event
 * with the fields before and after and the reason. The issuing AOR corrects the person and the
 * charges; the agency holding the person corrects its booking number.
 */
import { DomainError, type FieldProblem } from '../errors';
import { chargeProblems, FIELD_LIMITS, subjectProblems, textProblem } from '../subject/plausibility';
import { localDateOf } from '../time/local-time';
import type { Actor, Charge, CommandContext, DetainerEvent, DetainerState, LodgingState } from './types';

const AMENDABLE_SUBJECT_FIELDS = ['familyName', 'givenName', 'dateOfBirth', 'sex', 'citizenship', 'fbiNumber', 'stateId'] as const;
export type AmendableSubject = {
  familyName: string;
  givenName: string;
  dateOfBirth: string;
  sex: 'F' | 'M' | 'X' | null;
  citizenship: string;
  fbiNumber: string | null;
  stateId: string | null;
};

/** The parts of a record a correction may touch. */
export const AMENDABLE_PARTS = ['subject', 'charges', 'bookingNumber'] as const;
export type AmendablePart = (typeof AMENDABLE_PARTS)[number];

export interface AmendCommand {
  type: 'amend';
  reason: string;
  /** The person as on file now (read by the use case), and the fields to change. */
  subject?: { onFile: AmendableSubject; changes: Partial<AmendableSubject> };
  charges?: Charge[];
  bookingNumber?: string;
}

/** What changed, field by field: `before` and `after` hold the same keys. */
export interface Amendment {
  subject?: Partial<AmendableSubject>;
  charges?: Charge[];
  bookingNumber?: string | null;
}

export interface RecordAmendedData {
  reason: string;
  before: Amendment;
  after: Amendment;
  /**
   * Set when the correction was made on another detainer on the same person (the person on file is
   * one, so correcting them there changed this record too): that detainer's id.
   */
  correctedOn?: string;
}

function current(state: DetainerState): LodgingState {
  const lodging = state.lodgings[state.lodgings.length - 1];
  if (!lodging) throw new Error(`Detainer ${state.id} has no lodging`);
  return lodging;
}

/** Which parts `actor` may correct on this detainer: the issuing AOR the person and charges, the holding agency its booking number. */
export function amendableParts(state: DetainerState, actor: Pick<Actor, 'role' | 'areaId' | 'agencyId'>): AmendablePart[] {
  if (actor.role === 'system') return [...AMENDABLE_PARTS];
  if ((actor.role === 'officer' || actor.role === 'supervisor') && actor.areaId === state.areaId) return ['subject', 'charges'];
  if (actor.role === 'jail_staff' && actor.agencyId === current(state).place.agencyId) return ['bookingNumber'];
  return [];
}

const sameCharges = (a: readonly Charge[], b: readonly Charge[]) => JSON.stringify(a) === JSON.stringify(b);

export function decideAmend(state: DetainerState, command: AmendCommand, ctx: CommandContext): DetainerEvent[] {
  const { now } = ctx;
  const lodging = current(state);
  const problems: FieldProblem[] = [];
  const reasonProblem = textProblem('reason', command.reason, FIELD_LIMITS.reason);
  if (reasonProblem) problems.push({ field: 'reason', message: reasonProblem });

  const asked: AmendablePart[] = [];
  if (command.subject !== undefined) asked.push('subject');
  if (command.charges !== undefined) asked.push('charges');
  if (command.bookingNumber !== undefined) asked.push('bookingNumber');
  if (asked.length === 0) problems.push({ field: 'body', message: 'Give at least one of subject, charges or bookingNumber to correct.' });

  const may = amendableParts(state, ctx.actor);
  const refused = asked.filter((p) => !may.includes(p));
  if (refused.length) {
    const who = refused.map((p) => (p === 'bookingNumber' ? 'the booking number is corrected by the agency holding the person' : `the ${p} are corrected by the issuing office's AOR`));
    throw new DomainError('forbidden', `You may not correct ${refused.join(' or ')} on this detainer: ${[...new Set(who)].join('; ')}.`);
  }

  const today = localDateOf(now, lodging.place.timeZone);
  const before: Amendment = {};
  const after: Amendment = {};
  if (command.subject) {
    const { onFile, changes } = command.subject;
    const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<AmendableSubject>;
    const { sex: _sex, fbiNumber: _fbi, stateId: _sid, ...checked } = given;
    problems.push(...subjectProblems({ ...checked, ...(checked.citizenship !== undefined && { citizenship: checked.citizenship }) }, today));
    const b: Partial<AmendableSubject> = {};
    const a: Partial<AmendableSubject> = {};
    for (const field of AMENDABLE_SUBJECT_FIELDS) {
      if (!(field in given)) continue;
      let value = given[field] as string | null;
      if (field === 'citizenship' && typeof value === 'string') value = value.toUpperCase();
      if ((field === 'familyName' || field === 'givenName') && typeof value === 'string') value = value.trim();
      if (value !== onFile[field]) {
        (b as Record<string, unknown>)[field] = onFile[field];
        (a as Record<string, unknown>)[field] = value;
      }
    }
    if (Object.keys(a).length) {
      before.subject = b;
      after.subject = a;
    }
  }
  if (command.charges !== undefined) {
    problems.push(...chargeProblems(command.charges));
    if (!sameCharges(command.charges, state.charges)) {
      before.charges = state.charges;
      after.charges = command.charges;
    }
  }
  if (command.bookingNumber !== undefined) {
    const p = textProblem('bookingNumber', command.bookingNumber, FIELD_LIMITS.bookingNumber);
    if (p) problems.push({ field: 'bookingNumber', message: p });
    if (command.bookingNumber !== (lodging.bookingNumber ?? null)) {
      before.bookingNumber = lodging.bookingNumber ?? null;
      after.bookingNumber = command.bookingNumber;
    }
  }
  if (problems.length) throw new DomainError('invalid_input', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
  if (Object.keys(after).length === 0) {
    throw DomainError.invalidInput('body', 'Nothing to correct: every value given is already on file.');
  }
  return [
    {
      version: state.version + 1,
      lodging: lodging.seq,
      occurredAt: now,
      recordedAt: now,
      actor: ctx.actor,
      source: ctx.source ?? (ctx.actor.role === 'jail_staff' ? 'lea_reported' : ctx.actor.role === 'system' ? 'system' : 'ice_observed'),
      kind: 'record_amended',
      data: { reason: command.reason, before, after },
    },
  ];
}

/**
 * A correction of the person made on another detainer (`correctedOn`) on this same person: one person
 * on file per A-number, so every record on them now shows the corrected values, and each timeline
 * must show the change (a record is corrected, never overwritten without trace). Only the person:
 * charges and booking numbers are each record's own. Whoever made the correction is the actor, on
 * this detainer's current lodging, whatever its state; imported records are read-only and keep none.
 */
export function decideSubjectCorrectedElsewhere(
  state: DetainerState,
  correction: { correctedOn: string; reason: string; before: Partial<AmendableSubject>; after: Partial<AmendableSubject> },
  ctx: CommandContext,
): DetainerEvent[] {
  if (state.imported !== undefined || state.id === correction.correctedOn || Object.keys(correction.after).length === 0) return [];
  const { now } = ctx;
  return [
    {
      version: state.version + 1,
      lodging: current(state).seq,
      occurredAt: now,
      recordedAt: now,
      actor: ctx.actor,
      source: ctx.source ?? (ctx.actor.role === 'jail_staff' ? 'lea_reported' : ctx.actor.role === 'system' ? 'system' : 'ice_observed'),
      kind: 'record_amended',
      data: { reason: correction.reason, before: { subject: correction.before }, after: { subject: correction.after }, correctedOn: correction.correctedOn },
    },
  ];
}
