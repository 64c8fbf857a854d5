import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Custody events from jail management systems: every event received, kept with what became of it
 * (append-only: the application role may not update or delete one). `(agency_id, event_id)` is
 * unique, which is what makes a resent event a duplicate even when two batches race. Row-level
 * security as on lodgings: an agency sees only the events it sent.
 */
export class CustodyEvents1795630000000 implements MigrationInterface {
  name = 'CustodyEvents1795630000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE custody_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies (id),
        event_id text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 100),
        kind text NOT NULL CHECK (kind IN ('booked', 'release_scheduled', 'released', 'transferred', 'released_to_ice')),
        booking_number text NOT NULL,
        event jsonb NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('applied', 'no_open_detainer', 'rejected')),
        detainer_id uuid REFERENCES detainers (id),
        error jsonb,
        sender_kind text NOT NULL CHECK (sender_kind IN ('user', 'api_key')),
        sender_id uuid NOT NULL,
        request_id text,
        received_at timestamptz NOT NULL,
        CONSTRAINT custody_events_agency_event_key UNIQUE (agency_id, event_id),
        CHECK ((outcome = 'applied') = (detainer_id IS NOT NULL)),
        CHECK ((outcome = 'rejected') = (error IS NOT NULL))
      );
      -- matching an event to the open lodging of its booking number at the sender's facilities
      CREATE INDEX lodgings_agency_booking_idx ON lodgings (agency_id, booking_number) WHERE booking_number IS NOT NULL;
      CREATE INDEX custody_events_detainer_idx ON custody_events (detainer_id) WHERE detainer_id IS NOT NULL;

      ALTER TABLE custody_events ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
      -- as the policies of 1795520300000: app_agency_id() is NULL outside the agency scope, read once per statement
      CREATE POLICY custody_events_read ON custody_events FOR SELECT USING (
        (SELECT app_scope()) IN ('system', 'all') OR agency_id = (SELECT app_agency_id()));
      CREATE POLICY custody_events_insert ON custody_events FOR INSERT WITH CHECK (
        (SELECT app_scope()) = 'system' OR agency_id = (SELECT app_agency_id()));
    `);
    await q.query(`
      DO $$
      DECLARE
        app name := NULLIF(current_setting('app.application_role', true), '');
      BEGIN
        IF app IS NOT NULL AND app <> current_user THEN
          EXECUTE format('GRANT SELECT, INSERT ON custody_events TO %I', app);
          EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON custody_events FROM %I', app);
        END IF;
      END;
      $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE custody_events; DROP INDEX lodgings_agency_booking_idx;`);
  }
}
