import { buildWorld, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/** The state ID (SID): lodged with the person, found by q=, corrected by amend; validated, never cut; identity only for who may see it. */
describe('state ID (e2e)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
  });
  afterAll(() => api.close());

  const post = (user: UserKey, path: string, body: object) => api.http.post(path).set('Authorization', `Bearer ${tokens[user]}`).send(body);
  const get = (user: UserKey, path: string, query: Record<string, string> = {}) => api.http.get(path).query(query).set('Authorization', `Bearer ${tokens[user]}`);
  const found = async (user: UserKey, q: string) => ((await get(user, '/api/v1/detainers', { q })).body.items as { id: string }[]).map((d) => d.id);
  const snapshot = () =>
    api.db.read((sql) =>
      sql.one<{ s: string }>(
        `SELECT (SELECT count(*) FROM detainer_events)::text || (SELECT count(*) FROM detainers)::text ||
                coalesce((SELECT string_agg(concat_ws('|', id, state_id, family_name), ',' ORDER BY id) FROM subjects), '') AS s`,
      ),
    );
  const person = { aNumber: 'A730000001', familyName: 'Okafor', givenName: 'Chidi', dateOfBirth: '1987-03-09', sex: 'M', citizenship: 'NG' };

  it('lodges with a state ID (trimmed, uppercased), shows it, finds it by q= in scope only, and amends it with before and after', async () => {
    const lodged = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject: { ...person, stateId: '  wa-20261234 ' } }));
    expect(lodged.status).toBe(201);
    expect(lodged.body.subject.stateId).toBe('WA-20261234');
    const id = lodged.body.id as string;

    expect(await found('officerSea', 'WA-20261234')).toEqual([id]);
    expect(await found('officerSea', 'wa-20261234')).toEqual([id]);
    expect(await found('jailKing', 'WA-20261234')).toEqual([id]);
    expect(await found('officerChi', 'WA-20261234')).toEqual([]);
    expect(await found('jailCook', 'WA-20261234')).toEqual([]);
    expect((await get('jailKing', `/api/v1/detainers/${id}`)).body.subject.stateId).toBe('WA-20261234');

    const amended = await post('officerSea', `/api/v1/detainers/${id}/amend`, { reason: 'SID mistyped; WSP record', subject: { stateId: 'WA-20261243' } });
    expect(amended.status).toBe(200);
    expect(amended.body.subject.stateId).toBe('WA-20261243');
    const detail = await get('officerSea', `/api/v1/detainers/${id}`);
    const event = (detail.body.events as { kind: string; data: unknown }[]).find((e) => e.kind === 'record_amended');
    expect(event?.data).toEqual({ reason: 'SID mistyped; WSP record', before: { subject: { stateId: 'WA-20261234' } }, after: { subject: { stateId: 'WA-20261243' } } });
    expect(await found('officerSea', 'WA-20261243')).toEqual([id]);
    expect(await found('officerSea', 'WA-20261234')).toEqual([]);

    const person2 = await get('officerSea', `/api/v1/subjects/${lodged.body.subject.id}`);
    expect(person2.body.stateId).toBe('WA-20261243');
    const csv = await get('officerSea', '/api/v1/detainers.csv', { q: 'WA-20261243' });
    expect(csv.status).toBe(200);
    const [header, line] = csv.text.trim().split(/\r?\n/);
    expect(header.split(',')).toContain('state_id');
    expect(line).toContain('WA-20261243');
  });

  it('a state ID different from the one on file for the same A-number is an identity_mismatch; nothing written', async () => {
    const before = await snapshot();
    const res = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject: { ...person, stateId: 'OR-1' } }));
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('identity_mismatch');
    expect(res.body.details).toEqual([{ field: 'subject.stateId', message: expect.any(String) }]);
    expect(JSON.stringify(res.body)).not.toContain('WA-20261243');
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['too long (never cut)', 'WA-' + '1'.repeat(18)],
    ['spaces only', '   '],
    ['a space inside', 'WA 1234'],
    ['punctuation', 'WA/1234'],
    ['not a string', 1234],
  ])('400 naming subject.stateId for a state ID %s, on lodge and amend; nothing written', async (_label, stateId) => {
    const d = (await get('officerSea', '/api/v1/detainers', { q: 'Okafor' })).body.items[0] as { id: string };
    const before = await snapshot();
    const lodge = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject: { ...person, aNumber: 'A730000009', stateId } }));
    const amend = await post('officerSea', `/api/v1/detainers/${d.id}/amend`, { reason: 'x', subject: { stateId } });
    for (const res of [lodge, amend]) {
      expect(res.status).toBe(400);
      expect(res.body.details.map((p: { field: string }) => p.field)).toContain('subject.stateId');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('the jail may not amend the state ID (the issuing AOR corrects the person), and analysts never see it', async () => {
    const d = (await get('officerSea', '/api/v1/detainers', { q: 'Okafor' })).body.items[0] as { id: string };
    const jail = await post('jailKing', `/api/v1/detainers/${d.id}/amend`, { reason: 'x', subject: { stateId: 'WA-9' } });
    expect(jail.status).toBe(403);
    const analyst = await get('analyst', `/api/v1/detainers/${d.id}`);
    expect(JSON.stringify(analyst.body)).not.toContain('WA-20261243');
    expect(analyst.body.subject).toBeUndefined();
  });
});
