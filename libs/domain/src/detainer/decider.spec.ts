import { DomainError, InvalidTransitionError } from '../errors';
import { ACTION_NAMES, ACTION_ROLES, allowedActions, decide, type Decision, evolve, replay } from './decider';
import { actorFor, CLARK, CLARK_ANNEX, COOK, HOUR, issueCommand, Scenario } from './scenario.fixture';
import { type AckResponse, type ActionName, type CancelReason, type DetainerCommand, type DetainerEvent, type LodgingStatus, ROLES, type Role } from './types';

const ISSUED_AT = new Date('2018-03-01T17:00:00Z');

function errorOf(decision: Decision): DomainError {
  if (decision.ok) throw new Error(`expected a refusal, got events ${decision.events.map((e) => e.kind).join(', ')}`);
  return decision.error;
}

function eventsOf(decision: Decision): DetainerEvent[] {
  if (!decision.ok) throw new Error(`expected success, got ${decision.error.code}: ${decision.error.message}`);
  return decision.events;
}

/** A valid command for each action, relative to the scenario's clock. */
function validCommand(action: ActionName, s: Scenario): DetainerCommand {
  switch (action) {
    case 'acknowledge':
      return { type: 'acknowledge', response: 'will_comply' };
    case 'report_not_in_custody':
      return { type: 'report_not_in_custody', note: 'no such inmate' };
    case 'schedule_release':
      return { type: 'schedule_release', releaseAt: s.in(72) };
    case 'plan_pickup':
      return { type: 'plan_pickup', at: s.in(72) };
    case 'start_hold':
      return { type: 'start_hold', since: s.now };
    case 'transfer_to_ice':
      return { type: 'transfer_to_ice', at: s.now };
    case 'release':
      return { type: 'release', at: s.now, destination: 'community' };
    case 'refuse':
      return { type: 'refuse', at: s.now, reason: 'county policy' };
    case 'record_decline':
      return { type: 'record_decline', at: s.now, reason: 'released on bond', source: 'ice_observed' };
    case 'claim_citizenship':
      return { type: 'claim_citizenship', note: 'born in El Paso' };
    case 'dispute_identity':
      return { type: 'dispute_identity', note: 'different date of birth' };
    case 'decide_identity_claim':
      return { type: 'decide_identity_claim', decision: 'rejected', note: 'birth record not found' };
    case 'cancel':
      return { type: 'cancel', reason: 'lifted' };
    case 'record_outcome':
      return { type: 'record_outcome', kind: 'removed', at: s.now };
  }
}

