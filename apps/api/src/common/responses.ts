import { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

/**
 * Building blocks of response DTOs. A response DTO is a class whose properties carry @ApiProperty
 * (the document is generated from them); the presenter that builds the body is typed to return it,
 * so the compiler keeps the two together, and the e2e suites check every real body against it.
 */

export class FacilityRef {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'King County Correctional Facility' }) name!: string;
  @ApiProperty({ example: 'America/Los_Angeles', description: 'IANA time zone of the facility' }) timeZone!: string;
}

export class AgencyRef {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'WA0170000', description: 'NCIC Originating Agency Identifier' }) ori!: string;
  @ApiProperty({ example: "King County Sheriff's Office" }) name!: string;
}

export class JurisdictionRef {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'WA-53033', description: 'Canonical code: state plus county FIPS, place code or ORI' }) code!: string;
  @ApiProperty({ example: 'King County' }) name!: string;
  @ApiProperty({ example: 'WA' }) state!: string;
}

export class AreaCodeRef {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'SEA', description: 'Area of Responsibility code' }) code!: string;
}

export class AreaRef extends AreaCodeRef {
  @ApiProperty({ example: 'Seattle' }) name!: string;
}

/** `{ <instant field>: <local wall-clock time> }` for the instants present. */
export const LOCAL_TIMES = {
  type: 'object',
  additionalProperties: { type: 'string', example: '2017-02-03T09:00:00' },
  description: 'Each instant above as wall-clock time at the facility (`timeZone`), keyed by the instant\'s name',
  example: { issuedAt: '2017-01-30T08:15:00', releaseAt: '2017-02-03T09:00:00' },
} as const;

export interface PageBody<T> {
  items: T[];
  nextCursor: string | null;
}

const pages = new Map<Type<unknown>, Type<unknown>>();

/** `{ items: T[], nextCursor }`: the DTO of a cursor-paged list of `item` (one class per item type). */
export function PageOf<T>(item: Type<T>): Type<PageBody<T>> {
  const known = pages.get(item);
  if (known) return known as Type<PageBody<T>>;
  class Page {
    @ApiProperty({ type: [item] }) items!: T[];
    @ApiProperty({ type: 'string', nullable: true, description: 'Pass as ?cursor= for the next page; null on the last page', example: null })
    nextCursor!: string | null;
  }
  Object.defineProperty(Page, 'name', { value: `${item.name.replace(/Response$/, '')}Page` });
  pages.set(item, Page);
  return Page;
}

