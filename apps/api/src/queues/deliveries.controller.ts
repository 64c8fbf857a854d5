import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { FailedDeliveries, Principal } from '@app/application';
import { DomainError } from '@app/domain';
import { DeliveryRecord } from '@app/persistence';
import { CurrentPrincipal, Roles } from '../common/auth';
import { DeliveryResponse } from './delivery.responses';

const deliveryId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'No failed delivery in your scope has this id.') });

/** Retrying a reminder delivery that failed for good: the action of the failed_deliveries queue. */
@ApiTags('queues')
@ApiBearerAuth()
@ApiResponse({ status: 404, description: 'No failed delivery with this id in your scope (also: already retried)' })
@Controller('api/v1/deliveries')
export class DeliveriesController {
  constructor(private readonly failed: FailedDeliveries) {}

  @Post(':id/retry')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiOperation({ summary: 'Send a failed reminder e-mail or webhook again: back to pending, with a fresh set of attempts (supervisors: their AOR; admins: any)' })
  @ApiOkResponse({ type: DeliveryResponse, description: 'The delivery, pending again' })
  async retry(@CurrentPrincipal() principal: Principal, @Param('id', deliveryId) id: string): Promise<DeliveryResponse> {
    return present(await this.failed.retry(principal, id));
  }
}

function present(d: DeliveryRecord): DeliveryResponse {
  return { id: d.id, reminderId: d.reminderId, channel: d.channel, status: d.status, attempts: d.attempts, failedAt: d.failedAt?.toISOString() ?? null };
}
