import { ACTION_NAMES, allowedActions } from './decider';
import { NEXT_STEPS, nextSteps } from './next-steps';
import { Scenario } from './scenario.fixture';
import { type DetainerState, LODGING_STATUSES, ROLES } from './types';

const acknowledged = () => Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
const STATES: Record<string, () => Scenario> = {
  issued: () => Scenario.issued(),
  acknowledged,
  release_scheduled: () => acknowledged().do({ type: 'schedule_release', releaseAt: new Date('2018-03-10T17:00:00Z') }),
  held: () => {
    const s = acknowledged();
    return s.do({ type: 'start_hold', since: s.now });
  },
  refused: () => {
    const s = acknowledged();
    return s.do({ type: 'refuse', at: s.now, reason: 'county policy' });
  },
  disputed: () => acknowledged().do({ type: 'claim_citizenship', note: 'US passport' }),
  honored: () => {
    const s = acknowledged();
    return s.do({ type: 'transfer_to_ice', at: s.now });
  },
  cancelled: () => Scenario.issued().advance(1).do({ type: 'cancel', reason: 'issued_in_error' }),
};
const state = (name: string): DetainerState => STATES[name]().detainer;

describe('nextSteps', () => {
  it('names a step for every status, only real actions', () => {
    expect(Object.keys(NEXT_STEPS).sort()).toEqual([...LODGING_STATUSES].sort());
    for (const list of Object.values(NEXT_STEPS)) for (const a of list) expect(ACTION_NAMES).toContain(a);
  });

  it.each(Object.keys(STATES))('in %s: for every role, a subset of allowedActions in its order', (name) => {
    const s = state(name);
    expect(s.lodgings.at(-1)!.status).toBe(name);
    for (const role of [...ROLES, 'system' as const, undefined]) {
      const allowed = allowedActions(s, role);
      const next = nextSteps(s, role);
      expect(allowed.filter((a) => next.includes(a))).toEqual(next);
    }
  });

  it('an unacknowledged detainer offers the jail two steps first, not the eight it allows', () => {
    const s = state('issued');
    expect(allowedActions(s, 'jail_staff')).toHaveLength(8);
    expect(nextSteps(s, 'jail_staff')).toEqual(['acknowledge', 'report_not_in_custody']);
    expect(nextSteps(s, 'officer')).toEqual([]);
  });

  it('follows the course: release date, then custody or release; a dispute is decided; an end state only records the outcome', () => {
    expect(nextSteps(state('acknowledged'), 'jail_staff')).toEqual(['schedule_release', 'start_hold']);
    expect(nextSteps(state('acknowledged'), 'officer')).toEqual(['plan_pickup']);
    expect(nextSteps(state('release_scheduled'), 'jail_staff')).toEqual(['schedule_release', 'start_hold', 'transfer_to_ice', 'release']);
    expect(nextSteps(state('held'), 'jail_staff')).toEqual(['transfer_to_ice', 'release']);
    expect(nextSteps(state('disputed'), 'supervisor')).toEqual(['decide_identity_claim']);
    expect(nextSteps(state('honored'), 'officer')).toEqual(['record_outcome']);
    expect(nextSteps(state('cancelled'), 'supervisor')).toEqual([]);
    expect(nextSteps(null)).toEqual([]);
  });
});
