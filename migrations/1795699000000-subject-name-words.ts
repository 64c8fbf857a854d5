import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A name search finds the words of names like each query word first, then the people whose name has
 * one of those words for every query word.
 *
 * `search_subject_ids` compared each query word (`<%`) with every person's whole name through a
 * trigram index on `subject_names`: each trigram's posting list holds every person whose name has it
 * (`ia ` is in García, María, Lucía, Sofía...), so a two-word name read lists far longer than the
 * answer, growing with the number of people. People share few names: the distinct words of all names
 * are a small set (`subject_name_words`, one row a word, with the trigram index), and each person's
 * words are kept beside their name (`subject_names.words`) under an inverted (GIN) index, whose
 * posting list of a word holds exactly the people with that word. A query word finds the words like it
 * (word_similarity ≥ 0.4 as before: partial and misspelt words match), and a person is found when their
 * words overlap those of every query word (in any order): one index scan, the posting lists of the few
 * words ANDed. (A b-tree from word to person, intersected per query word, read and hashed every person
 * of every word: at 240,000 people it was three times slower than the whole-name index, this is 2.5
 * times faster.)
 *
 * A name's words are its unaccented, lower-cased text split at white space, commas and semicolons, as
 * `searchTermsOf` splits a query: a hyphenated or apostrophed name stays one word, whose trigrams
 * pg_trgm still takes word by word.
 *
 * Both are kept by the owner's trigger on `subjects` (as `subject_names` was), whoever writes the
 * person: lodging, correction, the bench generator (replica mode: the trigger is ALWAYS), the release
 * import. A word no person has any more (after a correction) stays in `subject_name_words`: it finds
 * nobody, and deleting it safely would race with a person being given it concurrently. The application
 * role reads neither (no grant): only `search_detainer_ids` (SECURITY DEFINER, in place of
 * `search_subject_ids`) does, and it returns only detainers the caller may read.
 *
 * Outside a single transaction: the back-fill commits batch by batch, with progress, and run again
 * after an interruption it goes on from where it was (every step is idempotent). The trigram index on
 * whole names is no longer read and is dropped (`down` builds it again).
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
      ALTER TABLE subject_names ADD COLUMN IF NOT EXISTS words text[];

      CREATE OR REPLACE FUNCTION subject_names_keep() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        name_words text[];
      BEGIN
        IF NEW.family_name IS NULL OR NEW.given_name IS NULL THEN RETURN NULL; END IF;
        IF TG_OP = 'UPDATE' AND OLD.family_name = NEW.family_name AND OLD.given_name = NEW.given_name THEN RETURN NULL; END IF;
        name_words := search_words(NEW.family_name, NEW.given_name);
        INSERT INTO subject_names (subject_id, name, words) VALUES (NEW.id, search_text(NEW.family_name || ' ' || NEW.given_name), name_words)
        ON CONFLICT (subject_id) DO UPDATE SET name = EXCLUDED.name, words = EXCLUDED.words;
        INSERT INTO subject_name_words (word) SELECT unnest(name_words) ON CONFLICT DO NOTHING;
        RETURN NULL;
      END;
      $$;
    `);
    await q.query(`
      DO $$
      DECLARE
        app name := NULLIF(current_setting('app.application_role', true), '');
      BEGIN
        IF app IS NOT NULL AND app <> current_user THEN
          EXECUTE format('REVOKE ALL ON subject_name_words FROM %I', app); -- like subject_names (the default privileges grant it)
        END IF;
      END;
      $$;
    `);

    const [{ total }] = (await q.query(`SELECT count(*)::int AS total FROM subject_names WHERE words IS NULL`)) as { total: number }[];
    const started = Date.now();
    let after = '00000000-0000-0000-0000-000000000000';
    let done = 0;
    for (;;) {
      const [row] = (await q.query(
        `WITH batch AS (
           SELECT sn.subject_id, search_words(s.family_name, s.given_name) AS words
           FROM subject_names sn JOIN subjects s ON s.id = sn.subject_id
           WHERE sn.subject_id > $1 AND sn.words IS NULL ORDER BY sn.subject_id LIMIT $2
         ), filled AS (
           UPDATE subject_names sn SET words = b.words FROM batch b WHERE sn.subject_id = b.subject_id AND sn.words IS NULL
         ), known AS (
           INSERT INTO subject_name_words (word) SELECT DISTINCT unnest(words) FROM batch ON CONFLICT DO NOTHING
         )
         SELECT (SELECT subject_id FROM batch ORDER BY subject_id DESC LIMIT 1) AS last, (SELECT count(*)::int FROM batch) AS n`,
        [after, BATCH],
      )) as { last: string | null; n: number }[];
      if (!row?.last) break;
      after = row.last;
      done += row.n;
      if (total > BATCH) console.log(`subject_names.words: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} names back-filled`);
    }
    if (total > 0) console.log(`subject_names.words: back-filled ${done.toLocaleString('en-US')} names in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    await q.query(`
      ALTER TABLE subject_names ALTER COLUMN words SET NOT NULL;
      CREATE INDEX IF NOT EXISTS subject_names_words_idx ON subject_names USING gin (words);
      ANALYZE subject_names;
      ANALYZE subject_name_words;

      -- The detainers the caller may read (FORCEd, the detainers policies bind the owner here too, from the
      -- caller's app.* settings) on a person whose words overlap the words like each query word.
      -- search_subject_ids answered people, whose detainers the caller then read again under the policies:
      -- twice the probes for a common name.
      CREATE OR REPLACE FUNCTION search_detainer_ids(p_words text[]) RETURNS SETOF uuid
      LANGUAGE plpgsql STABLE SECURITY DEFINER
      SET search_path = public, pg_temp
      SET pg_trgm.word_similarity_threshold = 0.4
      AS $fn$
      DECLARE
        n int := COALESCE(cardinality(p_words), 0);
        alike text[];
        w1 text[];
        w2 text[];
        w3 text[];
        lists jsonb := '[]';
        condition text;
      BEGIN
        IF n NOT BETWEEN 1 AND 8 OR array_position(p_words, NULL) IS NOT NULL THEN RETURN; END IF;
        FOR i IN 1..n LOOP
          alike := ARRAY(SELECT nw.word FROM subject_name_words nw WHERE search_text(p_words[i]) <% nw.word);
          IF alike = '{}' THEN RETURN; END IF; -- like no word of anyone's name
          CASE i WHEN 1 THEN w1 := alike; WHEN 2 THEN w2 := alike; WHEN 3 THEN w3 := alike; ELSE END CASE;
          lists := lists || jsonb_build_array(to_jsonb(alike));
        END LOOP;
        -- one to three words (what people type): static queries, whose plans PL/pgSQL keeps per connection
        IF n = 1 THEN
          RETURN QUERY SELECT d.id FROM subject_names s JOIN detainers d ON d.subject_id = s.subject_id WHERE s.words && w1;
        ELSIF n = 2 THEN
          RETURN QUERY SELECT d.id FROM subject_names s JOIN detainers d ON d.subject_id = s.subject_id WHERE s.words && w1 AND s.words && w2;
        ELSIF n = 3 THEN
          RETURN QUERY SELECT d.id FROM subject_names s JOIN detainers d ON d.subject_id = s.subject_id WHERE s.words && w1 AND s.words && w2 AND s.words && w3;
        ELSE
          SELECT string_agg(format('s.words && ARRAY(SELECT jsonb_array_elements_text($1 -> %s))', i - 1), ' AND ') INTO condition FROM generate_series(1, n) i;
          RETURN QUERY EXECUTE format(
            'SELECT d.id FROM subject_names s JOIN detainers d ON d.subject_id = s.subject_id WHERE %s',
            condition)
          USING lists;
        END IF;
      END;
      $fn$;
      DROP INDEX IF EXISTS subject_names_trgm_idx;
      DROP FUNCTION IF EXISTS search_subject_ids(text[]);
    `);
    await this.onlyForTheApplication(q, 'search_detainer_ids(text[])');
  }

  async down(q: QueryRunner): Promise<void> {
    await loadTrigram(q);
    await q.query(`
      CREATE INDEX IF NOT EXISTS subject_names_trgm_idx ON subject_names USING gin (name gin_trgm_ops);
      DROP FUNCTION IF EXISTS search_detainer_ids(text[]);
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
      DROP INDEX IF EXISTS subject_names_words_idx;
      ALTER TABLE subject_names DROP COLUMN IF EXISTS words;
      DROP TABLE IF EXISTS subject_name_words;
      DROP FUNCTION IF EXISTS search_words(text, text);
    `);
    await this.onlyForTheApplication(q, 'search_subject_ids(text[])');
  }

  /** EXECUTE for the application role alone (functions are executable by PUBLIC by default). */
  private async onlyForTheApplication(q: QueryRunner, fn: string): Promise<void> {
    await q.query(`
      DO $$
      DECLARE
        app name := NULLIF(current_setting('app.application_role', true), '');
      BEGIN
        REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC;
        IF app IS NOT NULL AND app <> current_user THEN
          EXECUTE format('GRANT EXECUTE ON FUNCTION ${fn} TO %I', app);
        END IF;
      END;
      $$;
    `);
  }
}
