import { DomainError } from '../errors';
import { allowedActions, type Decision, evolve, replay } from '../detainer/decider';
import { actorFor, CLARK, COOK, Scenario } from '../detainer/scenario.fixture';
import type { Actor, DetainerEvent, DetainerState, QueueName, Role } from '../detainer/types';
import { type Assignee, claimOn, decideClaim, type QueueClaimCommand } from './claims';

const officer = (id: string, areaId = CLARK.areaId): Actor => ({ kind: 'user', id, role: 'officer', agencyId: null, areaId });
const supervisor = (id: string, areaId = CLARK.areaId): Actor => ({ kind: 'user', id, role: 'supervisor', agencyId: null, areaId });
const assignee = (id: string, role: Role = 'supervisor', areaId: string | null = CLARK.areaId): Assignee => ({ id, role, areaId });

function eventsOf(decision: Decision): DetainerEvent[] {
  if (!decision.ok) throw new Error(`expected success, got ${decision.error.code}: ${decision.error.message}`);
  return decision.events;
}
function errorOf(decision: Decision): DomainError {
  if (decision.ok) throw new Error(`expected a refusal, got ${decision.events.map((e) => e.kind).join(', ')}`);
  return decision.error;
}

/** Applies claim commands to a scenario's detainer, as the use case does. */
class Claims {
  constructor(
    readonly s: Scenario,
    public state: DetainerState = s.detainer,
  ) {}
  try(command: QueueClaimCommand, actor: Actor): Decision {
    return decideClaim(this.state, command, { now: this.s.now, actor });
  }
  do(command: QueueClaimCommand, actor: Actor): DetainerEvent[] {
    const events = eventsOf(this.try(command, actor));
    this.state = events.reduce<DetainerState>((st, e) => evolve(st, e), this.state);
    this.s.events.push(...events);
    return events;
  }
  holder(queue: QueueName = 'unacknowledged'): string | undefined {
    return claimOn(this.state, queue)?.holderId;
  }
}

const unacknowledged = () => new Claims(Scenario.issued().advance(25));

describe('claiming a queue item', () => {
  it('records who holds it, in the timeline, without bumping the version', () => {
    const c = unacknowledged();
    const versionBefore = c.state.version;
    const [event] = c.do({ type: 'claim', queue: 'unacknowledged' }, supervisor('sup-a'));
    expect(event).toMatchObject({
      kind: 'queue_item_claimed',
      version: versionBefore,
      lodging: 1,
      occurredAt: c.s.now,
      recordedAt: c.s.now,
      source: 'ice_observed',
      data: { queue: 'unacknowledged', holderId: 'sup-a' },
    });
    expect(c.state.version).toBe(versionBefore);
    expect(claimOn(c.state, 'unacknowledged')).toEqual({ holderId: 'sup-a', claimedAt: c.s.now, claimedBy: 'sup-a' });
    // lifecycle untouched
    expect(c.state.status).toBe('issued');
    expect(allowedActions(c.state)).toEqual(allowedActions(c.s.detainer));
  });

  it('is idempotent for the holder and refused (conflict) for anyone else', () => {
    const c = unacknowledged();
    c.do({ type: 'claim', queue: 'unacknowledged' }, officer('off-a'));
    expect(eventsOf(c.try({ type: 'claim', queue: 'unacknowledged' }, officer('off-a')))).toEqual([]);
    const error = errorOf(c.try({ type: 'claim', queue: 'unacknowledged' }, supervisor('sup-b')));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/already claimed \(since .* (PST|PDT) /);
    expect(error.details).toMatchObject({ queue: 'unacknowledged', holderId: 'off-a' });
  });

  it('is per queue: the same detainer can be held in two queues', () => {
    const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' }).advance(1);
    s.do({ type: 'schedule_release', releaseAt: s.in(20) });
    const c = new Claims(s);
    c.do({ type: 'claim', queue: 'short_notice' }, officer('off-a'));
    c.do({ type: 'claim', queue: 'release_soon_no_pickup' }, officer('off-b'));
    expect(c.holder('short_notice')).toBe('off-a');
    expect(c.holder('release_soon_no_pickup')).toBe('off-b');
  });

  it('jail staff, analysts and admins may not claim; the system holds nothing', () => {
    const c = unacknowledged();
    for (const role of ['jail_staff', 'analyst', 'admin'] as Role[]) {
      const error = errorOf(c.try({ type: 'claim', queue: 'unacknowledged' }, actorFor(role)));
      expect(error.code).toBe('forbidden');
      expect(error.details).toMatchObject({ role, action: 'claim', allowedRoles: ['officer', 'supervisor'] });
    }
    expect(errorOf(c.try({ type: 'claim', queue: 'unacknowledged' }, actorFor('system'))).code).toBe('invalid_input');
  });

  it('needs a detainer', () => {
    expect(errorOf(decideClaim(null, { type: 'claim', queue: 'disputes' }, { now: new Date(), actor: supervisor('s') })).code).toBe('not_found');
  });

  it('a new lodging starts unclaimed: the claim belonged to the agency that handed the person on', () => {
    const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    const c = new Claims(s);
    c.do({ type: 'claim', queue: 'release_soon_no_pickup' }, officer('off-a'));
    s.state = c.state;
    s.advance(1).do({ type: 'release', at: s.now, destination: 'other_agency', to: COOK });
    c.state = s.detainer;
    expect(c.state.lodgings[0]?.claims).toEqual({ release_soon_no_pickup: expect.objectContaining({ holderId: 'off-a' }) });
    expect(claimOn(c.state, 'release_soon_no_pickup')).toBeUndefined();
    const [event] = c.do({ type: 'claim', queue: 'unacknowledged' }, officer('off-chi', COOK.areaId));
    expect(event?.lodging).toBe(2);
  });
});

