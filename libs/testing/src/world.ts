import { INestApplication } from '@nestjs/common';
import type TestAgent from 'supertest/lib/agent';
import { Principal, ReferenceDataService, UserAdminService } from '@app/application';
import { Role } from '@app/domain';
import { AgencyRecord, AreaRecord, FacilityRecord, JurisdictionRecord } from '@app/persistence';

export const TEST_PASSWORD = 'correct-horse-battery';

export interface World {
  areas: Record<'SEA' | 'CHI' | 'PHI' | 'SPM', AreaRecord>;
  jurisdictions: Record<'king' | 'snohomish' | 'cook' | 'franklinIA' | 'franklinPA', JurisdictionRecord>;
  agencies: Record<'king' | 'snohomish' | 'cook' | 'franklinIA' | 'franklinPA', AgencyRecord>;
  facilities: Record<'kingJail' | 'snohomishJail' | 'cookJail' | 'franklinIAJail' | 'franklinPAJail', FacilityRecord>;
  users: Record<UserKey, { id: string; username: string; role: Role }>;
}

export type UserKey =
  | 'admin' | 'analyst' | 'officerSea' | 'officerChi' | 'officerPhi' | 'supervisorSea' | 'supervisorChi'
  | 'jailKing' | 'jailSnohomish' | 'jailCook' | 'jailFranklinPA';

/**
 * A small country: same-named counties in two states (Franklin IA and PA), facilities in three
 * time zones, two counties in one AOR for transfers, and a user of every role.
 */
export async function buildWorld(app: INestApplication): Promise<World> {
  const refs = app.get(ReferenceDataService);
  const users = app.get(UserAdminService);
  const areas = {
    SEA: await refs.createArea({ code: 'SEA', name: 'Seattle' }),
    CHI: await refs.createArea({ code: 'CHI', name: 'Chicago' }),
    PHI: await refs.createArea({ code: 'PHI', name: 'Philadelphia' }),
    SPM: await refs.createArea({ code: 'SPM', name: 'St. Paul' }),
  };
  const county = (name: string, state: string, fips: string) => refs.createJurisdiction({ name, kind: 'county', state, fips });
  const jurisdictions = {
    king: await county('King County', 'WA', '53033'),
    snohomish: await county('Snohomish County', 'WA', '53061'),
    cook: await county('Cook County', 'IL', '17031'),
    franklinIA: await county('Franklin County', 'IA', '19069'),
    franklinPA: await county('Franklin County', 'PA', '42055'),
  };
  const agency = (ori: string, name: string, j: JurisdictionRecord) => refs.createAgency({ ori, name, jurisdictionId: j.id });
  const agencies = {
    king: await agency('WA0170000', 'King County Department of Adult and Juvenile Detention', jurisdictions.king),
    snohomish: await agency('WA0310000', 'Snohomish County Sheriff', jurisdictions.snohomish),
    cook: await agency('IL0160000', 'Cook County Sheriff', jurisdictions.cook),
    franklinIA: await agency('IA0350000', 'Franklin County Sheriff', jurisdictions.franklinIA),
    franklinPA: await agency('PA0280000', 'Franklin County Sheriff', jurisdictions.franklinPA),
  };
  const facility = (a: AgencyRecord, name: string, timeZone: string, area: AreaRecord) => refs.createFacility({ agencyId: a.id, name, timeZone, areaId: area.id });
  const facilities = {
    kingJail: await facility(agencies.king, 'King County Correctional Facility', 'America/Los_Angeles', areas.SEA),
    snohomishJail: await facility(agencies.snohomish, 'Snohomish County Jail', 'America/Los_Angeles', areas.SEA),
    cookJail: await facility(agencies.cook, 'Cook County Jail', 'America/Chicago', areas.CHI),
    franklinIAJail: await facility(agencies.franklinIA, 'Franklin County Jail', 'America/Chicago', areas.SPM),
    franklinPAJail: await facility(agencies.franklinPA, 'Franklin County Jail', 'America/New_York', areas.PHI),
  };
  const user = async (username: string, role: Role, unit: { agencyId?: string; areaId?: string } = {}) => {
    const u = await users.create({ username, password: TEST_PASSWORD, role, ...unit });
    return { id: u.id, username: u.username, role: u.role };
  };
  return {
    areas,
    jurisdictions,
    agencies,
    facilities,
    users: {
      admin: await user('admin', 'admin'),
      analyst: await user('analyst', 'analyst'),
      officerSea: await user('officer.sea', 'officer', { areaId: areas.SEA.id }),
      officerChi: await user('officer.chi', 'officer', { areaId: areas.CHI.id }),
      officerPhi: await user('officer.phi', 'officer', { areaId: areas.PHI.id }),
      supervisorSea: await user('supervisor.sea', 'supervisor', { areaId: areas.SEA.id }),
      supervisorChi: await user('supervisor.chi', 'supervisor', { areaId: areas.CHI.id }),
      jailKing: await user('jail.king', 'jail_staff', { agencyId: agencies.king.id }),
      jailSnohomish: await user('jail.snohomish', 'jail_staff', { agencyId: agencies.snohomish.id }),
      jailCook: await user('jail.cook', 'jail_staff', { agencyId: agencies.cook.id }),
      jailFranklinPA: await user('jail.franklin.pa', 'jail_staff', { agencyId: agencies.franklinPA.id }),
    },
  };
}

/** Signs in over HTTP and returns the bearer token. */
export async function tokenFor(http: TestAgent, username: string, password = TEST_PASSWORD): Promise<string> {
  const res = await http.post('/api/v1/auth/token').send({ username, password });
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { accessToken: string }).accessToken;
}

/** Tokens for every user of the world, keyed like `world.users`. */
export async function tokensFor(http: TestAgent, world: World): Promise<Record<UserKey, string>> {
  const entries = await Promise.all(
    (Object.entries(world.users) as [UserKey, { username: string }][]).map(async ([key, u]) => [key, await tokenFor(http, u.username)] as const),
  );
  return Object.fromEntries(entries) as Record<UserKey, string>;
}

/** A valid I-247A body for an officer, lodged with `facilityId`; override any part. */
export function i247aBody(facilityId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'I-247A',
    facilityId,
    bookingNumber: 'B-1001',
    subject: { aNumber: 'A012345678', familyName: 'Doe', givenName: 'John', dateOfBirth: '1980-05-17', sex: 'M', citizenship: 'MX' },
    charges: [{ description: 'Burglary, second degree', ncicCode: '2202', level: 'felony', status: 'pending' }],
    probableCause: ['biometric_match'],
    warrant: { form: 'I-200', number: 'SEA-2026-000001' },
    channel: 'electronic',
    ...overrides,
  };
}

/** A world user as the use cases see them (their AOR or agency), for tests that call use cases directly. */
export function principalOf(world: World, key: UserKey): Principal {
  const u = world.users[key];
  const row = { officerSea: 'SEA', supervisorSea: 'SEA', officerChi: 'CHI', supervisorChi: 'CHI', officerPhi: 'PHI' } as Record<string, 'SEA' | 'CHI' | 'PHI'>;
  const agency = { jailKing: 'king', jailSnohomish: 'snohomish', jailCook: 'cook', jailFranklinPA: 'franklinPA' } as Record<string, keyof World['agencies']>;
  return {
    kind: 'user',
    id: u.id,
    name: u.username,
    role: u.role,
    agencyId: agency[key] ? world.agencies[agency[key]].id : null,
    areaId: row[key] ? world.areas[row[key]].id : null,
  };
}
