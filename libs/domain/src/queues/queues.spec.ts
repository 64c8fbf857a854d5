import { allowedActions } from '../detainer/decider';
import { Scenario } from '../detainer/scenario.fixture';
import { type DetainerState, QUEUE_NAMES, type QueueName, ROLES } from '../detainer/types';
import { isQueueName, queueItemActions, QUEUES } from './queues';

/** A detainer in the state each queue's items are in (the SQL decides membership; the status follows from it). */
function stateIn(queue: QueueName): DetainerState | null {
  const acknowledged = () => Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' }).advance(1);
  switch (queue) {
    case 'unacknowledged':
      return Scenario.issued().advance(25).detainer;
    case 'release_soon_no_pickup':
    case 'short_notice': {
      const s = acknowledged();
      return s.do({ type: 'schedule_release', releaseAt: s.in(20) }).detainer;
    }
    case 'hold_expiring': {
      const s = acknowledged();
      return s.do({ type: 'start_hold', since: s.now }).advance(40).detainer;
    }
    case 'decline_no_outcome': {
      const s = acknowledged();
      return s.do({ type: 'release', at: s.now, destination: 'community' }).detainer;
    }
    case 'disputes':
      return acknowledged().do({ type: 'claim_citizenship', note: 'born in Texas' }).detainer;
    case 'failed_deliveries':
      return null; // any state
    case 'booked_elsewhere':
      return acknowledged().detainer; // any open lodging
  }
}

describe('queue definitions', () => {
  it('every queue is defined under its own name', () => {
    expect(Object.keys(QUEUES).sort()).toEqual([...QUEUE_NAMES].sort());
    for (const name of QUEUE_NAMES) expect(QUEUES[name].name).toBe(name);
    expect(isQueueName('hold_expiring')).toBe(true);
    expect(isQueueName('holds')).toBe(false);
    expect(isQueueName('__proto__')).toBe(false);
  });

  it.each(QUEUE_NAMES.filter((q) => stateIn(q) !== null))('the actions %s offers are allowed in the state its items are in', (queue) => {
    const state = stateIn(queue)!;
    for (const action of QUEUES[queue].actions) expect(allowedActions(state)).toContain(action);
  });
});

describe('the actions of a queue item, by viewer and holder', () => {
  const me = (role: (typeof ROLES)[number]) => ({ id: 'me', role });
  const plain = { identityClaimOpen: false, openRecordDisputes: 0, failedDeliveries: 0 };
  const claimOpen = { ...plain, identityClaimOpen: true };
  const recordDispute = { ...plain, openRecordDisputes: 1 };
  const both = { ...plain, identityClaimOpen: true, openRecordDisputes: 2 };
  const failed = { ...plain, failedDeliveries: 2 };

  it('a supervisor: claim when free, always assign, release any claim, and the lifecycle actions of the queue', () => {
    expect(queueItemActions('release_soon_no_pickup', me('supervisor'), null, plain)).toEqual(['claim', 'assign', 'plan_pickup', 'cancel']);
    expect(queueItemActions('release_soon_no_pickup', me('supervisor'), 'me', plain)).toEqual(['assign', 'release_claim', 'plan_pickup', 'cancel']);
    expect(queueItemActions('release_soon_no_pickup', me('supervisor'), 'other', plain)).toEqual(['assign', 'release_claim', 'plan_pickup', 'cancel']);
    expect(queueItemActions('failed_deliveries', me('supervisor'), null, failed)).toEqual(['claim', 'assign', 'retry_delivery']);
    expect(queueItemActions('failed_deliveries', me('supervisor'), null, plain)).toEqual(['claim', 'assign']);
  });

  it('an officer: claim when free, release only their own, and the lifecycle actions officers take', () => {
    expect(queueItemActions('decline_no_outcome', me('officer'), null, plain)).toEqual(['claim', 'record_outcome']);
    expect(queueItemActions('decline_no_outcome', me('officer'), 'me', plain)).toEqual(['release_claim', 'record_outcome']);
    expect(queueItemActions('decline_no_outcome', me('officer'), 'other', plain)).toEqual(['record_outcome']);
    expect(queueItemActions('failed_deliveries', me('officer'), null, failed)).toEqual(['claim']);
  });

  it('an admin reads queues but acts on none', () => {
    for (const queue of QUEUE_NAMES) expect(queueItemActions(queue, me('admin'), null, { ...both, failedDeliveries: 1 })).toEqual([]);
  });

  it('disputes: the actions of what is open, and deciding is a supervisor\'s', () => {
    expect(queueItemActions('disputes', me('supervisor'), null, claimOpen)).toEqual(['claim', 'assign', 'decide_identity_claim', 'cancel']);
    expect(queueItemActions('disputes', me('supervisor'), null, recordDispute)).toEqual(['claim', 'assign', 'resolve_dispute']);
    expect(queueItemActions('disputes', me('supervisor'), null, both)).toEqual(['claim', 'assign', 'decide_identity_claim', 'cancel', 'resolve_dispute']);
    expect(queueItemActions('disputes', me('officer'), null, both)).toEqual(['claim', 'cancel']);
    expect(queueItemActions('disputes', me('officer'), null, recordDispute)).toEqual(['claim']);
  });
});
