/**
 * The decline rule. A request is declined when the agency refused it, or when custody ended other than
 * by transfer to federal custody or to another agency that carries the request on, and something it
 * asked for was not done. Short notice and missed pickups are reported apart from declines: the 2017
 * reports were criticised for mixing them.
 */
import { isShortNotice } from '../time/timing';
import { FORM_RULES } from './forms';
import type { DeclineKind, DetainerForm, DetainerState, LodgingState } from './types';

export interface LodgingAssessment {
  declined: boolean;
  declineKind?: DeclineKind;
  declineRecordedAt?: Date;
  shortNotice: boolean;
  missedPickup: boolean;
}

/** What the facts of a finished (or refused) lodging say was not done, if anything. */
function kindFromFacts(form: DetainerForm, l: LodgingState): DeclineKind | undefined {
  const rules = FORM_RULES[form];
  if (refusalStands(l)) return 'refused';
  // A notification counts only if the system had it by the time of the release.
  const notified = l.firstNoticeRecordedAt !== undefined && l.releasedAt !== undefined && l.firstNoticeRecordedAt <= l.releasedAt;
  if (rules.asksNotice && !notified) return 'no_notice';
  if (rules.asksHold && !heldToExpiry(l)) return 'hold_refused';
  return undefined;
}

/** A fact recorded at `recordedAt` may still found a decline unless an upheld dispute retracted it later. */
function notRetracted(l: LodgingState, recordedAt: Date | undefined): boolean {
  return l.declineRetraction === undefined || (recordedAt !== undefined && recordedAt.getTime() > l.declineRetraction.at.getTime());
}

/** A refusal (in custody, or a will_not_comply answer) that no upheld dispute withdrew. */
function refusalStands(l: LodgingState): boolean {
  if (l.refusedAt !== undefined && notRetracted(l, l.refusedRecordedAt)) return true;
  return l.response === 'will_not_comply' && notRetracted(l, l.acknowledgedAt);
}

function heldToExpiry(l: LodgingState): boolean {
  return l.holdSince !== undefined && l.holdExpiresAt !== undefined && l.releasedAt !== undefined && l.releasedAt >= l.holdExpiresAt;
}

export function assessLodging(form: DetainerForm, lodging: LodgingState): LodgingAssessment {
  const shortNotice = lodging.noticeLeadHours !== undefined && isShortNotice(lodging.noticeLeadHours);
  const notDeclined: LodgingAssessment = { declined: false, shortNotice, missedPickup: false };

  // Honored: nothing can be declined afterwards. Misdirected: the agency never held the person.
  if (lodging.status === 'honored' || lodging.status === 'misdirected' || lodging.honoredAt !== undefined) return notDeclined;

  // The federal release says only how a request was lifted, not whether notice was given or a hold
  // kept: an imported lodging is declined exactly when ICE recorded a decline ("Detainer Declined by LEA").
  if (lodging.imported) {
    const report = lodging.declineReports[0];
    if (report === undefined) return notDeclined;
    const kind: DeclineKind = FORM_RULES[form].asksHold ? 'hold_refused' : 'no_notice';
    return { declined: true, declineKind: kind, declineRecordedAt: report.recordedAt, shortNotice, missedPickup: false };
  }

  // A refusal in custody counts when recorded, whatever happens next (release, transfer, cancellation).
  if (lodging.refusedAt !== undefined && lodging.refusedRecordedAt !== undefined && notRetracted(lodging, lodging.refusedRecordedAt)) {
    return { declined: true, declineKind: 'refused', declineRecordedAt: lodging.refusedRecordedAt, shortNotice, missedPickup: false };
  }
  if (lodging.status === 'cancelled' || lodging.status === 'transferred') return notDeclined;

  const releasedToCommunity = lodging.destination === 'community' && lodging.releasedAt !== undefined;
  const kind = kindFromFacts(form, lodging);
  if (releasedToCommunity && kind !== undefined && lodging.releaseRecordedAt !== undefined && notRetracted(lodging, lodging.releaseRecordedAt)) {
    return { declined: true, declineKind: kind, declineRecordedAt: lodging.releaseRecordedAt, shortNotice, missedPickup: false };
  }
  const firstReport = lodging.declineReports.find((r) => notRetracted(lodging, r.recordedAt));
  if (firstReport !== undefined) {
    const fallback: DeclineKind = FORM_RULES[form].asksHold ? 'hold_refused' : 'no_notice';
    return { declined: true, declineKind: kind ?? fallback, declineRecordedAt: firstReport.recordedAt, shortNotice, missedPickup: false };
  }
  const missedPickup = releasedToCommunity && FORM_RULES[form].asksHold && heldToExpiry(lodging);
  return { ...notDeclined, missedPickup };
}

export type DetainerDeclineSummary = LodgingAssessment;

/**
 * Across lodgings: declined if any lodging is, with the kind and date of the latest declined lodging;
 * short notice and missed pickup are the current lodging's.
 */
export function detainerDeclineSummary(state: DetainerState): DetainerDeclineSummary {
  const current = state.lodgings[state.lodgings.length - 1];
  const declined = state.lodgings.filter((l) => l.declined);
  const latest = declined[declined.length - 1];
  return {
    declined: latest !== undefined,
    ...(latest?.declineKind !== undefined && { declineKind: latest.declineKind }),
    ...(latest?.declineRecordedAt !== undefined && { declineRecordedAt: latest.declineRecordedAt }),
    shortNotice: current?.shortNotice ?? false,
    missedPickup: current?.missedPickup ?? false,
  };
}
