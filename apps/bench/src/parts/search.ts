import { createHash } from 'node:crypto';
import { Client } from 'pg';
import {
  AccessScope, createDataSource, Database, DetainerReadRepository, ensureDatabaseRoles, quoteIdent, withDatabaseScope,
} from '@app/persistence';
import { BenchContext, BenchPart, BenchTable, percentile, timed } from '../bench';
import { DEFAULT_AS_OF, ensureNationalDataset } from '../generator/national-dataset';
import { NATIONAL_DETAINERS } from './dataset';

/** Detainers in the search benchmark's own data set (the target is at 3,000,000; BENCH_SEARCH_DETAINERS to change). */
const SEARCH_DETAINERS = Number(process.env.BENCH_SEARCH_DETAINERS ?? 300_000);
/** Timed runs of each query (after 10 warm-ups; BENCH_SEARCH_RUNS to change). */
const RUNS = Number(process.env.BENCH_SEARCH_RUNS ?? 100);
const CHECKOUT = createHash('sha1').update(process.cwd()).digest('hex').slice(0, 6);
const READER = `dw_bench_search_${CHECKOUT}`;
/** Owns `search_detainer_ids` here, as the schema's owner does in service (no superuser: the FORCEd policies bind it). */
const DEFINER = `dw_bench_search_definer_${CHECKOUT}`;

const FAMILY = [
  'García', 'Hernández', 'López', 'Martínez', 'González', 'Rodríguez', 'Pérez', 'Sánchez', 'Ramírez', 'Cruz', 'Flores', 'Gómez', 'Morales', 'Vásquez',
  'Reyes', 'Jiménez', 'Torres', 'Díaz', 'Gutiérrez', 'Ruiz', 'Mendoza', 'Aguilar', 'Ortiz', 'Moreno', 'Castillo', 'Romero', 'Álvarez', 'Méndez', 'Chávez',
  'Rivera', 'Juárez', 'Ramos', 'Domínguez', 'Herrera', 'Medina', 'Castro', 'Vargas', 'Guzmán', 'Velázquez', 'Muñoz', 'Rojas', 'Contreras', 'Salazar',
  'Nguyễn', 'Trần', 'Lê', 'Phạm', 'Chen', 'Wang', 'Li', 'Zhang', 'Liu', 'Singh', 'Patel', 'Kumar', 'Okonkwo', 'Mensah', 'Haddad', 'Novák', 'Kowalski',
];
const GIVEN = [
  'José', 'María', 'Juan', 'Luis', 'Carlos', 'Ana', 'Jorge', 'Rosa', 'Miguel', 'Carmen', 'Jesús', 'Lucía', 'Pedro', 'Elena', 'Francisco', 'Sofía',
  'Antonio', 'Isabel', 'Manuel', 'Gabriela', 'Ángel', 'Verónica', 'Raúl', 'Marisol', 'Héctor', 'Andrés', 'Óscar', 'Inés', 'Minh', 'Thị', 'Wei', 'Ravi',
  'Chidi', 'Kwame', 'Omar', 'Fatima', 'Pavel', 'Agnieszka',
];

/**
 * Search as officers and jails use it: a name typed (two words, one misspelt), a booking number and
 * an A-number, through the list query under row-level security, beside a bare exact-match index
 * lookup in the same run and the plain first page of the list.
 */
export const searchPart: BenchPart = {
  name: 'search',
  description: `search by name (pg_trgm + unaccent), booking number and A-number under row-level security, ${SEARCH_DETAINERS.toLocaleString('en-US')} detainers (BENCH_SEARCH_DETAINERS)`,
  run: searchTables,
};

/**
 * The search's own data set: it renames every person, which the data set other parts read must not
 * see. At the national size that is a copy of the shared one (made by template in minutes, where
 * building a second one takes an hour on two cores), copied again when the shared one was rebuilt.
 */
async function dataset(ctx: BenchContext): Promise<string> {
  const own = SEARCH_DETAINERS === NATIONAL_DETAINERS ? 'search_national' : `search_${SEARCH_DETAINERS}`;
  if (SEARCH_DETAINERS === NATIONAL_DETAINERS) await copyNational(ctx, own);
  const { url, reused } = await ensureNationalDataset(
    () => ctx.scratchDatabase(own),
    () => ctx.scratchDatabaseUrl(own),
    { detainers: SEARCH_DETAINERS, asOf: DEFAULT_AS_OF, skipForeignKeyChecks: true, log: ctx.log },
  );
  ctx.log(`${reused ? 'reused' : 'built'} ${new URL(url).pathname.slice(1)}`);
  return url;
}

