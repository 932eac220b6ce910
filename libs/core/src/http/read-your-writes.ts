import { applyDecorators, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
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
import { LogPositionQuery } from './log-position-query';

/** Beyond any collection here; keeps `offset` a safe SQLite integer (1e20 is not). */
export const MAX_OFFSET = 100_000_000;

/** Query parameters every read model endpoint accepts. */
export class ReadModelQuery {
  @LogPositionQuery.position({ description: 'Wait until the read model has applied this global position (from a command response)' })
  minPosition?: number;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: keep the read model’s internal fields (_position, updatedAt), left out by default',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  internal?: 'true' | 'false';
}

/** `?limit=`, the size of a page: an integer from 1 to 1000, 100 by default (read models, the feed, the audit timelines). */
export const PageLimit = () =>
  applyDecorators(
    ApiPropertyOptional({ default: 100, type: 'integer', minimum: 1, maximum: 1000 }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(1000),
  );

export class PagedReadModelQuery extends ReadModelQuery {
  @PageLimit()
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

  /** Answers of `caughtUp`, per projection: the answer and the projection's checkpoint it was read at. */
  private readonly answers = new Map<string, Map<string, Readonly<{ asOf: number; value: unknown }>>>();

  /**
   * A command's query over one read model, as `catchUp` then `read` would answer it, kept in memory
   * under `key` while no event the projection handles has been appended since it was read: a command
   * path that asks the same question for every request (a customer's price lists, whether an
   * organization is kept) pays one index seek on the log instead of the queries. The answer is shared:
   * callers must not change it.
   */
  async caughtUp<T>(projection: string, key: string, read: () => Promise<T>): Promise<T> {
    const defined = this.projections.find((p) => p.name === projection);
    const head = await this.events.headPosition(defined ? projectionFilter(defined) : undefined);
    let answers = this.answers.get(projection);
    if (!answers) this.answers.set(projection, (answers = new Map()));
    const known = answers.get(key);
    if (known && known.asOf >= head) return known.value as T;
    await this.catchUp([projection]);
    // The checkpoint first: the documents read after it reflect at least every event up to it.
    const asOf = await this.readStore.getCheckpoint(projection);
    const value = await read();
    answers.delete(key);
    answers.set(key, { asOf, value });
    if (answers.size > CAUGHT_UP_ANSWERS) answers.delete(answers.keys().next().value!);
    return value;
  }
}

/** How many answers `caughtUp` keeps per projection (the oldest read go first). */
export const CAUGHT_UP_ANSWERS = 1000;
