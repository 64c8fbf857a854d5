import { randomUUID } from 'node:crypto';
import { PurgeExpiredIdempotencyKeys } from '@app/application';
import { asSuperuser, buildWorld, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/** What happens when things go wrong: every error is the contract's shape, and nothing is half-written. */
describe('detainer failure paths (e2e)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
  });
  afterAll(() => api.close());

  const post = (user: UserKey, path: string, body: object = {}) => api.http.post(path).set('Authorization', `Bearer ${tokens[user]}`).send(body);
  const counts = () =>
    api.db.read((sql) =>
      sql.one<{ detainers: string; events: string; subjects: string; lodgings: string }>(
        `SELECT (SELECT count(*) FROM detainers) AS detainers, (SELECT count(*) FROM detainer_events) AS events,
                (SELECT count(*) FROM subjects) AS subjects, (SELECT count(*) FROM lodgings) AS lodgings`,
      ),
    );
  const issue = async () => {
    const res = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject: { aNumber: `A${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`, familyName: 'X', givenName: 'Y', dateOfBirth: '1970-01-01', citizenship: 'MX' } }));
    expect(res.status).toBe(201);
    return res.body as { id: string; version: number };
  };

  describe('400: invalid input lists every offending field and writes nothing', () => {
    it.each([
      ['missing subject and an unknown form', { type: 'I-999', subject: undefined }, ['type', 'subject']],
      ['bad nested fields', { subject: { aNumber: 'A1', familyName: '', givenName: 'J', dateOfBirth: '1980-02-30', citizenship: 'MEX' } }, ['subject.familyName', 'subject.dateOfBirth', 'subject.citizenship']],
      ['no probable cause', { probableCause: [] }, ['probableCause']],
      ['an unknown field (mass assignment)', { status: 'honored', version: 9 }, ['status', 'version']],
      ['an instant that is not ISO 8601', { issuedAt: 'yesterday' }, ['issuedAt']],
      ['a charge with an unknown level', { charges: [{ description: 'x', level: 'capital', status: 'pending' }] }, ['charges[0].level']],
    ])('%s', async (_name, overrides, fields) => {
      const before = await counts();
      const res = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, overrides));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      const reported = (res.body.details as { field: string }[]).map((d) => d.field);
      for (const field of fields) expect(reported).toContain(field);
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['an I-247A without its warrant', { warrant: undefined }, 'warrant'],
      ['a legacy I-247D issued after its period', { type: 'I-247D', issuedAt: '2018-01-05T10:00:00Z' }, 'type'],
      ['an I-247A dated before the form existed', { issuedAt: '2017-04-01T12:00:00-07:00' }, 'type'],
      ['an A-number that is not A + 8 or 9 digits', { subject: { aNumber: 'A1234', familyName: 'X', givenName: 'Y', dateOfBirth: '1970-01-01', citizenship: 'MX' } }, 'subject.aNumber'],
      ['a citizenship that is no ISO country', { subject: { familyName: 'X', givenName: 'Y', dateOfBirth: '1970-01-01', citizenship: 'ZZ' } }, 'subject.citizenship'],
      ['a facility outside the officer\'s AOR', { facilityId: undefined }, 'facilityId'],
      ['a local issue time that does not exist (spring forward)', { issuedAt: '2026-03-08T02:30:00' }, 'issuedAt'],
    ])('domain rule: %s', async (_name, overrides, field) => {
      const body = i247aBody(world.facilities.kingJail.id, overrides);
      if (field === 'facilityId') body.facilityId = world.facilities.cookJail.id;
      const before = await counts();
      const res = await post('officerSea', '/api/v1/detainers', body);
      expect(res.status).toBe(400);
      expect((res.body.details as { field: string }[]).map((d) => d.field)).toContain(field);
      expect(await counts()).toEqual(before);
    });

    it('an action with a bad instant is a 400 and leaves the detainer as it was', async () => {
      const d = await issue();
      await post('jailKing', `/api/v1/detainers/${d.id}/acknowledge`, { response: 'will_comply' });
      const before = await counts();
      // 2026-11-01 01:30 happens twice in Los Angeles: ambiguous without an offset
      const res = await post('jailKing', `/api/v1/detainers/${d.id}/schedule-release`, { releaseAt: '2026-11-01T01:30:00' });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'releaseAt' })]);
      expect(await counts()).toEqual(before);
    });

    it('a body that is not JSON, and one that is too large', async () => {
      const bad = await api.http.post('/api/v1/detainers').set('Authorization', `Bearer ${tokens.officerSea}`).set('Content-Type', 'application/json').send('{"type":');
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ statusCode: 400, message: 'The request body is not valid JSON.' });
      const huge = await post('officerSea', '/api/v1/detainers', { ...i247aBody(world.facilities.kingJail.id), padding: 'x'.repeat(200_000) });
      expect(huge.status).toBe(413);
      expect(huge.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    });
  });

  describe('404: unknown ids and records outside the caller\'s scope look the same', () => {
    it('unknown, malformed and foreign ids', async () => {
      const d = await issue();
      const unknown = await api.http.get(`/api/v1/detainers/${randomUUID()}`).set('Authorization', `Bearer ${tokens.officerSea}`);
      const malformed = await api.http.get(`/api/v1/detainers/not-a-uuid`).set('Authorization', `Bearer ${tokens.officerSea}`);
      const otherArea = await api.http.get(`/api/v1/detainers/${d.id}`).set('Authorization', `Bearer ${tokens.officerChi}`);
      const otherAgency = await api.http.get(`/api/v1/detainers/${d.id}`).set('Authorization', `Bearer ${tokens.jailCook}`);
      const actOtherAgency = await post('jailCook', `/api/v1/detainers/${d.id}/acknowledge`, { response: 'will_comply' });
      for (const res of [unknown, malformed, otherArea, otherAgency, actOtherAgency]) {
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', code: 'not_found', message: 'No detainer with this id.' });
      }
      const list = await api.http.get('/api/v1/detainers').set('Authorization', `Bearer ${tokens.jailCook}`);
      expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(d.id);
    });
  });

  describe('409: transitions, stale versions, concurrency', () => {
    it('names the current state and the allowed actions', async () => {
      const d = await issue();
      const res = await post('jailKing', `/api/v1/detainers/${d.id}/start-hold`, { since: api.clock.now().toISOString() });
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/in state 'issued'/);
      expect(res.body.code).toBe('invalid_transition');
      expect(res.body.state).toBe('issued');
      expect(res.body.allowedActions).toEqual(expect.arrayContaining(['acknowledge', 'report_not_in_custody', 'release', 'refuse']));
      expect(res.body.allowedActions).not.toContain('start_hold');
    });

    it('a stale expectedVersion is refused and nothing changes', async () => {
      const d = await issue();
      await post('jailKing', `/api/v1/detainers/${d.id}/acknowledge`, { response: 'will_comply', expectedVersion: 1 });
      const before = await counts();
      const res = await post('jailKing', `/api/v1/detainers/${d.id}/schedule-release`, { releaseAt: '2026-11-10T12:00:00Z', expectedVersion: 1 });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'version_conflict', currentVersion: 2, expectedVersion: 1 });
      expect(res.body.details).toBeUndefined();
      expect(await counts()).toEqual(before);
    });

    it('two truly concurrent actions on one detainer never both win', async () => {
      for (let round = 0; round < 5; round += 1) {
        const d = await issue();
        const results = await Promise.all([
          post('jailKing', `/api/v1/detainers/${d.id}/acknowledge`, { response: 'will_comply' }),
          post('jailKing', `/api/v1/detainers/${d.id}/acknowledge`, { response: 'will_not_comply', reason: 'policy' }),
          post('jailKing', `/api/v1/detainers/${d.id}/report-not-in-custody`.replace('report-', ''), {}),
        ]);
        const statuses = results.map((r) => r.status).sort();
        expect(statuses.filter((s) => s === 200)).toHaveLength(1);
        expect(statuses.filter((s) => s === 409)).toHaveLength(2);
        const events = await api.db.read((sql) => sql.query<{ kind: string }>('SELECT kind FROM detainer_events WHERE detainer_id = $1 ORDER BY seq', [d.id]));
        expect(events).toHaveLength(2);
        const row = await api.db.read((sql) => sql.one<{ version: number }>('SELECT version FROM detainers WHERE id = $1', [d.id]));
        expect(row?.version).toBe(2);
      }
    });
  });

  describe('Idempotency-Key on create', () => {
    it('the same key and body returns the first response; a different body is 422', async () => {
      const key = `k-${randomUUID()}`;
      const body = i247aBody(world.facilities.kingJail.id, { subject: { aNumber: 'A777777777', familyName: 'Idem', givenName: 'Potent', dateOfBirth: '1970-01-01', citizenship: 'MX' } });
      const first = await post('officerSea', '/api/v1/detainers', body).set('Idempotency-Key', key);
      const again = await post('officerSea', '/api/v1/detainers', body).set('Idempotency-Key', key);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      const other = await post('officerSea', '/api/v1/detainers', { ...body, bookingNumber: 'OTHER' }).set('Idempotency-Key', key);
      expect(other.status).toBe(422);
      const n = await api.db.read((sql) => sql.one<{ n: string }>('SELECT count(*) AS n FROM detainers d JOIN subjects s ON s.id = d.subject_id WHERE s.a_number = $1', ['777777777']));
      expect(Number(n?.n)).toBe(1);
    });

    it('concurrent retries with one key create one detainer', async () => {
      const key = `k-${randomUUID()}`;
      const body = i247aBody(world.facilities.kingJail.id, { subject: { aNumber: 'A888888888', familyName: 'Race', givenName: 'Retry', dateOfBirth: '1970-01-01', citizenship: 'MX' } });
      const results = await Promise.all([1, 2, 3, 4].map(() => post('officerSea', '/api/v1/detainers', body).set('Idempotency-Key', key)));
      const created = results.filter((r) => r.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      for (const r of results) expect([201, 409]).toContain(r.status);
      expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
      const n = await api.db.read((sql) => sql.one<{ n: string }>('SELECT count(*) AS n FROM detainers d JOIN subjects s ON s.id = d.subject_id WHERE s.a_number = $1', ['888888888']));
      expect(Number(n?.n)).toBe(1);
    });

    it("keys are stamped and expire by the application's clock, not the database's", async () => {
      const key = `k-${randomUUID()}`;
      api.clock.set('2026-11-02T15:00:00Z');
      const body = i247aBody(world.facilities.kingJail.id, { subject: { aNumber: 'A666666666', familyName: 'Clock', givenName: 'Stamp', dateOfBirth: '1970-01-01', citizenship: 'MX' } });
      expect((await post('officerSea', '/api/v1/detainers', body).set('Idempotency-Key', key)).status).toBe(201);
      const stamps = () => api.db.read((sql) => sql.one<{ created_at: Date; completed_at: Date }>('SELECT created_at, completed_at FROM idempotency_keys WHERE key = $1', [key]));
      expect(await stamps()).toEqual({ created_at: new Date('2026-11-02T15:00:00Z'), completed_at: new Date('2026-11-02T15:00:00Z') });
      const purge = api.app.get(PurgeExpiredIdempotencyKeys);
      api.clock.set('2026-11-03T14:59:00Z');
      await purge.execute();
      expect(await stamps()).not.toBeNull();
      api.clock.set('2026-11-03T15:01:00Z');
      await purge.execute();
      expect(await stamps()).toBeNull();
      api.clock.set('2026-11-02T15:00:00Z');
    });

    it('a failed create frees the key for a corrected retry', async () => {
      const key = `k-${randomUUID()}`;
      const bad = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { warrant: undefined })).set('Idempotency-Key', key);
      expect(bad.status).toBe(400);
      const badAgain = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { warrant: undefined })).set('Idempotency-Key', key);
      expect(badAgain.status).toBe(400);
    });
  });

  describe('events are append-only, even to raw SQL', () => {
    it.each([
      ['UPDATE', `UPDATE detainer_events SET kind = 'tampered'`],
      ['DELETE', 'DELETE FROM detainer_events'],
      ['TRUNCATE', 'TRUNCATE detainer_events CASCADE'],
    ])('%s is not granted to the service, and a trigger rejects it even for a superuser', async (_op, statement) => {
      await issue();
      const before = await counts();
      await expect(api.db.transaction((sql) => sql.query(statement))).rejects.toThrow(/permission denied for table detainer_events/);
      await expect(asSuperuser(api.database, (c) => c.query(statement))).rejects.toThrow(/append-only/);
      expect(await counts()).toEqual(before);
    });
  });

  describe('401 and 403', () => {
    it('no token, a bad token, and a role that may not act', async () => {
      const none = await api.http.get('/api/v1/detainers');
      const bad = await api.http.get('/api/v1/detainers').set('Authorization', 'Bearer not.a.token');
      expect(none.status).toBe(401);
      expect(bad.status).toBe(401);
      const d = await issue();
      const officerAcks = await post('officerSea', `/api/v1/detainers/${d.id}/acknowledge`, { response: 'will_comply' });
      expect(officerAcks.status).toBe(403);
      const jailIssues = await post('jailKing', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id));
      expect(jailIssues.status).toBe(403);
      const analystReads = await api.http.get(`/api/v1/detainers/${d.id}`).set('Authorization', `Bearer ${tokens.analyst}`);
      expect(analystReads.status).toBe(403);
    });
  });
});
