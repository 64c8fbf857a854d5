import { declineSourceOf, DetainerEvent, DetainerState, LodgingState } from '@app/domain';
import { decodeEvent, encodePayload, EventRow } from '../event-codec';
import { inlineUuidParams, openDetainerForChange } from '../database-scope';
import { AccessScope, detainerVisibleIn, Params } from '../scope';
import { Sql } from '../sql';

/** The event stream of one detainer, as loaded for a decision. */
export interface LoadedStream {
  events: DetainerEvent[];
  /** Version read together with the events; the compare-and-set writes against it. */
  version: number;
}

type Column<T> = readonly [column: string, value: (row: T) => unknown];

const LODGING_COLUMNS: readonly Column<LodgingState>[] = [
  ['facility_id', (l) => l.place.facilityId],
  ['agency_id', (l) => l.place.agencyId],
  ['jurisdiction_id', (l) => l.place.jurisdictionId],
  ['area_id', (l) => l.place.areaId],
  ['time_zone', (l) => l.place.timeZone],
  ['status', (l) => l.status],
  ['opened_at', (l) => l.openedAt],
  ['closed_at', (l) => l.closedAt],
  ['response', (l) => l.response],
  ['response_reason', (l) => l.responseReason],
  ['policy_id', (l) => l.policyId],
  ['acknowledged_at', (l) => l.acknowledgedAt],
  ['booking_number', (l) => l.bookingNumber],
  ['served_at', (l) => l.servedAt],
  ['release_at', (l) => l.releaseAt],
  ['release_scheduled_recorded_at', (l) => l.releaseScheduledRecordedAt],
  ['notice_lead_hours', (l) => l.noticeLeadHours],
  ['first_notice_recorded_at', (l) => l.firstNoticeRecordedAt],
  ['pickup_planned_at', (l) => l.pickupPlannedAt],
  ['hold_since', (l) => l.holdSince],
  ['hold_expires_at', (l) => l.holdExpiresAt],
  ['released_at', (l) => l.releasedAt],
  ['release_recorded_at', (l) => l.releaseRecordedAt],
  ['destination', (l) => l.destination],
  ['to_facility_id', (l) => l.toFacilityId],
  ['honored_at', (l) => l.honoredAt],
  ['refused_at', (l) => l.refusedAt],
  ['refused_recorded_at', (l) => l.refusedRecordedAt],
  ['refusal_reason', (l) => l.refusalReason],
  ['identity_claim', (l) => l.identityClaim],
  ['status_before_dispute', (l) => l.statusBeforeDispute],
  ['decline_reports', (l) => JSON.stringify(l.declineReports)],
  ['declined', (l) => l.declined],
  ['decline_kind', (l) => l.declineKind],
  ['decline_recorded_at', (l) => l.declineRecordedAt],
  ['short_notice', (l) => l.shortNotice],
  ['missed_pickup', (l) => l.missedPickup],
  // The weekly report: who reported each fact, and declines retracted by an upheld dispute.
  ['refused_source', (l) => l.refusedSource],
  ['release_source', (l) => l.releaseSource],
  ['honored_source', (l) => l.honoredSource],
  ['decline_source', (l) => declineSourceOf(l)],
  ['decline_retracted_at', (l) => l.declineRetraction?.at],
  ['retracted_decline_recorded_at', (l) => l.declineRetraction?.declineRecordedAt],
  ['retracted_decline_kind', (l) => l.declineRetraction?.declineKind],
  ['retraction_dispute_id', (l) => l.declineRetraction?.disputeId],
];

/** The detainer row summarises the current lodging and the declines of all lodgings. */
const DETAINER_COLUMNS: readonly Column<DetainerState>[] = [
  ['form', (s) => s.form],
  ['status', (s) => s.status],
  ['version', (s) => s.version],
  ['subject_id', (s) => s.subjectId],
  ['issuing_officer_id', (s) => s.issuingOfficerId],
  ['area_id', (s) => s.areaId],
  ['issued_at', (s) => s.issuedAt],
  ['recorded_at', (s) => s.recordedAt],
  ['channel', (s) => s.channel],
  ['warrant_form', (s) => s.warrant?.form],
  ['warrant_number', (s) => s.warrant?.number],
  ['probable_cause', (s) => s.probableCause],
  ['charges', (s) => JSON.stringify(s.charges)],
  ['current_lodging_seq', (s) => current(s).seq],
  ['facility_id', (s) => current(s).place.facilityId],
  ['agency_id', (s) => current(s).place.agencyId],
  ['jurisdiction_id', (s) => current(s).place.jurisdictionId],
  ['declined', (s) => latestDeclined(s) !== undefined],
  ['decline_kind', (s) => latestDeclined(s)?.declineKind],
  ['decline_recorded_at', (s) => latestDeclined(s)?.declineRecordedAt],
  ['short_notice', (s) => current(s).shortNotice],
  ['missed_pickup', (s) => current(s).missedPickup],
  ['cancel_reason', (s) => s.cancelReason],
  ['cancel_note', (s) => s.cancelNote],
  ['cancelled_at', (s) => s.cancelledAt],
  ['outcome_kind', (s) => s.outcome?.kind],
  ['outcome_at', (s) => s.outcome?.at],
  ['related_detainer_id', (s) => s.outcome?.relatedDetainerId],
  // Excluded from every report figure by an upheld record dispute.
  ['excluded_at', (s) => s.exclusion?.at],
  ['exclusion_dispute_id', (s) => s.exclusion?.disputeId],
  ['exclusion_note', (s) => s.exclusion?.note],
];

