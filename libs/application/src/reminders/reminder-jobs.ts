import { ReminderSettings } from '@app/config';
import { deliveryJobId, NewJob, reminderJobId } from '@app/queue';

/**
 * The job that fires a reminder at its time: the remaining delay, or at once when overdue. BullMQ
 * counts delays on the real clock, so the delay is too (never the injected application clock).
 */
export function reminderJob(r: { id: string; jobVersion: number; dueAt: Date }): NewJob<'reminder.fire'> {
  const now = Date.now();
  return {
    name: 'reminder.fire',
    data: { reminderId: r.id, version: r.jobVersion },
    jobId: reminderJobId(r.id, r.jobVersion),
    opts: { delay: Math.max(0, r.dueAt.getTime() - now), attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
  };
}

/** One e-mail or webhook delivery: retried with exponential backoff, then marked failed. */
export function deliveryJob(d: { id: string; jobVersion: number }, settings: ReminderSettings): NewJob<'delivery.send'> {
  return {
    name: 'delivery.send',
    data: { deliveryId: d.id, version: d.jobVersion },
    jobId: deliveryJobId(d.id, d.jobVersion),
    opts: { attempts: settings.deliveryAttempts, backoff: { type: 'exponential', delay: settings.deliveryBackoffMs } },
  };
}

/** After-commit work must not hold the caller up when Redis is down: the reconciler catches up. */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
