/**
 * Given/when/then helper for decider tests (and other layers' tests): runs commands through `decide`
 * and `evolve` with a controllable clock. Not exported from the package index.
 */
import { ACTION_ROLES, type Decision, decide, evolve } from './decider';
import type { Actor, DetainerCommand, DetainerEvent, DetainerState, IssueCommand, LodgingPlace, LodgingState, Role } from './types';

export const HOUR = 3_600_000;

/** Clark County Detention Center, Las Vegas (Pacific time). */
export const CLARK: LodgingPlace = {
  facilityId: 'fac-ccdc',
  agencyId: 'agency-lvmpd',
  jurisdictionId: 'US-NV-32003',
  areaId: 'SFR',
  timeZone: 'America/Los_Angeles',
};

/** Another agency's facility in another zone: Cook County Jail, Chicago (Central time). */
export const COOK: LodgingPlace = {
  facilityId: 'fac-cook',
  agencyId: 'agency-cook-so',
  jurisdictionId: 'US-IL-17031',
  areaId: 'CHI',
  timeZone: 'America/Chicago',
};

/** A second facility of Clark's agency: moving there is not a transfer. */
export const CLARK_ANNEX: LodgingPlace = { ...CLARK, facilityId: 'fac-ccdc-annex' };

export function actorFor(role: Role | 'system', place: LodgingPlace = CLARK): Actor {
  switch (role) {
    case 'jail_staff':
      return { kind: 'user', id: 'user-jail', role, agencyId: place.agencyId, areaId: null };
    case 'system':
      return { kind: 'system', id: null, role, agencyId: null, areaId: null };
    case 'officer':
    case 'supervisor':
      return { kind: 'user', id: `user-${role}`, role, agencyId: null, areaId: place.areaId };
    case 'admin':
    case 'analyst':
      return { kind: 'user', id: `user-${role}`, role, agencyId: null, areaId: null };
    default: {
      const _never: never = role;
      return _never;
    }
  }
}

export function issueCommand(overrides: Partial<IssueCommand> = {}): IssueCommand {
  return {
    type: 'issue',
    detainerId: 'det-1',
    form: 'I-247A',
    subjectId: 'subj-1',
    place: CLARK,
    bookingNumber: 'BK-1001',
    charges: [{ description: 'Burglary', level: 'felony', status: 'pending' }],
    probableCause: ['biometric_match'],
    warrant: { form: 'I-200', number: 'W-555' },
    channel: 'electronic',
    ...overrides,
  };
}

/** The first role allowed to take `type`: a role that is never forbidden. */
export function defaultRole(type: DetainerCommand['type']): Role {
  const role = ACTION_ROLES[type][0];
  if (role === undefined) throw new Error(`No role may ${type}`);
  return role;
}

export class Scenario {
  events: DetainerEvent[] = [];
  state: DetainerState | null = null;

  constructor(public now: Date) {}

  static issued(overrides: Partial<IssueCommand> = {}, now?: Date): Scenario {
    const issuedAt = overrides.issuedAt ?? new Date('2018-03-01T17:00:00Z');
    return new Scenario(now ?? issuedAt).do({ ...issueCommand(overrides), issuedAt });
  }

  advance(hours: number): this {
    this.now = new Date(this.now.getTime() + hours * HOUR);
    return this;
  }

  at(instant: Date | string): this {
    this.now = typeof instant === 'string' ? new Date(instant) : instant;
    return this;
  }

  /** `now` shifted by `hours`, without moving the clock. */
  in(hours: number): Date {
    return new Date(this.now.getTime() + hours * HOUR);
  }

  try(command: DetainerCommand, role: Role | 'system' = defaultRole(command.type), place?: LodgingPlace): Decision {
    return decide(this.state, command, { now: this.now, actor: actorFor(role, place ?? this.place()) });
  }

  /** Decides and applies; throws when the command is refused. */
  do(command: DetainerCommand, role: Role | 'system' = defaultRole(command.type), place?: LodgingPlace): this {
    const decision = this.try(command, role, place);
    if (!decision.ok) throw new Error(`${command.type} refused: ${decision.error.code}: ${decision.error.message}`);
    for (const event of decision.events) this.state = evolve(this.state, event);
    this.events.push(...decision.events);
    return this;
  }

  get detainer(): DetainerState {
    if (this.state === null) throw new Error('Nothing issued yet');
    return this.state;
  }

  /** The current lodging, or lodging `seq`. */
  lodging(seq?: number): LodgingState {
    const lodgings = this.detainer.lodgings;
    const lodging = seq === undefined ? lodgings[lodgings.length - 1] : lodgings.find((l) => l.seq === seq);
    if (!lodging) throw new Error(`No lodging ${seq}`);
    return lodging;
  }

  private place(): LodgingPlace {
    return this.state === null ? CLARK : this.lodging().place;
  }
}
