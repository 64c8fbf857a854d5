import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ACK_RESPONSES, ACTION_NAMES, ActionName, AMENDABLE_PARTS, AmendablePart, AckResponse, CANCEL_REASONS, CancelReason, Channel, CHANNELS, CHARGE_LEVELS, CHARGE_STATUSES, DECLINE_KINDS,
  DeclineKind, DETAINER_FORMS, DetainerForm, EVENT_SOURCES, LODGING_STATUSES, LodgingStatus, OUTCOME_KINDS, OutcomeKind, PROBABLE_CAUSES,
  ProbableCause, RELEASE_DESTINATIONS, ReleaseDestination, WARRANT_FORMS, WarrantForm,
} from '@app/domain';
import { AgencyRef, AreaCodeRef, AreaRef, FacilityRef, JurisdictionRef, LOCAL_TIMES } from '../../common/responses';

const DETAINER_STATUSES = LODGING_STATUSES;
const INSTANT = { format: 'date-time', example: '2017-02-03T17:00:00.000Z' } as const;

export class SubjectResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiPropertyOptional({ example: 'A012345678', description: 'A followed by 9 digits' }) aNumber?: string;
  @ApiPropertyOptional({ example: '123456AB7' }) fbiNumber?: string;
  @ApiPropertyOptional({ example: 'WA-12345678', description: 'State identification number (SID)' }) stateId?: string;
  @ApiProperty({ example: 'Garcia' }) familyName!: string;
  @ApiProperty({ example: 'Maria' }) givenName!: string;
  @ApiProperty({ format: 'date', example: '1984-06-01' }) dateOfBirth!: string;
  @ApiPropertyOptional({ enum: ['F', 'M', 'X'] }) sex?: 'F' | 'M' | 'X';
  @ApiProperty({ example: 'HN', description: 'ISO 3166-1 alpha-2 country of citizenship' }) citizenship!: string;
}

export class ChargeResponse {
  @ApiProperty({ example: 'Burglary, second degree' }) description!: string;
  @ApiPropertyOptional({ example: '2299', description: 'NCIC offense code' }) ncicCode?: string;
  @ApiProperty({ enum: CHARGE_LEVELS }) level!: (typeof CHARGE_LEVELS)[number];
  @ApiProperty({ enum: CHARGE_STATUSES }) status!: (typeof CHARGE_STATUSES)[number];
}

export class WarrantResponse {
  @ApiProperty({ enum: WARRANT_FORMS }) form!: WarrantForm;
  @ApiProperty({ example: 'I200-2017-0042' }) number!: string;
}

