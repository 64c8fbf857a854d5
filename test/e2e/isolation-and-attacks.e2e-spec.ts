import { randomUUID } from 'node:crypto';
import {
  buildWorld, countChanges, createApiKey, i247aBody, startTestApi, tableCounts, TestApi, tokensFor, UserKey, World,
} from '@test/support';

const INJECTIONS = [
  "' OR '1'='1",
  "1; DROP TABLE detainers; --",
  "00000000-0000-0000-0000-000000000000' OR 1=1 --",
  '%27%20OR%201%3D1',
  '{"$ne":null}',
  '../../etc/passwd',
  '\u0000',
  'a'.repeat(5000),
];

/**
 * No one where they don't belong: agencies and areas see and act only on their own detainers, by id
 * and by every filter; API keys act as their agency's jail staff and stop at revocation; escalation,
 * mass assignment, injection and oversized bodies fail and write nothing but their audit entry.
 */
describe('isolation and attacks (e2e)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  let king: { id: string; subjectId: string };
  let cook: { id: string };
  let transferred: { id: string };
  let keys: { king: { id: string; key: string }; cook: { id: string; key: string }; revoked: { id: string; key: string } };

  const as = (who: UserKey | { key: string }) => {
    const auth = (r: import('supertest').Test) => (typeof who === 'string' ? r.set('Authorization', `Bearer ${tokens[who]}`) : r.set('X-Api-Key', who.key));
    return {
      get: (path: string) => auth(api.http.get(path)),
      post: (path: string, body: unknown = {}) => auth(api.http.post(path)).send(body as object),
      patch: (path: string, body: unknown = {}) => auth(api.http.patch(path)).send(body as object),
    };
  };
  const issue = async (facilityId: string, officer: UserKey, aNumber: string) => {
    const res = await as(officer).post('/api/v1/detainers', i247aBody(facilityId, { subject: { aNumber, familyName: 'Roe', givenName: 'Richard', dateOfBirth: '1975-03-04', citizenship: 'GT' } }));
    expect(res.status).toBe(201);
    return res.body as { id: string; subject: { id: string } };
  };
  /** Runs an attempt and checks that it wrote exactly one row: its audit entry (a failure). */
  const onlyAudited = async (attempt: () => Promise<import('supertest').Response>) => {
    const before = await tableCounts(api.db);
    const res = await attempt();
    expect(countChanges(before, await tableCounts(api.db))).toEqual({ audit_log: 1 });
    const last = await api.db.read((sql) => sql.one<{ outcome: string; status: number }>('SELECT outcome, status FROM audit_log ORDER BY id DESC LIMIT 1'));
    expect(last).toEqual({ outcome: 'failure', status: res.status });
    return res;
  };

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
    const k = await issue(world.facilities.kingJail.id, 'officerSea', 'A100000001');
    king = { id: k.id, subjectId: k.subject.id };
    cook = await issue(world.facilities.cookJail.id, 'officerChi', 'A100000002');
    transferred = await issue(world.facilities.kingJail.id, 'officerSea', 'A100000003');
    expect((await as('jailKing').post(`/api/v1/detainers/${transferred.id}/acknowledge`, { response: 'will_comply' })).status).toBe(200);
    expect((await as('jailKing').post(`/api/v1/detainers/${transferred.id}/release`, { at: api.clock.now().toISOString(), destination: 'other_agency', toFacilityId: world.facilities.snohomishJail.id })).status).toBe(200);
    keys = {
      king: await createApiKey(api.http, tokens.admin, world.agencies.king.id, 'King JMS'),
      cook: await createApiKey(api.http, tokens.admin, world.agencies.cook.id, 'Cook JMS'),
      revoked: await createApiKey(api.http, tokens.admin, world.agencies.king.id, 'Old King JMS'),
    };
    expect((await as('admin').post(`/api/v1/api-keys/${keys.revoked.id}/revoke`)).status).toBe(200);
  });
  afterAll(() => api.close());

  describe('another agency or area: 404 by id, absent from every list and filter, no action', () => {
    const outsiders: [string, () => UserKey | { key: string }][] = [
      ['jail staff of another agency', () => 'jailCook'],
      ['the API key of another agency', () => keys.cook],
      ['an officer of another area', () => 'officerChi'],
      ['a supervisor of another area', () => 'supervisorChi'],
    ];

    it.each(outsiders)('%s', async (_name, who) => {
      const caller = as(who());
      const read = await onlyAudited(() => caller.get(`/api/v1/detainers/${king.id}`));
      expect(read.status).toBe(404);
      expect(read.body).toEqual({ statusCode: 404, error: 'Not Found', code: 'not_found', message: 'No detainer with this id.' });
      const at = api.clock.now().toISOString();
      const actions: [string, object][] = [
        ['acknowledge', { response: 'will_comply' }], ['cancel', { reason: 'other' }], ['plan-pickup', { at }],
        ['schedule-release', { releaseAt: at }], ['claim-citizenship', { note: 'n' }], ['refuse', { at, reason: 'policy' }],
      ];
      for (const [action, body] of actions) {
        const res = await onlyAudited(() => caller.post(`/api/v1/detainers/${king.id}/${action}`, body));
        // 404 where the role may take the action (scope is checked in the query), 403 where the role may not at all
        expect([action, [403, 404].includes(res.status)]).toEqual([action, true]);
      }
      const filters = [
        '', `?agencyId=${world.agencies.king.id}`, `?facilityId=${world.facilities.kingJail.id}`, `?jurisdictionId=${world.jurisdictions.king.id}`,
        `?areaId=${world.areas.SEA.id}`, `?subjectId=${king.subjectId}`, '?status=issued', '?declined=false', '?issuedFrom=2000-01-01T00:00:00Z', '?limit=500',
      ];
      for (const f of filters) {
        const list = await caller.get(`/api/v1/detainers${f}`);
        expect(list.status).toBe(200);
        expect((list.body.items as { id: string }[]).map((i) => i.id)).not.toContain(king.id);
      }
    });

    it('the agency that handed the person on keeps only its own part of the history, and can no longer act', async () => {
      const own = await as('jailKing').get(`/api/v1/detainers/${transferred.id}`);
      expect(own.status).toBe(200);
      expect(own.body.status).toBe('transferred');
      expect((own.body.lodgings as { agency: { id: string } }[]).map((l) => l.agency.id)).toEqual([world.agencies.king.id]);
      const receiving = await as('jailSnohomish').get(`/api/v1/detainers/${transferred.id}`);
      expect((receiving.body.lodgings as unknown[]).length).toBe(1);
      expect(receiving.body.lodgings[0].agency.id).toBe(world.agencies.snohomish.id);
      const act = await onlyAudited(() => as('jailKing').post(`/api/v1/detainers/${transferred.id}/acknowledge`, { response: 'will_comply' }));
      expect(act.status).toBe(403);
    });

    it('analysts reach no detainer at all, by id or list', async () => {
      expect((await onlyAudited(() => as('analyst').get(`/api/v1/detainers/${king.id}`))).status).toBe(403);
      expect((await onlyAudited(() => as('analyst').get('/api/v1/detainers'))).status).toBe(403);
    });
  });

  describe('API keys', () => {
    it('a key acts as jail staff of its agency; every use is audited as the key', async () => {
      const list = await as(keys.king).get('/api/v1/detainers').set('X-Request-Id', 'req-key-list');
      expect(list.status).toBe(200);
      expect((list.body.items as { id: string }[]).map((i) => i.id)).toContain(king.id);
      const me = await as(keys.king).get('/api/v1/me');
      expect(me.body).toMatchObject({ kind: 'api_key', id: keys.king.id, role: 'jail_staff', agencyId: world.agencies.king.id, username: 'King JMS' });
      const ack = await as(keys.king).post(`/api/v1/detainers/${king.id}/acknowledge`, { response: 'will_comply' }).set('X-Request-Id', 'req-key-ack');
      expect(ack.status).toBe(200);
      const events = await api.db.read((sql) => sql.query<{ actor_kind: string; actor_id: string }>(`SELECT actor_kind, actor_id FROM detainer_events WHERE detainer_id = $1 ORDER BY seq`, [king.id]));
      expect(events[events.length - 1]).toEqual({ actor_kind: 'api_key', actor_id: keys.king.id });
      const audit = await api.db.read((sql) => sql.query<Record<string, unknown>>(`SELECT * FROM audit_log WHERE request_id IN ('req-key-list', 'req-key-ack') ORDER BY id`));
      expect(audit.map((a) => [a.category, a.action, a.actor_kind, a.actor_id, a.actor_agency_id, a.actor_role, a.target_id])).toEqual([
        ['identity_read', 'GET /api/v1/detainers', 'api_key', keys.king.id, world.agencies.king.id, 'jail_staff', null],
        ['change', 'POST /api/v1/detainers/:id/acknowledge', 'api_key', keys.king.id, world.agencies.king.id, 'jail_staff', king.id],
      ]);
      const stored = await api.db.read((sql) => sql.one<{ key_hash: Buffer; key_prefix: string }>('SELECT key_hash, key_prefix FROM api_keys WHERE id = $1', [keys.king.id]));
      expect(stored!.key_hash.toString('utf8')).not.toContain(keys.king.key);
      expect(keys.king.key.startsWith(stored!.key_prefix)).toBe(true);
      const listed = await as('admin').get(`/api/v1/api-keys?agencyId=${world.agencies.king.id}`);
      expect(JSON.stringify(listed.body)).not.toContain(keys.king.key);
      expect((listed.body.items as { id: string }[]).map((i) => i.id)).toEqual([keys.king.id]);
    });

    it('a revoked key and an unknown key are 401; the revoked one is named in the audit log', async () => {
      const revoked = await onlyAudited(() => as(keys.revoked).get('/api/v1/detainers'));
      const unknown = await onlyAudited(() => as({ key: `dwk_${'x'.repeat(43)}` }).get('/api/v1/detainers'));
      const malformed = await onlyAudited(() => as({ key: "' OR 1=1 --" }).get('/api/v1/detainers'));
      for (const res of [revoked, unknown, malformed]) expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'unauthenticated', message: 'The API key is unknown or revoked.' });
      const entries = await api.db.read((sql) => sql.query<{ reason: string; actor_id: string | null }>(`SELECT reason, actor_id FROM audit_log ORDER BY id DESC LIMIT 3`));
      expect(entries.reverse()).toEqual([
        { reason: 'api_key_revoked', actor_id: keys.revoked.id },
        { reason: 'unknown_api_key', actor_id: null },
        { reason: 'unknown_api_key', actor_id: null },
      ]);
      expect((await as('admin').post(`/api/v1/api-keys/${keys.revoked.id}/revoke`)).status).toBe(409);
    });

    it('a key cannot manage sessions, passwords or keys', async () => {
      expect((await onlyAudited(() => as(keys.king).post('/api/v1/auth/logout'))).status).toBe(403);
      expect((await onlyAudited(() => as(keys.king).post('/api/v1/api-keys', { agencyId: world.agencies.cook.id, label: 'mine' }))).status).toBe(403);
    });
  });

  describe('escalation and mass assignment', () => {
    it.each<[string, () => Promise<import('supertest').Response>, number]>([
      ['jail staff create an admin', () => as('jailKing').post('/api/v1/users', { username: 'evil', password: 'violet-harbor-lantern-42', role: 'admin' }), 403],
      ['jail staff create an API key for another agency', () => as('jailKing').post('/api/v1/api-keys', { agencyId: world.agencies.cook.id, label: 'x' }), 403],
      ['an officer unlocks an account', () => as('officerSea').post(`/api/v1/users/${world.users.admin.id}/unlock`), 403],
      ['a supervisor reads the audit log', () => as('supervisorSea').get('/api/v1/audit'), 403],
      ['jail staff rename a jurisdiction', () => as('jailKing').patch(`/api/v1/jurisdictions/${world.jurisdictions.cook.id}`, { name: 'Mine' }), 403],
      ['jail staff post role and agencyId with an action', () => as('jailKing').post(`/api/v1/detainers/${king.id}/schedule-release`, { releaseAt: '2026-11-20T12:00:00Z', role: 'admin', agencyId: world.agencies.cook.id }), 400],
      ['jail staff post status and version with an action', () => as('jailKing').post(`/api/v1/detainers/${king.id}/refuse`, { at: '2026-11-02T12:00:00Z', reason: 'x', status: 'honored', version: 99 }), 400],
      ['an officer posts agencyId and declined on issue', () => as('officerSea').post('/api/v1/detainers', { ...i247aBody(world.facilities.kingJail.id), agencyId: world.agencies.cook.id, declined: true }), 400],
      ['an admin posts an unknown field on a user', () => as('admin').post('/api/v1/users', { username: 'x.y.z', password: 'violet-harbor-lantern-42', role: 'analyst', isSuperuser: true }), 400],
      ['an admin gives an API key a role', () => as('admin').post('/api/v1/api-keys', { agencyId: world.agencies.king.id, label: 'x', role: 'admin' }), 400],
      ['a user changes their own role through the password endpoint', () => as('jailKing').post('/api/v1/auth/password', { currentPassword: 'x', newPassword: 'y', role: 'admin' }), 400],
    ])('%s: refused and nothing written but the audit entry', async (_name, attempt, status) => {
      const res = await onlyAudited(attempt);
      expect(res.status).toBe(status);
    });

    it('the roles did not change', async () => {
      const roles = await api.db.read((sql) => sql.query<{ username: string; role: string; agency_id: string | null }>("SELECT username, role, agency_id FROM users WHERE username IN ('jail.king', 'officer.sea') ORDER BY username"));
      expect(roles).toEqual([
        { username: 'jail.king', role: 'jail_staff', agency_id: world.agencies.king.id },
        { username: 'officer.sea', role: 'officer', agency_id: null },
      ]);
    });
  });

  describe('injection strings in every filter and id', () => {
    const listFilters: Record<string, string[]> = {
      '/api/v1/detainers': ['status', 'facilityId', 'agencyId', 'jurisdictionId', 'areaId', 'subjectId', 'issuedFrom', 'issuedTo', 'declined', 'cursor', 'limit'],
      '/api/v1/audit': ['category', 'action', 'outcome', 'actorKind', 'actorId', 'agencyId', 'targetType', 'targetId', 'requestId', 'clientAddress', 'from', 'to', 'cursor', 'limit'],
      '/api/v1/users': ['role', 'agencyId', 'areaId', 'status', 'cursor', 'limit'],
      '/api/v1/api-keys': ['agencyId', 'includeRevoked', 'cursor', 'limit'],
      '/api/v1/jurisdictions': ['state', 'kind', 'cursor', 'limit'],
      '/api/v1/facilities': ['agencyId', 'areaId', 'cursor', 'limit'],
    };

    it.each(Object.entries(listFilters))('%s: every filter answers 200 or 400, never 500, and writes only its audit entry', async (path, names) => {
      const caller: UserKey = path === '/api/v1/detainers' ? 'officerSea' : 'admin';
      for (const name of names) {
        for (const value of INJECTIONS) {
          const before = await tableCounts(api.db);
          const res = await as(caller).get(`${path}?${name}=${encodeURIComponent(value)}`);
          expect([200, 400]).toContain(res.status);
          if (res.status === 200 && path === '/api/v1/detainers') expect((res.body.items as { id: string }[]).map((i) => i.id)).not.toContain(cook.id);
          expect(countChanges(before, await tableCounts(api.db))).toEqual({ audit_log: 1 });
        }
      }
    });

    it('every id of every endpoint of the running app (from its OpenAPI document) answers 4xx, never 500', async () => {
      const doc = (await api.http.get('/docs-json')).body as { paths: Record<string, Record<string, { 'x-roles'?: string[] }>> };
      const withIds = Object.entries(doc.paths).filter(([p]) => p.includes('{'));
      expect(withIds.length).toBeGreaterThan(15);
      for (const [path, item] of withIds) {
        for (const [method, op] of Object.entries(item)) {
          const caller: UserKey = op['x-roles']?.includes('admin') ? 'admin' : op['x-roles']?.includes('officer') ? 'officerSea' : 'jailKing';
          for (const value of INJECTIONS.slice(0, 5)) {
            const before = await tableCounts(api.db);
            const url = path.replace(/\{[^}]+\}/g, encodeURIComponent(value));
            const res = method === 'get' ? await as(caller).get(url) : await (as(caller) as unknown as Record<string, (u: string, b: unknown) => Promise<import('supertest').Response>>)[method](url, {});
            expect([`${method} ${path}`, res.status >= 400 && res.status < 500]).toEqual([`${method} ${path}`, true]);
            expect(countChanges(before, await tableCounts(api.db))).toEqual({ audit_log: 1 });
          }
        }
      }
      const intact = await api.db.read((sql) => sql.one<{ n: string }>('SELECT count(*) AS n FROM detainers'));
      expect(Number(intact?.n)).toBe(3);
    }, 120_000); // a request per id of every operation (over a hundred), each with its table counts
  });

  describe('oversized bodies', () => {
    it.each([
      ['/api/v1/detainers', 'officerSea'],
      ['/api/v1/users', 'admin'],
      ['/api/v1/auth/token', null],
    ] as const)('%s: 413, attributed to the caller in the audit log, nothing else written', async (path, who) => {
      const big = { padding: 'x'.repeat(200_000) };
      const res = await onlyAudited(() => (who ? as(who).post(path, big) : api.http.post(path).send(big)));
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ statusCode: 413, error: 'Payload Too Large', code: 'payload_too_large', message: 'The request body is too large.' });
      const last = await api.db.read((sql) => sql.one<{ actor_id: string | null; action: string }>('SELECT actor_id, action FROM audit_log ORDER BY id DESC LIMIT 1'));
      expect(last).toEqual({ actor_id: who ? world.users[who].id : null, action: `POST ${path}` });
    });
  });

  it('an unknown route under /api is a 404 in the contract shape, audited', async () => {
    const res = await onlyAudited(() => as('officerSea').get(`/api/v1/nothing-here/${randomUUID()}`));
    expect(res.status).toBe(404);
    expect(Object.keys(res.body).sort()).toEqual(['code', 'error', 'message', 'statusCode']);
  });
});