/** Each status reachable as the current lodging's, built through the decider itself. */
const FIXTURES: { name: string; status: LodgingStatus; build: () => Scenario; allowed: ActionName[] }[] = [
  {
    name: 'issued',
    status: 'issued',
    build: () => Scenario.issued(),
    allowed: ['acknowledge', 'report_not_in_custody', 'plan_pickup', 'transfer_to_ice', 'release', 'refuse', 'record_decline', 'claim_citizenship', 'dispute_identity', 'cancel'],
  },
  {
    name: 'acknowledged (I-247A with warrant)',
    status: 'acknowledged',
    build: () => Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' }),
    allowed: ['schedule_release', 'plan_pickup', 'start_hold', 'transfer_to_ice', 'release', 'refuse', 'record_decline', 'claim_citizenship', 'dispute_identity', 'cancel'],
  },
  {
    name: 'acknowledged (I-247N, notice only: no hold)',
    status: 'acknowledged',
    build: () =>
      Scenario.issued({ form: 'I-247N', issuedAt: new Date('2016-06-01T17:00:00Z') }).advance(1).do({ type: 'acknowledge', response: 'will_notify_only' }),
    allowed: ['schedule_release', 'plan_pickup', 'transfer_to_ice', 'release', 'refuse', 'record_decline', 'claim_citizenship', 'dispute_identity', 'cancel'],
  },
  {
    name: 'acknowledged (I-247D without a warrant on file)',
    status: 'acknowledged',
    build: () =>
      Scenario.issued({ form: 'I-247D', warrant: undefined, issuedAt: new Date('2016-06-01T17:00:00Z') })
        .advance(1)
        .do({ type: 'acknowledge', response: 'will_comply' }),
    allowed: ['schedule_release', 'plan_pickup', 'transfer_to_ice', 'release', 'refuse', 'record_decline', 'claim_citizenship', 'dispute_identity', 'cancel'],
  },
  {
    name: 'release_scheduled',
    status: 'release_scheduled',
    build: () => Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' }).do({ type: 'schedule_release', releaseAt: new Date('2018-03-10T17:00:00Z') }),
    allowed: ['schedule_release', 'plan_pickup', 'start_hold', 'transfer_to_ice', 'release', 'refuse', 'record_decline', 'claim_citizenship', 'dispute_identity', 'cancel'],
  },
  {
    name: 'held',
    status: 'held',
    build: () => {
      const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
      return s.do({ type: 'start_hold', since: s.now });
    },
    allowed: ['plan_pickup', 'transfer_to_ice', 'release', 'refuse', 'record_decline', 'claim_citizenship', 'dispute_identity', 'cancel'],
  },
  {
    name: 'refused',
    status: 'refused',
    build: () => {
      const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_not_comply' });
      return s.do({ type: 'refuse', at: s.now, reason: 'sanctuary ordinance' });
    },
    allowed: ['schedule_release', 'release', 'claim_citizenship', 'dispute_identity', 'cancel'],
  },
  {
    name: 'disputed',
    status: 'disputed',
    build: () => Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' }).do({ type: 'claim_citizenship', note: 'US passport' }),
    allowed: ['decide_identity_claim', 'cancel'],
  },
  {
    name: 'honored',
    status: 'honored',
    build: () => {
      const s = Scenario.issued().advance(1);
      return s.do({ type: 'transfer_to_ice', at: s.now });
    },
    allowed: ['record_outcome'],
  },
  {
    name: 'released to the community after a missed pickup (not declined)',
    status: 'released',
    build: () => {
      const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
      s.do({ type: 'schedule_release', releaseAt: s.in(72) }).advance(72);
      s.do({ type: 'start_hold', since: s.now }).advance(49);
      return s.do({ type: 'release', at: s.now, destination: 'community' });
    },
    allowed: ['record_decline', 'record_outcome'],
  },
  {
    name: 'released to the community without notice (declined)',
    status: 'released',
    build: () => {
      const s = Scenario.issued().advance(1);
      return s.do({ type: 'release', at: s.now, destination: 'community' });
    },
    allowed: ['record_outcome'],
  },
  {
    name: 'misdirected',
    status: 'misdirected',
    build: () => Scenario.issued().advance(1).do({ type: 'report_not_in_custody' }),
    allowed: [],
  },
  {
    name: 'cancelled',
    status: 'cancelled',
    build: () => Scenario.issued().advance(1).do({ type: 'cancel', reason: 'issued_in_error' }),
    allowed: [],
  },
  {
    name: 'issued anew at the receiving agency after a transfer',
    status: 'issued',
    build: () => {
      const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
      return s.do({ type: 'release', at: s.now, destination: 'other_agency', to: COOK });
    },
    allowed: ['acknowledge', 'report_not_in_custody', 'plan_pickup', 'transfer_to_ice', 'release', 'refuse', 'record_decline', 'claim_citizenship', 'dispute_identity', 'cancel'],
  },
];

/** The status the current lodging should have after `action`, from `before`. */
function statusAfter(action: ActionName, before: LodgingStatus, beforeDispute: LodgingStatus | undefined): LodgingStatus {
  switch (action) {
    case 'acknowledge':
      return 'acknowledged';
    case 'report_not_in_custody':
      return 'misdirected';
    case 'schedule_release':
      return before === 'refused' ? 'refused' : 'release_scheduled';
    case 'plan_pickup':
    case 'record_outcome':
      return before;
    case 'start_hold':
      return 'held';
    case 'transfer_to_ice':
      return 'honored';
    case 'release':
    case 'record_decline':
      return 'released';
    case 'refuse':
      return 'refused';
    case 'claim_citizenship':
    case 'dispute_identity':
      return 'disputed';
    case 'decide_identity_claim':
      if (beforeDispute === undefined) throw new Error('fixture has no status before dispute');
      return beforeDispute;
    case 'cancel':
      return 'cancelled';
  }
}

const inActionOrder = (actions: readonly ActionName[]): ActionName[] => ACTION_NAMES.filter((a) => actions.includes(a));

