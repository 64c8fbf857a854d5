import { Body, Controller, Get, HttpCode, Post, Query, Req, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CustodyEventResult, Principal, RecordCustodyEvents } from '@app/application';
import { CustodyEventInput, DomainError, DomainErrorCode } from '@app/domain';
import { CustodyEventRecord } from '@app/persistence';
import { CurrentPrincipal, Roles } from '../common/auth';
import { domainErrorBody } from '../common/domain-exception.filter';
import { CONSUMES_KEY } from '../common/request-body';
import { requestIdOf } from '../detainers/detainers.controller';
import { CUSTODY_CSV_COLUMNS, parseCustodyCsv } from './custody-csv';
import { CustodyEventDto, CustodyEventQuery, CustodyEventsDto, CustodyPreviewQuery } from './custody-events.dto';
import { CustodyEventRecordResponse, CustodyEventResultResponse, CustodyEventResultsResponse } from './custody-events.responses';

export const CUSTODY_EVENTS_PATH = '/api/v1/custody-events';
export const CUSTODY_EVENTS_CSV_PATH = '/api/v1/custody-events.csv';

const CSV_EXAMPLE = `${CUSTODY_CSV_COLUMNS.join(',')}\n8812,release_scheduled,2017-02-01T09:00:00-08:00,KC-2017-004711,,,,2017-02-04T17:00:00-08:00,,,\n`;

/** Custody events from a jail management system (or its staff): thin HTTP over RecordCustodyEvents. */
@ApiTags('custody events')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller()
export class CustodyEventsController {
  constructor(private readonly custody: RecordCustodyEvents) {}

  @Post('api/v1/custody-events')
  @HttpCode(200)
  @Roles('jail_staff')
  @ApiOperation({ summary: 'Send 1 to 1,000 custody events (bookings, release dates, releases, transfers) from your jail management system' })
  @ApiOkResponse({ type: CustodyEventResultsResponse, description: 'Each event\'s outcome, in the order sent; a resent eventId is a duplicate and changes nothing' })
  async record(@CurrentPrincipal() p: Principal, @Body() body: CustodyEventsDto, @Query() q: CustodyPreviewQuery, @Req() req: Request): Promise<CustodyEventResultsResponse> {
    return this.run(p, body.events, q, req);
  }

  @Post('api/v1/custody-events.csv')
  @HttpCode(200)
  @Roles('jail_staff')
  @SetMetadata(CONSUMES_KEY, ['text/csv'])
  @ApiConsumes('text/csv')
  @ApiOperation({ summary: 'The same as a CSV upload: a header row naming the columns, then one event a row', description: `Columns: ${CUSTODY_CSV_COLUMNS.join(', ')} (eventId, kind, at and bookingNumber required; an empty cell is an absent field). A bad row is a 400 naming rows[n].field, and nothing is applied.` })
  @ApiBody({ required: true, schema: { type: 'string', example: CSV_EXAMPLE } })
  @ApiOkResponse({ type: CustodyEventResultsResponse, description: 'Each row\'s outcome, in the order of the file' })
  async recordCsv(@CurrentPrincipal() p: Principal, @Body() body: unknown, @Query() q: CustodyPreviewQuery, @Req() req: Request): Promise<CustodyEventResultsResponse> {
    if (typeof body !== 'string') throw DomainError.invalidInput('body', 'Send the events as text/csv.');
    return this.run(p, parseCustodyCsv(body), q, req);
  }

  @Get('api/v1/custody-events')
  @Roles('jail_staff')
  @ApiOperation({ summary: 'What became of an event you sent ("what did you do with my event 8812?")' })
  @ApiOkResponse({ type: CustodyEventRecordResponse })
  @ApiResponse({ status: 404, description: 'Your agency never sent this eventId' })
  async find(@CurrentPrincipal() p: Principal, @Query() q: CustodyEventQuery): Promise<CustodyEventRecordResponse> {
    const record = await this.custody.find(p, q.eventId);
    if (!record) throw new DomainError('not_found', 'Your agency has sent no custody event with this eventId.');
    return presentRecord(record);
  }

  private async run(p: Principal, events: CustodyEventDto[], q: CustodyPreviewQuery, req: Request): Promise<CustodyEventResultsResponse> {
    const preview = q.preview === 'true';
    const results = await this.custody.execute(p, events.map(toInput), { requestId: requestIdOf(req), preview });
    return { results: results.map(presentResult), preview };
  }
}

function toInput(e: CustodyEventDto): CustodyEventInput {
  const input: CustodyEventInput = { eventId: e.eventId, kind: e.kind, at: e.at, bookingNumber: e.bookingNumber };
  if (e.facilityId !== undefined) input.facilityId = e.facilityId;
  if (e.destination !== undefined) input.destination = e.destination;
  if (e.toFacilityId !== undefined) input.toFacilityId = e.toFacilityId;
  if (e.releaseAt !== undefined) input.releaseAt = e.releaseAt;
  if (e.subject !== undefined) input.subject = { ...e.subject };
  return input;
}

function presentResult(r: CustodyEventResult): CustodyEventResultResponse {
  return {
    eventId: r.eventId,
    outcome: r.outcome,
    ...(r.detainerId !== undefined && { detainerId: r.detainerId }),
    ...(r.error !== undefined && { error: domainErrorBody(r.error) }),
  };
}

function presentRecord(r: CustodyEventRecord): CustodyEventRecordResponse {
  const error = r.error ? domainErrorBody(new DomainError(r.error.code as DomainErrorCode, String(r.error.message), (r.error.details ?? undefined) as never)) : undefined;
  return {
    eventId: r.eventId,
    kind: r.kind,
    bookingNumber: r.bookingNumber,
    outcome: r.outcome,
    ...(r.detainerId !== null && { detainerId: r.detainerId }),
    ...(error && { error }),
    event: r.event,
    receivedAt: r.receivedAt.toISOString(),
    requestId: r.requestId,
  };
}
