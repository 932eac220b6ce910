import { Controller, Get, Headers, Inject, OnModuleDestroy, Query, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { DocumentFilter, LogPositionQuery, EVENT_STORE, EventStore, projectionFilter, ReadModels, READERS, Roles } from '@salesline/core';
import { ScopeFilter, TokenService, validationFailed, withoutInternalFields, writeServerSentEvent, ApiRefusals } from '@salesline/core';
import { lastEventIdOf, openServerSentEventStream, startServerSentEvents, type HttpAnswer, type HttpRequest } from '@salesline/core';
import { customersProjection } from '@salesline/customers';
import { ID_PATTERN } from '@salesline/shared-kernel';
import { orderBoardProjection, orderBoardView } from '../read-models/order-board.projection';

export class OrderBoardChangesQuery {
  @LogPositionQuery.position({
    description:
      'Exclusive: changes by events strictly after this global position (default: the end of the log, only what happens from now)',
  })
  after?: number;

  @ApiPropertyOptional({ example: 'sp-anna', description: 'Only the orders of this primary salesperson (within your reach)' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: 'salespersonId must be 1-64 letters, digits, _ or -' })
  salespersonId?: string;

  @LogPositionQuery.heartbeatMs(
    'Milliseconds between heartbeats; each heartbeat checks the token again (expired or revoked: the stream ends)',
  )
  heartbeatMs?: number;
}

/** The board joins customer names from the customers read model. */
const ORDER_BOARD_READS = [orderBoardProjection, customersProjection];

/**
 * The order board, live (ADR 0402): each order event, once the order board has applied it, is sent as the order's
 * board row, to whoever may read that order on the board: the same reader roles and the same scope as
 * `GET /api/orders` (a salesperson their own orders, a sales manager their team's or region's, ADR 0019).
 */
@ApiTags('orders')
@ApiBearerAuth()
@ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] }', forbidden: 'RoleRequired, OutOfScope' })
@Roles(...READERS.orders)
@Controller('api/order-board')
export class OrderBoardChangesController implements OnModuleDestroy {
  /** Open streams, ended on shutdown so the server can close (clients reconnect with Last-Event-ID). */
  private readonly open = new Set<() => void>();

  constructor(
    private readonly readModels: ReadModels,
    private readonly tokens: TokenService,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  onModuleDestroy(): void {
    for (const stop of [...this.open]) stop();
  }

  @Get('changes')
  @ApiOperation({
    summary: 'The order board live, as server-sent events: each change of an order you may read, as its board row (read model)',
    description:
      'Each message has `id:` = the global position of the event, `event: order` and `data:` = `{ position, eventType, order }`, where `order` ' +
      'is the order as `GET /api/orders/{id}` answers it after that event. Scoped as `GET /api/orders`: a salesperson gets their own ' +
      "orders, a sales manager their team's or region's. Starts at the end of the log (or after `Last-Event-ID` / `?after=`). Heartbeat " +
      'comments keep the connection open; at each one the token is checked again, and an expired or revoked token ends the stream with ' +
      '`event: unauthorized` (sign in again or refresh, then reconnect with the last id).',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The last position received; takes precedence over ?after=' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream of `event: order` messages' })
  async changes(
    @Query() query: OrderBoardChangesQuery,
    @ScopeFilter() scoped: DocumentFilter,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() req: HttpRequest,
    @Res() answer: HttpAnswer,
  ): Promise<void> {
    const lastId = lastEventIdOf(lastEventId);
    const head = await this.events.headPosition();
    const after = lastId ?? query.after ?? head;
    if (after > head)
      throw validationFailed([
        { field: lastId !== undefined ? 'header:last-event-id' : 'after', reason: `is beyond the end of the log (${head})` },
      ]);
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    // The same filter as the order board list: the caller's scope last, so it narrows whatever was asked.
    const filter: DocumentFilter = { salespersonId: query.salespersonId, ...scoped };

    const sse = startServerSentEvents(req, answer, `order board changes after ${after}`);

    const subscription = this.events.subscribeToAll({ afterPosition: after, filter: projectionFilter(orderBoardProjection) });
    const stream = openServerSentEventStream(sse, {
      open: this.open,
      subscription,
      heartbeatMs: query.heartbeatMs ?? 15_000,
      // A stream outlives neither its token's expiry nor a revocation (sign-out): each heartbeat asks again.
      heartbeat: (beating) => {
        void this.tokens.authenticate(bearer).then(
          (authentication) => {
            if (beating.closed) return;
            if (authentication.ok) sse.res.write(': heartbeat\n\n');
            else {
              sse.res.write(
                `event: unauthorized\ndata: ${JSON.stringify({ code: authentication.code, message: authentication.message })}\n\n`,
              );
              beating.stop();
            }
          },
          () => undefined,
        );
      },
    });
    try {
      for await (const event of subscription) {
        if (stream.closed) break;
        const orderIds = orderBoardProjection.documentIds(event);
        const orders = await this.boardRowsAt(event.position, { ...filter, id: { $in: [...orderIds] } }, () => stream.closed);
        for (const order of orders) {
          if (stream.closed) break;
          await writeServerSentEvent(sse.req, sse.res, {
            id: event.position,
            event: 'order',
            data: { position: event.position, eventType: event.type, order },
          });
        }
      }
    } catch {
      // The connection went away while writing: the client reconnects with its Last-Event-ID.
    } finally {
      stream.stop();
    }
  }

  /** The board rows matching the filter once the board (and the customer names) have applied the position; waits while they lag. */
  private async boardRowsAt(position: number, filter: DocumentFilter, isClosed: () => boolean) {
    for (;;) {
      try {
        await this.readModels.waitFor(ORDER_BOARD_READS, position);
        break;
      } catch (err) {
        if (isClosed()) return [];
        if (!(err instanceof ServiceUnavailableException)) throw err;
      }
    }
    const docs = await this.readModels.find(orderBoardProjection, filter, { sort: { id: 1 } });
    if (docs.length === 0) return [];
    const customers = await this.readModels.find(customersProjection, { id: { $in: [...new Set(docs.map((d) => d.customerId))] } });
    const names = new Map(customers.map((c) => [c.id, c.name]));
    return docs.map((doc) => withoutInternalFields({ ...orderBoardView(doc), customerName: names.get(doc.customerId) ?? null }));
  }
}