describe('state guards: every (status, action) pair', () => {
  const pairs = FIXTURES.flatMap((f) => ACTION_NAMES.map((action) => ({ ...f, action, allowedHere: f.allowed.includes(action) })));

  it('covers every action and every status a current lodging can have', () => {
    expect(new Set(ACTION_NAMES)).toEqual(new Set(Object.keys(ACTION_ROLES).filter((k) => k !== 'issue' && k !== 'amend')));
    const statuses = new Set(FIXTURES.map((f) => f.status));
    // 'transferred' is never current: the transfer fixture shows the next lodging takes over.
    expect([...statuses].sort()).toEqual(
      ['acknowledged', 'cancelled', 'disputed', 'held', 'honored', 'issued', 'misdirected', 'refused', 'release_scheduled', 'released'].sort(),
    );
  });

  it.each(FIXTURES)('allowedActions lists exactly the table for $name', ({ build, allowed, status }) => {
    const s = build();
    expect(s.lodging().status).toBe(status);
    expect(allowedActions(s.detainer)).toEqual(inActionOrder(allowed));
    expect(allowedActions(s.detainer, 'system')).toEqual(inActionOrder(allowed));
  });

  it.each(pairs.filter((p) => p.allowedHere))('$name: $action is allowed and moves the lodging on', ({ build, action }) => {
    const s = build().advance(1);
    const before = s.lodging();
    s.do(validCommand(action, s), 'system');
    expect(s.lodging().status).toBe(statusAfter(action, before.status, before.statusBeforeDispute));
    expect(s.detainer.status).toBe(s.lodging().status);
  });

  it.each(pairs.filter((p) => !p.allowedHere))('$name: $action is an invalid transition naming the state and allowed actions', ({ build, action, status, allowed }) => {
    const s = build().advance(1);
    const versionBefore = s.detainer.version;
    const error = errorOf(s.try(validCommand(action, s), 'system'));
    expect(error).toBeInstanceOf(InvalidTransitionError);
    expect(error.code).toBe('invalid_transition');
    expect(error.message).toContain(`'${status}'`);
    expect(error.message).toContain(action);
    const list = inActionOrder(allowed);
    expect(error.message).toContain(`Allowed actions: ${list.length ? list.join(', ') : 'none'}.`);
    expect(error.details).toEqual({ state: status, action, allowedActions: list });
    expect(s.detainer.version).toBe(versionBefore);
  });

  it("lists only the caller's own actions in the message", () => {
    const held = FIXTURES.find((f) => f.status === 'held');
    if (!held) throw new Error('no held fixture');
    const s = held.build().advance(1);
    const error = errorOf(s.try({ type: 'schedule_release', releaseAt: s.in(10) }, 'jail_staff'));
    expect(error.message).toBe(
      "Cannot schedule_release a detainer in state 'held'. Allowed actions: transfer_to_ice, release, refuse, record_decline, claim_citizenship, dispute_identity.",
    );
    expect(allowedActions(s.detainer, 'officer')).toEqual(['plan_pickup', 'transfer_to_ice', 'record_decline', 'claim_citizenship', 'dispute_identity', 'cancel']);
    expect(allowedActions(s.detainer, 'analyst')).toEqual([]);
    expect(allowedActions(null)).toEqual([]);
  });

  it('refuses issue on an existing detainer and any other command before issue', () => {
    const s = Scenario.issued();
    const again = errorOf(s.try(issueCommand(), 'officer'));
    expect(again.code).toBe('invalid_transition');
    expect(again.message).toContain("'issued'");
    const fresh = new Scenario(ISSUED_AT);
    for (const action of ACTION_NAMES) {
      expect(errorOf(fresh.try(validCommand(action, fresh), 'system')).code).toBe('not_found');
    }
  });

  it('start_hold needs a probable-cause basis on file as well as a warrant', () => {
    // probableCause can only be empty on a detainer replayed from imported events.
    const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    const stripped = { ...s.detainer, probableCause: [] };
    expect(allowedActions(stripped)).not.toContain('start_hold');
    expect(allowedActions(s.detainer)).toContain('start_hold');
  });
});

