import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfirmReconciliation, ImportIceRelease, ImportOptions, ImportSummary, PublishReport, ReadChangeList, RollUpMarkedWeeks } from '@app/application';
import { QuarantineReason } from '@app/domain';
import { SYSTEM_SCOPE, withDatabaseScope } from '@app/persistence';
import { asPrincipal, asSuperuser, buildWorld, principalOf, startTestApi, TestApi, World } from '@test/support';
import {
  GeneratedRow, generatedRows, LIFT_REASONS, ReleaseFacility, writeCrosswalk, writeReleaseCsv, writeReleaseParquet, writeReleaseXlsx,
} from '../../apps/bench/src/generator/ice-release';

const ROWS = 420;
const DECLINE = 'Detainer Declined by LEA';

/** The release's facilities: same-named jails in two states (by id and by canonical codes), one unmapped code, one in an AOR not on file. */
function facilitiesOf(world: World): ReleaseFacility[] {
  return [
    { code: 'FRANKIA', name: 'FRANKLIN COUNTY JAIL', city: 'HAMPTON', state: 'IA', aor: 'SPM', crosswalk: { facilityId: world.facilities.franklinIAJail.id } },
    { code: 'FRANKPA', name: 'FRANKLIN COUNTY JAIL', city: 'CHAMBERSBURG', state: 'PA', aor: 'PHI', crosswalk: { facilityId: world.facilities.franklinPAJail.id } },
    { code: 'BROWNSD', name: 'BROWN COUNTY JAIL', city: 'ABERDEEN', state: 'SD', aor: 'SPM', crosswalk: { countyFips: '46013', ori: 'SD0070000', facilityName: 'Brown County Jail' } },
    { code: 'BROWNWI', name: 'BROWN COUNTY JAIL', city: 'GREEN BAY', state: 'WI', aor: 'CHI', crosswalk: { countyFips: '55009', ori: 'WI0050000', facilityName: 'Brown County Jail' } },
    { code: 'KINGCWA', name: 'KING COUNTY CORRECTIONAL FACILITY', city: 'SEATTLE', state: 'WA', aor: 'SEA', crosswalk: { facilityId: world.facilities.kingJail.id } },
    { code: 'NOWHERE', name: 'FRANKLIN COUNTY JAIL', city: 'MALONE', state: 'NY', aor: 'BUF', crosswalk: null },
    { code: 'MARSHTX', name: 'MARSHALL COUNTY JAIL', city: 'X', state: 'TX', aor: 'ZZZ', crosswalk: { countyFips: '48001', ori: 'TX0010000', facilityName: 'Marshall' }, quarantined: 'unknown_aor' },
  ];
}

const byReason = (rows: readonly GeneratedRow[]) => {
  const out: Partial<Record<QuarantineReason, number>> = {};
  for (const r of rows) if (r.expect !== 'imported') out[r.expect] = (out[r.expect] ?? 0) + 1;
  return out;
};

/** What an import wrote, in terms that do not depend on the database (ids of created facilities do): per record, its detainer, status and contributions. */
async function snapshot(api: TestApi) {
  return asSuperuser(api.database, async (c) => {
    const records = await c.query(
      `SELECT ir.row_key, ir.detainer_id, ir.undated_decline, d.status, d.declined, j.code AS jurisdiction,
         (SELECT string_agg(dc.measure || '@' || dc.at::text, ',' ORDER BY dc.measure, dc.at) FROM detainer_contributions dc WHERE dc.detainer_id = d.id) AS contributions
       FROM imported_records ir JOIN detainers d ON d.id = ir.detainer_id JOIN jurisdictions j ON j.id = d.jurisdiction_id ORDER BY ir.row_key`,
    );
    return records.rows;
  });
}

const quarantineOf = (api: TestApi, runId: string | null) =>
  asSuperuser(api.database, async (c) => (await c.query(`SELECT row_number::int, reason FROM import_quarantine WHERE run_id = $1 ORDER BY row_number`, [runId])).rows);

