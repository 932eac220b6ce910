import { ApiProperty } from '@nestjs/swagger';

/** What an accepted command answers: the id it addressed, and the position to read the write back at. */
export class CommandAccepted {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'Global position of the last event written; pass it as ?minPosition= to read your write' })
  position: number;
}