describe('roles: every (role, action) pair', () => {
  const EXPECTED_ROLES: Record<DetainerCommand['type'], Role[]> = {
    issue: ['officer'],
    amend: ['officer', 'supervisor', 'jail_staff'],
    acknowledge: ['jail_staff'],
    report_not_in_custody: ['jail_staff'],
    schedule_release: ['jail_staff'],
    start_hold: ['jail_staff'],
    release: ['jail_staff'],
    refuse: ['jail_staff'],
    plan_pickup: ['officer', 'supervisor'],
    cancel: ['officer', 'supervisor'],
    record_outcome: ['officer', 'supervisor'],
    transfer_to_ice: ['jail_staff', 'officer', 'supervisor'],
    record_decline: ['jail_staff', 'officer', 'supervisor'],
    claim_citizenship: ['jail_staff', 'officer', 'supervisor'],
    dispute_identity: ['jail_staff', 'officer', 'supervisor'],
    decide_identity_claim: ['supervisor'],
  };

  /** A scenario in which `action` passes its state guard. */
  function stateFor(action: Exclude<DetainerCommand['type'], 'amend'>): Scenario {
    const acknowledged = () => Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    switch (action) {
      case 'issue':
        return new Scenario(ISSUED_AT);
      case 'acknowledge':
      case 'report_not_in_custody':
        return Scenario.issued().advance(1);
      case 'decide_identity_claim':
        return acknowledged().do({ type: 'dispute_identity', note: 'wrong man' }).advance(1);
      case 'record_outcome': {
        const s = acknowledged();
        return s.do({ type: 'transfer_to_ice', at: s.now }).advance(1);
      }
      default:
        return acknowledged().advance(1);
    }
  }

  const commandFor = (action: Exclude<DetainerCommand['type'], 'amend'>, s: Scenario): DetainerCommand =>
    action === 'issue' ? issueCommand({ issuedAt: s.now }) : validCommand(action, s);

  it('ACTION_ROLES is the table', () => {
    expect(ACTION_ROLES).toEqual(EXPECTED_ROLES);
  });

  // amend's authority depends on the AOR or agency as well as the role: amend.spec.ts covers it.
  const LIFECYCLE = (Object.keys(EXPECTED_ROLES) as DetainerCommand['type'][]).filter((a): a is Exclude<DetainerCommand['type'], 'amend'> => a !== 'amend');
  const pairs = LIFECYCLE.flatMap((action) =>
    ROLES.map((role) => ({ action, role, allowed: EXPECTED_ROLES[action].includes(role) })),
  );

  it.each(pairs.filter((p) => p.allowed))('$role may $action', ({ action, role }) => {
    const s = stateFor(action);
    expect(eventsOf(s.try(commandFor(action, s), role)).length).toBeGreaterThan(0);
  });

  it.each(pairs.filter((p) => !p.allowed))('$role may not $action (forbidden)', ({ action, role }) => {
    const s = stateFor(action);
    const error = errorOf(s.try(commandFor(action, s), role));
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain(role);
    expect(error.details).toEqual({ role, action, allowedRoles: EXPECTED_ROLES[action] });
  });

  it.each(LIFECYCLE)('the system actor may %s', (action) => {
    const s = stateFor(action);
    expect(eventsOf(s.try(commandFor(action, s), 'system')).length).toBeGreaterThan(0);
  });

  it('checks the role before the state and the state before the input', () => {
    const cancelled = Scenario.issued().advance(1).do({ type: 'cancel', reason: 'lifted' });
    // analyst on a final state: forbidden, not invalid_transition
    expect(errorOf(cancelled.try({ type: 'cancel', reason: 'lifted' }, 'analyst')).code).toBe('forbidden');
    // jail staff issuing garbage: forbidden, not invalid_input
    const fresh = new Scenario(ISSUED_AT);
    expect(errorOf(fresh.try(issueCommand({ probableCause: [] }), 'jail_staff')).code).toBe('forbidden');
    // wrong state with bad input: invalid_transition, not invalid_input
    expect(errorOf(cancelled.try({ type: 'refuse', at: new Date(0), reason: '' }, 'jail_staff')).code).toBe('invalid_transition');
  });

  it('refuses an unknown action as invalid input', () => {
    const s = Scenario.issued().advance(1);
    const parsed: DetainerCommand = JSON.parse('{"type":"pardon"}');
    expect(errorOf(s.try(parsed, 'system')).details).toEqual([{ field: 'type', message: expect.stringContaining("unknown action 'pardon'") }]);
  });

  it('refuses an actor whose role is not a role at all', () => {
    const s = Scenario.issued().advance(1);
    const janitor: string = 'janitor';
    const decision = decide(s.detainer, { type: 'acknowledge', response: 'will_comply' }, {
      now: s.now,
      actor: { ...actorFor('jail_staff'), role: janitor as Role },
    });
    expect(errorOf(decision).code).toBe('forbidden');
  });
});

describe('issue', () => {
  it('opens lodging 1 at issuedAt with the officer as issuer', () => {
    const issuedAt = new Date('2018-03-01T09:00:00Z');
    const s = new Scenario(new Date('2018-03-01T17:00:00Z')).do(issueCommand({ issuedAt }));
    const [event] = s.events;
    expect(event).toMatchObject({ kind: 'detainer_issued', version: 1, lodging: 1, occurredAt: issuedAt, recordedAt: s.now, source: 'ice_observed' });
    expect(s.detainer).toMatchObject({ id: 'det-1', status: 'issued', version: 1, issuedAt, recordedAt: s.now, issuingOfficerId: 'user-officer', areaId: 'SFR' });
    expect(s.lodging()).toMatchObject({ seq: 1, status: 'issued', openedAt: issuedAt, place: CLARK, bookingNumber: 'BK-1001', declined: false });
  });

  it('defaults issuedAt to now', () => {
    const s = new Scenario(ISSUED_AT);
    const { issuedAt: _omit, ...command } = issueCommand();
    s.do(command);
    expect(s.detainer.issuedAt).toEqual(ISSUED_AT);
  });

  it('reports every input problem at once', () => {
    const s = new Scenario(ISSUED_AT);
    const error = errorOf(s.try(issueCommand({ issuedAt: new Date('2017-04-01T12:00:00Z'), warrant: undefined, probableCause: [] })));
    expect(error.code).toBe('invalid_input');
    expect(error.details).toEqual([
      { field: 'type', message: expect.stringContaining('I-247A is accepted only with an issuedAt on or after 2017-04-02') },
      { field: 'warrant', message: expect.stringContaining('warrant') },
      { field: 'probableCause', message: expect.stringContaining('at least one') },
    ]);
    expect(error.message).toContain('3 problems');
  });

  it.each([
    ['a future issuedAt', { issuedAt: new Date(ISSUED_AT.getTime() + 6 * 60_000) }, 'issuedAt'],
    ['a legacy form outside its period', { form: 'I-247D' as const, issuedAt: new Date('2017-04-03T12:00:00Z') }, 'type'],
    ['an I-247A without a warrant', { warrant: undefined }, 'warrant'],
    ['a warrant without a number', { warrant: { form: 'I-205' as const, number: ' ' } }, 'warrant'],
    ['no probable cause', { probableCause: [] }, 'probableCause'],
    ['a repeated probable cause', { probableCause: ['final_order' as const, 'final_order' as const] }, 'probableCause'],
    ['a facility without a valid time zone', { place: { ...CLARK, timeZone: 'Mars/Olympus' } }, 'facilityId'],
  ])('rejects %s', (_name, overrides, field) => {
    const error = errorOf(new Scenario(ISSUED_AT).try(issueCommand(overrides)));
    expect(error.code).toBe('invalid_input');
    expect(error.details).toEqual([{ field, message: error.message }]);
  });

  it('accepts an issuedAt up to 5 minutes ahead (clock skew) and legacy forms in their period without a warrant', () => {
    expect(eventsOf(new Scenario(ISSUED_AT).try(issueCommand({ issuedAt: new Date(ISSUED_AT.getTime() + 5 * 60_000) })))).toHaveLength(1);
    const d = new Scenario(ISSUED_AT).try(issueCommand({ form: 'I-247D', warrant: undefined, issuedAt: new Date('2016-01-01T12:00:00Z') }));
    expect(eventsOf(d)).toHaveLength(1);
  });
});

