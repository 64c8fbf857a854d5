import type { ActionName, DetainerStatus, LodgingStatus, Role } from '../api/types';

export const ROLE_LABELS: Record<Role, string> = {
  officer: 'Officer',
  jail_staff: 'Jail staff',
  supervisor: 'Supervisor',
  admin: 'Administrator',
  analyst: 'Analyst',
};

export const STATUS_LABELS: Record<LodgingStatus, string> = {
  issued: 'Issued, awaiting acknowledgment',
  acknowledged: 'Acknowledged',
  release_scheduled: 'Release scheduled',
  held: 'Held',
  refused: 'Refused in custody',
  disputed: 'Disputed',
  honored: 'Honored',
  released: 'Released',
  transferred: 'Transferred to another agency',
  misdirected: 'Misdirected (not in custody)',
  cancelled: 'Cancelled',
};

export const DETAINER_STATUSES: DetainerStatus[] = [
  'issued', 'acknowledged', 'release_scheduled', 'held', 'refused', 'disputed', 'honored', 'released', 'misdirected', 'cancelled',
];

export const ACTION_LABELS: Record<ActionName, string> = {
  acknowledge: 'Acknowledge',
  report_not_in_custody: 'Not in our custody',
  schedule_release: 'Give release date and time',
  plan_pickup: 'Plan pickup',
  start_hold: 'Start hold',
  transfer_to_ice: 'Custody to ICE (honored)',
  release: 'Record release or transfer',
  refuse: 'Refuse (decline in custody)',
  record_decline: 'Record a decline',
  claim_citizenship: 'U.S. citizenship claimed',
  dispute_identity: 'Wrong person',
  decide_identity_claim: 'Decide citizenship or identity claim',
  cancel: 'Cancel detainer',
  record_outcome: 'Record outcome',
};

export const RESPONSE_LABELS: Record<string, string> = {
  will_comply: 'Will comply (notify and hold)',
  will_notify_only: 'Will notify only',
  will_not_comply: 'Will not comply',
};

export const CANCEL_REASON_LABELS: Record<string, string> = {
  issued_in_error: 'Issued in error (never counts)',
  wrong_subject: 'Wrong subject (never counts)',
  us_citizen: 'U.S. citizen (never counts)',
  lifted: 'Lifted',
  superseded: 'Superseded',
  other: 'Other',
};

export const OUTCOME_LABELS: Record<string, string> = {
  ice_arrest: 'ICE arrest',
  removed: 'Removed',
  rearrested: 'Rearrested',
  at_large: 'At large',
  unknown: 'Unknown',
};

export const PROBABLE_CAUSE_LABELS: Record<string, string> = {
  final_order: 'Final order of removal',
  pending_proceedings: 'Removal proceedings pending',
  biometric_match: 'Biometric match with federal records',
  statements_or_evidence: 'Statements or other reliable evidence',
};

export const CHANNEL_LABELS: Record<string, string> = { electronic: 'Electronic', fax: 'Fax', in_person: 'In person' };

export const DECLINE_KIND_LABELS: Record<string, string> = {
  refused: 'refused by the agency',
  no_notice: 'released without notice',
  hold_refused: 'released before the hold ended',
};

export const SOURCE_LABELS: Record<string, string> = { lea_reported: 'reported by the agency', ice_observed: 'observed by ICE', system: 'system' };

export const EVENT_LABELS: Record<string, string> = {
  detainer_issued: 'Detainer lodged',
  acknowledged: 'Acknowledged',
  not_in_custody_reported: 'Reported not in custody',
  release_scheduled: 'Release date given',
  pickup_planned: 'Pickup planned',
  hold_started: 'Hold started',
  transferred_to_ice: 'Custody passed to ICE',
  released: 'Released',
  lodged: 'Lodged with the receiving agency',
  refused: 'Refused in custody',
  decline_recorded: 'Decline recorded',
  citizenship_claimed: 'U.S. citizenship claimed',
  identity_disputed: 'Identity disputed',
  identity_claim_rejected: 'Claim rejected, detainer restored',
  cancelled: 'Cancelled',
  outcome_recorded: 'Outcome recorded',
  record_disputed: 'Record disputed by the agency',
  record_dispute_resolved: 'Dispute decided',
  decline_retracted: 'Decline retracted',
  record_excluded: 'Record excluded from the figures',
  queue_item_claimed: 'Queue item claimed',
  queue_claim_released: 'Queue claim released',
  record_amended: 'Record corrected',
};

export const NOTIFICATION_KIND_LABELS: Record<string, string> = {
  release_48h: 'Releases within 48 hours',
  short_notice: 'Short-notice releases',
  hold_12h: 'Holds ending within 12 hours',
  hold_2h: 'Holds ending within 2 hours',
  hold_expired: 'Holds expired',
  unacknowledged_24h: 'Unacknowledged after 24 hours',
  booked_elsewhere: 'Booked by another agency',
};

/** `will_not_comply` -> `Will not comply` for values without a label. */
export function humanize(value: string | undefined | null): string {
  if (!value) return '';
  const s = value.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function label(map: Record<string, string>, value: string | undefined | null): string {
  return value ? (map[value] ?? humanize(value)) : '';
}
