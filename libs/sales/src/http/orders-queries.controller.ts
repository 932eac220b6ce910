import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { assertId, DocumentFilter, ReadModel, ReadModelQuery, Roles, ScopeFilter } from '@salesline/core';
import { validationFailed, ReadModels, READERS, ApiRefusals } from '@salesline/core';
import { customersProjection } from '@salesline/customers';
import { notFound } from '@salesline/shared-kernel';
import { backlogByProduct, backlogProjection } from '../read-models/backlog.projection';
import { basisPoints, orderBoardProjection, OrderBoardView, orderBoardView } from '../read-models/order-board.projection';
import { OrderListFilter, OrderTotalsDoc, orderTotalsOf, orderTotalsQuery } from '../read-models/order-totals';
import { BacklogQuery, ListOrdersQuery } from './orders-queries.dto';

/** The board joins customer names from the customers read model. */
const ORDER_BOARD_READS = [orderBoardProjection, customersProjection];
/** The rollups the runtime keeps beside the board: the list's totals (ADR 0029). */
const ORDER_TOTALS: ReadModel<OrderTotalsDoc> = { name: orderBoardProjection.name, collection: orderBoardProjection.collection };

/** orderDate between from and to, both inclusive (validated as calendar dates by the DTO). */
const dateRange = (from: string | undefined, to: string | undefined) => {
  if (from !== undefined && to !== undefined && to < from) throw validationFailed([{ field: 'to', reason: 'must not be before from' }]);
  return from === undefined && to === undefined
    ? undefined
    : { ...(from !== undefined && { $gte: from }), ...(to !== undefined && { $lte: to }) };
};

@ApiTags('orders')
@ApiBearerAuth()
@ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] }', forbidden: 'RoleRequired' })
@ApiServiceUnavailableResponse({ description: 'ProjectionLagging: the read model has not reached minPosition yet; retry' })
@Roles(...READERS.orders)
@Controller('api')
export class OrdersQueriesController {
  constructor(private readonly readModels: ReadModels) {}

  @Get('orders')
  @ApiOperation({
    summary: 'The order board: orders by customer, primary salesperson, derived status and order date, with totals (read model)',
  })
  @ApiOkResponse({
    description:
      '{ items: [order + customerName], total, totals: { count, value, cost, margin, marginBp } } — totals over every matching order, not only the page; newest order date first',
  })
  async list(@Query() query: ListOrdersQuery, @ScopeFilter() scoped: DocumentFilter) {
    const orderDate = dateRange(query.from, query.to);
    // The rollups hold the list's own filters; a scope on another field could not narrow its totals.
    if (Object.keys(scoped).some((field) => field !== 'salespersonId')) throw new Error('The order list is scoped by salespersonId only');
    await this.readModels.waitFor(ORDER_BOARD_READS, query.minPosition);
    const listed: OrderListFilter = {
      customerId: query.customerId,
      salespersonId: scoped.salespersonId ?? query.salespersonId,
      status: query.status,
      from: query.from,
      to: query.to,
    };
    // The orders only (orderDate set): the rollups beside them in the collection have none.
    const filter: DocumentFilter = {
      customerId: listed.customerId,
      salespersonId: listed.salespersonId,
      status: listed.status,
      orderDate: orderDate ?? { $ne: null },
      ...scoped,
    };
    // Totals cover every matching order, read from a few rollups; only the page's documents are read.
    const [page, rollups] = await Promise.all([
      this.readModels.find(orderBoardProjection, filter, {
        sort: { orderDate: -1, id: 1 },
        limit: query.limit ?? 100,
        skip: query.offset ?? 0,
      }),
      this.readModels.find(ORDER_TOTALS, orderTotalsQuery(listed)),
    ]);
    const totals = orderTotalsOf(rollups, listed);
    const names = await this.customerNames(page.map((o) => o.customerId));
    const { value, cost } = totals;
    return {
      items: page.map((o) => ({ ...orderBoardView(o), customerName: names.get(o.customerId) ?? null })),
      total: totals.count,
      totals: { count: totals.count, value, cost, margin: value - cost, marginBp: basisPoints(value - cost, value) },
    };
  }

  @Get('orders/:id')
  @ApiOperation({
    summary:
      'One order from the order board: lines with quantities, value and margin, status, credit, overrides, returns, deliveries, invoices',
  })
  @ApiOkResponse({ description: 'The order board document with customerName' })
  @ApiRefusals({ notFound: 'OrderNotFound' })
  async get(@Param('id') id: string, @Query() query: ReadModelQuery): Promise<OrderBoardView & { customerName: string | null }> {
    assertId(id);
    await this.readModels.waitFor(ORDER_BOARD_READS, query.minPosition);
    const doc = await this.readModels.get(orderBoardProjection, id);
    if (!doc) throw notFound('OrderNotFound', `Order ${id} does not exist`);
    const names = await this.customerNames([doc.customerId]);
    return { ...orderBoardView(doc), customerName: names.get(doc.customerId) ?? null };
  }

  @Get('reports/backlog')
  @ApiOperation({
    summary: 'Backlog for production planning: ordered − cancelled − net delivered, per product with its orders (read model)',
  })
  @ApiOkResponse({
    description:
      "{ items: [{ productId, quantity, value, orders: [{ orderId, lineId, customerId, orderDate, quantity, value }] }], totals: { value } } — value at the lines' unit prices; orders on hold included",
  })
  async backlog(@Query() query: BacklogQuery, @ScopeFilter() scoped: DocumentFilter) {
    const all = await this.readModels.findAll(
      backlogProjection,
      { productId: query.productId, quantity: { $gt: 0 } },
      { sort: { productId: 1, id: 1 }, minPosition: query.minPosition },
    );
    // A salesperson's backlog holds their orders, a sales manager's their team's (the scope filter on the order's salesperson).
    const reachable =
      Object.keys(scoped).length > 0
        ? new Set(
            (await this.readModels.findAll(orderBoardProjection, scoped, { sort: { id: 1 }, minPosition: query.minPosition })).map(
              (o) => o.id,
            ),
          )
        : null;
    const lines = reachable ? all.filter((line) => reachable.has(line.orderId)) : all;
    const items = backlogByProduct(lines);
    return { items, totals: { value: items.reduce((a, p) => a + p.value, 0) } };
  }

  private async customerNames(customerIds: readonly string[]): Promise<Map<string, string>> {
    const ids = [...new Set(customerIds)];
    if (ids.length === 0) return new Map();
    const customers = await this.readModels.find(customersProjection, { id: { $in: ids } });
    return new Map(customers.map((c) => [c.id, c.name]));
  }
}
