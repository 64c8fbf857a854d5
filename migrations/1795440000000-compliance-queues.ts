import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Compliance queues. Membership is never stored: each queue is a predicate over the projection
 * (`lodgings`, `detainers`) evaluated as of `now`. What this adds is what makes one page of a queue
 * cheap at national scale:
 *
 * - A supervisor's queue holds the items issued by their AOR *or* held at a facility in it. To serve
 *   both sides from ordered index scans (merged, then limited) each row needs the other side's AOR:
 *   `lodgings.issuing_area_id` (the detainer's AOR: immutable) and `detainers.current_area_id` (the
 *   AOR of the current facility: a function of `facility_id`). Triggers keep both; they cannot be set
 *   to anything else, so they cannot drift from the facts they copy.
 * - Per queue, partial indexes on exactly the rows in (or heading for) the queue, keyed by due time:
 *   one per AOR side and one national (for admins). Rows enter and leave them as their status changes.
 * - `queue_claims`: who holds which item, a projection of the claim events in `detainer_events`.
 */
export class ComplianceQueues1795440000000 implements MigrationInterface {
  name = 'ComplianceQueues1795440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE lodgings ADD COLUMN issuing_area_id uuid;
      UPDATE lodgings l SET issuing_area_id = d.area_id FROM detainers d WHERE d.id = l.detainer_id;
      ALTER TABLE lodgings ALTER COLUMN issuing_area_id SET NOT NULL;

      CREATE FUNCTION lodgings_copy_issuing_area() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.issuing_area_id := (SELECT d.area_id FROM detainers d WHERE d.id = NEW.detainer_id);
        RETURN NEW;
      END;
      $$;
      CREATE TRIGGER lodgings_issuing_area
        BEFORE INSERT OR UPDATE OF detainer_id, issuing_area_id ON lodgings
        FOR EACH ROW EXECUTE FUNCTION lodgings_copy_issuing_area();
      -- derived data, not a check: it must also run for bulk loads in replica mode (session_replication_role)
      ALTER TABLE lodgings ENABLE ALWAYS TRIGGER lodgings_issuing_area;

      ALTER TABLE detainers ADD COLUMN current_area_id uuid;
      UPDATE detainers d SET current_area_id = f.area_id FROM facilities f WHERE f.id = d.facility_id;
      ALTER TABLE detainers ALTER COLUMN current_area_id SET NOT NULL;

      CREATE FUNCTION detainers_copy_current_area() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.current_area_id := (SELECT f.area_id FROM facilities f WHERE f.id = NEW.facility_id);
        RETURN NEW;
      END;
      $$;
      CREATE TRIGGER detainers_current_area
        BEFORE INSERT OR UPDATE OF facility_id, current_area_id ON detainers
        FOR EACH ROW EXECUTE FUNCTION detainers_copy_current_area();
      ALTER TABLE detainers ENABLE ALWAYS TRIGGER detainers_current_area;

      -- unacknowledged: the current lodging is still 'issued'; due 24 h after it opened.
      -- (Only the current lodging can be open: earlier ones are all 'transferred'.)
      CREATE INDEX lodgings_q_unack_area_idx ON lodgings (area_id, opened_at, detainer_id) WHERE status = 'issued';
      CREATE INDEX lodgings_q_unack_issuing_idx ON lodgings (issuing_area_id, opened_at, detainer_id)
        WHERE status = 'issued' AND issuing_area_id <> area_id;
      CREATE INDEX lodgings_q_unack_all_idx ON lodgings (opened_at, detainer_id) WHERE status = 'issued';

      -- release_soon_no_pickup: a scheduled release and no pickup planned; due at the release.
      CREATE INDEX lodgings_q_release_area_idx ON lodgings (area_id, release_at, detainer_id)
        WHERE status = 'release_scheduled' AND pickup_planned_at IS NULL;
      CREATE INDEX lodgings_q_release_issuing_idx ON lodgings (issuing_area_id, release_at, detainer_id)
        WHERE status = 'release_scheduled' AND pickup_planned_at IS NULL AND issuing_area_id <> area_id;
      CREATE INDEX lodgings_q_release_all_idx ON lodgings (release_at, detainer_id)
        WHERE status = 'release_scheduled' AND pickup_planned_at IS NULL;

      -- hold_expiring: held; due at the hold deadline.
      CREATE INDEX lodgings_q_hold_area_idx ON lodgings (area_id, hold_expires_at, detainer_id) WHERE status = 'held';
      CREATE INDEX lodgings_q_hold_issuing_idx ON lodgings (issuing_area_id, hold_expires_at, detainer_id)
        WHERE status = 'held' AND issuing_area_id <> area_id;
      CREATE INDEX lodgings_q_hold_all_idx ON lodgings (hold_expires_at, detainer_id) WHERE status = 'held';

