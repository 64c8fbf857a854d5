import fc from 'fast-check';
import { DomainError } from '../errors';
import { allowedActions, currentLodging, evolve, replay } from '../detainer/decider';
import { actorFor, CLARK, COOK, Scenario } from '../detainer/scenario.fixture';
import { type Actor, type DetainerState, LEGACY_QUEUE_CLAIM_KINDS, QUEUE_NAMES, type QueueName, ROLES, type Role } from '../detainer/types';
import {
  type Assignee, type ClaimDecision, claimHolding, decideClaim, evolveClaims, type QueueClaim, type QueueClaimCommand, type QueueClaimEvent, type QueueClaims,
  replayClaims,
} from './claims';
import { CLAIM_ROLES } from './queues';

const officer = (id: string, areaId = CLARK.areaId): Actor => ({ kind: 'user', id, role: 'officer', agencyId: null, areaId });
const supervisor = (id: string, areaId = CLARK.areaId): Actor => ({ kind: 'user', id, role: 'supervisor', agencyId: null, areaId });
const assignee = (id: string, role: Role = 'supervisor', areaId: string | null = CLARK.areaId): Assignee => ({ id, role, areaId });

function eventsOf(decision: ClaimDecision): QueueClaimEvent[] {
  if (!decision.ok) throw new Error(`expected success, got ${decision.error.code}: ${decision.error.message}`);
  return decision.events;
}
function errorOf(decision: ClaimDecision): DomainError {
  if (decision.ok) throw new Error(`expected a refusal, got ${decision.events.map((e) => e.kind).join(', ')}`);
  return decision.error;
}

/** Applies claim commands to a scenario's detainer, as the use case does: the claims kept apart from the detainer. */
class Claims {
  claims: QueueClaims = {};
  history: QueueClaimEvent[] = [];
  constructor(
    readonly s: Scenario,
    public state: DetainerState = s.detainer,
  ) {}
  try(command: QueueClaimCommand, actor: Actor): ClaimDecision {
    return decideClaim(this.state, this.claims[command.queue] ?? null, command, { now: this.s.now, actor });
  }
  do(command: QueueClaimCommand, actor: Actor): QueueClaimEvent[] {
    const events = eventsOf(this.try(command, actor));
    this.claims = events.reduce(evolveClaims, this.claims);
    this.history.push(...events);
    return events;
  }
  /** Who holds the current lodging's item of `queue`. */
  holder(queue: QueueName = 'unacknowledged'): string | undefined {
    return claimHolding(this.claims[queue], currentLodging(this.state).seq)?.holderId;
  }
}

const unacknowledged = () => new Claims(Scenario.issued().advance(25));

