import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@app/persistence';

export class PageQuery {
  @ApiPropertyOptional({ default: DEFAULT_PAGE_SIZE, maximum: MAX_PAGE_SIZE })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor from the previous page' })
  @IsOptional() @IsString() @MaxLength(500)
  cursor?: string;
}

export function pageOf(q: PageQuery): { limit: number; cursor?: string } {
  return { limit: q.limit ?? DEFAULT_PAGE_SIZE, cursor: q.cursor };
}