      -- short_notice: a pending release notified under 48 h ahead, no pickup planned; due at the release.
      CREATE INDEX lodgings_q_short_area_idx ON lodgings (area_id, release_at, detainer_id)
        WHERE status = 'release_scheduled' AND pickup_planned_at IS NULL AND short_notice;
      CREATE INDEX lodgings_q_short_issuing_idx ON lodgings (issuing_area_id, release_at, detainer_id)
        WHERE status = 'release_scheduled' AND pickup_planned_at IS NULL AND short_notice AND issuing_area_id <> area_id;
      CREATE INDEX lodgings_q_short_all_idx ON lodgings (release_at, detainer_id)
        WHERE status = 'release_scheduled' AND pickup_planned_at IS NULL AND short_notice;

      -- decline_no_outcome: declined, custody ended, no outcome; due since the decline was recorded.
      CREATE INDEX detainers_q_decline_area_idx ON detainers (area_id, decline_recorded_at, id)
        WHERE declined AND outcome_kind IS NULL AND status IN ('released', 'honored') AND decline_recorded_at IS NOT NULL;
      CREATE INDEX detainers_q_decline_current_idx ON detainers (current_area_id, decline_recorded_at, id)
        WHERE declined AND outcome_kind IS NULL AND status IN ('released', 'honored') AND decline_recorded_at IS NOT NULL
          AND current_area_id <> area_id;
      CREATE INDEX detainers_q_decline_all_idx ON detainers (decline_recorded_at, id)
        WHERE declined AND outcome_kind IS NULL AND status IN ('released', 'honored') AND decline_recorded_at IS NOT NULL;

      -- disputes: citizenship and identity claims (disputed lodgings) and open record disputes
      -- (record_disputes_open_idx) are few and decided at once, so the queue is computed whole; the
      -- due time of a claim (when it was made) comes from the claim event.
      CREATE INDEX lodgings_q_disputed_idx ON lodgings (detainer_id) WHERE status = 'disputed';
      CREATE INDEX detainer_events_identity_claims_idx ON detainer_events (detainer_id, seq)
        WHERE kind IN ('citizenship_claimed', 'identity_disputed');

      CREATE TABLE queue_claims (
        detainer_id uuid NOT NULL REFERENCES detainers (id),
        queue text NOT NULL CHECK (queue IN ('unacknowledged', 'release_soon_no_pickup', 'hold_expiring', 'short_notice',
          'decline_no_outcome', 'disputes', 'failed_deliveries')),
        lodging_seq integer NOT NULL,
        holder_id uuid NOT NULL REFERENCES users (id),
        claimed_at timestamptz NOT NULL,
        claimed_by uuid REFERENCES users (id),
        PRIMARY KEY (detainer_id, queue),
        FOREIGN KEY (detainer_id, lodging_seq) REFERENCES lodgings (detainer_id, seq)
      );
      CREATE INDEX queue_claims_holder_idx ON queue_claims (holder_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE queue_claims;
      DROP INDEX detainer_events_identity_claims_idx;
      DROP INDEX lodgings_q_disputed_idx;
      DROP INDEX detainers_q_decline_all_idx;
      DROP INDEX detainers_q_decline_current_idx;
      DROP INDEX detainers_q_decline_area_idx;
      DROP INDEX lodgings_q_short_all_idx;
      DROP INDEX lodgings_q_short_issuing_idx;
      DROP INDEX lodgings_q_short_area_idx;
      DROP INDEX lodgings_q_hold_all_idx;
      DROP INDEX lodgings_q_hold_issuing_idx;
      DROP INDEX lodgings_q_hold_area_idx;
      DROP INDEX lodgings_q_release_all_idx;
      DROP INDEX lodgings_q_release_issuing_idx;
      DROP INDEX lodgings_q_release_area_idx;
      DROP INDEX lodgings_q_unack_all_idx;
      DROP INDEX lodgings_q_unack_issuing_idx;
      DROP INDEX lodgings_q_unack_area_idx;
      DROP TRIGGER detainers_current_area ON detainers;
      DROP FUNCTION detainers_copy_current_area();
      ALTER TABLE detainers DROP COLUMN current_area_id;
      DROP TRIGGER lodgings_issuing_area ON lodgings;
      DROP FUNCTION lodgings_copy_issuing_area();
      ALTER TABLE lodgings DROP COLUMN issuing_area_id;
    `);
  }
}