function current(state: DetainerState): LodgingState {
  const lodging = state.lodgings[state.lodgings.length - 1];
  if (!lodging) throw new Error(`detainer ${state.id} has no lodging`);
  return lodging;
}

function latestDeclined(state: DetainerState): LodgingState | undefined {
  return [...state.lodgings].reverse().find((l) => l.declined);
}

const nullable = (v: unknown): unknown => (v === undefined ? null : v);

/** The rows a state projects to (column -> value), as the writer stores them. */
export function projectionOf(state: DetainerState): { detainer: Record<string, unknown>; lodgings: Record<string, unknown>[] } {
  const row = <T>(columns: readonly Column<T>[], value: T) => Object.fromEntries(columns.map(([c, v]) => [c, nullable(v(value))]));
  return { detainer: row(DETAINER_COLUMNS, state), lodgings: state.lodgings.map((l) => ({ seq: l.seq, ...row(LODGING_COLUMNS, l) })) };
}

// NO KEY UPDATE, not UPDATE: writers of this detainer still take turns, but inserts elsewhere
// that reference it (inbox rows, report contributions) keep their foreign-key checks (KEY SHARE)
// unblocked. With FOR UPDATE, a worker firing a reminder and an action cancelling it deadlocked.
// With `visibleIn`, a detainer outside the caller's scope is not found (the transaction must then
// end without writing: the detainer was opened for change).
function lockStatement(detainerId: string, visibleIn?: AccessScope): { text: string; params: Params } {
  const params = new Params();
  params.add(detainerId);
  const scoped = visibleIn ? ` AND ${detainerVisibleIn(visibleIn, params, 'detainers')}` : '';
  return { text: `SELECT version FROM detainers WHERE id = $1${scoped} FOR NO KEY UPDATE`, params };
}

const lockKey = (detainerId: string) => `lock:${detainerId.toLowerCase()}`;

/**
 * The lock loadStream takes, to send with BEGIN (TransactionOptions.withBegin) in a transaction
 * that opens `detainerId` for change: loadStream then uses its answer instead of asking again.
 */
export function lockWithBegin(detainerId: string, visibleIn?: AccessScope): { key: string; text: string } {
  const lock = lockStatement(detainerId, visibleIn);
  return { key: lockKey(detainerId), text: inlineUuidParams(lock.text, lock.params.values) };
}

/**
 * Writes a detainer's events and its projection. Every change is compare-and-set on `version`
 * (TypeORM's @VersionColumn does not guard save(); see reliability.md).
 */
export class DetainerWriteRepository {
  /**
   * Loads the events for a decision and locks the detainer row until the transaction ends, so that
   * everything appending to one detainer's stream takes turns: lifecycle actions (which also
   * compare-and-set the version) and queue claims (which append without bumping it). It opens the
   * detainer for change (see openDetainerForChange): call it once the caller may see the detainer, or
   * pass their scope (`visibleIn`) so that it checks.
   */
  async loadStream(sql: Sql, detainerId: string, visibleIn?: AccessScope): Promise<LoadedStream | null> {
    await openDetainerForChange(sql, detainerId);
    // taken with BEGIN when the transaction was opened with lockWithBegin (one round trip less)
    const prelocked = sql.takeBeginAnswer(lockKey(detainerId)) as { version: number }[] | undefined;
    const lock = lockStatement(detainerId, visibleIn);
    const head = prelocked ? prelocked[0] ?? null : await sql.one<{ version: number }>(lock.text, lock.params.values);
    if (!head) return null;
    const rows = await sql.query<EventRow>('SELECT * FROM detainer_events WHERE detainer_id = $1 ORDER BY seq', [detainerId]);
    return { events: rows.map(decodeEvent), version: head.version };
  }

  /**
   * The whole event stream for reading (what the caller may do next), without a lock: a read never
   * waits for a writer, nor makes one wait. Opens the detainer like loadStream, since an agency's own
   * policies show it only its lodgings' events; call it once the caller may see the detainer.
   */
  async readStream(sql: Sql, detainerId: string): Promise<DetainerEvent[]> {
    await openDetainerForChange(sql, detainerId);
    const rows = await sql.query<EventRow>('SELECT * FROM detainer_events WHERE detainer_id = $1 ORDER BY seq', [detainerId]);
    return rows.map(decodeEvent);
  }

