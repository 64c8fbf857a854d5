import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The spine: reference data (areas, jurisdictions, policies, agencies, facilities), users,
 * subjects, detainers with their lodgings, the append-only event log, and idempotency keys.
 */
export class DetainerSpine1795400000000 implements MigrationInterface {
  name = 'DetainerSpine1795400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE areas (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL CONSTRAINT areas_code_key UNIQUE CHECK (code ~ '^[A-Z]{3}$'),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE jurisdictions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL CONSTRAINT jurisdictions_code_key UNIQUE,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('county', 'city', 'state', 'tribal')),
        state char(2) NOT NULL CHECK (state ~ '^[A-Z]{2}$'),
        fips text CHECK (fips ~ '^[0-9]{5}$'),
        place_code text CHECK (place_code ~ '^[0-9]{7}$'),
        ori text CHECK (ori ~ '^[A-Z0-9]{9}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (kind <> 'county' OR fips IS NOT NULL)
      );
      CREATE INDEX jurisdictions_state_name_idx ON jurisdictions (state, name);

      CREATE TABLE policies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        jurisdiction_id uuid NOT NULL REFERENCES jurisdictions (id),
        kind text NOT NULL CHECK (kind IN ('ordinance', 'statute', 'sheriff_policy', 'court_order', 'executive_order', 'psp_certification', 'other')),
        citation text NOT NULL,
        summary text NOT NULL,
        limits_hold boolean NOT NULL,
        limits_notification boolean NOT NULL,
        limits_access boolean NOT NULL,
        effective_from date NOT NULL,
        effective_to date,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (effective_to IS NULL OR effective_to >= effective_from)
      );
      CREATE INDEX policies_jurisdiction_idx ON policies (jurisdiction_id, effective_from);

      CREATE TABLE agencies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ori text NOT NULL CONSTRAINT agencies_ori_key UNIQUE CHECK (ori ~ '^[A-Z]{2}[A-Z0-9]{7}$'),
        name text NOT NULL,
        jurisdiction_id uuid NOT NULL REFERENCES jurisdictions (id),
        program_287g text NOT NULL DEFAULT 'none' CHECK (program_287g IN ('none', 'jail_enforcement', 'task_force', 'warrant_service')),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX agencies_jurisdiction_idx ON agencies (jurisdiction_id);

      CREATE TABLE facilities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agencies (id),
        name text NOT NULL,
        time_zone text NOT NULL,
        area_id uuid NOT NULL REFERENCES areas (id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX facilities_agency_idx ON facilities (agency_id);
      CREATE INDEX facilities_area_idx ON facilities (area_id);

      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('officer', 'jail_staff', 'supervisor', 'admin', 'analyst')),
        agency_id uuid REFERENCES agencies (id),
        area_id uuid REFERENCES areas (id),
        display_name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((role = 'jail_staff') = (agency_id IS NOT NULL)),
        CHECK ((role IN ('officer', 'supervisor')) = (area_id IS NOT NULL))
      );
      CREATE UNIQUE INDEX users_username_key ON users (lower(username));

      CREATE TABLE subjects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        a_number char(9) CONSTRAINT subjects_a_number_key UNIQUE CHECK (a_number ~ '^[0-9]{9}$'),
        fbi_number text CONSTRAINT subjects_fbi_number_key UNIQUE,
        family_name text NOT NULL,
        given_name text NOT NULL,
        date_of_birth date NOT NULL,
        sex text CHECK (sex IN ('F', 'M', 'X')),
        citizenship char(2) NOT NULL CHECK (citizenship ~ '^[A-Z]{2}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE detainers (
        id uuid PRIMARY KEY,
        form text NOT NULL CHECK (form IN ('I-247A', 'I-247D', 'I-247N', 'I-247X', 'I-247')),
        status text NOT NULL CHECK (status IN ('issued', 'acknowledged', 'release_scheduled', 'held', 'refused', 'disputed', 'honored', 'released', 'misdirected', 'cancelled')),
        version integer NOT NULL CHECK (version >= 1),
        subject_id uuid NOT NULL REFERENCES subjects (id),
        issuing_officer_id uuid REFERENCES users (id),
        area_id uuid NOT NULL REFERENCES areas (id),
        issued_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        channel text NOT NULL CHECK (channel IN ('fax', 'electronic', 'in_person')),
        warrant_form text CHECK (warrant_form IN ('I-200', 'I-205')),
        warrant_number text,
        probable_cause text[] NOT NULL,
        charges jsonb NOT NULL,
        current_lodging_seq integer NOT NULL,
        facility_id uuid NOT NULL REFERENCES facilities (id),
        agency_id uuid NOT NULL REFERENCES agencies (id),
        jurisdiction_id uuid NOT NULL REFERENCES jurisdictions (id),
        declined boolean NOT NULL,
        decline_kind text CHECK (decline_kind IN ('refused', 'no_notice', 'hold_refused')),
        decline_recorded_at timestamptz,
        short_notice boolean NOT NULL,
        missed_pickup boolean NOT NULL,
        cancel_reason text CHECK (cancel_reason IN ('issued_in_error', 'wrong_subject', 'us_citizen', 'lifted', 'superseded', 'other')),
        cancel_note text,
        cancelled_at timestamptz,
        outcome_kind text CHECK (outcome_kind IN ('ice_arrest', 'removed', 'rearrested', 'at_large', 'unknown')),
        outcome_at timestamptz,
        related_detainer_id uuid REFERENCES detainers (id),
        updated_at timestamptz NOT NULL,
        CHECK (declined = (decline_kind IS NOT NULL)),
        CHECK ((warrant_form IS NULL) = (warrant_number IS NULL))
      );
      CREATE INDEX detainers_area_issued_idx ON detainers (area_id, issued_at DESC, id);
      CREATE INDEX detainers_agency_issued_idx ON detainers (agency_id, issued_at DESC, id);
      CREATE INDEX detainers_facility_idx ON detainers (facility_id);
      CREATE INDEX detainers_jurisdiction_idx ON detainers (jurisdiction_id);
      CREATE INDEX detainers_subject_idx ON detainers (subject_id);
      CREATE INDEX detainers_issued_idx ON detainers (issued_at DESC, id);
      CREATE INDEX detainers_status_idx ON detainers (status);

      CREATE TABLE lodgings (
        detainer_id uuid NOT NULL REFERENCES detainers (id),
        seq integer NOT NULL CHECK (seq >= 1),
        facility_id uuid NOT NULL REFERENCES facilities (id),
        agency_id uuid NOT NULL REFERENCES agencies (id),
        jurisdiction_id uuid NOT NULL REFERENCES jurisdictions (id),
        area_id uuid NOT NULL REFERENCES areas (id),
        time_zone text NOT NULL,
        status text NOT NULL CHECK (status IN ('issued', 'acknowledged', 'release_scheduled', 'held', 'refused', 'disputed', 'honored', 'released', 'transferred', 'misdirected', 'cancelled')),
        opened_at timestamptz NOT NULL,
        closed_at timestamptz,
        response text CHECK (response IN ('will_comply', 'will_notify_only', 'will_not_comply')),
        response_reason text,
        policy_id uuid REFERENCES policies (id),
        acknowledged_at timestamptz,
        booking_number text,
        served_at timestamptz,
        release_at timestamptz,
        release_scheduled_recorded_at timestamptz,
        notice_lead_hours numeric(10, 2),
        first_notice_recorded_at timestamptz,
        pickup_planned_at timestamptz,
        hold_since timestamptz,
        hold_expires_at timestamptz,
        released_at timestamptz,
        release_recorded_at timestamptz,
        destination text CHECK (destination IN ('community', 'other_agency')),
        to_facility_id uuid REFERENCES facilities (id),
        honored_at timestamptz,
        refused_at timestamptz,
        refused_recorded_at timestamptz,
        refusal_reason text,
        identity_claim text CHECK (identity_claim IN ('citizenship', 'identity')),
        status_before_dispute text,
        decline_reports jsonb NOT NULL DEFAULT '[]',
        declined boolean NOT NULL,
        decline_kind text CHECK (decline_kind IN ('refused', 'no_notice', 'hold_refused')),
        decline_recorded_at timestamptz,
        short_notice boolean NOT NULL,
        missed_pickup boolean NOT NULL,
        PRIMARY KEY (detainer_id, seq),
        CHECK (declined = (decline_kind IS NOT NULL)),
        -- a lodging that was honored can never carry a decline (2017 error 5)
        CHECK (NOT (declined AND honored_at IS NOT NULL)),
        -- a misdirected request never counts as declined by that agency (2017 error 3)
        CHECK (NOT (declined AND status = 'misdirected'))
      );
      CREATE INDEX lodgings_agency_idx ON lodgings (agency_id, detainer_id);
      CREATE INDEX lodgings_area_idx ON lodgings (area_id, detainer_id);
      CREATE INDEX lodgings_decline_recorded_idx ON lodgings (decline_recorded_at) WHERE declined;

      CREATE TABLE detainer_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        detainer_id uuid NOT NULL REFERENCES detainers (id),
        seq integer NOT NULL,
        version integer NOT NULL,
        lodging_seq integer NOT NULL,
        kind text NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'system')),
        actor_id uuid,
        actor_role text NOT NULL,
        actor_agency_id uuid,
        actor_area_id uuid,
        source text NOT NULL CHECK (source IN ('lea_reported', 'ice_observed', 'system')),
        payload jsonb NOT NULL,
        request_id text,
        CONSTRAINT detainer_events_detainer_seq_key UNIQUE (detainer_id, seq)
      );
      CREATE INDEX detainer_events_recorded_idx ON detainer_events (recorded_at);

      CREATE FUNCTION reject_change_to_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END;
      $$;
      CREATE TRIGGER detainer_events_append_only
        BEFORE UPDATE OR DELETE ON detainer_events
        FOR EACH ROW EXECUTE FUNCTION reject_change_to_append_only();
      CREATE TRIGGER detainer_events_no_truncate
        BEFORE TRUNCATE ON detainer_events
        FOR EACH STATEMENT EXECUTE FUNCTION reject_change_to_append_only();

      CREATE TABLE idempotency_keys (
        principal text NOT NULL,
        key text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        request_hash text NOT NULL,
        status text NOT NULL CHECK (status IN ('in_progress', 'completed')),
        response_status integer,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        PRIMARY KEY (principal, key)
      );
      CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE idempotency_keys;
      DROP TABLE detainer_events;
      DROP FUNCTION reject_change_to_append_only();
      DROP TABLE lodgings;
      DROP TABLE detainers;
      DROP TABLE subjects;
      DROP TABLE users;
      DROP TABLE facilities;
      DROP TABLE agencies;
      DROP TABLE policies;
      DROP TABLE jurisdictions;
      DROP TABLE areas;
    `);
  }
}
