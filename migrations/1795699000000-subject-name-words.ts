import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A name search looks up the distinct words of names first, then the people with those words.
 *
 * `search_subject_ids` compared each query word (`<%`) with every person's whole name through a
 * trigram index on `subject_names`: each trigram's posting list holds every person whose name has
 * it, so its cost grew with the number of people (125 / 216 ms p50 / p95 for two words at 240,000
 * people). People share few names: the words of all names are a small set (`subject_name_words`,
 * one row a word, with the trigram index), and `subject_name_word_subjects` is the b-tree from a
 * word to the people whose name has it. A query word finds the words like it (word_similarity ≥ 0.4,
 * as before: partial and misspelt words match), then those words' people by equality, and a
 * person is found when every query word found one of their words (in any order).
 *
 * A name's words are its unaccented, lower-cased text split at white space, commas and semicolons,
 * as `searchTermsOf` splits a query: a hyphenated or apostrophed name stays one word, whose trigrams
 * pg_trgm still takes word by word.
 *
 * Both tables are kept by the owner's trigger on `subjects` (as `subject_names` is), whoever writes
 * the person: lodging, correction, the bench generator (replica mode: the trigger is ALWAYS), the
 * release import. A word no person has any more (after a correction) stays in `subject_name_words`:
 * it finds nobody, and deleting it safely would race with a person being given it concurrently.
 * The application role reads neither table: only `search_subject_ids` (SECURITY DEFINER) does, and
 * it still returns only people with a detainer the caller may read.
 *
 * Outside a single transaction: the back-fill commits batch by batch, with progress, and run again
 * after an interruption it goes on from where it was (every step is idempotent). The trigram index on
 * `subject_names` is no longer read and is dropped (`down` builds it again); the table itself is still
 * kept, for `down`.
 */
const BATCH = 20_000;

/** See SearchSubjectIdsPlannedOnce1795681100000: a `SET pg_trgm.…` needs pg_trgm's library loaded in the session. */
async function loadTrigram(q: QueryRunner): Promise<void> {
  await q.query(`SELECT word_similarity('a', 'a')`);
}

export class SubjectNameWords1795699000000 implements MigrationInterface {
  name = 'SubjectNameWords1795699000000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await loadTrigram(q);
    await q.query(`
      CREATE OR REPLACE FUNCTION search_words(family_name text, given_name text) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT COALESCE(array_agg(DISTINCT w), '{}') FROM regexp_split_to_table(search_text(concat_ws(' ', family_name, given_name)), '[[:space:],;]+') w WHERE w <> '' $$;

      CREATE TABLE IF NOT EXISTS subject_name_words (word text PRIMARY KEY);
      CREATE INDEX IF NOT EXISTS subject_name_words_trgm_idx ON subject_name_words USING gin (word gin_trgm_ops);
      CREATE TABLE IF NOT EXISTS subject_name_word_subjects (
        word text NOT NULL,
        subject_id uuid NOT NULL REFERENCES subjects (id),
        PRIMARY KEY (word, subject_id)
      );

      -- The new and the changed words of a person; the words they no longer have are let go (see above).
      CREATE OR REPLACE FUNCTION subject_names_keep() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        old_words text[] := CASE WHEN TG_OP = 'UPDATE' THEN search_words(OLD.family_name, OLD.given_name) ELSE '{}' END;
        new_words text[] := CASE WHEN NEW.family_name IS NULL OR NEW.given_name IS NULL THEN '{}' ELSE search_words(NEW.family_name, NEW.given_name) END;
      BEGIN
        IF NEW.family_name IS NOT NULL AND NEW.given_name IS NOT NULL THEN
          INSERT INTO subject_names (subject_id, name) VALUES (NEW.id, search_text(NEW.family_name || ' ' || NEW.given_name))
          ON CONFLICT (subject_id) DO UPDATE SET name = EXCLUDED.name;
        END IF;
        IF old_words = new_words THEN RETURN NULL; END IF;
        DELETE FROM subject_name_word_subjects WHERE word = ANY (old_words) AND NOT word = ANY (new_words) AND subject_id = NEW.id;
        INSERT INTO subject_name_words (word) SELECT unnest(new_words) ON CONFLICT DO NOTHING;
        INSERT INTO subject_name_word_subjects (word, subject_id) SELECT unnest(new_words), NEW.id ON CONFLICT DO NOTHING;
        RETURN NULL;
      END;
      $$;
    `);
    await this.grants(q, ['subject_name_words', 'subject_name_word_subjects']);

