import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finding a person: by name (any order, accents and case ignored, partial and misspelt) with
 * pg_trgm + unaccent, or exactly by A-number, FBI number, state ID or booking number.
 *
 * Row-level security evaluates its policies before any operator that is not leakproof, and FORCEd
 * policies bind the owner too, so a trigram operator (`<%`) on `subjects` could never use an index.
 * Names are therefore also kept, unaccented and lower-cased, in `subject_names`: a table without
 * row-level security that the application role may not read at all (no grant). Only
 * `search_subject_ids`, a SECURITY DEFINER function, reads it (with the trigram index), and it
 * returns only subjects with a detainer the caller's transaction may read (the detainers policies
 * apply inside it, from the caller's `app.*` settings). Exact identifiers need no such door: their
 * equality operators are leakproof, so their indexes work under the policies.
 */
export class DetainerSearch1795640000000 implements MigrationInterface {
  name = 'DetainerSearch1795640000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
      CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;

      -- unaccent() is only STABLE (its dictionary could change); with the dictionary named it may be declared IMMUTABLE.
      CREATE FUNCTION search_text(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

      ALTER TABLE subjects ADD COLUMN IF NOT EXISTS state_id text;
      CREATE INDEX subjects_state_id_idx ON subjects (state_id) WHERE state_id IS NOT NULL;
      CREATE INDEX lodgings_booking_number_idx ON lodgings (booking_number) WHERE booking_number IS NOT NULL;

      CREATE TABLE subject_names (
        subject_id uuid PRIMARY KEY REFERENCES subjects (id),
        name text NOT NULL
      );
      INSERT INTO subject_names (subject_id, name) SELECT id, search_text(family_name || ' ' || given_name) FROM subjects;
      CREATE INDEX subject_names_trgm_idx ON subject_names USING gin (name gin_trgm_ops);

      -- Kept by the owner's trigger whoever writes the subject (the application role cannot write the table itself).
      CREATE FUNCTION subject_names_keep() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        INSERT INTO subject_names (subject_id, name) VALUES (NEW.id, search_text(NEW.family_name || ' ' || NEW.given_name))
        ON CONFLICT (subject_id) DO UPDATE SET name = EXCLUDED.name;
        RETURN NULL;
      END;
      $$;
      CREATE TRIGGER subject_names_keep AFTER INSERT OR UPDATE OF family_name, given_name ON subjects
        FOR EACH ROW EXECUTE FUNCTION subject_names_keep();
      ALTER TABLE subjects ENABLE ALWAYS TRIGGER subject_names_keep;

      -- Subjects whose name has a word like each word given (word_similarity >= 0.4: partial and misspelt
      -- words match, in any order), and who have a detainer the caller may read.
      CREATE FUNCTION search_subject_ids(p_words text[]) RETURNS SETOF uuid
      LANGUAGE plpgsql STABLE SECURITY DEFINER
      SET search_path = public, pg_temp
      SET pg_trgm.word_similarity_threshold = 0.4
      AS $fn$
      DECLARE
        condition text;
      BEGIN
        IF p_words IS NULL OR cardinality(p_words) = 0 OR cardinality(p_words) > 8 THEN RETURN; END IF;
        SELECT string_agg(format('search_text($1[%s]) <%% n.name', i), ' AND ') INTO condition FROM generate_subscripts(p_words, 1) i;
        RETURN QUERY EXECUTE format(
          'SELECT n.subject_id FROM subject_names n WHERE %s AND EXISTS (SELECT 1 FROM detainers d WHERE d.subject_id = n.subject_id)',
          condition)
        USING p_words;
      END;
      $fn$;
    `);
    await q.query(`
      DO $$
      DECLARE
        app name := NULLIF(current_setting('app.application_role', true), '');
      BEGIN
        REVOKE ALL ON FUNCTION search_subject_ids(text[]) FROM PUBLIC;
        REVOKE ALL ON FUNCTION subject_names_keep() FROM PUBLIC;
        IF app IS NOT NULL AND app <> current_user THEN
          EXECUTE format('REVOKE ALL ON subject_names FROM %I', app);
          EXECUTE format('GRANT EXECUTE ON FUNCTION search_subject_ids(text[]) TO %I', app);
        END IF;
      END;
      $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION search_subject_ids(text[]);
      DROP TRIGGER subject_names_keep ON subjects;
      DROP FUNCTION subject_names_keep();
      DROP TABLE subject_names;
      DROP INDEX lodgings_booking_number_idx;
      DROP INDEX subjects_state_id_idx;
      ALTER TABLE subjects DROP COLUMN state_id;
      DROP FUNCTION search_text(text);
      DROP EXTENSION unaccent;
      DROP EXTENSION pg_trgm;
    `);
  }
}
