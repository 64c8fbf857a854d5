import { Injectable } from '@nestjs/common';
import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';
import { auditInsert, NewAuditEntry } from './audit.repository';

export type StoredCustodyOutcomeName = 'applied' | 'no_open_detainer' | 'rejected';

export interface NewCustodyEvent {
  agencyId: string;
  eventId: string;
  kind: string;
  bookingNumber: string;
  event: Record<string, unknown>;
  outcome: StoredCustodyOutcomeName;
  detainerId: string | null;
  error: Record<string, unknown> | null;
  sender: { kind: 'user' | 'api_key'; id: string };
  requestId: string | null;
  receivedAt: Date;
}

export interface CustodyEventRecord extends NewCustodyEvent {
  id: string;
}

/** An open request at the agency's facilities that a booking number names. */
export interface OpenLodgingMatch {
  detainerId: string;
  facilityId: string;
}

/** Lodging statuses after which no custody event applies: the request is done there. */
const CLOSED_STATUSES = ['honored', 'released', 'transferred', 'misdirected', 'cancelled'];

/** A row of custody_events. */
interface CustodyEventRow {
  id: string;
  agency_id: string;
  event_id: string;
  kind: string;
  booking_number: string;
  event: Record<string, unknown>;
  outcome: StoredCustodyOutcomeName;
  detainer_id: string | null;
  error: Record<string, unknown> | null;
  sender_kind: 'user' | 'api_key';
  sender_id: string;
  request_id: string | null;
  received_at: Date;
}

const custodyEvent = new RowMapper<CustodyEventRow, CustodyEventRecord>((r) => ({
  id: r.id,
  agencyId: r.agency_id,
  eventId: r.event_id,
  kind: r.kind,
  bookingNumber: r.booking_number,
  event: r.event,
  outcome: r.outcome,
  detainerId: r.detainer_id,
  error: r.error,
  sender: { kind: r.sender_kind, id: r.sender_id },
  requestId: r.request_id,
  receivedAt: r.received_at,
}));

/** A current, open lodging (the columns findOpenLodging selects; findOpenLodgings adds its booking number). */
interface OpenLodgingRow {
  detainer_id: string;
  facility_id: string;
}

const openLodging = new RowMapper<OpenLodgingRow, OpenLodgingMatch>((r) => ({ detainerId: r.detainer_id, facilityId: r.facility_id }));

const COLUMNS = 'id, agency_id, event_id, kind, booking_number, event, outcome, detainer_id, error, sender_kind, sender_id, request_id, received_at';

@Injectable()
export class CustodyEventRepository {
  /** Appends an event with its outcome and returns its id; null when the agency already sent this eventId (nothing written). */
  /**
   * Keeps the event; null when the agency's eventId is already stored (a concurrent batch won).
   * With `audit`, its entry is written by the same statement, whether or not the event was new:
   * on null the caller must roll the transaction back.
   */
  async insert(sql: Sql, e: NewCustodyEvent, audit?: NewAuditEntry): Promise<string | null> {
    const params: unknown[] = [e.agencyId, e.eventId, e.kind, e.bookingNumber, JSON.stringify(e.event), e.outcome, e.detainerId, e.error === null ? null : JSON.stringify(e.error), e.sender.kind, e.sender.id, e.requestId, e.receivedAt];
    const insert = `INSERT INTO custody_events (agency_id, event_id, kind, booking_number, event, outcome, detainer_id, error, sender_kind, sender_id, request_id, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT ON CONSTRAINT custody_events_agency_event_key DO NOTHING RETURNING id`;
    const text = audit ? `WITH audited AS (${auditInsert(audit, params)}), stored AS (${insert}) SELECT id FROM stored` : insert;
    const rows = await sql.query<{ id: string }>(text, params);
    return rows[0]?.id ?? null;
  }

  async find(sql: Sql, agencyId: string, eventId: string): Promise<CustodyEventRecord | null> {
    return custodyEvent.one(sql, `SELECT ${COLUMNS} FROM custody_events WHERE agency_id = $1 AND event_id = $2`, [agencyId, eventId]);
  }

  /** Which of `eventIds` the agency has sent before (one round trip for a batch). */
  async seen(sql: Sql, agencyId: string, eventIds: string[]): Promise<Map<string, CustodyEventRecord>> {
    if (eventIds.length === 0) return new Map();
    const records = await custodyEvent.all(sql, `SELECT ${COLUMNS} FROM custody_events WHERE agency_id = $1 AND event_id = ANY ($2::text[])`, [agencyId, eventIds]);
    return new Map(records.map((e) => [e.eventId, e]));
  }

