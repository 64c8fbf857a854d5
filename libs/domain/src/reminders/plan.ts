/**
 * Which reminders a detainer should have, as a pure function of its state and the clock.
 *
 * The application layer diffs this desired set against the stored reminders inside the transaction
 * that records the change (transactional outbox): a changed time replaces the pending reminder, a
 * reminder no longer desired (final state, cancellation, hold ended) is cancelled, and one already
 * delivered for the same moment is never planned again.
 */
import { currentLodging } from '../detainer/decider';
import type { DetainerState, LodgingState } from '../detainer/types';
import { addElapsedHours, NOTICE_HOURS } from '../time/timing';

export const REMINDER_KINDS = ['release_48h', 'short_notice', 'hold_12h', 'hold_2h', 'hold_expired', 'unacknowledged_24h'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** Who a reminder is for: the lodging agency, the issuing office (its AOR's officers), or the AOR's supervisors. */
export const REMINDER_AUDIENCES = ['agency', 'office', 'supervisors'] as const;
export type ReminderAudience = (typeof REMINDER_AUDIENCES)[number];

const UNACKNOWLEDGED_HOURS = 24;
/** Hours before the hold deadline at which the office is reminded. */
const HOLD_REMINDER_HOURS = [12, 2] as const;

export interface PlannedReminder {
  /** Identity within the detainer: the same key with another time is a reschedule. */
  key: string;
  lodgingSeq: number;
  kind: ReminderKind;
  audience: ReminderAudience;
  /** When to send it. */
  dueAt: Date;
  /** The moment it is about: the release, the hold deadline, the acknowledgment deadline. */
  anchorAt: Date;
  /** The lodging agency (recipients of `agency` reminders). */
  agencyId: string;
  /** The issuing office's AOR (recipients of `office` and `supervisors` reminders). */
  areaId: string;
  facilityId: string;
  timeZone: string;
}

export function reminderKey(lodgingSeq: number, kind: ReminderKind, audience: ReminderAudience): string {
  return `${lodgingSeq}.${kind}.${audience}`;
}

/**
 * The reminders `state` calls for at `now`. Only the current lodging has any: a closed lodging
 * (honored, released, transferred, misdirected, cancelled) is done. Times are elapsed hours, so a
 * daylight-saving change in between never moves a reminder.
 */
export function planReminders(state: DetainerState, now: Date): PlannedReminder[] {
  const lodging = currentLodging(state);
  const make = (kind: ReminderKind, audience: ReminderAudience, dueAt: Date, anchorAt: Date): PlannedReminder => ({
    key: reminderKey(lodging.seq, kind, audience),
    lodgingSeq: lodging.seq,
    kind,
    audience,
    dueAt,
    anchorAt,
    agencyId: lodging.place.agencyId,
    areaId: state.areaId,
    facilityId: lodging.place.facilityId,
    timeZone: lodging.place.timeZone,
  });

  const status = lodging.status;
  switch (status) {
    case 'issued': {
      // Acknowledgment is due 24 h after the request reached the agency through this system: the issue as
      // recorded (a detainer entered days after it was faxed is not "unacknowledged" the moment it is
      // entered), or the transfer that lodged it here.
      const reached = lodging.seq === 1 ? new Date(Math.max(lodging.openedAt.getTime(), state.recordedAt.getTime())) : lodging.openedAt;
      const deadline = addElapsedHours(reached, UNACKNOWLEDGED_HOURS);
      return [make('unacknowledged_24h', 'agency', deadline, deadline), make('unacknowledged_24h', 'supervisors', deadline, deadline)];
    }
    case 'release_scheduled':
    case 'refused': // refused in custody: the person is still held and the office still wants to know of the release
      return releaseReminders(lodging, make);
    case 'held': {
      // After `refuse` the hold fields remain as history; only a lodging in status 'held' has a running hold.
      const expiresAt = lodging.holdExpiresAt;
      if (expiresAt === undefined) return [];
      const series = [
        ...HOLD_REMINDER_HOURS.map((h) => make(h === 12 ? 'hold_12h' : 'hold_2h', 'office', addElapsedHours(expiresAt, -h), expiresAt)),
        make('hold_expired', 'agency', expiresAt, expiresAt),
      ];
      return latestDueOfSeries(series, now);
    }
    case 'acknowledged':
    case 'disputed': // the hold is suspended while a supervisor decides; a rejected claim restores the status and its reminders
    case 'honored':
    case 'released':
    case 'transferred':
    case 'misdirected':
    case 'cancelled':
      return [];
    default: {
      const _never: never = status;
      return _never;
    }
  }
}

function releaseReminders(
  lodging: LodgingState,
  make: (kind: ReminderKind, audience: ReminderAudience, dueAt: Date, anchorAt: Date) => PlannedReminder,
): PlannedReminder[] {
  const releaseAt = lodging.releaseAt;
  const learnedAt = lodging.releaseScheduledRecordedAt;
  if (releaseAt === undefined || learnedAt === undefined) return [];
  const remindAt = addElapsedHours(releaseAt, -NOTICE_HOURS);
  if (remindAt.getTime() >= learnedAt.getTime()) {
    return [make('release_48h', 'agency', remindAt, releaseAt), make('release_48h', 'office', remindAt, releaseAt)];
  }
  // Less than 48 hours' notice: the office is alerted at once (when the schedule was recorded), not 48 h before.
  return [make('short_notice', 'office', learnedAt, releaseAt)];
}

/**
 * Of a series about one deadline (12 h, 2 h, expired), a reminder whose successor is also already due
 * says something stale ("expires in 12 hours" when 2 are left): only the latest due one is kept, with
 * every one still in the future.
 */
function latestDueOfSeries(series: PlannedReminder[], now: Date): PlannedReminder[] {
  const due = series.filter((r) => r.dueAt.getTime() <= now.getTime());
  const latestDue = due[due.length - 1];
  return series.filter((r) => r.dueAt.getTime() > now.getTime() || r === latestDue);
}

/** Each reminder kind names the action due, per audience. */
export function actionDue(kind: ReminderKind, audience: ReminderAudience): string {
  switch (kind) {
    case 'release_48h':
      return audience === 'agency'
        ? 'Release in 48 hours: confirm the release date and time, or record a change.'
        : 'Release in 48 hours: plan the pickup.';
    case 'short_notice':
      return 'Short-notice release (less than 48 hours ahead): plan the pickup now.';
    case 'hold_12h':
      return 'The hold ends in 12 hours: assume custody before the deadline.';
    case 'hold_2h':
      return 'The hold ends in 2 hours: assume custody before the deadline.';
    case 'hold_expired':
      return 'The hold has reached its deadline: it must end now; release the person or record the transfer to federal custody.';
    case 'unacknowledged_24h':
      return audience === 'agency'
        ? 'Not acknowledged after 24 hours: acknowledge the detainer (or report that the person is not in custody).'
        : 'Not acknowledged by the agency after 24 hours: follow up with the agency.';
    default: {
      const _never: never = kind;
      return _never;
    }
  }
}

/** What the anchor instant is, for the message: "Release", "Hold deadline", "Acknowledgment due". */
export function anchorLabel(kind: ReminderKind): string {
  switch (kind) {
    case 'release_48h':
    case 'short_notice':
      return 'Release';
    case 'hold_12h':
    case 'hold_2h':
    case 'hold_expired':
      return 'Hold deadline';
    case 'unacknowledged_24h':
      return 'Acknowledgment was due';
    default: {
      const _never: never = kind;
      return _never;
    }
  }
}
