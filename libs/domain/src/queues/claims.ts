/**
 * Claims on compliance-queue items, as a small decider of their own.
 *
 * A claim says who is working an item of one queue for the detainer's current lodging. It is the
 * supervisors' work state, not a fact about the request: it has its own append-only history
 * (`queue_claim_events`), apart from the detainer's event stream, and it never touches the
 * detainer's version. So a supervisor claiming an item never makes a jail's action with an
 * `expectedVersion` read a moment earlier fail with a 409, and no agency ever sees a claim. Claim
 * races are settled by the caller serialising the claims of one detainer (row lock), after which
 * the second claimant sees the first claim here and is refused.
 *
 * Queue membership (is the item in the queue now?) is derived in SQL; the caller checks it first.
 */
import { refuseImported } from '../import/ice-release';
import { DomainError } from '../errors';
import { currentLodging } from '../detainer/decider';
import type { Actor, CommandContext, DetainerState, EventSource, QueueName, Role } from '../detainer/types';
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

/** The latest claim taken on a detainer's item of one queue. */
export interface QueueClaim {
  holderId: string;
  claimedAt: Date;
  /** Who took the claim: the holder, or the supervisor who assigned it (null for the system). */
  claimedBy: string | null;
  /** The lodging it was taken on: it holds only while that lodging is the current one. */
  lodging: number;
}

/** One entry of a detainer's claim history. */
export type QueueClaimEvent = {
  queue: QueueName;
  /** The lodging whose item it concerns (the current one when it was recorded). */
  lodging: number;
  /** The detainer's version when it was recorded: shown with it in the timeline, never bumped by it. */
  version: number;
  recordedAt: Date;
  actor: Actor;
  source: EventSource;
} & (
  /** Taken (claim) or given (assign); `previousHolderId`: whom an assignment took it from. */
  | { kind: 'claimed'; holderId: string; previousHolderId?: string }
  | { kind: 'released'; holderId: string }
);

export type ClaimDecision = { ok: true; events: QueueClaimEvent[] } | { ok: false; error: DomainError };

/** A detainer's latest claim per queue, whichever lodging it was taken on. */
export type QueueClaims = Partial<Record<QueueName, QueueClaim>>;

export function evolveClaims(claims: QueueClaims, e: QueueClaimEvent): QueueClaims {
  switch (e.kind) {
    case 'claimed':
      return { ...claims, [e.queue]: { holderId: e.holderId, claimedAt: e.recordedAt, claimedBy: e.actor.id, lodging: e.lodging } };
    case 'released': {
      const { [e.queue]: _released, ...rest } = claims;
      return rest;
    }
    default: {
      const never: never = e;
      throw new Error(`Unhandled claim event ${JSON.stringify(never)}`);
    }
  }
}

export function replayClaims(events: readonly QueueClaimEvent[]): QueueClaims {
  return events.reduce<QueueClaims>(evolveClaims, {});
}

/**
 * The claim that holds `lodging`'s item: a claim taken on an earlier lodging belonged to the agency
 * that handed the person on, so a new lodging starts unclaimed.
 */
export function claimHolding(claim: QueueClaim | null | undefined, lodging: number): QueueClaim | null {
  return claim && claim.lodging === lodging ? claim : null;
}

/**
 * Decides a claim command on `state` (the detainer as its events make it), given the latest claim on
 * its item of the command's queue. No events (`ok` with none) means it is already so: claims are
 * idempotent.
 */
export function decideClaim(state: DetainerState | null, latest: QueueClaim | null, command: QueueClaimCommand, ctx: CommandContext): ClaimDecision {
  try {
    return { ok: true, events: decideClaimOrThrow(state, latest, command, ctx) };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, error };
    throw error;
  }
}

function decideClaimOrThrow(state: DetainerState | null, latest: QueueClaim | null, command: QueueClaimCommand, ctx: CommandContext): QueueClaimEvent[] {
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
  const held = claimHolding(latest, lodging.seq);
  const meta = {
    queue: command.queue,
    lodging: lodging.seq,
    version: state.version,
    recordedAt: now,
    actor,
    source: ctx.source ?? (actor.role === 'system' ? 'system' : 'ice_observed'),
  } as const;
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
      return [{ ...meta, kind: 'claimed', holderId: actor.id }];
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
      return [{ ...meta, kind: 'claimed', holderId: assignee.id, ...(held && { previousHolderId: held.holderId }) }];
    }
    case 'release_claim': {
      if (!held) return [];
      if (held.holderId !== actor.id && actor.role !== 'supervisor' && actor.role !== 'system') {
        throw new DomainError('forbidden', "Only the holder or a supervisor may release someone's claim.", { queue: command.queue, holderId: held.holderId });
      }
      return [{ ...meta, kind: 'released', holderId: held.holderId }];
    }
    default: {
      const never: never = command;
      throw new Error(`Unhandled claim command ${JSON.stringify(never)}`);
    }
  }
}