describe('importing the federal release (real database, generated files in the release layout)', () => {
  let api: TestApi;
  let world: World;
  let dir: string;
  let rows: GeneratedRow[];
  let facilities: ReleaseFacility[];
  let first: ImportSummary;
  const run = (a: TestApi, opts: Partial<ImportOptions> & { file: string }) =>
    withDatabaseScope(SYSTEM_SCOPE, () => a.app.get(ImportIceRelease).execute({ crosswalk: join(dir, 'crosswalk.csv'), batchSize: 64, ...opts }));

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    dir = await mkdtemp(join(tmpdir(), 'ice-release-'));
    facilities = facilitiesOf(world);
    rows = [...generatedRows(ROWS, facilities, { people: 150, duplicates: true })];
    await writeCrosswalk(join(dir, 'crosswalk.csv'), facilities);
    await writeReleaseCsv(join(dir, 'release.csv'), rows);
    await writeReleaseXlsx(join(dir, 'release.xlsx'), rows);
    writeReleaseParquet(join(dir, 'release.parquet'), rows, 100);
    first = await run(api, { file: join(dir, 'release.csv') });
  }, 120_000);
  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('the fixture has what the tests need: every lift reason, undated lifts, and every kind of bad row', () => {
    const imported = rows.filter((r) => r.expect === 'imported');
    for (const reason of LIFT_REASONS) expect(imported.some((r) => r.liftReason === reason)).toBe(true);
    expect(imported.some((r) => r.liftReason === DECLINE && !r.liftDated)).toBe(true);
    expect(Object.keys(byReason(rows)).sort()).toEqual(['bad_date', 'duplicate_row', 'form_not_valid_on_date', 'unknown_aor', 'unknown_form', 'unmapped_facility']);
  });

  it('imports every readable row and quarantines the rest, each with its reason', async () => {
    const imported = rows.filter((r) => r.expect === 'imported');
    expect(first).toMatchObject({ rowsRead: ROWS, imported: imported.length, corrected: 0, unchanged: 0, quarantined: ROWS - imported.length, resumedAt: 0 });
    expect(first.quarantinedByReason).toEqual(byReason(rows));
    expect(first.undatedDeclines).toBe(imported.filter((r) => r.liftReason === DECLINE && !r.liftDated).length);
    expect(await quarantineOf(api, first.runId)).toEqual(rows.flatMap((r, i) => (r.expect === 'imported' ? [] : [{ row_number: i + 1, reason: r.expect }])));
  });

  it('places facilities by DETLOC code, never by name: same-named jails in different states are different jurisdictions', async () => {
    const perCode = await asSuperuser(api.database, (c) => c.query<{ code: string; jurisdiction: string; state: string; n: number }>(
      `SELECT e.payload->'imported'->>'facilityCode' AS code, j.code AS jurisdiction, j.state, count(*)::int AS n
       FROM detainer_events e JOIN detainers d ON d.id = e.detainer_id JOIN jurisdictions j ON j.id = d.jurisdiction_id
       WHERE e.kind = 'detainer_issued' GROUP BY 1, 2, 3 ORDER BY 1`,
    ));
    const expected = (code: string) => rows.filter((r) => r.code === code && r.expect === 'imported').length;
    expect(perCode.rows).toEqual([
      { code: 'BROWNSD', jurisdiction: 'US-SD-46013', state: 'SD', n: expected('BROWNSD') },
      { code: 'BROWNWI', jurisdiction: 'US-WI-55009', state: 'WI', n: expected('BROWNWI') },
      { code: 'FRANKIA', jurisdiction: world.jurisdictions.franklinIA.code, state: 'IA', n: expected('FRANKIA') },
      { code: 'FRANKPA', jurisdiction: world.jurisdictions.franklinPA.code, state: 'PA', n: expected('FRANKPA') },
      { code: 'KINGCWA', jurisdiction: world.jurisdictions.king.code, state: 'WA', n: expected('KINGCWA') },
    ]);
    const created = await asSuperuser(api.database, (c) => c.query(`SELECT c.code, a.ori FROM release_facility_codes c JOIN facilities f ON f.id = c.facility_id JOIN agencies a ON a.id = f.agency_id ORDER BY c.code`));
    expect(created.rows).toEqual([{ code: 'BROWNSD', ori: 'SD0070000' }, { code: 'BROWNWI', ori: 'WI0050000' }]);
  });

  it('counts lift reasons as the domain says: only dated "Detainer Declined by LEA" declines, ice_observed; citizenship claims excluded', async () => {
    const imported = rows.filter((r) => r.expect === 'imported');
    const measures = await asSuperuser(api.database, (c) => c.query<{ measure: string; source: string | null; exclusion: string | null; n: number }>(
      `SELECT measure, source, exclusion, count(*)::int AS n FROM detainer_contributions WHERE measure IN ('declined', 'honored', 'excluded') GROUP BY 1, 2, 3 ORDER BY 1`,
    ));
    const count = (pred: (r: GeneratedRow) => boolean) => imported.filter(pred).length;
    expect(measures.rows).toEqual([
      { measure: 'declined', source: 'ice_observed', exclusion: null, n: count((r) => r.liftReason === DECLINE && r.liftDated) },
      { measure: 'excluded', source: null, exclusion: 'us_citizen', n: count((r) => r.liftReason === 'USC or Presumptive Claim to US Citizenship') },
      { measure: 'honored', source: 'ice_observed', exclusion: null, n: count((r) => r.liftReason === 'Booked into Detention' && r.liftDated) },
    ]);
    const undated = await asSuperuser(api.database, (c) => c.query<{ n: number }>(`SELECT count(*)::int AS n FROM imported_records WHERE undated_decline`));
    expect(undated.rows[0].n).toBe(count((r) => r.liftReason === DECLINE && !r.liftDated));
  });

  it('links rows of one unique_id to one person (repeat subjects), with no name', async () => {
    const imported = rows.filter((r) => r.expect === 'imported');
    const people = await asSuperuser(api.database, (c) => c.query<{ subjects: number; named: number; max: number }>(
      `SELECT count(DISTINCT s.id)::int AS subjects, count(*) FILTER (WHERE s.family_name IS NOT NULL)::int AS named,
         (SELECT max(n)::int FROM (SELECT count(*) AS n FROM detainers d2 JOIN subjects s2 ON s2.id = d2.subject_id WHERE s2.release_unique_id IS NOT NULL GROUP BY s2.id) x) AS max
       FROM subjects s WHERE s.release_unique_id IS NOT NULL`,
    ));
    expect(people.rows[0]).toEqual({ subjects: new Set(imported.map((r) => r.uniqueId)).size, named: 0, max: expect.any(Number) });
    expect(people.rows[0].max).toBeGreaterThan(1);
  });

  it('the same rows as XLSX and as Parquet give the same result: every record unchanged, the same rows quarantined', async () => {
    const before = await snapshot(api);
    for (const format of ['xlsx', 'parquet']) {
      const again = await run(api, { file: join(dir, `release.${format}`) });
      expect({ format, ...again }).toMatchObject({ format, rowsRead: ROWS, imported: 0, corrected: 0, unchanged: first.imported, quarantined: first.quarantined });
      expect(again.quarantinedByReason).toEqual(first.quarantinedByReason);
      expect(again.undatedDeclines).toBe(first.undatedDeclines);
      expect(await quarantineOf(api, again.runId)).toEqual(await quarantineOf(api, first.runId));
    }
    const after = await snapshot(api);
    expect(after).toEqual(before);
  });

  it('the same file again changes nothing: no event, contribution or week mark is written', async () => {
    const counts = () => asSuperuser(api.database, async (c) => (await c.query(
      `SELECT (SELECT count(*) FROM detainer_events)::int AS events, (SELECT count(*) FROM detainer_contributions)::int AS contributions,
              (SELECT count(*) FROM report_week_marks)::int AS marks, (SELECT count(*) FROM detainers)::int AS detainers, (SELECT count(*) FROM subjects)::int AS subjects`,
    )).rows[0]);
    const before = await counts();
    const again = await run(api, { file: join(dir, 'release.csv') });
    expect(again).toMatchObject({ imported: 0, corrected: 0, unchanged: first.imported });
    expect(await counts()).toEqual(before);
  });

  it('a dry run reads and checks the same way and writes nothing', async () => {
    const runsBefore = await asSuperuser(api.database, (c) => c.query(`SELECT count(*)::int AS n FROM import_runs`));
    const dry = await run(api, { file: join(dir, 'release.csv'), dryRun: true });
    expect(dry).toMatchObject({ runId: null, dryRun: true, rowsRead: ROWS, quarantined: first.quarantined, undatedDeclines: first.undatedDeclines });
    expect(dry.quarantinedByReason).toEqual(first.quarantinedByReason);
    expect((await asSuperuser(api.database, (c) => c.query(`SELECT count(*)::int AS n FROM import_runs`))).rows).toEqual(runsBefore.rows);
  });

  it('an import killed half-way resumes after its last batch and ends with exactly the rows of an uninterrupted one', async () => {
    const other = await startTestApi();
    try {
      // the same world, so that the crosswalk's facility ids exist there too
      const otherWorld = await buildWorld(other.app);
      const otherDir = await mkdtemp(join(tmpdir(), 'ice-release-kill-'));
      const moved = facilitiesOf(otherWorld);
      await writeCrosswalk(join(otherDir, 'crosswalk.csv'), moved);
      await writeReleaseCsv(join(otherDir, 'release.csv'), generatedRows(ROWS, moved, { people: 150, duplicates: true }));
      const opts = { file: join(otherDir, 'release.csv'), crosswalk: join(otherDir, 'crosswalk.csv'), batchSize: 64 };
      let batches = 0;
      await expect(run(other, { ...opts, onProgress: () => { batches += 1; if (batches === 3) throw new Error('killed'); } })).rejects.toThrow('killed');
      const halfway = await asSuperuser(other.database, (c) => c.query(`SELECT status, rows_done::int FROM import_runs`));
      expect(halfway.rows).toEqual([{ status: 'running', rows_done: 3 * 64 }]);
      const resumed = await run(other, opts);
      expect(resumed).toMatchObject({ resumedAt: 3 * 64, rowsRead: ROWS, imported: first.imported, quarantined: first.quarantined, corrected: 0, unchanged: 0 });
      expect(resumed.quarantinedByReason).toEqual(first.quarantinedByReason);
      expect(await snapshot(other)).toEqual(await snapshot(api));
      expect(await quarantineOf(other, resumed.runId)).toEqual(await quarantineOf(api, first.runId));
      const runs = await asSuperuser(other.database, (c) => c.query(`SELECT status FROM import_runs`));
      expect(runs.rows).toEqual([{ status: 'completed' }]);
      await rm(otherDir, { recursive: true, force: true });
    } finally {
      await other.close();
    }
  }, 120_000);

  it('a corrected file gives the published weeks it changes a new version, with the change list naming the record', async () => {
    const king: ReleaseFacility = facilities.find((f) => f.code === 'KINGCWA')!;
    const header = 'Detainer Prepare Date,Detention Facility Code,Detention Facility,Facility State,Facility AOR,Detainer Type,Detainer Lift Reason,Detainer Lift Date,Citizenship Country,Unique ID\n';
    const line = (reason: string, lifted: string) => `2015-09-14 10:00:00,${king.code},${king.name},WA,SEA,I-247D,${reason},${lifted},MEXICO,C-1\n2015-09-15 10:00:00,${king.code},${king.name},WA,SEA,I-247N,,,HONDURAS,C-2\n`;
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'week-a.csv'), header + line(DECLINE, '2015-09-16 08:00'));
    await writeFile(join(dir, 'week-b.csv'), header + line('Booked into Detention', '2015-09-16 08:00'));
    await run(api, { file: join(dir, 'week-a.csv') });
    // every week the imports so far touched is rolled up: from here on, a sweep rolls only what a new import marks
    const sweep = async () => {
      const rolled: string[] = [];
      for (let batch = await withDatabaseScope(SYSTEM_SCOPE, () => api.app.get(RollUpMarkedWeeks).execute()); batch.length > 0;
        batch = await withDatabaseScope(SYSTEM_SCOPE, () => api.app.get(RollUpMarkedWeeks).execute())) rolled.push(...batch);
      return rolled;
    };
    expect(await sweep()).toContain('2015-09-12');

    const supervisor = principalOf(world, 'supervisorSea');
    const week = '2015-09-12';
    // imported requests carry no acknowledgment: the supervisor confirms the surplus, as for any agency
    await asPrincipal(supervisor, () => api.app.get(ConfirmReconciliation).execute(supervisor, week, world.agencies.king.id, 'Imported from the federal release: no acknowledgments are released.'));
    const published = await asPrincipal(supervisor, () => api.app.get(PublishReport).execute(supervisor, week));
    expect(published.report.totals).toMatchObject({ issued: 2, declined: 1, honored: 0 });
    // Section IV: how much of the week is imported and from which file, and what the release could not place in any week
    const undatedDeclines = rows.filter((r) => r.expect === 'imported' && r.liftReason === DECLINE && !r.liftDated).length;
    expect(published.report.sections.IV.fidelity.publicRecord).toEqual({
      importedThisWeek: [{ fileName: 'week-a.csv', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), detainers: 2 }],
      quarantinedThisWeek: {},
      // distinct rows, though four runs (CSV twice, XLSX, Parquet) quarantined each; a duplicate line of one is the same row
      quarantinedUndated: new Set(rows.filter((r) => r.expect === 'bad_date' && r.values[0] === '2017-02-30').map((r) => r.values.join('|'))).size,
      declinesWithoutDate: undatedDeclines,
    });

    const same = await run(api, { file: join(dir, 'week-a.csv') });
    expect(same).toMatchObject({ imported: 0, corrected: 0, unchanged: 2 });
    expect(await sweep()).toEqual([]);

    api.clock.advanceHours(24);
    const corrected = await run(api, { file: join(dir, 'week-b.csv') });
    expect(corrected).toMatchObject({ imported: 0, corrected: 1, unchanged: 1 });
    expect(await sweep()).toEqual([week]);
    const changes = await api.app.get(ReadChangeList).execute(week, 2);
    expect(changes.figures).toEqual(expect.arrayContaining([
      expect.objectContaining({ scope: 'nationwide', field: 'declined', from: 1, to: 0 }),
      expect.objectContaining({ scope: 'nationwide', field: 'honored', from: 0, to: 1 }),
    ]));
    expect(changes.records).toEqual(expect.arrayContaining([
      expect.objectContaining({ measure: 'declined', change: 'removed', because: [expect.objectContaining({ kind: 'import_corrected' })] }),
      expect.objectContaining({ measure: 'honored', change: 'added' }),
    ]));
    // and the correction, imported again, changes nothing more
    expect(await run(api, { file: join(dir, 'week-b.csv') })).toMatchObject({ corrected: 0, unchanged: 2 });
    expect(await sweep()).toEqual([]);
    await expect(api.app.get(ReadChangeList).execute(week, 3)).rejects.toThrow(/no version 3/);
  });
});
