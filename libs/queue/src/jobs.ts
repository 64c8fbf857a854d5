/**
 * Job names are stable literals (a class rename must not orphan jobs already in Redis), each with
 * its payload type. Payloads carry ids only: the database is the source of truth, and Redis keeps
 * job data in clear text.
 */
export interface JobPayloads {
  'system.heartbeat': Record<string, never>;
  /** Roll one report week up; without weekStart, the week that closed last (the weekly scheduler's run). */
  'report.rollup': { weekStart?: string };
  /** Re-roll the closed weeks that late or corrected records touched since their last roll-up. */
  'report.reroll': Record<string, never>;
}

export type JobName = keyof JobPayloads;

export const QUEUES = {
  system: 'system',
  reports: 'reports',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Which queue carries each job. */
export const JOB_QUEUE: { [N in JobName]: QueueName } = {
  'system.heartbeat': QUEUES.system,
  'report.rollup': QUEUES.reports,
  'report.reroll': QUEUES.reports,
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
