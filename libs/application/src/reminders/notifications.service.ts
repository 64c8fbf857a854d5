import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/domain';
import { Database, DetainerReadRepository, NotificationRecord, NotificationRepository, Page } from '@app/persistence';
import { Clock } from '../clock';
import { detainerScopeOf, mayReadIdentity, Principal } from '../principal';

/** The case a notification is about, as the caller may see it: the person (for roles that may read identities) and the booking number. */
export interface NotificationCase {
  subject: { familyName: string; givenName: string } | null;
  bookingNumber: string | null;
  facilityName: string;
}

/** The caller's own inbox. API keys have no inbox: their agency hears by webhook. */
@Injectable()
export class Notifications {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly notifications: NotificationRepository,
    private readonly detainers: DetainerReadRepository,
  ) {}

  async list(
    principal: Principal,
    page: { limit: number; cursor?: string; unreadOnly?: boolean },
  ): Promise<Page<NotificationRecord> & { unreadCount: number; cases: Map<string, NotificationCase> }> {
    const userId = userOf(principal);
    return this.db.read(async (sql) => {
      const [list, unreadCount] = [await this.notifications.listForUser(sql, userId, page), await this.notifications.unreadCount(sql, userId)];
      // Named through the detainers the caller may read now (scoped like any read); none for a case out of reach.
      const ids = [...new Set(list.items.map((n) => n.detainerId))];
      const found = await this.detainers.findMany(sql, ids, { scope: detainerScopeOf(principal), includeIdentity: mayReadIdentity(principal) });
      const cases = new Map<string, NotificationCase>();
      for (const d of found) {
        const lodging = d.lodgings[d.lodgings.length - 1];
        cases.set(d.id, {
          subject: d.subject ? { familyName: d.subject.familyName, givenName: d.subject.givenName } : null,
          bookingNumber: lodging?.bookingNumber ?? null,
          facilityName: lodging?.facility.name ?? '',
        });
      }
      return { ...list, unreadCount, cases };
    });
  }

  async markRead(principal: Principal, id: string): Promise<NotificationRecord> {
    const userId = userOf(principal);
    const updated = await this.db.transaction((sql) => this.notifications.markRead(sql, userId, id, this.clock.now()));
    if (!updated) throw new DomainError('not_found', 'No notification of yours has this id.');
    return updated;
  }

  /** "Mark all read": the caller's unread ones (of one kind, created up to what they have seen, when given). */
  async markAllRead(principal: Principal, only: { kind?: string; upTo?: Date }): Promise<{ marked: number; unreadCount: number }> {
    const userId = userOf(principal);
    return this.db.transaction(async (sql) => {
      const marked = await this.notifications.markAllRead(sql, userId, this.clock.now(), only);
      return { marked, unreadCount: await this.notifications.unreadCount(sql, userId) };
    });
  }
}

function userOf(principal: Principal): string {
  if (principal.kind !== 'user') throw new DomainError('forbidden', 'Only signed-in users have an inbox; agency systems receive webhooks.');
  return principal.id;
}
