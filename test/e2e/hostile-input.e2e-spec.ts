import { buildWorld, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/**
 * Bodies built to hurt (nested thousands deep, in the wrong media type, with lone surrogates or
 * prototype keys), duplicates of unique facts, and cursors made by hand: each answers 4xx with a
 * clear message and `details`, and nothing is written.
 */
describe('hostile input (e2e)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  const post = (who: UserKey | null, path: string) => {
    const req = api.http.post(path);
    return who ? req.set('Authorization', `Bearer ${tokens[who]}`) : req;
  };
  const detainerCount = async () => Number((await api.db.read((sql) => sql.one<{ n: string }>('SELECT count(*) AS n FROM detainers')))!.n);

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
  });
  afterAll(() => api.close());

  describe('nesting and media types', () => {
    it.each([
      ['arrays nested 5,000 deep', `${'['.repeat(5000)}${']'.repeat(5000)}`],
      ['objects nested 5,000 deep', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`],
      ['a body 33 levels deep', `{"username":"x","password":"y","extra":${'['.repeat(32)}${']'.repeat(32)}}`],
    ])('%s: 400 at the body parser, before any credentials are looked at', async (_name, body) => {
      const res = await post(null, '/api/v1/auth/token').set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, message: 'The request body nests arrays or objects more than 32 levels deep.', details: [{ field: 'body' }] });
    });

    it('a body nested 30 deep is parsed (and refused by validation, naming the field)', async () => {
      const res = await post(null, '/api/v1/auth/token').set('Content-Type', 'application/json').send(`{"username":"x","password":"y","extra":${'['.repeat(29)}${']'.repeat(29)}}`);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'extra' })]);
    });

    it.each([
      ['text/plain', 'username=admin&password=x'],
      ['application/x-www-form-urlencoded', 'username=admin&password=x'],
      ['application/xml', '<token/>'],
    ])('%s: 415', async (type, body) => {
      const res = await post(null, '/api/v1/auth/token').set('Content-Type', type).send(body);
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type', message: expect.stringContaining('application/json') });
      const before = await detainerCount();
      expect((await post('officerSea', '/api/v1/detainers').set('Content-Type', type).send(body)).status).toBe(415);
      expect(await detainerCount()).toBe(before);
    });
  });

  describe('strings and keys', () => {
    it('a lone surrogate in a name is refused, naming the field, not stored as U+FFFD', async () => {
      const before = await detainerCount();
      const body = JSON.stringify(i247aBody(world.facilities.kingJail.id, { subject: { familyName: 'X', givenName: 'Y', dateOfBirth: '1980-01-01', citizenship: 'MX' } }))
        .replace('"familyName":"X"', '"familyName":"Mu\\ud800oz"');
      const res = await post('officerSea', '/api/v1/detainers').set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'subject.familyName', message: expect.stringContaining('lone surrogate') }]);
      expect(await detainerCount()).toBe(before);
      const stored = await api.db.read((sql) => sql.query(`SELECT 1 FROM subjects WHERE family_name LIKE '%' || chr(65533) || '%'`));
      expect(stored).toEqual([]);
    });

    it.each(['__proto__', 'constructor', 'prototype'])('a %s key is an unknown field', async (key) => {
      const body = JSON.stringify(i247aBody(world.facilities.kingJail.id)).replace('"subject":{', `"subject":{"${key}":{"isAdmin":true},`);
      const res = await post('officerSea', '/api/v1/detainers').set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: `subject.${key}`, message: 'unknown field: remove it' }]);
      const top = await post(null, '/api/v1/auth/token').set('Content-Type', 'application/json').send(`{"${key}":{"role":"admin"},"username":"admin","password":"x"}`);
      expect(top.status).toBe(400);
      expect(top.body.details).toEqual([{ field: key, message: 'unknown field: remove it' }]);
    });

    it('every 400 has details, malformed JSON included', async () => {
      const res = await post(null, '/api/v1/auth/token').set('Content-Type', 'application/json').send('{"username": ');
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'body', message: 'not valid JSON' }]);
      const badFilter = await api.http.get('/api/v1/detainers?facilityId=1%27%20OR%201=1').set('Authorization', `Bearer ${tokens.officerSea}`);
      expect(badFilter.status).toBe(400);
      expect(badFilter.body.details).toEqual([expect.objectContaining({ field: 'facilityId' })]);
    });
  });

  describe('duplicates are conflicts naming the field', () => {
    it.each<[string, string, () => object, string]>([
      ['an area code', '/api/v1/areas', () => ({ code: 'SEA', name: 'Seattle again' }), 'code'],
      ['an agency ORI', '/api/v1/agencies', () => ({ ori: 'WA0170000', name: 'King County again', jurisdictionId: world.jurisdictions.king.id }), 'ori'],
      ['a jurisdiction', '/api/v1/jurisdictions', () => ({ name: 'King County', kind: 'county', state: 'WA', fips: '53033' }), 'code'],
    ])('%s: 409', async (_name, path, body, field) => {
      const res = await post('admin', path).send(body());
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict', details: [{ field, message: 'already in use by another record' }] });
      expect(JSON.stringify(res.body)).not.toMatch(/WA0170000|SEA|53033|Key \(/);
    });

  });

  describe('cursors are sealed', () => {
    it('a cursor the API issued works and reveals nothing; one edited or made by hand is a 400', async () => {
      const ids: string[] = [];
      for (const aNumber of ['A200000001', 'A200000002', 'A200000003']) {
        const created = await post('officerSea', '/api/v1/detainers').send(i247aBody(world.facilities.kingJail.id, { subject: { aNumber, familyName: 'C', givenName: 'D', dateOfBirth: '1980-01-01', citizenship: 'MX' } })).expect(201);
        ids.push(created.body.id as string);
      }
      const list = (cursor?: string) => api.http.get(`/api/v1/detainers?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).set('Authorization', `Bearer ${tokens.officerSea}`);
      const first = await list();
      const cursor = first.body.nextCursor as string;
      expect((await list(cursor)).status).toBe(200);
      const decoded = Buffer.from(cursor, 'base64url').toString('latin1');
      for (const id of ids) expect(decoded).not.toContain(id);
      expect(decoded).not.toMatch(/issuedAt|20\d\d-/);
      const flipped = Buffer.from(cursor, 'base64url');
      flipped[20] = flipped[20] ^ 1;
      const handMade = Buffer.from(JSON.stringify({ issuedAt: '2999-01-01T00:00:00.000Z', id: ids[0] })).toString('base64url');
      for (const bad of [flipped.toString('base64url'), handMade, `${cursor}.AAAAAAAAAAAAAAAAAAAAAA`, cursor.slice(0, -4), 'AAAA']) {
        const res = await list(bad);
        expect(res.status).toBe(400);
        expect(res.body.details).toEqual([{ field: 'cursor', message: expect.stringContaining('not one this API issued') }]);
      }
    });
  });
});