describe('event stamping', () => {
  it('stamps version, lodging, clock, actor and source', () => {
    const s = Scenario.issued().advance(2);
    const [ack] = eventsOf(s.try({ type: 'acknowledge', response: 'will_comply' }, 'jail_staff'));
    expect(ack).toMatchObject({ version: 2, lodging: 1, recordedAt: s.now, occurredAt: s.now, actor: actorFor('jail_staff'), source: 'lea_reported' });
    const [viaSystem] = eventsOf(s.try({ type: 'acknowledge', response: 'will_comply' }, 'system'));
    expect(viaSystem.source).toBe('system');
    const override = decide(s.detainer, { type: 'acknowledge', response: 'will_comply' }, { now: s.now, actor: actorFor('jail_staff'), source: 'ice_observed' });
    expect(eventsOf(override)[0].source).toBe('ice_observed');
    const [byOfficer] = eventsOf(s.try({ type: 'plan_pickup', at: s.in(30) }, 'officer'));
    expect(byOfficer.source).toBe('ice_observed');
  });

  it('uses the declined release source given by the reporter, whoever records it', () => {
    const s = Scenario.issued().advance(2);
    const [event] = eventsOf(s.try({ type: 'record_decline', at: s.in(-1), reason: 'bonded out', source: 'lea_reported' }, 'officer'));
    expect(event).toMatchObject({ kind: 'decline_recorded', source: 'lea_reported', occurredAt: s.in(-1), recordedAt: s.now });
  });

  it("takes occurredAt from the command's instant, or now", () => {
    const s = Scenario.issued().advance(5).do({ type: 'acknowledge', response: 'will_comply', servedAt: new Date(ISSUED_AT.getTime() + HOUR) });
    expect(s.events[1].occurredAt).toEqual(new Date(ISSUED_AT.getTime() + HOUR));
    s.do({ type: 'schedule_release', releaseAt: s.in(100) });
    expect(s.events[2].occurredAt).toEqual(s.now);
    s.do({ type: 'plan_pickup', at: s.in(100) });
    expect(s.events[3].occurredAt).toEqual(s.now); // the planning happened now; the plan is in data.at
    s.advance(3).do({ type: 'start_hold', since: s.in(-2) });
    expect(s.events[4].occurredAt).toEqual(s.in(-2));
  });

  it('increments the version once per command, even when it emits two events', () => {
    const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' }).advance(1);
    const events = eventsOf(s.try({ type: 'release', at: s.now, destination: 'other_agency', to: COOK }));
    expect(events.map((e) => [e.kind, e.version, e.lodging])).toEqual([
      ['released', 3, 1],
      ['lodged', 3, 2],
    ]);
  });
});

