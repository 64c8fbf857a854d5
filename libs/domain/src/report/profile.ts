/**
 * A jurisdiction's cooperation as measured: each measure a numerator over a denominator, added up from
 * the stored contributions (`contributionsOf`, `profileContributionsOf`), with the sentence that
 * defines it, and the plain sentences that say where what the jurisdiction declared and what the
 * records measure disagree.
 */
import type { DeclineKind } from '../detainer/types';

export const PROFILE_KEYS = [
  'acknowledgedWithin24h', 'notifiedAtLeast48h', 'holdsHonored', 'custodyToIce', 'declined', 'missedPickups', 'misdirected', 'cancelledIssuedInError',
] as const;
export type ProfileKey = (typeof PROFILE_KEYS)[number];

/** The counts one set of contributions gives (a week, or several added up). */
export interface ProfileCounts {
  /** Lodgings whose 24-hour answer was settled, and those acknowledged within 24 hours. */
  lodged: number;
  lodgedOnTime: number;
  /** Release notices given, and those given at least 48 hours ahead. */
  notices: number;
  noticesOnTime: number;
  /** Lodgings concluded, and how. */
  concluded: number;
  custodyToIce: number;
  declinedRefused: number;
  declinedNoNotice: number;
  declinedHoldRefused: number;
  missedPickups: number;
  /** Concluded lodgings whose form asked for a hold, and those where the hold was not declined. */
  holdsAsked: number;
  holdsHonored: number;
  /** Requests sent to the jurisdiction (issued or excluded, by issue date), and two of the exclusions. */
  sent: number;
  misdirected: number;
  cancelledIssuedInError: number;
}

export const NO_COUNTS: ProfileCounts = {
  lodged: 0, lodgedOnTime: 0, notices: 0, noticesOnTime: 0, concluded: 0, custodyToIce: 0, declinedRefused: 0, declinedNoNotice: 0, declinedHoldRefused: 0,
  missedPickups: 0, holdsAsked: 0, holdsHonored: 0, sent: 0, misdirected: 0, cancelledIssuedInError: 0,
};

export function addCounts(a: ProfileCounts, b: ProfileCounts): ProfileCounts {
  const out = { ...a };
  for (const k of Object.keys(out) as (keyof ProfileCounts)[]) out[k] = a[k] + b[k];
  return out;
}

/** `rate` is null when the denominator is 0: no cases, which is not 0 %. */
export interface Ratio {
  numerator: number;
  denominator: number;
  rate: number | null;
}

export function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
}

export type Measured = Record<Exclude<ProfileKey, 'declined'>, Ratio> & { declined: Ratio & { byKind: Record<DeclineKind, number> } };

export function measuredOf(c: ProfileCounts): Measured {
  const declined = c.declinedRefused + c.declinedNoNotice + c.declinedHoldRefused;
  return {
    acknowledgedWithin24h: ratio(c.lodgedOnTime, c.lodged),
    notifiedAtLeast48h: ratio(c.noticesOnTime, c.notices),
    holdsHonored: ratio(c.holdsHonored, c.holdsAsked),
    custodyToIce: ratio(c.custodyToIce, c.concluded),
    declined: { ...ratio(declined, c.concluded), byKind: { refused: c.declinedRefused, no_notice: c.declinedNoNotice, hold_refused: c.declinedHoldRefused } },
    missedPickups: ratio(c.missedPickups, c.custodyToIce + c.missedPickups),
    misdirected: ratio(c.misdirected, c.sent),
    cancelledIssuedInError: ratio(c.cancelledIssuedInError, c.sent),
  };
}

/** Printed with the figures: what each numerator and denominator counts. */
export const PROFILE_DEFINITIONS: Record<ProfileKey, string> = {
  acknowledgedWithin24h:
    'Requests acknowledged by the agency within 24 hours of reaching it, of requests whose 24 hours ended (or that were acknowledged) in these weeks. A request withdrawn or moved unacknowledged inside its first 24 hours is not counted.',
  notifiedAtLeast48h: 'Release notices given at least 48 hours before the release, of releases scheduled (notices recorded) in these weeks. A later reschedule replaces the earlier notice.',
  holdsHonored:
    'Requests asking for a hold (I-247A, I-247D, I-247) that the agency did not decline, of such requests concluded in these weeks (custody to ICE, declined, missed pickup or released).',
  custodyToIce: 'Requests concluded by transfer to federal custody, of requests concluded in these weeks (custody to ICE, declined, missed pickup, or released to the community). Moves to another agency that carries the request on are not conclusions.',
  declined: 'Requests declined (refused; released without notice; released before the hold ended), counted when the decline was recorded, of requests concluded in these weeks.',
  missedPickups: 'Federal side: releases after a notified hold expired with no federal pickup, of the pickups the federal office had to make (custody to ICE plus missed pickups) in these weeks. Not declines.',
  misdirected: 'Federal side: requests sent to this jurisdiction for people it did not hold (answered "not in custody"), of requests sent to it, by issue date.',
  cancelledIssuedInError: 'Federal side: requests sent to this jurisdiction and cancelled as issued in error, of requests sent to it, by issue date.',
};