describe('assigning a queue item', () => {
  it('a supervisor gives an unclaimed item, or takes it over from its holder', () => {
    const c = unacknowledged();
    const [first] = c.do({ type: 'assign', queue: 'unacknowledged', assignee: assignee('sup-b') }, supervisor('sup-a'));
    expect(first).toMatchObject({ kind: 'queue_item_claimed', data: { queue: 'unacknowledged', holderId: 'sup-b' } });
    expect(first?.data).not.toHaveProperty('previousHolderId');
    expect(claimOn(c.state, 'unacknowledged')).toMatchObject({ holderId: 'sup-b', claimedBy: 'sup-a' });

    const [second] = c.do({ type: 'assign', queue: 'unacknowledged', assignee: assignee('off-c', 'officer') }, supervisor('sup-a'));
    expect(second?.data).toEqual({ queue: 'unacknowledged', holderId: 'off-c', previousHolderId: 'sup-b' });
    // already theirs: nothing to record
    expect(eventsOf(c.try({ type: 'assign', queue: 'unacknowledged', assignee: assignee('off-c', 'officer') }, supervisor('sup-a')))).toEqual([]);
  });

  it('only supervisors assign', () => {
    const c = unacknowledged();
    const error = errorOf(c.try({ type: 'assign', queue: 'unacknowledged', assignee: assignee('off-b', 'officer') }, officer('off-a')));
    expect(error.code).toBe('forbidden');
    expect(error.details).toMatchObject({ action: 'assign', allowedRoles: ['supervisor'] });
  });

  it('to an officer or supervisor of an AOR the detainer concerns', () => {
    const c = unacknowledged();
    const assign = (a: Assignee) => c.try({ type: 'assign', queue: 'unacknowledged', assignee: a }, supervisor('sup-a'));
    expect(errorOf(assign(assignee('jail-1', 'jail_staff', null))).details).toEqual([{ field: 'assigneeId', message: expect.stringContaining('jail_staff') }]);
    expect(errorOf(assign(assignee('adm', 'admin', null))).code).toBe('invalid_input');
    expect(errorOf(assign(assignee('sup-chi', 'supervisor', COOK.areaId))).details).toEqual([{ field: 'assigneeId', message: expect.stringContaining('AOR') }]);
    // after a transfer into Chicago's AOR, Chicago's people qualify too, and the issuing AOR still does
    const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' }).advance(1);
    s.do({ type: 'release', at: s.now, destination: 'other_agency', to: COOK });
    const moved = new Claims(s.advance(25));
    for (const a of [assignee('sup-chi', 'supervisor', COOK.areaId), assignee('sup-sfr', 'supervisor', CLARK.areaId)]) {
      expect(eventsOf(moved.try({ type: 'assign', queue: 'unacknowledged', assignee: a }, supervisor('sup-a')))).toHaveLength(1);
    }
  });

  it('refuses when the item changed hands since the supervisor looked', () => {
    const c = unacknowledged();
    c.do({ type: 'claim', queue: 'unacknowledged' }, officer('off-a'));
    const stale = c.try({ type: 'assign', queue: 'unacknowledged', assignee: assignee('sup-b'), expectedHolderId: null }, supervisor('sup-a'));
    expect(errorOf(stale)).toMatchObject({ code: 'conflict', details: { holderId: 'off-a', expectedHolderId: null } });
    const fresh = c.try({ type: 'assign', queue: 'unacknowledged', assignee: assignee('sup-b'), expectedHolderId: 'off-a' }, supervisor('sup-a'));
    expect(eventsOf(fresh)).toHaveLength(1);
  });
});

describe('releasing a claim', () => {
  it('the holder lets go; the item is unclaimed again', () => {
    const c = unacknowledged();
    c.do({ type: 'claim', queue: 'unacknowledged' }, officer('off-a'));
    const [event] = c.do({ type: 'release_claim', queue: 'unacknowledged' }, officer('off-a'));
    expect(event).toMatchObject({ kind: 'queue_claim_released', data: { queue: 'unacknowledged', holderId: 'off-a' } });
    expect(claimOn(c.state, 'unacknowledged')).toBeUndefined();
    expect(c.state.lodgings[0]?.claims).toEqual({});
    // nothing held: nothing to record
    expect(eventsOf(c.try({ type: 'release_claim', queue: 'unacknowledged' }, officer('off-a')))).toEqual([]);
    // and someone else can claim it now
    expect(c.do({ type: 'claim', queue: 'unacknowledged' }, officer('off-b'))).toHaveLength(1);
  });

  it("a supervisor may release anyone's claim; an officer only their own", () => {
    const c = unacknowledged();
    c.do({ type: 'claim', queue: 'unacknowledged' }, officer('off-a'));
    expect(errorOf(c.try({ type: 'release_claim', queue: 'unacknowledged' }, officer('off-b'))).code).toBe('forbidden');
    expect(c.do({ type: 'release_claim', queue: 'unacknowledged' }, supervisor('sup-a'))).toHaveLength(1);
  });
});

describe('claims in the event stream', () => {
  it('replay gives the same state, and lifecycle actions after a claim are unaffected', () => {
    const c = unacknowledged();
    c.do({ type: 'claim', queue: 'unacknowledged' }, supervisor('sup-a'));
    c.do({ type: 'assign', queue: 'unacknowledged', assignee: assignee('off-b', 'officer') }, supervisor('sup-a'));
    c.s.state = c.state;
    c.s.advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    expect(c.s.detainer.version).toBe(2); // issue, acknowledge: the claims did not count
    expect(replay(c.s.events)).toEqual(c.s.detainer);
    expect(claimOn(c.s.detainer, 'unacknowledged')?.holderId).toBe('off-b');
  });
});
