import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity and accountability: account state on users (lock, disable, second factor), sessions,
 * API keys for agency systems, and the append-only audit log.
 */
export class IdentitySessionsAudit1795410000000 implements MigrationInterface {
  name = 'IdentitySessionsAudit1795410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN disabled_at timestamptz,
        ADD COLUMN locked_at timestamptz,
        ADD COLUMN unlocked_at timestamptz,
        ADD COLUMN last_logon_at timestamptz,
        ADD COLUMN password_changed_at timestamptz,
        -- TOTP secrets are sealed (AES-256-GCM) with a key from the environment, never stored in clear
        ADD COLUMN totp_secret text,
        ADD COLUMN totp_pending_secret text,
        ADD COLUMN totp_enabled_at timestamptz,
        ADD COLUMN totp_last_step bigint,
        ADD CONSTRAINT users_totp_enabled_check CHECK ((totp_secret IS NULL) = (totp_enabled_at IS NULL));

      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL,
        -- the last time the user proved who they are (sign-in or re-authentication)
        authenticated_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        second_factor boolean NOT NULL,
        client_address text,
        user_agent text,
        ended_at timestamptz,
        end_reason text CHECK (end_reason IN ('logout', 'idle_timeout', 'expired', 'account_disabled', 'account_locked', 'password_changed', 'second_factor_reset')),
        CHECK ((ended_at IS NULL) = (end_reason IS NULL)),
        CHECK (expires_at > created_at)
      );
      CREATE INDEX sessions_user_open_idx ON sessions (user_id) WHERE ended_at IS NULL;

      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies (id),
        label text NOT NULL,
        -- the first characters of the key, to recognise it in lists; the key itself is never stored
        key_prefix text NOT NULL,
        key_hash bytea NOT NULL CONSTRAINT api_keys_key_hash_key UNIQUE,
        created_at timestamptz NOT NULL,
        created_by uuid REFERENCES users (id),
        revoked_at timestamptz,
        revoked_by uuid REFERENCES users (id),
        last_used_at timestamptz
      );
      CREATE INDEX api_keys_agency_idx ON api_keys (agency_id, created_at DESC);

      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        category text NOT NULL CHECK (category IN ('authentication', 'read', 'identity_read', 'change', 'admin', 'audit_read')),
        action text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('success', 'failure')),
        status integer,
        reason text,
        actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'anonymous', 'system')),
        actor_id uuid,
        actor_name text,
        actor_role text,
        actor_agency_id uuid,
        actor_area_id uuid,
        session_id uuid,
        target_type text,
        target_id text,
        method text,
        path text,
        request_id text,
        client_address text,
        details jsonb NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_log_at_idx ON audit_log (at);
      CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id) WHERE actor_id IS NOT NULL;
      CREATE INDEX audit_log_target_idx ON audit_log (target_id, id) WHERE target_id IS NOT NULL;
      CREATE INDEX audit_log_request_idx ON audit_log (request_id) WHERE request_id IS NOT NULL;
      CREATE INDEX audit_log_category_idx ON audit_log (category, id);
      -- sign-in limits: attempts per client address and per username, failed logons per account
      CREATE INDEX audit_log_logon_address_idx ON audit_log (client_address, at) WHERE action = 'auth.login';
      CREATE INDEX audit_log_logon_username_idx ON audit_log (lower(actor_name), at) WHERE action = 'auth.login';
      CREATE INDEX audit_log_bad_credentials_idx ON audit_log (actor_id, at) WHERE reason = 'bad_credentials';

      CREATE TRIGGER audit_log_append_only
        BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION reject_change_to_append_only();
      CREATE TRIGGER audit_log_no_truncate
        BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION reject_change_to_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE audit_log;
      DROP TABLE api_keys;
      DROP TABLE sessions;
      ALTER TABLE users
        DROP CONSTRAINT users_totp_enabled_check,
        DROP COLUMN disabled_at,
        DROP COLUMN locked_at,
        DROP COLUMN unlocked_at,
        DROP COLUMN last_logon_at,
        DROP COLUMN password_changed_at,
        DROP COLUMN totp_secret,
        DROP COLUMN totp_pending_secret,
        DROP COLUMN totp_enabled_at,
        DROP COLUMN totp_last_step;
    `);
  }
}
