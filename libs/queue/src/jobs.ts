/**
 * Job names are stable literals (a class rename must not orphan jobs already in Redis), each with
 * its payload type. Payloads carry ids only: the database is the source of truth, and Redis keeps
 * job data in clear text.
 */
export interface JobPayloads {
  'system.heartbeat': Record<string, never>;
  /** A reminder's time has come: fan it out to its recipients. `version` must match the row's job_version. */
  'reminder.fire': { reminderId: string; version: number };
  /** Re-creates from PostgreSQL whatever reminder or delivery job Redis lost; removes jobs whose reminder is gone. */
  'reminders.reconcile': Record<string, never>;
  /** One e-mail or webhook delivery, retried with exponential backoff. */
  'delivery.send': { deliveryId: string; version: number };
  /** Roll one report week up; without weekStart, the week that closed last (the weekly scheduler's run). */
  'report.rollup': { weekStart?: string };
  /** Re-roll the closed weeks that late or corrected records touched since their last roll-up. */
  'report.reroll': Record<string, never>;
  /** Links audit entries written since the last run into the audit log's hash chain. */
  'audit.chain': Record<string, never>;
  /** Deletes the Idempotency-Keys that have expired by the service clock, in bounded batches. */
  'idempotency.purge': Record<string, never>;
}

export type JobName = keyof JobPayloads;

/** The BullMQ queues (not the supervisors' compliance queues of libs/domain `QUEUES`). */
export const JOB_QUEUES = {
  system: 'system',
  reminders: 'reminders',
  deliveries: 'deliveries',
  reports: 'reports',
} as const;
export type JobQueue = (typeof JOB_QUEUES)[keyof typeof JOB_QUEUES];

/** Which queue carries each job. */
export const JOB_QUEUE: { [N in JobName]: JobQueue } = {
  'system.heartbeat': JOB_QUEUES.system,
  'reminder.fire': JOB_QUEUES.reminders,
  'reminders.reconcile': JOB_QUEUES.reminders,
  'delivery.send': JOB_QUEUES.deliveries,
  'report.rollup': JOB_QUEUES.reports,
  'report.reroll': JOB_QUEUES.reports,
  'audit.chain': JOB_QUEUES.system,
  'idempotency.purge': JOB_QUEUES.system,
};

export const JOB_NAMES = Object.keys(JOB_QUEUE) as JobName[];

/**
 * Custom job ids may not contain ':' (BullMQ 6) and must be deterministic, so duplicates collapse.
 * Parts are joined with '.'.
 */
export function jobId(...parts: (string | number)[]): string {
  const id = parts.map(String).join('.');
  if (id.includes(':') || /^\d+$/.test(id)) throw new Error(`invalid job id "${id}": no ':' and not an integer`);
  return id;
}

/** `reminder.<id>.v<n>`: versioned, because an id still held by a finished job makes a re-add a silent no-op. */
export function reminderJobId(reminderId: string, version: number): string {
  return jobId('reminder', reminderId, `v${version}`);
}

export function deliveryJobId(deliveryId: string, version: number): string {
  return jobId('delivery', deliveryId, `v${version}`);
}

/** Parses a job id built by reminderJobId / deliveryJobId; null for any other id. */
export function parseVersionedJobId(id: string): { kind: 'reminder' | 'delivery'; id: string; version: number } | null {
  const m = /^(reminder|delivery)\.([0-9a-f-]{36})\.v(\d+)$/.exec(id);
  return m ? { kind: m[1] as 'reminder' | 'delivery', id: m[2], version: Number(m[3]) } : null;
}
