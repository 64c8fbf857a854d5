import { DetainerEventKind } from '@app/domain';

/**
 * What a change list may say about an event in public: codes, never free text that could identify
 * someone. Exhaustive over the event kinds: a new kind does not compile until it is decided here.
 */
export function publicDetail(kind: string, payload: Record<string, unknown>, occurredAt: Date): Record<string, unknown> {
  const known = kind as DetainerEventKind;
  switch (known) {
    case 'detainer_issued':
      return { issuedAt: occurredAt.toISOString(), lateRecord: true };
    case 'cancelled':
      return { reason: payload.reason };
    case 'acknowledged':
      return { response: payload.response };
    case 'record_disputed':
      return { disputeId: payload.disputeId, ...(payload.reasonPublic === true && { reason: payload.reason }) };
    case 'record_dispute_resolved':
      return { disputeId: payload.disputeId, decision: payload.decision, correction: payload.correction ?? null, ...(payload.notePublic === true && { note: payload.note }) };
    case 'decline_retracted':
      return { disputeId: payload.disputeId, declineKind: payload.declineKind };
    case 'record_excluded':
      return { disputeId: payload.disputeId };
    case 'decline_recorded':
      return { source: payload.source, at: occurredAt.toISOString() };
    // The release's row is public record; the change list names the file it was corrected by.
    case 'import_corrected': {
      const record = payload.record as { sha256?: unknown; file?: unknown } | undefined;
      return { at: occurredAt.toISOString(), sha256: record?.sha256 ?? null, file: record?.file ?? null };
    }
    // Their data holds notes, names of places or people's ids: in public, only when it happened.
    case 'not_in_custody_reported':
    case 'release_scheduled':
    case 'pickup_planned':
    case 'hold_started':
    case 'transferred_to_ice':
    case 'released':
    case 'lodged':
    case 'refused':
    case 'citizenship_claimed':
    case 'identity_disputed':
    case 'identity_claim_rejected':
    case 'outcome_recorded':
    case 'record_amended':
    case 'queue_item_claimed':
    case 'queue_claim_released':
      return { at: occurredAt.toISOString() };
    default: {
      // A kind stored by a version that no longer knows it: as little as for the others.
      const _unknownKind: never = known;
      return { at: occurredAt.toISOString() };
    }
  }
}