export class LodgingResponse {
  @ApiProperty({ type: 'integer', example: 1, description: 'Which lodging (1-based): a release to another agency opens the next' }) seq!: number;
  @ApiProperty({ type: FacilityRef }) facility!: FacilityRef;
  @ApiProperty({ type: AgencyRef }) agency!: AgencyRef;
  @ApiProperty({ type: JurisdictionRef }) jurisdiction!: JurisdictionRef;
  @ApiProperty({ type: AreaCodeRef, description: 'The AOR the facility lies in' }) area!: AreaCodeRef;
  @ApiProperty({ ...INSTANT, description: 'When the request reached this agency' }) from!: string;
  @ApiPropertyOptional({ ...INSTANT, description: 'When this lodging ended' }) to?: string;
  @ApiProperty({ enum: LODGING_STATUSES, description: 'transferred: the person went on to another agency' }) status!: LodgingStatus;
  @ApiPropertyOptional({ enum: ACK_RESPONSES }) response?: AckResponse;
  @ApiPropertyOptional() responseReason?: string;
  @ApiPropertyOptional({ format: 'uuid' }) policyId?: string;
  @ApiPropertyOptional(INSTANT) acknowledgedAt?: string;
  @ApiPropertyOptional({ example: '2017-000123' }) bookingNumber?: string;
  @ApiPropertyOptional(INSTANT) releaseAt?: string;
  @ApiPropertyOptional({ type: 'number', description: 'Hours of notice the release was given with' }) noticeLeadHours?: number;
  @ApiPropertyOptional(INSTANT) pickupPlannedAt?: string;
  @ApiPropertyOptional(INSTANT) holdSince?: string;
  @ApiPropertyOptional(INSTANT) holdExpiresAt?: string;
  @ApiPropertyOptional(INSTANT) releasedAt?: string;
  @ApiPropertyOptional({ enum: RELEASE_DESTINATIONS }) destination?: ReleaseDestination;
  @ApiPropertyOptional({ format: 'uuid' }) toFacilityId?: string;
  @ApiPropertyOptional(INSTANT) honoredAt?: string;
  @ApiPropertyOptional(INSTANT) refusedAt?: string;
  @ApiPropertyOptional({ enum: ['citizenship', 'identity'], description: 'An open citizenship or identity claim' }) identityClaim?: 'citizenship' | 'identity';
  @ApiProperty({ description: 'This lodging counts as a decline by its agency' }) declined!: boolean;
  @ApiPropertyOptional({ enum: DECLINE_KINDS }) declineKind?: DeclineKind;
  @ApiPropertyOptional(INSTANT) declineRecordedAt?: string;
  @ApiProperty({ description: 'The release was scheduled with under 48 hours of notice' }) shortNotice!: boolean;
  @ApiProperty({ description: 'Notified and held, and the federal office did not come before the hold expired' }) missedPickup!: boolean;
  @ApiProperty({ example: 'America/Los_Angeles' }) timeZone!: string;
  @ApiProperty(LOCAL_TIMES) localTimes!: Record<string, string>;
}

export class EventActorResponse {
  @ApiProperty({ enum: ['user', 'api_key', 'system'] }) kind!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) id!: string | null;
  @ApiProperty({ example: 'jail_staff' }) role!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) agencyId!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) areaId!: string | null;
}

export class DetainerEventResponse {
  @ApiProperty({ type: 'integer' }) seq!: number;
  @ApiProperty({ type: 'integer', description: 'The detainer version this event made' }) version!: number;
  @ApiProperty({ type: 'integer', description: 'The lodging it belongs to' }) lodging!: number;
  @ApiProperty({ example: 'release_scheduled', description: 'detainer_issued, acknowledged, release_scheduled, released, lodged, refused, decline_recorded, record_amended (data: reason, before, after; correctedOn: the detainer id a correction of the person was made on, when another detainer on the same person), ...' }) kind!: string;
  @ApiProperty({ ...INSTANT, description: 'When it happened in the world' }) occurredAt!: string;
  @ApiProperty({ ...INSTANT, description: 'When the system learned it' }) recordedAt!: string;
  @ApiPropertyOptional({ example: '2017-02-03T09:00:00', description: 'occurredAt at the facility' }) localTime?: string;
  @ApiPropertyOptional({ example: 'America/Los_Angeles' }) timeZone?: string;
  @ApiProperty({ type: EventActorResponse }) actor!: EventActorResponse;
  @ApiProperty({ enum: EVENT_SOURCES }) source!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the event records (its kind says which fields)', example: { releaseAt: '2017-02-03T17:00:00.000Z', noticeLeadHours: 72, shortNotice: false } })
  data!: Record<string, unknown>;
}

export class OutcomeResponse {
  @ApiProperty({ enum: OUTCOME_KINDS }) kind!: OutcomeKind;
  @ApiProperty(INSTANT) at!: string;
  @ApiPropertyOptional({ format: 'uuid' }) relatedDetainerId?: string;
}

/**
 * A detainer as the API shapes it. Top-level lodging fields (acknowledgedAt, releaseAt, ...) are
 * those of the lodging the caller sees as current.
 */
