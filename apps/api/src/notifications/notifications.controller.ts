import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Notifications, Principal } from '@app/application';
import { DomainError, parseInstant, toLocal } from '@app/domain';
import { NotificationRecord } from '@app/persistence';
import { ALL_ROLES, CurrentPrincipal, Roles, SessionOnly } from '../common/auth';
import { NOTIFICATION_KINDS, NotificationPageResponse, NotificationResponse } from './notification.responses';
import { PageQuery, pageOf } from '../common/paging.dto';
import { IsInstant } from '../common/validators';

export class MarkAllReadDto {
  @ApiPropertyOptional({ enum: NOTIFICATION_KINDS, description: 'Only notifications of this kind' }) @IsOptional() @IsIn(NOTIFICATION_KINDS)
  kind?: (typeof NOTIFICATION_KINDS)[number];

  @ApiPropertyOptional({ format: 'date-time', description: 'Only those created at or before this moment (the newest you have seen), so one that arrives meanwhile stays unread' })
  @IsOptional() @IsInstant()
  upTo?: string;
}

export class MarkAllReadResponse {
  @ApiProperty({ type: 'integer', description: 'How many were marked read now' }) marked!: number;
  @ApiProperty({ type: 'integer', description: 'Your unread notifications left' }) unreadCount!: number;
}

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
    return { items: page.items.map((n) => ({ ...present(n), case: page.cases.get(n.detainerId) ?? null })), nextCursor: page.nextCursor, unreadCount: page.unreadCount };
  }

  @Post('read-all')
  @HttpCode(200)
  @Roles(...ALL_ROLES)
  @SessionOnly()
  @ApiOperation({ summary: 'Mark all your unread notifications read (optionally of one kind, up to a moment)' })
  @ApiOkResponse({ type: MarkAllReadResponse })
  async readAll(@CurrentPrincipal() principal: Principal, @Body() body: MarkAllReadDto): Promise<MarkAllReadResponse> {
    return this.notifications.markAllRead(principal, { kind: body.kind, upTo: body.upTo ? parseInstant(body.upTo, 'upTo') : undefined });
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
