import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/**
 * The query fields about the log, declared once: a global position (read models' `?minPosition=`, the
 * feed's and the order-board changes' `?after=`) and a stream's `?heartbeatMs=`. Each endpoint names what
 * the field means to it; the type and bounds are the same everywhere.
 */
export const LogPositionQuery = {
  /** A global position of the log: an integer from 0 (at most a safe integer). */
  position: (doc: Pick<ApiPropertyOptions, 'description' | 'default'>) =>
    applyDecorators(
      ApiPropertyOptional({ ...doc, type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
      IsOptional(),
      Type(() => Number),
      IsInt(),
      Min(0),
      Max(Number.MAX_SAFE_INTEGER),
    ),
  /** Milliseconds between a stream's heartbeats: 100 to 60 000, 15 000 by default. */
  heartbeatMs: (description: string) =>
    applyDecorators(
      ApiPropertyOptional({ description, default: 15000, minimum: 100, maximum: 60000 }),
      IsOptional(),
      Type(() => Number),
      IsInt(),
      Min(100),
      Max(60000),
    ),
};
