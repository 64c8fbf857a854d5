/**
 * Record disputes: the agency a record is about contests it (e.g. "we notified and they picked him
 * up", "that was never our prisoner"); a supervisor upholds or rejects with a note. An upheld dispute
 * corrects the record through new events (a decline retracted, the record excluded): earlier events
 * are never edited, so every published figure stays explainable.
 *
 * Disputes are not lifecycle steps: they are allowed in any status and do not change it, so they
 * are decided here rather than in the lifecycle's state table.
 */
import { refuseImported } from '../import/ice-release';
import { DomainError } from '../errors';
import {
  type CommandContext,
  type DetainerEvent,
  type DetainerEventBody,
  type DetainerState,
  type EventSource,
  type LodgingState,
  RECORD_CORRECTION_KINDS,
  type RecordCorrectionKind,
  type RecordDisputeState,
} from './types';

export type RecordDisputeCommand =
  | { type: 'dispute_record'; disputeId: string; reason: string; reasonPublic?: boolean; /** Defaults to the disputing agency's latest lodging. */ lodging?: number }
  | { type: 'resolve_record_dispute'; disputeId: string; decision: 'upheld' | 'rejected'; note: string; notePublic?: boolean; correction?: RecordCorrectionKind };

export const RECORD_DISPUTE_ROLES = { dispute_record: ['jail_staff'], resolve_record_dispute: ['supervisor'] } as const;

export type RecordDisputeDecision = { ok: true; events: DetainerEvent[] } | { ok: false; error: DomainError };

export function decideRecordDispute(state: DetainerState, command: RecordDisputeCommand, ctx: CommandContext): RecordDisputeDecision {
  try {
    return { ok: true, events: decideOrThrow(state, command, ctx) };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, error };
    throw error;
  }
}

export function openDisputes(state: DetainerState): RecordDisputeState[] {
  return (state.recordDisputes ?? []).filter((d) => d.status === 'open');
}

function decideOrThrow(state: DetainerState, command: RecordDisputeCommand, ctx: CommandContext): DetainerEvent[] {
  refuseImported(state, command.type);
  const role = ctx.actor.role;
  const allowed: readonly string[] = RECORD_DISPUTE_ROLES[command.type];
  if (role !== 'system' && !allowed.includes(role)) {
    throw new DomainError('forbidden', `Role '${role}' may not ${command.type.replace(/_/g, ' ')} (allowed: ${allowed.join(', ')}).`);
  }
  const source: EventSource = role === 'system' ? 'system' : role === 'jail_staff' ? 'lea_reported' : 'ice_observed';
  const event = (body: DetainerEventBody, lodging: number): DetainerEvent => ({
    version: state.version + 1,
    lodging,
    occurredAt: ctx.now,
    recordedAt: ctx.now,
    actor: ctx.actor,
    source,
    ...body,
  });

  switch (command.type) {
    case 'dispute_record': {
      const reason = required('reason', command.reason);
      const lodging = disputedLodging(state, command.lodging, ctx.actor.agencyId, role === 'system');
      if (openDisputes(state).some((d) => d.lodging === lodging.seq)) {
        throw new DomainError('conflict', `Lodging ${lodging.seq} of this detainer already has an open dispute; wait for a supervisor's decision.`);
      }
      return [event({ kind: 'record_disputed', data: { disputeId: command.disputeId, reason, ...(command.reasonPublic === true && { reasonPublic: true }) } }, lodging.seq)];
    }
    case 'resolve_record_dispute': {
      const dispute = (state.recordDisputes ?? []).find((d) => d.id === command.disputeId);
      if (!dispute) throw new DomainError('not_found', 'No dispute with this id.');
      if (dispute.status !== 'open') {
        throw new DomainError('invalid_transition', `This dispute was already ${dispute.status}; a decision is final.`, { state: dispute.status, action: 'resolve', allowedActions: [] });
      }
      if (command.decision !== 'upheld' && command.decision !== 'rejected') {
        throw DomainError.invalidInput('decision', `decision must be one of upheld, rejected; got '${String(command.decision)}'`);
      }
      const note = required('note', command.note);
      const lodging = state.lodgings.find((l) => l.seq === dispute.lodging)!;
      const resolved = (correction?: RecordCorrectionKind) =>
        event({ kind: 'record_dispute_resolved', data: { disputeId: dispute.id, decision: command.decision, note, ...(command.notePublic === true && { notePublic: true }), ...(correction && { correction }) } }, dispute.lodging);
      if (command.decision === 'rejected') {
        if (command.correction !== undefined) throw DomainError.invalidInput('correction', 'A rejected dispute corrects nothing: leave correction out.');
        return [resolved()];
      }
      const correction = command.correction;
      if (correction === undefined || !RECORD_CORRECTION_KINDS.includes(correction)) {
        throw DomainError.invalidInput('correction', `An upheld dispute must say what it corrects: one of ${RECORD_CORRECTION_KINDS.join(', ')}.`);
      }
      switch (correction) {
        case 'retract_decline': {
          if (!lodging.declined || lodging.declineRecordedAt === undefined || lodging.declineKind === undefined) {
            throw DomainError.invalidInput('correction', `Lodging ${lodging.seq} has no decline to retract; use exclude_record, or reject the dispute.`);
          }
          const data = { disputeId: dispute.id, declineRecordedAt: lodging.declineRecordedAt, declineKind: lodging.declineKind };
          return [resolved(correction), event({ kind: 'decline_retracted', data }, lodging.seq)];
        }
        case 'exclude_record':
          if (state.exclusion) throw DomainError.invalidInput('correction', 'This record is already excluded from the report.');
          return [resolved(correction), event({ kind: 'record_excluded', data: { disputeId: dispute.id, note } }, lodging.seq)];
        default: {
          const never: never = correction;
          return never;
        }
      }
    }
    default: {
      const never: never = command;
      throw new Error(`Unhandled command ${JSON.stringify(never)}`);
    }
  }
}

