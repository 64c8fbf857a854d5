import { actionDue, anchorLabel, formatLocal, REMINDER_KINDS, toLocal } from '@app/domain';
import { ReminderContext, ReminderRecord } from '@app/persistence';

/** Webhook event names: one per reminder kind. */
export const WEBHOOK_EVENTS = REMINDER_KINDS.map((k) => `reminder.${k}` as const);
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
/** Kinds an agency hears about (the default subscription). */
export const AGENCY_WEBHOOK_EVENTS: WebhookEvent[] = ['reminder.release_48h', 'reminder.hold_expired', 'reminder.unacknowledged_24h'];

export interface ReminderMessage {
  title: string;
  text: string;
  link: string;
  /** The JSON webhooks receive (without the delivery id, added per delivery). */
  data: Record<string, unknown>;
}

const TITLES: Record<ReminderRecord['kind'], string> = {
  release_48h: 'Release in 48 hours',
  short_notice: 'Short-notice release',
  hold_12h: 'Hold ends in 12 hours',
  hold_2h: 'Hold ends in 2 hours',
  hold_expired: 'Hold deadline reached',
  unacknowledged_24h: 'Detainer not acknowledged after 24 hours',
};

/**
 * The reminder in words: the action due, the moment in the facility's local time with its zone and
 * as the UTC instant, the detainer, and a link to it in the web app. No subject identity: e-mail
 * and webhooks leave our systems.
 */
export function renderReminder(reminder: ReminderRecord, context: ReminderContext, publicUrl: string): ReminderMessage {
  const link = `${publicUrl}/detainers/${reminder.detainerId}`;
  const local = toLocal(reminder.anchorAt, reminder.timeZone);
  const utc = reminder.anchorAt.toISOString();
  const action = actionDue(reminder.kind, reminder.audience);
  const label = anchorLabel(reminder.kind);
  const title = `${TITLES[reminder.kind]}: detainer ${context.detainerId.slice(0, 8)} at ${context.facilityName}`;
  const text = [
    action,
    '',
    `${label}: ${formatLocal(reminder.anchorAt, reminder.timeZone)}`,
    `         ${utc} (UTC)`,
    `Detainer: ${context.detainerId} (${context.form})`,
    `Facility: ${context.facilityName}, ${context.agencyName}${context.bookingNumber ? `; booking ${context.bookingNumber}` : ''}`,
    `Open it: ${link}`,
  ].join('\n');
  return {
    title,
    text,
    link,
    data: {
      event: `reminder.${reminder.kind}`,
      reminderId: reminder.id,
      detainerId: reminder.detainerId,
      lodging: reminder.lodgingSeq,
      audience: reminder.audience,
      action,
      dueAt: reminder.dueAt.toISOString(),
      [anchorField(reminder.kind)]: { utc, localTime: local.localTime, timeZone: local.timeZone, abbreviation: local.abbreviation },
      facilityId: reminder.facilityId,
      agencyId: reminder.agencyId,
      bookingNumber: context.bookingNumber,
      link,
    },
  };
}

function anchorField(kind: ReminderRecord['kind']): string {
  switch (kind) {
    case 'release_48h':
    case 'short_notice':
      return 'releaseAt';
    case 'hold_12h':
    case 'hold_2h':
    case 'hold_expired':
      return 'holdExpiresAt';
    case 'unacknowledged_24h':
      return 'acknowledgmentDueAt';
    default: {
      const never: never = kind;
      return never;
    }
  }
}
