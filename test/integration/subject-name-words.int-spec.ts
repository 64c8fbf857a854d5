import { Client } from 'pg';
import { createMigrationDataSource, quoteIdent } from '@app/persistence';
import { APPLICATION_ROLE, ownerUrl, OWNER_ROLE, serverUrl, TEST_DB_PREFIX } from '@app/testing';
import { SubjectNameWords1795699000000 } from '../../migrations/1795699000000-subject-name-words';

/**
 * The distinct words of names and each person's words (migration 1795699000000): back-filled for
 * the people already on file, kept by the trigger on every write of a name, nothing for a person known
 * without a name, and gone again with `down`.
 */
describe('subject name words (real database)', () => {
  const name = `${TEST_DB_PREFIX}_name_words`;
  const admin = new Client({ connectionString: serverUrl() });
  const ds = createMigrationDataSource({ url: ownerUrl(name), applicationRole: APPLICATION_ROLE });
  const MIGRATION = new SubjectNameWords1795699000000().name;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${quoteIdent(name)} OWNER ${quoteIdent(OWNER_ROLE)}`);
    await ds.initialize();
    await ds.runMigrations();
  });
  afterAll(async () => {
    if (ds.isInitialized) await ds.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await admin.end();
  });

  const undoThroughWords = async () => {
    const at = ds.migrations.findIndex((m) => m.name === MIGRATION);
    expect(at).toBeGreaterThan(0);
    for (let i = ds.migrations.length - 1; i >= at; i -= 1) await ds.undoLastMigration();
  };
  const addSubject = async (familyName: string | null, givenName: string | null, releaseUniqueId?: string) =>
    (await ds.query<{ id: string }[]>(
      `INSERT INTO subjects (family_name, given_name, date_of_birth, citizenship, release_unique_id) VALUES ($1, $2, $3, 'MX', $4) RETURNING id`,
      [familyName, givenName, familyName === null ? null : '1980-01-01', releaseUniqueId ?? null],
    ))[0].id;
  const wordsOf = async (id: string) =>
    (await ds.query<{ word: string }[]>(`SELECT w AS word FROM subject_names, unnest(words) w WHERE subject_id = $1 ORDER BY w COLLATE "C"`, [id])).map((r) => r.word);
  const known = async (words: string[]) =>
    (await ds.query<{ word: string }[]>(`SELECT word FROM subject_name_words WHERE word = ANY ($1) ORDER BY word COLLATE "C"`, [words])).map((r) => r.word);

  it('back-fills the people on file: unaccented, lower-cased words split at spaces; a hyphenated or apostrophed name is one word', async () => {
    await undoThroughWords();
    const garcia = await addSubject('García Márquez', 'José  Ángel');
    const obrien = await addSubject("O'Brien-Smith", 'Mary');
    const released = await addSubject(null, null, 'R-0001');
    await ds.runMigrations();

    expect(await wordsOf(garcia)).toEqual(['angel', 'garcia', 'jose', 'marquez']);
    expect(await wordsOf(obrien)).toEqual(['mary', "o'brien-smith"]);
    expect(await wordsOf(released)).toEqual([]);
    expect(await known(['angel', 'garcia', 'jose', 'marquez', "o'brien-smith", 'mary'])).toHaveLength(6);
    // run again (as after an interruption), it adds nothing and loses nothing
    const runner = ds.createQueryRunner();
    try {
      await new SubjectNameWords1795699000000().up(runner);
    } finally {
      await runner.release();
    }
    expect(await ds.query(`SELECT count(*)::int AS n FROM subject_names, unnest(words)`)).toEqual([{ n: 6 }]);
    expect(await wordsOf(garcia)).toEqual(['angel', 'garcia', 'jose', 'marquez']);
  });

  it('keeps the words on every write of a name: a new person, a corrected name, a person given a name later', async () => {
    const nguyen = await addSubject('Nguyễn', 'Thị Minh');
    expect(await wordsOf(nguyen)).toEqual(['minh', 'nguyen', 'thi']);

    await ds.query(`UPDATE subjects SET family_name = 'Tran', updated_at = now() WHERE id = $1`, [nguyen]);
    expect(await wordsOf(nguyen)).toEqual(['minh', 'thi', 'tran']);
    // the word nobody has any more stays a word (it finds nobody)
    expect(await known(['nguyen', 'tran'])).toEqual(['nguyen', 'tran']);

    // a write that leaves the name as it was, and one of other columns, leave the words as they were
    await ds.query(`UPDATE subjects SET family_name = family_name, citizenship = 'VN' WHERE id = $1`, [nguyen]);
    expect(await wordsOf(nguyen)).toEqual(['minh', 'thi', 'tran']);

    const released = await addSubject(null, null, 'R-0002');
    expect(await wordsOf(released)).toEqual([]);
    await ds.query(`UPDATE subjects SET family_name = 'Okonkwo', given_name = 'Chidi', date_of_birth = '1990-05-05' WHERE id = $1`, [released]);
    expect(await wordsOf(released)).toEqual(['chidi', 'okonkwo']);
  });

  it('in replica mode too (bulk loads such as the benchmark generator), which only a superuser may set', async () => {
    const superuser = new Client({ connectionString: serverUrl(name) });
    await superuser.connect();
    try {
      await superuser.query('BEGIN');
      await superuser.query(`SET LOCAL session_replication_role = replica`);
      const { rows } = await superuser.query<{ id: string }>(
        `INSERT INTO subjects (family_name, given_name, date_of_birth, citizenship) VALUES ('Kowalski', 'Agnieszka', '1970-01-01', 'PL') RETURNING id`,
      );
      await superuser.query('COMMIT');
      expect(await wordsOf(rows[0].id)).toEqual(['agnieszka', 'kowalski']);
    } finally {
      await superuser.end();
    }
  });

  it('down drops the words and brings the trigram index on whole names back', async () => {
    await undoThroughWords();
    const tables = await ds.query<Record<string, string | null>[]>(
      `SELECT to_regclass('subject_name_words') AS words, to_regclass('subject_names_words_idx') AS words_idx, to_regclass('subject_names_trgm_idx') AS idx,
              (SELECT count(*)::int FROM information_schema.columns WHERE table_name = 'subject_names' AND column_name = 'words') AS column`,
    );
    expect(tables).toEqual([{ words: null, words_idx: null, idx: 'subject_names_trgm_idx', column: 0 }]);
    // the trigger of before still keeps the names
    const id = await addSubject('Haddad', 'Omar');
    expect(await ds.query(`SELECT name FROM subject_names WHERE subject_id = $1`, [id])).toEqual([{ name: 'haddad omar' }]);
    await ds.runMigrations();
    expect(await wordsOf(id)).toEqual(['haddad', 'omar']);
  });
});
