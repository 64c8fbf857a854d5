import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildWorld, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/**
 * What the web app needs from the server: the subject look-up by A-number (scoped), the actions a
 * caller may take on a detainer, and the built app served at / without shadowing the API.
 */
describe('web support (e2e)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  let webRoot: string;

  beforeAll(async () => {
    webRoot = mkdtempSync(path.join(tmpdir(), 'dw-web-'));
    mkdirSync(path.join(webRoot, 'assets'));
    writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>detainer-workflow</title><div id="root"></div>');
    writeFileSync(path.join(webRoot, 'assets', 'index-abc123.js'), 'console.log("app")');
    writeFileSync(path.join(webRoot, 'robots.txt'), 'User-agent: *\nDisallow: /\n');
    api = await startTestApi({ env: { WEB_ROOT: webRoot } });
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
  });
  afterAll(async () => {
    await api.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  const get = (user: UserKey, url: string) => api.http.get(url).set('Authorization', `Bearer ${tokens[user]}`);
  const post = (user: UserKey, url: string, body: object = {}) => api.http.post(url).set('Authorization', `Bearer ${tokens[user]}`).send(body);
  const subject = (aNumber: string) => ({ aNumber, familyName: 'Rivera', givenName: 'Ana', dateOfBirth: '1979-03-02', sex: 'F', citizenship: 'GT' });

  describe('GET /api/v1/subjects?aNumber=', () => {
    beforeAll(async () => {
      const res = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject: subject('A200000001') }));
      expect(res.status).toBe(201);
      const again = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.snohomishJail.id, { subject: subject('A200000001') }));
      expect(again.status).toBe(201);
    });

    it('finds the subject on file, in any spelling of the A-number, with the detainers the caller may see', async () => {
      for (const spelling of ['A200000001', 'a200000001', 'A 200-000-001']) {
        const res = await get('officerSea', `/api/v1/subjects?aNumber=${encodeURIComponent(spelling)}`);
        expect(res.status).toBe(200);
        expect(res.body.items).toHaveLength(1);
        expect(res.body.items[0]).toMatchObject({ aNumber: 'A200000001', familyName: 'Rivera', givenName: 'Ana', dateOfBirth: '1979-03-02', citizenship: 'GT', visibleDetainers: 2 });
        expect(res.body.nextCursor).toBeNull();
      }
    });

    it('a new detainer with that A-number links to the subject found', async () => {
      const found = await get('officerSea', '/api/v1/subjects?aNumber=A200000001');
      const res = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject: subject('A200000001') }));
      expect(res.body.subject.id).toBe(found.body.items[0].id);
      expect((await get('officerSea', '/api/v1/subjects?aNumber=A200000001')).body.items[0].visibleDetainers).toBe(3);
    });

    it('is recorded in the audit log as an identity read naming the subject, and a miss as a plain read', async () => {
      const hit = await get('officerSea', '/api/v1/subjects?aNumber=A200000001').set('X-Request-Id', 'web-subject-hit');
      await get('officerChi', '/api/v1/subjects?aNumber=A200000001').set('X-Request-Id', 'web-subject-miss');
      const rows = await api.db.read((sql) =>
        sql.query<{ request_id: string; category: string; actor_role: string; details: { subjects?: string[] } }>(
          `SELECT request_id, category, actor_role, details FROM audit_log WHERE request_id IN ('web-subject-hit', 'web-subject-miss') ORDER BY id`,
        ),
      );
      expect(rows).toEqual([
        expect.objectContaining({ request_id: 'web-subject-hit', category: 'identity_read', actor_role: 'officer', details: expect.objectContaining({ subjects: [hit.body.items[0].id] }) }),
        expect.objectContaining({ request_id: 'web-subject-miss', category: 'read', actor_role: 'officer' }),
      ]);
    });

    it('does not reveal a subject known only to another AOR', async () => {
      const res = await get('officerChi', '/api/v1/subjects?aNumber=A200000001');
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
      expect((await get('supervisorSea', '/api/v1/subjects?aNumber=A200000001')).body.items).toHaveLength(1);
      expect((await get('admin', '/api/v1/subjects?aNumber=A200000001')).body.items).toHaveLength(1);
    });

    it('is for officers, supervisors and admins only', async () => {
      expect((await get('jailKing', '/api/v1/subjects?aNumber=A200000001')).status).toBe(403);
      expect((await get('analyst', '/api/v1/subjects?aNumber=A200000001')).status).toBe(403);
      expect((await api.http.get('/api/v1/subjects?aNumber=A200000001')).status).toBe(401);
    });

    it('rejects what is not an A-number, naming the field', async () => {
      const res = await get('officerSea', '/api/v1/subjects?aNumber=B123');
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'aNumber', message: expect.stringContaining('A followed by 8 or 9 digits') }]);
      expect((await get('officerSea', '/api/v1/subjects')).status).toBe(400);
    });
  });

  describe('allowedActions on GET /api/v1/detainers/:id', () => {
    it('lists what the caller may do now, by state, role and which agency holds the person', async () => {
      const issued = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject: subject('A200000002') }));
      const id = issued.body.id as string;
      expect((await get('jailKing', `/api/v1/detainers/${id}`)).body.allowedActions).toEqual(
        expect.arrayContaining(['acknowledge', 'report_not_in_custody']),
      );
      const officer = (await get('officerSea', `/api/v1/detainers/${id}`)).body.allowedActions as string[];
      expect(officer).toContain('cancel');
      expect(officer).not.toContain('acknowledge');

      expect((await post('jailKing', `/api/v1/detainers/${id}/acknowledge`, { response: 'will_comply' })).status).toBe(200);
      const release = await post('jailKing', `/api/v1/detainers/${id}/release`, { at: api.clock.now().toISOString(), destination: 'other_agency', toFacilityId: world.facilities.snohomishJail.id });
      expect(release.status).toBe(200);
      // King handed the person on: it still reads its part of the history but may no longer act.
      const king = await get('jailKing', `/api/v1/detainers/${id}`);
      expect(king.status).toBe(200);
      expect(king.body.allowedActions).toEqual([]);
      expect(king.body.nextSteps).toEqual([]);
      expect((await get('jailSnohomish', `/api/v1/detainers/${id}`)).body.allowedActions).toContain('acknowledge');
    });

    it('nextSteps: of those, the expected next step in its state (the rest are exceptions)', async () => {
      const issued = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject: subject('A200000003') }));
      const id = issued.body.id as string;
      let jail = (await get('jailKing', `/api/v1/detainers/${id}`)).body;
      expect(jail.nextSteps).toEqual(['acknowledge', 'report_not_in_custody']);
      expect(jail.allowedActions).toEqual(expect.arrayContaining(['refuse', 'claim_citizenship', 'release']));
      expect((await get('officerSea', `/api/v1/detainers/${id}`)).body.nextSteps).toEqual([]);
      expect((await post('jailKing', `/api/v1/detainers/${id}/acknowledge`, { response: 'will_comply' })).status).toBe(200);
      jail = (await get('jailKing', `/api/v1/detainers/${id}`)).body;
      expect(jail.nextSteps).toEqual(['schedule_release', 'start_hold']);
      expect((await get('officerSea', `/api/v1/detainers/${id}`)).body.nextSteps).toEqual(['plan_pickup']);
    });
  });

  describe('GET /api/v1/reports/weekly: the weeks a client can open', () => {
    it('names the open week, the week just closed and how weeks are cut, for anyone who lists weeks', async () => {
      for (const res of [await get('supervisorSea', '/api/v1/reports/weekly'), await api.http.get('/api/v1/reports/weekly')]) {
        expect(res.status).toBe(200);
        // The test clock stands at Monday 2 Nov 2026 15:00 UTC; weeks start Saturday 00:00 US Eastern.
        expect(res.body.currentWeek).toEqual({
          weekStart: '2026-10-31', weekEnd: '2026-11-06', timeZone: 'America/New_York', start: '2026-10-31T04:00:00.000Z', end: '2026-11-07T05:00:00.000Z',
        });
        expect(res.body.lastClosedWeek).toMatchObject({ weekStart: '2026-10-24', weekEnd: '2026-10-30', end: '2026-10-31T04:00:00.000Z' });
        expect(res.body.weekStartsOn).toEqual({ day: 'saturday', hour: 0, timeZone: 'America/New_York' });
      }
    });
  });

  describe('the web app at /', () => {
    it('serves index.html at / and, for deep links, as the app shell with security headers', async () => {
      for (const url of ['/', '/detainers/7d9b1c9e-0000-4000-8000-000000000000', '/inbox']) {
        const res = await api.http.get(url).set('Accept', 'text/html');
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/text\/html/);
        expect(res.text).toContain('<div id="root">');
        expect(res.headers['content-security-policy']).toContain("default-src 'self'");
        expect(res.headers['cache-control']).toBe('no-cache');
      }
    });

    it('serves built files, content-hashed assets with a long cache', async () => {
      const js = await api.http.get('/assets/index-abc123.js');
      expect(js.status).toBe(200);
      expect(js.text).toContain('console.log');
      expect(js.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
      expect((await api.http.get('/robots.txt')).text).toContain('Disallow');
    });

    it('never shadows the API, its docs, health or admin paths', async () => {
      const html = { Accept: 'text/html' };
      const unknownApi = await api.http.get('/api/v1/no-such-thing').set(html);
      expect(unknownApi.status).toBe(404);
      expect(unknownApi.body).toMatchObject({ statusCode: 404 });
      expect((await api.http.get('/api/v1/me').set(html)).status).toBe(401);
      expect((await api.http.get('/health').set(html)).body).toMatchObject({ status: 'ok' });
      expect((await api.http.get('/docs-json').set(html)).body).toHaveProperty('openapi');
      const docs = await api.http.get('/docs/').set(html);
      expect(docs.text).not.toContain('<div id="root">');
      const admin = await api.http.get('/admin/queues').set(html);
      expect(admin.text).not.toContain('<div id="root">');
    });

    it('answers a missing file or a non-HTML request with 404, not the app shell', async () => {
      expect((await api.http.get('/assets/index-old.js')).status).toBe(404);
      expect((await api.http.get('/favicon.ico')).status).toBe(404);
      expect((await api.http.get('/somewhere').set('Accept', 'application/json')).status).toBe(404);
      expect((await api.http.post('/somewhere').set('Accept', 'text/html')).status).toBe(404);
    });

    it('does not serve files outside the web root', async () => {
      const res = await api.http.get('/../package.json').set('Accept', 'text/html');
      expect(res.text).not.toContain('"name"');
      expect((await api.http.get('/%2e%2e/package.json')).status).toBe(404);
    });
  });
});
