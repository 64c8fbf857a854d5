import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportIceRelease, ImportSummary } from '@app/application';
import { SYSTEM_SCOPE, withDatabaseScope } from '@app/persistence';
import { buildWorld, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';
import { generatedRows, ReleaseFacility, writeCrosswalk, writeReleaseCsv } from '../../apps/bench/src/generator/ice-release';

const ROWS = 120;

/** GET /api/v1/imports, /imports/:id and /imports/:id/quarantine (JSON and CSV): admins and analysts only. */
describe('import runs and their quarantine over HTTP (e2e)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  let dir: string;
  let summary: ImportSummary;
  const get = (path: string, who: UserKey | null) => {
    const req = api.http.get(path);
    return who ? req.set('Authorization', `Bearer ${tokens[who]}`) : req;
  };

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
    dir = await mkdtemp(join(tmpdir(), 'ice-release-e2e-'));
    const facilities: ReleaseFacility[] = [
      { code: 'FRANKPA', name: 'FRANKLIN COUNTY JAIL', city: 'CHAMBERSBURG', state: 'PA', aor: 'PHI', crosswalk: { facilityId: world.facilities.franklinPAJail.id } },
      { code: 'NOWHERE', name: 'FRANKLIN COUNTY JAIL', city: 'MALONE', state: 'NY', aor: 'BUF', crosswalk: null },
    ];
    await writeCrosswalk(join(dir, 'crosswalk.csv'), facilities);
    await writeReleaseCsv(join(dir, 'release, 2017.csv'), generatedRows(ROWS, facilities, { people: 40, duplicates: true }));
    summary = await withDatabaseScope(SYSTEM_SCOPE, () => api.app.get(ImportIceRelease).execute({ file: join(dir, 'release, 2017.csv'), crosswalk: join(dir, 'crosswalk.csv') }));
  }, 60_000);
  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each<UserKey>(['admin', 'analyst'])('%s lists the runs and reads one, with its counts by reason', async (who) => {
    const list = await get('/api/v1/imports', who).expect(200);
    expect(list.body).toEqual({
      items: [expect.objectContaining({
        id: summary.runId, kind: 'ice_release', fileName: 'release, 2017.csv', sha256: summary.sha256, status: 'completed', rowsRead: ROWS,
        imported: summary.imported, quarantined: summary.quarantined, quarantinedByReason: summary.quarantinedByReason, undatedDeclines: summary.undatedDeclines,
      })],
      nextCursor: null,
    });
    expect(summary.quarantinedByReason.unmapped_facility).toBeGreaterThan(0);
    const one = await get(`/api/v1/imports/${summary.runId}`, who).expect(200);
    expect(one.body).toEqual(list.body.items[0]);
  });

  it('pages through the quarantine in file order, each row with its reason and the row as read', async () => {
    const seen: { rowNumber: number; reason: string; row: Record<string, unknown> }[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { run: { id: string }; items: typeof seen; nextCursor: string | null } } = await get(`/api/v1/imports/${summary.runId}/quarantine?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, 'analyst').expect(200);
      expect(res.body.run.id).toBe(summary.runId);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(summary.quarantined);
    expect(seen.map((r) => r.rowNumber)).toEqual([...seen.map((r) => r.rowNumber)].sort((a, b) => a - b));
    const unmapped = seen.find((r) => r.reason === 'unmapped_facility')!;
    expect(unmapped).toMatchObject({ facilityCode: 'NOWHERE', detail: expect.stringContaining('NOWHERE is not in the crosswalk'), row: expect.objectContaining({ detention_facility_code: 'NOWHERE' }) });
  });

  it('gives the whole quarantine as CSV with .csv or Accept: text/csv', async () => {
    const bySuffix = await get(`/api/v1/imports/${summary.runId}/quarantine.csv`, 'admin').expect(200);
    expect(bySuffix.headers['content-type']).toMatch(/^text\/csv/);
    const lines = bySuffix.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('row_number,reason,detail,facility_code,prepared_on,detainer_prepare_date,detention_facility_code,detention_facility,facility_city,facility_state,facility_aor,detainer_type,detainer_lift_reason,detainer_lift_date,citizenship_country,gender,birth_year,most_serious_conviction_msc_charge,unique_id');
    expect(lines.length - 1).toBe(summary.quarantined);
    expect(lines.filter((l) => /^\d+,unmapped_facility,/.test(l)).length).toBe(summary.quarantinedByReason.unmapped_facility);
    const byAccept = await get(`/api/v1/imports/${summary.runId}/quarantine`, 'analyst').set('Accept', 'text/csv').expect(200);
    expect(byAccept.headers['content-type']).toMatch(/^text\/csv/);
    expect(byAccept.text).toBe(bySuffix.text);
  });

  it.each<UserKey>(['officerSea', 'supervisorSea', 'jailFranklinPA'])('refuses %s (403), every path', async (who) => {
    for (const path of ['/api/v1/imports', `/api/v1/imports/${summary.runId}`, `/api/v1/imports/${summary.runId}/quarantine`, `/api/v1/imports/${summary.runId}/quarantine.csv`]) {
      const res = await get(path, who);
      expect([path, res.status]).toEqual([path, 403]);
    }
  });

  it('asks for credentials (401), hides unknown runs (404) and names bad paging (400)', async () => {
    await get('/api/v1/imports', null).expect(401);
    await get(`/api/v1/imports/${summary.runId}/quarantine`, null).expect(401);
    await get('/api/v1/imports/0b6f6c7e-7a53-4d8e-9b1e-3f3a4c0e9d11', 'admin').expect(404);
    await get('/api/v1/imports/0b6f6c7e-7a53-4d8e-9b1e-3f3a4c0e9d11/quarantine', 'analyst').expect(404);
    await get('/api/v1/imports/not-a-run/quarantine.csv', 'analyst').expect(404);
    const bad = await get(`/api/v1/imports/${summary.runId}/quarantine?limit=0`, 'admin').expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'limit' })]);
  });
});
