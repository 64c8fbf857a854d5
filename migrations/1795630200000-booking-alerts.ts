import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A booking by one agency of a person on an open request lodged with another, as the issuing AOR's
 * supervisors' queue sees it: one row per request and custody event, for the lodging that was open.
 * Append-only (the queue item leaves when that lodging closes; nothing is edited). Only the issuing
 * AOR (and the country) reads it; only the system's scope, which raises the alert, writes it: the
 * booking agency never sees a row.
 */
export class BookingAlerts1795630200000 implements MigrationInterface {
  name = 'BookingAlerts1795630200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE booking_alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        custody_event_id uuid NOT NULL REFERENCES custody_events (id),
        detainer_id uuid NOT NULL REFERENCES detainers (id),
        lodging_seq integer NOT NULL,
        area_id uuid NOT NULL REFERENCES areas (id),
        booked_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        UNIQUE (custody_event_id, detainer_id)
      );
      CREATE INDEX booking_alerts_area ON booking_alerts (area_id, detainer_id, lodging_seq);
      CREATE INDEX booking_alerts_detainer ON booking_alerts (detainer_id, lodging_seq);

      ALTER TABLE booking_alerts ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
      CREATE POLICY booking_alerts_read ON booking_alerts FOR SELECT USING (
        (SELECT app_scope()) IN ('system', 'all') OR ((SELECT app_scope()) = 'area' AND area_id = (SELECT app_area_id())));
      CREATE POLICY booking_alerts_insert ON booking_alerts FOR INSERT WITH CHECK ((SELECT app_scope()) = 'system');

      DO $$
      DECLARE
        app name := NULLIF(current_setting('app.application_role', true), '');
      BEGIN
        IF app IS NOT NULL AND app <> current_user THEN
          EXECUTE format('GRANT SELECT, INSERT ON booking_alerts TO %I', app);
          EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON booking_alerts FROM %I', app);
        END IF;
      END;
      $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE booking_alerts`);
  }
}