/** The lodging an agency disputes: the one named, or its latest; only the agency concerned may dispute it. */
function disputedLodging(state: DetainerState, seq: number | undefined, agencyId: string | null, system: boolean): LodgingState {
  if (seq !== undefined) {
    const lodging = state.lodgings.find((l) => l.seq === seq);
    if (!lodging) throw DomainError.invalidInput('lodging', `This detainer has no lodging ${seq}.`);
    if (!system && lodging.place.agencyId !== agencyId) {
      throw new DomainError('forbidden', 'Only the agency that held the person in this lodging may dispute it.');
    }
    return lodging;
  }
  const own = [...state.lodgings].reverse().find((l) => l.place.agencyId === agencyId);
  if (!own) throw new DomainError('forbidden', 'Only an agency this detainer was lodged with may dispute it.');
  return own;
}

function required(field: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw DomainError.invalidInput(field, `${field} is required`);
  return value;
}

type Patch = (fn: (l: LodgingState) => LodgingState) => DetainerState;
type RecordDisputeEvent = Extract<DetainerEvent, { kind: 'record_disputed' | 'record_dispute_resolved' | 'decline_retracted' | 'record_excluded' }>;

/** evolve's cases for the record-dispute events (`patch` re-derives the lodging's decline fields). */
export function applyRecordDisputeEvent(state: DetainerState, e: RecordDisputeEvent, patch: Patch): DetainerState {
  switch (e.kind) {
    case 'record_disputed': {
      const lodging = state.lodgings.find((l) => l.seq === e.lodging);
      if (!lodging) throw new Error(`Detainer ${state.id} has no lodging ${e.lodging}`);
      const dispute: RecordDisputeState = {
        id: e.data.disputeId,
        lodging: e.lodging,
        agencyId: lodging.place.agencyId,
        reason: e.data.reason,
        reasonPublic: e.data.reasonPublic === true,
        openedAt: e.recordedAt,
        openedBy: e.actor.id,
        status: 'open',
      };
      return { ...state, recordDisputes: [...(state.recordDisputes ?? []), dispute] };
    }
    case 'record_dispute_resolved': {
      const disputes = (state.recordDisputes ?? []).map((d) =>
        d.id !== e.data.disputeId
          ? d
          : {
              ...d,
              status: e.data.decision,
              resolvedAt: e.recordedAt,
              resolvedBy: e.actor.id,
              note: e.data.note,
              notePublic: e.data.notePublic === true,
              ...(e.data.correction !== undefined && { correction: e.data.correction }),
            },
      );
      return { ...state, recordDisputes: disputes };
    }
    case 'decline_retracted':
      return patch((l) => ({
        ...l,
        declineRetraction: { at: e.recordedAt, declineRecordedAt: e.data.declineRecordedAt, declineKind: e.data.declineKind, disputeId: e.data.disputeId },
      }));
    case 'record_excluded':
      return { ...state, exclusion: { at: e.recordedAt, disputeId: e.data.disputeId, note: e.data.note } };
    default: {
      const never: never = e;
      throw new Error(`Unhandled event ${JSON.stringify(never)}`);
    }
  }
}
