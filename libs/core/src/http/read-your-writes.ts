import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { READ_STORE, ReadStore } from '../read-store/read-store.port';
import { waitForProjections } from '../projections/projection-runner';
import { AnyProjection, projectionFilter, PROJECTIONS } from '../projections/projection';
import { APP_CONFIG } from '../nest/tokens';
import type { AppConfig } from '../config/config';
import { validationFailed } from './errors';

/** Beyond any collection here; keeps `offset` a safe SQLite integer (1e20 is not). */
export const MAX_OFFSET = 100_000_000;

/** Query parameters every read model endpoint accepts. */
export class ReadModelQuery {
  @ApiPropertyOptional({
    description: 'Wait until the read model has applied this global position (from a command response)',
    type: 'integer',
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  minPosition?: number;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: keep the read model’s internal fields (_position, updatedAt), left out by default',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  internal?: 'true' | 'false';
}

export class PagedReadModelQuery extends ReadModelQuery {
  @ApiPropertyOptional({ default: 100, type: 'integer', minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_OFFSET, type: 'integer' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset?: number;
}

/** Lets a client read its own writes: wait for the named projections to reach a position. */
@Injectable()
export class ReadYourWrites {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROJECTIONS) private readonly projections: AnyProjection[],
  ) {}

  async waitFor(projections: readonly string[], minPosition: number | undefined): Promise<void> {
    if (!minPosition) return;
    const head = await this.events.headPosition();
    if (minPosition > head) throw validationFailed([{ field: 'minPosition', reason: `is beyond the end of the log (${head})` }]);
    const reached = await waitForProjections(this.readStore, projections, minPosition, this.config.readYourWritesTimeoutMs);
    if (!reached) {
      throw new ServiceUnavailableException({
        code: 'ProjectionLagging',
        message: `The read model has not reached position ${minPosition} yet; retry shortly`,
      });
    }
  }

  /**
   * Waits until the projections have applied every event they handle that was acknowledged so
   * far: a command that must look something up in a read model (which order holds this
   * return?) sees every write that finished before it started, without waiting for unrelated
   * events to be projected.
   */
  async catchUp(projections: readonly string[]): Promise<void> {
    const targets = await Promise.all(
      projections.map(async (name) => {
        const projection = this.projections.find((p) => p.name === name);
        return { name, position: await this.events.headPosition(projection ? projectionFilter(projection) : undefined) };
      }),
    );
    const reached = await Promise.all(
      targets.map((t) => waitForProjections(this.readStore, [t.name], t.position, this.config.readYourWritesTimeoutMs)),
    );
    if (reached.includes(false)) {
      throw new ServiceUnavailableException({ code: 'ProjectionLagging', message: 'The read models are catching up; retry shortly' });
    }
  }
}
