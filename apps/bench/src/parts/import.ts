import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ImportIceRelease, ReferenceDataService } from '@app/application';
import { loadConfig } from '@app/config';
import { quoteIdent, SYSTEM_SCOPE, withDatabaseScope } from '@app/persistence';
import { createApiApp } from '../../../api/src/create-api-app';
import { BenchPart, BenchTable } from '../bench';
import { collectGarbage } from '../memory';
import { migratedScratchDatabase } from '../scratch-database';
import { generatedRows, ReleaseFacility, RELEASE_HEADERS, writeCrosswalk, writeReleaseCsv } from '../generator/ice-release';

function intFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** Ten states, an AOR each, five counties each: fifty DETLOC codes the crosswalk places by canonical codes (created by the import). */
const STATES: [string, string, string][] = [
  ['WA', '53', 'SEA'], ['CA', '06', 'SFR'], ['TX', '48', 'HOU'], ['IL', '17', 'CHI'], ['NY', '36', 'NYC'],
  ['FL', '12', 'MIA'], ['AZ', '04', 'PHO'], ['GA', '13', 'ATL'], ['NC', '37', 'CHA'], ['PA', '42', 'PHI'],
];
const FACILITIES: ReleaseFacility[] = STATES.flatMap(([state, fips, aor]) => [1, 3, 5, 7, 9].map((county) => ({
  code: `${state}${String(county).padStart(3, '0')}CJ`, name: 'COUNTY JAIL', city: 'CITY', state, aor,
  crosswalk: { countyFips: `${fips}${String(county).padStart(3, '0')}`, ori: `${state}${String(county).padStart(5, '0')}00`, facilityName: `County Jail ${county}` },
})));

/** The tables an import writes a detainer's rows into (besides its staging and quarantine). */
const FLOOR_TABLES = ['subjects', 'detainers', 'lodgings', 'detainer_events', 'detainer_contributions', 'imported_records', 'report_week_marks'];

/**
 * Seconds to insert every row of the import's tables again, set-based in one transaction, into copies
 * with the same indexes (CREATE TABLE ... LIKE ... INCLUDING ALL: no triggers, foreign keys or
 * policies), then rolled back.
 */
async function floorOfTheWrites(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const t of FLOOR_TABLES) await client.query(`CREATE TABLE bench_floor_${t} (LIKE ${t} INCLUDING ALL)`);
    const start = performance.now();
    for (const t of FLOOR_TABLES) await client.query(`INSERT INTO bench_floor_${t} OVERRIDING SYSTEM VALUE SELECT * FROM ${t}`);
    const seconds = (performance.now() - start) / 1000;
    await client.query('ROLLBACK');
    return seconds;
  } finally {
    await client.end();
  }
}

/**
 * `npm run bench -- import`: a generated federal release (BENCH_IMPORT_ROWS rows, default 200,000; the
 * issue's figure is 1,000,000) in the release layout imported through the CLI's use case, beside a bare
 * COPY of the same file into an unindexed table of text columns, in the same run; RSS sampled after
 * every batch. About 8% of the rows are built to be quarantined (bad dates, unknown forms, forms out of
 * their period, duplicates), as in a real release.
 */
