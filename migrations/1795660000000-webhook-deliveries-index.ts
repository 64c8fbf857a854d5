import { MigrationInterface, QueryRunner } from 'typeorm';

/** A webhook's recent deliveries, newest first (the admin console's list), without scanning every delivery. */
export class WebhookDeliveriesIndex1795660000000 implements MigrationInterface {
  name = 'WebhookDeliveriesIndex1795660000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX reminder_deliveries_webhook_idx ON reminder_deliveries (recipient, created_at DESC, id DESC) WHERE channel = 'webhook'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reminder_deliveries_webhook_idx`);
  }
}
