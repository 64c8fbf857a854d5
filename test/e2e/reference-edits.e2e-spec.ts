import { DEFAULT_WEEK_CONFIG, weekContaining } from '@app/domain';
import { buildWorld, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/**
 * Editing reference data (the admin console's edit forms): areas are renamed (their code stays),
 * agencies corrected (name, ORI, 287(g) programme), facilities renamed, and moved to another zone or
 * AOR only while nothing was ever lodged there. Every refusal names the field and writes nothing.
 */
describe('reference data edits (e2e)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  const patch = (user: UserKey, path: string, body: object) => api.http.patch(path).set('Authorization', `Bearer ${tokens[user]}`).send(body);
  const get = (path: string) => api.http.get(path).set('Authorization', `Bearer ${tokens.officerSea}`);
  const audited = (action: string, outcome: string) =>
    api.db.read((sql) => sql.query<{ target_id: string | null; status: number | null }>('SELECT * FROM audit_log WHERE action = $1 AND outcome = $2 ORDER BY id', [action, outcome]));
  const UNKNOWN = '00000000-0000-4000-8000-000000000000';

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
  });
  afterAll(async () => {
    await api?.close();
  });

  describe('PATCH /api/v1/areas/:id', () => {
    it('renames an area, keeps its code, and audits the change', async () => {
      const res = await patch('admin', `/api/v1/areas/${world.areas.SPM.id}`, { name: 'St. Paul (Minneapolis)' }).expect(200);
      expect(res.body).toEqual({ id: world.areas.SPM.id, code: 'SPM', name: 'St. Paul (Minneapolis)' });
      expect((await get(`/api/v1/areas/${world.areas.SPM.id}`).expect(200)).body.name).toBe('St. Paul (Minneapolis)');
      expect(await audited('PATCH /api/v1/areas/:id', 'success')).toHaveLength(1);
    });

    it('refuses an empty name or a new code (400 naming the field), unknown ids (404) and non-admins (403)', async () => {
      const empty = await patch('admin', `/api/v1/areas/${world.areas.SEA.id}`, { name: '' }).expect(400);
      expect(empty.body.details).toEqual([expect.objectContaining({ field: 'name' })]);
      const code = await patch('admin', `/api/v1/areas/${world.areas.SEA.id}`, { name: 'Seattle', code: 'XYZ' }).expect(400);
      expect(code.body.details).toEqual([expect.objectContaining({ field: 'code' })]);
      await patch('admin', `/api/v1/areas/${UNKNOWN}`, { name: 'Nowhere' }).expect(404);
      await patch('admin', '/api/v1/areas/not-an-id', { name: 'Nowhere' }).expect(404);
      await patch('supervisorSea', `/api/v1/areas/${world.areas.SEA.id}`, { name: 'Mine' }).expect(403);
      expect((await get(`/api/v1/areas/${world.areas.SEA.id}`).expect(200)).body).toMatchObject({ code: 'SEA', name: world.areas.SEA.name });
    });
  });

  describe('PATCH /api/v1/agencies/:id', () => {
    it("corrects the name, ORI and 287(g) programme; the jurisdiction stays", async () => {
      const id = world.agencies.snohomish.id;
      const res = await patch('admin', `/api/v1/agencies/${id}`, {
        name: 'Snohomish County Sheriff', ori: 'wa0310099', program287g: 'warrant_service', program287gSince: '2026-03-01',
      }).expect(200);
      expect(res.body).toMatchObject({
        id, ori: 'WA0310099', name: 'Snohomish County Sheriff', jurisdictionId: world.agencies.snohomish.jurisdictionId,
        program287g: 'warrant_service', program287gSince: '2026-03-01', program287gUntil: null, weeksReRolled: [],
      });
      const ended = await patch('admin', `/api/v1/agencies/${id}`, { program287gUntil: '2026-09-30' }).expect(200);
      expect(ended.body).toMatchObject({ ori: 'WA0310099', program287gSince: '2026-03-01', program287gUntil: '2026-09-30' });
      const none = await patch('admin', `/api/v1/agencies/${id}`, { program287g: 'none', program287gSince: null, program287gUntil: null }).expect(200);
      expect(none.body).toMatchObject({ program287g: 'none', program287gSince: null, program287gUntil: null });
      const [entry] = (await audited('PATCH /api/v1/agencies/:id', 'success'));
      expect(entry).toMatchObject({ status: 200 });
    });

    it('a 287(g) change gives the published weeks of the agreement a new version; a rename touches none', async () => {
      const week = weekContaining(new Date(api.clock.now().getTime() - 14 * 86_400_000), DEFAULT_WEEK_CONFIG).weekStart;
      const published = await api.http.post(`/api/v1/reports/weekly/${week}/publish`).set('Authorization', `Bearer ${tokens.supervisorSea}`);
      expect([200, 201]).toContain(published.status);
      const id = world.agencies.cook.id;
      expect((await patch('admin', `/api/v1/agencies/${id}`, { name: 'Cook County Sheriff\'s Office' }).expect(200)).body.weeksReRolled).toEqual([]);
      const joined = await patch('admin', `/api/v1/agencies/${id}`, { program287g: 'task_force', program287gSince: '2020-01-01' }).expect(200);
      expect(joined.body.weeksReRolled).toEqual([week]);
      const later = await patch('admin', `/api/v1/agencies/${id}`, { program287gSince: '2099-01-01' }).expect(200);
      expect(later.body.weeksReRolled).toEqual([week]); // the old agreement covered the week
    });

    it('refuses bad input naming the field and writes nothing', async () => {
      const id = world.agencies.king.id;
      const before = (await get(`/api/v1/agencies/${id}`).expect(200)).body;
      const cases: [object, string][] = [
        [{}, 'name'],
        [{ name: '' }, 'name'],
        [{ ori: 'WA03' }, 'ori'],
        [{ ori: 'IL0160000', name: 'Moved to Illinois?' }, 'ori'], // an ORI of another state than its jurisdiction's
        [{ program287g: 'jail_enforcement', program287gSince: '2026-05-01', program287gUntil: '2026-04-30' }, 'program287gUntil'],
        [{ program287gSince: '2026-05-01' }, 'program287gSince'], // dates without a programme
        [{ program287g: 'task_force', program287gSince: '2026-02-30' }, 'program287gSince'],
        [{ program287g: 'sometimes' }, 'program287g'],
        [{ jurisdictionId: world.agencies.cook.jurisdictionId }, 'jurisdictionId'],
      ];
      for (const [body, field] of cases) {
        const res = await patch('admin', `/api/v1/agencies/${id}`, body);
        expect([res.status, res.body.details?.map((d: { field: string }) => d.field)]).toEqual([400, [field]]);
      }
      expect((await get(`/api/v1/agencies/${id}`).expect(200)).body).toEqual(before);
    });

    it('a taken ORI is a 409 naming ori; unknown ids 404; non-admins 403', async () => {
      const { ori } = (await get(`/api/v1/agencies/${world.agencies.snohomish.id}`).expect(200)).body;
      const taken = await patch('admin', `/api/v1/agencies/${world.agencies.king.id}`, { ori, name: 'Renamed' }).expect(409);
      expect(taken.body.details).toEqual([expect.objectContaining({ field: 'ori' })]);
      expect((await get(`/api/v1/agencies/${world.agencies.king.id}`).expect(200)).body.name).toBe(world.agencies.king.name);
      await patch('admin', `/api/v1/agencies/${UNKNOWN}`, { name: 'x' }).expect(404);
      for (const user of ['officerSea', 'supervisorSea', 'jailKing'] as const) {
        await patch(user, `/api/v1/agencies/${world.agencies.king.id}`, { name: 'Ours now' }).expect(403);
      }
      expect(await audited('PATCH /api/v1/agencies/:id', 'failure')).not.toHaveLength(0);
    });
  });

  describe('PATCH /api/v1/facilities/:id', () => {
    it('renames a facility and, while nothing was lodged there, moves its zone and AOR', async () => {
      const id = world.facilities.franklinIAJail.id;
      const res = await patch('admin', `/api/v1/facilities/${id}`, { name: 'Franklin County Law Enforcement Center', timeZone: 'America/Denver', areaId: world.areas.CHI.id }).expect(200);
      expect(res.body).toMatchObject({ id, agencyId: world.agencies.franklinIA.id, name: 'Franklin County Law Enforcement Center', timeZone: 'America/Denver', areaId: world.areas.CHI.id, state: 'IA' });
      expect(await audited('PATCH /api/v1/facilities/:id', 'success')).toHaveLength(1);
    });

    it('keeps the zone and AOR of a facility detainers were lodged with (409 naming them), and still renames it', async () => {
      const id = world.facilities.kingJail.id;
      await api.http.post('/api/v1/detainers').set('Authorization', `Bearer ${tokens.officerSea}`).send(i247aBody(id)).expect(201);
      const moved = await patch('admin', `/api/v1/facilities/${id}`, { timeZone: 'America/New_York', areaId: world.areas.CHI.id }).expect(409);
      expect(moved.body.details.map((d: { field: string }) => d.field)).toEqual(['timeZone', 'areaId']);
      const renamed = await patch('admin', `/api/v1/facilities/${id}`, { name: 'King County Jail (Seattle)', timeZone: 'America/Los_Angeles' }).expect(200);
      expect(renamed.body).toMatchObject({ name: 'King County Jail (Seattle)', timeZone: 'America/Los_Angeles', areaId: world.areas.SEA.id });
    });

    it('refuses bad input naming the field (nothing written), unknown ids (404) and non-admins (403)', async () => {
      const id = world.facilities.cookJail.id;
      const before = (await get(`/api/v1/facilities/${id}`).expect(200)).body;
      const cases: [object, string][] = [
        [{}, 'name'],
        [{ name: '   '.repeat(100) }, 'name'],
        [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
        [{ areaId: 'SEA' }, 'areaId'],
        [{ name: 'Cook', areaId: UNKNOWN }, 'areaId'],
        [{ agencyId: world.agencies.king.id }, 'agencyId'],
      ];
      for (const [body, field] of cases) {
        const res = await patch('admin', `/api/v1/facilities/${id}`, body);
        expect([res.status, res.body.details?.map((d: { field: string }) => d.field)]).toEqual([400, [field]]);
      }
      expect((await get(`/api/v1/facilities/${id}`).expect(200)).body).toEqual(before);
      await patch('admin', `/api/v1/facilities/${UNKNOWN}`, { name: 'x' }).expect(404);
      await patch('jailKing', `/api/v1/facilities/${world.facilities.kingJail.id}`, { name: 'Ours' }).expect(403);
    });
  });
});
