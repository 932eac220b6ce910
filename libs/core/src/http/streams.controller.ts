import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';
import { notFound } from '@salesline/shared-kernel';
import { Roles } from '../auth/auth.guard';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { validationFailed } from './errors';

class ReadStreamQuery {
  @ApiPropertyOptional({ enum: ['forwards', 'backwards'], default: 'forwards' })
  @IsOptional()
  @IsIn(['forwards', 'backwards'])
  direction?: 'forwards' | 'backwards';

  @ApiPropertyOptional({ description: 'Inclusive start revision', type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  fromRevision?: number;

  @ApiPropertyOptional({ default: 1000, type: 'integer', minimum: 1, maximum: 10000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  maxCount?: number;

  @ApiPropertyOptional({ description: 'The stream as recorded at this instant (ISO-8601)', format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}

const STREAM_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,200}$/;

/** The auditors' raw view: a stream's events with their metadata, exactly as stored. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/streams')
export class StreamsController {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  @Get(':stream')
  @ApiParam({ name: 'stream', schema: { type: 'string', pattern: STREAM_NAME.source, maxLength: 201 } })
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: "Read a stream's events with metadata (auditor)" })
  @ApiOkResponse({ description: 'The events, oldest first unless direction=backwards' })
  async read(@Param('stream') stream: string, @Query() query: ReadStreamQuery) {
    if (!STREAM_NAME.test(stream)) throw validationFailed([{ field: 'stream', reason: 'must be a stream name like customer-<id>' }]);
    const events = await this.events.readStream(stream, {
      direction: query.direction,
      fromRevision: query.fromRevision,
      maxCount: query.maxCount ?? 1000,
      asOf: query.asOf ? new Date(query.asOf).toISOString() : undefined,
    });
    if (events.length === 0 && query.fromRevision === undefined && !query.asOf) {
      throw notFound('StreamNotFound', `Stream ${stream} does not exist`);
    }
    return { stream, events };
  }
}
