import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The admin console filters the audit log by role, agency and action, newest first: each filter gets
 * an index that ends in the id, so a page is an index range read in keyset order even over millions
 * of entries, however rare the value (the log itself stays append-only).
 */
export class AuditLogFilterIndexes1795660200000 implements MigrationInterface {
  name = 'AuditLogFilterIndexes1795660200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX audit_log_actor_role_idx ON audit_log (actor_role, id) WHERE actor_role IS NOT NULL;
      CREATE INDEX audit_log_actor_agency_idx ON audit_log (actor_agency_id, id) WHERE actor_agency_id IS NOT NULL;
      CREATE INDEX audit_log_action_idx ON audit_log (action, id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_log_action_idx; DROP INDEX audit_log_actor_agency_idx; DROP INDEX audit_log_actor_role_idx;`);
  }
}
