import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `search_subject_ids` built its query as text (one `<%` per word) and ran it with EXECUTE, which
 * PL/pgSQL plans on every call, the detainers policy of its EXISTS included. For one to three words
 * (what people type) it now runs static queries, whose plans PL/pgSQL keeps per connection; more
 * words keep the dynamic form. Same answers, same signature and grants.
 */
/**
 * A function's `SET pg_trgm.…` needs pg_trgm's library loaded in this session: before that the setting
 * is an unknown placeholder, which only a superuser may set (a migration run as the owner role that
 * has not yet called a pg_trgm function in the session was refused).
 */
async function loadTrigram(q: QueryRunner): Promise<void> {
  await q.query(`SELECT word_similarity('a', 'a')`);
}

export class SearchSubjectIdsPlannedOnce1795681100000 implements MigrationInterface {
  name = 'SearchSubjectIdsPlannedOnce1795681100000';

  async up(q: QueryRunner): Promise<void> {
    await loadTrigram(q);
    await q.query(`
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
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await loadTrigram(q);
    await q.query(`
      CREATE OR REPLACE FUNCTION search_subject_ids(p_words text[]) RETURNS SETOF uuid
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
  }
}
