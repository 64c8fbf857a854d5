import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Importing the federal release of detainer records (ICE's FOIA releases).
 *
 * - `import_runs`: one per run of `npm run import -- ice-release`: the file (name, sha256), the
 *   crosswalk's sha256, its counts, and `rows_done`, the checkpoint a killed run resumes from (it moves
 *   in the same transaction as the batch it counts).
 * - `import_quarantine`: the rows a run did not import, each with its reason and the row as read.
 * - `imported_records`: the release row each imported detainer stands for (its key: person, prepare
 *   date, facility code) and a hash of what the row said, so the same file again changes nothing and a
 *   corrected row appends a correction. `file_run_id`: the run whose file the record now comes from.
 * - `release_facility_codes`: DETLOC codes the crosswalk placed by state, county FIPS, ORI and name,
 *   and the facility created for each (never matched by name).
 * - `import_stage_*`: unlogged staging tables each batch is COPied into before the set-based inserts.
 * - Subjects from the release carry its anonymised `unique_id` and a birth year, and no name.
 *
 * Runs, quarantine and records are read nationally (the reporting scope, admins) and written only by
 * the system scope (the CLI).
 */
export class IceReleaseImport1795672000000 implements MigrationInterface {
  name = 'IceReleaseImport1795672000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE subjects
        ADD COLUMN release_unique_id text CONSTRAINT subjects_release_unique_id_key UNIQUE,
        ADD COLUMN birth_year smallint CHECK (birth_year BETWEEN 1880 AND 2100),
        ALTER COLUMN family_name DROP NOT NULL,
        ALTER COLUMN given_name DROP NOT NULL,
        ALTER COLUMN date_of_birth DROP NOT NULL,
        ADD CONSTRAINT subjects_identity_known
          CHECK (release_unique_id IS NOT NULL OR (family_name IS NOT NULL AND given_name IS NOT NULL AND date_of_birth IS NOT NULL));

      -- a person known only by the release's unique_id has no name to search
      CREATE OR REPLACE FUNCTION subject_names_keep() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        IF NEW.family_name IS NULL OR NEW.given_name IS NULL THEN RETURN NULL; END IF;
        INSERT INTO subject_names (subject_id, name) VALUES (NEW.id, search_text(NEW.family_name || ' ' || NEW.given_name))
        ON CONFLICT (subject_id) DO UPDATE SET name = EXCLUDED.name;
        RETURN NULL;
      END;
      $$;

