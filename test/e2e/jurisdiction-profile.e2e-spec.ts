import { ReferenceDataService } from '@app/application';
import { buildWorld, i247aBody, startTestApi, storedAndReplayedContributions, TestApi, tokensFor, UserKey, World } from '@test/support';

/**
 * A jurisdiction's profile over a scenario whose every figure is known by construction: eight
 * requests to King County in the week of 31 October 2026, each built to land in chosen numerators
 * and denominators; Snohomish County, with no records, shows every measure as "no cases".
 */
describe('jurisdiction profile (e2e): declared and measured', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  const HOUR = 3_600_000;
  const WEEK = '2026-10-31';
  const ids: Record<string, string> = {};
  let serial = 0;
  let policyId = '';

  const as = (user: UserKey | null) => ({
    post: (path: string, body: object = {}) => (user ? api.http.post(path).set('Authorization', `Bearer ${tokens[user]}`) : api.http.post(path)).send(body),
    get: (path: string) => (user ? api.http.get(path).set('Authorization', `Bearer ${tokens[user]}`) : api.http.get(path)),
    patch: (path: string, body: object) => (user ? api.http.patch(path).set('Authorization', `Bearer ${tokens[user]}`) : api.http.patch(path)).send(body),
  });
  const ok = <T = { id: string }>(res: { status: number; body: unknown }, status = 200): T => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as T;
  };
  const at = (hours: number) => new Date(Date.parse('2026-11-02T15:00:00Z') + hours * HOUR);
  const set = (hours: number) => api.clock.set(at(hours));
  const iso = (hours: number) => at(hours).toISOString();
  const issue = async (name: string, hours: number) => {
    set(hours);
    serial += 1;
    const body = i247aBody(world.facilities.kingJail.id, {
      issuedAt: iso(hours),
      bookingNumber: `B-${serial}`,
      subject: { aNumber: `A${300000000 + serial}`, familyName: `Person${serial}`, givenName: 'Test', dateOfBirth: '1984-03-02', citizenship: 'GT' },
    });
    ids[name] = ok(await as('officerSea').post('/api/v1/detainers', body), 201).id;
  };
  const act = async (user: UserKey, name: string, action: string, hours: number, body: object = {}) => {
    set(hours);
    return ok(await as(user).post(`/api/v1/detainers/${ids[name]}/${action}`, body));
  };
  type Ratio = { numerator: number; denominator: number; rate: number | null };
  type Profile = {
    basis: string; weeks: { count: number; counted: number; notPublished: string[]; firstWeekStart: string };
    measured: Record<string, Ratio & { byKind?: Record<string, number> }>; definitions: Record<string, string>; disagreements: string[];
    declared: { policies: { citation: string }[]; certifications: { kind: string; status: string; inForceDuringWeeks: boolean }[]; program287g: unknown[] };
    trend: { weekStart: string; counted: boolean; measured: Record<string, Ratio> }[];
    disputes: { caseRef: string; detainerId: string | null; status: string; reason: string | null }[];
  };
  const profile = async (user: UserKey | null, query: string, jurisdiction = world.jurisdictions.king.id) =>
    ok<Profile>(await as(user).get(`/api/v1/jurisdictions/${jurisdiction}/profile?${query}`));
  const r = (numerator: number, denominator: number) => ({ numerator, denominator, rate: denominator === 0 ? null : numerator / denominator });

  /** What the scenario gives, measure by measure (see the comments on each request below). */
  const EXPECTED = {
    acknowledgedWithin24h: r(5, 6),
    notifiedAtLeast48h: r(2, 3),
    holdsHonored: r(2, 5),
    custodyToIce: r(1, 5),
    declined: { ...r(3, 5), byKind: { refused: 1, no_notice: 1, hold_refused: 1 } },
    missedPickups: r(1, 2),
    misdirected: r(1, 8),
    cancelledIssuedInError: r(1, 8),
  };

  beforeAll(async () => {
    api = await startTestApi({ env: { REPORT_WEEK_START: 'saturday', REPORT_TIME_ZONE: 'America/New_York' } });
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
    const refs = api.app.get(ReferenceDataService);
    policyId = (await refs.createPolicy(world.jurisdictions.king.id, {
      kind: 'ordinance', citation: 'King County Code 2.15.010', summary: 'Holds only with a judicial warrant', limitsHold: true, limitsNotification: false, limitsAccess: false,
      effectiveFrom: '2026-01-01',
    })).id;
    ok(await as('admin').post(`/api/v1/jurisdictions/${world.jurisdictions.king.id}/certifications`, { kind: 'release_notice_48h', certifiedOn: '2026-01-05', source: 'PSP letter of 5 January 2026' }), 201);
    ok(await as('admin').post(`/api/v1/jurisdictions/${world.jurisdictions.king.id}/certifications`, { kind: 'hold_48h', certifiedOn: '2025-01-05', expiresOn: '2026-02-01', source: 'PSP letter of 5 January 2025' }), 201);

    // d1: acknowledged in 2 h (on time); notice 72 h ahead (on time); custody to ICE (concluded, hold asked and honored)
    await issue('d1', 0);
    await act('jailKing', 'd1', 'acknowledge', 2, { response: 'will_comply' });
    await act('jailKing', 'd1', 'schedule-release', 3, { releaseAt: iso(75) });
    await act('officerSea', 'd1', 'transfer-to-ice', 75, { at: iso(75) });
    // d2: acknowledged after 30 h (late); notice 10 h ahead (short); held 49 h, no pickup: a missed pickup (hold honored)
    await issue('d2', 0.5);
    await act('jailKing', 'd2', 'acknowledge', 30.5, { response: 'will_comply' });
    await act('jailKing', 'd2', 'schedule-release', 31, { releaseAt: iso(41) });
    await act('jailKing', 'd2', 'start-hold', 41, { since: iso(41) });
    await act('jailKing', 'd2', 'release', 90.5, { at: iso(90.5), destination: 'community' });
    // d3: will not comply, then released: declined (refused)
    await issue('d3', 1);
    await act('jailKing', 'd3', 'acknowledge', 2, { response: 'will_not_comply', reason: 'county ordinance' });
    await act('jailKing', 'd3', 'release', 20, { at: iso(20), destination: 'community' });
    // d4: released with no notice: declined (no_notice), and the jail disputes it
    await issue('d4', 1.5);
    await act('jailKing', 'd4', 'acknowledge', 2.5, { response: 'will_comply' });
    await act('jailKing', 'd4', 'release', 22, { at: iso(22), destination: 'community' });
    set(23);
    ok(await as('jailKing').post(`/api/v1/detainers/${ids.d4}/disputes`, { reason: 'We faxed a notice at 08:00', reasonPublic: true }), 201);
    // d5: notice 60 h ahead (on time), released at that time without a hold: declined (hold_refused)
    await issue('d5', 2);
    await act('jailKing', 'd5', 'acknowledge', 3, { response: 'will_comply' });
    await act('jailKing', 'd5', 'schedule-release', 4, { releaseAt: iso(64) });
    await act('jailKing', 'd5', 'release', 64, { at: iso(64), destination: 'community' });
    // d6: not in custody there: misdirected (sent, excluded); d7: cancelled as issued in error (sent, excluded)
    await issue('d6', 3);
    await act('jailKing', 'd6', 'not-in-custody', 4);
    await issue('d7', 3.5);
    await act('officerSea', 'd7', 'cancel', 5, { reason: 'issued_in_error' });
    // d8: acknowledged in 3 h, still held (lodged on time; not concluded)
    await issue('d8', 4);
    await act('jailKing', 'd8', 'acknowledge', 7, { response: 'will_comply' });
    set(96); // Friday 6 November, 15:00 UTC: the week is still open
  });

  afterAll(async () => {
    await api?.close();
  });

  it('stores what the domain reads from each record (profile contributions included)', async () => {
    const { stored, replayed } = await storedAndReplayedContributions(api.db, Object.values(ids));
    expect(stored).toEqual(replayed);
    expect(stored.some((k) => k.startsWith('concluded|'))).toBe(true);
  });

  it('live (supervisor): every numerator and denominator as constructed, with definitions and the disagreement in words', async () => {
    const p = await profile('supervisorSea', 'weeks=1&live=true');
    expect(p.basis).toBe('live');
    expect(p.weeks).toMatchObject({ count: 1, counted: 1, firstWeekStart: WEEK, notPublished: [] });
    expect(p.measured).toEqual(EXPECTED);
    expect(Object.keys(p.definitions).sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(p.disagreements).toEqual([
      "Certified at least 48 hours' notice of release (certified 2026-01-05), but 67 % of releases scheduled in these weeks (2 of 3) were notified that far ahead.",
    ]);
    expect(p.declared.policies.map((x) => x.citation)).toEqual(['King County Code 2.15.010']);
    expect(p.declared.certifications.map((c) => [c.kind, c.status, c.inForceDuringWeeks])).toEqual([['hold_48h', 'expired', false], ['release_notice_48h', 'in_force', true]]);
    // the 52-week trend: the same figures in the one week that has any
    const wide = await profile('supervisorSea', 'weeks=52&live=true');
    expect(wide.trend).toHaveLength(52);
    expect(wide.trend.at(-1)).toMatchObject({ weekStart: WEEK, counted: true });
    expect(wide.trend.at(-1)!.measured).toEqual(EXPECTED);
    expect(wide.trend[0].measured.holdsHonored).toEqual({ numerator: 0, denominator: 0, rate: null });
    expect(wide.measured).toEqual(EXPECTED);
  });

  it('a jurisdiction with no records: every measure is "no cases" (rate null), not 0 %', async () => {
    const p = await profile('admin', 'weeks=4&live=true', world.jurisdictions.snohomish.id);
    for (const m of Object.values(p.measured)) expect(m).toMatchObject({ numerator: 0, denominator: 0, rate: null });
    expect(p.disagreements).toEqual([]);
  });

  it('a dispute shows on the profile; its record id only for callers whose scope reaches it', async () => {
    const sea = await profile('supervisorSea', 'weeks=1&live=true');
    expect(sea.disputes).toEqual([expect.objectContaining({ detainerId: ids.d4, status: 'open', reason: 'We faxed a notice at 08:00' })]);
    const own = await profile('jailKing', 'weeks=1&live=true');
    expect(own.measured).toEqual(EXPECTED);
    expect(own.disputes[0].detainerId).toBe(ids.d4);
    // another AOR's supervisor: the same figures, no record ids anywhere
    const chi = await as('supervisorChi').get(`/api/v1/jurisdictions/${world.jurisdictions.king.id}/profile?weeks=1&live=true`);
    expect(chi.status).toBe(200);
    expect((chi.body as Profile).disputes[0]).toMatchObject({ detainerId: null, caseRef: expect.stringMatching(/^c-[0-9a-f]{12}$/) });
    for (const id of Object.values(ids)) expect(JSON.stringify(chi.body)).not.toContain(id);
  });

  it('scope: live is for supervisors, admins and the jurisdiction\'s own jail; jail staff of another agency are refused', async () => {
    expect((await as(null).get(`/api/v1/jurisdictions/${world.jurisdictions.king.id}/profile?live=true`)).status).toBe(401);
    expect((await as('analyst').get(`/api/v1/jurisdictions/${world.jurisdictions.king.id}/profile?live=true`)).status).toBe(403);
    expect((await as('officerSea').get(`/api/v1/jurisdictions/${world.jurisdictions.king.id}/profile?live=true`)).status).toBe(403);
    // another agency's jail: not theirs, published or live
    expect((await as('jailCook').get(`/api/v1/jurisdictions/${world.jurisdictions.king.id}/profile`)).status).toBe(404);
    expect((await as('jailCook').get(`/api/v1/jurisdictions/${world.jurisdictions.king.id}/profile?live=true`)).status).toBe(404);
    expect((await as('jailCook').get(`/api/v1/jurisdictions/${world.jurisdictions.cook.id}/profile`)).status).toBe(200);
    const bad = await as(null).get(`/api/v1/jurisdictions/${world.jurisdictions.king.id}/profile?weeks=53`);
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'weeks' })]);
    expect((await as(null).get(`/api/v1/jurisdictions/00000000-0000-4000-8000-000000000000/profile`)).status).toBe(404);
  });

  it('public and analysts: published weeks only, de-identified; the same figures once the week is published', async () => {
    set(24 * 5 + 3); // Saturday 7 November 2026, after the week closed
    const before = await profile(null, 'weeks=1');
    expect(before).toMatchObject({ basis: 'published', weeks: { counted: 0, notPublished: [WEEK] } });
    for (const m of Object.values(before.measured)) expect(m).toMatchObject({ numerator: 0, denominator: 0, rate: null });

    ok(await as('supervisorSea').post(`/api/v1/reports/weekly/${WEEK}/publish`), 201);
    for (const user of [null, 'analyst', 'officerChi'] as const) {
      const res = await as(user).get(`/api/v1/jurisdictions/${world.jurisdictions.king.id}/profile?weeks=1`);
      expect(res.status).toBe(200);
      const p = res.body as Profile;
      expect(p).toMatchObject({ basis: 'published', weeks: { counted: 1, notPublished: [] } });
      expect(p.measured).toEqual(EXPECTED);
      expect(p.disputes).toEqual([expect.objectContaining({ detainerId: null, status: 'open' })]);
      const text = JSON.stringify(p);
      for (const id of Object.values(ids)) expect(text).not.toContain(id);
      expect(text).not.toMatch(/Person\d|A3000000|B-\d/);
    }
    // the weekly report's rows say where the profile is
    const report = ok<{ jurisdictions: { code: string; declined: number }[] }>(await as(null).get(`/api/v1/reports/weekly/${WEEK}`));
    expect(report.jurisdictions.find((j) => j.code === world.jurisdictions.king.code)).toMatchObject({ declined: 3 });
  });

  it('declared as of the chosen weeks: a 287(g) programme with its dates; a policy ended before them leaves them; the measured figures stay', async () => {
    const king = world.agencies.king;
    const declined287g = `${king.name} takes part in 287(g) (jail enforcement), yet 60 % of the requests concluded in these weeks (3 of 5) were declined.`;
    ok(await as('admin').patch(`/api/v1/agencies/${king.id}`, { program287g: 'jail_enforcement', program287gSince: '2026-06-01' }));
    const joined = await profile(null, 'weeks=1');
    expect(joined.declared.program287g).toEqual([{ id: king.id, ori: king.ori, name: king.name, program287g: 'jail_enforcement', since: '2026-06-01', until: null, inForce: true }]);
    expect(joined.disagreements).toContain(declined287g);

    // the programme ended before the week: shown with its dates, not in force, and no sentence
    ok(await as('admin').patch(`/api/v1/agencies/${king.id}`, { program287gUntil: '2026-10-15' }));
    const ended = await profile(null, 'weeks=1');
    expect(ended.declared.program287g).toEqual([expect.objectContaining({ since: '2026-06-01', until: '2026-10-15', inForce: false })]);
    expect(ended.disagreements).not.toContain(declined287g);
    // over 4 weeks the programme was in force in some of them
    expect((await profile(null, 'weeks=4')).declared.program287g).toEqual([expect.objectContaining({ inForce: true })]);

    // the policy ended the day before the week: no longer declared in it, still in force over 2 weeks
    const change = ok<{ weeksReRolled: string[] }>(await as('admin').patch(`/api/v1/policies/${policyId}`, { effectiveTo: '2026-10-30' }));
    expect(change.weeksReRolled).toEqual([WEEK]);
    const afterEnd = await profile(null, 'weeks=1');
    expect(afterEnd.declared.policies).toEqual([]);
    expect(afterEnd.measured).toEqual(EXPECTED);
    expect((await profile(null, 'weeks=2')).declared.policies).toEqual([expect.objectContaining({ citation: 'King County Code 2.15.010', effectiveTo: '2026-10-30' })]);
  });
});
