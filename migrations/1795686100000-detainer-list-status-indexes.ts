import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A supervisor's or officer's list filtered by status (e.g. every detainer of the AOR still
 * unanswered), newest first: one index per arm of the AOR's scope (issuing AOR, current AOR) in
 * keyset order, so the page is an index scan whatever the number of detainers in that status
 * nationwide. Built concurrently: writes go on meanwhile.
 */
export class DetainerListStatusIndexes1795686100000 implements MigrationInterface {
  name = 'DetainerListStatusIndexes1795686100000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS detainers_area_status_issued_idx ON detainers (area_id, status, issued_at DESC, id)`);
    await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS detainers_current_area_status_issued_idx ON detainers (current_area_id, status, issued_at DESC, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS detainers_current_area_status_issued_idx`);
    await q.query(`DROP INDEX IF EXISTS detainers_area_status_issued_idx`);
  }
}
