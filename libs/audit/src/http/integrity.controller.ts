import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';
import { EVENT_STORE, EventStore, IntegrityReport, Roles, validationFailed } from '@salesline/core';

class VerifyQuery {
  @ApiPropertyOptional({ description: 'Position of an anchor kept elsewhere (npm run audit:anchor)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  anchorPosition?: number;

  @ApiPropertyOptional({ description: 'The anchored head hash (sha256, hex)' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9a-f]{64}$/)
  anchorHash?: string;

  @ApiPropertyOptional({ description: 'The anchored event id' })
  @IsOptional()
  @IsString()
  anchorEventId?: string;
}

/** The auditors' check that the log was not rewritten: walks the hash chain from the first event. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
export class IntegrityController {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  @Get('verify')
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary: 'Verify the hash chain of the whole log (auditor)',
    description:
      "Walks the log, recomputes each event's sha256 over its content, metadata and the previous hash, and names the first event that does not match. " +
      'With anchorPosition and anchorHash (from `npm run audit:anchor`), a consistently rewritten tail is caught too.',
  })
  @ApiOkResponse({
    description:
      '{ ok, checked, head: { position, hash, eventId }, firstMismatch?: { problem, position, eventId, streamName, revision, detail } }',
  })
  async verify(@Query() query: VerifyQuery): Promise<IntegrityReport> {
    if ((query.anchorPosition === undefined) !== (query.anchorHash === undefined)) {
      throw validationFailed([
        { field: query.anchorHash === undefined ? 'anchorHash' : 'anchorPosition', reason: 'anchorPosition and anchorHash go together' },
      ]);
    }
    const anchor =
      query.anchorPosition !== undefined && query.anchorHash !== undefined
        ? { position: query.anchorPosition, hash: query.anchorHash, eventId: query.anchorEventId ?? '', anchoredAt: '' }
        : undefined;
    return this.events.verifyIntegrity!({ anchor });
  }
}
