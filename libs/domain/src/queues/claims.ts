/**
 * Claims on compliance-queue items, as a small decider beside the lifecycle's.
 *
 * A claim says who is working an item of one queue for the detainer's current lodging. It is
 * recorded as an event in the detainer's timeline but it is not a change to the detainer: the
 * events carry the detainer's current version and never bump it. So a supervisor claiming an item
 * never makes a jail's action with an `expectedVersion` read a moment earlier fail with a 409; the
 * jail did not miss anything that concerns it. Claim races are settled by the caller serialising
 * the writes of one detainer's events (row lock), after which the second claimant sees the first
 * claim here and is refused.
 *
 * Queue membership (is the item in the queue now?) is derived in SQL; the caller checks it first.
 */
import { refuseImported } from '../import/ice-release';
import { DomainError } from '../errors';
import { currentLodging, type Decision } from '../detainer/decider';
import type { CommandContext, DetainerEvent, DetainerEventBody, DetainerState, QueueClaim, QueueName, Role } from '../detainer/types';
import { formatLocal } from '../time/local-time';
import { type ClaimAction, CLAIM_ROLES } from './queues';

/** A user an item can be assigned to, as the caller looked them up. */
export interface Assignee {
  id: string;
  role: Role;
  areaId: string | null;
}

export type QueueClaimCommand =
  /** The actor takes the item. */
  | { type: 'claim'; queue: QueueName }
  /**
   * A supervisor gives the item to an officer or supervisor of an AOR the detainer concerns, taking it
   * over from whoever holds it. `expectedHolderId` (null: "unclaimed") guards against a concurrent change.
   */
  | { type: 'assign'; queue: QueueName; assignee: Assignee; expectedHolderId?: string | null }
  /** The holder lets go of the item, or a supervisor releases someone else's claim. */
  | { type: 'release_claim'; queue: QueueName };

/** The claim on the current lodging's item of `queue`, if any. */
export function claimOn(state: DetainerState, queue: QueueName): QueueClaim | undefined {
  return currentLodging(state).claims?.[queue];
}

/** Decides a claim command. No events (`ok` with none) means it is already so: claims are idempotent. */
export function decideClaim(state: DetainerState | null, command: QueueClaimCommand, ctx: CommandContext): Decision {
  try {
    return { ok: true, events: decideClaimOrThrow(state, command, ctx) };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, error };
    throw error;
  }
}

function decideClaimOrThrow(state: DetainerState | null, command: QueueClaimCommand, ctx: CommandContext): DetainerEvent[] {
  if (state !== null) refuseImported(state, command.type);
  const { actor, now } = ctx;
  const action: ClaimAction = command.type;
  if (actor.role !== 'system' && !CLAIM_ROLES[action].includes(actor.role)) {
    const allowed = CLAIM_ROLES[action];
    throw new DomainError('forbidden', `Role '${actor.role}' may not ${action.replace('_', ' ')} a queue item (allowed: ${allowed.join(', ')}).`, {
      role: actor.role,
      action,
      allowedRoles: [...allowed],
    });
  }
  if (state === null) throw new DomainError('not_found', 'No detainer with this id.');

  const lodging = currentLodging(state);
  const zone = lodging.place.timeZone;
  const held = lodging.claims?.[command.queue];
  const event = (body: DetainerEventBody): DetainerEvent => ({
    version: state.version,
    lodging: lodging.seq,
    occurredAt: now,
    recordedAt: now,
    actor,
    source: ctx.source ?? (actor.role === 'system' ? 'system' : 'ice_observed'),
    ...body,
  });
  const heldBy = (claim: QueueClaim) =>
    new DomainError('conflict', `This item is already claimed (since ${formatLocal(claim.claimedAt, zone)}); a supervisor can reassign it.`, {
      queue: command.queue,
      holderId: claim.holderId,
      claimedAt: claim.claimedAt.toISOString(),
    });

  switch (command.type) {
    case 'claim': {
      if (actor.id === null) throw DomainError.invalidInput('holder', 'Only a person can hold a queue item; assign it to one.');
      if (held?.holderId === actor.id) return [];
      if (held) throw heldBy(held);
      return [event({ kind: 'queue_item_claimed', data: { queue: command.queue, holderId: actor.id } })];
    }
    case 'assign': {
      const { assignee, expectedHolderId } = command;
      if (expectedHolderId !== undefined && expectedHolderId !== (held?.holderId ?? null)) {
        throw new DomainError('conflict', 'The item changed hands since you looked: reload it and try again.', {
          queue: command.queue,
          holderId: held?.holderId ?? null,
          expectedHolderId,
        });
      }
      if (assignee.role !== 'officer' && assignee.role !== 'supervisor') {
        throw DomainError.invalidInput('assigneeId', `Queue items go to officers and supervisors, not to a user with role '${assignee.role}'.`);
      }
      const areas = new Set([state.areaId, lodging.place.areaId]);
      if (assignee.areaId === null || !areas.has(assignee.areaId)) {
        throw DomainError.invalidInput('assigneeId', "The assignee's AOR neither issued this detainer nor holds the facility where the person is.");
      }
      if (held?.holderId === assignee.id) return [];
      const data = { queue: command.queue, holderId: assignee.id, ...(held && { previousHolderId: held.holderId }) };
      return [event({ kind: 'queue_item_claimed', data })];
    }
    case 'release_claim': {
      if (!held) return [];
      if (held.holderId !== actor.id && actor.role !== 'supervisor' && actor.role !== 'system') {
        throw new DomainError('forbidden', "Only the holder or a supervisor may release someone's claim.", { queue: command.queue, holderId: held.holderId });
      }
      return [event({ kind: 'queue_claim_released', data: { queue: command.queue, holderId: held.holderId } })];
    }
    default: {
      const never: never = command;
      throw new Error(`Unhandled claim command ${JSON.stringify(never)}`);
    }
  }
}
