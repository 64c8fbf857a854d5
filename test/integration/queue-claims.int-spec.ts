import { Client } from 'pg';
import { createMigrationDataSource } from '@app/persistence';
import { APPLICATION_ROLE, asSuperuser, buildWorld, i247aBody, ownerUrl, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/**
 * Queue claims in their own history (migration 1795691000000): append-only for the service's role
 * (and for the owner), kept by row-level security to the AORs that see the lodging, and carried over
 * a down and up of the migration with the timeline a supervisor sees unchanged.
 */
describe('queue claim history (real database)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  const ids = { sea: '', chi: '' };

  const as = (who: UserKey) => ({
    post: (path: string, body: object = {}) => api.http.post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body),
    get: (path: string) => api.http.get(path).set('Authorization', `Bearer ${tokens[who]}`),
  });
  const item = (id: string) => `/api/v1/queues/unacknowledged/items/${id}`;

  /** A connection as the service's role, outside the service, with these settings in one transaction. */
  async function asService<T>(settings: Record<string, string>, work: (c: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: api.database.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      for (const [name, value] of Object.entries(settings)) await client.query('SELECT set_config($1, $2, true)', [name, value]);
      return await work(client);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    }
  }
  const detainersIn = async (c: Client, table: string) =>
    [...new Set((await c.query<{ detainer_id: string }>(`SELECT detainer_id FROM ${table}`)).rows.map((r) => r.detainer_id))].sort();

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
    api.clock.set('2026-11-02T15:00:00Z');
    const issue = async (who: UserKey, facilityId: string) => {
      const res = await as(who).post('/api/v1/detainers', i247aBody(facilityId));
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    ids.sea = await issue('officerSea', world.facilities.kingJail.id);
    ids.chi = await issue('officerChi', world.facilities.cookJail.id);
    api.clock.set('2026-11-03T16:00:00Z');
    await as('officerSea').post(`${item(ids.sea)}/claim`).expect(200);
    await as('supervisorSea').post(`${item(ids.sea)}/assign`, { assigneeId: world.users.supervisorSea.id }).expect(200);
    await as('officerChi').post(`${item(ids.chi)}/claim`).expect(200);
  });
  afterAll(() => api.close());

  it("an AOR's unscoped SELECT finds only the claims of the lodgings it sees; agencies, reporting and no scope find none", async () => {
    const read = (settings: Record<string, string>) =>
      asService(settings, async (c) => ({ history: await detainersIn(c, 'queue_claim_events'), current: await detainersIn(c, 'queue_claims') }));
    expect(await read({ 'app.scope': 'area', 'app.area_id': world.areas.SEA.id })).toEqual({ history: [ids.sea], current: [ids.sea] });
    expect(await read({ 'app.scope': 'area', 'app.area_id': world.areas.CHI.id })).toEqual({ history: [ids.chi], current: [ids.chi] });
    expect(await read({ 'app.scope': 'all' })).toEqual({ history: [ids.sea, ids.chi].sort(), current: [ids.sea, ids.chi].sort() });
    const none = { history: [], current: [] };
    expect(await read({ 'app.scope': 'agency', 'app.agency_id': world.agencies.king.id })).toEqual(none);
    expect(await read({ 'app.scope': 'reporting' })).toEqual(none);
    expect(await read({})).toEqual(none);
    // opening the detainer for change (as any action does) shows an agency no claim either
    expect(await read({ 'app.scope': 'agency', 'app.agency_id': world.agencies.king.id, 'app.detainer_ids': ids.sea })).toEqual(none);
  });

  it('the service role may only read and add: no change, no removal, no write to the current claims, and only through the detainer it acts on', async () => {
    const system = { 'app.scope': 'system' };
    for (const statement of ['UPDATE queue_claim_events SET holder_id = holder_id', 'DELETE FROM queue_claim_events', 'TRUNCATE queue_claim_events']) {
      await expect(asService(system, (c) => c.query(statement))).rejects.toThrow(/permission denied/);
    }
    // the current claims are a view of the history: nothing to write (refused before privileges are looked at), nor granted
    await expect(asService(system, (c) => c.query('DELETE FROM queue_claims'))).rejects.toThrow(/cannot delete from view/);
    const privileges = await asService(system, async (c) =>
      (await c.query<{ relation: string; privilege: string; granted: boolean }>(
        `SELECT r AS relation, p AS privilege, has_table_privilege(current_user, r, p) AS granted
         FROM unnest(ARRAY['queue_claim_events', 'queue_claims']) r, unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p ORDER BY 1, 2`,
      )).rows.filter((row) => row.granted).map((row) => `${row.relation}.${row.privilege}`));
    expect(privileges).toEqual(['queue_claim_events.INSERT', 'queue_claim_events.SELECT', 'queue_claims.SELECT']);
    const insert = (c: Client, detainerId: string) =>
      c.query(
        `INSERT INTO queue_claim_events (detainer_id, lodging_seq, queue, kind, holder_id, detainer_version, events_before, recorded_at, actor_kind, actor_id, actor_role, source)
         VALUES ($1, 1, 'unacknowledged', 'released', $2, 1, 1, now(), 'user', $2, 'supervisor', 'ice_observed')`,
        [detainerId, world.users.supervisorSea.id],
      );
    // an AOR writes only to the detainer its use case opened, and never for an agency
    await expect(asService({ 'app.scope': 'area', 'app.area_id': world.areas.SEA.id }, (c) => insert(c, ids.sea))).rejects.toThrow(/row-level security/);
    await expect(asService({ 'app.scope': 'area', 'app.area_id': world.areas.CHI.id, 'app.detainer_ids': ids.chi }, (c) => insert(c, ids.sea))).rejects.toThrow(/row-level security/);
    await expect(asService({ 'app.scope': 'agency', 'app.agency_id': world.agencies.king.id, 'app.detainer_ids': ids.sea }, (c) => insert(c, ids.sea))).rejects.toThrow(/row-level security/);
    expect((await asService({ 'app.scope': 'area', 'app.area_id': world.areas.SEA.id, 'app.detainer_ids': ids.sea }, (c) => insert(c, ids.sea))).rowCount).toBe(1);

    // the owner finds no row to change (no policy lets it update or delete), and the trigger refuses even a superuser
    const owner = new Client({ connectionString: ownerUrl(api.database.name) });
    await owner.connect();
    try {
      await owner.query(`SELECT set_config('app.scope', 'system', false)`);
      expect((await owner.query('SELECT 1 FROM queue_claim_events')).rowCount).toBeGreaterThan(0);
      expect((await owner.query('UPDATE queue_claim_events SET holder_id = holder_id')).rowCount).toBe(0);
      expect((await owner.query('DELETE FROM queue_claim_events')).rowCount).toBe(0);
      await expect(owner.query('TRUNCATE queue_claim_events')).rejects.toThrow(/queue_claim_events is append-only: TRUNCATE is not allowed/);
    } finally {
      await owner.end();
    }
    await asSuperuser(api.database, async (c) => {
      await expect(c.query('UPDATE queue_claim_events SET holder_id = holder_id')).rejects.toThrow(/queue_claim_events is append-only: UPDATE is not allowed/);
      await expect(c.query('DELETE FROM queue_claim_events')).rejects.toThrow(/append-only: DELETE/);
    });
  });

  it('down and up again: the claims go back into the streams and come out again, the timeline and the holders as they were', async () => {
    const timeline = async (who: UserKey, id: string) => (await as(who).get(`/api/v1/detainers/${id}`).expect(200)).body.events as { kind: string }[];
    const holders = async () => (await as('supervisorSea').get('/api/v1/queues/unacknowledged').expect(200)).body.items
      .map((i: { detainerId: string; claim: { holder: { id: string } } | null }) => [i.detainerId, i.claim?.holder.id ?? null]);
    const before = { sea: await timeline('supervisorSea', ids.sea), jail: await timeline('jailKing', ids.sea), holders: await holders() };
    expect(before.sea.map((e) => e.kind)).toEqual(['detainer_issued', 'queue_item_claimed', 'queue_item_claimed']);
    expect(before.jail.map((e) => e.kind)).toEqual(['detainer_issued']);

    const migrator = createMigrationDataSource({ url: ownerUrl(api.database.name), applicationRole: APPLICATION_ROLE });
    await migrator.initialize();
    try {
      // undo the later migrations too, then this one
      const index = migrator.migrations.findIndex((m) => m.name === 'QueueClaimHistory1795691000000');
      expect(index).toBeGreaterThanOrEqual(0);
      for (let i = migrator.migrations.length - 1; i >= index; i -= 1) await migrator.undoLastMigration();
      expect(await migrator.query(`SELECT to_regclass('queue_claim_events') AS t`)).toEqual([{ t: null }]);
      const stream = await migrator.query<{ kind: string }[]>(`SELECT seq, version, kind, payload FROM detainer_events WHERE detainer_id = $1 ORDER BY seq`, [ids.sea]);
      expect(stream).toEqual([
        expect.objectContaining({ seq: 1, kind: 'detainer_issued' }),
        { seq: 2, version: 1, kind: 'queue_item_claimed', payload: { queue: 'unacknowledged', holderId: world.users.officerSea.id } },
        { seq: 3, version: 1, kind: 'queue_item_claimed', payload: { queue: 'unacknowledged', holderId: world.users.supervisorSea.id, previousHolderId: world.users.officerSea.id } },
      ]);
      expect(await migrator.query(`SELECT detainer_id, holder_id, lodging_seq FROM queue_claims ORDER BY detainer_id`)).toEqual(
        [
          { detainer_id: ids.sea, holder_id: world.users.supervisorSea.id, lodging_seq: 1 },
          { detainer_id: ids.chi, holder_id: world.users.officerChi.id, lodging_seq: 1 },
        ].sort((a, b) => a.detainer_id.localeCompare(b.detainer_id)),
      );
      await migrator.runMigrations();
      expect(await migrator.query(`SELECT stream_seq, events_before FROM queue_claim_events WHERE detainer_id = $1 ORDER BY id`, [ids.sea])).toEqual([
        { stream_seq: 2, events_before: 1 },
        { stream_seq: 3, events_before: 2 },
      ]);
    } finally {
      await migrator.destroy();
    }

    // what supervisors and agencies see is as it was; the copied events stay in the stream, inert
    expect(await timeline('supervisorSea', ids.sea)).toEqual(before.sea);
    expect(await timeline('jailKing', ids.sea)).toEqual(before.jail);
    expect(await holders()).toEqual(before.holders);
    // the stream still counts them: the next event follows them, and the claim is released from the history
    await as('jailKing').post(`/api/v1/detainers/${ids.sea}/acknowledge`, { response: 'will_comply', expectedVersion: 1 }).expect(200);
    const released = await as('supervisorSea').post(`${item(ids.sea)}/release-claim`).expect(200);
    expect(released.body.claim).toBeNull();
    const kinds = (await timeline('supervisorSea', ids.sea)).map((e) => e.kind);
    expect(kinds).toEqual(['detainer_issued', 'queue_item_claimed', 'queue_item_claimed', 'acknowledged', 'queue_claim_released']);
    expect((await timeline('jailKing', ids.sea)).map((e) => e.kind)).toEqual(['detainer_issued', 'acknowledged']);
    const stream = await api.db.read((sql) => sql.query<{ seq: number; kind: string }>('SELECT seq, kind FROM detainer_events WHERE detainer_id = $1 ORDER BY seq', [ids.sea]));
    expect(stream.map((e) => e.kind)).toEqual(['detainer_issued', 'queue_item_claimed', 'queue_item_claimed', 'acknowledged']);
  });
});
