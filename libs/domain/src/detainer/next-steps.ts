import { allowedActions, currentLodging } from './decider';
import type { ActionName, DetainerState, LodgingStatus, Role } from './types';

/**
 * The step the lifecycle expects next in each status of the current lodging: what a screen offers
 * first. Every other allowed action (a refusal, a claim, a cancellation, a late-learned decline) is
 * an exception to the normal course, still allowed but offered second.
 */
export const NEXT_STEPS: Record<LodgingStatus, readonly ActionName[]> = {
  issued: ['acknowledge', 'report_not_in_custody'],
  acknowledged: ['schedule_release', 'start_hold', 'plan_pickup'],
  release_scheduled: ['schedule_release', 'start_hold', 'plan_pickup', 'transfer_to_ice', 'release'],
  held: ['plan_pickup', 'transfer_to_ice', 'release'],
  refused: ['release'],
  disputed: ['decide_identity_claim'],
  honored: ['record_outcome'],
  released: ['record_outcome'],
  transferred: [],
  misdirected: [],
  cancelled: [],
};

/** The allowed actions (state guards and role, from the decider) that are the expected next step; in allowedActions' order. */
export function nextSteps(state: DetainerState | null, role?: Role | 'system'): ActionName[] {
  if (state === null) return [];
  const expected = NEXT_STEPS[currentLodging(state).status];
  return allowedActions(state, role).filter((a) => expected.includes(a));
}