describe('input rules for instants', () => {
  const acknowledged = () => Scenario.issued().advance(10).do({ type: 'acknowledge', response: 'will_comply' });
  const cases: [string, (s: Scenario, t: Date) => DetainerCommand, string][] = [
    ['acknowledge.servedAt', (_s, t) => ({ type: 'acknowledge', response: 'will_comply', servedAt: t }), 'servedAt'],
    ['start_hold.since', (_s, t) => ({ type: 'start_hold', since: t }), 'since'],
    ['transfer_to_ice.at', (_s, t) => ({ type: 'transfer_to_ice', at: t }), 'at'],
    ['release.at', (_s, t) => ({ type: 'release', at: t, destination: 'community' }), 'at'],
    ['refuse.at', (_s, t) => ({ type: 'refuse', at: t, reason: 'policy' }), 'at'],
    ['record_decline.at', (_s, t) => ({ type: 'record_decline', at: t, reason: 'gone', source: 'ice_observed' }), 'at'],
  ];
  const build = (field: string) => (field === 'servedAt' ? Scenario.issued().advance(10) : acknowledged());

  it.each(cases)('%s must not precede the lodging', (_name, make, field) => {
    const s = build(field);
    const error = errorOf(s.try(make(s, new Date(ISSUED_AT.getTime() - 1)), 'system'));
    expect(error.details).toEqual([{ field, message: expect.stringContaining('before this lodging began') }]);
    expect(error.message).toContain('(America/Los_Angeles)');
    expect(eventsOf(s.try(make(s, ISSUED_AT), 'system')).length).toBeGreaterThan(0);
  });

  it.each(cases)('%s may be at most 5 minutes in the future', (_name, make, field) => {
    const s = build(field);
    const error = errorOf(s.try(make(s, new Date(s.now.getTime() + 5 * 60_000 + 1)), 'system'));
    expect(error.details).toEqual([{ field, message: expect.stringContaining('in the future') }]);
    expect(eventsOf(s.try(make(s, new Date(s.now.getTime() + 5 * 60_000)), 'system')).length).toBeGreaterThan(0);
  });

  it.each(cases)('%s must be a valid Date', (_name, make, field) => {
    const s = build(field);
    expect(errorOf(s.try(make(s, new Date(Number.NaN)), 'system')).details).toEqual([{ field, message: `${field} is not a valid instant` }]);
  });

  it('record_outcome.at must lie within the lodging and the clock', () => {
    const s = Scenario.issued().advance(3);
    s.do({ type: 'transfer_to_ice', at: s.now }).advance(1);
    expect(errorOf(s.try({ type: 'record_outcome', kind: 'removed', at: s.in(1) })).details).toEqual([{ field: 'at', message: expect.stringContaining('future') }]);
    expect(errorOf(s.try({ type: 'record_outcome', kind: 'removed', at: new Date(0) })).details).toEqual([{ field: 'at', message: expect.stringContaining('before') }]);
  });

  it('plan_pickup plans the future but not before the lodging', () => {
    const s = acknowledged();
    expect(eventsOf(s.try({ type: 'plan_pickup', at: s.in(24 * 30) }))[0].data).toEqual({ at: s.in(24 * 30) });
    expect(errorOf(s.try({ type: 'plan_pickup', at: new Date(0) })).details).toEqual([{ field: 'at', message: expect.stringContaining('before') }]);
  });

  it('requires reasons and notes', () => {
    const s = acknowledged();
    expect(errorOf(s.try({ type: 'refuse', at: s.now, reason: '  ' })).details).toEqual([{ field: 'reason', message: 'reason is required' }]);
    expect(errorOf(s.try({ type: 'record_decline', at: s.now, reason: '', source: 'lea_reported' })).details).toEqual([
      { field: 'reason', message: 'reason is required' },
    ]);
    expect(errorOf(s.try({ type: 'claim_citizenship', note: '' })).details).toEqual([{ field: 'note', message: 'note is required' }]);
  });

  it('rejects values outside the vocabulary (commands built from unchecked input)', () => {
    const s = Scenario.issued().advance(1);
    const reason: string = 'bored';
    const decision = decide(s.detainer, { type: 'cancel', reason: reason as CancelReason }, { now: s.now, actor: actorFor('officer') });
    expect(errorOf(decision).details).toEqual([{ field: 'reason', message: expect.stringContaining('must be one of') }]);
    const response: string = 'maybe';
    const ack = decide(s.detainer, { type: 'acknowledge', response: response as AckResponse }, { now: s.now, actor: actorFor('jail_staff') });
    expect(errorOf(ack).details).toEqual([{ field: 'response', message: expect.stringContaining('will_comply') }]);
  });
});

