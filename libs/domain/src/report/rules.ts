/**
 * The weekly report's counting rules, as code. Each rule here has a sentence in COUNTING_RULES, which
 * Section IV of every report prints, and a twin in the set-based roll-up SQL (a test keeps them equal).
 */
import type { CancelReason, DetainerState, EventSource, LodgingState } from '../detainer/types';
import { EXCLUDING_CANCEL_REASONS } from '../detainer/types';

/** What one record adds to a week's figures. */
export const MEASURES = ['issued', 'declined', 'honored', 'missed_pickup', 'short_notice', 'excluded', 'decline_retracted'] as const;
export type Measure = (typeof MEASURES)[number];

/**
 * What a record adds to a jurisdiction's measured practice (its profile), beside the weekly figures:
 * each lodging begun (was it acknowledged within 24 hours), each release notice (was it 48 hours or
 * more ahead), each lodging concluded (custody to ICE, declined, missed pickup or released). The
 * weekly report never reads these.
 */
export const PROFILE_MEASURES = ['lodged', 'release_notice', 'concluded'] as const;
export type ProfileMeasure = (typeof PROFILE_MEASURES)[number];
export type StoredMeasure = Measure | ProfileMeasure;

/** How a lodging ended, for the profile: the first that holds, in this order. */
export const CONCLUSIONS = ['custody_to_ice', 'declined', 'missed_pickup', 'released'] as const;
export type Conclusion = (typeof CONCLUSIONS)[number];

