import { asSuperuser, buildWorld, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/** The audit log (append-only, complete, queryable) and the HTTP edge (headers, CORS, error bodies). */
describe('audit log and HTTP edge (e2e)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  const as = (who: UserKey) => ({
    get: (path: string) => api.http.get(path).set('Authorization', `Bearer ${tokens[who]}`),
    post: (path: string, body: object = {}) => api.http.post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body),
  });
  const entries = (where: string, params: unknown[] = []) =>
    api.db.read((sql) => sql.query<Record<string, unknown>>(`SELECT * FROM audit_log WHERE ${where} ORDER BY id`, params));

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
  });
  afterAll(() => api.close());

  describe('append-only', () => {
    it.each([
      ['UPDATE', `UPDATE audit_log SET outcome = 'success'`],
      ['DELETE', 'DELETE FROM audit_log'],
      ['TRUNCATE', 'TRUNCATE audit_log'],
    ])('%s is not granted to the service, and a trigger refuses it even to a superuser', async (_op, statement) => {
      const before = await entries('TRUE');
      expect(before.length).toBeGreaterThan(0);
      await expect(api.db.read((sql) => sql.execute(statement))).rejects.toThrow(/permission denied for table audit_log/);
      await expect(asSuperuser(api.database, (c) => c.query(statement))).rejects.toThrow(/audit_log is append-only/);
      expect(await entries('TRUE')).toEqual(before);
    });
  });

  describe('what is recorded', () => {
    it('a state change: who, role, agency, when (UTC, ms), what, target, outcome, request id, client address', async () => {
      const issued = await as('officerSea').post('/api/v1/detainers', i247aBody(world.facilities.kingJail.id)).set('X-Request-Id', 'req-issue');
      expect(issued.status).toBe(201);
      const ack = await as('jailKing').post(`/api/v1/detainers/${issued.body.id}/acknowledge`, { response: 'will_comply' }).set('X-Request-Id', 'req-ack');
      expect(ack.status).toBe(200);
      const [issue, acknowledge] = await entries(`request_id IN ('req-issue', 'req-ack')`);
      expect(issue).toMatchObject({
        category: 'change', action: 'POST /api/v1/detainers', outcome: 'success', status: 201, actor_kind: 'user', actor_id: world.users.officerSea.id,
        actor_role: 'officer', actor_area_id: world.areas.SEA.id, target_type: 'detainers', target_id: issued.body.id, method: 'POST', path: '/api/v1/detainers',
      });
      expect(issue.details).toEqual({ subjects: [issued.body.subject.id] });
      expect(acknowledge).toMatchObject({
        category: 'change', action: 'POST /api/v1/detainers/:id/acknowledge', outcome: 'success', status: 200, actor_role: 'jail_staff',
        actor_agency_id: world.agencies.king.id, target_id: issued.body.id, client_address: expect.stringMatching(/127\.0\.0\.1|::1/),
        session_id: expect.any(String),
      });
      const at = await api.db.read((sql) => sql.one<{ text: string }>(`SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS text FROM audit_log WHERE request_id = 'req-ack'`));
      expect(at?.text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    });

    it('a change commits only together with its audit entry', async () => {
      const issued = await as('officerSea').post('/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject: { familyName: 'Atom', givenName: 'Ic', dateOfBirth: '1970-01-01', citizenship: 'MX' } }));
      await asSuperuser(api.database, (c) => c.query(`ALTER TABLE audit_log ADD CONSTRAINT no_acks_today CHECK (action NOT LIKE '%acknowledge') NOT VALID`));
      try {
        const res = await as('jailKing').post(`/api/v1/detainers/${issued.body.id}/acknowledge`, { response: 'will_comply' });
        expect(res.status).toBe(500);
        expect(Object.keys(res.body).sort()).toEqual(['code', 'error', 'message', 'statusCode']);
      } finally {
        await asSuperuser(api.database, (c) => c.query('ALTER TABLE audit_log DROP CONSTRAINT no_acks_today'));
      }
      const row = await api.db.read((sql) => sql.one<{ version: number; status: string }>('SELECT version, status FROM detainers WHERE id = $1', [issued.body.id]));
      expect(row).toEqual({ version: 1, status: 'issued' });
    });

    it('reads of a subject\'s identity name the subjects; reads without identity are plain reads', async () => {
      const issued = await as('officerSea').post('/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject: { aNumber: 'A200000001', familyName: 'Seen', givenName: 'Once', dateOfBirth: '1970-01-01', citizenship: 'MX' } }));
      await as('supervisorSea').get(`/api/v1/detainers/${issued.body.id}`).set('X-Request-Id', 'req-read-one');
      await as('jailKing').get('/api/v1/detainers?limit=500').set('X-Request-Id', 'req-read-list');
      await as('analyst').get('/api/v1/areas').set('X-Request-Id', 'req-read-areas');
      const [one, list, areas] = await entries(`request_id IN ('req-read-one', 'req-read-list', 'req-read-areas')`);
      expect(one).toMatchObject({ category: 'identity_read', action: 'GET /api/v1/detainers/:id', target_id: issued.body.id, actor_role: 'supervisor' });
      expect(one.details).toMatchObject({ subjects: [issued.body.subject.id] });
      expect(list).toMatchObject({ category: 'identity_read', details: { query: { limit: '500' } } });
      expect((list.details as { subjects: string[] }).subjects).toContain(issued.body.subject.id);
      expect(areas).toMatchObject({ category: 'read', outcome: 'success', actor_role: 'analyst' });
    });

    it('admin actions and refusals are recorded, and so is every read of the audit log', async () => {
      await as('admin').post('/api/v1/areas', { code: 'DAL', name: 'Dallas' }).set('X-Request-Id', 'req-admin');
      await as('jailKing').post('/api/v1/areas', { code: 'ELP', name: 'El Paso' }).set('X-Request-Id', 'req-denied');
      await as('admin').get('/api/v1/audit?limit=1').set('X-Request-Id', 'req-audit-read');
      const [admin, denied, read] = await entries(`request_id IN ('req-admin', 'req-denied', 'req-audit-read')`);
      expect(admin).toMatchObject({ category: 'admin', outcome: 'success', status: 201, action: 'POST /api/v1/areas', target_type: 'areas', target_id: expect.any(String) });
      expect(denied).toMatchObject({ category: 'admin', outcome: 'failure', status: 403, reason: 'forbidden', actor_id: world.users.jailKing.id });
      expect(read).toMatchObject({ category: 'audit_read', outcome: 'success', actor_id: world.users.admin.id, details: { query: { limit: '1' } } });
    });
  });

  describe('GET /api/v1/audit', () => {
    it('filters and pages with a cursor, newest first, without gaps or repeats', async () => {
      for (let i = 0; i < 5; i += 1) await as('officerChi').get('/api/v1/areas');
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const q: string = `/api/v1/audit?actorId=${world.users.officerChi.id}&category=read&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await as('admin').get(q);
        expect(res.status).toBe(200);
        for (const item of res.body.items as { id: string; actor: { id: string }; category: string; at: string }[]) {
          expect(item).toMatchObject({ actor: { id: world.users.officerChi.id }, category: 'read' });
          expect(item.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
          seen.push(item.id);
        }
        cursor = res.body.nextCursor;
      } while (cursor);
      const all = await entries(`actor_id = $1 AND category = 'read'`, [world.users.officerChi.id]);
      expect(seen).toEqual(all.map((e) => String(e.id)).reverse());
      expect(seen.length).toBeGreaterThanOrEqual(5);
    });

    it('filters by outcome, target, request id and time', async () => {
      await as('officerSea').get('/api/v1/detainers/00000000-0000-4000-8000-000000000000').set('X-Request-Id', 'req-404');
      const byRequest = await as('admin').get('/api/v1/audit?requestId=req-404');
      expect(byRequest.body.items).toEqual([expect.objectContaining({ outcome: 'failure', status: 404, reason: 'not_found', target: { type: 'detainers', id: '00000000-0000-4000-8000-000000000000' } })]);
      const byTarget = await as('admin').get('/api/v1/audit?targetId=00000000-0000-4000-8000-000000000000&outcome=failure');
      expect(byTarget.body.items.map((i: { requestId: string }) => i.requestId)).toEqual(['req-404']);
      const future = await as('admin').get('/api/v1/audit?from=2999-01-01T00:00:00Z');
      expect(future.body).toEqual({ items: [], nextCursor: null });
      const bad = await as('admin').get('/api/v1/audit?from=yesterday');
      expect(bad.status).toBe(400);
    });
  });

  describe('HTTP edge', () => {
    it('security headers on every response, no x-powered-by', async () => {
      for (const res of [await api.http.get('/health'), await as('officerSea').get('/api/v1/detainers'), await api.http.get('/api/v1/detainers')]) {
        expect(res.headers).toMatchObject({
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'SAMEORIGIN',
          'strict-transport-security': expect.stringContaining('max-age=31536000'),
          'content-security-policy': expect.stringContaining("frame-ancestors 'none'"),
          'referrer-policy': 'no-referrer',
        });
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
      expect((await api.http.get('/docs/')).status).toBe(200);
    });

    it('CORS is off by default: no CORS headers, even for a preflight', async () => {
      const simple = await api.http.get('/health').set('Origin', 'https://evil.example');
      const preflight = await api.http.options('/api/v1/detainers').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
      for (const res of [simple, preflight]) expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('no stack trace or SQL in a 500; the failure is audited', async () => {
      await asSuperuser(api.database, (c) => c.query('ALTER TABLE areas RENAME TO areas_gone'));
      try {
        const res = await as('officerSea').get('/api/v1/areas').set('X-Request-Id', 'req-500');
        expect(res.status).toBe(500);
        expect(res.body).toEqual({ statusCode: 500, error: 'Internal Server Error', code: 'internal_error', message: 'Something went wrong on our side. Nothing was saved; quote the request id when you report it.' });
        expect(JSON.stringify(res.body)).not.toMatch(/areas_gone|relation|at .*\.ts|stack/i);
      } finally {
        await asSuperuser(api.database, (c) => c.query('ALTER TABLE areas_gone RENAME TO areas'));
      }
      expect(await entries(`request_id = 'req-500'`)).toEqual([expect.objectContaining({ outcome: 'failure', status: 500, reason: 'http_500' })]);
    });
  });
});

describe('CORS allowed by CORS_ORIGINS', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ env: { CORS_ORIGINS: 'https://jms.example.gov' } });
  });
  afterAll(() => api.close());

  it('answers the named origin only', async () => {
    const ok = await api.http.options('/api/v1/detainers').set('Origin', 'https://jms.example.gov').set('Access-Control-Request-Method', 'POST');
    expect(ok.headers['access-control-allow-origin']).toBe('https://jms.example.gov');
    const other = await api.http.options('/api/v1/detainers').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
