import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Free text published with the weekly report only when its author said so: an agency's dispute
 * reason, a supervisor's resolution note, a reconciliation confirmation's note. Otherwise reports
 * print the structured facts (status, decision, correction, figures) and the text stays with the
 * record, for those who may read it. Text written before this was never marked: it stays unpublished.
 */
export class PublicText1795520200000 implements MigrationInterface {
  name = 'PublicText1795520200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE record_disputes ADD COLUMN reason_public boolean NOT NULL DEFAULT false, ADD COLUMN note_public boolean NOT NULL DEFAULT false;
      ALTER TABLE report_reconciliation_confirmations ADD COLUMN note_public boolean NOT NULL DEFAULT false;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE report_reconciliation_confirmations DROP COLUMN note_public;
      ALTER TABLE record_disputes DROP COLUMN note_public, DROP COLUMN reason_public;
    `);
  }
}