export const importPart: BenchPart = {
  name: 'import',
  description: 'federal release import: rows/s beside a bare COPY of the same CSV; RSS through the run',
  async run(ctx) {
    const total = intFromEnv('BENCH_IMPORT_ROWS', 200_000);
    const batchSize = intFromEnv('BENCH_IMPORT_BATCH', 5000);
    const url = await migratedScratchDatabase(ctx, 'import');
    const dir = await mkdtemp(join(tmpdir(), 'bench-import-'));
    const file = join(dir, 'release.csv');
    const crosswalk = join(dir, 'crosswalk.csv');
    const config = loadConfig({ ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' });
    const app = await createApiApp(config);
    await app.init();
    const tables: BenchTable[] = [];
    try {
      const refs = app.get(ReferenceDataService);
      for (const [, , aor] of STATES) await refs.createArea({ code: aor, name: aor });
      ctx.log(`writing ${total.toLocaleString('en-US')} release rows`);
      await writeCrosswalk(crosswalk, FACILITIES);
      await writeReleaseCsv(file, generatedRows(total, FACILITIES, { people: Math.ceil(total / 3), duplicates: true }));
      const bytes = (await stat(file)).size;

      ctx.log('bare COPY of the same file into an unindexed table');
      const client = new Client({ connectionString: url });
      await client.connect();
      let copySeconds: number;
      try {
        await client.query(`CREATE TABLE bench_bare_release (${RELEASE_HEADERS.map((_, i) => `c${i} text`).join(', ')})`);
        const start = performance.now();
        await pipeline(createReadStream(file), client.query(copyFrom(`COPY bench_bare_release FROM STDIN WITH (FORMAT csv, HEADER true)`)));
        copySeconds = (performance.now() - start) / 1000;
        await client.query('DROP TABLE bench_bare_release');
      } finally {
        await client.end();
      }

      ctx.log(`import, batches of ${batchSize.toLocaleString('en-US')}`);
      const mb = (bytes: number) => bytes / 1024 / 1024;
      const samples: { rows: number; rss: number }[] = [];
      // what is still reachable after a full collection, at each tenth of the file: a leak, not garbage not yet collected
      const live: { rows: number; heap: number; at: number }[] = [];
      const start = performance.now();
      const summary = await withDatabaseScope(SYSTEM_SCOPE, () => app.get(ImportIceRelease).execute({
        file, crosswalk, batchSize, onProgress: ({ rows }) => {
          samples.push({ rows, rss: mb(process.memoryUsage().rss) });
          if (Math.floor((rows * 10) / total) > live.length) {
            const at = performance.now();
            collectGarbage();
            live.push({ rows, heap: mb(process.memoryUsage().heapUsed), at });
          }
        },
      }));
      const importSeconds = (performance.now() - start) / 1000;
      ctx.log('the rows the import wrote, again, into copies of their tables (same indexes; no triggers, foreign keys or policies)');
      const floorSeconds = await floorOfTheWrites(url);
      const copyRate = total / copySeconds;
      const importRate = summary.rowsRead / importSeconds;
      tables.push({
        title: `Federal release import, ${total.toLocaleString('en-US')} rows (${(bytes / 1024 / 1024).toFixed(1)} MB CSV), same run`,
        columns: ['how', 'rows', 'seconds', 'rows/s', 'vs bare COPY'],
        rows: [
          ['bare COPY into an unindexed text table (baseline)', total, copySeconds, copyRate, 1],
          [`npm run import -- ice-release (batches of ${batchSize})`, summary.rowsRead, importSeconds, importRate, importRate / copyRate],
          ['floor: the rows it wrote, inserted again into copies of their tables with the same indexes only', summary.rowsRead, floorSeconds, summary.rowsRead / floorSeconds, summary.rowsRead / floorSeconds / copyRate],
        ],
        notes: [
          `Imported ${summary.imported.toLocaleString('en-US')}, quarantined ${summary.quarantined.toLocaleString('en-US')} (${Object.entries(summary.quarantinedByReason).map(([r, n]) => `${r} ${n}`).join(', ')}).`,
          'Target: at least 20,000 rows/s and at least 0.3x the bare COPY. The import writes per row a detainer, its lodging, 1-3 events, its stored contributions, its record and week marks, under row security.',
          `The floor is what PostgreSQL alone needs to put those rows (${FLOOR_TABLES.join(', ')}) into those indexes, set-based, in one transaction, with nothing read, parsed, checked or computed: no import into this schema through one connection can be faster.`,
        ],
      });
      const tenth = Math.max(1, Math.floor(samples.length / 10));
      const early = Math.max(...samples.slice(0, tenth).map((s) => s.rss));
      const pick = (f: number) => samples[Math.min(samples.length - 1, Math.floor(samples.length * f))];
      tables.push({
        title: `RSS through the import (MB, sampled after each of ${samples.length} batches)`,
        columns: ['after first 10%', 'at 50%', 'at 90%', 'max', 'after last batch', 'growth first 10% → last'],
        rows: [[early, pick(0.5).rss, pick(0.9).rss, Math.max(...samples.map((s) => s.rss)), samples.at(-1)!.rss, samples.at(-1)!.rss - early]],
      });
      tables.push({
        title: 'Through the import, at each tenth of the rows: live heap (MB after a full collection, whose time is in the seconds above) and the rate since the tenth before',
        columns: ['rows', 'live heap MB', 'rows/s since the tenth before'],
        rows: live.map((l, i) => [l.rows, l.heap, (l.rows - (live[i - 1]?.rows ?? 0)) / ((l.at - (live[i - 1]?.at ?? start)) / 1000)]),
        notes: live.length > 1 ? [`Growth from the first tenth to the end: ${(live.at(-1)!.heap - live[0].heap).toFixed(1)} MB.`] : [],
      });
    } finally {
      await app.close();
      await rm(dir, { recursive: true, force: true });
      const server = new URL(url);
      const database = decodeURIComponent(server.pathname.slice(1));
      server.pathname = '/postgres';
      const adminDb = new Client({ connectionString: server.toString() });
      await adminDb.connect();
      await adminDb.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`).finally(() => adminDb.end());
    }
    return tables;
  },
};