    const [{ total }] = (await q.query(`SELECT count(*)::int AS total FROM subjects WHERE family_name IS NOT NULL AND given_name IS NOT NULL`)) as { total: number }[];
    const started = Date.now();
    let after = '00000000-0000-0000-0000-000000000000';
    let done = 0;
    for (;;) {
      const [row] = (await q.query(
        `WITH batch AS (
           SELECT id, search_words(family_name, given_name) AS words FROM subjects
           WHERE id > $1 AND family_name IS NOT NULL AND given_name IS NOT NULL ORDER BY id LIMIT $2
         ), pairs AS (SELECT unnest(words) AS word, id FROM batch),
         words AS (INSERT INTO subject_name_words (word) SELECT DISTINCT word FROM pairs ON CONFLICT DO NOTHING),
         people AS (INSERT INTO subject_name_word_subjects (word, subject_id) SELECT word, id FROM pairs ON CONFLICT DO NOTHING)
         SELECT (SELECT id FROM batch ORDER BY id DESC LIMIT 1) AS last, (SELECT count(*)::int FROM batch) AS n`,
        [after, BATCH],
      )) as { last: string | null; n: number }[];
      if (!row?.last) break;
      after = row.last;
      done += row.n;
      if (total > BATCH) console.log(`subject_name_words: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} subjects back-filled`);
    }
    if (total > 0) console.log(`subject_name_words: back-filled ${done.toLocaleString('en-US')} subjects in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await q.query(`ANALYZE subject_name_words; ANALYZE subject_name_word_subjects`);

    await q.query(`
      CREATE OR REPLACE FUNCTION search_subject_ids(p_words text[]) RETURNS SETOF uuid
      LANGUAGE plpgsql STABLE SECURITY DEFINER
      SET search_path = public, pg_temp
      SET pg_trgm.word_similarity_threshold = 0.4
      AS $fn$
      DECLARE
        n int;
        answered int := 0;
        ids uuid[];
        query_word record;
      BEGIN
        IF COALESCE(cardinality(p_words), 0) NOT BETWEEN 1 AND 8 OR array_position(p_words, NULL) IS NOT NULL THEN RETURN; END IF;
        n := (SELECT count(DISTINCT search_text(w)) FROM unnest(p_words) w);
        -- Each query word: the words like it (the trigram index over the distinct words). The people of
        -- the one with the fewest (counted up to 5,000) are the candidates; each other query word keeps
        -- those with one of its words (a b-tree probe each). Intersecting whole lists instead (INTERSECT,
        -- GROUP BY) read and hashed or sorted every person of every word: 3 and 12 times slower for two words
        -- at 240,000 people.
        FOR query_word IN
          SELECT sim.words FROM (
            SELECT array_agg(nw.word) AS words
            FROM (SELECT DISTINCT search_text(w) AS w FROM unnest(p_words) w) q JOIN subject_name_words nw ON q.w <% nw.word
            GROUP BY q.w
          ) sim
          ORDER BY (SELECT count(*) FROM (SELECT FROM subject_name_word_subjects x WHERE x.word = ANY (sim.words) LIMIT 5000) x)
        LOOP
          answered := answered + 1;
          IF answered = 1 THEN
            ids := ARRAY(SELECT DISTINCT ws.subject_id FROM subject_name_word_subjects ws WHERE ws.word = ANY (query_word.words));
          ELSE
            ids := ARRAY(SELECT c.subject_id FROM unnest(ids) c (subject_id) WHERE EXISTS (
              SELECT FROM subject_name_word_subjects ws WHERE ws.word = ANY (query_word.words) AND ws.subject_id = c.subject_id));
          END IF;
        END LOOP;
        IF answered < n THEN RETURN; END IF; -- a query word like no word of any name
        RETURN QUERY SELECT c.subject_id FROM unnest(ids) c (subject_id) WHERE EXISTS (SELECT 1 FROM detainers d WHERE d.subject_id = c.subject_id);
      END;
      $fn$;
      DROP INDEX IF EXISTS subject_names_trgm_idx;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await loadTrigram(q);
    await q.query(`
      CREATE INDEX IF NOT EXISTS subject_names_trgm_idx ON subject_names USING gin (name gin_trgm_ops);
      CREATE OR REPLACE FUNCTION search_subject_ids(p_words text[]) RETURNS SETOF uuid
      LANGUAGE plpgsql STABLE SECURITY DEFINER
      SET search_path = public, pg_temp
      SET pg_trgm.word_similarity_threshold = 0.4
      AS $fn$
      DECLARE
        condition text;
        n int := COALESCE(cardinality(p_words), 0);
      BEGIN
        IF n = 0 OR n > 8 THEN RETURN; END IF;
        IF n = 1 THEN
          RETURN QUERY SELECT s.subject_id FROM subject_names s WHERE search_text(p_words[1]) <% s.name
            AND EXISTS (SELECT 1 FROM detainers d WHERE d.subject_id = s.subject_id);
        ELSIF n = 2 THEN
          RETURN QUERY SELECT s.subject_id FROM subject_names s WHERE search_text(p_words[1]) <% s.name AND search_text(p_words[2]) <% s.name
            AND EXISTS (SELECT 1 FROM detainers d WHERE d.subject_id = s.subject_id);
        ELSIF n = 3 THEN
          RETURN QUERY SELECT s.subject_id FROM subject_names s
            WHERE search_text(p_words[1]) <% s.name AND search_text(p_words[2]) <% s.name AND search_text(p_words[3]) <% s.name
            AND EXISTS (SELECT 1 FROM detainers d WHERE d.subject_id = s.subject_id);
        ELSE
          SELECT string_agg(format('search_text($1[%s]) <%% n.name', i), ' AND ') INTO condition FROM generate_subscripts(p_words, 1) i;
          RETURN QUERY EXECUTE format(
            'SELECT n.subject_id FROM subject_names n WHERE %s AND EXISTS (SELECT 1 FROM detainers d WHERE d.subject_id = n.subject_id)',
            condition)
          USING p_words;
        END IF;
      END;
      $fn$;
      CREATE OR REPLACE FUNCTION subject_names_keep() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        IF NEW.family_name IS NULL OR NEW.given_name IS NULL THEN RETURN NULL; END IF;
        INSERT INTO subject_names (subject_id, name) VALUES (NEW.id, search_text(NEW.family_name || ' ' || NEW.given_name))
        ON CONFLICT (subject_id) DO UPDATE SET name = EXCLUDED.name;
        RETURN NULL;
      END;
      $$;
      DROP TABLE IF EXISTS subject_name_word_subjects;
      DROP TABLE IF EXISTS subject_name_words;
      DROP FUNCTION IF EXISTS search_words(text, text);
    `);
  }

  /** Like `subject_names`: no grant to the application role (the default privileges give it one). */
  private async grants(q: QueryRunner, tables: string[]): Promise<void> {
    await q.query(`
      DO $$
      DECLARE
        app name := NULLIF(current_setting('app.application_role', true), '');
      BEGIN
        IF app IS NOT NULL AND app <> current_user THEN
          ${tables.map((t) => `EXECUTE format('REVOKE ALL ON ${t} FROM %I', app);`).join('\n          ')}
        END IF;
      END;
      $$;
    `);
  }
}