      CREATE TABLE import_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('ice_release')),
        file_name text NOT NULL,
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        crosswalk_sha256 text NOT NULL CHECK (crosswalk_sha256 ~ '^[0-9a-f]{64}$'),
        status text NOT NULL CHECK (status IN ('running', 'completed')),
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        rows_done bigint NOT NULL DEFAULT 0,
        imported bigint NOT NULL DEFAULT 0,
        corrected bigint NOT NULL DEFAULT 0,
        unchanged bigint NOT NULL DEFAULT 0,
        quarantined bigint NOT NULL DEFAULT 0,
        undated_declines bigint NOT NULL DEFAULT 0,
        undated_lifts bigint NOT NULL DEFAULT 0,
        CHECK ((status = 'completed') = (finished_at IS NOT NULL))
      );
      -- one unfinished run per file and crosswalk: the one a new start resumes
      CREATE UNIQUE INDEX import_runs_resumable_key ON import_runs (sha256, crosswalk_sha256) WHERE status = 'running';
      CREATE INDEX import_runs_started_idx ON import_runs (started_at DESC, id);

      CREATE TABLE import_quarantine (
        run_id uuid NOT NULL REFERENCES import_runs (id),
        row_number bigint NOT NULL,
        reason text NOT NULL CHECK (reason IN ('unmapped_facility', 'bad_date', 'unknown_form', 'form_not_valid_on_date', 'missing_unique_id', 'lift_before_prepare', 'duplicate_row', 'unknown_aor')),
        detail text NOT NULL,
        facility_code text,
        prepared_on date,
        row jsonb NOT NULL,
        PRIMARY KEY (run_id, row_number)
      );
      CREATE INDEX import_quarantine_prepared_idx ON import_quarantine (prepared_on);

      CREATE TABLE release_facility_codes (
        code text PRIMARY KEY,
        facility_id uuid NOT NULL REFERENCES facilities (id),
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE imported_records (
        row_key text PRIMARY KEY,
        detainer_id uuid NOT NULL CONSTRAINT imported_records_detainer_key UNIQUE REFERENCES detainers (id),
        facts_hash text NOT NULL,
        first_run_id uuid NOT NULL REFERENCES import_runs (id),
        file_run_id uuid NOT NULL REFERENCES import_runs (id),
        -- the run that last read the row: a duplicate within one file is the same key read twice by one run
        seen_run_id uuid NOT NULL REFERENCES import_runs (id),
        seen_row_number bigint NOT NULL,
        undated_decline boolean NOT NULL
      );
      CREATE INDEX imported_records_file_run_idx ON imported_records (file_run_id);

      CREATE UNLOGGED TABLE import_stage_records (
        run_id uuid NOT NULL,
        row_number bigint NOT NULL,
        row_key text NOT NULL,
        detainer_id uuid NOT NULL,
        facts_hash text NOT NULL,
        undated_decline boolean NOT NULL
      );
      CREATE INDEX import_stage_records_run_idx ON import_stage_records (run_id, row_key);
    `);
    await q.query(`
      ALTER TABLE import_runs ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
      CREATE POLICY import_runs_read ON import_runs FOR SELECT USING (app_scope() IN ('system', 'reporting', 'all'));
      CREATE POLICY import_runs_write ON import_runs FOR INSERT WITH CHECK (app_scope() = 'system');
      CREATE POLICY import_runs_update ON import_runs FOR UPDATE USING (app_scope() = 'system') WITH CHECK (app_scope() = 'system');

      ALTER TABLE import_quarantine ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
      CREATE POLICY import_quarantine_read ON import_quarantine FOR SELECT USING (app_scope() IN ('system', 'reporting', 'all'));
      CREATE POLICY import_quarantine_write ON import_quarantine FOR INSERT WITH CHECK (app_scope() = 'system');

      ALTER TABLE imported_records ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
      CREATE POLICY imported_records_read ON imported_records FOR SELECT USING (app_scope() IN ('system', 'reporting', 'all'));
      CREATE POLICY imported_records_write ON imported_records FOR INSERT WITH CHECK (app_scope() = 'system');
      CREATE POLICY imported_records_update ON imported_records FOR UPDATE USING (app_scope() = 'system') WITH CHECK (app_scope() = 'system');

      ALTER TABLE release_facility_codes ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
      CREATE POLICY release_facility_codes_read ON release_facility_codes FOR SELECT USING (app_scope() IN ('system', 'reporting', 'all'));
      CREATE POLICY release_facility_codes_write ON release_facility_codes FOR INSERT WITH CHECK (app_scope() = 'system');

      ALTER TABLE import_stage_records ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
      CREATE POLICY import_stage_records_system ON import_stage_records USING (app_scope() = 'system') WITH CHECK (app_scope() = 'system');

      CREATE TRIGGER import_quarantine_append_only BEFORE UPDATE OR DELETE ON import_quarantine
        FOR EACH ROW EXECUTE FUNCTION reject_change_to_append_only();
    `);
    await q.query(`
      DO $$
      DECLARE
        app name := NULLIF(current_setting('app.application_role', true), '');
      BEGIN
        IF app IS NOT NULL AND app <> current_user THEN
          EXECUTE format('GRANT SELECT, INSERT, UPDATE ON import_runs, imported_records TO %I', app);
          EXECUTE format('GRANT SELECT, INSERT ON import_quarantine, release_facility_codes TO %I', app);
          EXECUTE format('GRANT SELECT, INSERT, DELETE ON import_stage_records TO %I', app);
          EXECUTE format('REVOKE DELETE ON import_runs, imported_records FROM %I', app);
          EXECUTE format('REVOKE UPDATE, DELETE ON import_quarantine, release_facility_codes FROM %I', app);
          EXECUTE format('REVOKE UPDATE ON import_stage_records FROM %I', app);
        END IF;
      END;
      $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM subjects WHERE release_unique_id IS NOT NULL) THEN
          RAISE EXCEPTION 'imported subjects exist (their detainers are events and cannot be removed): this migration cannot be undone';
        END IF;
      END $$;
      DROP TABLE import_stage_records;
      DROP TABLE imported_records;
      DROP TABLE release_facility_codes;
      DROP TABLE import_quarantine;
      DROP TABLE import_runs;
      CREATE OR REPLACE FUNCTION subject_names_keep() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        INSERT INTO subject_names (subject_id, name) VALUES (NEW.id, search_text(NEW.family_name || ' ' || NEW.given_name))
        ON CONFLICT (subject_id) DO UPDATE SET name = EXCLUDED.name;
        RETURN NULL;
      END;
      $$;
      ALTER TABLE subjects DROP CONSTRAINT subjects_identity_known, DROP COLUMN birth_year, DROP COLUMN release_unique_id,
        ALTER COLUMN family_name SET NOT NULL, ALTER COLUMN given_name SET NOT NULL, ALTER COLUMN date_of_birth SET NOT NULL;
    `);
  }
}
