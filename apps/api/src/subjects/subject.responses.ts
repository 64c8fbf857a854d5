import { ApiProperty } from '@nestjs/swagger';
import { SubjectResponse } from '../detainers/dto/detainer.response';

export class SubjectMatchResponse extends SubjectResponse {
  @ApiProperty({ type: 'integer', description: 'How many of their detainers you may see' }) visibleDetainers!: number;
  @ApiProperty({ format: 'date-time', description: 'The latest of those was issued then' }) lastIssuedAt!: string;
}

export class SubjectMatchList {
  @ApiProperty({ type: [SubjectMatchResponse] }) items!: SubjectMatchResponse[];
  @ApiProperty({ type: 'null', description: 'Always null: one A-number matches at most a few records', example: null }) nextCursor!: null;
}