  async insertNew(sql: Sql, state: DetainerState, events: readonly DetainerEvent[], requestId: string | null): Promise<void> {
    await openDetainerForChange(sql, state.id);
    const cols = DETAINER_COLUMNS.map(([c]) => c);
    const values = DETAINER_COLUMNS.map(([, v]) => nullable(v(state)));
    const placeholders = values.map((_, i) => `$${i + 2}`);
    await sql.query(
      `INSERT INTO detainers (id, ${cols.join(', ')}, updated_at) VALUES ($1, ${placeholders.join(', ')}, $${values.length + 2})`,
      [state.id, ...values, state.recordedAt],
    );
    await this.writeLodgingsAndEvents(sql, state.id, state.lodgings, 0, events, requestId);
  }

  /**
   * Writes many new detainers at once (a bulk import, in the system scope), by COPY: the same rows
   * insertNew writes one by one.
   */
  async insertNewMany(sql: Sql, created: readonly { state: DetainerState; events: readonly DetainerEvent[] }[], requestId: string | null): Promise<void> {
    if (created.length === 0) return;
    await sql.copyFrom('detainers', ['id', ...DETAINER_COLUMNS.map(([c]) => c), 'updated_at'],
      created.map(({ state }) => [state.id, ...DETAINER_COLUMNS.map(([, v]) => nullable(v(state))), state.recordedAt]));
    await sql.copyFrom('lodgings', ['detainer_id', 'seq', ...LODGING_COLUMNS.map(([c]) => c)],
      created.flatMap(({ state }) => state.lodgings.map((l) => [state.id, l.seq, ...LODGING_COLUMNS.map(([, v]) => nullable(v(l)))])));
    await sql.copyFrom('detainer_events', EVENT_COLUMNS,
      created.flatMap(({ state, events }) => events.map((e, i) => eventColumns(state.id, i + 1, e, requestId))));
  }

  /** Returns false when another change won (version moved on): the caller reports a conflict. */
  async applyChange(
    sql: Sql,
    expected: { version: number; eventCount: number },
    next: DetainerState,
    events: readonly DetainerEvent[],
    now: Date,
    requestId: string | null,
  ): Promise<boolean> {
    const sets = DETAINER_COLUMNS.map(([c], i) => `${c} = $${i + 3}`);
    const values = DETAINER_COLUMNS.map(([, v]) => nullable(v(next)));
    const changed = await sql.execute(
      `UPDATE detainers SET ${sets.join(', ')}, updated_at = $${values.length + 3} WHERE id = $1 AND version = $2`,
      [next.id, expected.version, ...values, now],
    );
    if (changed === 0) return false;
    const touched = new Set(events.map((e) => e.lodging));
    await this.writeLodgingsAndEvents(sql, next.id, next.lodgings.filter((l) => touched.has(l.seq)), expected.eventCount, events, requestId);
    return true;
  }

  /**
   * The lodgings a change touched (upserted) and its new events (appended after the `seqBefore`
   * already stored), in one statement: one round trip however many of each. The events' foreign
   * key to their lodging is checked at the statement's end, when a lodging this change opens exists.
   */
  private async writeLodgingsAndEvents(
    sql: Sql,
    detainerId: string,
    lodgings: readonly LodgingState[],
    seqBefore: number,
    events: readonly DetainerEvent[],
    requestId: string | null,
  ): Promise<void> {
    const params: unknown[] = [];
    const row = (values: readonly unknown[]) => `(${values.map((v) => `$${params.push(v)}`).join(', ')})`;
    const parts: string[] = [];
    if (lodgings.length > 0) {
      const cols = LODGING_COLUMNS.map(([c]) => c);
      const rows = lodgings.map((l) => row([detainerId, l.seq, ...LODGING_COLUMNS.map(([, v]) => nullable(v(l)))]));
      parts.push(
        `INSERT INTO lodgings (detainer_id, seq, ${cols.join(', ')}) VALUES ${rows.join(', ')}
         ON CONFLICT (detainer_id, seq) DO UPDATE SET ${cols.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
      );
    }
    if (events.length > 0) {
      const rows = events.map((e, i) => row(eventColumns(detainerId, seqBefore + i + 1, e, requestId)));
      parts.push(`INSERT INTO detainer_events (${EVENT_COLUMNS.join(', ')}) VALUES ${rows.join(', ')}`);
    }
    if (parts.length === 0) return;
    const last = parts.pop()!;
    await sql.query(parts.length === 0 ? last : `WITH ${parts.map((p, i) => `w${i} AS (${p})`).join(', ')} ${last}`, params);
  }
}

const EVENT_COLUMNS = [
  'detainer_id', 'seq', 'version', 'lodging_seq', 'kind', 'occurred_at', 'recorded_at', 'actor_kind', 'actor_id', 'actor_role', 'actor_agency_id',
  'actor_area_id', 'source', 'payload', 'request_id',
];

function eventColumns(detainerId: string, seq: number, e: DetainerEvent, requestId: string | null): unknown[] {
  return [detainerId, seq, e.version, e.lodging, e.kind, e.occurredAt, e.recordedAt, e.actor.kind, e.actor.id, e.actor.role,
    e.actor.agencyId, e.actor.areaId, e.source, encodePayload(e), requestId];
}
