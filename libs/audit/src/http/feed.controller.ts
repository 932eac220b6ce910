import { Controller, Get, Headers, Inject, OnModuleDestroy, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import {
  AllFilter,
  LogPositionQuery,
  PageLimit,
  EVENT_STORE,
  EventStore,
  RecordedEvent,
  Roles,
  writeServerSentEvent,
  lastEventIdOf,
  startServerSentEvents,
  openServerSentEventStream,
  type HttpAnswer,
  type HttpRequest,
} from '@salesline/core';

const TYPE_LIST = /^[A-Za-z][A-Za-z0-9_.-]*(,[A-Za-z][A-Za-z0-9_.-]*)*$/;
const PREFIX_LIST = /^[A-Za-z][A-Za-z0-9_-]*(,[A-Za-z][A-Za-z0-9_-]*)*$/;

class FeedFilterQuery {
  @LogPositionQuery.position({ description: 'Exclusive: events strictly after this global position (0 = from the start)', default: 0 })
  after?: number;

  @ApiPropertyOptional({ description: 'Comma-separated event types, e.g. OrderPlaced,InvoiceIssued' })
  @IsOptional()
  @IsString()
  @Matches(TYPE_LIST, { message: 'types must be comma-separated event type names' })
  types?: string;

  @ApiPropertyOptional({ description: 'Comma-separated stream name prefixes, e.g. order- or order-,customer-' })
  @IsOptional()
  @IsString()
  @Matches(PREFIX_LIST, { message: 'streamPrefix must be comma-separated stream name prefixes' })
  streamPrefix?: string;
}

class FeedPageQuery extends FeedFilterQuery {
  @PageLimit()
  limit?: number;
}

class SubscribeQuery extends FeedFilterQuery {
  @LogPositionQuery.heartbeatMs('Milliseconds between heartbeat comments while nothing happens')
  heartbeatMs?: number;
}

const filterOf = (query: FeedFilterQuery): AllFilter | undefined => {
  const eventTypes = query.types?.split(',');
  const streamPrefixes = query.streamPrefix?.split(',');
  return eventTypes || streamPrefixes ? { eventTypes, streamPrefixes } : undefined;
};

/** One entry of the feed: the event as recorded, the same shape over HTTP, SSE and webhooks. */
export const feedEntry = (event: RecordedEvent) => ({
  position: event.position,
  id: event.id,
  stream: event.streamName,
  revision: event.revision,
  type: event.type,
  data: event.data,
  metadata: event.metadata,
  recordedAt: event.recordedAt,
});
export type FeedEntry = ReturnType<typeof feedEntry>;

/**
 * The event feed for downstream systems (role `integration`): pages of the global log, and a
 * server-sent-events subscription that catches up and then stays live. Consumers keep the last
 * position they processed; delivery is at least once, so they skip ids they have seen.
 */
@ApiTags('feed')
@ApiBearerAuth()
@Controller('api/events')
export class FeedController implements OnModuleDestroy {
  /** Open subscriptions, ended on shutdown so the server can close (clients reconnect with Last-Event-ID). */
  private readonly open = new Set<() => void>();

  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  onModuleDestroy(): void {
    for (const stop of [...this.open]) stop();
  }

  @Get()
  @Roles('integration')
  @ApiOperation({
    summary: 'Page the global log (integration)',
    description: 'Ask again with `after=next` until `events` is empty; `next` may skip ahead past events the filter left out.',
  })
  @ApiOkResponse({ description: '{ events: [{ position, id, stream, revision, type, data, metadata, recordedAt }], next, head }' })
  async page(@Query() query: FeedPageQuery) {
    const after = query.after ?? 0;
    const limit = query.limit ?? 100;
    const filter = filterOf(query);
    // The head is read first: everything up to it is committed, so a short page may skip to it.
    const head = await this.events.headPosition();
    const events = await this.events.readAll({ afterPosition: after, maxCount: limit, filter });
    const last = events.length ? events[events.length - 1].position : after;
    const next = events.length < limit ? Math.max(last, head) : last;
    return { events: events.map(feedEntry), next, head };
  }

  @Get('subscribe')
  @Roles('integration')
  @ApiOperation({
    summary: 'Subscribe to the log with server-sent events (integration)',
    description:
      'Catches up from `Last-Event-ID` (or `?after=`), then streams live. Each message has `id:` = global position, `event:` = event type and ' +
      '`data:` = the feed entry as JSON. Comment lines (`: heartbeat`) keep the connection open. Reconnect with the last id received: no gap.',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The last position received; takes precedence over ?after=' })
  @ApiProduces('text/event-stream')
  async subscribe(
    @Query() query: SubscribeQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() req: HttpRequest,
    @Res() answer: HttpAnswer,
  ): Promise<void> {
    const after = lastEventIdOf(lastEventId) ?? query.after ?? 0;
    const heartbeatMs = query.heartbeatMs ?? 15_000;
    const sse = startServerSentEvents(req, answer, `subscribed after ${after}`);

    const subscription = this.events.subscribeToAll({ afterPosition: after, filter: filterOf(query) });
    const stream = openServerSentEventStream(sse, {
      open: this.open,
      subscription,
      heartbeatMs,
      heartbeat: ({ closed }) => {
        if (!closed) sse.res.write(': heartbeat\n\n');
      },
    });
    try {
      for await (const event of subscription) {
        if (stream.closed) break;
        await writeServerSentEvent(sse.req, sse.res, { id: event.position, event: event.type, data: feedEntry(event) });
      }
    } catch {
      // The connection went away while writing: the consumer reconnects with its Last-Event-ID.
    } finally {
      stream.stop();
      if (!sse.res.writableEnded) sse.res.end();
    }
  }
}
