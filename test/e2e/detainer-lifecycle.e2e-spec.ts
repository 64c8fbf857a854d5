import { buildWorld, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/** Whole lives of detainers over HTTP against the real database. */
describe('detainer lifecycle (e2e)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  const HOUR = 3_600_000;

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
  });
  afterAll(() => api.close());

  const as = (user: UserKey) => ({
    post: (path: string, body: object = {}) => api.http.post(path).set('Authorization', `Bearer ${tokens[user]}`).send(body),
    get: (path: string) => api.http.get(path).set('Authorization', `Bearer ${tokens[user]}`),
  });
  const issue = async (facilityId: string, overrides: Record<string, unknown> = {}, user: UserKey = 'officerSea') => {
    const res = await as(user).post('/api/v1/detainers', i247aBody(facilityId, overrides));
    expect(res.status).toBe(201);
    return res.body as { id: string; version: number };
  };
  const at = (hoursFromNow: number) => new Date(api.clock.now().getTime() + hoursFromNow * HOUR).toISOString();

  it('an I-247A from issue to outcome: notified, held, honored, outcome recorded', async () => {
    api.clock.set('2026-11-02T15:00:00Z');
    const d = await issue(world.facilities.kingJail.id);

    api.clock.advanceHours(2);
    let res = await as('jailKing').post(`/api/v1/detainers/${d.id}/acknowledge`, { response: 'will_comply', bookingNumber: 'KC-77', expectedVersion: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'acknowledged', version: 2, response: 'will_comply', bookingNumber: 'KC-77' });

    res = await as('jailKing').post(`/api/v1/detainers/${d.id}/schedule-release`, { releaseAt: at(72) });
    expect(res.body).toMatchObject({ status: 'release_scheduled', version: 3, shortNotice: false, noticeLeadHours: 72 });

    res = await as('officerSea').post(`/api/v1/detainers/${d.id}/plan-pickup`, { at: at(73) });
    expect(res.body).toMatchObject({ status: 'release_scheduled', pickupPlannedAt: at(73) });

    api.clock.advanceHours(72);
    res = await as('jailKing').post(`/api/v1/detainers/${d.id}/start-hold`, { since: at(0) });
    expect(res.body).toMatchObject({ status: 'held', holdSince: at(0), holdExpiresAt: at(48) });

    api.clock.advanceHours(1);
    res = await as('jailKing').post(`/api/v1/detainers/${d.id}/transfer-to-ice`, { at: at(0) });
    expect(res.body).toMatchObject({ status: 'honored', declined: false, missedPickup: false });

    res = await as('officerSea').post(`/api/v1/detainers/${d.id}/outcome`, { kind: 'removed', at: at(0) });
    expect(res.status).toBe(200);
    expect(res.body.outcome).toMatchObject({ kind: 'removed' });

    const full = await as('officerSea').get(`/api/v1/detainers/${d.id}`);
    expect(full.status).toBe(200);
    expect(full.body.events.map((e: { kind: string }) => e.kind)).toEqual([
      'detainer_issued', 'acknowledged', 'release_scheduled', 'pickup_planned', 'hold_started', 'transferred_to_ice', 'outcome_recorded',
    ]);
    // local time with zone on every event: King County is in Pacific time (UTC-8 in November)
    expect(full.body.events[0]).toMatchObject({ occurredAt: '2026-11-02T15:00:00.000Z', localTime: '2026-11-02T07:00:00-08:00', timeZone: 'America/Los_Angeles' });
    expect(full.body.localTimes.issuedAt).toBe('2026-11-02T07:00:00-08:00');

    // honored: no decline can be recorded against this lodging (2017 error 5)
    res = await as('officerSea').post(`/api/v1/detainers/${d.id}/record-decline`, { at: at(0), reason: 'x', source: 'ice_observed' });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain("'honored'");
  });

  it('a transfer to another county carries the request on; the later decline belongs to the second county', async () => {
    api.clock.set('2026-11-02T15:00:00Z');
    const d = await issue(world.facilities.kingJail.id, { subject: { aNumber: 'A22233344', familyName: 'Roe', givenName: 'Rick', dateOfBirth: '1990-01-01', citizenship: 'GT' } });
    await as('jailKing').post(`/api/v1/detainers/${d.id}/acknowledge`, { response: 'will_comply' });
    api.clock.advanceHours(24);
    let res = await as('jailKing').post(`/api/v1/detainers/${d.id}/release`, { at: at(0), destination: 'other_agency', toFacilityId: world.facilities.snohomishJail.id });
    expect(res.status).toBe(200);
    // the person is now in Snohomish County: a new lodging waiting for acknowledgment there
    expect(res.body).toMatchObject({ status: 'transferred', declined: false });
    const afterTransfer = await as('officerSea').get(`/api/v1/detainers/${d.id}`);
    expect(afterTransfer.body.status).toBe('issued');
    expect(afterTransfer.body.lodgings.map((l: { status: string; agency: { ori: string } }) => [l.agency.ori, l.status])).toEqual([
      ['WA0170000', 'transferred'],
      ['WA0310000', 'issued'],
    ]);

    // King County can no longer act on it
    res = await as('jailKing').post(`/api/v1/detainers/${d.id}/schedule-release`, { releaseAt: at(10) });
    expect(res.status).toBe(403);

    api.clock.advanceHours(2);
    res = await as('jailSnohomish').post(`/api/v1/detainers/${d.id}/acknowledge`, { response: 'will_comply' });
    expect(res.status).toBe(200);
    api.clock.advanceHours(20);
    res = await as('jailSnohomish').post(`/api/v1/detainers/${d.id}/release`, { at: at(0), destination: 'community' });
    expect(res.body).toMatchObject({ status: 'released', declined: true, declineKind: 'no_notice' });
    // the receiving agency sees the detainer from the moment of transfer only
    expect(res.body.lodgings.map((l: { agency: { ori: string } }) => l.agency.ori)).toEqual(['WA0310000']);
    expect(res.body.events).toBeUndefined();
    const snohomishView = await as('jailSnohomish').get(`/api/v1/detainers/${d.id}`);
    expect(new Set(snohomishView.body.events.map((e: { lodging: number }) => e.lodging))).toEqual(new Set([2]));
    // and the sending agency keeps its own part of the history only
    const kingView = await as('jailKing').get(`/api/v1/detainers/${d.id}`);
    expect(kingView.body).toMatchObject({ status: 'transferred', declined: false });
    expect(kingView.body.lodgings).toHaveLength(1);
    expect(new Set(kingView.body.events.map((e: { lodging: number }) => e.lodging))).toEqual(new Set([1]));

    const officerView = await as('officerSea').get(`/api/v1/detainers/${d.id}`);
    const [king, snohomish] = officerView.body.lodgings as { agency: { ori: string }; jurisdiction: { code: string }; declined: boolean }[];
    expect(king).toMatchObject({ agency: { ori: 'WA0170000' }, declined: false });
    expect(snohomish).toMatchObject({ agency: { ori: 'WA0310000' }, jurisdiction: { code: 'US-WA-53061' }, declined: true });

    const rows = await api.db.read((sql) =>
      sql.query<{ agency_id: string; declined: boolean }>('SELECT agency_id, declined FROM lodgings WHERE detainer_id = $1 ORDER BY seq', [d.id]),
    );
    expect(rows).toEqual([
      { agency_id: world.agencies.king.id, declined: false },
      { agency_id: world.agencies.snohomish.id, declined: true },
    ]);
  });

  it('a misdirected detainer never counts as issued to or declined by that agency', async () => {
    const d = await issue(world.facilities.franklinPAJail.id, {}, 'officerPhi');
    const res = await as('jailFranklinPA').post(`/api/v1/detainers/${d.id}/not-in-custody`, { note: 'No such person held' });
    expect(res.body).toMatchObject({ status: 'misdirected', declined: false });
    const decline = await as('officerPhi').post(`/api/v1/detainers/${d.id}/record-decline`, { at: at(0), reason: 'x', source: 'ice_observed' });
    expect(decline.status).toBe(409);
    expect(decline.body).toMatchObject({ code: 'invalid_transition', state: 'misdirected', allowedActions: [] });
  });

  it('notified and held until the deadline, then released: a missed pickup, not a decline', async () => {
    api.clock.set('2026-11-02T15:00:00Z');
    const d = await issue(world.facilities.kingJail.id);
    await as('jailKing').post(`/api/v1/detainers/${d.id}/acknowledge`, { response: 'will_comply' });
    await as('jailKing').post(`/api/v1/detainers/${d.id}/schedule-release`, { releaseAt: at(60) });
    api.clock.advanceHours(60);
    await as('jailKing').post(`/api/v1/detainers/${d.id}/start-hold`, { since: at(0) });
    api.clock.advanceHours(48);
    const res = await as('jailKing').post(`/api/v1/detainers/${d.id}/release`, { at: at(0), destination: 'community' });
    expect(res.body).toMatchObject({ status: 'released', declined: false, missedPickup: true });
  });

  it('a short-notice release on a notify-only response is flagged, and is not a decline when the form asked only for notice', async () => {
    api.clock.set('2016-03-01T15:00:00Z');
    const d = await issue(world.facilities.cookJail.id, { type: 'I-247N', warrant: undefined, issuedAt: '2016-03-01T09:00:00-06:00' }, 'officerChi');
    await as('jailCook').post(`/api/v1/detainers/${d.id}/acknowledge`, { response: 'will_notify_only' });
    const scheduled = await as('jailCook').post(`/api/v1/detainers/${d.id}/schedule-release`, { releaseAt: at(10) });
    expect(scheduled.body).toMatchObject({ shortNotice: true, noticeLeadHours: 10 });
    api.clock.advanceHours(10);
    const res = await as('jailCook').post(`/api/v1/detainers/${d.id}/release`, { at: at(0), destination: 'community' });
    expect(res.body).toMatchObject({ declined: false, shortNotice: true, missedPickup: false });
  });

  it('a refusal in custody is a decline recorded now, on a detainer issued years before', async () => {
    api.clock.set('2024-01-10T15:00:00Z');
    const d = await issue(world.facilities.cookJail.id, {}, 'officerChi');
    await as('jailCook').post(`/api/v1/detainers/${d.id}/acknowledge`, { response: 'will_comply' });
    api.clock.set('2026-11-02T15:00:00Z');
    const res = await as('jailCook').post(`/api/v1/detainers/${d.id}/refuse`, { at: at(0), reason: 'New county policy' });
    expect(res.body).toMatchObject({ status: 'refused', declined: true, declineKind: 'refused', declineRecordedAt: '2026-11-02T15:00:00.000Z', issuedAt: '2024-01-10T15:00:00.000Z' });
  });

  it('a citizenship claim suspends the detainer until a supervisor decides; upheld cancels it as us_citizen', async () => {
    const d = await issue(world.facilities.kingJail.id);
    let res = await as('jailKing').post(`/api/v1/detainers/${d.id}/claim-citizenship`, { note: 'Presents a U.S. passport' });
    expect(res.body.status).toBe('disputed');
    res = await as('jailKing').post(`/api/v1/detainers/${d.id}/acknowledge`, { response: 'will_comply' });
    expect(res.status).toBe(409);
    res = await as('officerSea').post(`/api/v1/detainers/${d.id}/decide-identity-claim`, { decision: 'upheld', note: 'x' });
    expect(res.status).toBe(403);
    res = await as('supervisorSea').post(`/api/v1/detainers/${d.id}/decide-identity-claim`, { decision: 'upheld', note: 'Passport verified' });
    expect(res.body).toMatchObject({ status: 'cancelled', cancelReason: 'us_citizen' });
  });

  it('links a second detainer for the same A-number (written differently) to the existing subject', async () => {
    const first = await as('officerSea').get(`/api/v1/detainers/${(await issue(world.facilities.kingJail.id, { subject: { aNumber: 'A-055-512-345', familyName: 'Same', givenName: 'Person', dateOfBirth: '1985-02-02', citizenship: 'MX' } })).id}`);
    const second = await as('officerSea').get(`/api/v1/detainers/${(await issue(world.facilities.snohomishJail.id, { subject: { aNumber: 'a55512345', familyName: 'Same', givenName: 'Person', dateOfBirth: '1985-02-02', citizenship: 'MX' } })).id}`);
    expect(second.body.subject.id).toBe(first.body.subject.id);
    expect(second.body.subject.aNumber).toBe('A055512345');
    const list = await as('officerSea').get(`/api/v1/detainers?subjectId=${first.body.subject.id}`);
    expect(list.body.items).toHaveLength(2);
  });
});
