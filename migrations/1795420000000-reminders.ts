import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders (the transactional outbox: written with the detainer's events), their deliveries per
 * channel and recipient under a unique key, the in-app inbox, agency webhooks, and users' e-mail.
 */
export class Reminders1795420000000 implements MigrationInterface {
  name = 'Reminders1795420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users ADD COLUMN email text CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$');

      CREATE TABLE reminders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        detainer_id uuid NOT NULL REFERENCES detainers (id),
        lodging_seq integer NOT NULL,
        key text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('release_48h', 'short_notice', 'hold_12h', 'hold_2h', 'hold_expired', 'unacknowledged_24h')),
        audience text NOT NULL CHECK (audience IN ('agency', 'office', 'supervisors')),
        due_at timestamptz NOT NULL,
        anchor_at timestamptz NOT NULL,
        agency_id uuid NOT NULL REFERENCES agencies (id),
        area_id uuid NOT NULL REFERENCES areas (id),
        facility_id uuid NOT NULL REFERENCES facilities (id),
        time_zone text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'fired', 'cancelled')),
        -- Part of the BullMQ job id (reminder.<id>.v<n>): bumped whenever a job must be re-added, because
        -- an id still held by a finished job makes a re-add a silent no-op.
        job_version integer NOT NULL DEFAULT 1 CHECK (job_version >= 1),
        created_at timestamptz NOT NULL,
        fired_at timestamptz,
        cancelled_at timestamptz,
        cancel_reason text CHECK (cancel_reason IN ('rescheduled', 'no_longer_due')),
        CHECK ((status = 'fired') = (fired_at IS NOT NULL)),
        CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL AND cancel_reason IS NOT NULL))
      );
      CREATE UNIQUE INDEX reminders_one_pending_per_key ON reminders (detainer_id, key) WHERE status = 'pending';
      CREATE INDEX reminders_pending_idx ON reminders (id) INCLUDE (due_at, job_version) WHERE status = 'pending';
      CREATE INDEX reminders_detainer_idx ON reminders (detainer_id);

      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies (id),
        url text NOT NULL CHECK (url ~ '^https?://'),
        secret text NOT NULL,
        events text[] NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL
      );
      CREATE INDEX webhooks_agency_idx ON webhooks (agency_id) WHERE active;

      CREATE TABLE reminder_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reminder_id uuid NOT NULL REFERENCES reminders (id),
        channel text NOT NULL CHECK (channel IN ('inbox', 'email', 'webhook')),
        -- The user (inbox, e-mail) or webhook the delivery is for: one delivery per reminder, channel and recipient.
        recipient uuid NOT NULL,
        address text,
        status text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        job_version integer NOT NULL DEFAULT 1 CHECK (job_version >= 1),
        -- A sender holds the delivery until then: a second runner of the same job (a stalled job) waits instead of sending twice.
        lease_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        sent_at timestamptz,
        failed_at timestamptz,
        CONSTRAINT reminder_deliveries_once UNIQUE (reminder_id, channel, recipient),
        CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
        CHECK ((status = 'failed') = (failed_at IS NOT NULL))
      );
      CREATE INDEX reminder_deliveries_open_idx ON reminder_deliveries (id) WHERE status IN ('pending', 'sending');
      CREATE INDEX reminder_deliveries_failed_idx ON reminder_deliveries (failed_at DESC, id DESC) WHERE status = 'failed';

      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id),
        delivery_id uuid NOT NULL CONSTRAINT notifications_delivery_key UNIQUE REFERENCES reminder_deliveries (id),
        reminder_id uuid NOT NULL REFERENCES reminders (id),
        detainer_id uuid NOT NULL REFERENCES detainers (id),
        kind text NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        link text NOT NULL,
        anchor_at timestamptz NOT NULL,
        time_zone text NOT NULL,
        created_at timestamptz NOT NULL,
        read_at timestamptz
      );
      CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id DESC);
      CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE notifications;
      DROP TABLE reminder_deliveries;
      DROP TABLE webhooks;
      DROP TABLE reminders;
      ALTER TABLE users DROP COLUMN email;
    `);
  }
}
