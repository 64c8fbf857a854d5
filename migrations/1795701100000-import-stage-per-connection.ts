import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An import batch's staging rows live in a temporary table of its connection, emptied when the batch
 * ends, instead of a shared table they were deleted from.
 *
 * Deleted rows stay behind until a vacuum, and every batch of a run looked its rows up by the run's
 * id: each batch read the dead rows and index entries of every batch before it, so a 1,000,000-row
 * import slowed as it went (on a server whose autovacuum was off, to a third of its first speed by
 * 645,000 rows). The staging rows are never read outside their batch's transaction, so nothing needs
 * them in a shared table; the temporary table needs no policy (no other connection sees it).
 */
export class ImportStagePerConnection1795701100000 implements MigrationInterface {
  name = 'ImportStagePerConnection1795701100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE import_stage_records`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE import_stage_records (
        run_id uuid NOT NULL,
        row_number bigint NOT NULL,
        row_key text NOT NULL,
        detainer_id uuid NOT NULL,
        facts_hash text NOT NULL,
        undated_decline boolean NOT NULL
      );
      CREATE INDEX import_stage_records_run_idx ON import_stage_records (run_id, row_key);
      ALTER TABLE import_stage_records ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
      CREATE POLICY import_stage_records_system ON import_stage_records USING (app_scope() = 'system') WITH CHECK (app_scope() = 'system');
      DO $$
      DECLARE
        app name := NULLIF(current_setting('app.application_role', true), '');
      BEGIN
        IF app IS NOT NULL AND app <> current_user THEN
          EXECUTE format('GRANT SELECT, INSERT, DELETE ON import_stage_records TO %I', app);
        END IF;
      END;
      $$;
    `);
  }
}
