import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tamper evidence for the audit log: a hash chain kept beside it. Entries are written as they always
 * were (the write path takes no extra lock); one chainer at a time (an advisory lock) appends each new
 * entry's link, in id order: hash(n) = HMAC-SHA256(key, hash(n-1) || audit_entry_text(entry)), with
 * the key the service holds and the database does not. Every thousandth link is also an anchor, which
 * the worker logs too, so that a rewritten chain no longer matches what was logged.
 *
 * `audit_entry_text` is the entry's canonical text; it must never change for the rows already chained.
 */
export class AuditHashChain1795520100000 implements MigrationInterface {
  name = 'AuditHashChain1795520100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION audit_entry_text(a audit_log) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT jsonb_build_array(a.id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), a.category, a.action, a.outcome,
          a.status, a.reason, a.actor_kind, a.actor_id, a.actor_name, a.actor_role, a.actor_agency_id, a.actor_area_id, a.session_id,
          a.target_type, a.target_id, a.method, a.path, a.request_id, a.client_address, a.details)::text
      $$;

      CREATE TABLE audit_chain (
        position bigint PRIMARY KEY CHECK (position >= 1),
        audit_id bigint NOT NULL CONSTRAINT audit_chain_audit_key UNIQUE,
        hash bytea NOT NULL CHECK (length(hash) = 32),
        chained_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE audit_chain_anchors (
        position bigint PRIMARY KEY,
        hash bytea NOT NULL,
        anchored_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE ON audit_chain
        FOR EACH ROW EXECUTE FUNCTION reject_change_to_append_only();
      CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
        FOR EACH STATEMENT EXECUTE FUNCTION reject_change_to_append_only();
      CREATE TRIGGER audit_chain_anchors_append_only BEFORE UPDATE OR DELETE ON audit_chain_anchors
        FOR EACH ROW EXECUTE FUNCTION reject_change_to_append_only();
      CREATE TRIGGER audit_chain_anchors_no_truncate BEFORE TRUNCATE ON audit_chain_anchors
        FOR EACH STATEMENT EXECUTE FUNCTION reject_change_to_append_only();
    `);
    await q.query(`
      DO $$
      DECLARE
        app name := NULLIF(current_setting('app.application_role', true), '');
      BEGIN
        IF app IS NOT NULL AND app <> current_user THEN
          EXECUTE format('REVOKE UPDATE, DELETE ON audit_chain, audit_chain_anchors FROM %I', app);
        END IF;
      END;
      $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE audit_chain_anchors;
      DROP TABLE audit_chain;
      DROP FUNCTION audit_entry_text(audit_log);
    `);
  }
}