async function copyNational(ctx: BenchContext, own: string): Promise<void> {
  const copyUrl = ctx.scratchDatabaseUrl(own);
  const nationalUrl = ctx.scratchDatabaseUrl(process.env.BENCH_DATASET ?? 'national');
  const marker = async (url: string) => {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      const { rows } = await client.query<{ marker: string }>('SELECT marker FROM bench_dataset');
      return rows[0]?.marker ?? null;
    } catch {
      return null; // no such database (or not a finished data set)
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const national = await marker(nationalUrl);
  if (national === null || (await marker(copyUrl)) === national) return;
  const server = new URL(nationalUrl);
  server.pathname = '/postgres';
  const admin = new Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    const [from, to] = [nationalUrl, copyUrl].map((u) => quoteIdent(new URL(u).pathname.slice(1)));
    ctx.log(`copying ${from} to ${to}`);
    await admin.query(`DROP DATABASE IF EXISTS ${to} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${to} TEMPLATE ${from} STRATEGY FILE_COPY`);
  } finally {
    await admin.end();
  }
}

async function searchTables(ctx: BenchContext): Promise<BenchTable[]> {
  const url = await dataset(ctx);
  const server = new URL(url);
  server.pathname = '/postgres';
  await ensureDatabaseRoles(server.toString(), [{ name: READER }, { name: DEFINER }]);
  const owner = createDataSource({ url, applicationName: 'bench-search', poolSize: 2 });
  await owner.initialize();
  const readerUrl = new URL(url);
  readerUrl.username = READER;
  readerUrl.password = '';
  const reader = createDataSource({ url: readerUrl.toString(), applicationName: 'bench-search', poolSize: 2 });
  try {
    const [area] = await owner.query<{ id: string; n: number }[]>(`SELECT area_id AS id, count(*)::int AS n FROM detainers GROUP BY area_id ORDER BY n DESC LIMIT 1`);
    const [agency] = await owner.query<{ id: string; n: number }[]>(`SELECT agency_id AS id, count(*)::int AS n FROM lodgings GROUP BY agency_id ORDER BY n DESC LIMIT 1`);
    // Names people have (the generator's are 'Family123'), booking numbers on the lodgings searched.
    const [{ named }] = await owner.query<{ named: number }[]>(`SELECT count(*) FILTER (WHERE family_name LIKE 'Family%')::int AS named FROM subjects`);
    if (named > 0) {
      ctx.log(`giving ${named.toLocaleString('en-US')} subjects real names and lodgings booking numbers`);
      // In one pass rather than the trigger's row by row (2,400,000 people at 3,000,000 detainers): the
      // names and words it would keep, and the vocabulary of the names people now have (renaming everyone
      // leaves the generator's 'family123' words with nobody: the trigger lets a word go, not delete it).
      await owner.transaction(async (m) => {
        await m.query('ALTER TABLE subjects DISABLE TRIGGER subject_names_keep');
        await m.query(
          `UPDATE subjects SET family_name = ($1::text[])[1 + abs(hashtext(id::text)) % cardinality($1::text[])],
                               given_name = ($2::text[])[1 + abs(hashtext(id::text || 'g')) % cardinality($2::text[])]`,
          [FAMILY, GIVEN],
        );
        await m.query('ALTER TABLE subjects ENABLE TRIGGER subject_names_keep');
        await m.query(
          `INSERT INTO subject_names (subject_id, name, words)
           SELECT id, search_text(family_name || ' ' || given_name), search_words(family_name, given_name) FROM subjects
           WHERE family_name IS NOT NULL AND given_name IS NOT NULL
           ON CONFLICT (subject_id) DO UPDATE SET name = EXCLUDED.name, words = EXCLUDED.words`,
        );
        await m.query('TRUNCATE subject_name_words');
        await m.query('INSERT INTO subject_name_words (word) SELECT DISTINCT unnest(words) FROM subject_names');
      });
      // Only the AOR's and the jail's lodgings (every lodging at 3,000,000 is minutes of index updates on
      // a shared machine): a look-up costs the index's depth, which is the same at a tenth of the entries.
      await owner.query(
        `UPDATE lodgings SET booking_number = 'BK-' || upper(substr(md5(detainer_id::text || seq), 1, 10))
         WHERE booking_number IS NULL AND (area_id = $1 OR issuing_area_id = $1 OR agency_id = $2)`,
        [area.id, agency.id],
      );
    }
    await owner.query('VACUUM (ANALYZE) subjects, subject_names, subject_name_words, detainers, lodgings');
    await owner.query(`GRANT USAGE ON SCHEMA public TO ${quoteIdent(READER)}; GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${quoteIdent(READER)};
                       REVOKE ALL ON subject_names, subject_name_words FROM ${quoteIdent(READER)}; GRANT EXECUTE ON FUNCTION search_detainer_ids(text[]) TO ${quoteIdent(READER)}`);
    // The data set's owner is the bench's superuser, whom no policy binds: owned by it, the function
    // would answer every detainer of the name nationally and leave the scope to the page.
    await owner.query(`GRANT USAGE ON SCHEMA public TO ${quoteIdent(DEFINER)}; GRANT SELECT ON subject_names, subject_name_words, detainers TO ${quoteIdent(DEFINER)};
                       ALTER FUNCTION search_detainer_ids(text[]) OWNER TO ${quoteIdent(DEFINER)}`);
    await reader.initialize();
    const db = new Database(reader);
    const reads = new DetainerReadRepository();

    const areaScope: AccessScope = { kind: 'area', areaId: area.id };
    const agencyScope: AccessScope = { kind: 'agency', agencyId: agency.id };
    const inArea = await owner.query<{ family_name: string; given_name: string; a_number: string; booking_number: string }[]>(
      `SELECT s.family_name, s.given_name, s.a_number, l.booking_number FROM detainers d JOIN subjects s ON s.id = d.subject_id
       JOIN lodgings l ON l.detainer_id = d.id AND l.seq = d.current_lodging_seq WHERE d.area_id = $1 ORDER BY md5(d.id::text) LIMIT 50`,
      [area.id],
    );
    const atAgency = await owner.query<{ family_name: string; given_name: string; booking_number: string }[]>(
      `SELECT s.family_name, s.given_name, l.booking_number FROM lodgings l JOIN detainers d ON d.id = l.detainer_id JOIN subjects s ON s.id = d.subject_id
       WHERE l.agency_id = $1 ORDER BY md5(l.detainer_id::text) LIMIT 50`,
      [agency.id],
    );
    const misspell = (name: string) => (name.length > 4 ? name.slice(0, 2) + name.slice(3) : name); // one letter dropped
    const unaccent = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');

    let i = 0;
    const pick = <T>(xs: T[]) => xs[(i += 1) % xs.length];
    const list = (scope: AccessScope, q?: string) => db.read((sql) => reads.list(sql, q === undefined ? {} : { q }, { limit: 50 }, { scope, includeIdentity: true }));
    const cases: { label: string; scope: AccessScope; run: () => Promise<unknown> }[] = [
      { label: 'baseline: exact index lookup (booking number on lodgings)', scope: areaScope, run: () => db.read((sql) => sql.query('SELECT detainer_id FROM lodgings WHERE booking_number = $1', [pick(inArea).booking_number])) },
      { label: 'baseline: list, first 50, no search, AOR', scope: areaScope, run: () => list(areaScope) },
      { label: 'name "given family" (unaccented), AOR', scope: areaScope, run: () => { const s = pick(inArea); return list(areaScope, unaccent(`${s.given_name} ${s.family_name}`)); } },
      { label: 'name "family given" misspelt, AOR', scope: areaScope, run: () => { const s = pick(inArea); return list(areaScope, `${misspell(unaccent(s.family_name))} ${s.given_name}`); } },
      { label: 'family name only (many matches), AOR', scope: areaScope, run: () => list(areaScope, pick(inArea).family_name) },
      { label: 'name "given family", jail', scope: agencyScope, run: () => { const s = pick(atAgency); return list(agencyScope, unaccent(`${s.given_name} ${s.family_name}`)); } },
      { label: 'family name only (many matches), jail', scope: agencyScope, run: () => list(agencyScope, pick(atAgency).family_name) },
      { label: 'booking number, AOR', scope: areaScope, run: () => list(areaScope, pick(inArea).booking_number) },
      { label: 'booking number, jail', scope: agencyScope, run: () => list(agencyScope, pick(atAgency).booking_number) },
      { label: 'A-number, AOR', scope: areaScope, run: () => list(areaScope, `A${pick(inArea).a_number}`) },
    ];
    const rows: (string | number)[][] = [];
    for (const c of cases) {
      ctx.log(c.label);
      const times = await withDatabaseScope(c.scope, async () => {
        for (let k = 0; k < 10; k += 1) await c.run();
        const out: number[] = [];
        for (let k = 0; k < RUNS; k += 1) out.push((await timed(c.run)).ms);
        return out;
      });
      rows.push([c.label, percentile(times, 50), percentile(times, 95), percentile(times, 99)]);
    }
    const [{ n: detainers }] = await owner.query<{ n: number }[]>('SELECT count(*)::int AS n FROM detainers');
    const [{ n: subjects }] = await owner.query<{ n: number }[]>('SELECT count(*)::int AS n FROM subjects');
    return [{
      title: `Search under row-level security, ${detainers.toLocaleString('en-US')} detainers, ${subjects.toLocaleString('en-US')} subjects (ms; ${RUNS} runs each after 10 warm-ups)`,
      columns: ['query (first page of 50, with lodgings and subjects)', 'p50', 'p95', 'p99'],
      rows,
      notes: [
        `AOR: the one with the most detainers (${area.n.toLocaleString('en-US')}); jail: the agency with the most lodgings (${agency.n.toLocaleString('en-US')}).`,
        `Names: ${FAMILY.length} family x ${GIVEN.length} given names spread over the subjects, so a family name alone matches ~1/${FAMILY.length} of them.`,
        'Read as a role the policies bind (no superuser, no BYPASSRLS), with the scope set per transaction like the service.',
        'Booking numbers are on the lodgings of that AOR and that jail only (the look-up\'s index depth is that of every lodging numbered).',
        'The issue\'s targets (p95 < 50 ms for a name, < 10 ms for a booking number) are at 3,000,000 detainers: this run is at the scale above.',
      ],
    }];
  } finally {
    if (reader.isInitialized) await reader.destroy();
    await owner.destroy();
  }
}
