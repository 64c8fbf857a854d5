import { ApiProperty } from '@nestjs/swagger';
import { DetainerResponse, SubjectResponse } from '../detainers/dto/detainer.response';

/** A person and the requests on them you may see: repeat subjects (the same person lodged again and again). */
export class SubjectWithDetainersResponse extends SubjectResponse {
  @ApiProperty({ type: [DetainerResponse], description: 'Every detainer on this person in your scope, newest issued first' }) detainers!: DetainerResponse[];
}

export class SubjectMatchResponse extends SubjectResponse {
  @ApiProperty({ type: 'integer', description: 'How many of their detainers you may see' }) visibleDetainers!: number;
  @ApiProperty({ format: 'date-time', description: 'The latest of those was issued then' }) lastIssuedAt!: string;
}

export class SubjectMatchList {
  @ApiProperty({ type: [SubjectMatchResponse] }) items!: SubjectMatchResponse[];
  @ApiProperty({ type: 'null', description: 'Always null: one A-number matches at most a few records', example: null }) nextCursor!: null;
}
