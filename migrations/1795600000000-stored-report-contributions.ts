import { MigrationInterface, QueryRunner } from 'typeorm';
import { backfillDetainerContributions } from '../libs/persistence/src/repositories/detainer-contribution.repository';

/**
 * What each detainer contributes to the weekly report, computed once by the domain when it changes
 * and stored with the change (`detainer_contributions`): the roll-up adds these up instead of
 * re-deriving them from the projection.
 *
 * Runs outside a single transaction so that the back-fill of existing detainers commits batch by
 * batch (with progress on the console): interrupted, it resumes with the detainers still missing.
 * The table and its policies are created idempotently for the same reason.
 */
export class StoredReportContributions1795600000000 implements MigrationInterface {
  name = 'StoredReportContributions1795600000000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS detainer_contributions (
        detainer_id uuid NOT NULL REFERENCES detainers (id),
        measure text NOT NULL CHECK (measure IN ('issued', 'declined', 'honored', 'missed_pickup', 'short_notice', 'excluded', 'decline_retracted')),
        lodging_seq integer NOT NULL,
        jurisdiction_id uuid NOT NULL,
        agency_id uuid NOT NULL,
        facility_id uuid NOT NULL,
        at timestamptz NOT NULL,
        decline_kind text,
        age_bucket text,
        exclusion text,
        source text,
        acknowledged boolean,
        disputed boolean NOT NULL,
        PRIMARY KEY (detainer_id, measure, lodging_seq)
      );
      -- the roll-up reads one week: every contribution whose instant falls in it
      CREATE INDEX IF NOT EXISTS detainer_contributions_at_idx ON detainer_contributions (at);

      ALTER TABLE detainer_contributions ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
      DROP POLICY IF EXISTS detainer_contributions_read ON detainer_contributions;
      DROP POLICY IF EXISTS detainer_contributions_insert ON detainer_contributions;
      DROP POLICY IF EXISTS detainer_contributions_update ON detainer_contributions;
      DROP POLICY IF EXISTS detainer_contributions_delete ON detainer_contributions;
      -- read by the roll-up (national, de-identified) and by the change that writes them
      CREATE POLICY detainer_contributions_read ON detainer_contributions FOR SELECT USING (
        (SELECT app_scope()) IN ('system', 'reporting', 'all') OR detainer_id = ANY ((SELECT app_detainer_ids())::uuid[]));
      CREATE POLICY detainer_contributions_insert ON detainer_contributions FOR INSERT WITH CHECK ((SELECT app_scope()) = 'system' OR detainer_id = ANY ((SELECT app_detainer_ids())::uuid[]));
      CREATE POLICY detainer_contributions_update ON detainer_contributions FOR UPDATE
        USING ((SELECT app_scope()) = 'system' OR detainer_id = ANY ((SELECT app_detainer_ids())::uuid[])) WITH CHECK ((SELECT app_scope()) = 'system' OR detainer_id = ANY ((SELECT app_detainer_ids())::uuid[]));
      CREATE POLICY detainer_contributions_delete ON detainer_contributions FOR DELETE USING ((SELECT app_scope()) = 'system' OR detainer_id = ANY ((SELECT app_detainer_ids())::uuid[]));
    `);
    const started = Date.now();
    const { done, total } = await backfillDetainerContributions((text, params) => q.query(text, params), {
      progress: ({ done, total }) => console.log(`detainer_contributions: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} detainers back-filled`),
    });
    if (total > 0) console.log(`detainer_contributions: back-filled ${done.toLocaleString('en-US')} detainers in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS detainer_contributions`);
  }
}
