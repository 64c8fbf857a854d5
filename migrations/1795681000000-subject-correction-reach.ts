import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A correction of the person reaches every record on them. An A-number identifies one person, so the
 * subject row is shared by every detainer on them, in any AOR; correcting it on one detainer changes
 * what all of them show, and each of their timelines must show the change (domain.md, "Corrections
 * and identity"). The use case therefore appends an event to each of those detainers, and needs them
 * open for change whoever's records they are: `open_subject_detainers`, the door to them (like
 * `subjects_by_identifier`, not SECURITY DEFINER: it runs as the caller, under the policies).
 *
 * It answers only for a person the caller may already read (under the caller's own scope), locks the
 * person (so two corrections of one person take turns, and each takes the detainer locks after it),
 * then lists the person's detainers in the system scope and opens them (`app.detainer_ids`) for the
 * rest of the transaction. Call it only where the caller may correct the person.
 */
export class SubjectCorrectionReach1795681000000 implements MigrationInterface {
  name = 'SubjectCorrectionReach1795681000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION open_subject_detainers(p_subject_id uuid) RETURNS SETOF uuid
      LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
      DECLARE
        scope text := current_setting('app.scope', true);
        ids uuid[];
      BEGIN
        PERFORM 1 FROM subjects WHERE id = p_subject_id;
        IF NOT FOUND THEN RETURN; END IF;
        -- the system scope for these look-ups only (an error aborts the transaction, and the setting with it)
        PERFORM set_config('app.scope', 'system', true);
        PERFORM 1 FROM subjects WHERE id = p_subject_id FOR UPDATE;
        SELECT COALESCE(array_agg(id ORDER BY id), '{}') INTO ids FROM detainers WHERE subject_id = p_subject_id;
        PERFORM set_config('app.scope', COALESCE(scope, ''), true);
        PERFORM set_config('app.detainer_ids', concat_ws(',', NULLIF(current_setting('app.detainer_ids', true), ''), NULLIF(array_to_string(ids, ','), '')), true);
        RETURN QUERY SELECT unnest(ids);
      END;
      $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION open_subject_detainers(uuid)');
  }
}
