import { ApiProperty } from '@nestjs/swagger';
import { ID_FIELD, POSITION_FIELD } from './openapi-bounds';

/** What an accepted command answers: the id it addressed, and the position to read the write back at. */
export class CommandAccepted {
  @ApiProperty(ID_FIELD) id: string;
  @ApiProperty({ description: 'Global position of the last event written; pass it as ?minPosition= to read your write', ...POSITION_FIELD })
  position: number;
}