describe('schedule_release', () => {
  it('keeps the lead time and flags short notice', () => {
    const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    s.do({ type: 'schedule_release', releaseAt: s.in(47.5) });
    expect(s.events[2].data).toEqual({ releaseAt: s.in(47.5), noticeLeadHours: 47.5, shortNotice: true });
    expect(s.lodging()).toMatchObject({ status: 'release_scheduled', noticeLeadHours: 47.5, shortNotice: true, firstNoticeRecordedAt: s.now, releaseScheduledRecordedAt: s.now });
  });

  it('is repeatable: the latest schedule and lead win, the first notice is kept', () => {
    const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    const first = s.now;
    s.do({ type: 'schedule_release', releaseAt: s.in(100) }).advance(60);
    s.do({ type: 'schedule_release', releaseAt: s.in(20) });
    expect(s.lodging()).toMatchObject({ releaseAt: s.in(20), noticeLeadHours: 20, shortNotice: true, firstNoticeRecordedAt: first, releaseScheduledRecordedAt: s.now });
    s.advance(1).do({ type: 'schedule_release', releaseAt: s.in(50) });
    expect(s.lodging()).toMatchObject({ noticeLeadHours: 50, shortNotice: false });
  });

  it('rejects a release time in the past: record the release instead', () => {
    const s = Scenario.issued().advance(10).do({ type: 'acknowledge', response: 'will_comply' });
    const error = errorOf(s.try({ type: 'schedule_release', releaseAt: new Date(s.now.getTime() - 5 * 60_000 - 1) }));
    expect(error.details).toEqual([{ field: 'releaseAt', message: expect.stringContaining('record the release instead') }]);
    const late = eventsOf(s.try({ type: 'schedule_release', releaseAt: new Date(s.now.getTime() - 3 * 60_000) }));
    expect(late[0].data).toMatchObject({ noticeLeadHours: -0.05, shortNotice: true });
  });

  it('keeps a refused lodging refused', () => {
    const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_not_comply' });
    s.do({ type: 'refuse', at: s.now, reason: 'policy' }).do({ type: 'schedule_release', releaseAt: s.in(80) });
    expect(s.lodging()).toMatchObject({ status: 'refused', releaseAt: s.in(80) });
  });
});

describe('holds', () => {
  it('carries the hold deadline computed in the facility zone', () => {
    const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    s.do({ type: 'start_hold', since: s.now });
    expect(s.events[2].data).toEqual({ since: s.now, expiresAt: s.in(48) });
    expect(s.lodging()).toMatchObject({ status: 'held', holdSince: s.now, holdExpiresAt: s.in(48) });
  });

  it('counts only business days for the pre-2015 I-247', () => {
    // Friday 2014-01-17 17:00 EST, before Martin Luther King Day
    const since = new Date('2014-01-17T22:00:00Z');
    const s = Scenario.issued({ form: 'I-247', issuedAt: new Date('2014-01-10T15:00:00Z'), place: { ...CLARK, timeZone: 'America/New_York' } });
    s.at(since).do({ type: 'acknowledge', response: 'will_comply' }).do({ type: 'start_hold', since });
    expect(s.lodging().holdExpiresAt).toEqual(new Date('2014-01-22T22:00:00Z'));
  });

  it('a refusal ends the hold', () => {
    const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    s.do({ type: 'start_hold', since: s.now }).advance(3).do({ type: 'refuse', at: s.now, reason: 'policy', policyId: 'pol-1' });
    expect(s.lodging()).toMatchObject({ status: 'refused', refusedAt: s.now, refusedRecordedAt: s.now, refusalReason: 'policy', policyId: 'pol-1' });
    expect(allowedActions(s.detainer)).not.toContain('start_hold');
  });
});

describe('release to another agency', () => {
  it('closes the lodging as transferred and opens the next at the receiving facility', () => {
    const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' }).advance(5);
    const at = s.in(-1);
    s.do({ type: 'release', at, destination: 'other_agency', to: COOK });
    expect(s.lodging(1)).toMatchObject({ status: 'transferred', closedAt: at, releasedAt: at, destination: 'other_agency', toFacilityId: COOK.facilityId, declined: false });
    expect(s.lodging(2)).toMatchObject({ seq: 2, status: 'issued', openedAt: at, place: COOK, declineReports: [], declined: false });
    expect(s.lodging(2).response).toBeUndefined();
    expect(s.detainer.status).toBe('issued');
    // instants now bound to the new lodging
    expect(errorOf(s.try({ type: 'acknowledge', response: 'will_comply', servedAt: s.in(-2) })).details).toEqual([
      { field: 'servedAt', message: expect.stringContaining('America/Chicago') },
    ]);
  });

  it('refuses a move within one agency', () => {
    const s = Scenario.issued().advance(1);
    const error = errorOf(s.try({ type: 'release', at: s.now, destination: 'other_agency', to: CLARK_ANNEX }));
    expect(error.details).toEqual([{ field: 'toFacilityId', message: expect.stringContaining('a move within one agency is not a transfer') }]);
  });

  it('refuses a receiving facility without a valid zone', () => {
    const s = Scenario.issued().advance(1);
    const error = errorOf(s.try({ type: 'release', at: s.now, destination: 'other_agency', to: { ...COOK, timeZone: 'Nowhere' } }));
    expect(error.details).toEqual([{ field: 'toFacilityId', message: expect.stringContaining('time zone') }]);
  });
});

