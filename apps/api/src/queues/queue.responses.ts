import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACTION_NAMES, CLAIM_ACTIONS, DECLINE_KINDS, DeclineKind, DETAINER_FORMS, DetainerForm, LODGING_STATUSES, QUEUE_NAMES, QueueAction, QueueName } from '@app/domain';
import { AgencyRef, AreaCodeRef, FacilityRef, JurisdictionRef, LOCAL_TIMES } from '../common/responses';

const INSTANT = { format: 'date-time' } as const;
const QUEUE_ACTIONS = [...ACTION_NAMES, ...CLAIM_ACTIONS, 'resolve_dispute', 'retry_delivery'];
const LOCAL = { example: '2017-02-03T09:00:00', description: 'The instant above at the facility (`timeZone`)' } as const;

export class QueueSummaryResponse {
  @ApiProperty({ enum: QUEUE_NAMES }) name!: QueueName;
  @ApiProperty({ example: 'Unacknowledged over 24 hours' }) title!: string;
  @ApiProperty({ description: 'What membership means, in words' }) rule!: string;
  @ApiProperty({ type: 'integer' }) count!: number;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'When the earliest item is (was) due' }) oldestDueAt!: string | null;
  @ApiPropertyOptional({ ...LOCAL, description: 'oldestDueAt at that item\'s facility' }) localTime?: string;
  @ApiPropertyOptional({ example: 'America/Los_Angeles' }) timeZone?: string;
}

export class UserRef {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'officer.sea' }) username!: string;
}

export class ClaimHolder extends UserRef {
  @ApiPropertyOptional() displayName?: string;
}

export class ClaimResponse {
  @ApiProperty({ type: ClaimHolder }) holder!: ClaimHolder;
  @ApiProperty(INSTANT) claimedAt!: string;
  @ApiProperty(LOCAL) localTime!: string;
  @ApiProperty() timeZone!: string;
  @ApiPropertyOptional({ type: UserRef, description: 'Who took the claim, when a supervisor assigned it' }) claimedBy?: UserRef;
}

export class QueueItemAction {
  @ApiProperty({ enum: QUEUE_ACTIONS }) name!: QueueAction;
  @ApiProperty({ enum: ['POST'] }) method!: 'POST';
  @ApiProperty({ example: '/api/v1/detainers/5b1d…/plan-pickup' }) path!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'resolve_dispute: which record dispute' }) disputeId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'retry_delivery: which delivery' }) deliveryId?: string;
}

export class QueueSubjectResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty() givenName!: string;
  @ApiPropertyOptional({ example: 'A012345678' }) aNumber?: string;
}

export class QueueDisputeResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: 'integer' }) lodging!: number;
  @ApiProperty({ type: AgencyRef }) agency!: AgencyRef;
  @ApiProperty() reason!: string;
  @ApiProperty(INSTANT) openedAt!: string;
  @ApiProperty(LOCAL) localTime!: string;
  @ApiProperty() timeZone!: string;
}

export class QueueDeliveryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['email', 'webhook'] }) channel!: string;
  @ApiProperty({ example: 'release_48h' }) reminderKind!: string;
  @ApiProperty({ description: 'The user or webhook it was for' }) recipient!: string;
  @ApiPropertyOptional({ description: 'Where it went (e-mail address or URL)' }) address?: string;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiPropertyOptional() lastError?: string;
  @ApiProperty(INSTANT) failedAt!: string;
  @ApiProperty(LOCAL) localTime!: string;
  @ApiProperty() timeZone!: string;
}

export class QueueItemResponse {
  @ApiProperty({ enum: QUEUE_NAMES }) queue!: QueueName;
  @ApiProperty({ format: 'uuid' }) detainerId!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ enum: DETAINER_FORMS }) type!: DetainerForm;
  @ApiProperty({ enum: LODGING_STATUSES }) status!: string;
  @ApiProperty({ ...INSTANT, description: 'When the item is (was) due: items are ordered by it' }) dueAt!: string;
  @ApiProperty(LOCAL) localTime!: string;
  @ApiProperty({ example: 'America/Los_Angeles' }) timeZone!: string;
  @ApiProperty({ type: FacilityRef }) facility!: FacilityRef;
  @ApiProperty({ type: AgencyRef }) agency!: AgencyRef;
  @ApiProperty({ type: JurisdictionRef }) jurisdiction!: JurisdictionRef;
  @ApiProperty({ type: AreaCodeRef, description: 'The AOR of the facility holding the person' }) area!: AreaCodeRef;
  @ApiProperty({ type: AreaCodeRef, description: 'The AOR that issued the detainer' }) issuingArea!: AreaCodeRef;
  @ApiProperty({ type: QueueSubjectResponse }) subject!: QueueSubjectResponse;
  @ApiProperty({ type: 'integer', description: 'The lodging the item is about' }) lodging!: number;
  @ApiProperty(INSTANT) issuedAt!: string;
  @ApiProperty({ ...INSTANT, description: 'When the request reached the agency holding the person' }) lodgedAt!: string;
  @ApiPropertyOptional(INSTANT) acknowledgedAt?: string;
  @ApiPropertyOptional(INSTANT) releaseAt?: string;
  @ApiPropertyOptional({ type: 'number' }) noticeLeadHours?: number;
  @ApiPropertyOptional(INSTANT) pickupPlannedAt?: string;
  @ApiPropertyOptional(INSTANT) holdSince?: string;
  @ApiPropertyOptional(INSTANT) holdExpiresAt?: string;
  @ApiPropertyOptional(INSTANT) releasedAt?: string;
  @ApiPropertyOptional({ enum: DECLINE_KINDS }) declineKind?: DeclineKind;
  @ApiPropertyOptional(INSTANT) declineRecordedAt?: string;
  @ApiPropertyOptional({ enum: ['citizenship', 'identity'] }) identityClaim?: 'citizenship' | 'identity';
  @ApiPropertyOptional({ type: [QueueDisputeResponse], description: 'disputes queue: the open record disputes' }) disputes?: QueueDisputeResponse[];
  @ApiPropertyOptional({ type: [QueueDeliveryResponse], description: 'failed_deliveries queue: the deliveries that failed' }) deliveries?: QueueDeliveryResponse[];
  @ApiProperty(LOCAL_TIMES) localTimes!: Record<string, string>;
  @ApiProperty({ type: ClaimResponse, nullable: true, description: 'Who is working it (advisory)' }) claim!: ClaimResponse | null;
  @ApiProperty({ type: [QueueItemAction], description: 'What you can do from it, and where' }) actions!: QueueItemAction[];
}

export class ClaimResultResponse {
  @ApiProperty({ enum: QUEUE_NAMES }) queue!: QueueName;
  @ApiProperty({ format: 'uuid' }) detainerId!: string;
  @ApiProperty({ type: ClaimResponse, nullable: true, description: 'The claim now (null: released)' }) claim!: ClaimResponse | null;
  @ApiProperty({ type: QueueItemResponse, nullable: true, description: 'The item now (null: no longer in the queue)' }) item!: QueueItemResponse | null;
}
