import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { assertId, Ctx, newEntityId, RequestContext, BusinessDates, CommandEndpoint, ApiRefusals, Roles } from '@salesline/core';
import { ExecuteOrderCommand, orderAnswerStatus, OrderRequest } from '../application/order-commands';
import { defaultLineId } from '../application/quote-lines';
import { CancelBody, DeliveryBody, InvoiceBody, OrderCommandAccepted, PlaceOrderBody, ReleaseCreditHoldBody } from './orders.dto';

@ApiTags('orders')
@ApiBearerAuth()
@ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] }' })
@Controller('api/orders')
export class OrdersController {
  constructor(
    private readonly dates: BusinessDates,
    private readonly commandBus: CommandBus,
  ) {}

  @Post()
  @CommandEndpoint(
    201,
    {
      summary: 'Place an order (OrderPlaced), with the credit check: OrderConfirmed or OrderPutOnCreditHold',
      description:
        "Prices each line (customer list → group list → list price, highest quantity break). A line below the caller's price floor raises PriceOverrideRequested and waits for a manager. " +
        'Exposure = open receivables + confirmed unbilled orders + this order − unallocated deposits; over the limit, or a blocked customer, puts the order on credit hold.',
    },
    { type: OrderCommandAccepted },
  )
  @Roles('salesperson', 'sales_manager')
  @ApiRefusals({
    notFound: 'CustomerNotFound, ProductNotFound',
    unprocessable:
      'EmptyOrder, InvalidSalesCredit, ProductDiscontinued, IdempotencyKeyReused (a price below your floor is not refused: it is held as PriceOverrideRequested, below standard cost for an admin with a reason)',
  })
  async place(@Body() body: PlaceOrderBody, @Ctx() ctx: RequestContext): Promise<OrderCommandAccepted> {
    const orderId = newEntityId('order', ctx);
    const orderDate = this.dates.on(body.orderDate, ctx, 'orderDate');
    // Without a salesperson named, a salesperson credits themself and anyone else the customer's owner (null: read with the customer).
    const salespersonId = body.salespersonId ?? (ctx.actor.roles.includes('salesperson') ? ctx.actor.userId : null);
    const salesCredit = body.salesCredit ?? (salespersonId === null ? null : [{ salespersonId, shareBp: 10_000 }]);
    const lines = body.lines.map((line, i) => ({ ...line, lineId: line.lineId ?? defaultLineId(i) }));
    return this.run(
      orderId,
      { type: 'PlaceOrder', data: { orderId, customerId: body.customerId, orderDate, quoteId: null, salesCredit, lines } },
      ctx,
    );
  }

  @Post(':id/release-credit-hold')
  @CommandEndpoint(200, { summary: 'Release a credit hold with a reason (finance; CreditHoldReleased)' }, { type: OrderCommandAccepted })
  @Roles('finance')
  @ApiRefusals({ forbidden: 'CreditReleaseForbidden', notFound: 'OrderNotFound', conflict: 'OrderNotOnCreditHold' })
  releaseCreditHold(@Param('id') id: string, @Body() body: ReleaseCreditHoldBody, @Ctx() ctx: RequestContext) {
    const releasedOn = this.dates.on(body.releasedOn, ctx, 'releasedOn');
    return this.run(id, { type: 'ReleaseCreditHold', data: { reason: body.reason, releasedOn } }, ctx);
  }

  @Post(':id/deliveries')
  @CommandEndpoint(
    201,
    {
      summary: 'Deliver goods under a bill of lading (GoodsDelivered)',
      description:
        "Partial deliveries allowed. More than ordered needs the over-delivery tolerance or a sales manager's override with a reason. " +
        'The credit check runs again when the order value grew or the release is older than the configured days.',
    },
    { description: '{ id, deliveryId, position, status }' },
  )
  @Roles('sales_manager', 'salesperson', 'integration')
  @ApiRefusals({
    forbidden: 'OverDeliveryApprovalForbidden',
    notFound: 'OrderNotFound, OrderLineNotFound',
    conflict: 'OrderOnCreditHold, OrderAwaitingPriceApproval, OrderCancelled, DuplicateBillOfLading',
    unprocessable: 'OverDeliveryNotAllowed, EmptyDelivery',
  })
  async deliver(@Param('id') id: string, @Body() body: DeliveryBody, @Ctx() ctx: RequestContext) {
    const deliveryId = newEntityId(`delivery:${id}`, ctx);
    const deliveryDate = this.dates.on(body.deliveryDate, ctx, 'deliveryDate');
    const accepted = await this.run(
      id,
      {
        type: 'DeliverGoods',
        data: {
          deliveryId,
          billOfLading: body.billOfLading,
          carrier: body.carrier,
          deliveryDate,
          lines: body.lines,
          overDelivery: body.overDelivery ?? null,
        },
      },
      ctx,
    );
    return { ...accepted, deliveryId };
  }

  @Post(':id/invoices')
  @CommandEndpoint(
    201,
    { summary: "Invoice delivered, not yet billed quantities (InvoiceIssued), due by the customer's payment terms" },
    { description: '{ id, invoiceId, position, status }' },
  )
  @Roles('finance', 'integration')
  @ApiRefusals({ notFound: 'OrderNotFound', unprocessable: 'InvoiceExceedsDelivered, EmptyInvoice' })
  async invoice(@Param('id') id: string, @Body() body: InvoiceBody, @Ctx() ctx: RequestContext) {
    const invoiceId = newEntityId(`invoice:${id}`, ctx);
    const invoiceDate = this.dates.on(body.invoiceDate, ctx, 'invoiceDate');
    const accepted = await this.run(id, { type: 'InvoiceOrder', data: { invoiceId, invoiceDate, lines: body.lines } }, ctx);
    return { ...accepted, invoiceId };
  }

  @Post(':id/cancel')
  @CommandEndpoint(
    200,
    { summary: 'Cancel what is not delivered (OrderCancelled); the credit reserved for it is released' },
    { type: OrderCommandAccepted },
  )
  @Roles('sales_manager', 'salesperson')
  @ApiRefusals({ unprocessable: 'CancellationExceedsUndelivered, NothingToCancel' })
  cancel(@Param('id') id: string, @Body() body: CancelBody, @Ctx() ctx: RequestContext) {
    const cancelledOn = this.dates.on(body.cancelledOn, ctx, 'cancelledOn');
    return this.run(id, { type: 'CancelOrder', data: { reason: body.reason, lines: body.lines, cancelledOn } }, ctx);
  }

  private async run(id: string, command: OrderRequest, ctx: RequestContext): Promise<OrderCommandAccepted> {
    assertId(id);
    const result = await this.commandBus.execute(new ExecuteOrderCommand({ kind: 'order', id, command }, ctx));
    return { id, position: result.position, status: orderAnswerStatus(result.state) };
  }
}
