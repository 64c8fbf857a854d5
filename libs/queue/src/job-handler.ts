import type { Job } from 'bullmq';
import { JobName, JobPayloads } from './jobs';

/** A processor for one job name. Thin: parse, call a use case, let errors reach BullMQ. */
export interface JobHandler<N extends JobName = JobName> {
  readonly jobName: N;
  handle(payload: JobPayloads[N], job: Job<JobPayloads[N], unknown, N>): Promise<void>;
}

export const JOB_HANDLERS = Symbol('JobHandlers');

/** Fails fast, with a how-to-fix message, when a job name has no processor or two. */
export function indexHandlers(handlers: readonly JobHandler[], names: readonly JobName[]): Map<JobName, JobHandler> {
  const byName = new Map<JobName, JobHandler>();
  const problems: string[] = [];
  for (const h of handlers) {
    if (!names.includes(h.jobName)) problems.push(`processor ${h.constructor.name} handles "${h.jobName}", which is not in JOB_QUEUE (libs/queue/src/jobs.ts)`);
    else if (byName.has(h.jobName)) problems.push(`"${h.jobName}" has two processors: ${byName.get(h.jobName)!.constructor.name} and ${h.constructor.name}; keep one`);
    else byName.set(h.jobName, h);
  }
  for (const name of names) if (!byName.has(name)) problems.push(`"${name}" has no processor: add one to apps/worker/src/processors and register it in worker.module.ts`);
  if (problems.length) throw new Error(`Job registry is inconsistent:\n  - ${problems.join('\n  - ')}`);
  return byName;
}