/** How long after issue a decline was recorded (elapsed time, so DST never shifts a bucket). */
export const AGE_BUCKETS = ['under_week', 'under_month', 'under_year', 'year_or_more'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

const HOUR_MS = 3_600_000;
/** Upper bounds (exclusive), in hours: 7 days, 30 days, 365 days. */
const AGE_BUCKET_LIMIT_HOURS: Record<Exclude<AgeBucket, 'year_or_more'>, number> = {
  under_week: 7 * 24,
  under_month: 30 * 24,
  under_year: 365 * 24,
};

export function ageBucket(issuedAt: Date, declineRecordedAt: Date): AgeBucket {
  const hours = (declineRecordedAt.getTime() - issuedAt.getTime()) / HOUR_MS;
  if (hours < AGE_BUCKET_LIMIT_HOURS.under_week) return 'under_week';
  if (hours < AGE_BUCKET_LIMIT_HOURS.under_month) return 'under_month';
  if (hours < AGE_BUCKET_LIMIT_HOURS.under_year) return 'under_year';
  return 'year_or_more';
}

/** Why a detainer is kept out of every figure (and shown apart, in the week it was issued). */
export const EXCLUSION_REASONS = ['issued_in_error', 'wrong_subject', 'us_citizen', 'misdirected', 'excluded_by_dispute'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** First match wins: a cancellation that says it should never have counted, then "not in custody", then an upheld dispute. */
export function exclusionOf(state: DetainerState): ExclusionReason | undefined {
  if (state.cancelReason !== undefined && isExcludingCancelReason(state.cancelReason)) return state.cancelReason;
  if (state.lodgings[0]?.status === 'misdirected') return 'misdirected';
  if (state.exclusion !== undefined) return 'excluded_by_dispute';
  return undefined;
}

function isExcludingCancelReason(reason: CancelReason): reason is 'issued_in_error' | 'wrong_subject' | 'us_citizen' {
  return EXCLUDING_CANCEL_REASONS.includes(reason);
}

/** Who told us of the fact the decline rests on: the refusal, the release, or the first report of it. */
export function declineSourceOf(l: LodgingState): EventSource | undefined {
  if (!l.declined || l.declineRecordedAt === undefined) return undefined;
  const t = l.declineRecordedAt.getTime();
  if (l.refusedRecordedAt?.getTime() === t && l.refusedSource) return l.refusedSource;
  if (l.releaseRecordedAt?.getTime() === t && l.releaseSource) return l.releaseSource;
  return l.declineReports.find((r) => new Date(r.recordedAt).getTime() === t)?.source;
}

/** The sentences Section IV prints. Keep them true to the code above and to the roll-up SQL. */
export const COUNTING_RULES: readonly string[] = [
  'A report week runs 7 calendar days from the configured weekday and hour in the configured time zone; across a daylight-saving change it lasts 167 or 169 hours.',
  'Jurisdictions are identified by canonical code (state + county FIPS, Census place code or ORI), never by name: same-named counties in different states are different rows.',
  'ISSUED counts detainers by the instant they were issued, at the jurisdiction of the agency they were lodged with at issue. It is a count of requests sent, not of declines.',
  'DECLINED counts declines in the week the decline was RECORDED, whenever the detainer was issued, at the jurisdiction of the agency that held the person then (after a transfer, the receiving agency).',
  'A decline is a refusal (will not comply, or refusal while holding the person) or a release against the request: no release notification before release (no_notice), or, for a hold-asking form, release before federal custody and before the 48-hour hold ended (hold_refused).',
  'Declines are bucketed by the detainer\'s age when the decline was recorded: under 7 days, 7 to under 30 days, 30 to under 365 days, 365 days or more (elapsed time).',
  'HONORED counts transfers to federal custody in the week they happened. A lodging that was honored can never carry a decline.',
  'MISSED PICKUPS are releases after a notified hold expired with no federal pickup: they are not declines. SHORT NOTICES are release notices given under 48 hours ahead, counted in the week the notice was recorded: they are not declines.',
  'EXCLUDED: detainers cancelled as issued in error, wrong subject or U.S. citizen, detainers the jail answered "not in custody" (misdirected), and records excluded by an upheld dispute are counted in no other figure; they are shown apart in the week they were issued.',
  'UNACKNOWLEDGED: detainers counted as issued to an agency that the agency has not acknowledged receiving. A surplus is flagged on the agency\'s row and must be confirmed by a supervisor before the week is published.',
  'DISPUTED: records an agency contests that await a supervisor\'s decision; each disputed row says so, with the agency\'s reason. An upheld dispute corrects the record through new events (a decline retracted, or the record excluded), never by editing history.',
  'Section I lists jurisdictions with a restrictive policy in force during the week, by detainers ISSUED to them. Section III lists only policies in force on at least one day of the week, with their citations.',
  'The federal release (ICE\'s FOIA detainer records), when imported, is counted by these same rules: facilities by DETLOC code through a crosswalk, never by name; only "Detainer Declined by LEA" is a decline, in the week of its lift date, recorded by ICE (ice_observed); a citizenship claim is excluded (us_citizen). Rows that cannot be placed or read are quarantined and counted here, not guessed; an imported decline with no lift date is in no week and counted here.',
  'A published version never changes. A later correction (an upheld dispute, a cancellation, a late record) produces a new version with a list of what changed and why.',
];

/** One line per figure, printed beside it, so that no figure can be read as another. */
export const FIGURE_LABELS = {
  issued: 'Detainers ISSUED to the jurisdiction this week (requests sent, by issue date). Not declines.',
  declined: 'Declines RECORDED this week against the agency that held the person, whenever the detainer was issued.',
  declinedByKind: 'Declines by kind: refused (will not comply / refused in custody), no_notice (released without notification), hold_refused (released before the hold ended).',
  declinedByAge: 'Declines by the detainer\'s age when the decline was recorded: under 7 days, under 30 days, under 365 days, 365 days or more.',
  honored: 'Detainers honored this week: custody passed to federal officers.',
  missedPickups: 'Releases after a notified hold expired with no federal pickup. Not declines.',
  shortNotices: 'Release notices given less than 48 hours ahead. Not declines.',
  excluded: 'Detainers issued this week kept out of every figure: cancelled as issued in error, wrong subject or U.S. citizen; misdirected (not in custody); or excluded by an upheld dispute.',
  unacknowledged: 'Detainers counted as issued that the agency has not acknowledged receiving.',
  disputed: 'Records on this row an agency disputes, awaiting a supervisor\'s decision.',
  restrictivePolicy: 'The jurisdiction had a policy limiting holds, notification or access in force during the week (see Section III for citations).',
} as const;