  /**
   * The current lodging at one of the agency's facilities (or the one named) that carries the
   * booking number and is still open; the earliest issued when several do. Another agency's
   * lodgings are never considered, whatever the caller's database scope.
   */
  async findOpenLodging(sql: Sql, agencyId: string, bookingNumber: string, facilityId?: string): Promise<OpenLodgingMatch | null> {
    const params: unknown[] = [agencyId, bookingNumber, CLOSED_STATUSES];
    const facility = facilityId === undefined ? '' : `AND l.facility_id = $${params.push(facilityId)}`;
    return openLodging.one(
      sql,
      `SELECT l.detainer_id, l.facility_id FROM lodgings l JOIN detainers d ON d.id = l.detainer_id AND d.current_lodging_seq = l.seq
       WHERE l.agency_id = $1 AND l.booking_number = $2 AND l.status <> ALL ($3::text[]) ${facility}
       ORDER BY d.issued_at, d.id LIMIT 1`,
      params,
    );
  }

  /** findOpenLodging (without a facility) for several booking numbers at once, by booking number. */
  async findOpenLodgings(sql: Sql, agencyId: string, bookingNumbers: readonly string[]): Promise<Map<string, OpenLodgingMatch>> {
    if (bookingNumbers.length === 0) return new Map();
    const rows = await sql.query<OpenLodgingRow & { booking_number: string }>(
      `SELECT DISTINCT ON (l.booking_number) l.booking_number, l.detainer_id, l.facility_id
       FROM lodgings l JOIN detainers d ON d.id = l.detainer_id AND d.current_lodging_seq = l.seq
       WHERE l.agency_id = $1 AND l.booking_number = ANY ($2::text[]) AND l.status <> ALL ($3::text[])
       ORDER BY l.booking_number, d.issued_at, d.id`,
      [agencyId, [...new Set(bookingNumbers)], CLOSED_STATUSES],
    );
    return new Map(rows.map((r) => [r.booking_number, openLodging.decode(r)]));
  }
}

/** An open request on a person, lodged with another agency than the one that booked them. */
export interface LodgedElsewhere {
  detainerId: string;
  /** The lodging open with the other agency when the person was booked. */
  lodgingSeq: number;
  issuingAreaId: string;
  timeZone: string;
  agencyName: string;
}

/** A current lodging of a detainer with the agency it is lodged with (the columns lodgedElsewhere selects). */
interface LodgedElsewhereRow {
  detainer_id: string;
  seq: number;
  area_id: string;
  time_zone: string;
  agency_name: string;
}

const lodgedElsewhere = new RowMapper<LodgedElsewhereRow, LodgedElsewhere>((r) => ({
  detainerId: r.detainer_id,
  lodgingSeq: r.seq,
  issuingAreaId: r.area_id,
  timeZone: r.time_zone,
  agencyName: r.agency_name,
}));

/**
 * Alerts of bookings (custody events) about open requests lodged elsewhere. Needs a scope that sees
 * every agency's records (the system's): the agency that sent the event is never shown them.
 */
@Injectable()
export class CustodyAlertRepository {
  async lodgedElsewhere(sql: Sql, subject: { aNumber: string | null; fbiNumber: string | null }, bookingAgencyId: string): Promise<LodgedElsewhere[]> {
    if (!subject.aNumber && !subject.fbiNumber) return [];
    return lodgedElsewhere.all(
      sql,
      `SELECT d.id AS detainer_id, l.seq, d.area_id, l.time_zone, a.name AS agency_name
       FROM subjects s JOIN detainers d ON d.subject_id = s.id
       JOIN lodgings l ON l.detainer_id = d.id AND l.seq = d.current_lodging_seq JOIN agencies a ON a.id = l.agency_id
       WHERE (s.a_number = $1 OR s.fbi_number = $2) AND l.agency_id <> $3 AND l.status <> ALL ($4::text[])
       ORDER BY d.issued_at, d.id`,
      [subject.aNumber, subject.fbiNumber, bookingAgencyId, CLOSED_STATUSES],
    );
  }

  /** Puts the booking in the issuing AOR's `booked_elsewhere` queue (while that lodging is open). */
  async queue(sql: Sql, a: { custodyEventId: string; detainerId: string; lodgingSeq: number; areaId: string; bookedAt: Date }, now: Date): Promise<void> {
    await sql.execute(
      `INSERT INTO booking_alerts (custody_event_id, detainer_id, lodging_seq, area_id, booked_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (custody_event_id, detainer_id) DO NOTHING`,
      [a.custodyEventId, a.detainerId, a.lodgingSeq, a.areaId, a.bookedAt, now],
    );
  }

  async notify(sql: Sql, n: { userId: string; custodyEventId: string; detainerId: string; title: string; body: string; link: string; anchorAt: Date; timeZone: string }, now: Date): Promise<void> {
    await sql.execute(
      `INSERT INTO notifications (user_id, custody_event_id, detainer_id, kind, title, body, link, anchor_at, time_zone, created_at)
       VALUES ($1, $2, $3, 'booked_elsewhere', $4, $5, $6, $7, $8, $9) ON CONFLICT (custody_event_id, detainer_id, user_id) WHERE custody_event_id IS NOT NULL DO NOTHING`,
      [n.userId, n.custodyEventId, n.detainerId, n.title, n.body, n.link, n.anchorAt, n.timeZone, now],
    );
  }
}
