import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ActionRequest, ApplicationModule, Clock, IssueDetainer, IssueRequest, Principal, RecordDetainerAction, ReferenceDataService,
  UserAdminService,
} from '@app/application';
import { AppConfig, AppConfigModule } from '@app/config';
import { Role } from '@app/domain';
import { AgencyRecord, AreaRecord, Database, FacilityRecord, JurisdictionRecord, PersistenceModule } from '@app/persistence';

/** A clock the seed moves, so that demo history has realistic times. */
class SeedClock extends Clock {
  private current = new Date();
  now(): Date {
    return new Date(this.current);
  }
  set(instant: Date): void {
    this.current = instant;
  }
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Demo data for a first look: several AORs; same-named counties in different states (Franklin IA,
 * NY and PA; Brown SD and WI); facilities in four time zones (one without DST); a user of every role;
 * detainers in every state, laid down through the real use cases.
 */
export async function seedDemo(config: AppConfig, log: (line: string) => void = console.log): Promise<void> {
  const clock = new SeedClock();
  @Module({ imports: [AppConfigModule.forRoot(config), PersistenceModule, ApplicationModule.forRoot({ clock })] })
  class SeedModule {}
  const app = await NestFactory.createApplicationContext(SeedModule, { logger: ['error', 'warn'] });
  try {
    const db = app.get(Database);
    const existing = await db.read((sql) => sql.one<{ n: string }>('SELECT count(*) AS n FROM areas'));
    if (Number(existing?.n ?? 0) > 0) {
      log('Demo data: the database already holds data; leaving it as it is.');
      return;
    }
    const password = process.env.DEMO_PASSWORD ?? 'demo-password-2026';
    const refs = app.get(ReferenceDataService);
    const users = app.get(UserAdminService);
    const issue = app.get(IssueDetainer);
    const act = app.get(RecordDetainerAction);

    const area = (code: string, name: string) => refs.createArea({ code, name });
    const areas = {
      SEA: await area('SEA', 'Seattle'),
      SFR: await area('SFR', 'San Francisco'),
      CHI: await area('CHI', 'Chicago'),
      NYC: await area('NYC', 'New York City'),
      PHI: await area('PHI', 'Philadelphia'),
      SPM: await area('SPM', 'St. Paul'),
      PHO: await area('PHO', 'Phoenix'),
    };
    const county = (name: string, state: string, fips: string) => refs.createJurisdiction({ name, kind: 'county', state, fips });
    const j = {
      king: await county('King County', 'WA', '53033'),
      snohomish: await county('Snohomish County', 'WA', '53061'),
      cook: await county('Cook County', 'IL', '17031'),
      clark: await county('Clark County', 'NV', '32003'),
      nassau: await county('Nassau County', 'NY', '36059'),
      franklinIA: await county('Franklin County', 'IA', '19069'),
      franklinNY: await county('Franklin County', 'NY', '36033'),
      franklinPA: await county('Franklin County', 'PA', '42055'),
      brownSD: await county('Brown County', 'SD', '46013'),
      brownWI: await county('Brown County', 'WI', '55009'),
      maricopa: await county('Maricopa County', 'AZ', '04013'),
      washingtonState: await refs.createJurisdiction({ name: 'State of Washington', kind: 'state', state: 'WA' }),
    };
    await refs.createPolicy(j.king.id, {
      kind: 'ordinance', citation: 'King County Code 2.15.010 (Ordinance 17886, demo citation)',
      summary: 'Honors detainers only with a judicial warrant; notification limited.', limitsHold: true, limitsNotification: true, limitsAccess: true,
      effectiveFrom: '2014-10-01',
    });
    await refs.createPolicy(j.cook.id, {
      kind: 'ordinance', citation: 'Cook County Ordinance 11-O-73 (demo citation)',
      summary: 'Declines holds on civil immigration detainers absent a written agreement for reimbursement.', limitsHold: true, limitsNotification: false, limitsAccess: true,
      effectiveFrom: '2011-09-07',
    });
    await refs.createPolicy(j.clark.id, {
      kind: 'sheriff_policy', citation: 'LVMPD detention policy (demo citation)',
      summary: 'Historic policy limiting holds; lapsed.', limitsHold: true, limitsNotification: false, limitsAccess: false,
      effectiveFrom: '2014-07-01', effectiveTo: '2016-12-31',
    });

    const agency = (ori: string, name: string, jr: JurisdictionRecord, program287g: 'none' | 'jail_enforcement' = 'none') =>
      refs.createAgency({ ori, name, jurisdictionId: jr.id, program287g });
    const ag = {
      king: await agency('WA0170000', 'King County Department of Adult and Juvenile Detention', j.king),
      snohomish: await agency('WA0310000', 'Snohomish County Sheriff', j.snohomish),
      cook: await agency('IL0160000', 'Cook County Sheriff', j.cook),
      clark: await agency('NV0020000', 'Las Vegas Metropolitan Police Department', j.clark, 'jail_enforcement'),
      nassau: await agency('NY0290000', 'Nassau County Sheriff', j.nassau),
      franklinIA: await agency('IA0350000', 'Franklin County Sheriff', j.franklinIA),
      franklinNY: await agency('NY0170000', 'Franklin County Sheriff', j.franklinNY),
      franklinPA: await agency('PA0280000', 'Franklin County Sheriff', j.franklinPA),
      brownSD: await agency('SD0070000', 'Brown County Sheriff', j.brownSD),
      brownWI: await agency('WI0050000', 'Brown County Sheriff', j.brownWI),
      maricopa: await agency('AZ0070000', 'Maricopa County Sheriff', j.maricopa, 'jail_enforcement'),
      waDoc: await agency('WA034015C', 'Washington State Department of Corrections', j.washingtonState),
    };
    const facility = (a: AgencyRecord, name: string, timeZone: string, ar: AreaRecord) => refs.createFacility({ agencyId: a.id, name, timeZone, areaId: ar.id });
    const f = {
      kingJail: await facility(ag.king, 'King County Correctional Facility', 'America/Los_Angeles', areas.SEA),
      snohomishJail: await facility(ag.snohomish, 'Snohomish County Jail', 'America/Los_Angeles', areas.SEA),
      monroe: await facility(ag.waDoc, 'Monroe Correctional Complex', 'America/Los_Angeles', areas.SEA),
      cookJail: await facility(ag.cook, 'Cook County Jail', 'America/Chicago', areas.CHI),
      clarkJail: await facility(ag.clark, 'Clark County Detention Center', 'America/Los_Angeles', areas.SFR),
      nassauJail: await facility(ag.nassau, 'Nassau County Correctional Center', 'America/New_York', areas.NYC),
      franklinIAJail: await facility(ag.franklinIA, 'Franklin County Jail', 'America/Chicago', areas.SPM),
      franklinNYJail: await facility(ag.franklinNY, 'Franklin County Jail', 'America/New_York', areas.NYC),
      franklinPAJail: await facility(ag.franklinPA, 'Franklin County Jail', 'America/New_York', areas.PHI),
      brownSDJail: await facility(ag.brownSD, 'Brown County Jail', 'America/Chicago', areas.SPM),
      brownWIJail: await facility(ag.brownWI, 'Brown County Jail', 'America/Chicago', areas.CHI),
      maricopaJail: await facility(ag.maricopa, 'Lower Buckeye Jail', 'America/Phoenix', areas.PHO),
    };

    const user = async (username: string, role: Role, unit: { agencyId?: string; areaId?: string } = {}): Promise<Principal> => {
      const u = await users.create({ username, password, role, email: `${username}@demo.detainers.localhost`, ...unit });
      return { kind: 'user', id: u.id, name: u.username, role: u.role, agencyId: u.agencyId, areaId: u.areaId };
    };
    const officerSea = await user('officer.sea', 'officer', { areaId: areas.SEA.id });
    const supervisorSea = await user('supervisor.sea', 'supervisor', { areaId: areas.SEA.id });
    const officerChi = await user('officer.chi', 'officer', { areaId: areas.CHI.id });
    await user('supervisor.chi', 'supervisor', { areaId: areas.CHI.id });
    const officerSfr = await user('officer.sfr', 'officer', { areaId: areas.SFR.id });
    const jailKing = await user('jail.king', 'jail_staff', { agencyId: ag.king.id });
    const jailSnohomish = await user('jail.snohomish', 'jail_staff', { agencyId: ag.snohomish.id });
    const jailCook = await user('jail.cook', 'jail_staff', { agencyId: ag.cook.id });
    const jailClark = await user('jail.clark', 'jail_staff', { agencyId: ag.clark.id });
    await user('analyst', 'analyst');

    const now = Date.now();
    const at = (offsetMs: number) => new Date(now + offsetMs);
    const iso = (offsetMs: number) => at(offsetMs).toISOString();
    let serial = 0;
    const lodge = async (officer: Principal, fac: FacilityRecord, issuedAgo: number, person: Partial<IssueRequest['subject']> = {}, form: IssueRequest['type'] = 'I-247A') => {
      serial += 1;
      clock.set(at(-issuedAgo));
      const body: IssueRequest = {
        type: form,
        facilityId: fac.id,
        bookingNumber: `BK-${2026000 + serial}`,
        subject: {
          aNumber: `A${String(200100000 + serial * 7919).padStart(9, '0')}`,
          familyName: DEMO_NAMES[serial % DEMO_NAMES.length][0],
          givenName: DEMO_NAMES[serial % DEMO_NAMES.length][1],
          dateOfBirth: `19${70 + (serial % 25)}-0${1 + (serial % 9)}-1${serial % 9}`,
          sex: serial % 3 === 0 ? 'F' : 'M',
          citizenship: ['MX', 'GT', 'HN', 'SV', 'CN', 'IN'][serial % 6],
          ...person,
        },
        charges: [{ description: CHARGES[serial % CHARGES.length], level: serial % 2 ? 'felony' : 'misdemeanor', status: serial % 3 ? 'pending' : 'convicted' }],
        probableCause: ['biometric_match'],
        warrant: { form: 'I-200', number: `${officer.areaId ? 'W' : 'X'}-2026-${String(serial).padStart(6, '0')}` },
        channel: 'electronic',
      };
      return (await issue.execute(officer, body, { requestId: 'seed' })).id;
    };
    const step = async (who: Principal, id: string, whenAgo: number, request: ActionRequest) => {
      clock.set(at(-whenAgo));
      await act.execute(who, id, request, { requestId: 'seed' });
    };

    // issued, waiting for the jail (one of them over 24 h: the supervisor's queue)
    await lodge(officerSea, f.kingJail, 3 * HOUR);
    await lodge(officerSea, f.kingJail, 30 * HOUR);
    // acknowledged
    const ack = await lodge(officerSea, f.kingJail, 2 * DAY);
    await step(jailKing, ack, 2 * DAY - 2 * HOUR, { type: 'acknowledge', response: 'will_comply' });
    // release scheduled in 3 days, and one in 30 hours (short notice when given)
    const soon = await lodge(officerSea, f.kingJail, 5 * DAY);
    await step(jailKing, soon, 5 * DAY - HOUR, { type: 'acknowledge', response: 'will_comply' });
    await step(jailKing, soon, 4 * DAY, { type: 'schedule_release', releaseAt: iso(3 * DAY) });
    const shortNotice = await lodge(officerChi, f.cookJail, 6 * DAY);
    await step(jailCook, shortNotice, 6 * DAY - HOUR, { type: 'acknowledge', response: 'will_notify_only', reason: 'County ordinance limits holds' });
    await step(jailCook, shortNotice, HOUR, { type: 'schedule_release', releaseAt: iso(30 * HOUR) });
    // held, expiring in about 10 hours
    const held = await lodge(officerSea, f.kingJail, 8 * DAY);
    await step(jailKing, held, 8 * DAY - HOUR, { type: 'acknowledge', response: 'will_comply' });
    await step(jailKing, held, 4 * DAY, { type: 'schedule_release', releaseAt: iso(-38 * HOUR) });
    await step(jailKing, held, 38 * HOUR, { type: 'start_hold', since: iso(-38 * HOUR) });
    // refused in custody (a decline, person still held)
    const refused = await lodge(officerChi, f.cookJail, 400 * DAY);
    await step(jailCook, refused, 399 * DAY, { type: 'acknowledge', response: 'will_comply' });
    await step(jailCook, refused, 2 * DAY, { type: 'refuse', at: iso(-2 * DAY), reason: 'New county policy: no holds on civil detainers' });
    // disputed: the person says they are a U.S. citizen
    const disputed = await lodge(officerSea, f.snohomishJail, 4 * DAY);
    await step(jailSnohomish, disputed, 4 * DAY - HOUR, { type: 'acknowledge', response: 'will_comply' });
    await step(jailSnohomish, disputed, 3 * HOUR, { type: 'claim_citizenship', note: 'Subject presents a U.S. passport' });
    // honored: transferred to federal custody, outcome recorded
    const honored = await lodge(officerSea, f.kingJail, 20 * DAY);
    await step(jailKing, honored, 20 * DAY - HOUR, { type: 'acknowledge', response: 'will_comply' });
    await step(jailKing, honored, 15 * DAY, { type: 'schedule_release', releaseAt: iso(-10 * DAY) });
    await step(officerSea, honored, 12 * DAY, { type: 'plan_pickup', at: iso(-10 * DAY) });
    await step(jailKing, honored, 10 * DAY, { type: 'transfer_to_ice', at: iso(-10 * DAY) });
    await step(officerSea, honored, 9 * DAY, { type: 'record_outcome', kind: 'ice_arrest', at: iso(-10 * DAY) });
    // released without notice: a decline
    const noNotice = await lodge(officerSfr, f.clarkJail, 25 * DAY);
    await step(jailClark, noNotice, 25 * DAY - HOUR, { type: 'acknowledge', response: 'will_comply' });
    await step(jailClark, noNotice, 18 * DAY, { type: 'release', at: iso(-18 * DAY), destination: 'community' });
    // notified and held, no pickup before expiry: a missed pickup, not a decline
    const missed = await lodge(officerSea, f.kingJail, 30 * DAY);
    await step(jailKing, missed, 30 * DAY - HOUR, { type: 'acknowledge', response: 'will_comply' });
    await step(jailKing, missed, 27 * DAY, { type: 'schedule_release', releaseAt: iso(-24 * DAY) });
    await step(jailKing, missed, 24 * DAY, { type: 'start_hold', since: iso(-24 * DAY) });
    await step(jailKing, missed, 22 * DAY - HOUR, { type: 'release', at: iso(-22 * DAY + HOUR), destination: 'community' });
    // transferred from King County to Snohomish County, acknowledged there
    const moved = await lodge(officerSea, f.kingJail, 12 * DAY);
    await step(jailKing, moved, 12 * DAY - HOUR, { type: 'acknowledge', response: 'will_comply' });
    await step(jailKing, moved, 6 * DAY, { type: 'release', at: iso(-6 * DAY), destination: 'other_agency', toFacilityId: f.snohomishJail.id });
    await step(jailSnohomish, moved, 5 * DAY, { type: 'acknowledge', response: 'will_comply' });
    // misdirected: the person was never there
    const misdirected = await lodge(officerChi, f.cookJail, 9 * DAY);
    await step(jailCook, misdirected, 9 * DAY - 2 * HOUR, { type: 'report_not_in_custody', note: 'No one by this name or A-number in custody' });
    // cancelled as issued in error
    const cancelled = await lodge(officerSea, f.kingJail, 7 * DAY);
    await step(supervisorSea, cancelled, 6 * DAY, { type: 'cancel', reason: 'issued_in_error', note: 'Wrong booking' });
    // one person lodged twice over the years (linked by A-number)
    const repeat = { aNumber: 'A098765432', familyName: 'Example', givenName: 'Repeat', dateOfBirth: '1979-06-14', sex: 'M' as const, citizenship: 'MX' };
    const first = await lodge(officerSea, f.kingJail, 700 * DAY, repeat);
    await step(jailKing, first, 699 * DAY, { type: 'acknowledge', response: 'will_comply' });
    await step(jailKing, first, 690 * DAY, { type: 'release', at: iso(-690 * DAY), destination: 'community' });
    await lodge(officerSea, f.kingJail, 26 * HOUR, repeat);

    log(`Demo data loaded: ${Object.keys(areas).length} AORs, ${Object.keys(j).length} jurisdictions, ${Object.keys(f).length} facilities, ${serial} detainers.`);
  } finally {
    await app.close();
  }
}

const DEMO_NAMES: [string, string][] = [
  ['Garcia', 'Luis'], ['Lopez', 'Ana'], ['Hernandez', 'Jose'], ['Martinez', 'Maria'], ['Nguyen', 'Minh'], ['Chen', 'Wei'], ['Patel', 'Ravi'], ['Ramirez', 'Carlos'],
];
const CHARGES = ['Driving under the influence', 'Burglary, second degree', 'Assault, fourth degree', 'Possession of a controlled substance', 'Theft, third degree'];
