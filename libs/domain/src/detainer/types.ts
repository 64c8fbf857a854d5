/**
 * The detainer's vocabulary: forms, statuses, commands and events.
 * Pure types; the rules live in decider.ts, decline.ts and ../time.
 * Instants are `Date` (UTC); calendar dates are `YYYY-MM-DD` strings.
 */
import type { AmendCommand, RecordAmendedData } from './amend';
import type { ImportedRecord, ImportMark } from '../import/ice-release';

export const DETAINER_FORMS = ['I-247A', 'I-247D', 'I-247N', 'I-247X', 'I-247'] as const;
export type DetainerForm = (typeof DETAINER_FORMS)[number];

export const ROLES = ['officer', 'jail_staff', 'supervisor', 'admin', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

/** Status of one lodging. The detainer's status is its current (last) lodging's. */
export const LODGING_STATUSES = [
  'issued',
  'acknowledged',
  'release_scheduled',
  'held',
  'refused',
  'disputed',
  'honored',
  'released',
  'transferred', // closed by a release to another agency; the next lodging carries the request on
  'misdirected',
  'cancelled',
] as const;
export type LodgingStatus = (typeof LODGING_STATUSES)[number];
/** A detainer is never `transferred`: after a transfer its current lodging is the new one. */
export type DetainerStatus = Exclude<LodgingStatus, 'transferred'>;

export const ACK_RESPONSES = ['will_comply', 'will_notify_only', 'will_not_comply'] as const;
export type AckResponse = (typeof ACK_RESPONSES)[number];

export const PROBABLE_CAUSES = ['final_order', 'pending_proceedings', 'biometric_match', 'statements_or_evidence'] as const;
export type ProbableCause = (typeof PROBABLE_CAUSES)[number];

export const WARRANT_FORMS = ['I-200', 'I-205'] as const;
export type WarrantForm = (typeof WARRANT_FORMS)[number];

export const CHANNELS = ['fax', 'electronic', 'in_person'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CANCEL_REASONS = ['issued_in_error', 'wrong_subject', 'us_citizen', 'lifted', 'superseded', 'other'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];
/** Cancellations that mean the detainer should never have counted: excluded from "issued". */
export const EXCLUDING_CANCEL_REASONS: readonly CancelReason[] = ['issued_in_error', 'wrong_subject', 'us_citizen'];

export const OUTCOME_KINDS = ['ice_arrest', 'removed', 'rearrested', 'at_large', 'unknown'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export const DECLINE_KINDS = ['refused', 'no_notice', 'hold_refused'] as const;
export type DeclineKind = (typeof DECLINE_KINDS)[number];

/** What an upheld record dispute corrects. */
export const RECORD_CORRECTION_KINDS = ['retract_decline', 'exclude_record'] as const;
export type RecordCorrectionKind = (typeof RECORD_CORRECTION_KINDS)[number];

export const EVENT_SOURCES = ['lea_reported', 'ice_observed', 'system'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

export const RELEASE_DESTINATIONS = ['community', 'other_agency'] as const;
export type ReleaseDestination = (typeof RELEASE_DESTINATIONS)[number];

export const CHARGE_LEVELS = ['felony', 'misdemeanor'] as const;
export const CHARGE_STATUSES = ['pending', 'convicted'] as const;
export interface Charge {
  description: string;
  ncicCode?: string;
  level: (typeof CHARGE_LEVELS)[number];
  status: (typeof CHARGE_STATUSES)[number];
}

export interface Warrant {
  form: WarrantForm;
  number: string;
}

/** Who did something. `agencyId` for jail staff and API keys, `areaId` for officers and supervisors. */
export interface Actor {
  kind: 'user' | 'api_key' | 'system';
  id: string | null;
  role: Role | 'system';
  agencyId: string | null;
  areaId: string | null;
}

/** Where a lodging is: the facility and what it belongs to, resolved from reference data. */
export interface LodgingPlace {
  facilityId: string;
  agencyId: string;
  jurisdictionId: string;
  areaId: string;
  timeZone: string;
}

// ---------------------------------------------------------------- commands

export type DetainerCommand =
  | IssueCommand
  | AmendCommand
  | { type: 'acknowledge'; response: AckResponse; reason?: string; policyId?: string; bookingNumber?: string; servedAt?: Date }
  | { type: 'report_not_in_custody'; note?: string }
  | { type: 'schedule_release'; releaseAt: Date }
  | { type: 'plan_pickup'; at: Date }
  | { type: 'start_hold'; since: Date }
  | { type: 'transfer_to_ice'; at: Date }
  | { type: 'release'; at: Date; destination: 'community' }
  | { type: 'release'; at: Date; destination: 'other_agency'; to: LodgingPlace }
  | { type: 'refuse'; at: Date; reason: string; policyId?: string }
  | { type: 'record_decline'; at: Date; reason: string; source: 'lea_reported' | 'ice_observed' }
  | { type: 'claim_citizenship'; note: string }
  | { type: 'dispute_identity'; note: string }
  /** A supervisor decides a citizenship or identity claim: upheld cancels (us_citizen / wrong_subject), rejected restores. */
  | { type: 'decide_identity_claim'; decision: 'upheld' | 'rejected'; note: string }
  | { type: 'cancel'; reason: CancelReason; note?: string }
  | { type: 'record_outcome'; kind: OutcomeKind; at: Date; relatedDetainerId?: string };

export interface IssueCommand {
  type: 'issue';
  detainerId: string;
  form: DetainerForm;
  subjectId: string;
  place: LodgingPlace;
  bookingNumber?: string;
  charges: Charge[];
  probableCause: ProbableCause[];
  warrant?: Warrant;
  /** Defaults to `now`. */
  issuedAt?: Date;
  channel: Channel;
}

/** The lifecycle's actions (a correction, `amend`, is not one: it is allowed in every state, by who may correct what). */
export type ActionName = Exclude<DetainerCommand['type'], 'issue' | 'amend'>;

/** Everything a decision needs besides state and command: the clock and the actor travel with it. */
export interface CommandContext {
  now: Date;
  actor: Actor;
  /** Defaults by role: jail staff and API keys report `lea_reported`, federal users `ice_observed`. */
  source?: EventSource;
}

// ---------------------------------------------------------------- events

export interface EventMeta {
  /** Detainer version after the command that produced this event (all events of one command share it). */
  version: number;
  /** Lodging the event belongs to (1-based sequence within the detainer). */
  lodging: number;
  occurredAt: Date;
  recordedAt: Date;
  actor: Actor;
  source: EventSource;
}

export type DetainerEventBody =
  | {
      kind: 'detainer_issued';
      data: {
        detainerId: string;
        form: DetainerForm;
        subjectId: string;
        place: LodgingPlace;
        bookingNumber?: string;
        charges: Charge[];
        probableCause: ProbableCause[];
        warrant?: Warrant;
        channel: Channel;
        issuingOfficerId: string | null;
        /** Imported from the federal release: read-only (see ../import/ice-release.ts). */
        imported?: ImportMark;
      };
    }
  /** A corrected release file says otherwise about an imported record: its state is what the record now says. */
  | { kind: 'import_corrected'; data: { record: ImportedRecord } }
  | { kind: 'acknowledged'; data: { response: AckResponse; reason?: string; policyId?: string; bookingNumber?: string; servedAt?: Date } }
  | { kind: 'not_in_custody_reported'; data: { note?: string } }
  | { kind: 'release_scheduled'; data: { releaseAt: Date; noticeLeadHours: number; shortNotice: boolean } }
  | { kind: 'pickup_planned'; data: { at: Date } }
  | { kind: 'hold_started'; data: { since: Date; expiresAt: Date } }
  | { kind: 'transferred_to_ice'; data: { at: Date } }
  | { kind: 'released'; data: { at: Date; destination: ReleaseDestination; toFacilityId?: string } }
  /** Opens the next lodging after a release to another agency. Carries `lodging` = the new sequence. */
  | { kind: 'lodged'; data: { place: LodgingPlace } }
  | { kind: 'refused'; data: { at: Date; reason: string; policyId?: string } }
  | { kind: 'decline_recorded'; data: { at: Date; reason: string; source: 'lea_reported' | 'ice_observed' } }
  | { kind: 'citizenship_claimed'; data: { note: string } }
  | { kind: 'identity_disputed'; data: { note: string } }
  | { kind: 'identity_claim_rejected'; data: { note: string } }
  | { kind: 'cancelled'; data: { reason: CancelReason; note?: string } }
  | { kind: 'outcome_recorded'; data: { kind: OutcomeKind; at: Date; relatedDetainerId?: string } }
  // Record disputes (an agency contests a record about it) and the corrections an upheld one makes.
  // The event's `lodging` is the lodging disputed; corrections never edit earlier events.
  /** `reasonPublic`: the agency let its reason be published with the report; otherwise it stays with the record. */
  | { kind: 'record_disputed'; data: { disputeId: string; reason: string; reasonPublic?: boolean } }
  | { kind: 'record_dispute_resolved'; data: { disputeId: string; decision: 'upheld' | 'rejected'; note: string; notePublic?: boolean; correction?: RecordCorrectionKind } }
  /** The lodging's decline (recorded at `declineRecordedAt`) is withdrawn: it no longer counts as declined. */
  | { kind: 'decline_retracted'; data: { disputeId: string; declineRecordedAt: Date; declineKind: DeclineKind } }
  /** The detainer should never have counted in any report figure (shown apart as excluded). */
  | { kind: 'record_excluded'; data: { disputeId: string; note: string } }
  /** A correction (see amend.ts): the fields before and after, and why. Changes no report figure. */
  | { kind: 'record_amended'; data: RecordAmendedData }
  /**
   * Queue claims as streams recorded them before claims had their own history (migration
   * 1795691000000 copied them to `queue_claim_events`, see ../queues/claims.ts). The stored events
   * stay where they are (the stream is append-only, and its sequence numbers count them), but
   * nothing records them any more, and they change nothing of the detainer: replay passes over them.
   */
  | { kind: LegacyQueueClaimKind; data: { queue: QueueName; holderId: string; previousHolderId?: string } };

/** The kinds of the claim events of streams recorded before claims had their own history. */
export const LEGACY_QUEUE_CLAIM_KINDS = ['queue_item_claimed', 'queue_claim_released'] as const;
export type LegacyQueueClaimKind = (typeof LEGACY_QUEUE_CLAIM_KINDS)[number];

export type DetainerEvent = EventMeta & DetainerEventBody;
export type DetainerEventKind = DetainerEvent['kind'];

// ---------------------------------------------------------------- state (the projection)

export interface DeclineReport {
  at: Date;
  recordedAt: Date;
  reason: string;
  source: 'lea_reported' | 'ice_observed';
}

export interface LodgingState {
  seq: number;
  place: LodgingPlace;
  status: LodgingStatus;
  openedAt: Date;
  closedAt?: Date;
  response?: AckResponse;
  responseReason?: string;
  policyId?: string;
  acknowledgedAt?: Date;
  bookingNumber?: string;
  servedAt?: Date;
  /** Latest scheduled release and when the system learned it. */
  releaseAt?: Date;
  releaseScheduledRecordedAt?: Date;
  noticeLeadHours?: number;
  /** When the first release notification was recorded (a notification counts only if recorded before the release). */
  firstNoticeRecordedAt?: Date;
  pickupPlannedAt?: Date;
  holdSince?: Date;
  holdExpiresAt?: Date;
  releasedAt?: Date;
  releaseRecordedAt?: Date;
  destination?: ReleaseDestination;
  toFacilityId?: string;
  honoredAt?: Date;
  refusedAt?: Date;
  refusedRecordedAt?: Date;
  refusalReason?: string;
  declineReports: DeclineReport[];
  /** Who told us of the refusal, the release and the transfer to federal custody (for the report's data fidelity). */
  refusedSource?: EventSource;
  releaseSource?: EventSource;
  honoredSource?: EventSource;
  /** A decline withdrawn by an upheld record dispute: declines recorded up to `at` no longer count. */
  declineRetraction?: { at: Date; declineRecordedAt: Date; declineKind: DeclineKind; disputeId: string };
  /** An open citizenship or identity claim, and the status to restore if a supervisor rejects it. */
  identityClaim?: 'citizenship' | 'identity';
  statusBeforeDispute?: LodgingStatus;
  // Derived by the decline rule (decline.ts) each time the lodging changes:
  declined: boolean;
  declineKind?: DeclineKind;
  declineRecordedAt?: Date;
  shortNotice: boolean;
  missedPickup: boolean;
  /** Imported from the federal release: declined only when ICE recorded a decline (its facts of notice and hold are not released). */
  imported?: true;
}

export interface DetainerState {
  id: string;
  form: DetainerForm;
  version: number;
  status: DetainerStatus;
  subjectId: string;
  issuingOfficerId: string | null;
  /** The issuing office's AOR. */
  areaId: string;
  issuedAt: Date;
  recordedAt: Date;
  channel: Channel;
  warrant?: Warrant;
  probableCause: ProbableCause[];
  charges: Charge[];
  lodgings: LodgingState[];
  cancelReason?: CancelReason;
  cancelNote?: string;
  cancelledAt?: Date;
  outcome?: { kind: OutcomeKind; at: Date; relatedDetainerId?: string };
  /** Disputes an agency raised about this record, oldest first. */
  recordDisputes?: RecordDisputeState[];
  /** Excluded from every report figure by an upheld record dispute. */
  exclusion?: { at: Date; disputeId: string; note: string };
  /** Imported from the federal release, and so read-only. */
  imported?: ImportMark;
}

export interface RecordDisputeState {
  id: string;
  /** The lodging (so the agency) the dispute concerns. */
  lodging: number;
  agencyId: string;
  reason: string;
  /** The reason may be published (its author said so); otherwise reports print only the structured facts. */
  reasonPublic: boolean;
  openedAt: Date;
  openedBy: string | null;
  status: 'open' | 'upheld' | 'rejected';
  resolvedAt?: Date;
  resolvedBy?: string | null;
  note?: string;
  notePublic?: boolean;
  correction?: RecordCorrectionKind;
}

// ---------------------------------------------------------------- compliance queues

/** The supervisors' compliance queues. Membership is derived from the records (in SQL), never stored. */
export const QUEUE_NAMES = [
  'unacknowledged',
  'release_soon_no_pickup',
  'hold_expiring',
  'short_notice',
  'decline_no_outcome',
  'disputes',
  'failed_deliveries',
  'booked_elsewhere',
] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];
