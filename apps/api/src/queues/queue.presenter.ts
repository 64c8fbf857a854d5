import { formatANumber, QueueAction, queueItemActions, QUEUES, Role, toLocal } from '@app/domain';
import { QueueClaimRecord, QueueItemRecord, QueueSummaryRecord } from '@app/persistence';
import { ClaimResponse, QueueItemAction, QueueItemResponse, QueueSummaryResponse } from './queue.responses';

const iso = (d: Date | null | undefined): string | undefined => (d ? d.toISOString() : undefined);

/** Where each action of a queue item is taken over the API (null: not reachable from this build). */
function pathOf(action: QueueAction, item: QueueItemRecord): string | null {
  const detainer = `/api/v1/detainers/${item.detainerId}`;
  const queueItem = `/api/v1/queues/${item.queue}/items/${item.detainerId}`;
  switch (action) {
    case 'claim':
      return `${queueItem}/claim`;
    case 'assign':
      return `${queueItem}/assign`;
    case 'release_claim':
      return `${queueItem}/release-claim`;
    case 'plan_pickup':
      return `${detainer}/plan-pickup`;
    case 'cancel':
      return `${detainer}/cancel`;
    case 'transfer_to_ice':
      return `${detainer}/transfer-to-ice`;
    case 'record_outcome':
      return `${detainer}/outcome`;
    case 'decide_identity_claim':
      return `${detainer}/decide-identity-claim`;
    case 'acknowledge':
    case 'report_not_in_custody':
    case 'schedule_release':
    case 'start_hold':
    case 'release':
    case 'refuse':
    case 'record_decline':
    case 'claim_citizenship':
    case 'dispute_identity':
    case 'resolve_dispute':
    case 'retry_delivery':
      return null;
    default: {
      const never: never = action;
      return never;
    }
  }
}

export function presentClaim(claim: QueueClaimRecord | null, timeZone: string): ClaimResponse | null {
  if (!claim) return null;
  return {
    holder: { id: claim.holder.id, username: claim.holder.username, ...(claim.holder.displayName && { displayName: claim.holder.displayName }) },
    claimedAt: claim.claimedAt.toISOString(),
    localTime: toLocal(claim.claimedAt, timeZone).localTime,
    timeZone,
    claimedBy: claim.claimedBy ?? undefined,
  };
}

export function presentQueueItem(item: QueueItemRecord, viewer: { id: string; role: Role }): QueueItemResponse {
  const zone = item.facility.timeZone;
  const local = (d: Date | null) => (d ? toLocal(d, zone).localTime : undefined);
  const facts = { identityClaimOpen: item.status === 'disputed', openRecordDisputes: item.openDisputes.length, failedDeliveries: item.failedDeliveries.length };
  const actions = queueItemActions(item.queue, viewer, item.claim?.holder.id ?? null, facts).flatMap((name): QueueItemAction[] => {
    // one resolve action per open record dispute, one retry per failed delivery
    if (name === 'resolve_dispute') {
      return item.openDisputes.map((d) => ({ name, method: 'POST' as const, path: `/api/v1/disputes/${d.id}/resolve`, disputeId: d.id }));
    }
    if (name === 'retry_delivery') {
      return item.failedDeliveries.map((d) => ({ name, method: 'POST' as const, path: `/api/v1/deliveries/${d.id}/retry`, deliveryId: d.id }));
    }
    const path = pathOf(name, item);
    return path ? [{ name, method: 'POST' as const, path }] : [];
  });
  return {
    queue: item.queue,
    detainerId: item.detainerId,
    version: item.version,
    type: item.form,
    status: item.status,
    dueAt: item.dueAt.toISOString(),
    localTime: toLocal(item.dueAt, zone).localTime,
    timeZone: zone,
    facility: item.facility,
    agency: item.agency,
    jurisdiction: item.jurisdiction,
    area: item.area,
    issuingArea: item.issuingArea,
    subject: {
      id: item.subject.id,
      familyName: item.subject.familyName,
      givenName: item.subject.givenName,
      aNumber: item.subject.aNumber ? formatANumber(item.subject.aNumber) : undefined,
    },
    lodging: item.lodgingSeq,
    issuedAt: item.issuedAt.toISOString(),
    lodgedAt: item.lodgedAt.toISOString(),
    acknowledgedAt: iso(item.acknowledgedAt),
    releaseAt: iso(item.releaseAt),
    noticeLeadHours: item.noticeLeadHours ?? undefined,
    pickupPlannedAt: iso(item.pickupPlannedAt),
    holdSince: iso(item.holdSince),
    holdExpiresAt: iso(item.holdExpiresAt),
    releasedAt: iso(item.releasedAt),
    declineKind: item.declineKind ?? undefined,
    declineRecordedAt: iso(item.declineRecordedAt),
    identityClaim: item.identityClaim ?? undefined,
    ...(item.queue === 'disputes' && {
      disputes: item.openDisputes.map((d) => ({
        id: d.id,
        lodging: d.lodging,
        agency: d.agency,
        reason: d.reason,
        openedAt: d.openedAt.toISOString(),
        localTime: toLocal(d.openedAt, d.timeZone).localTime,
        timeZone: d.timeZone,
      })),
    }),
    ...(item.queue === 'failed_deliveries' && {
      deliveries: item.failedDeliveries.map((d) => ({
        id: d.id,
        channel: d.channel,
        reminderKind: d.reminderKind,
        recipient: d.recipient,
        address: d.address ?? undefined,
        attempts: d.attempts,
        lastError: d.lastError ?? undefined,
        failedAt: d.failedAt.toISOString(),
        localTime: toLocal(d.failedAt, d.timeZone).localTime,
        timeZone: d.timeZone,
      })),
    }),
    localTimes: Object.fromEntries(
      Object.entries({
        issuedAt: local(item.issuedAt), lodgedAt: local(item.lodgedAt), acknowledgedAt: local(item.acknowledgedAt), releaseAt: local(item.releaseAt),
        pickupPlannedAt: local(item.pickupPlannedAt), holdSince: local(item.holdSince), holdExpiresAt: local(item.holdExpiresAt),
        releasedAt: local(item.releasedAt), declineRecordedAt: local(item.declineRecordedAt),
      }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
    claim: presentClaim(item.claim, zone),
    actions,
  };
}

export function presentQueueSummary(s: QueueSummaryRecord): QueueSummaryResponse {
  const def = QUEUES[s.name];
  return {
    name: s.name,
    title: def.title,
    rule: def.rule,
    count: s.count,
    oldestDueAt: s.oldestDueAt ? s.oldestDueAt.toISOString() : null,
    ...(s.oldestDueAt && s.oldestTimeZone ? { localTime: toLocal(s.oldestDueAt, s.oldestTimeZone).localTime, timeZone: s.oldestTimeZone } : {}),
  };
}
