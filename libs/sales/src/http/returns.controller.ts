import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { assertId, Ctx, newEntityId, RequestContext, Roles, BusinessDates, CommandEndpoint, ApiRefusals } from '@salesline/core';
import { notFound } from '@salesline/shared-kernel';
import { DocumentIndex } from '../application/document-index';
import { ExecuteOrderCommand, orderAnswerStatus, OrderRequest, OrderResult } from '../application/order-commands';
import { AcceptReturnBody, ReceiveReturnBody, RefuseReturnBody, ReturnBody } from './orders.dto';

/** Returns live on their order's stream: the order alone knows what was delivered and returned. */
@ApiTags('returns')
@ApiBearerAuth()
@ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] }' })
@Controller('api/returns')
export class ReturnsController {
  constructor(
    private readonly dates: BusinessDates,
    private readonly commandBus: CommandBus,
    private readonly documents: DocumentIndex,
  ) {}

  @Post()
  @CommandEndpoint(
    201,
    { summary: 'Request a return against delivered lines (ReturnRequested); never more than delivered minus already returned' },
    { description: "{ id: returnId, orderId, position, status (the return's: requested), replacement, orderStatus }" },
  )
  @Roles('salesperson', 'sales_manager')
  @ApiRefusals({ notFound: 'OrderNotFound, OrderLineNotFound', unprocessable: 'ReturnExceedsDelivered, EmptyReturn' })
  async request(@Body() body: ReturnBody, @Ctx() ctx: RequestContext) {
    const returnId = newEntityId(`return:${body.orderId}`, ctx);
    const requestedOn = this.dates.on(body.requestedOn, ctx, 'requestedOn');
    const result = await this.execute(
      body.orderId,
      {
        type: 'RequestReturn',
        data: {
          returnId,
          reason: body.reason,
          lines: body.lines,
          requestedOn,
          ...(body.replacement === undefined ? {} : { replacement: body.replacement }),
        },
      },
      ctx,
    );
    return this.answer(returnId, body.orderId, result);
  }

  @Post(':id/accept')
  @CommandEndpoint(
    200,
    { summary: 'Accept a return (ReturnAccepted)' },
    {
      description:
        "{ id, orderId, position, status (the return's: accepted, refused, received), replacement, orderStatus (e.g. on_credit_hold when a replacement waits for finance) }",
    },
  )
  @Roles('sales_manager')
  @ApiRefusals({ forbidden: 'ReturnApprovalForbidden', notFound: 'ReturnNotFound', conflict: 'ReturnNotPending' })
  accept(@Param('id') id: string, @Body() body: AcceptReturnBody, @Ctx() ctx: RequestContext) {
    const acceptedOn = this.dates.on(body?.acceptedOn, ctx, 'acceptedOn');
    return this.onReturn(id, { type: 'AcceptReturn', data: { returnId: id, acceptedOn } }, ctx);
  }

  @Post(':id/refuse')
  @CommandEndpoint(
    200,
    { summary: 'Refuse a return with a reason (ReturnRefused)' },
    {
      description:
        "{ id, orderId, position, status (the return's: accepted, refused, received), replacement, orderStatus (e.g. on_credit_hold when a replacement waits for finance) }",
    },
  )
  @Roles('sales_manager')
  @ApiRefusals({ notFound: 'ReturnNotFound', conflict: 'ReturnNotPending' })
  refuse(@Param('id') id: string, @Body() body: RefuseReturnBody, @Ctx() ctx: RequestContext) {
    const refusedOn = this.dates.on(body.refusedOn, ctx, 'refusedOn');
    return this.onReturn(id, { type: 'RefuseReturn', data: { returnId: id, reason: body.reason, refusedOn } }, ctx);
  }

  @Post(':id/receive')
  @CommandEndpoint(
    200,
    {
      summary:
        'Receive returned goods (ReturnedGoodsReceived); the invoiced part becomes a credit note (CreditNoteIssued) on the invoice and the order',
    },
    {
      description:
        "{ id, orderId, position, status (the return's: accepted, refused, received), replacement, orderStatus (e.g. on_credit_hold when a replacement waits for finance) }",
    },
  )
  @Roles('sales_manager', 'integration')
  @ApiRefusals({ notFound: 'ReturnNotFound', conflict: 'ReturnNotAccepted', unprocessable: 'ReceiptExceedsReturn' })
  receive(@Param('id') id: string, @Body() body: ReceiveReturnBody, @Ctx() ctx: RequestContext) {
    const receivedOn = this.dates.on(body.receivedOn, ctx, 'receivedOn');
    return this.onReturn(id, { type: 'ReceiveReturnedGoods', data: { returnId: id, receivedOn, lines: body.lines } }, ctx);
  }

  private async onReturn(returnId: string, command: OrderRequest, ctx: RequestContext) {
    assertId(returnId);
    const orderId = await this.documents.orderOfReturn(returnId);
    if (!orderId) throw notFound('ReturnNotFound', `Return ${returnId} does not exist`);
    return this.answer(returnId, orderId, await this.execute(orderId, command, ctx));
  }

  /** The return's own status (requested, accepted, refused, received) next to the order's. */
  private answer(returnId: string, orderId: string, result: OrderResult) {
    const ret = result.state.status === 'placed' ? result.state.returns.find((r) => r.returnId === returnId) : undefined;
    return {
      id: returnId,
      orderId,
      position: result.position,
      status: ret?.status ?? null,
      replacement: ret?.replacement ?? null,
      orderStatus: orderAnswerStatus(result.state),
    };
  }

  private execute(orderId: string, command: OrderRequest, ctx: RequestContext): Promise<OrderResult> {
    return this.commandBus.execute(new ExecuteOrderCommand({ kind: 'order', id: assertId(orderId, 'orderId'), command }, ctx));
  }
}
