import { RollUpMarkedWeeks } from '@app/application';
import { DEFAULT_WEEK_CONFIG, weekContaining } from '@app/domain';
import { DeliveryRepository } from '@app/persistence';
import { buildWorld, eventually, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/**
 * What the admin console needs of the API beyond what it had: correcting and ending a policy (the
 * published weeks it touches get a new version), the password rules while typing, the audit log by
 * role and as CSV, and the queue dashboard through a single-use ticket and an http-only cookie,
 * read-only until the admin re-authenticates, every change audited.
 */
describe('admin console API (e2e)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  const as = (user: UserKey) => ({
    get: (path: string) => api.http.get(path).set('Authorization', `Bearer ${tokens[user]}`),
    post: (path: string, body: object = {}) => api.http.post(path).set('Authorization', `Bearer ${tokens[user]}`).send(body),
    patch: (path: string, body: object = {}) => api.http.patch(path).set('Authorization', `Bearer ${tokens[user]}`).send(body),
  });
  const auditOf = (where: string, params: unknown[] = []) =>
    api.db.read((sql) => sql.query<{ action: string; outcome: string; actor_id: string | null; target_id: string | null; status: number | null; details: Record<string, unknown>; category: string }>(
      `SELECT * FROM audit_log WHERE ${where} ORDER BY id`, params,
    ));

  beforeAll(async () => {
    // the webhook's receiver is on this machine (nothing listens: its deliveries are written by the test)
    api = await startTestApi({ env: { WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true' } });
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
  });
  afterAll(async () => {
    await api?.close();
  });

  describe('PATCH /api/v1/policies/:id', () => {
    const WEEK = weekContaining(new Date('2026-10-14T12:00:00Z'), DEFAULT_WEEK_CONFIG).weekStart;
    let policyId = '';

    beforeAll(async () => {
      api.clock.set('2026-11-20T15:00:00Z');
      const created = await as('admin').post(`/api/v1/jurisdictions/${world.jurisdictions.king.id}/policies`, {
        kind: 'ordinance', citation: 'King County Code 2.15.010', summary: 'No holds without a judicial warrant', limitsHold: true,
        limitsNotification: false, limitsAccess: false, effectiveFrom: '2026-01-01',
      }).expect(201);
      policyId = created.body.id;
      await as('supervisorSea').post(`/api/v1/reports/weekly/${WEEK}/publish`).expect((r) => expect([200, 201]).toContain(r.status));
    });

    it('refuses what it cannot do, naming the field, and writes nothing', async () => {
      const empty = await as('admin').patch(`/api/v1/policies/${policyId}`, {}).expect(400);
      expect(empty.body.details).toEqual([expect.objectContaining({ field: 'effectiveTo' })]);
      const early = await as('admin').patch(`/api/v1/policies/${policyId}`, { effectiveTo: '2025-12-31' }).expect(400);
      expect(early.body.details).toEqual([{ field: 'effectiveTo', message: expect.stringContaining('2026-01-01') }]);
      await as('admin').patch(`/api/v1/policies/${policyId}`, { effectiveTo: '2026-02-30' }).expect(400);
      await as('admin').patch(`/api/v1/policies/${policyId}`, { citation: '' }).expect(400);
      await as('admin').patch('/api/v1/policies/00000000-0000-4000-8000-000000000000', { citation: 'x' }).expect(404);
      await as('admin').patch('/api/v1/policies/not-an-id', { citation: 'x' }).expect(404);
      await as('supervisorSea').patch(`/api/v1/policies/${policyId}`, { citation: 'x' }).expect(403);
      const [policy] = (await as('officerSea').get(`/api/v1/jurisdictions/${world.jurisdictions.king.id}/policies`).expect(200)).body;
      expect(policy).toMatchObject({ citation: 'King County Code 2.15.010', effectiveTo: null });
    });

    it('ending a policy re-rolls the published weeks it touches: they get a new version without it', async () => {
      const rollUpMarkedWeeks = api.app.get(RollUpMarkedWeeks);
      const before = (await api.http.get(`/api/v1/reports/weekly/${WEEK}`).expect(200)).body;
      expect(before.sections.III.jurisdictions.map((j: { code: string }) => j.code)).toContain(world.jurisdictions.king.code);

      const ended = await as('admin').patch(`/api/v1/policies/${policyId}`, { effectiveTo: '2026-09-30' }).expect(200);
      expect(ended.body).toMatchObject({ id: policyId, effectiveTo: '2026-09-30', citation: 'King County Code 2.15.010', weeksReRolled: [WEEK] });
      expect(await rollUpMarkedWeeks.execute()).toEqual([WEEK]);
      const after = (await api.http.get(`/api/v1/reports/weekly/${WEEK}`).expect(200)).body;
      expect(after.version).toBe((before.version as number) + 1);
      expect(after.sections.III.jurisdictions.map((j: { code: string }) => j.code)).not.toContain(world.jurisdictions.king.code);

      // a correction of the wording touches the whole span; the week is outside it now
      const corrected = await as('admin').patch(`/api/v1/policies/${policyId}`, { citation: 'King County Code 2.15.010 (2026)' }).expect(200);
      expect(corrected.body.weeksReRolled).toEqual([]);
      // in force again without an end: the week is touched again
      const reopened = await as('admin').patch(`/api/v1/policies/${policyId}`, { effectiveTo: null }).expect(200);
      expect(reopened.body).toMatchObject({ effectiveTo: null, weeksReRolled: [WEEK] });
      const entries = await auditOf(`action = 'PATCH /api/v1/policies/:id' AND outcome = 'success'`);
      expect(entries.map((e) => [e.category, e.actor_id, e.target_id])).toEqual(Array(3).fill(['admin', world.users.admin.id, policyId]));
    });
  });

  it('records Public Safety Partnership certifications of a jurisdiction; every role reads them', async () => {
    const path = `/api/v1/jurisdictions/${world.jurisdictions.cook.id}/certifications`;
    const body = { kind: 'release_notice_48h', certifiedOn: '2026-10-01', expiresOn: '2027-09-30', source: "Sheriff's letter to the field office, 1 October 2026" };
    const created = (await as('admin').post(path, body).expect(201)).body;
    expect(created).toMatchObject({ ...body, jurisdictionId: world.jurisdictions.cook.id, id: expect.any(String) });
    const bad = await as('admin').post(path, { ...body, kind: 'hugs' }).expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'kind' })]);
    expect((await as('admin').post(path, { ...body, expiresOn: '2026-09-30' }).expect(400)).body.details).toEqual([{ field: 'expiresOn', message: expect.any(String) }]);
    await as('admin').post(path, { ...body, source: '' }).expect(400);
    await as('admin').post('/api/v1/jurisdictions/00000000-0000-4000-8000-000000000000/certifications', body).expect(404);
    await as('supervisorChi').post(path, body).expect(403);
    const listed = (await as('analyst').get(path).expect(200)).body;
    expect(listed).toEqual([created]);
    expect((await as('officerSea').get(`/api/v1/jurisdictions/${world.jurisdictions.king.id}/certifications`).expect(200)).body).toEqual([]);
  });

  it("an agency's 287(g) agreement has its dates; dates without an agreement, or ending before they begin, are refused", async () => {
    const base = { name: 'Cook County Sheriff Annex', jurisdictionId: world.jurisdictions.cook.id };
    const created = (await as('admin').post('/api/v1/agencies', { ...base, ori: 'IL0160100', program287g: 'warrant_service', program287gSince: '2019-05-01', program287gUntil: '2025-04-30' }).expect(201)).body;
    expect(created).toMatchObject({ program287g: 'warrant_service', program287gSince: '2019-05-01', program287gUntil: '2025-04-30' });
    expect((await as('officerChi').get(`/api/v1/agencies/${created.id}`).expect(200)).body).toEqual(created);
    expect((await as('admin').post('/api/v1/agencies', { ...base, ori: 'IL0160200', program287gSince: '2019-05-01' }).expect(400)).body.details).toEqual([expect.objectContaining({ field: 'program287gSince' })]);
    expect((await as('admin').post('/api/v1/agencies', { ...base, ori: 'IL0160200', program287g: 'task_force', program287gUntil: '2020-01-01' }).expect(400)).body.details).toEqual([expect.objectContaining({ field: 'program287gSince' })]);
    expect((await as('admin').post('/api/v1/agencies', { ...base, ori: 'IL0160200', program287g: 'task_force', program287gSince: '2020-01-01', program287gUntil: '2019-12-31' }).expect(400)).body.details).toEqual([expect.objectContaining({ field: 'program287gUntil' })]);
    await as('admin').post('/api/v1/agencies', { ...base, ori: 'IL0160200', program287g: 'task_force', program287gSince: '2020-13-01' }).expect(400);
    // none was written
    expect((await as('admin').get(`/api/v1/agencies?jurisdictionId=${world.jurisdictions.cook.id}&limit=500`).expect(200)).body.items.map((a: { ori: string }) => a.ori).sort()).toEqual(['IL0160000', 'IL0160100']);
  });

  it('POST /api/v1/password-check applies the rules of creating a user, for any signed-in user, and stores nothing', async () => {
    const check = async (password: string, username?: string) => (await as('admin').post('/api/v1/password-check', { password, username }).expect(200)).body;
    expect(await check('short')).toEqual({ acceptable: false, problem: expect.stringMatching(/at least 12/), minLength: 12, maxLength: 128 });
    expect((await check('password1234')).problem).toMatch(/common|breached/);
    expect((await check('jail.clark-rocks-2026', 'jail.clark')).problem).toMatch(/username/);
    expect(await check('quiet harbour lantern 42')).toMatchObject({ acceptable: true, problem: null });
    expect((await as('jailKing').post('/api/v1/password-check', { password: 'abcdefghijklmn' }).expect(200)).body.problem).toMatch(/sequence/);
    await as('admin').post('/api/v1/password-check', {}).expect(400);
    await api.http.post('/api/v1/password-check').send({ password: 'x' }).expect(401);
    const stored = await auditOf(`action = 'POST /api/v1/password-check'`);
    expect(JSON.stringify(stored)).not.toContain('quiet harbour');
  });

  describe('the audit log', () => {
    it('filters by the actor\'s role', async () => {
      const page = (await as('admin').get('/api/v1/audit?actorRole=jail_staff&limit=500').expect(200)).body;
      expect(page.items.length).toBeGreaterThan(0);
      expect(new Set(page.items.map((e: { actor: { role: string } }) => e.actor.role))).toEqual(new Set(['jail_staff']));
      await as('admin').get('/api/v1/audit?actorRole=janitor').expect(400);
    });

    it('exports the filtered entries as CSV, and the export is itself audited', async () => {
      const res = await as('admin').get(`/api/v1/audit/export.csv?actorId=${world.users.jailKing.id}`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(/attachment; filename="audit-log-.*\.csv"/);
      expect(res.headers['x-export-truncated']).toBe('false');
      const lines = res.text.trim().split('\r\n');
      expect(lines[0]).toBe('id,at_utc,category,action,outcome,status,reason,actor_kind,actor_id,actor_name,actor_role,actor_agency_id,actor_area_id,session_id,target_type,target_id,method,path,request_id,client_address,details');
      expect(lines.length).toBeGreaterThan(1);
      for (const line of lines.slice(1)) expect(line).toContain(world.users.jailKing.id);
      const [read] = await auditOf(`action = 'GET /api/v1/audit/export.csv'`);
      expect(read).toMatchObject({ category: 'audit_read', outcome: 'success', actor_id: world.users.admin.id });
      await as('supervisorSea').get('/api/v1/audit/export.csv').expect(403);
      await as('admin').get('/api/v1/audit/export.csv?from=yesterday').expect(400);
    });
  });

  it("a webhook's deliveries, newest first, with status and error; an admin retries a failed one", async () => {
    const hook = (await as('admin').post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/hooks', agencyId: world.agencies.king.id }).expect(201)).body;
    const detainer = (await as('officerSea').post('/api/v1/detainers', i247aBody(world.facilities.kingJail.id)).expect(201)).body;
    const deliveries = api.app.get(DeliveryRepository);
    const [failedId, sentId] = await api.db.transaction(async (sql) => {
      const reminders = await sql.query<{ id: string }>('SELECT id FROM reminders WHERE detainer_id = $1 ORDER BY due_at LIMIT 2', [detainer.id]);
      expect(reminders).toHaveLength(2);
      const [failed] = await deliveries.insertMissing(sql, reminders[0].id, [{ channel: 'webhook', recipient: hook.id, address: hook.url }], new Date('2026-11-20T10:00:00Z'));
      await deliveries.recordFailure(sql, failed.id, 'HTTP 503 from the receiver', true, new Date('2026-11-20T10:05:00Z'));
      const [sent] = await deliveries.insertMissing(sql, reminders[1].id, [{ channel: 'webhook', recipient: hook.id, address: hook.url }], new Date('2026-11-20T11:00:00Z'), 'sent');
      return [failed.id, sent.id];
    });
    const list = (await as('admin').get(`/api/v1/webhooks/${hook.id}/deliveries?limit=1`).expect(200)).body;
    expect(list.items).toEqual([expect.objectContaining({ id: sentId, status: 'sent', detainerId: detainer.id })]);
    const next = (await as('admin').get(`/api/v1/webhooks/${hook.id}/deliveries?limit=1&cursor=${encodeURIComponent(list.nextCursor)}`).expect(200)).body;
    expect(next).toEqual({ items: [expect.objectContaining({ id: failedId, status: 'failed', attempts: 0, lastError: 'HTTP 503 from the receiver', failedAt: '2026-11-20T10:05:00.000Z' })], nextCursor: null });
    await as('jailKing').get(`/api/v1/webhooks/${hook.id}/deliveries`).expect(403);
    await as('admin').get('/api/v1/webhooks/00000000-0000-4000-8000-000000000000/deliveries').expect(404);

    const retried = (await as('admin').post(`/api/v1/deliveries/${failedId}/retry`).expect(200)).body;
    expect(retried).toMatchObject({ id: failedId, status: 'pending', attempts: 0, failedAt: null });
    await as('admin').post(`/api/v1/deliveries/${failedId}/retry`).expect(404); // nothing left to retry
    await as('jailKing').post(`/api/v1/deliveries/${sentId}/retry`).expect(403);
  });

  describe('the queue dashboard', () => {
    const ticketUrl = async (user: UserKey = 'admin') => (await as(user).post('/api/v1/admin/queue-dashboard/tickets').expect(200)).body.url as string;
    const cookieOf = (res: { headers: Record<string, unknown> }) => {
      const set = res.headers['set-cookie'] as string[];
      return set.find((c) => c.startsWith('dw_queues='))!;
    };

    it('a ticket is for admins, works once, and gives an http-only cookie for /admin/queues only', async () => {
      await as('supervisorSea').post('/api/v1/admin/queue-dashboard/tickets').expect(403);
      await api.http.post('/api/v1/admin/queue-dashboard/tickets').expect(401);
      const url = await ticketUrl();
      expect(url).toMatch(/^\/admin\/queues\/enter\?ticket=[A-Za-z0-9_-]{40,}$/);
      const entered = await api.http.get(url).expect(303);
      expect(entered.headers.location).toBe('/admin/queues/');
      const cookie = cookieOf(entered);
      expect(cookie).toMatch(/; Path=\/admin\/queues/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Strict/);
      await api.http.get(url).expect(401); // used up
      await api.http.get('/admin/queues/enter?ticket=made-up-ticket-made-up-ticket').expect(401);
      const pair = cookie.split(';')[0];
      const queues = await api.http.get('/admin/queues/api/queues').set('Cookie', pair).expect(200);
      expect(JSON.stringify(queues.body)).toContain('reminders');
      // a token in a cookie is not a credential any more
      await api.http.get('/admin/queues/api/queues').set('Cookie', `dw_token=${tokens.admin}`).expect(401);
      const entries = await auditOf(`action = 'queues.enter'`);
      expect(entries.map((e) => [e.outcome, e.actor_id])).toEqual([['success', world.users.admin.id], ['failure', null], ['failure', null]]);
    });

    it('read-only until the admin re-authenticates; every change is audited with who and what', async () => {
      const fresh = await api.http.post('/api/v1/auth/token').send({ username: 'admin', password: 'correct-horse-battery' }).expect(200);
      const token = fresh.body.accessToken as string;
      const url = (await api.http.post('/api/v1/admin/queue-dashboard/tickets').set('Authorization', `Bearer ${token}`).expect(200)).body.url;
      const pair = cookieOf(await api.http.get(url).expect(303)).split(';')[0];
      // the sign-in is fresh: pausing works and is audited
      await api.http.put('/admin/queues/api/queues/reports/pause').set('Cookie', pair).expect(200);
      await api.http.put('/admin/queues/api/queues/reports/resume').set('Cookie', pair).expect(200);
      // a dashboard change is audited once its outcome is known, as its response finishes
      const done = await eventually(async () => {
        const rows = await auditOf(`action IN ('queues.pause', 'queues.resume') AND outcome = 'success'`);
        return rows.length >= 2 && rows;
      }, 'both dashboard changes in the audit log', 5_000);
      expect(done.map((e) => [e.action, e.target_id, e.actor_id, e.status])).toEqual([
        ['queues.pause', 'reports', world.users.admin.id, 200],
        ['queues.resume', 'reports', world.users.admin.id, 200],
      ]);
      // sixteen minutes later the sign-in is no longer recent: looking works, changing does not, and the refusal is audited
      await api.db.read((sql) => sql.query(`UPDATE sessions SET authenticated_at = now() - interval '16 minutes' WHERE user_id = $1`, [world.users.admin.id]));
      await api.http.get('/admin/queues/api/queues').set('Cookie', pair).expect(200);
      const refused = await api.http.put('/admin/queues/api/queues/reports/pause').set('Cookie', pair).expect(401);
      expect(refused.body.message).toMatch(/read-only/);
      expect(await auditOf(`action = 'queues.pause' AND outcome = 'failure'`)).toEqual([expect.objectContaining({ status: 401, actor_id: world.users.admin.id })]);
      await api.http.post('/api/v1/auth/reauthenticate').set('Authorization', `Bearer ${token}`).send({ password: 'correct-horse-battery' }).expect(200);
      await api.http.put('/admin/queues/api/queues/reports/pause').set('Cookie', pair).expect(200);
      await api.http.put('/admin/queues/api/queues/reports/resume').set('Cookie', pair).expect(200);
      // signing out ends the cookie with the session
      await api.http.post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`).expect(204);
      await api.http.get('/admin/queues/api/queues').set('Cookie', pair).expect(401);
    });
  });
});
