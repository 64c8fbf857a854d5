import { formatANumber, toLocal } from '@app/domain';
import { DetainerRecord, EventRecord, LodgingRecord } from '@app/persistence';
import { DetainerEventResponse, DetainerResponse, LodgingResponse } from './dto/detainer.response';

const iso = (d: Date | null | undefined): string | undefined => (d ? d.toISOString() : undefined);

/** Instants of a lodging, in UTC and as local time at its facility. */
function localTimes(zone: string, instants: Record<string, Date | null | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(instants)) if (value) out[name] = toLocal(value, zone).localTime;
  return out;
}

function presentLodging(l: LodgingRecord): LodgingResponse {
  return {
    seq: l.seq,
    facility: l.facility,
    agency: l.agency,
    jurisdiction: l.jurisdiction,
    area: l.area,
    from: l.openedAt.toISOString(),
    to: iso(l.closedAt),
    status: l.status,
    response: l.response ?? undefined,
    responseReason: l.responseReason ?? undefined,
    policyId: l.policyId ?? undefined,
    acknowledgedAt: iso(l.acknowledgedAt),
    bookingNumber: l.bookingNumber ?? undefined,
    releaseAt: iso(l.releaseAt),
    noticeLeadHours: l.noticeLeadHours ?? undefined,
    pickupPlannedAt: iso(l.pickupPlannedAt),
    holdSince: iso(l.holdSince),
    holdExpiresAt: iso(l.holdExpiresAt),
    releasedAt: iso(l.releasedAt),
    destination: l.destination ?? undefined,
    toFacilityId: l.toFacilityId ?? undefined,
    honoredAt: iso(l.honoredAt),
    refusedAt: iso(l.refusedAt),
    identityClaim: l.identityClaim ?? undefined,
    declined: l.declined,
    declineKind: l.declineKind ?? undefined,
    declineRecordedAt: iso(l.declineRecordedAt),
    shortNotice: l.shortNotice,
    missedPickup: l.missedPickup,
    timeZone: l.facility.timeZone,
    localTimes: localTimes(l.facility.timeZone, {
      from: l.openedAt, to: l.closedAt, acknowledgedAt: l.acknowledgedAt, releaseAt: l.releaseAt, pickupPlannedAt: l.pickupPlannedAt,
      holdSince: l.holdSince, holdExpiresAt: l.holdExpiresAt, releasedAt: l.releasedAt, declineRecordedAt: l.declineRecordedAt,
    }),
  };
}

function presentEvent(e: EventRecord, zoneOf: (lodging: number) => string | undefined): DetainerEventResponse {
  const zone = zoneOf(e.lodging);
  return {
    seq: e.seq,
    version: e.version,
    lodging: e.lodging,
    kind: e.kind,
    occurredAt: e.occurredAt.toISOString(),
    recordedAt: e.recordedAt.toISOString(),
    ...(zone ? { localTime: toLocal(e.occurredAt, zone).localTime, timeZone: zone } : {}),
    actor: e.actor,
    source: e.source,
    data: e.data,
  };
}

/**
 * The detainer as the API contract shapes it. Top-level lodging fields are those of the lodging the
 * caller sees as current (for an agency that handed the person on: its own last one).
 */
export function presentDetainer(d: DetainerRecord): DetainerResponse {
  const current = d.lodgings[d.lodgings.length - 1];
  const declined = [...d.lodgings].reverse().find((l) => l.declined);
  const zone = current.facility.timeZone;
  return {
    id: d.id,
    type: d.form,
    status: d.status,
    version: d.version,
    lodgings: d.lodgings.map(presentLodging),
    declined: declined !== undefined,
    declineKind: declined?.declineKind ?? undefined,
    declineRecordedAt: iso(declined?.declineRecordedAt),
    shortNotice: current.shortNotice,
    missedPickup: current.missedPickup,
    ...(d.subject
      ? {
          subject: {
            id: d.subject.id,
            aNumber: d.subject.aNumber ? formatANumber(d.subject.aNumber) : undefined,
            fbiNumber: d.subject.fbiNumber ?? undefined,
            stateId: d.subject.stateId ?? undefined,
            familyName: d.subject.familyName,
            givenName: d.subject.givenName,
            dateOfBirth: d.subject.dateOfBirth,
            sex: d.subject.sex ?? undefined,
            citizenship: d.subject.citizenship,
          },
        }
      : {}),
    facility: current.facility,
    agency: current.agency,
    jurisdiction: current.jurisdiction,
    area: d.area,
    issuingOfficerId: d.issuingOfficerId ?? undefined,
    issuedAt: d.issuedAt.toISOString(),
    recordedAt: d.recordedAt.toISOString(),
    channel: d.channel,
    warrant: d.warrant ?? undefined,
    probableCause: d.probableCause,
    charges: d.charges,
    acknowledgedAt: iso(current.acknowledgedAt),
    response: current.response ?? undefined,
    bookingNumber: current.bookingNumber ?? undefined,
    releaseAt: iso(current.releaseAt),
    noticeLeadHours: current.noticeLeadHours ?? undefined,
    pickupPlannedAt: iso(current.pickupPlannedAt),
    holdSince: iso(current.holdSince),
    holdExpiresAt: iso(current.holdExpiresAt),
    releasedAt: iso(current.releasedAt),
    destination: current.destination ?? undefined,
    cancelReason: d.cancelReason ?? undefined,
    cancelNote: d.cancelNote ?? undefined,
    cancelledAt: iso(d.cancelledAt),
    outcome: d.outcome ? { kind: d.outcome.kind, at: d.outcome.at.toISOString(), relatedDetainerId: d.outcome.relatedDetainerId ?? undefined } : undefined,
    timeZone: zone,
    localTimes: localTimes(zone, {
      issuedAt: d.issuedAt, acknowledgedAt: current.acknowledgedAt, releaseAt: current.releaseAt, pickupPlannedAt: current.pickupPlannedAt,
      holdSince: current.holdSince, holdExpiresAt: current.holdExpiresAt, releasedAt: current.releasedAt,
      declineRecordedAt: declined?.declineRecordedAt, cancelledAt: d.cancelledAt,
    }),
    ...(d.events ? { events: d.events.map((e) => presentEvent(e, (seq) => d.lodgings.find((l) => l.seq === seq)?.facility.timeZone)) } : {}),
  };
}