describe('claiming a queue item', () => {
  it('records who holds it, at the detainer’s version, and leaves the detainer alone', () => {
    const c = unacknowledged();
    const before = c.state;
    const [event] = c.do({ type: 'claim', queue: 'unacknowledged' }, supervisor('sup-a'));
    expect(event).toEqual({
      kind: 'claimed',
      queue: 'unacknowledged',
      holderId: 'sup-a',
      version: before.version,
      lodging: 1,
      recordedAt: c.s.now,
      actor: supervisor('sup-a'),
      source: 'ice_observed',
    });
    expect(c.claims.unacknowledged).toEqual({ holderId: 'sup-a', claimedAt: c.s.now, claimedBy: 'sup-a', lodging: 1 });
    // the decider has no way to change the detainer: its state is input only
    expect(c.state).toBe(before);
    expect(allowedActions(c.state)).toEqual(allowedActions(c.s.detainer));
  });

  it('is idempotent for the holder and refused (conflict) for anyone else', () => {
    const c = unacknowledged();
    c.do({ type: 'claim', queue: 'unacknowledged' }, officer('off-a'));
    expect(eventsOf(c.try({ type: 'claim', queue: 'unacknowledged' }, officer('off-a')))).toEqual([]);
    const error = errorOf(c.try({ type: 'claim', queue: 'unacknowledged' }, supervisor('sup-b')));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/already claimed \(since .* (PST|PDT) /);
    expect(error.details).toMatchObject({ queue: 'unacknowledged', holderId: 'off-a', claimedAt: c.s.now.toISOString() });
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

  it('needs a detainer (a refused role is told so first)', () => {
    expect(errorOf(decideClaim(null, null, { type: 'claim', queue: 'disputes' }, { now: new Date(), actor: supervisor('s') })).code).toBe('not_found');
    expect(errorOf(decideClaim(null, null, { type: 'claim', queue: 'disputes' }, { now: new Date(), actor: actorFor('jail_staff') })).code).toBe('forbidden');
  });

  it('an imported record takes no claim', () => {
    const c = unacknowledged();
    c.state = { ...c.state, imported: { source: 'ice_release', file: 'release.xlsx', sha256: 'ab'.repeat(32), rowKey: 'u-1', facilityCode: 'CCDC', liftReason: null } };
    const error = errorOf(c.try({ type: 'claim', queue: 'unacknowledged' }, officer('off-a')));
    expect(error).toMatchObject({ code: 'conflict', details: { imported: true, action: 'claim' } });
  });

  it('a new lodging starts unclaimed: the claim belonged to the agency that handed the person on', () => {
    const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    const c = new Claims(s);
    c.do({ type: 'claim', queue: 'release_soon_no_pickup' }, officer('off-a'));
    s.advance(1).do({ type: 'release', at: s.now, destination: 'other_agency', to: COOK });
    c.state = s.detainer;
    // the latest claim is still lodging 1's; it holds nothing now
    expect(c.claims.release_soon_no_pickup).toMatchObject({ holderId: 'off-a', lodging: 1 });
    expect(c.holder('release_soon_no_pickup')).toBeUndefined();
    // so it is neither released nor in anyone's way
    expect(eventsOf(c.try({ type: 'release_claim', queue: 'release_soon_no_pickup' }, officer('off-a')))).toEqual([]);
    const [event] = c.do({ type: 'claim', queue: 'release_soon_no_pickup' }, officer('off-chi', COOK.areaId));
    expect(event?.lodging).toBe(2);
    expect(c.holder('release_soon_no_pickup')).toBe('off-chi');
  });
});

describe('assigning a queue item', () => {
  it('a supervisor gives an unclaimed item, or takes it over from its holder', () => {
    const c = unacknowledged();
    const [first] = c.do({ type: 'assign', queue: 'unacknowledged', assignee: assignee('sup-b') }, supervisor('sup-a'));
    expect(first).toMatchObject({ kind: 'claimed', queue: 'unacknowledged', holderId: 'sup-b' });
    expect(first).not.toHaveProperty('previousHolderId');
    expect(c.claims.unacknowledged).toMatchObject({ holderId: 'sup-b', claimedBy: 'sup-a' });

    const [second] = c.do({ type: 'assign', queue: 'unacknowledged', assignee: assignee('off-c', 'officer') }, supervisor('sup-a'));
    expect(second).toMatchObject({ kind: 'claimed', holderId: 'off-c', previousHolderId: 'sup-b' });
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
    expect(event).toMatchObject({ kind: 'released', queue: 'unacknowledged', holderId: 'off-a', lodging: 1 });
    expect(c.claims).toEqual({});
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

describe('claims apart from the detainer’s stream', () => {
  it('replaying the history gives the claims; lifecycle actions after a claim are unaffected', () => {
    const c = unacknowledged();
    c.do({ type: 'claim', queue: 'unacknowledged' }, supervisor('sup-a'));
    c.do({ type: 'assign', queue: 'unacknowledged', assignee: assignee('off-b', 'officer') }, supervisor('sup-a'));
    c.s.advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    expect(c.s.detainer.version).toBe(2); // issue, acknowledge
    expect(c.s.events.map((e) => e.kind)).toEqual(['detainer_issued', 'acknowledged']);
    expect(replayClaims(c.history)).toEqual(c.claims);
    expect(c.claims.unacknowledged?.holderId).toBe('off-b');
  });

  it('claim events a stream recorded before claims had their own history change nothing of the detainer', () => {
    const s = Scenario.issued().advance(25);
    const state = s.detainer;
    const legacy = LEGACY_QUEUE_CLAIM_KINDS.map((kind) => ({
      kind, data: { queue: 'unacknowledged' as const, holderId: 'sup-a' }, version: state.version, lodging: 1, occurredAt: s.now, recordedAt: s.now,
      actor: supervisor('sup-a'), source: 'ice_observed' as const,
    }));
    expect(legacy.reduce<DetainerState>((st, e) => evolve(st, e), state)).toEqual(state);
    expect(replay([...s.events, ...legacy])).toEqual(state);
  });
});

// ------------------------------------------------------------------ properties

const PEOPLE = ['off-a', 'off-b', 'sup-a', 'sup-b', 'off-chi', 'sup-chi'] as const;
const AREA_OF: Record<(typeof PEOPLE)[number], string> = { 'off-a': CLARK.areaId, 'off-b': CLARK.areaId, 'sup-a': CLARK.areaId, 'sup-b': CLARK.areaId, 'off-chi': COOK.areaId, 'sup-chi': COOK.areaId };
const roleOf = (id: string): Role => (id.startsWith('sup') ? 'supervisor' : 'officer');

const actorArb: fc.Arbitrary<Actor> = fc.oneof(
  fc.constantFrom(...PEOPLE).map((id): Actor => ({ kind: 'user', id, role: roleOf(id), agencyId: null, areaId: AREA_OF[id] })),
  fc.constantFrom<Role | 'system'>(...ROLES, 'system').map((role) => actorFor(role)),
);
const assigneeArb: fc.Arbitrary<Assignee> = fc.oneof(
  fc.constantFrom(...PEOPLE).map((id): Assignee => ({ id, role: roleOf(id), areaId: AREA_OF[id] })),
  fc.constantFrom<Role>(...ROLES).map((role): Assignee => ({ id: `user-${role}`, role, areaId: role === 'jail_staff' || role === 'admin' || role === 'analyst' ? null : CLARK.areaId })),
);
const queueArb = fc.constantFrom<QueueName>('unacknowledged', 'disputes');
const commandArb: fc.Arbitrary<QueueClaimCommand> = fc.oneof(
  queueArb.map((queue): QueueClaimCommand => ({ type: 'claim', queue })),
  fc.record({ queue: queueArb, assignee: assigneeArb, expected: fc.option(fc.option(fc.constantFrom(...PEOPLE), { nil: null }), { nil: undefined }) })
    .map(({ queue, assignee: a, expected }): QueueClaimCommand => ({ type: 'assign', queue, assignee: a, ...(expected !== undefined && { expectedHolderId: expected }) })),
  queueArb.map((queue): QueueClaimCommand => ({ type: 'release_claim', queue })),
);
/** A step: a command by an actor, or (rarely) the person handed on to Cook County, which opens lodging 2. */
const stepArb = fc.oneof(
  { weight: 12, arbitrary: fc.record({ command: commandArb, actor: actorArb }) },
  { weight: 1, arbitrary: fc.constant('transfer' as const) },
);

/** What the rules say, written out plainly: the expected outcome of one command on one held claim. */
function expectedOutcome(state: DetainerState, held: QueueClaim | null, command: QueueClaimCommand, actor: Actor):
  { refused: DomainError['code'] } | { holder: string | null; recorded: boolean } {
  if (actor.role !== 'system' && !(CLAIM_ROLES[command.type] as readonly string[]).includes(actor.role)) return { refused: 'forbidden' };
  const holder = held?.holderId ?? null;
  switch (command.type) {
    case 'claim':
      if (actor.id === null) return { refused: 'invalid_input' };
      if (holder === actor.id) return { holder, recorded: false };
      return holder === null ? { holder: actor.id, recorded: true } : { refused: 'conflict' };
    case 'assign': {
      if (command.expectedHolderId !== undefined && command.expectedHolderId !== holder) return { refused: 'conflict' };
      const lodging = currentLodging(state);
      const fits = (command.assignee.role === 'officer' || command.assignee.role === 'supervisor')
        && command.assignee.areaId !== null && [state.areaId, lodging.place.areaId].includes(command.assignee.areaId);
      if (!fits) return { refused: 'invalid_input' };
      return { holder: command.assignee.id, recorded: holder !== command.assignee.id };
    }
    case 'release_claim':
      if (holder === null) return { holder: null, recorded: false };
      if (holder !== actor.id && actor.role !== 'supervisor' && actor.role !== 'system') return { refused: 'forbidden' };
      return { holder: null, recorded: true };
    default: {
      const never: never = command;
      return never;
    }
  }
}

describe('claim rules (properties)', () => {
  it('every command does what the rules say, the history replays to the claims, and a decision taken twice records once', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' }).advance(25);
        const c = new Claims(s);
        for (const step of steps) {
          s.advance(1);
          if (step === 'transfer') {
            if (s.lodging().place.areaId === COOK.areaId) continue;
            s.do({ type: 'release', at: s.now, destination: 'other_agency', to: COOK });
            c.state = s.detainer;
            // a new lodging: nothing of the old one holds
            for (const q of QUEUE_NAMES) expect(c.holder(q)).toBeUndefined();
            continue;
          }
          const { command, actor } = step;
          const lodging = currentLodging(c.state).seq;
          const held = claimHolding(c.claims[command.queue], lodging);
          const expected = expectedOutcome(c.state, held, command, actor);
          const decision = c.try(command, actor);
          if ('refused' in expected) {
            expect(decision.ok ? 'ok' : decision.error.code).toBe(expected.refused);
            continue;
          }
          const events = eventsOf(decision);
          expect(events).toHaveLength(expected.recorded ? 1 : 0);
          for (const e of events) {
            expect(e).toMatchObject({ queue: command.queue, lodging, version: c.state.version, recordedAt: s.now, actor });
            if (e.kind === 'claimed') expect(e.previousHolderId).toBe(held?.holderId);
          }
          c.do(command, actor);
          expect(c.holder(command.queue) ?? null).toBe(expected.holder);
          // idempotent: the same command again records nothing (unless it is refused for a reason of its own)
          const again = c.try(command, actor);
          if (again.ok) expect(again.events).toEqual([]);
          // the other queue is untouched
          for (const q of QUEUE_NAMES.filter((x) => x !== command.queue)) expect(c.claims[q]).toEqual(replayClaims(c.history.filter((e) => e.queue === q))[q]);
        }
        expect(replayClaims(c.history)).toEqual(c.claims);
        // claims are never in the detainer's stream
        expect(s.events.every((e) => !(LEGACY_QUEUE_CLAIM_KINDS as readonly string[]).includes(e.kind))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
