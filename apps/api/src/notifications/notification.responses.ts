import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REMINDER_KINDS } from '@app/domain';

/** What a notification can be about: a reminder, or an alert raised by a custody event. */
export const NOTIFICATION_KINDS = [...REMINDER_KINDS, 'booked_elsewhere'] as const;

export class NotificationCaseSubject {
  @ApiProperty({ example: 'HERNÁNDEZ' }) familyName!: string;
  @ApiProperty({ example: 'José' }) givenName!: string;
}

export class NotificationCaseResponse {
  @ApiProperty({ type: NotificationCaseSubject, nullable: true, description: 'The person; null for a role that may not see identities' })
  subject!: NotificationCaseSubject | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'KC-2026-0411', description: 'The booking number at the facility you see, when given' })
  bookingNumber!: string | null;
  @ApiProperty({ example: 'King County Correctional Facility' }) facilityName!: string;
}

export class NotificationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS, example: 'release_48h', description: 'The reminder kind, or booked_elsewhere: another agency booked the person on an open request (a custody event)' }) kind!: string;
  @ApiProperty({ example: 'Release in 48 hours: detainer 5b1d2c3e at King County Correctional Facility' }) title!: string;
  @ApiProperty({ description: 'The message, with the moment in facility time and UTC' }) body!: string;
  @ApiProperty({ format: 'uuid' }) detainerId!: string;
  @ApiProperty({ format: 'uri', description: "The detainer's page in the web app" }) link!: string;
  @ApiProperty({ format: 'date-time', description: 'The moment it is about (the release, the hold deadline, ...)' }) at!: string;
  @ApiProperty({ example: '2017-02-03T09:00:00', description: '`at` at the facility' }) localTime!: string;
  @ApiProperty({ example: 'America/Los_Angeles' }) timeZone!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) readAt!: string | null;
  @ApiPropertyOptional({
    type: NotificationCaseResponse, nullable: true,
    description: 'The case it is about, as you may see it now (in the list only; null when the detainer is out of your reach)',
  })
  case?: NotificationCaseResponse | null;
}

export class NotificationPageResponse {
  @ApiProperty({ type: [NotificationResponse] }) items!: NotificationResponse[];
  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as ?cursor= for the next page; null on the last page' }) nextCursor!: string | null;
  @ApiProperty({ type: 'integer', description: 'Your unread notifications in all' }) unreadCount!: number;
}
