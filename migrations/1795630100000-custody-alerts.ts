import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A custody event can put a notification in an inbox: a person booked by one agency while an open
 * request on them is lodged with another tells the issuing office. Such a notification comes from
 * the event, not from a reminder delivery: exactly one of the two sources is set.
 */
export class CustodyAlerts1795630100000 implements MigrationInterface {
  name = 'CustodyAlerts1795630100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notifications
        ALTER COLUMN delivery_id DROP NOT NULL,
        ALTER COLUMN reminder_id DROP NOT NULL,
        ADD COLUMN custody_event_id uuid REFERENCES custody_events (id),
        ADD CONSTRAINT notifications_one_source CHECK (
          (delivery_id IS NOT NULL AND reminder_id IS NOT NULL AND custody_event_id IS NULL)
          OR (delivery_id IS NULL AND reminder_id IS NULL AND custody_event_id IS NOT NULL));
      CREATE UNIQUE INDEX notifications_custody_alert_key ON notifications (custody_event_id, detainer_id, user_id) WHERE custody_event_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM notifications WHERE custody_event_id IS NOT NULL;
      DROP INDEX notifications_custody_alert_key;
      ALTER TABLE notifications DROP CONSTRAINT notifications_one_source, DROP COLUMN custody_event_id,
        ALTER COLUMN delivery_id SET NOT NULL, ALTER COLUMN reminder_id SET NOT NULL;
    `);
  }
}
