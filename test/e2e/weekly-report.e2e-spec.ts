import { ReferenceDataService, ReportCalendar, RollUpMarkedWeeks, RollUpWeek, UserAdminService, WeeklyReport } from '@app/application';
import { contributionKey, DEFAULT_WEEK_CONFIG, isReportMeasure, replay, StoredMeasure, weekContaining } from '@app/domain';
import { contributionOfRow, decodeEvent, EventRow, projectionOf, StoredContributionRow } from '@app/persistence';
import { AgencyRecord, AreaRecord, FacilityRecord, JurisdictionRecord } from '@app/persistence';
import { asSuperuser, buildWorld, i247aBody, startTestApi, storedAndReplayedContributions, TEST_PASSWORD, TestApi, tokenFor, tokensFor, World } from '@test/support';

/**
 * The nine errors of the 2017 Declined Detainer Outcome Reports, replayed through the real API for
 * the week of 28 January to 3 February 2017 (Saturday 00:00 US Eastern), and the report getting each
 * right; then publication, corrections as new versions, and the outputs.
 */
describe('weekly declined-detainer report (e2e): the 2017 failures', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<string, string>;
  let calendar: ReportCalendar;
  let rollUpWeek: RollUpWeek;
  let rollUpMarkedWeeks: RollUpMarkedWeeks;
  const WEEK = '2017-01-28';

  // Extra places: same-named counties and jails in other states, the Texas transfer counties, and more.
  const more = {} as {
    areas: Record<'SNA' | 'NYC' | 'SFR' | 'ATL', AreaRecord>;
    j: Record<'travis' | 'williamson' | 'bastrop' | 'montgomeryIA' | 'franklinNY' | 'chester' | 'richmond' | 'brownSD' | 'brownWI' | 'clark' | 'nassau', JurisdictionRecord>;
    a: Record<string, AgencyRecord>;
    f: Record<string, FacilityRecord>;
  };

  let serial = 0;
  const as = (user: string) => ({
    post: (path: string, body: object = {}) => api.http.post(path).set('Authorization', `Bearer ${tokens[user]}`).send(body),
    get: (path: string) => api.http.get(path).set('Authorization', `Bearer ${tokens[user]}`),
  });
  const ok = <T = { id: string; version: number; status: string }>(res: { status: number; body: unknown }, status = 200): T => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as T;
  };
  /** Issues a legacy I-247D (in force 2015 to 1 April 2017) at the clock's current time. */
  const issue = async (facilityId: string, officer: string, overrides: Record<string, unknown> = {}) => {
    serial += 1;
    const body = i247aBody(facilityId, {
      type: 'I-247D',
      issuedAt: api.clock.now().toISOString(),
      subject: { aNumber: `A${String(200000000 + serial)}`, familyName: `Subject${serial}`, givenName: 'Test', dateOfBirth: '1985-02-03', citizenship: 'MX' },
      ...overrides,
    });
    return ok(await as(officer).post('/api/v1/detainers', body), 201);
  };
  const act = async (user: string, id: string, action: string, body: object = {}) => ok(await as(user).post(`/api/v1/detainers/${id}/${action}`, body));
  const set = (iso: string) => api.clock.set(iso);
  const live = async (week = WEEK, user = 'supervisorSea') => ok<WeeklyReport>(await as(user).get(`/api/v1/reports/weekly/${week}?version=live`));
  const row = (r: WeeklyReport, code: string) => r.jurisdictions.find((j) => j.code === code);

  const ids: Record<string, string> = {};

  beforeAll(async () => {
    api = await startTestApi({ env: { REPORT_WEEK_START: 'saturday', REPORT_TIME_ZONE: 'America/New_York' } });
    world = await buildWorld(api.app);
    calendar = api.app.get(ReportCalendar);
    rollUpWeek = api.app.get(RollUpWeek);
    rollUpMarkedWeeks = api.app.get(RollUpMarkedWeeks);
    const refs = api.app.get(ReferenceDataService);
    const users = api.app.get(UserAdminService);
    more.areas = {
      SNA: await refs.createArea({ code: 'SNA', name: 'San Antonio' }),
      NYC: await refs.createArea({ code: 'NYC', name: 'New York' }),
      SFR: await refs.createArea({ code: 'SFR', name: 'San Francisco' }),
      ATL: await refs.createArea({ code: 'ATL', name: 'Atlanta' }),
    };
    const county = (name: string, state: string, fips: string) => refs.createJurisdiction({ name, kind: 'county', state, fips });
    more.j = {
      travis: await county('Travis County', 'TX', '48453'),
      williamson: await county('Williamson County', 'TX', '48491'),
      bastrop: await county('Bastrop County', 'TX', '48021'),
      montgomeryIA: await county('Montgomery County', 'IA', '19137'),
      franklinNY: await county('Franklin County', 'NY', '36033'),
      chester: await county('Chester County', 'PA', '42029'),
      richmond: await county('Richmond County', 'NC', '37153'),
      brownSD: await county('Brown County', 'SD', '46013'),
      brownWI: await county('Brown County', 'WI', '55009'),
      clark: await county('Clark County', 'NV', '32003'),
      nassau: await county('Nassau County', 'NY', '36059'),
    };
    const agency = (ori: string, name: string, j: JurisdictionRecord, program287g: 'none' | 'jail_enforcement' = 'none') =>
      refs.createAgency({ ori, name, jurisdictionId: j.id, program287g });
    more.a = {
      travis: await agency('TX2270000', 'Travis County Sheriff', more.j.travis),
      williamson: await agency('TX2460000', 'Williamson County Sheriff', more.j.williamson),
      bastrop: await agency('TX0110000', 'Bastrop County Sheriff', more.j.bastrop),
      montgomeryIA: await agency('IA0690000', 'Montgomery County Sheriff', more.j.montgomeryIA),
      franklinNY: await agency('NY0160000', 'Franklin County Sheriff', more.j.franklinNY),
      chester: await agency('PA0150000', 'Chester County Prison', more.j.chester),
      richmond: await agency('NC0770000', 'Richmond County Sheriff', more.j.richmond),
      brownSD: await agency('SD0070000', 'Brown County Sheriff', more.j.brownSD),
      brownWI: await agency('WI0050000', 'Brown County Sheriff', more.j.brownWI),
      clark: await agency('NV0020000', 'Las Vegas Metropolitan Police Department', more.j.clark),
      nassau: await agency('NY0300000', 'Nassau County Sheriff', more.j.nassau, 'jail_enforcement'),
    };
    const facility = (a: AgencyRecord, name: string, timeZone: string, area: AreaRecord) => refs.createFacility({ agencyId: a.id, name, timeZone, areaId: area.id });
    more.f = {
      travis: await facility(more.a.travis, 'Travis County Correctional Complex', 'America/Chicago', more.areas.SNA),
      williamson: await facility(more.a.williamson, 'Williamson County Jail', 'America/Chicago', more.areas.SNA),
      bastrop: await facility(more.a.bastrop, 'Bastrop County Jail', 'America/Chicago', more.areas.SNA),
      montgomeryIA: await facility(more.a.montgomeryIA, 'Montgomery County Jail', 'America/Chicago', world.areas.SPM),
      franklinNY: await facility(more.a.franklinNY, 'Franklin County Jail', 'America/New_York', more.areas.NYC),
      chester: await facility(more.a.chester, 'Chester County Prison', 'America/New_York', world.areas.PHI),
      richmond: await facility(more.a.richmond, 'Richmond County Jail', 'America/New_York', more.areas.ATL),
      brownSD: await facility(more.a.brownSD, 'Brown County Jail', 'America/Chicago', world.areas.SPM),
      brownWI: await facility(more.a.brownWI, 'Brown County Jail', 'America/Chicago', world.areas.CHI),
      clark: await facility(more.a.clark, 'Clark County Detention Center', 'America/Los_Angeles', more.areas.SFR),
      nassau: await facility(more.a.nassau, 'Nassau County Correctional Center', 'America/New_York', more.areas.NYC),
    };
    const extraUsers: [string, 'officer' | 'supervisor' | 'jail_staff', { agencyId?: string; areaId?: string }][] = [
      ['officerSna', 'officer', { areaId: more.areas.SNA.id }],
      ['officerNyc', 'officer', { areaId: more.areas.NYC.id }],
      ['officerSfr', 'officer', { areaId: more.areas.SFR.id }],
      ['officerAtl', 'officer', { areaId: more.areas.ATL.id }],
      ['officerSpm', 'officer', { areaId: world.areas.SPM.id }],
      ['supervisorSna', 'supervisor', { areaId: more.areas.SNA.id }],
      ['supervisorNyc', 'supervisor', { areaId: more.areas.NYC.id }],
      ['jailTravis', 'jail_staff', { agencyId: more.a.travis.id }],
      ['jailWilliamson', 'jail_staff', { agencyId: more.a.williamson.id }],
      ['jailBastrop', 'jail_staff', { agencyId: more.a.bastrop.id }],
      ['jailChester', 'jail_staff', { agencyId: more.a.chester.id }],
      ['jailRichmond', 'jail_staff', { agencyId: more.a.richmond.id }],
      ['jailClark', 'jail_staff', { agencyId: more.a.clark.id }],
      ['jailNassau', 'jail_staff', { agencyId: more.a.nassau.id }],
    ];
    for (const [username, role, unit] of extraUsers) await users.create({ username, password: TEST_PASSWORD, role, ...unit });
    tokens = { ...(await tokensFor(api.http, world)) };
    for (const [username] of extraUsers) tokens[username] = await tokenFor(api.http, username);

    // Policies. Travis: new sheriff's policy in force from 1 February 2017 (mid-week). Nassau: a limit in force.
    // Cook: expired before the week. King: not yet in force. (2017 error 8)
    await refs.createPolicy(more.j.travis.id, { kind: 'sheriff_policy', citation: 'Travis County Sheriff Policy 2017-01', summary: 'Honors detainers only for capital murder, aggravated sexual assault and human smuggling', limitsHold: true, limitsNotification: false, limitsAccess: false, effectiveFrom: '2017-02-01' });
    await refs.createPolicy(more.j.nassau.id, { kind: 'executive_order', citation: 'Nassau County EO 12-2016', summary: 'Holds only with a judicial warrant', limitsHold: true, limitsNotification: false, limitsAccess: false, effectiveFrom: '2016-06-01' });
    await refs.createPolicy(world.jurisdictions.cook.id, { kind: 'ordinance', citation: 'Cook County Ord. 11-O-73', summary: 'No holds (repealed for this test)', limitsHold: true, limitsNotification: true, limitsAccess: true, effectiveFrom: '2011-09-07', effectiveTo: '2016-12-31' });
    await refs.createPolicy(world.jurisdictions.king.id, { kind: 'ordinance', citation: 'King County Ord. 18665', summary: 'Not yet in force this week', limitsHold: true, limitsNotification: false, limitsAccess: true, effectiveFrom: '2017-03-01' });

    // ---- history before the week
    // 2017 error 4: people held in Travis County for years on old detainers.
    set('2015-03-10T16:00:00Z');
    ids.travisOld2015 = (await issue(more.f.travis.id, 'officerSna')).id;
    await act('jailTravis', ids.travisOld2015, 'acknowledge', { response: 'will_comply' });
    set('2016-06-01T16:00:00Z');
    ids.travisOld2016 = (await issue(more.f.travis.id, 'officerSna')).id;
    await act('jailTravis', ids.travisOld2016, 'acknowledge', { response: 'will_comply' });
    set('2017-01-20T16:00:00Z');
    ids.travisJan20 = (await issue(more.f.travis.id, 'officerSna')).id;
    await act('jailTravis', ids.travisJan20, 'acknowledge', { response: 'will_comply' });
    // A decline learned weeks after issue: issued 3 January at Cook, recorded in the report week.
    set('2017-01-03T16:00:00Z');
    ids.cookLate = (await issue(world.facilities.cookJail.id, 'officerChi')).id;
    await act('jailCook', ids.cookLate, 'acknowledge', { response: 'will_comply' });

    // ---- the week of 28 January 2017
    // 2017 error 1: same-named counties (Franklin IA, PA, NY; Montgomery IA) and jails (Brown County Jail SD and WI).
    set('2017-01-30T15:00:00Z');
    ids.franklinIA = (await issue(world.facilities.franklinIAJail.id, 'officerSpm')).id;
    ids.franklinPA1 = (await issue(world.facilities.franklinPAJail.id, 'officerPhi')).id;
    ids.franklinPA2 = (await issue(world.facilities.franklinPAJail.id, 'officerPhi')).id;
    ids.franklinNY = (await issue(more.f.franklinNY.id, 'officerNyc')).id;
    ids.montgomeryIA = (await issue(more.f.montgomeryIA.id, 'officerSpm')).id;
    ids.brownSD = (await issue(more.f.brownSD.id, 'officerSpm')).id;
    ids.brownWI1 = (await issue(more.f.brownWI.id, 'officerChi')).id;
    ids.brownWI2 = (await issue(more.f.brownWI.id, 'officerChi')).id;

    // 2017 error 2: Williamson and Bastrop transfer the person to Travis, where the release happens.
    set('2017-01-29T15:00:00Z');
    ids.williamson = (await issue(more.f.williamson.id, 'officerSna')).id;
    await act('jailWilliamson', ids.williamson, 'acknowledge', { response: 'will_comply' });
    ids.bastrop = (await issue(more.f.bastrop.id, 'officerSna')).id;
    await act('jailBastrop', ids.bastrop, 'acknowledge', { response: 'will_comply' });
    set('2017-01-30T18:00:00Z');
    await act('jailWilliamson', ids.williamson, 'release', { at: '2017-01-30T18:00:00Z', destination: 'other_agency', toFacilityId: more.f.travis.id });
    await act('jailBastrop', ids.bastrop, 'release', { at: '2017-01-30T18:00:00Z', destination: 'other_agency', toFacilityId: more.f.travis.id });
    set('2017-01-31T16:00:00Z');
    await act('jailTravis', ids.williamson, 'acknowledge', { response: 'will_comply' });
    await act('jailTravis', ids.bastrop, 'acknowledge', { response: 'will_comply' });
    set('2017-01-31T20:00:00Z');
    await act('jailTravis', ids.williamson, 'release', { at: '2017-01-31T20:00:00Z', destination: 'community' }); // no notice: a decline at Travis
    await act('jailTravis', ids.bastrop, 'release', { at: '2017-01-31T20:00:00Z', destination: 'community' });

    // 2017 error 3: issued to the wrong place; the jail answers "not in custody".
    set('2017-01-30T16:00:00Z');
    ids.chester = (await issue(more.f.chester.id, 'officerPhi')).id;
    ids.richmond = (await issue(more.f.richmond.id, 'officerAtl')).id;
    set('2017-01-30T18:00:00Z');
    await act('jailChester', ids.chester, 'not-in-custody', { note: 'No such inmate' });
    await act('jailRichmond', ids.richmond, 'not-in-custody', { note: 'Held in Richmond County, GA' });

    // 2017 error 4: the new policy takes effect on 1 February and the jail refuses the old detainers that day.
    set('2017-02-01T14:00:00Z');
    ids.travisNew = (await issue(more.f.travis.id, 'officerSna')).id;
    await act('jailTravis', ids.travisNew, 'acknowledge', { response: 'will_comply' });
    set('2017-02-01T18:00:00Z');
    for (const id of [ids.travisOld2015, ids.travisOld2016, ids.travisJan20, ids.travisNew]) {
      await act('jailTravis', id, 'refuse', { at: '2017-02-01T18:00:00Z', reason: 'Sheriff policy 2017-01' });
    }

    // 2017 error 5: notified, and federal officers picked the person up at release: honored, never declined.
    set('2017-01-28T17:00:00Z');
    ids.clarkHonored = (await issue(more.f.clark.id, 'officerSfr')).id;
    await act('jailClark', ids.clarkHonored, 'acknowledge', { response: 'will_comply' });
    await act('jailClark', ids.clarkHonored, 'schedule-release', { releaseAt: '2017-01-31T17:00:00Z' });
    await act('officerSfr', ids.clarkHonored, 'plan-pickup', { at: '2017-01-31T17:00:00Z' });
    set('2017-01-31T17:30:00Z');
    await act('officerSfr', ids.clarkHonored, 'transfer-to-ice', { at: '2017-01-31T17:00:00Z' });

    // 2017 error 6: notified, held 48 hours, nobody came: a missed pickup, not a decline.
    set('2017-01-28T18:00:00Z');
    ids.clarkMissed = (await issue(more.f.clark.id, 'officerSfr')).id;
    await act('jailClark', ids.clarkMissed, 'acknowledge', { response: 'will_comply' });
    await act('jailClark', ids.clarkMissed, 'schedule-release', { releaseAt: '2017-01-30T20:00:00Z' }); // 50 h ahead
    set('2017-01-30T20:00:00Z');
    await act('jailClark', ids.clarkMissed, 'start-hold', { since: '2017-01-30T20:00:00Z' });
    set('2017-02-01T20:30:00Z');
    await act('jailClark', ids.clarkMissed, 'release', { at: '2017-02-01T20:30:00Z', destination: 'community' });

    // 2017 error 7: three issued to Nassau, one acknowledged as received.
    set('2017-01-31T14:00:00Z');
    ids.nassau1 = (await issue(more.f.nassau.id, 'officerNyc')).id;
    ids.nassau2 = (await issue(more.f.nassau.id, 'officerNyc')).id;
    ids.nassau3 = (await issue(more.f.nassau.id, 'officerNyc')).id;
    await act('jailNassau', ids.nassau1, 'acknowledge', { response: 'will_comply' });

    // 2017 error 9: Nassau (a 287(g) participant) disputes a record about it.
    const dispute = ok<{ id: string; status: string }>(await as('jailNassau').post(`/api/v1/detainers/${ids.nassau2}/disputes`, { reason: 'Never received; federal officers work in our jail under 287(g)', reasonPublic: true }), 201);
    ids.nassauDispute = dispute.id;

    // A U.S. citizen: claimed at once, confirmed by the supervisor, cancelled as us_citizen and excluded.
    set('2017-02-02T15:00:00Z');
    ids.citizen = (await issue(world.facilities.kingJail.id, 'officerSea', { subject: { aNumber: 'A299999999', familyName: 'Citizen', givenName: 'Pat', dateOfBirth: '1979-07-04', citizenship: 'MX' } })).id;
    await act('jailKing', ids.citizen, 'claim-citizenship', { note: 'U.S. passport presented' });
    await act('supervisorSea', ids.citizen, 'decide-identity-claim', { decision: 'upheld', note: 'Passport verified' });

    // A decline learned weeks after issue lands in the week it was recorded.
    set('2017-01-30T21:00:00Z');
    await act('officerChi', ids.cookLate, 'record-decline', { at: '2017-01-27T12:00:00Z', reason: 'Released without notice; learned from the court', source: 'ice_observed' });

    set('2017-02-06T15:00:00Z'); // the week has closed
  });
  afterAll(() => api.close());

  it('1. attributes by canonical code: same-named counties and jails in other states are separate rows', async () => {
    const r = await live();
    const franklins = r.jurisdictions.filter((j) => j.name === 'Franklin County').map((j) => [j.code, j.state, j.issued]);
    expect(franklins).toEqual([['US-IA-19069', 'IA', 1], ['US-NY-36033', 'NY', 1], ['US-PA-42055', 'PA', 2]]);
    expect(row(r, 'US-IA-19137')).toMatchObject({ name: 'Montgomery County', issued: 1 });
    const browns = r.jurisdictions.filter((j) => j.name === 'Brown County').map((j) => [j.code, j.issued]);
    expect(browns).toEqual([['US-SD-46013', 1], ['US-WI-55009', 2]]);
    expect(r.states.find((s) => s.state === 'PA')).toMatchObject({ issued: 2, excluded: 1 });
  });

  it('2. a decline after a transfer belongs to the county that released the person', async () => {
    const r = await live();
    expect(row(r, 'US-TX-48491')).toMatchObject({ issued: 1, declined: 0 }); // Williamson
    expect(row(r, 'US-TX-48021')).toMatchObject({ issued: 1, declined: 0 }); // Bastrop
    const travis = row(r, 'US-TX-48453')!;
    expect(travis.declinedByKind).toEqual({ refused: 4, no_notice: 2, hold_refused: 0 });
  });

  it('3. misdirected detainers are neither issued nor declined there, and are shown as excluded', async () => {
    const r = await live();
    expect(row(r, 'US-PA-42029')).toMatchObject({ issued: 0, declined: 0, excluded: 1, excludedByReason: expect.objectContaining({ misdirected: 1 }) });
    expect(row(r, 'US-NC-37153')).toMatchObject({ issued: 0, declined: 0, excluded: 1 });
  });

  it('4. refusals in custody on old detainers count in the week recorded, bucketed by the detainer age', async () => {
    const r = await live();
    const travis = row(r, 'US-TX-48453')!;
    expect(travis.issued).toBe(1); // only the detainer issued this week; the old ones counted in their own weeks
    expect(travis.declined).toBe(6);
    // refusals: 2015 (year or more), 2016 (under a year), 20 Jan (under a month), 1 Feb (same day); transfers: issued 29 Jan
    expect(travis.declinedByAge).toEqual({ under_week: 3, under_month: 1, under_year: 1, year_or_more: 1 });
    const cases = r.sections.II.jurisdictions.find((j) => j.code === 'US-TX-48453')!.cases;
    expect(cases.map((c) => [c.issuedDate, c.declinedDate, c.declineKind]).sort()).toEqual([
      ['2015-03-10', '2017-02-01', 'refused'],
      ['2016-06-01', '2017-02-01', 'refused'],
      ['2017-01-20', '2017-02-01', 'refused'],
      ['2017-01-29', '2017-01-31', 'no_notice'],
      ['2017-01-29', '2017-01-31', 'no_notice'],
      ['2017-02-01', '2017-02-01', 'refused'],
    ]);
    // cases carry citizenship and the most serious charge, and no identity
    expect(cases[0]).toMatchObject({ citizenship: 'MX', mostSeriousCharge: { description: 'Burglary, second degree', level: 'felony' } });
    expect(JSON.stringify(r.sections.II)).not.toMatch(/Subject\d|A2000|B-1001|1985-02-03/);
  });

  it('5. notified and picked up is honored, never a decline; 6. a missed pickup is not a decline', async () => {
    const r = await live();
    expect(row(r, 'US-NV-32003')).toMatchObject({ issued: 2, declined: 0, honored: 1, missedPickups: 1, shortNotices: 0 });
    const res = await as('officerSfr').post(`/api/v1/detainers/${ids.clarkHonored}/record-decline`, { at: '2017-01-31T17:00:00Z', reason: 'x', source: 'ice_observed' });
    expect(res.status).toBe(409);
  });

  it('7. issued vs acknowledged: an unacknowledged surplus is flagged and blocks publication until a supervisor confirms', async () => {
    const r = await live();
    const nassau = r.reconciliation.find((x) => x.ori === 'NY0300000')!;
    expect(nassau).toMatchObject({ issued: 3, acknowledged: 1, unacknowledged: 2, flagged: true, confirmation: null });
    expect(row(r, 'US-NY-36059')).toMatchObject({ unacknowledged: 2, reconciliationFlagged: true });
    expect(r.publishable!.ok).toBe(false);

    // everything else that is unacknowledged must be confirmed too; first, try to publish
    let res = await as('supervisorNyc').post(`/api/v1/reports/weekly/${WEEK}/publish`);
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('NY0300000');
    // a supervisor of another area may not confirm Nassau's row
    res = await as('supervisorSea').post(`/api/v1/reports/weekly/${WEEK}/reconciliation/${more.a.nassau.id}/confirm`, { note: 'x' });
    expect(res.status).toBe(404);
    res = await as('supervisorNyc').post(`/api/v1/reports/weekly/${WEEK}/reconciliation/${more.a.nassau.id}/confirm`, { note: '' });
    expect(res.status).toBe(400);
    res = await as('supervisorNyc').post(`/api/v1/reports/weekly/${WEEK}/reconciliation/${more.a.nassau.id}/confirm`, { note: 'Faxed twice; the jail confirms receipt of all three by phone', notePublic: true });
    expect(res.status).toBe(200);
    expect(res.body.reconciliation).toMatchObject({ flagged: true, confirmation: { note: expect.stringContaining('Faxed') } });
  });

  it('8. Section III lists only policies in force during the week, with citations; Section I counts ISSUED', async () => {
    const r = await live();
    expect(r.sections.III.jurisdictions.map((j) => [j.code, j.policies.map((p) => p.citation)])).toEqual([
      ['US-NY-36059', ['Nassau County EO 12-2016']],
      ['US-TX-48453', ['Travis County Sheriff Policy 2017-01']],
    ]);
    expect(row(r, 'US-IL-17031')!.restrictivePolicy).toBe(false); // expired
    expect(row(r, 'US-WA-53033')?.restrictivePolicy ?? false).toBe(false); // not yet in force
    expect(r.sections.I.rows.map((x) => [x.code, x.issued])).toEqual([['US-NY-36059', 3], ['US-TX-48453', 1]]);
    expect(r.sections.I.label).toMatch(/ISSUED.*NOT declines/);
    expect(r.labels.issued).toMatch(/Not declines/);
  });

  it('9. a 287(g) participant\'s dispute is shown on the rows it concerns', async () => {
    const r = await live();
    const nassau = row(r, 'US-NY-36059')!;
    expect(nassau.program287g).toEqual([{ ori: 'NY0300000', program287g: 'jail_enforcement' }]);
    expect(nassau.disputed).toBe(1);
    expect(nassau.disputes).toEqual([expect.objectContaining({ status: 'open', agencyOri: 'NY0300000', reason: expect.stringContaining('287(g)'), measures: ['issued'] })]);
    const sectionI = r.sections.I.rows.find((x) => x.code === 'US-NY-36059')!;
    expect(sectionI).toMatchObject({ disputed: 1, program287g: [{ ori: 'NY0300000', program287g: 'jail_enforcement' }] });
    expect(sectionI.disputes[0].reason).toContain('287(g)');
    expect(r.sections.IV.fidelity.disputedOpen).toBe(1);
  });

  it('a U.S. citizen confirmed at once is cancelled and excluded', async () => {
    const r = await live();
    expect(row(r, 'US-WA-53033')).toMatchObject({ issued: 0, excluded: 1, excludedByReason: expect.objectContaining({ us_citizen: 1 }) });
    expect(r.totals.excludedByReason).toEqual({ issued_in_error: 0, wrong_subject: 0, us_citizen: 1, misdirected: 2, excluded_by_dispute: 0 });
  });

  it('a decline recorded weeks after issue lands in the week it was recorded, not the week of issue', async () => {
    const r = await live();
    expect(row(r, 'US-IL-17031')).toMatchObject({ issued: 0, declined: 1, declinedByAge: expect.objectContaining({ under_month: 1 }), declinedBySource: expect.objectContaining({ ice_observed: 1 }) });
    const issueWeek = await live('2016-12-31');
    expect(row(issueWeek, 'US-IL-17031')).toMatchObject({ issued: 1, declined: 0 });
  });

  it('the whole week adds up, nationwide and by source', async () => {
    const r = await live();
    // issued this week: 8 same-name + 2 transfers + Travis new + 2 Clark + 3 Nassau = 16 (misdirected and the citizen excluded)
    expect(r.totals).toMatchObject({ issued: 16, declined: 7, honored: 1, missedPickups: 1, excluded: 3, unacknowledged: 10 });
    expect(r.sections.IV.fidelity.declines).toEqual({ lea_reported: 6, ice_observed: 1, system: 0, unknown: 0 });
    expect(r.sections.IV.countingRules.join(' ')).toContain('RECORDED');
  });

  it('every detainer\'s stored contributions equal the counting rules applied to a replay of its events', async () => {
    const disputes = await api.db.read((sql) => sql.query<{ detainer_id: string }>('SELECT detainer_id FROM record_disputes'));
    expect(disputes.length).toBe(1);
    const { stored, replayed, detainers } = await storedAndReplayedContributions(api.db);
    expect(detainers).toBeGreaterThan(20);
    expect(stored).toEqual(replayed);
  });

  it('the roll-up of a week adds up exactly the stored contributions whose instant falls in it', async () => {
    await rollUpWeek.execute(WEEK);
    const week = calendar.week(WEEK);
    const { replayed } = await storedAndReplayedContributions(api.db);
    // the week's copy holds the weekly figures' measures; the profile's stay in detainer_contributions
    const expected = replayed.filter((k) => isReportMeasure(k.split('|')[0] as StoredMeasure) && weekContaining(new Date(k.split('|')[6]), DEFAULT_WEEK_CONFIG).weekStart === WEEK);
    const actual = await api.db.read((sql) =>
      sql.query<Record<string, unknown>>('SELECT * FROM report_contributions WHERE week_start = $1', [week.weekStart]),
    );
    const keys = actual.map((r) => contributionKey(contributionOfRow(r as unknown as StoredContributionRow))).sort();
    expect(keys.length).toBeGreaterThan(20);
    expect(keys).toEqual(expected);
  });

  it('re-running the roll-up gives identical figures', async () => {
    const snapshot = () => api.db.read(async (sql) => ({
      contributions: await sql.query('SELECT * FROM report_contributions WHERE week_start = $1 ORDER BY measure, detainer_id, lodging_seq', [WEEK]),
      figures: await sql.query('SELECT * FROM report_figures WHERE week_start = $1 ORDER BY jurisdiction_id', [WEEK]),
      reconciliation: await sql.query('SELECT * FROM report_reconciliation WHERE week_start = $1 ORDER BY agency_id', [WEEK]),
    }));
    const first = await snapshot();
    const before = await live();
    await rollUpWeek.execute(WEEK);
    await rollUpWeek.execute(WEEK);
    expect(await snapshot()).toEqual(first);
    const after = await live();
    expect({ ...after, latestPublishedVersion: null }).toEqual({ ...before, latestPublishedVersion: null });
  });

  it('only supervisors and admins read live figures; analysts and the public read published versions, de-identified', async () => {
    expect((await as('analyst').get(`/api/v1/reports/weekly/${WEEK}?version=live`)).status).toBe(403);
    expect((await api.http.get(`/api/v1/reports/weekly/${WEEK}?version=live`)).status).toBe(401);
    expect((await as('jailTravis').get(`/api/v1/reports/weekly/${WEEK}?version=live`)).status).toBe(403);
    expect((await as('admin').get(`/api/v1/reports/weekly/${WEEK}?version=live`)).status).toBe(200);
    expect((await api.http.get(`/api/v1/reports/weekly/${WEEK}`)).status).toBe(404); // nothing published yet
    expect((await api.http.get(`/api/v1/reports/weekly/2017-01-29`)).status).toBe(400); // a Sunday
    const list = await api.http.get('/api/v1/reports/weekly');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
  });

  let v1: WeeklyReport;

  it('publishing freezes version 1; the public reads it, de-identified, as JSON, CSV and PDF', async () => {
    // Other agencies with unacknowledged detainers must be confirmed too (the rule applies to every row).
    const r = await live();
    const areaSupervisors: Record<string, string> = { [world.areas.SEA.id]: 'supervisorSea', [world.areas.CHI.id]: 'supervisorChi', [more.areas.NYC.id]: 'supervisorNyc', [more.areas.SNA.id]: 'supervisorSna' };
    const pending = r.reconciliation.filter((x) => x.flagged && x.confirmation === null);
    for (const p of pending) {
      const facility = await api.db.read((sql) => sql.one<{ area_id: string }>('SELECT area_id FROM facilities WHERE agency_id = $1 LIMIT 1', [p.agencyId]));
      const supervisor = areaSupervisors[facility!.area_id];
      if (supervisor) {
        ok(await as(supervisor).post(`/api/v1/reports/weekly/${WEEK}/reconciliation/${p.agencyId}/confirm`, { note: 'Receipt confirmed by phone' }));
      } else {
        // no supervisor for this area in the test world: the supervisor table is by area, so add one
        const users = api.app.get(UserAdminService);
        const name = `sup.${p.ori.toLowerCase()}`;
        await users.create({ username: name, password: TEST_PASSWORD, role: 'supervisor', areaId: facility!.area_id });
        tokens[name] = await tokenFor(api.http, name);
        areaSupervisors[facility!.area_id] = name;
        ok(await as(name).post(`/api/v1/reports/weekly/${WEEK}/reconciliation/${p.agencyId}/confirm`, { note: 'Receipt confirmed by phone' }));
      }
    }
    const published = await as('supervisorNyc').post(`/api/v1/reports/weekly/${WEEK}/publish`);
    expect(published.status).toBe(201);
    v1 = published.body as WeeklyReport;
    expect(v1).toMatchObject({ version: 1, status: 'published', publishedBy: 'supervisor', totals: { issued: 16, declined: 7 } });
    // publishing again with nothing changed returns the same version
    const again = await as('supervisorSea').post(`/api/v1/reports/weekly/${WEEK}/publish`);
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(1);

    const pub = await api.http.get(`/api/v1/reports/weekly/${WEEK}`);
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ version: 1, totals: v1.totals });
    expect(JSON.stringify(pub.body)).not.toMatch(/Subject\d|Citizen|A2000|A2999|B-1001|1985-02-03|1979-07-04/);
    expect((await as('analyst').get(`/api/v1/reports/weekly/${WEEK}?version=1`)).body.version).toBe(1);
    const weeks = await api.http.get('/api/v1/reports/weekly');
    expect(weeks.body.items).toEqual([expect.objectContaining({ weekStart: WEEK, weekEnd: '2017-02-03', latestVersion: 1 })]);

    const csv = await api.http.get(`/api/v1/reports/weekly/${WEEK}.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = (csv.text).trim().split('\r\n');
    expect(lines[0]).toContain('detainers_issued_not_declines');
    const jurisdictionLines = lines.filter((l) => l.startsWith('jurisdiction,'));
    const caseLines = lines.filter((l) => l.startsWith('case,'));
    expect(jurisdictionLines).toHaveLength(v1.jurisdictions.length);
    expect(caseLines).toHaveLength(7);
    expect(jurisdictionLines.find((l) => l.includes('US-NY-36059'))).toMatch(/yes \(1 record\(s\) open\).*287\(g\)/);
    expect(csv.text).not.toMatch(/Subject\d|A2000/);

    const pdf = await api.http.get(`/api/v1/reports/weekly/${WEEK}.pdf`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    expect((pdf.body as Buffer).length).toBeGreaterThan(3000);

    const changes = await api.http.get(`/api/v1/reports/weekly/${WEEK}/versions/1/changes`);
    expect(changes.body).toMatchObject({ version: 1, previousVersion: null, records: [] });
  });

  it('authorised users follow a count to its detainers, within their scope', async () => {
    const travis = await as('jailTravis').get(`/api/v1/reports/weekly/${WEEK}/detainers?version=1&measure=declined&jurisdictionId=${more.j.travis.id}`);
    expect(travis.status).toBe(200);
    expect(travis.body.items).toHaveLength(6);
    expect(new Set(travis.body.items.map((i: { detainerId: string }) => i.detainerId))).toEqual(new Set([ids.travisOld2015, ids.travisOld2016, ids.travisJan20, ids.travisNew, ids.williamson, ids.bastrop]));
    // Williamson sees none of Travis's declines, even for the detainer it once held
    const williamson = await as('jailWilliamson').get(`/api/v1/reports/weekly/${WEEK}/detainers?version=1&measure=declined`);
    expect(williamson.body.items).toEqual([]);
    const own = await as('jailWilliamson').get(`/api/v1/reports/weekly/${WEEK}/detainers?version=1&measure=issued`);
    expect(own.body.items.map((i: { detainerId: string }) => i.detainerId)).toEqual([ids.williamson]);
    // an officer of another area sees nothing of Texas
    const chicago = await as('officerChi').get(`/api/v1/reports/weekly/${WEEK}/detainers?version=live&measure=declined&jurisdictionId=${more.j.travis.id}`);
    expect(chicago.status).toBe(403); // live is for supervisors and admins
    const chicagoV1 = await as('officerChi').get(`/api/v1/reports/weekly/${WEEK}/detainers?version=1&measure=declined&jurisdictionId=${more.j.travis.id}`);
    expect(chicagoV1.body.items).toEqual([]);
    const admin = await as('admin').get(`/api/v1/reports/weekly/${WEEK}/detainers?version=live&measure=excluded&exclusion=misdirected`);
    expect(admin.body.items.map((i: { detainerId: string }) => i.detainerId).sort()).toEqual([ids.chester, ids.richmond].sort());
  });

  it('analysts follow published issued, honored and declined counts to their de-identified cases, nationally; never live, never identities', async () => {
    const names = await api.db.read((sql) => sql.query<{ family_name: string; given_name: string; id: string; a_number: string | null }>('SELECT id, family_name, given_name, a_number FROM subjects'));
    const detainerIds = Object.values(ids);
    const report = (await as('analyst').get(`/api/v1/reports/weekly/${WEEK}?version=1`)).body as WeeklyReport;
    for (const measure of ['issued', 'honored', 'declined'] as const) {
      const res = await as('analyst').get(`/api/v1/reports/weekly/${WEEK}/detainers`).query({ version: 1, measure, limit: 100 });
      expect(res.status).toBe(200);
      const total = report.totals[measure as keyof typeof report.totals] as number;
      expect(res.body.items).toHaveLength(total);
      expect(total).toBeGreaterThan(0);
      const body = JSON.stringify(res.body);
      for (const item of res.body.items as Record<string, unknown>[]) {
        expect(item).not.toHaveProperty('detainerId');
        expect(item).not.toHaveProperty('lodgingSeq');
        expect(item).not.toHaveProperty('detainer');
        expect(item.caseRef).toMatch(/^c-[0-9a-f]{12}$/);
      }
      for (const id of detainerIds) expect(body).not.toContain(id);
      for (const s of names) {
        expect(body).not.toContain(s.id);
        expect(body).not.toContain(`"${s.family_name}"`);
        if (s.a_number) expect(body).not.toContain(s.a_number);
      }
      if (measure === 'declined') {
        // the same cases as Section II lists
        expect(new Set((res.body.items as { caseRef: string }[]).map((i) => i.caseRef))).toEqual(new Set(report.sections.II.jurisdictions.flatMap((j) => j.cases.map((c) => c.caseRef))));
      }
    }
    // paging: the cursor an analyst holds reveals no detainer either
    const firstPage = await as('analyst').get(`/api/v1/reports/weekly/${WEEK}/detainers`).query({ version: 1, measure: 'issued', limit: 1 });
    const cursor = firstPage.body.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    for (const id of detainerIds) expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain(id);
    const secondPage = await as('analyst').get(`/api/v1/reports/weekly/${WEEK}/detainers`).query({ version: 1, measure: 'issued', limit: 1, cursor });
    expect(secondPage.status).toBe(200);
    expect(secondPage.body.items[0].caseRef).not.toBe(firstPage.body.items[0].caseRef);
    // by jurisdiction, like the report's rows
    const travis = await as('analyst').get(`/api/v1/reports/weekly/${WEEK}/detainers`).query({ version: 1, measure: 'declined', jurisdictionId: more.j.travis.id });
    expect(travis.body.items).toHaveLength(6);
    expect((await as('analyst').get(`/api/v1/reports/weekly/${WEEK}/detainers?version=live&measure=issued`)).status).toBe(403);
    expect((await as('analyst').get(`/api/v1/reports/weekly/${WEEK}/detainers?version=9&measure=issued`)).status).toBe(404);
  });

  it('a correction after publishing yields version 2 with the right change list; version 1 never changes', async () => {
    // A Franklin PA detainer turns out to have been issued in error, after publication.
    set('2017-02-08T15:00:00Z');
    await act('officerPhi', ids.franklinPA2, 'cancel', { reason: 'issued_in_error', note: 'Wrong facility keyed' });
    const marked = await api.db.read((sql) => sql.one<{ dirty: boolean }>('SELECT (dirty_seq > rolled_seq OR EXISTS (SELECT 1 FROM report_week_marks m WHERE m.week_start = w.week_start)) AS dirty FROM report_weeks w WHERE week_start = $1', [WEEK]));
    expect(marked).toEqual({ dirty: true });
    // the re-roll job's use case: the marked week is rolled and, being published, gets its next version
    expect(await rollUpMarkedWeeks.execute()).toContain(WEEK);

    const v2 = ok<WeeklyReport>(await api.http.get(`/api/v1/reports/weekly/${WEEK}?version=latest`));
    expect(v2).toMatchObject({ version: 2, publishedBy: 'system', totals: { issued: 15, excluded: 4 } });
    expect(row(v2, 'US-PA-42055')).toMatchObject({ issued: 1, excluded: 1, excludedByReason: expect.objectContaining({ issued_in_error: 1 }) });

    const changes = ok<{ version: number; previousVersion: number; figures: { scope: string; key: string | null; field: string; from: unknown; to: unknown }[]; records: { measure: string; change: string; because: { kind: string; detail: Record<string, unknown> }[] }[] }>(
      await api.http.get(`/api/v1/reports/weekly/${WEEK}/versions/2/changes`),
    );
    expect(changes).toMatchObject({ version: 2, previousVersion: 1 });
    expect(changes.figures).toEqual(expect.arrayContaining([
      { scope: 'nationwide', key: null, field: 'issued', from: 16, to: 15 },
      { scope: 'nationwide', key: null, field: 'excluded', from: 3, to: 4 },
      { scope: 'jurisdiction', key: 'US-PA-42055', field: 'issued', from: 2, to: 1 },
      { scope: 'jurisdiction', key: 'US-PA-42055', field: 'excludedByReason.issued_in_error', from: 0, to: 1 },
      { scope: 'state', key: 'PA', field: 'issued', from: 2, to: 1 },
    ]));
    expect(changes.figures.every((c) => ['nationwide', 'state', 'jurisdiction', 'agency'].includes(c.scope))).toBe(true);
    expect(changes.records.map((r) => [r.measure, r.change])).toEqual(expect.arrayContaining([['issued', 'removed'], ['excluded', 'added']]));
    expect(changes.records).toHaveLength(2);
    for (const r of changes.records) expect(r.because).toEqual([expect.objectContaining({ kind: 'cancelled', detail: { reason: 'issued_in_error' } })]);
    expect(JSON.stringify(changes)).not.toContain('Wrong facility keyed'); // free-text notes stay internal

    // version 1 is exactly as published
    const { links: _links, ...again } = ok<WeeklyReport & { links: unknown }>(await api.http.get(`/api/v1/reports/weekly/${WEEK}?version=1`));
    expect(again).toEqual(JSON.parse(JSON.stringify(v1)));
    // and the database refuses to change it: the service may not, and a trigger stops even a superuser
    await expect(api.db.transaction((sql) => sql.query(`UPDATE report_versions SET report = '{}' WHERE week_start = $1`, [WEEK]))).rejects.toThrow(/permission denied/);
    await expect(asSuperuser(api.database, (c) => c.query(`UPDATE report_versions SET report = '{}' WHERE week_start = $1`, [WEEK]))).rejects.toThrow(/append-only/);
    await expect(asSuperuser(api.database, (c) => c.query(`DELETE FROM report_version_contributions`))).rejects.toThrow(/append-only/);
  });

  it('an upheld dispute corrects the record through new events and the next version says why', async () => {
    // Travis disputes the no-notice decline on the detainer transferred from Bastrop: it had notified by phone.
    set('2017-02-09T15:00:00Z');
    const opened = ok<{ id: string; lodging: number }>(await as('jailTravis').post(`/api/v1/detainers/${ids.bastrop}/disputes`, { reason: 'Release notice phoned to the field office on 30 January' }), 201);
    expect(opened.lodging).toBe(2);
    // Bastrop may not dispute Travis's lodging; a duplicate open dispute is refused
    expect((await as('jailBastrop').post(`/api/v1/detainers/${ids.bastrop}/disputes`, { reason: 'x', lodging: 2 })).status).toBe(403);
    expect((await as('jailTravis').post(`/api/v1/detainers/${ids.bastrop}/disputes`, { reason: 'again' })).status).toBe(409);
    // a supervisor of another area cannot see it; the right one must say what it corrects
    expect((await as('supervisorNyc').post(`/api/v1/disputes/${opened.id}/resolve`, { decision: 'upheld', note: 'x', correction: 'retract_decline' })).status).toBe(404);
    expect((await as('supervisorSna').post(`/api/v1/disputes/${opened.id}/resolve`, { decision: 'upheld', note: 'x' })).status).toBe(400);
    const resolved = ok<{ status: string; correction: string }>(await as('supervisorSna').post(`/api/v1/disputes/${opened.id}/resolve`, { decision: 'upheld', note: 'Phone log confirms the notice', notePublic: true, correction: 'retract_decline' }));
    expect(resolved).toMatchObject({ status: 'upheld', correction: 'retract_decline' });

    const detainer = ok<{ lodgings: { declined: boolean }[]; events: { kind: string }[] }>(await as('supervisorSna').get(`/api/v1/detainers/${ids.bastrop}`));
    expect(detainer.lodgings.map((l) => l.declined)).toEqual([false, false]);
    expect(detainer.events.map((e) => e.kind).slice(-3)).toEqual(['record_disputed', 'record_dispute_resolved', 'decline_retracted']);

    await rollUpMarkedWeeks.execute();
    const v3 = ok<WeeklyReport>(await api.http.get(`/api/v1/reports/weekly/${WEEK}`));
    expect(v3.version).toBe(3);
    expect(row(v3, 'US-TX-48453')).toMatchObject({ declined: 5, declinedByKind: { refused: 4, no_notice: 1, hold_refused: 0 }, declinesRetracted: 1 });
    expect(v3.sections.IV.fidelity.corrected).toEqual({ declinesRetracted: 1, excludedByDispute: 0 });
    expect(row(v3, 'US-TX-48453')!.disputes).toEqual([expect.objectContaining({ status: 'upheld', resolution: expect.objectContaining({ correction: 'retract_decline' }) })]);
    const changes = ok<{ records: { measure: string; change: string; because: { kind: string }[] }[] }>(await api.http.get(`/api/v1/reports/weekly/${WEEK}/versions/3/changes`));
    const retracted = changes.records.find((r) => r.measure === 'declined')!;
    expect(retracted.change).toBe('removed');
    expect(retracted.because.map((b) => b.kind)).toEqual(['record_disputed', 'record_dispute_resolved', 'decline_retracted']);
    // Public text: the agency did not mark its reason public, the supervisor marked the note: only the note is published
    const csv = (await api.http.get(`/api/v1/reports/weekly/${WEEK}.csv`)).text;
    for (const published of [JSON.stringify(v3), JSON.stringify(changes), csv]) {
      expect(published).not.toContain('Release notice phoned');
      expect(published).toContain('Phone log confirms the notice');
    }
    expect(row(v3, 'US-TX-48453')!.disputes).toEqual([expect.objectContaining({ reason: null })]);
    expect(csv).toContain('(reason not published)');
    // the record itself keeps the agency's words, for those who may read it
    expect(ok<{ reason: string; reasonPublic: boolean }>(await as('supervisorSna').get(`/api/v1/disputes/${opened.id}`))).toMatchObject({ reason: 'Release notice phoned to the field office on 30 January', reasonPublic: false });
    // the projection is still a replay of the events, retraction included
    const events = await api.db.read((sql) => sql.query<EventRow>('SELECT * FROM detainer_events WHERE detainer_id = $1 ORDER BY seq', [ids.bastrop]));
    const replayed = projectionOf(replay(events.map(decodeEvent)));
    const stored = await api.db.read((sql) => sql.query<Record<string, unknown>>('SELECT * FROM lodgings WHERE detainer_id = $1 ORDER BY seq', [ids.bastrop]));
    for (const column of ['declined', 'decline_kind', 'retracted_decline_recorded_at', 'retracted_decline_kind', 'retraction_dispute_id', 'release_source', 'decline_source']) {
      expect([column, stored.map((r) => r[column] ?? null)]).toEqual([column, replayed.lodgings.map((l) => l[column] ?? null)]);
    }
    // the list of disputes for the supervisor
    const list = ok<{ items: { id: string; status: string }[] }>(await as('supervisorSna').get('/api/v1/disputes?status=upheld'));
    expect(list.items.map((d) => d.id)).toEqual([opened.id]);
  });

  it('a policy recorded after publishing, in force that week, yields the next version listing it; one starting later changes nothing', async () => {
    set('2017-02-10T15:00:00Z');
    const policy = (effectiveFrom: string, citation: string) => ({
      kind: 'sheriff_policy', citation, summary: 'Notifies only with a judicial warrant', limitsHold: false, limitsNotification: true, limitsAccess: false, effectiveFrom,
    });
    const before = ok<WeeklyReport>(await api.http.get(`/api/v1/reports/weekly/${WEEK}`));
    expect(before.version).toBe(3);

    // in force from the day after the week ends: no published week is touched
    ok(await as('admin').post(`/api/v1/jurisdictions/${more.j.clark.id}/policies`, policy('2017-02-04', 'Clark County SO Directive 17-2')), 201);
    expect(await rollUpMarkedWeeks.execute()).toEqual([]);
    expect(ok<WeeklyReport>(await api.http.get(`/api/v1/reports/weekly/${WEEK}`)).version).toBe(3);

    // in force since the Thursday of the week, recorded a week late
    ok(await as('admin').post(`/api/v1/jurisdictions/${more.j.clark.id}/policies`, policy('2017-02-02', 'Clark County SO Directive 17-1')), 201);
    expect(await rollUpMarkedWeeks.execute()).toEqual([WEEK]);
    const v4 = ok<WeeklyReport>(await api.http.get(`/api/v1/reports/weekly/${WEEK}`));
    expect(v4).toMatchObject({ version: 4, publishedBy: 'system', totals: before.totals });
    const clark = v4.sections.III.jurisdictions.find((j) => j.code === more.j.clark.code);
    expect(clark?.policies.map((p) => p.citation)).toEqual(['Clark County SO Directive 17-1']);
    const changes = ok<{ figures: { scope: string; key: string | null; field: string; from: unknown; to: unknown }[]; records: unknown[] }>(
      await api.http.get(`/api/v1/reports/weekly/${WEEK}/versions/4/changes`),
    );
    expect(changes.figures).toEqual(expect.arrayContaining([{ scope: 'section_iii', key: more.j.clark.code, field: 'citations', from: null, to: 'Clark County SO Directive 17-1' }]));
    expect(changes.records).toEqual([]);
  });

  it('after every correction, dispute and late record above, each detainer\'s stored contributions still equal its replay, and the re-rolled week (copied again only for changed detainers) equals them', async () => {
    const { stored, replayed, detainers } = await storedAndReplayedContributions(api.db);
    expect(detainers).toBeGreaterThan(20);
    expect(stored).toEqual(replayed);
    await rollUpWeek.execute(WEEK);
    const inWeek = replayed.filter((k) => isReportMeasure(k.split('|')[0] as StoredMeasure) && weekContaining(new Date(k.split('|')[6]), DEFAULT_WEEK_CONFIG).weekStart === WEEK);
    const rolled = await api.db.read((sql) => sql.query<Record<string, unknown>>('SELECT * FROM report_contributions WHERE week_start = $1', [WEEK]));
    expect(rolled.map((r) => contributionKey(contributionOfRow(r as unknown as StoredContributionRow))).sort()).toEqual(inWeek);
  });
});
