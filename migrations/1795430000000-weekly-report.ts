import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The weekly report: projection columns the counting rules need (who reported each fact, retracted
 * declines, exclusions), record disputes, the roll-up (weeks to re-roll, contributions, figures,
 * reconciliation) and published versions, which the database itself keeps from ever changing.
 */
export class WeeklyReport1795430000000 implements MigrationInterface {
  name = 'WeeklyReport1795430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE lodgings
        ADD COLUMN refused_source text CHECK (refused_source IN ('lea_reported', 'ice_observed', 'system')),
        ADD COLUMN release_source text CHECK (release_source IN ('lea_reported', 'ice_observed', 'system')),
        ADD COLUMN honored_source text CHECK (honored_source IN ('lea_reported', 'ice_observed', 'system')),
        ADD COLUMN decline_source text CHECK (decline_source IN ('lea_reported', 'ice_observed', 'system')),
        ADD COLUMN decline_retracted_at timestamptz,
        ADD COLUMN retracted_decline_recorded_at timestamptz,
        ADD COLUMN retracted_decline_kind text CHECK (retracted_decline_kind IN ('refused', 'no_notice', 'hold_refused')),
        ADD COLUMN retraction_dispute_id uuid;
      ALTER TABLE detainers
        ADD COLUMN excluded_at timestamptz,
        ADD COLUMN exclusion_dispute_id uuid,
        ADD COLUMN exclusion_note text;

      -- Who reported the facts already recorded (the projection can be rebuilt from events).
      UPDATE lodgings l SET refused_source = e.source FROM detainer_events e
        WHERE e.detainer_id = l.detainer_id AND e.lodging_seq = l.seq AND e.kind = 'refused';
      UPDATE lodgings l SET honored_source = e.source FROM detainer_events e
        WHERE e.detainer_id = l.detainer_id AND e.lodging_seq = l.seq AND e.kind = 'transferred_to_ice';
      UPDATE lodgings l SET release_source = CASE WHEN e.kind = 'released' THEN e.source ELSE e.payload->>'source' END FROM detainer_events e
        WHERE e.detainer_id = l.detainer_id AND e.lodging_seq = l.seq AND e.recorded_at = l.release_recorded_at
          AND (e.kind = 'released' OR (e.kind = 'decline_recorded' AND e.occurred_at = l.released_at));
      UPDATE lodgings l SET decline_source = CASE
          WHEN l.refused_recorded_at = l.decline_recorded_at THEN l.refused_source
          WHEN l.release_recorded_at = l.decline_recorded_at THEN l.release_source
          ELSE (SELECT r->>'source' FROM jsonb_array_elements(l.decline_reports) r
                WHERE (r->>'recordedAt')::timestamptz = l.decline_recorded_at LIMIT 1) END
        WHERE l.declined;

      CREATE INDEX lodgings_honored_idx ON lodgings (honored_at) WHERE honored_at IS NOT NULL;
      CREATE INDEX lodgings_missed_pickup_idx ON lodgings (released_at) WHERE missed_pickup;
      CREATE INDEX lodgings_short_notice_idx ON lodgings (release_scheduled_recorded_at) WHERE short_notice;
      CREATE INDEX lodgings_retracted_decline_idx ON lodgings (retracted_decline_recorded_at) WHERE retracted_decline_recorded_at IS NOT NULL;

