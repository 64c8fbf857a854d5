import { buildWorld, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/**
 * The keyset-paged list merges one ordered scan per alternative of the caller's scope (an AOR's own,
 * current and former detainers; an agency's current and former ones). Paged two at a time, every
 * role sees exactly the detainers within its reach, newest first, each once, across moves between
 * AORs and agencies.
 */
describe('GET /detainers: scope alternatives merged page by page', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  const as = (user: UserKey) => ({
    post: (path: string, body: object = {}) => api.http.post(path).set('Authorization', `Bearer ${tokens[user]}`).send(body),
    get: (path: string) => api.http.get(path).set('Authorization', `Bearer ${tokens[user]}`),
  });

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
  });
  afterAll(() => api.close());

  const all = async (user: UserKey, query = '') => {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 50; guard += 1) {
      const res = await as(user).get(`/api/v1/detainers?limit=2${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      ids.push(...(res.body.items as { id: string }[]).map((d) => d.id));
      cursor = res.body.nextCursor as string | null;
      if (!cursor) return ids;
    }
    throw new Error('paging did not end');
  };

  it('every role sees its reach once each, newest issued first, whatever the page size', async () => {
    let serial = 0;
    const issue = async (facilityId: string, officer: UserKey, hoursAgo: number) => {
      serial += 1;
      const body = i247aBody(facilityId, {
        issuedAt: new Date(api.clock.now().getTime() - hoursAgo * 3_600_000).toISOString(),
        subject: { aNumber: `A${String(600000000 + serial)}`, familyName: `F${serial}`, givenName: 'G', dateOfBirth: '1980-01-01', citizenship: 'MX' },
      });
      const res = await as(officer).post('/api/v1/detainers', body);
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const now = () => api.clock.now().toISOString();
    const moveTo = async (jail: UserKey, id: string, facilityId: string) => {
      expect((await as(jail).post(`/api/v1/detainers/${id}/acknowledge`, { response: 'will_comply' })).status).toBe(200);
      expect((await as(jail).post(`/api/v1/detainers/${id}/release`, { at: now(), destination: 'other_agency', toFacilityId: facilityId })).status).toBe(200);
    };
    const f = world.facilities;
    const seaOnly = [await issue(f.kingJail.id, 'officerSea', 50), await issue(f.snohomishJail.id, 'officerSea', 40), await issue(f.kingJail.id, 'officerSea', 30)];
    const chiOnly = [await issue(f.cookJail.id, 'officerChi', 45), await issue(f.cookJail.id, 'officerChi', 35)];
    // issued in SEA, now held in CHI (current AOR)
    const seaToChi = await issue(f.kingJail.id, 'officerSea', 44);
    await moveTo('jailKing', seaToChi, f.cookJail.id);
    // issued in SEA, through CHI, now in PHI: CHI and Cook's jail are former reach
    const throughChi = await issue(f.kingJail.id, 'officerSea', 33);
    await moveTo('jailKing', throughChi, f.cookJail.id);
    await moveTo('jailCook', throughChi, f.franklinPAJail.id);

    const byIssue = (ids: string[]) => api.db.read((sql) =>
      sql.query<{ id: string }>('SELECT id FROM detainers WHERE id = ANY($1::uuid[]) ORDER BY issued_at DESC, id DESC', [ids])).then((r) => r.map((x) => x.id));

    expect(await all('officerSea')).toEqual(await byIssue([...seaOnly, seaToChi, throughChi]));
    expect(await all('supervisorSea')).toEqual(await byIssue([...seaOnly, seaToChi, throughChi]));
    expect(await all('officerChi')).toEqual(await byIssue([...chiOnly, seaToChi, throughChi]));
    expect(await all('officerPhi')).toEqual([throughChi]);
    expect(await all('jailKing')).toEqual(await byIssue([seaOnly[0], seaOnly[2], seaToChi, throughChi]));
    expect(await all('jailCook')).toEqual(await byIssue([...chiOnly, seaToChi, throughChi]));
    expect(await all('jailSnohomish')).toEqual([seaOnly[1]]);
    expect(await all('admin')).toEqual(await byIssue([...seaOnly, ...chiOnly, seaToChi, throughChi]));
    // filters apply inside every alternative
    expect(await all('officerChi', '&status=acknowledged')).toEqual([]);
    // each now waits for acknowledgment at its current facility (Cook, Cook, Franklin PA)
    expect(await all('officerChi', '&status=issued')).toEqual(await byIssue([...chiOnly, seaToChi, throughChi]));
    expect(await all('officerChi', `&status=issued&facilityId=${f.cookJail.id}`)).toEqual(await byIssue([...chiOnly, seaToChi]));
    // the former reach is listed with the detainer's issue time
    const reach = await api.db.read((sql) => sql.query<{ kind: string; unit_id: string }>('SELECT kind, unit_id FROM detainer_former_reach WHERE detainer_id = $1 ORDER BY kind, unit_id', [throughChi]));
    expect(reach).toEqual(expect.arrayContaining([{ kind: 'area', unit_id: world.areas.CHI.id }, { kind: 'agency', unit_id: world.agencies.cook.id }, { kind: 'agency', unit_id: world.agencies.king.id }]));
  });
});
