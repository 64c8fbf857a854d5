import { ApiProperty } from '@nestjs/swagger';
import { DetainerResponse } from '../detainers/dto/detainer.response';

export class WorklistSectionResponse {
  @ApiProperty({ type: 'integer', description: 'How many are in this list in all' }) total!: number;
  @ApiProperty({ type: [DetainerResponse], description: 'The first `limit` of them, most due first' }) items!: DetainerResponse[];
}

export class WorklistResponse {
  @ApiProperty({ format: 'date-time', description: 'The moment the lists were read ("releases soon" is the 48 hours after it)' }) asOf!: string;
  @ApiProperty({ type: WorklistSectionResponse, description: 'Lodged with the agency, not acknowledged yet; oldest first' })
  awaitingAcknowledgment!: WorklistSectionResponse;
  @ApiProperty({ type: WorklistSectionResponse, description: 'Acknowledged, no release date given yet; acknowledged longest ago first' })
  awaitingReleaseDate!: WorklistSectionResponse;
  @ApiProperty({ type: WorklistSectionResponse, description: 'A release date within the next 48 hours (or past and not yet recorded); earliest release first' })
  releasesSoon!: WorklistSectionResponse;
  @ApiProperty({ type: WorklistSectionResponse, description: 'Held on the detainer; the hold that ends first first' })
  holdsEnding!: WorklistSectionResponse;
}
