import { buildWorld, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/** One search box: names in any order, accents and case ignored, partial and misspelt; identifiers exactly; scoped like every read. */
describe('detainer search and sort (e2e)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  const ids: Record<string, string> = {};

  const post = (user: UserKey, path: string, body: object) => api.http.post(path).set('Authorization', `Bearer ${tokens[user]}`).send(body);
  const list = (user: UserKey, query: Record<string, string | number>) => api.http.get('/api/v1/detainers').query(query).set('Authorization', `Bearer ${tokens[user]}`);
  const found = async (user: UserKey, q: string) => {
    const res = await list(user, { q });
    expect(res.status).toBe(200);
    return (res.body.items as { id: string }[]).map((i) => i.id).sort();
  };

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
    const lodge = async (key: string, user: UserKey, facilityId: string, subject: object, bookingNumber: string, minutesAgo: number) => {
      const res = await post(user, '/api/v1/detainers', i247aBody(facilityId, {
        subject, bookingNumber, issuedAt: new Date(api.clock.now().getTime() - minutesAgo * 60_000).toISOString(),
        warrant: { form: 'I-200', number: `W-${key}` },
      }));
      expect(res.status).toBe(201);
      ids[key] = res.body.id;
    };
    await lodge('garcia', 'officerSea', world.facilities.kingJail.id, { aNumber: 'A700000001', fbiNumber: '77001AB1', familyName: 'García Márquez', givenName: 'José Ángel', dateOfBirth: '1979-08-30', sex: 'M', citizenship: 'MX' }, 'KC-2026-0001', 50);
    await lodge('mendoza', 'officerSea', world.facilities.snohomishJail.id, { aNumber: 'A700000002', familyName: 'Mendoza', givenName: 'Rosa', dateOfBirth: '1990-01-02', sex: 'F', citizenship: 'NI' }, 'SN-2026-0002', 40);
    await lodge('nguyen', 'officerSea', world.facilities.kingJail.id, { aNumber: 'A700000003', familyName: 'Nguyễn', givenName: 'Thị Minh', dateOfBirth: '1988-04-05', sex: 'F', citizenship: 'VN' }, 'KC-2026-0003', 30);
    await lodge('chicago', 'officerChi', world.facilities.cookJail.id, { aNumber: 'A700000004', familyName: 'Garcia', givenName: 'Jose', dateOfBirth: '1991-03-03', sex: 'M', citizenship: 'GT' }, 'CC-2026-0004', 20);
    await api.db.read((sql) => sql.execute(`UPDATE subjects SET state_id = 'WA7654321' WHERE a_number = '700000003'`));
  });
  afterAll(() => api.close());

  it.each([
    ['the family name', 'García Márquez'],
    ['without accents', 'garcia marquez'],
    ['in upper case', 'GARCIA'],
    ['given name first', 'jose angel garcia'],
    ['all four words, more than people usually type', 'Márquez José Ángel García'],
    ['in another order', 'marquez jose'],
    ['partial', 'garc'],
    ['misspelt', 'Garsia Marques'],
    ['misspelt given name', 'Hose Angel'],
  ])('finds a name by %s', async (_how, q) => {
    expect(await found('officerSea', q)).toEqual([ids.garcia]);
  });

  it('accents on the stored name are ignored too, and a misspelt family name is found', async () => {
    expect(await found('officerSea', 'nguyen thi')).toEqual([ids.nguyen]);
    expect(await found('officerSea', 'mendosa')).toEqual([ids.mendoza]);
    expect(await found('officerSea', 'zzyzx')).toEqual([]);
  });

  it.each([
    ['an A-number', 'A700000002', 'mendoza'],
    ['an A-number written with dashes', 'A-700-000-002', 'mendoza'],
    ['an FBI number', '77001AB1', 'garcia'],
    ['a state ID', 'WA7654321', 'nguyen'],
    ['a booking number', 'KC-2026-0003', 'nguyen'],
    ['a booking number in lower case', 'sn-2026-0002', 'mendoza'],
  ])('finds exactly by %s', async (_what, q, key) => {
    expect(await found('officerSea', q)).toEqual([ids[key]]);
  });

  it('is scoped like every read: another AOR or agency finds nothing of ours, by name or identifier', async () => {
    expect(await found('officerChi', 'garcia')).toEqual([ids.chicago]);
    for (const q of ['mendoza', 'A700000002', '77001AB1', 'KC-2026-0001', 'WA7654321']) expect(await found('officerChi', q)).toEqual([]);
    expect(await found('jailKing', 'KC-2026-0001')).toEqual([ids.garcia]);
    expect(await found('jailKing', 'mendoza')).toEqual([]); // lodged with Snohomish
    expect(await found('jailSnohomish', 'SN-2026-0002')).toEqual([ids.mendoza]);
    expect(await found('jailCook', 'KC-2026-0001')).toEqual([]);
    expect(await found('jailCook', 'garcia')).toEqual([ids.chicago]);
    expect(await found('admin', 'garcia')).toEqual([ids.garcia, ids.chicago].sort());
    expect((await list('analyst', { q: 'garcia' })).status).toBe(403);
  });

  it('the application role cannot read the name index itself', async () => {
    for (const table of ['subject_names', 'subject_name_words']) {
      await expect(api.db.read((sql) => sql.query(`SELECT * FROM ${table}`))).rejects.toThrow(/permission denied/);
    }
  });

  it('combines with the other filters', async () => {
    const res = await list('officerSea', { q: 'garcia', facilityId: world.facilities.snohomishJail.id });
    expect(res.body.items).toEqual([]);
  });

  it.each([
    ['-issuedAt', ['nguyen', 'mendoza', 'garcia']],
    ['issuedAt', ['garcia', 'mendoza', 'nguyen']],
    ['familyName', ['garcia', 'mendoza', 'nguyen']],
  ])('sort=%s orders the list and pages by keyset', async (sort, expected) => {
    const all = await list('officerSea', { sort });
    expect(all.status).toBe(200);
    expect(all.body.items.map((i: { id: string }) => i.id)).toEqual(expected.map((k) => ids[k]));
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await list('officerSea', { sort, limit: 1, ...(cursor ? { cursor } : {}) });
      paged.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(expected.map((k) => ids[k]));
  });

  it('sort=status and releaseAt page the same as unpaged (mixed directions, releases not yet scheduled last)', async () => {
    await post('jailKing', `/api/v1/detainers/${ids.nguyen}/acknowledge`, { response: 'will_comply' });
    await post('jailKing', `/api/v1/detainers/${ids.nguyen}/schedule-release`, { releaseAt: new Date(api.clock.now().getTime() + 72 * 3_600_000).toISOString() });
    for (const sort of ['status', 'releaseAt', '-releaseAt']) {
      const all = (await list('officerSea', { sort })).body.items.map((i: { id: string }) => i.id);
      expect(all).toHaveLength(3);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await list('officerSea', { sort, limit: 2, ...(cursor ? { cursor } : {}) });
        paged.push(...page.body.items.map((i) => i.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(paged).toEqual(all);
      if (sort !== '-releaseAt') expect(all[sort === 'releaseAt' ? 0 : 2]).toBe(ids.nguyen);
      else expect(all[0]).toBe(ids.nguyen);
    }
  });

  it('a corrected name is found by its new words, no longer by the old; words of two different people find neither', async () => {
    const res = await post('officerChi', '/api/v1/detainers', i247aBody(world.facilities.cookJail.id, {
      subject: { aNumber: 'A700000005', familyName: 'Okonkwo', givenName: 'Chidi', dateOfBirth: '1985-06-07', sex: 'M', citizenship: 'NG' },
    }));
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    expect(await found('officerChi', 'chidi okonkwo')).toEqual([id]);
    const amended = await post('officerChi', `/api/v1/detainers/${id}/amend`, { reason: 'Family name misspelt at booking', subject: { familyName: 'Okafor' } });
    expect(amended.status).toBe(200);
    expect(await found('officerChi', 'okafor chidi')).toEqual([id]);
    expect(await found('officerChi', 'okonkwo')).toEqual([]);
    expect(await found('officerChi', 'chidi')).toEqual([id]);
    expect(await found('officerChi', 'chidi garcia')).toEqual([]);
  });

  it('400 for a bad q or sort, and for a cursor of another sort', async () => {
    for (const query of [{ q: ' ' }, { q: 'x' }, { q: 'a'.repeat(101) }, { sort: 'name' }] as Record<string, string>[]) {
      const res = await list('officerSea', query);
      expect(res.status).toBe(400);
      expect([...new Set(res.body.details.map((d: { field: string }) => d.field))]).toEqual([Object.keys(query)[0]]);
    }
    const first = await list('officerSea', { sort: 'familyName', limit: 1 });
    const res = await list('officerSea', { sort: 'issuedAt', cursor: first.body.nextCursor });
    expect(res.status).toBe(400);
    expect(res.body.details[0].field).toBe('cursor');
  });
});