describe('record_decline, claims, cancellation, outcomes', () => {
  it('a decline learned after the fact ends custody', () => {
    const s = Scenario.issued().advance(24 * 9);
    const at = s.in(-24 * 3);
    s.do({ type: 'record_decline', at, reason: 'released on bond', source: 'ice_observed' });
    expect(s.lodging()).toMatchObject({
      status: 'released',
      releasedAt: at,
      closedAt: at,
      destination: 'community',
      releaseRecordedAt: s.now,
      declineReports: [{ at, recordedAt: s.now, reason: 'released on bond', source: 'ice_observed' }],
      declined: true,
      declineKind: 'no_notice',
      declineRecordedAt: s.now,
    });
  });

  it.each([
    ['claim_citizenship', 'us_citizen', 'citizenship'],
    ['dispute_identity', 'wrong_subject', 'identity'],
  ] as const)('%s upheld cancels as %s', (type, reason, claim) => {
    const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    s.do({ type: 'start_hold', since: s.now }).do({ type, note: 'claim' }, 'jail_staff');
    expect(s.lodging()).toMatchObject({ status: 'disputed', identityClaim: claim, statusBeforeDispute: 'held', holdSince: s.now });
    s.advance(1).do({ type: 'decide_identity_claim', decision: 'upheld', note: 'confirmed' });
    expect(s.events[s.events.length - 1]).toMatchObject({ kind: 'cancelled', data: { reason, note: 'confirmed' } });
    expect(s.detainer).toMatchObject({ status: 'cancelled', cancelReason: reason, cancelNote: 'confirmed', cancelledAt: s.now });
    expect(s.lodging().identityClaim).toBeUndefined();
  });

  it('a rejected claim restores the status before the dispute, hold fields intact', () => {
    const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    const since = s.now;
    s.do({ type: 'start_hold', since }).do({ type: 'claim_citizenship', note: 'says born in Texas' });
    s.do({ type: 'decide_identity_claim', decision: 'rejected', note: 'no record' });
    expect(s.lodging()).toMatchObject({ status: 'held', holdSince: since, holdExpiresAt: new Date(since.getTime() + 48 * HOUR) });
    expect(s.lodging().identityClaim).toBeUndefined();
    expect(s.lodging().statusBeforeDispute).toBeUndefined();
  });

  it('cancel records reason, note and time', () => {
    const s = Scenario.issued().advance(2).do({ type: 'cancel', reason: 'superseded', note: 'new detainer det-2' });
    expect(s.detainer).toMatchObject({ status: 'cancelled', cancelReason: 'superseded', cancelNote: 'new detainer det-2', cancelledAt: s.now });
    expect(s.lodging()).toMatchObject({ status: 'cancelled', closedAt: s.now });
  });

  it('record_outcome is repeatable and the latest wins', () => {
    const s = Scenario.issued().advance(1);
    s.do({ type: 'transfer_to_ice', at: s.now }).advance(24);
    s.do({ type: 'record_outcome', kind: 'ice_arrest', at: s.in(-24) }).advance(24 * 20);
    s.do({ type: 'record_outcome', kind: 'removed', at: s.now, relatedDetainerId: 'det-0' });
    expect(s.detainer.outcome).toEqual({ kind: 'removed', at: s.now, relatedDetainerId: 'det-0' });
    expect(s.detainer.status).toBe('honored');
    expect(s.lodging()).toMatchObject({ status: 'honored', honoredAt: new Date(ISSUED_AT.getTime() + HOUR) });
  });
});

describe('evolve and replay', () => {
  it('replay folds the events into the same state', () => {
    const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply', bookingNumber: 'BK-2', reason: 'ok', policyId: 'p' });
    s.do({ type: 'release', at: s.now, destination: 'other_agency', to: COOK }).advance(2);
    s.do({ type: 'acknowledge', response: 'will_not_comply' }, 'jail_staff', COOK).advance(1);
    s.do({ type: 'release', at: s.now, destination: 'community' }, 'jail_staff', COOK);
    expect(replay(s.events)).toEqual(s.detainer);
    expect(s.detainer.version).toBe(5);
    expect(s.lodging(1)).toMatchObject({ bookingNumber: 'BK-2', responseReason: 'ok', policyId: 'p' });
  });

  it('refuses to replay nothing or to apply events before the issue', () => {
    expect(() => replay([])).toThrow();
    const s = Scenario.issued().advance(1).do({ type: 'acknowledge', response: 'will_comply' });
    expect(() => evolve(null, s.events[1])).toThrow(/before 'detainer_issued'/);
    expect(() => evolve(s.detainer, s.events[0])).toThrow(/already issued/);
  });

  it('does not mutate the state it is given', () => {
    const s = Scenario.issued().advance(1);
    const before = structuredClone(s.detainer);
    const decision = s.try({ type: 'record_decline', at: s.now, reason: 'gone', source: 'ice_observed' });
    const after = eventsOf(decision).reduce((st, e) => evolve(st, e), s.detainer);
    expect(s.detainer).toEqual(before);
    expect(after.lodgings[0].declined).toBe(true);
  });
});
