import { MigrationInterface, QueryRunner } from 'typeorm';

/** An agency's 287(g) agreement has dates: signed (in force from) and, once it ends, the last day. */
export class Agency287gDates1795660300000 implements MigrationInterface {
  name = 'Agency287gDates1795660300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE agencies ADD COLUMN program_287g_since date, ADD COLUMN program_287g_until date,
        ADD CONSTRAINT agencies_287g_dates CHECK (
          (program_287g <> 'none' OR (program_287g_since IS NULL AND program_287g_until IS NULL))
          AND (program_287g_until IS NULL OR (program_287g_since IS NOT NULL AND program_287g_until >= program_287g_since)));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agencies DROP CONSTRAINT agencies_287g_dates, DROP COLUMN program_287g_until, DROP COLUMN program_287g_since`);
  }
}
