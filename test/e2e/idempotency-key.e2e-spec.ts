import { randomUUID } from 'node:crypto';
import { asSuperuser, buildWorld, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/**
 * Idempotency-Key on every create, at the edge (IdempotencyInterceptor): the same key and body get
 * the first answer again, another body is 422, concurrent requests with one key make one resource,
 * and the stored answer commits with the resource or not at all. Keys expire by the service's clock.
 */
describe('Idempotency-Key on creates (e2e)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
  });
  afterAll(() => api.close());

  const post = (user: UserKey, path: string, body: object, key?: string) => {
    const req = api.http.post(path).set('Authorization', `Bearer ${tokens[user]}`);
    return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body);
  };
  const count = async (text: string, params: unknown[]) => Number((await api.db.read((sql) => sql.one<{ n: string }>(text, params)))?.n);
  const areasWithCode = (code: string) => count('SELECT count(*) AS n FROM areas WHERE code = $1', [code]);
  const detainersOf = (aNumber: string) => count('SELECT count(*) AS n FROM detainers d JOIN subjects s ON s.id = d.subject_id WHERE s.a_number = $1', [aNumber]);
  let serial = 0;
  const freshCode = () => {
    serial += 1;
    return `Q${String.fromCharCode(65 + Math.floor(serial / 26) % 26)}${String.fromCharCode(65 + (serial % 26))}`;
  };
  const detainerBody = (aNumber: string) =>
    i247aBody(world.facilities.kingJail.id, { subject: { aNumber: `A${aNumber}`, familyName: 'Key', givenName: 'Edge', dateOfBirth: '1970-01-01', citizenship: 'MX' } });

  it('an area (another create): the same key and body replay the first answer; another body is 422; one area', async () => {
    const key = `area-${randomUUID()}`;
    const body = { code: freshCode(), name: 'Replayed' };
    const first = await post('admin', '/api/v1/areas', body, key);
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post('admin', '/api/v1/areas', { name: body.name, code: body.code }, key); // same body, keys in another order
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await post('admin', '/api/v1/areas', { ...body, name: 'Another' }, key);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_mismatch');
    expect(await areasWithCode(body.code)).toBe(1);
    // Without the key the same body is a second create: here refused, the code being taken.
    expect((await post('admin', '/api/v1/areas', body)).status).toBe(409);
  });

  it('keys belong to their sender: another officer with the same key creates their own detainer', async () => {
    const key = `shared-${randomUUID()}`;
    const sea = await post('officerSea', '/api/v1/detainers', detainerBody('444000005'), key);
    const chi = await post('officerChi', '/api/v1/detainers', { ...detainerBody('444000006'), facilityId: world.facilities.cookJail.id }, key);
    expect([sea.status, chi.status]).toEqual([201, 201]);
    expect(chi.headers['idempotent-replayed']).toBeUndefined();
    expect(chi.body.id).not.toBe(sea.body.id);
  });

  it('concurrent creates of an area with one key: one area, every answer the same 201', async () => {
    const key = `area-race-${randomUUID()}`;
    const body = { code: freshCode(), name: 'Raced' };
    const results = await Promise.all(Array.from({ length: 8 }, () => post('admin', '/api/v1/areas', body, key)));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect(await areasWithCode(body.code)).toBe(1);
  });

  it('concurrent disputes with one key: one dispute (without the key the second would be 409)', async () => {
    const created = await post('officerSea', '/api/v1/detainers', detainerBody('444000001'));
    expect(created.status).toBe(201);
    const key = `dispute-${randomUUID()}`;
    const body = { reason: 'Not our booking', reasonPublic: false };
    const results = await Promise.all(Array.from({ length: 4 }, () => post('jailKing', `/api/v1/detainers/${created.body.id}/disputes`, body, key)));
    expect(results.map((r) => r.status)).toEqual(Array(4).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await count('SELECT count(*) AS n FROM record_disputes WHERE detainer_id = $1', [created.body.id])).toBe(1);
  });

  it('a create whose answer cannot be stored leaves nothing: the detainer and the key commit together', async () => {
    const key = `half-${randomUUID()}`;
    // Storing the answer (the claim's completion) fails, after the detainer was written in the same request.
    await asSuperuser(api.database, (c) =>
      c.query(`CREATE FUNCTION test_refuse_answer() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'answer refused'; END $$;
               CREATE TRIGGER test_refuse_answer BEFORE UPDATE ON idempotency_keys FOR EACH ROW WHEN (NEW.status = 'completed') EXECUTE FUNCTION test_refuse_answer();`),
    );
    try {
      const failed = await post('officerSea', '/api/v1/detainers', detainerBody('444000002'), key);
      expect(failed.status).toBe(500);
      expect(await detainersOf('444000002')).toBe(0);
      expect(await count('SELECT count(*) AS n FROM idempotency_keys WHERE key = $1', [key])).toBe(0);
    } finally {
      await asSuperuser(api.database, (c) => c.query('DROP TRIGGER test_refuse_answer ON idempotency_keys; DROP FUNCTION test_refuse_answer()'));
    }
    const retry = await post('officerSea', '/api/v1/detainers', detainerBody('444000002'), key);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await detainersOf('444000002')).toBe(1);
  });

  it('a key expires 24 hours after its first use by the service clock: until then replayed, from then on a new request', async () => {
    const key = `expiry-${randomUUID()}`;
    api.clock.set('2026-11-10T09:00:00Z');
    const first = await post('officerSea', '/api/v1/detainers', detainerBody('444000003'), key);
    expect(first.status).toBe(201);

    api.clock.set('2026-11-11T08:59:59Z');
    const replay = await post('officerSea', '/api/v1/detainers', detainerBody('444000003'), key);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    expect((await post('officerSea', '/api/v1/detainers', detainerBody('444000004'), key)).status).toBe(422);

    api.clock.set('2026-11-11T09:00:00Z');
    const fresh = await post('officerSea', '/api/v1/detainers', detainerBody('444000004'), key);
    expect(fresh.status).toBe(201);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    expect(fresh.body.id).not.toBe(first.body.id);
    // The key now answers for its new request.
    const replayOfFresh = await post('officerSea', '/api/v1/detainers', detainerBody('444000004'), key);
    expect(replayOfFresh.body.id).toBe(fresh.body.id);
    expect(await detainersOf('444000003')).toBe(1);
    expect(await detainersOf('444000004')).toBe(1);
    api.clock.set('2026-11-02T15:00:00Z');
  });

  it('a malformed key is a 400 naming the header, and nothing is created', async () => {
    const code = freshCode();
    const res = await post('admin', '/api/v1/areas', { code, name: 'Bad key' }, 'has a space');
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    expect(await areasWithCode(code)).toBe(0);
  });

  it('a request whose key another request still holds after the claim wait (5 s) is 409 idempotency_in_progress, nothing written; once the other is gone the key is free', async () => {
    const key = `k-${randomUUID()}`;
    const body = { code: freshCode(), name: 'Held key' };
    await asSuperuser(api.database, async (holder) => {
      // What a request in flight holds: its uncommitted claim of the key.
      await holder.query('BEGIN');
      await holder.query(
        `INSERT INTO idempotency_keys (principal, key, method, path, request_hash, status, created_at) VALUES ($1, $2, 'POST', '/api/v1/areas', 'h', 'in_progress', $3)`,
        [`user:${world.users.admin.id}`, key, api.clock.now()],
      );
      try {
        const held = await post('admin', '/api/v1/areas', body, key);
        expect(held.status).toBe(409);
        expect(held.body).toMatchObject({ code: 'idempotency_in_progress' });
        expect(await areasWithCode(body.code)).toBe(0);
      } finally {
        await holder.query('ROLLBACK');
      }
    });
    const retry = await post('admin', '/api/v1/areas', body, key);
    expect(retry.status).toBe(201);
    expect(await areasWithCode(body.code)).toBe(1);
  });

  it('every create that honours the key documents the 409 of a key still in progress in OpenAPI', async () => {
    const doc = (await api.http.get('/docs-json')).body as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, { description?: string }> }>> };
    const keyed = Object.entries(doc.paths).flatMap(([path, item]) => (item.post?.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key') ? [path] : []));
    expect(keyed.length).toBeGreaterThanOrEqual(9);
    for (const path of keyed) {
      const conflict = doc.paths[path].post.responses['409']?.description ?? '';
      expect({ path, inProgress: conflict.includes('Idempotency-Key is still in progress') && conflict.includes('idempotency_in_progress') }).toEqual({ path, inProgress: true });
    }
  });

  it('every create that honours the key documents the header and the 422 in OpenAPI', async () => {
    const doc = (await api.http.get('/docs-json')).body as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>> };
    const covered = [
      '/api/v1/detainers', '/api/v1/areas', '/api/v1/jurisdictions', '/api/v1/jurisdictions/{id}/policies', '/api/v1/jurisdictions/{id}/certifications',
      '/api/v1/agencies', '/api/v1/facilities', '/api/v1/users', '/api/v1/detainers/{id}/disputes',
    ];
    for (const path of covered) {
      const op = doc.paths[path]?.post;
      expect({ path, header: op?.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key') }).toEqual({ path, header: true });
      expect({ path, has422: op?.responses['422'] !== undefined }).toEqual({ path, has422: true });
    }
  });
});