      -- Disputes an agency raised about a record: a projection of the record_disputed / resolved events.
      CREATE TABLE record_disputes (
        id uuid PRIMARY KEY,
        detainer_id uuid NOT NULL REFERENCES detainers (id),
        lodging_seq integer NOT NULL,
        agency_id uuid NOT NULL REFERENCES agencies (id),
        reason text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'upheld', 'rejected')),
        opened_at timestamptz NOT NULL,
        opened_by uuid,
        resolved_at timestamptz,
        resolved_by uuid,
        note text,
        correction text CHECK (correction IN ('retract_decline', 'exclude_record')),
        FOREIGN KEY (detainer_id, lodging_seq) REFERENCES lodgings (detainer_id, seq),
        CHECK ((status = 'open') = (resolved_at IS NULL)),
        CHECK (correction IS NULL OR status = 'upheld')
      );
      CREATE INDEX record_disputes_detainer_idx ON record_disputes (detainer_id, lodging_seq);
      CREATE INDEX record_disputes_open_idx ON record_disputes (opened_at) WHERE status = 'open';
      CREATE INDEX record_disputes_agency_idx ON record_disputes (agency_id, opened_at);

      -- One row per report week; dirty_seq > rolled_seq means a change touched it since its last roll-up.
      CREATE TABLE report_weeks (
        week_start date PRIMARY KEY,
        week_end date NOT NULL,
        start_at timestamptz NOT NULL,
        end_at timestamptz NOT NULL,
        time_zone text NOT NULL,
        dirty_seq bigint NOT NULL DEFAULT 1,
        rolled_seq bigint NOT NULL DEFAULT 0,
        last_marked_at timestamptz,
        rolled_at timestamptz,
        roll_count integer NOT NULL DEFAULT 0,
        CHECK (end_at > start_at),
        CHECK (rolled_seq <= dirty_seq)
      );
      CREATE INDEX report_weeks_dirty_idx ON report_weeks (end_at) WHERE dirty_seq > rolled_seq;

      -- What each record adds to a week's figures: the drill-down from any count to its detainers.
      CREATE TABLE report_contributions (
        week_start date NOT NULL REFERENCES report_weeks (week_start),
        measure text NOT NULL CHECK (measure IN ('issued', 'declined', 'honored', 'missed_pickup', 'short_notice', 'excluded', 'decline_retracted')),
        detainer_id uuid NOT NULL,
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
        PRIMARY KEY (week_start, measure, detainer_id, lodging_seq)
      );
      CREATE INDEX report_contributions_jurisdiction_idx ON report_contributions (week_start, jurisdiction_id, measure);

      CREATE TABLE report_figures (
        week_start date NOT NULL REFERENCES report_weeks (week_start),
        jurisdiction_id uuid NOT NULL REFERENCES jurisdictions (id),
        issued integer NOT NULL,
        declined integer NOT NULL,
        declined_refused integer NOT NULL,
        declined_no_notice integer NOT NULL,
        declined_hold_refused integer NOT NULL,
        declined_under_week integer NOT NULL,
        declined_under_month integer NOT NULL,
        declined_under_year integer NOT NULL,
        declined_year_or_more integer NOT NULL,
        declined_lea_reported integer NOT NULL,
        declined_ice_observed integer NOT NULL,
        declined_system integer NOT NULL,
        declined_unknown integer NOT NULL,
        honored integer NOT NULL,
        honored_lea_reported integer NOT NULL,
        honored_ice_observed integer NOT NULL,
        honored_system integer NOT NULL,
        honored_unknown integer NOT NULL,
        missed_pickups integer NOT NULL,
        short_notices integer NOT NULL,
        excluded integer NOT NULL,
        excluded_issued_in_error integer NOT NULL,
        excluded_wrong_subject integer NOT NULL,
        excluded_us_citizen integer NOT NULL,
        excluded_misdirected integer NOT NULL,
        excluded_by_dispute integer NOT NULL,
        declines_retracted integer NOT NULL,
        unacknowledged integer NOT NULL,
        disputed integer NOT NULL,
        PRIMARY KEY (week_start, jurisdiction_id),
        CHECK (declined = declined_refused + declined_no_notice + declined_hold_refused),
        CHECK (declined = declined_under_week + declined_under_month + declined_under_year + declined_year_or_more)
      );

      CREATE TABLE report_reconciliation (
        week_start date NOT NULL REFERENCES report_weeks (week_start),
        agency_id uuid NOT NULL REFERENCES agencies (id),
        jurisdiction_id uuid NOT NULL REFERENCES jurisdictions (id),
        issued integer NOT NULL,
        acknowledged integer NOT NULL,
        PRIMARY KEY (week_start, agency_id),
        CHECK (acknowledged <= issued)
      );

      -- A supervisor confirms an agency's unacknowledged surplus for exactly the figures they saw.
      CREATE TABLE report_reconciliation_confirmations (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        week_start date NOT NULL,
        agency_id uuid NOT NULL REFERENCES agencies (id),
        issued integer NOT NULL,
        acknowledged integer NOT NULL,
        confirmed_by uuid NOT NULL REFERENCES users (id),
        confirmed_at timestamptz NOT NULL,
        note text NOT NULL
      );
      CREATE INDEX report_reconciliation_confirmations_idx ON report_reconciliation_confirmations (week_start, agency_id, id DESC);

      CREATE TABLE report_versions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        week_start date NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        published_at timestamptz NOT NULL,
        published_by uuid REFERENCES users (id),
        published_by_kind text NOT NULL CHECK (published_by_kind IN ('user', 'system')),
        report jsonb NOT NULL,
        content_hash text NOT NULL,
        CONSTRAINT report_versions_week_version_key UNIQUE (week_start, version)
      );

      CREATE TABLE report_version_contributions (
        version_id bigint NOT NULL REFERENCES report_versions (id),
        measure text NOT NULL,
        detainer_id uuid NOT NULL,
        lodging_seq integer NOT NULL,
        case_ref text NOT NULL,
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
        PRIMARY KEY (version_id, measure, detainer_id, lodging_seq)
      );

      CREATE TABLE report_version_changes (
        version_id bigint PRIMARY KEY REFERENCES report_versions (id),
        previous_version integer,
        changes jsonb NOT NULL
      );

      CREATE TRIGGER report_versions_append_only BEFORE UPDATE OR DELETE ON report_versions
        FOR EACH ROW EXECUTE FUNCTION reject_change_to_append_only();
      CREATE TRIGGER report_versions_no_truncate BEFORE TRUNCATE ON report_versions
        FOR EACH STATEMENT EXECUTE FUNCTION reject_change_to_append_only();
      CREATE TRIGGER report_version_contributions_append_only BEFORE UPDATE OR DELETE ON report_version_contributions
        FOR EACH ROW EXECUTE FUNCTION reject_change_to_append_only();
      CREATE TRIGGER report_version_contributions_no_truncate BEFORE TRUNCATE ON report_version_contributions
        FOR EACH STATEMENT EXECUTE FUNCTION reject_change_to_append_only();
      CREATE TRIGGER report_version_changes_append_only BEFORE UPDATE OR DELETE ON report_version_changes
        FOR EACH ROW EXECUTE FUNCTION reject_change_to_append_only();
      CREATE TRIGGER report_version_changes_no_truncate BEFORE TRUNCATE ON report_version_changes
        FOR EACH STATEMENT EXECUTE FUNCTION reject_change_to_append_only();
      CREATE TRIGGER report_reconciliation_confirmations_append_only BEFORE UPDATE OR DELETE ON report_reconciliation_confirmations
        FOR EACH ROW EXECUTE FUNCTION reject_change_to_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE report_version_changes;
      DROP TABLE report_version_contributions;
      DROP TABLE report_versions;
      DROP TABLE report_reconciliation_confirmations;
      DROP TABLE report_reconciliation;
      DROP TABLE report_figures;
      DROP TABLE report_contributions;
      DROP TABLE report_weeks;
      DROP TABLE record_disputes;
      DROP INDEX lodgings_retracted_decline_idx;
      DROP INDEX lodgings_short_notice_idx;
      DROP INDEX lodgings_missed_pickup_idx;
      DROP INDEX lodgings_honored_idx;
      ALTER TABLE detainers DROP COLUMN exclusion_note, DROP COLUMN exclusion_dispute_id, DROP COLUMN excluded_at;
      ALTER TABLE lodgings
        DROP COLUMN retraction_dispute_id, DROP COLUMN retracted_decline_kind, DROP COLUMN retracted_decline_recorded_at,
        DROP COLUMN decline_retracted_at, DROP COLUMN decline_source, DROP COLUMN honored_source, DROP COLUMN release_source,
        DROP COLUMN refused_source;
    `);
  }
}
