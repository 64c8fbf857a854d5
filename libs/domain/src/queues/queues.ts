/**
 * The supervisors' compliance queues: what each one means, when its items are due, and what a person
 * can do from it. Membership itself is computed in SQL from the records as of `now` (see the queue
 * repository), so nothing here is stored and nothing can drift; these constants are its parameters.
 */
import { ACTION_ROLES } from '../detainer/decider';
import { RECORD_DISPUTE_ROLES } from '../detainer/record-disputes';
import { type ActionName, type QueueName, QUEUE_NAMES, type Role } from '../detainer/types';
import { NOTICE_HOURS } from '../time/timing';

/** A detainer not acknowledged this long after its lodging opened is overdue. */
export const UNACKNOWLEDGED_AFTER_HOURS = 24;
/** A release this close with no pickup planned needs a person (the 48 hours of the notice rule). */
export const RELEASE_SOON_WITHIN_HOURS = NOTICE_HOURS;
/** A hold ending this soon needs a person (the first hold reminder goes out then). */
export const HOLD_EXPIRING_WITHIN_HOURS = 12;

/** Actions on a queue item that are not lifecycle actions of the detainer. */
export const CLAIM_ACTIONS = ['claim', 'assign', 'release_claim'] as const;
export type ClaimAction = (typeof CLAIM_ACTIONS)[number];
/** Actions of other records (a record dispute, a reminder delivery) reachable from a queue. */
export type RelatedAction = 'resolve_dispute' | 'retry_delivery';
export type QueueAction = ActionName | ClaimAction | RelatedAction;

export interface QueueDefinition {
  name: QueueName;
  title: string;
  /** What membership means, in words: the SQL implements exactly this. */
  rule: string;
  /** What the due time of an item is; items are ordered by it, earliest first. */
  due: string;
  /** Lifecycle actions that resolve an item, as far as the caller's role allows. */
  actions: readonly ActionName[];
  related: readonly RelatedAction[];
}

export const QUEUES: Readonly<Record<QueueName, QueueDefinition>> = {
  unacknowledged: {
    name: 'unacknowledged',
    title: 'Unacknowledged over 24 hours',
    rule: `The current lodging is still 'issued' (the agency has not acknowledged it) ${UNACKNOWLEDGED_AFTER_HOURS} hours or more after it opened (issue, or arrival at the receiving agency after a transfer).`,
    due: `${UNACKNOWLEDGED_AFTER_HOURS} hours after the lodging opened`,
    actions: ['plan_pickup', 'cancel'],
    related: [],
  },
  release_soon_no_pickup: {
    name: 'release_soon_no_pickup',
    title: 'Release within 48 hours, no pickup planned',
    rule: `The current lodging has a release scheduled at most ${RELEASE_SOON_WITHIN_HOURS} hours from now (or already past but not recorded) and no pickup planned.`,
    due: 'the scheduled release',
    actions: ['plan_pickup', 'cancel'],
    related: [],
  },
  hold_expiring: {
    name: 'hold_expiring',
    title: 'Hold expiring within 12 hours',
    rule: `The person is held on the detainer and the hold ends at most ${HOLD_EXPIRING_WITHIN_HOURS} hours from now (or has ended and no release or transfer is recorded yet).`,
    due: 'the hold deadline',
    actions: ['plan_pickup', 'transfer_to_ice'],
    related: [],
  },
  short_notice: {
    name: 'short_notice',
    title: 'Short-notice releases',
    rule: `A release still to happen was notified less than ${NOTICE_HOURS} hours ahead (short notice) and no pickup is planned.`,
    due: 'the scheduled release',
    actions: ['plan_pickup'],
    related: [],
  },
  decline_no_outcome: {
    name: 'decline_no_outcome',
    title: 'Declines without an outcome',
    rule: 'A lodging of the detainer was declined, custody has ended (released, or honored later at another agency), and no outcome is recorded.',
    due: 'when the decline was recorded',
    actions: ['record_outcome'],
    related: [],
  },
  disputes: {
    name: 'disputes',
    title: 'Disputes awaiting decision',
    rule: 'A citizenship or identity claim suspends the detainer until a supervisor decides it, or an agency has disputed a record about it and no supervisor has upheld or rejected the dispute yet. One item per detainer.',
    due: 'when the earliest open claim or dispute was made',
    actions: ['decide_identity_claim', 'cancel'],
    related: ['resolve_dispute'],
  },
  failed_deliveries: {
    name: 'failed_deliveries',
    title: 'Reminders that failed to deliver',
    rule: "A reminder e-mail or webhook failed after its last attempt and has not been retried. One item per detainer; the issuing AOR's (the reminders are its).",
    due: 'when the first of its deliveries failed',
    actions: [],
    related: ['retry_delivery'],
  },
  booked_elsewhere: {
    name: 'booked_elsewhere',
    title: 'Booked by another agency',
    rule: "Another agency's jail system reported booking the person (by A-number or FBI number) while the current lodging, with a different agency, is still open: the request may be misdirected, or a transfer went unreported. One item per detainer; the issuing AOR's (the alert is its). It leaves the queue when that lodging closes.",
    due: 'when the earliest such booking happened',
    actions: ['cancel'],
    related: [],
  },
};

export function isQueueName(value: string): value is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(value);
}

/** Who may claim, assign and release claims. Claims are federal queue work: jail staff take none. */
export const CLAIM_ROLES: Readonly<Record<ClaimAction, readonly Role[]>> = {
  claim: ['officer', 'supervisor'],
  assign: ['supervisor'],
  release_claim: ['officer', 'supervisor'],
};

/** What is open on an item, where a queue's actions depend on it (disputes: which kinds await a decision). */
export interface QueueItemFacts {
  identityClaimOpen: boolean;
  openRecordDisputes: number;
  failedDeliveries: number;
}

/**
 * The actions a viewer can take from an item of `queue`, given who holds it. Claims are advisory:
 * they show who is working an item, they do not lock others out of acting on a time-critical case.
 */
export function queueItemActions(queue: QueueName, viewer: { id: string; role: Role }, holderId: string | null, facts: QueueItemFacts): QueueAction[] {
  const def = QUEUES[queue];
  const claims: ClaimAction[] = [];
  if (CLAIM_ROLES.claim.includes(viewer.role) && holderId === null) claims.push('claim');
  if (CLAIM_ROLES.assign.includes(viewer.role)) claims.push('assign');
  if (holderId !== null && (holderId === viewer.id || viewer.role === 'supervisor')) claims.push('release_claim');
  const offered = queue === 'disputes' && !facts.identityClaimOpen ? [] : def.actions;
  const lifecycle = offered.filter((a) => ACTION_ROLES[a].includes(viewer.role));
  const related = def.related.filter((a) => {
    switch (a) {
      case 'resolve_dispute':
        return facts.openRecordDisputes > 0 && (RECORD_DISPUTE_ROLES.resolve_record_dispute as readonly Role[]).includes(viewer.role);
      case 'retry_delivery':
        return facts.failedDeliveries > 0 && viewer.role === 'supervisor';
      default: {
        const never: never = a;
        return never;
      }
    }
  });
  return [...claims, ...lifecycle, ...related];
}
