import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { CustodyEventInput, formatLocal, normaliseANumber, normaliseFbiNumber, parseInstant } from '@app/domain';
import { CustodyAlertRepository, RecipientRepository, ReferenceRepository, Sql } from '@app/persistence';

/**
 * A booking of a person who has an open request lodged with another agency: the request may be
 * misdirected, or a transfer went unreported. The issuing office (its officers and supervisors) is
 * told in their inbox and the item enters its supervisors' `booked_elsewhere` queue; the booking agency learns nothing from it. Runs in the system's scope, in the
 * transaction that stores the event, so the alert and the event commit together.
 */
@Injectable()
export class BookingAlerts {
  constructor(
    private readonly alerts: CustodyAlertRepository,
    private readonly recipients: RecipientRepository,
    private readonly references: ReferenceRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Whether the event can raise an alert at all (a booking naming an A-number or FBI number). */
  static concerns(event: CustodyEventInput): boolean {
    return event.kind === 'booked' && !!(identifiersOf(event).aNumber || identifiersOf(event).fbiNumber);
  }

  /** Notifies the issuing offices; returns how many requests were concerned. */
  async raise(sql: Sql, event: CustodyEventInput, custodyEventId: string, bookingAgencyId: string, now: Date): Promise<number> {
    const found = await this.alerts.lodgedElsewhere(sql, identifiersOf(event), bookingAgencyId);
    if (found.length === 0) return 0;
    const booking = await this.references.findAgency(sql, bookingAgencyId);
    for (const request of found) {
      let bookedAt: Date;
      try {
        bookedAt = parseInstant(event.at, 'at', request.timeZone);
      } catch {
        bookedAt = now;
      }
      await this.alerts.queue(sql, { custodyEventId, detainerId: request.detainerId, lodgingSeq: request.lodgingSeq, areaId: request.issuingAreaId, bookedAt }, now);
      const link = `${this.config.publicUrl}/detainers/${request.detainerId}`;
      const body = [
        `The person on detainer ${request.detainerId}, lodged with ${request.agencyName}, was booked by ${booking?.name ?? 'another agency'}.`,
        `Booked: ${formatLocal(bookedAt, request.timeZone)} (${bookedAt.toISOString()} UTC)`,
        'The request may be misdirected, or a transfer went unreported: check with both agencies.',
        `Open it: ${link}`,
      ].join('\n');
      const users = [
        ...(await this.recipients.usersFor(sql, 'office', { agencyId: bookingAgencyId, areaId: request.issuingAreaId })),
        ...(await this.recipients.usersFor(sql, 'supervisors', { agencyId: bookingAgencyId, areaId: request.issuingAreaId })),
      ];
      for (const u of users) {
        await this.alerts.notify(sql, {
          userId: u.userId, custodyEventId, detainerId: request.detainerId, title: `Booked elsewhere: detainer ${request.detainerId.slice(0, 8)}`,
          body, link, anchorAt: bookedAt, timeZone: request.timeZone,
        }, now);
      }
    }
    return found.length;
  }
}

function identifiersOf(event: CustodyEventInput): { aNumber: string | null; fbiNumber: string | null } {
  return {
    aNumber: event.subject?.aNumber ? normaliseANumber(event.subject.aNumber) : null,
    fbiNumber: event.subject?.fbiNumber ? normaliseFbiNumber(event.subject.fbiNumber) : null,
  };
}
