import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Notifications, Principal } from '@app/application';
import { DomainError, toLocal } from '@app/domain';
import { NotificationRecord } from '@app/persistence';
import { ALL_ROLES, CurrentPrincipal, Roles, SessionOnly } from '../common/auth';
import { NotificationPageResponse, NotificationResponse } from './notification.responses';
import { PageQuery, pageOf } from '../common/paging.dto';

export class NotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only unread notifications' }) @IsOptional() @IsIn(['true', 'false'])
  unread?: 'true' | 'false';
}

const id = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'No notification of yours has this id.') });

function present(n: NotificationRecord): NotificationResponse {
  const local = toLocal(n.anchorAt, n.timeZone);
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    detainerId: n.detainerId,
    link: n.link,
    at: n.anchorAt.toISOString(),
    localTime: local.localTime,
    timeZone: n.timeZone,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt?.toISOString() ?? null,
  };
}

/** The caller's in-app inbox of reminders. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: Notifications) {}

  @Get()
  @Roles(...ALL_ROLES)
  @SessionOnly() // an inbox belongs to a person; agency systems receive webhooks
  @ApiOperation({ summary: 'Your notifications, newest first, with the unread count' })
  @ApiOkResponse({ type: NotificationPageResponse })
  async list(@CurrentPrincipal() principal: Principal, @Query() q: NotificationsQuery): Promise<NotificationPageResponse> {
    const page = await this.notifications.list(principal, { ...pageOf(q), unreadOnly: q.unread === 'true' });
    return { items: page.items.map(present), nextCursor: page.nextCursor, unreadCount: page.unreadCount };
  }

  @Post(':id/read')
  @HttpCode(200)
  @Roles(...ALL_ROLES)
  @SessionOnly()
  @ApiOperation({ summary: 'Mark one of your notifications read' })
  @ApiOkResponse({ type: NotificationResponse, description: 'The notification, read' })
  @ApiResponse({ status: 404, description: 'Unknown, or not yours' })
  async read(@CurrentPrincipal() principal: Principal, @Param('id', id) notificationId: string): Promise<NotificationResponse> {
    return present(await this.notifications.markRead(principal, notificationId));
  }
}
