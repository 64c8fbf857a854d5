import { Client } from 'pg';
import { buildWorld, i247aBody, ownerUrl, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/**
 * The database itself keeps each agency and AOR to its own rows, behind the scope every query
 * carries: the service's role, with one agency's scope set, reads every table without a WHERE and
 * finds nothing of another agency's. And that role can neither change history nor switch off the
 * triggers that guard it.
 */
describe('least privilege and row-level security (real database)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  const ids: Record<'king' | 'cook' | 'moved', string> = { king: '', cook: '', moved: '' };
  const subjects: Record<'king' | 'cook', string> = { king: '', cook: '' };

  const as = (who: UserKey) => ({
    post: (path: string, body: object) => api.http.post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body),
  });

  /** A connection as the service's role, outside the service: what a query that forgot its WHERE would get. */
  async function asService<T>(settings: Record<string, string>, work: (c: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: api.database.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      for (const [name, value] of Object.entries(settings)) await client.query('SELECT set_config($1, $2, true)', [name, value]);
      const result = await work(client);
      await client.query('ROLLBACK');
      return result;
    } finally {
      await client.end();
    }
  }
  const rowsOf = async (c: Client, table: string) => (await c.query<Record<string, unknown>>(`SELECT * FROM ${table}`)).rows;
  /** One query at a time: a pg client runs them in turn. */
  const allRows = async (c: Client) => {
    const out: Record<string, Record<string, unknown>[]> = {};
    for (const t of TABLES) out[t] = await rowsOf(c, t);
    return out;
  };

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
    const issue = async (who: UserKey, facilityId: string, aNumber: string) => {
      const res = await as(who).post('/api/v1/detainers', i247aBody(facilityId, { subject: { aNumber, familyName: 'Row', givenName: aNumber, dateOfBirth: '1980-01-01', citizenship: 'MX' } }));
      expect(res.status).toBe(201);
      return res.body as { id: string; subject: { id: string } };
    };
    const king = await issue('officerSea', world.facilities.kingJail.id, 'A100000001');
    const cook = await issue('officerChi', world.facilities.cookJail.id, 'A100000002');
    const moved = await issue('officerSea', world.facilities.kingJail.id, 'A100000003');
    Object.assign(ids, { king: king.id, cook: cook.id, moved: moved.id });
    Object.assign(subjects, { king: king.subject.id, cook: cook.subject.id });
    // King County hands one person on to Cook County (another agency, another AOR)
    await as('jailKing').post(`/api/v1/detainers/${moved.id}/acknowledge`, { response: 'will_comply' }).expect(200);
    await as('jailKing').post(`/api/v1/detainers/${moved.id}/release`, { at: api.clock.now().toISOString(), destination: 'other_agency', toFacilityId: world.facilities.cookJail.id }).expect(200);
    // an inbox entry and a webhook delivery for each county's reminder
    await api.db.transaction(async (sql) => {
      for (const [detainerId, user] of [[king.id, world.users.jailKing.id], [cook.id, world.users.jailCook.id]] as const) {
        const r = await sql.one<{ id: string }>(`SELECT id FROM reminders WHERE detainer_id = $1 AND audience = 'agency' LIMIT 1`, [detainerId]);
        const d = await sql.one<{ id: string }>(
          `INSERT INTO reminder_deliveries (reminder_id, channel, recipient, status, created_at, updated_at, sent_at) VALUES ($1, 'inbox', $2, 'sent', now(), now(), now()) RETURNING id`,
          [r!.id, user],
        );
        await sql.execute(
          `INSERT INTO notifications (user_id, delivery_id, reminder_id, detainer_id, kind, title, body, link, anchor_at, time_zone, created_at)
           VALUES ($1, $2, $3, $4, 'unacknowledged_24h', 't', 'b', '/l', now(), 'UTC', now())`,
          [user, d!.id, r!.id, detainerId],
        );
      }
    });
  });
  afterAll(() => api.close());

  const TABLES = ['detainers', 'lodgings', 'detainer_events', 'subjects', 'notifications', 'reminder_deliveries'];

  it("with King County's scope, unscoped SELECTs on every table return none of Cook County's rows", async () => {
    const king = world.agencies.king.id;
    const cook = world.agencies.cook.id;
    const seen = await asService({ 'app.scope': 'agency', 'app.agency_id': king, 'app.user_id': world.users.jailKing.id }, allRows);
    expect(seen.detainers.map((d) => d.id).sort()).toEqual([ids.king, ids.moved].sort());
    // its own lodgings only: not the one at Cook County that the moved detainer has now
    expect(seen.lodgings.every((l) => l.agency_id === king)).toBe(true);
    expect(seen.lodgings.map((l) => `${String(l.detainer_id)}.${String(l.seq)}`).sort()).toEqual([`${ids.king}.1`, `${ids.moved}.1`].sort());
    expect(seen.detainer_events.length).toBeGreaterThan(0);
    expect(seen.detainer_events.every((e) => e.detainer_id !== ids.cook && !(e.detainer_id === ids.moved && e.lodging_seq !== 1))).toBe(true);
    expect(seen.subjects.map((s) => s.id)).not.toContain(subjects.cook);
    expect(seen.subjects.map((s) => s.id)).toContain(subjects.king);
    expect(seen.notifications.map((n) => n.user_id)).toEqual([world.users.jailKing.id]);
    expect(seen.reminder_deliveries.map((d) => d.recipient)).toEqual([world.users.jailKing.id]);

    // and the other way round: Cook County sees the moved detainer's lodging with it, never King's
    const cookSees = await asService({ 'app.scope': 'agency', 'app.agency_id': cook }, (c) => rowsOf(c, 'lodgings'));
    expect(cookSees.every((l) => l.agency_id === cook)).toBe(true);
    expect(cookSees.map((l) => `${String(l.detainer_id)}.${String(l.seq)}`).sort()).toEqual([`${ids.cook}.1`, `${ids.moved}.2`].sort());
  });

  it("with an AOR's scope: the detainers it issued or that were lodged in it, with all their lodgings; nothing of another AOR's", async () => {
    const sea = await asService({ 'app.scope': 'area', 'app.area_id': world.areas.SEA.id }, async (c) => ({
      detainers: await rowsOf(c, 'detainers'), lodgings: await rowsOf(c, 'lodgings'), subjects: await rowsOf(c, 'subjects'),
    }));
    expect(sea.detainers.map((d) => d.id).sort()).toEqual([ids.king, ids.moved].sort());
    expect(sea.lodgings.map((l) => `${String(l.detainer_id)}.${String(l.seq)}`).sort()).toEqual([`${ids.king}.1`, `${ids.moved}.1`, `${ids.moved}.2`].sort());
    expect(sea.subjects.map((s) => s.id)).not.toContain(subjects.cook);
    const phi = await asService({ 'app.scope': 'area', 'app.area_id': world.areas.PHI.id }, allRows);
    expect(Object.values(phi).map((rows) => rows.length)).toEqual(TABLES.map(() => 0));
  });

  it('a transaction that sets no scope sees nothing; nor does the reporting scope see a name', async () => {
    const unset = await asService({}, allRows);
    expect(Object.values(unset).map((rows) => rows.length)).toEqual(TABLES.map(() => 0));
    const reporting = await asService({ 'app.scope': 'reporting' }, async (c) => ({
      detainers: await rowsOf(c, 'detainers'), subjects: await rowsOf(c, 'subjects'), demographics: await rowsOf(c, 'subject_demographics'),
    }));
    expect(reporting.detainers).toHaveLength(3);
    expect(reporting.subjects).toHaveLength(0);
    expect(reporting.demographics).toHaveLength(3);
    expect(Object.keys(reporting.demographics[0]).sort()).toEqual(['citizenship', 'id']);
  });

  it('a scope cannot write outside the detainer it acts on', async () => {
    const error = await asService({ 'app.scope': 'agency', 'app.agency_id': world.agencies.king.id }, (c) =>
      c.query(`UPDATE detainers SET status = 'released' WHERE id = $1`, [ids.king]).then((r) => r.rowCount),
    );
    expect(error).toBe(0);
  });

  it('the service role is no superuser, bypasses nothing, owns nothing, and cannot change history or switch off its guards', async () => {
    const client = new Client({ connectionString: api.database.url });
    await client.connect();
    try {
      const role = (await client.query(`SELECT rolsuper, rolbypassrls, (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) AS owned FROM pg_roles r WHERE rolname = current_user`)).rows[0];
      expect(role).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0 });
      await expect(client.query('SET session_replication_role = replica')).rejects.toThrow(/permission denied/);
      await expect(client.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only')).rejects.toThrow(/must be owner/);
      await expect(client.query('ALTER TABLE detainers NO FORCE ROW LEVEL SECURITY')).rejects.toThrow(/must be owner/);
      for (const statement of ['UPDATE detainer_events SET kind = kind', 'DELETE FROM audit_log', 'TRUNCATE detainer_events', 'UPDATE audit_log SET reason = reason']) {
        await expect(client.query(statement)).rejects.toThrow(/permission denied/);
      }
    } finally {
      await client.end();
    }
    // the owner is bound by the policies too (FORCE): without a scope it reads no detainer
    const owner = new Client({ connectionString: ownerUrl(api.database.name) });
    await owner.connect();
    try {
      expect((await owner.query('SELECT count(*)::int AS n FROM detainers')).rows[0]).toEqual({ n: 0 });
    } finally {
      await owner.end();
    }
  });
});
