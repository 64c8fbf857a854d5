import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CertificationKind, JurisdictionKind, PolicyKind, Program287g } from '@app/persistence';
import { CERTIFICATION_KINDS, JURISDICTION_KINDS, POLICY_KINDS, PROGRAMS } from './reference.dto';

export class AreaResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'SEA' }) code!: string;
  @ApiProperty({ example: 'Seattle' }) name!: string;
}

export class JurisdictionResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'NV-32003', description: 'Canonical code, derived from state + FIPS / place code / ORI; never changes' }) code!: string;
  @ApiProperty({ example: 'Clark County' }) name!: string;
  @ApiProperty({ enum: JURISDICTION_KINDS }) kind!: JurisdictionKind;
  @ApiProperty({ example: 'NV' }) state!: string;
  @ApiProperty({ type: 'string', nullable: true, example: '32003' }) fips!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: null }) placeCode!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: null }) ori!: string | null;
}

export class PolicyResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) jurisdictionId!: string;
  @ApiProperty({ enum: POLICY_KINDS }) kind!: PolicyKind;
  @ApiProperty({ example: "Travis County Sheriff's Office Policy 2017-01" }) citation!: string;
  @ApiProperty() summary!: string;
  @ApiProperty({ description: 'Limits honoring holds' }) limitsHold!: boolean;
  @ApiProperty({ description: 'Limits notification of release' }) limitsNotification!: boolean;
  @ApiProperty({ description: 'Limits federal access to the facility' }) limitsAccess!: boolean;
  @ApiProperty({ format: 'date', example: '2017-02-01' }) effectiveFrom!: string;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) effectiveTo!: string | null;
}

export class CertificationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) jurisdictionId!: string;
  @ApiProperty({ enum: CERTIFICATION_KINDS }) kind!: CertificationKind;
  @ApiProperty({ format: 'date', example: '2026-10-01' }) certifiedOn!: string;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) expiresOn!: string | null;
  @ApiProperty({ example: "Sheriff's letter to the field office, 1 October 2026" }) source!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class PolicyChangeResponse extends PolicyResponse {
  @ApiProperty({ type: [String], example: ['2026-11-21'], description: 'Published report weeks (their first day) marked for re-roll: each gets a new version at its next roll-up' })
  weeksReRolled!: string[];
}

export class AgencyResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'NV0020000' }) ori!: string;
  @ApiProperty({ example: 'Las Vegas Metropolitan Police Department' }) name!: string;
  @ApiProperty({ format: 'uuid' }) jurisdictionId!: string;
  @ApiProperty({ enum: PROGRAMS }) program287g!: Program287g;
  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: "The 287(g) agreement's first day in force" }) program287gSince!: string | null;
  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: 'Its last day, once it ended' }) program287gUntil!: string | null;
}

export class FacilityResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty({ example: 'Clark County Detention Center' }) name!: string;
  @ApiProperty({ example: 'America/Los_Angeles' }) timeZone!: string;
  @ApiProperty({ format: 'uuid', description: 'The AOR it lies in' }) areaId!: string;
  @ApiPropertyOptional({ example: 'Clark County Sheriff', description: 'The agency running it (lists and look-ups; not on create)' }) agencyName?: string;
  @ApiPropertyOptional({ example: 'NV0020000' }) agencyOri?: string;
  @ApiPropertyOptional({ example: 'NV', description: 'The state of the agency\'s jurisdiction' }) state?: string;
}

export class AgencyChangeResponse extends AgencyResponse {
  @ApiProperty({ type: [String], example: ['2026-11-21'], description: 'Published report weeks (their first day) marked for a new version because the 287(g) programme changed' })
  weeksReRolled!: string[];
}
