import { AccessScope, createDataSource, Database, DatabaseScope, DetainerReadRepository, QueueRepository, Sql, withDatabaseScope } from '@app/persistence';
import { buildWorld, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';
import { DataSource } from 'typeorm';

/**
 * The hot reads are prepared statements, kept per connection and, after a few runs, executed with
 * one generic plan for every caller. The scope is not in that plan: the policies read it (and the
 * queries' own conditions take it as a parameter) at each execution. On one pooled connection, two
 * AORs and two agencies take turns with the same statements, well past the point where PostgreSQL
 * switches to the generic plan, and each still sees only its own detainers, lodgings and events.
 */
describe('prepared hot reads keep every caller to its scope on a shared connection (real database)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  let ds: DataSource;
  let db: Database;
  const ids = { sea: '', chi: '', moved: '' };
  const reads = new DetainerReadRepository();
  const queues = new QueueRepository();

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
    const post = (who: UserKey, path: string, body: object) => api.http.post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);
    const issue = async (who: UserKey, facilityId: string) => {
      const res = await post(who, '/api/v1/detainers', i247aBody(facilityId));
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    ids.sea = await issue('officerSea', world.facilities.kingJail.id);
    ids.chi = await issue('officerChi', world.facilities.cookJail.id);
    ids.moved = await issue('officerSea', world.facilities.kingJail.id);
    // King County hands one person on to Cook County: another agency, another AOR
    await post('jailKing', `/api/v1/detainers/${ids.moved}/acknowledge`, { response: 'will_comply' }).expect(200);
    await post('jailKing', `/api/v1/detainers/${ids.moved}/release`, { at: api.clock.now().toISOString(), destination: 'other_agency', toFacilityId: world.facilities.cookJail.id }).expect(200);
    // one connection as the service's role: every read below runs on it, so its prepared statements are shared
    ds = createDataSource({ url: api.database.url, applicationName: 'prepared-reads-test', poolSize: 1 });
    await ds.initialize();
    db = new Database(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
    await api.close();
  });

  const scopes = (): Record<'sea' | 'chi' | 'king' | 'cook', AccessScope> => ({
    sea: { kind: 'area', areaId: world.areas.SEA.id },
    chi: { kind: 'area', areaId: world.areas.CHI.id },
    king: { kind: 'agency', agencyId: world.agencies.king.id },
    cook: { kind: 'agency', agencyId: world.agencies.cook.id },
  });

  /** What a caller's detainer page shows of each detainer: null when hidden, else its lodgings and the lodgings of its events. */
  const pages = (scope: AccessScope) =>
    withDatabaseScope(scope as DatabaseScope, () =>
      db.read(async (sql) => {
        const out: Record<string, { lodgings: number[]; eventLodgings: number[] } | null> = {};
        for (const [name, id] of Object.entries(ids)) {
          const page = await reads.findOne(sql, id, { scope, includeIdentity: scope.kind === 'area', withEvents: true });
          out[name] = page && { lodgings: page.lodgings.map((l) => l.seq), eventLodgings: [...new Set(page.events!.map((e) => e.lodging))].sort() };
        }
        const list = await reads.list(sql, {}, { limit: 10 }, { scope, includeIdentity: scope.kind === 'area' });
        return { pages: out, list: list.items.map((d) => d.id).sort() };
      }),
    );

  const expected = () => ({
    sea: { pages: { sea: { lodgings: [1], eventLodgings: [1] }, chi: null, moved: { lodgings: [1, 2], eventLodgings: [1, 2] } }, list: [ids.sea, ids.moved].sort() },
    chi: { pages: { sea: null, chi: { lodgings: [1], eventLodgings: [1] }, moved: { lodgings: [1, 2], eventLodgings: [1, 2] } }, list: [ids.chi, ids.moved].sort() },
    // an agency sees only its own lodgings of a detainer handed on, and their events
    king: { pages: { sea: { lodgings: [1], eventLodgings: [1] }, chi: null, moved: { lodgings: [1], eventLodgings: [1] } }, list: [ids.sea, ids.moved].sort() },
    cook: { pages: { sea: null, chi: { lodgings: [1], eventLodgings: [1] }, moved: { lodgings: [2], eventLodgings: [2] } }, list: [ids.chi, ids.moved].sort() },
  });

  it('two AORs and two agencies take turns on the same statements and each sees only its own', async () => {
    const all = scopes();
    for (let round = 0; round < 8; round += 1) {
      for (const [name, scope] of Object.entries(all) as [keyof typeof all, AccessScope][]) {
        expect({ name, round, seen: await pages(scope) }).toEqual({ name, round, seen: expected()[name] });
      }
    }
    // the statements were prepared on this connection and their generic plan is in use
    const plans = await db.read((sql: Sql) =>
      sql.query<{ generic_plans: string }>(`SELECT generic_plans FROM pg_prepared_statements WHERE statement LIKE '%FROM detainer_events e%'`),
    );
    expect(plans.length).toBeGreaterThan(0);
    expect(plans.some((p) => Number(p.generic_plans) > 0)).toBe(true);
    // and so is an AOR's list page, which both AORs ran in turn
    const lists = await db.read((sql: Sql) =>
      sql.query<{ generic_plans: string }>(`SELECT generic_plans FROM pg_prepared_statements WHERE statement LIKE 'SELECT DISTINCT ON%d.current_area_id = $1%'`),
    );
    expect(lists).toHaveLength(1);
    expect(Number(lists[0].generic_plans)).toBeGreaterThan(0);
  });

  it("queue counts and pages, prepared, are each AOR's own", async () => {
    const now = api.clock.now();
    const summaryOf = (scope: AccessScope) =>
      withDatabaseScope(scope as DatabaseScope, () =>
        db.transaction(async (sql) => {
          const summary = await queues.summary(sql, { scope, filters: {}, now: new Date(now.getTime() + 48 * 3_600_000) });
          const page = await queues.page(sql, { queue: 'unacknowledged', scope, filters: {}, now: new Date(now.getTime() + 48 * 3_600_000) }, { limit: 10 });
          return { unacknowledged: summary.find((s) => s.name === 'unacknowledged')!.count, page: page.items.map((i) => i.detainerId).sort() };
        }),
      );
    // the truth, read directly in the system scope: lodgings still 'issued' a day after they opened, on either AOR side
    const truth = (areaId: string) =>
      api.db.read((sql) =>
        sql.query<{ detainer_id: string }>(
          `SELECT detainer_id FROM lodgings WHERE status = 'issued' AND opened_at <= $2 AND (area_id = $1 OR issuing_area_id = $1) ORDER BY detainer_id`,
          [areaId, new Date(now.getTime() + 24 * 3_600_000)],
        ),
      ).then((rows) => rows.map((r) => r.detainer_id));
    const { sea, chi } = scopes();
    const seaItems = await truth(world.areas.SEA.id);
    const chiItems = await truth(world.areas.CHI.id);
    expect(seaItems).toContain(ids.sea);
    expect(chiItems).toContain(ids.chi);
    expect(seaItems).not.toContain(ids.chi);
    for (let round = 0; round < 8; round += 1) {
      expect(await summaryOf(sea)).toEqual({ unacknowledged: seaItems.length, page: seaItems });
      expect(await summaryOf(chi)).toEqual({ unacknowledged: chiItems.length, page: chiItems });
    }
  });
});
