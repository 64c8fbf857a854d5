import { Actor, DetainerEvent, DetainerEventBody, EventSource } from '@app/domain';

export interface EventRow {
  id: string;
  detainer_id: string;
  seq: number;
  version: number;
  lodging_seq: number;
  kind: string;
  occurred_at: Date;
  recorded_at: Date;
  actor_kind: Actor['kind'];
  actor_id: string | null;
  actor_role: string;
  actor_agency_id: string | null;
  actor_area_id: string | null;
  source: EventSource;
  payload: Record<string, unknown>;
  request_id: string | null;
}

/** Payload keys that hold instants; JSON keeps them as ISO strings. */
const INSTANT_KEYS = new Set(['at', 'since', 'expiresAt', 'releaseAt', 'servedAt', 'declineRecordedAt']);

export function encodePayload(event: DetainerEvent): string {
  return JSON.stringify(event.data);
}

export function decodeEvent(row: EventRow): DetainerEvent {
  const data = reviveInstants(row.payload);
  const body = { kind: row.kind, data } as DetainerEventBody;
  return {
    ...body,
    version: row.version,
    lodging: row.lodging_seq,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    actor: {
      kind: row.actor_kind,
      id: row.actor_id,
      role: row.actor_role as Actor['role'],
      agencyId: row.actor_agency_id,
      areaId: row.actor_area_id,
    },
    source: row.source,
  };
}

function reviveInstants(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (INSTANT_KEYS.has(key) && typeof v === 'string') out[key] = new Date(v);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) out[key] = reviveInstants(v as Record<string, unknown>);
    else out[key] = v;
  }
  return out;
}