export class DetainerResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: DETAINER_FORMS, example: 'I-247A' }) type!: DetainerForm;
  @ApiProperty({ enum: DETAINER_STATUSES, description: "The current lodging's status (for an agency that handed the person on: its own last one, transferred)" })
  status!: LodgingStatus;
  @ApiProperty({ type: 'integer', example: 3, description: 'Send as expectedVersion with the next action' }) version!: number;
  @ApiProperty({ type: [LodgingResponse] }) lodgings!: LodgingResponse[];
  @ApiProperty() declined!: boolean;
  @ApiPropertyOptional({ enum: DECLINE_KINDS }) declineKind?: DeclineKind;
  @ApiPropertyOptional(INSTANT) declineRecordedAt?: string;
  @ApiProperty() shortNotice!: boolean;
  @ApiProperty() missedPickup!: boolean;
  @ApiPropertyOptional({ type: SubjectResponse, description: 'Omitted for roles that may not see identities' }) subject?: SubjectResponse;
  @ApiProperty({ type: FacilityRef }) facility!: FacilityRef;
  @ApiProperty({ type: AgencyRef }) agency!: AgencyRef;
  @ApiProperty({ type: JurisdictionRef }) jurisdiction!: JurisdictionRef;
  @ApiProperty({ type: AreaRef, description: 'The issuing AOR' }) area!: AreaRef;
  @ApiPropertyOptional({ format: 'uuid' }) issuingOfficerId?: string;
  @ApiProperty({ ...INSTANT, description: 'When the detainer was issued' }) issuedAt!: string;
  @ApiProperty({ ...INSTANT, description: 'When it was recorded here' }) recordedAt!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiPropertyOptional({ type: WarrantResponse }) warrant?: WarrantResponse;
  @ApiProperty({ enum: PROBABLE_CAUSES, isArray: true }) probableCause!: ProbableCause[];
  @ApiProperty({ type: [ChargeResponse] }) charges!: ChargeResponse[];
  @ApiPropertyOptional(INSTANT) acknowledgedAt?: string;
  @ApiPropertyOptional({ enum: ACK_RESPONSES }) response?: AckResponse;
  @ApiPropertyOptional() bookingNumber?: string;
  @ApiPropertyOptional(INSTANT) releaseAt?: string;
  @ApiPropertyOptional({ type: 'number' }) noticeLeadHours?: number;
  @ApiPropertyOptional(INSTANT) pickupPlannedAt?: string;
  @ApiPropertyOptional(INSTANT) holdSince?: string;
  @ApiPropertyOptional(INSTANT) holdExpiresAt?: string;
  @ApiPropertyOptional(INSTANT) releasedAt?: string;
  @ApiPropertyOptional({ enum: RELEASE_DESTINATIONS }) destination?: ReleaseDestination;
  @ApiPropertyOptional({ enum: CANCEL_REASONS }) cancelReason?: CancelReason;
  @ApiPropertyOptional() cancelNote?: string;
  @ApiPropertyOptional(INSTANT) cancelledAt?: string;
  @ApiPropertyOptional({ type: OutcomeResponse }) outcome?: OutcomeResponse;
  @ApiProperty({ example: 'America/Los_Angeles', description: 'Time zone of the current facility' }) timeZone!: string;
  @ApiProperty(LOCAL_TIMES) localTimes!: Record<string, string>;
  @ApiPropertyOptional({ type: [DetainerEventResponse], description: 'The timeline, oldest first (GET /detainers/:id only)' }) events?: DetainerEventResponse[];
}

export class DetainerWithActionsResponse extends DetainerResponse {
  @ApiProperty({ enum: ACTION_NAMES, isArray: true, description: 'The actions you may take on it now' }) allowedActions!: ActionName[];
  @ApiProperty({ enum: AMENDABLE_PARTS, isArray: true, description: 'What you may correct with POST /detainers/:id/amend (the issuing AOR: subject, charges; the holding agency: bookingNumber)' })
  mayAmend!: AmendablePart[];
  @ApiProperty({
    enum: ACTION_NAMES, isArray: true,
    description: 'Of allowedActions, those that are the expected next step in its state (offer these first; the rest are exceptions to the normal course)',
  })
  nextSteps!: ActionName[];
}
