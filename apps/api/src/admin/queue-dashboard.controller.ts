import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Principal } from '@app/application';
import { CurrentPrincipal, Roles, SessionOnly, WithoutReauthentication } from '../common/auth';
import { TICKET_TTL_SECONDS, QueueDashboardAccess } from './queue-dashboard-access';

export class QueueDashboardTicketResponse {
  @ApiProperty({ example: '/admin/queues/enter?ticket=5mP0…', description: 'Open this in the browser within the minute; it works once' })
  url!: string;
  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/queue-dashboard')
export class QueueDashboardController {
  constructor(private readonly access: QueueDashboardAccess) {}

  @Post('tickets')
  @HttpCode(200)
  @Roles('admin')
  @SessionOnly()
  @WithoutReauthentication()
  @ApiOperation({
    summary: 'A single-use link to the queue dashboard (admin)',
    description:
      `The link is good once, for ${TICKET_TTL_SECONDS} seconds: opening it sets an http-only cookie for /admin/queues bound to your session. ` +
      'Looking needs nothing more; changing anything there (pause, retry, clean, remove) needs a recent sign-in (POST /api/v1/auth/reauthenticate) and is written to the audit log.',
  })
  @ApiOkResponse({ type: QueueDashboardTicketResponse })
  async ticket(@CurrentPrincipal() admin: Principal): Promise<QueueDashboardTicketResponse> {
    const { ticket, expiresAt } = await this.access.issueTicket(admin, new Date());
    return { url: `/admin/queues/enter?ticket=${ticket}`, expiresAt: expiresAt.toISOString() };
  }
}
