import type { PlannedReminder } from './plan';

/** A reminder as stored: pending (waiting for its time) or fired (delivered, or being delivered). */
export interface StoredReminder {
  id: string;
  key: string;
  dueAt: Date;
  anchorAt: Date;
  status: 'pending' | 'fired';
}

export interface ReminderDiff {
  /** Desired reminders to write as new pending rows. */
  insert: PlannedReminder[];
  /** Pending rows no longer wanted: superseded by a new time, or nothing is due any more. */
  cancel: { id: string; reason: 'rescheduled' | 'no_longer_due' }[];
  /** Pending rows that stay as they are. */
  keep: string[];
}

/**
 * Desired versus stored. The same key at the same times is kept; another time replaces it; a key
 * already fired for the same moment is never planned again (a reminder goes out once); a pending
 * key no longer desired is cancelled.
 */
export function diffReminders(desired: readonly PlannedReminder[], stored: readonly StoredReminder[]): ReminderDiff {
  const diff: ReminderDiff = { insert: [], cancel: [], keep: [] };
  const desiredKeys = new Set(desired.map((d) => d.key));
  const same = (s: StoredReminder, d: PlannedReminder) => s.dueAt.getTime() === d.dueAt.getTime() && s.anchorAt.getTime() === d.anchorAt.getTime();
  for (const d of desired) {
    const pending = stored.filter((s) => s.status === 'pending' && s.key === d.key);
    const kept = pending.find((s) => same(s, d));
    for (const s of pending) if (s !== kept) diff.cancel.push({ id: s.id, reason: 'rescheduled' });
    if (kept) {
      diff.keep.push(kept.id);
      continue;
    }
    const alreadyFired = stored.some((s) => s.status === 'fired' && s.key === d.key && same(s, d));
    if (!alreadyFired) diff.insert.push(d);
  }
  for (const s of stored) {
    if (s.status === 'pending' && !desiredKeys.has(s.key)) diff.cancel.push({ id: s.id, reason: 'no_longer_due' });
  }
  return diff;
}