export const PROFILE_NOTES: readonly string[] = [
  'Each figure is numerator / denominator; a denominator of 0 is "no cases", never 0 %.',
  'Attributed to the jurisdiction of the agency that held the person at that moment (after transfers), by canonical code, never by name.',
  'Records cancelled as issued in error, wrong subject or U.S. citizen, misdirected, or excluded by an upheld dispute count only in the federal side\'s two exclusion measures.',
];

/** What a jurisdiction declared, as far as the disagreement sentences need it. */
export interface DeclaredForComparison {
  certifications: { kind: 'facility_access' | 'release_notice_48h' | 'hold_48h'; certifiedOn: string }[];
  policies: { citation: string; limitsHold: boolean; limitsNotification: boolean }[];
  programs287g: { agencyName: string; program287g: string }[];
}

/** A certification disagrees when fewer than this share of the cases meet it; a restrictive policy when at least this share do. */
const DISAGREEMENT_SHARE = 0.9;
/** A 287(g) participant disagrees when at least this share of its concluded requests were declined. */
const DECLINED_SHARE_287G = 0.1;

const pct = (r: Ratio) => `${Math.round((r.rate ?? 0) * 100)} %`;

/** Plain sentences, one per disagreement between what was declared (in force in the weeks) and what was measured. */
export function disagreementsOf(declared: DeclaredForComparison, m: Measured): string[] {
  const out: string[] = [];
  const notice = declared.certifications.find((c) => c.kind === 'release_notice_48h');
  if (notice && m.notifiedAtLeast48h.rate !== null && m.notifiedAtLeast48h.rate < DISAGREEMENT_SHARE) {
    out.push(`Certified at least 48 hours' notice of release (certified ${notice.certifiedOn}), but ${pct(m.notifiedAtLeast48h)} of releases scheduled in these weeks (${m.notifiedAtLeast48h.numerator} of ${m.notifiedAtLeast48h.denominator}) were notified that far ahead.`);
  }
  const hold = declared.certifications.find((c) => c.kind === 'hold_48h');
  if (hold && m.holdsHonored.rate !== null && m.holdsHonored.rate < DISAGREEMENT_SHARE) {
    out.push(`Certified holding people up to 48 hours on request (certified ${hold.certifiedOn}), but ${pct(m.holdsHonored)} of the requests asking for a hold (${m.holdsHonored.numerator} of ${m.holdsHonored.denominator}) were honored.`);
  }
  const limitsHold = declared.policies.find((p) => p.limitsHold);
  if (limitsHold && m.holdsHonored.rate !== null && m.holdsHonored.rate >= DISAGREEMENT_SHARE) {
    out.push(`A policy in force limits honoring holds (${limitsHold.citation}), yet ${pct(m.holdsHonored)} of the requests asking for a hold (${m.holdsHonored.numerator} of ${m.holdsHonored.denominator}) were honored.`);
  }
  const limitsNotice = declared.policies.find((p) => p.limitsNotification);
  if (limitsNotice && m.notifiedAtLeast48h.rate !== null && m.notifiedAtLeast48h.rate >= DISAGREEMENT_SHARE) {
    out.push(`A policy in force limits release notification (${limitsNotice.citation}), yet ${pct(m.notifiedAtLeast48h)} of releases scheduled (${m.notifiedAtLeast48h.numerator} of ${m.notifiedAtLeast48h.denominator}) were notified at least 48 hours ahead.`);
  }
  const program = declared.programs287g[0];
  if (program && m.declined.rate !== null && m.declined.rate >= DECLINED_SHARE_287G) {
    out.push(`${program.agencyName} takes part in 287(g) (${program.program287g.replace(/_/g, ' ')}), yet ${pct(m.declined)} of the requests concluded in these weeks (${m.declined.numerator} of ${m.declined.denominator}) were declined.`);
  }
  return out;
}
