import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { assertId, BusinessDates, Ctx, RequestContext, Roles, CommandEndpoint, ApiRefusals } from '@salesline/core';
import { DomainError, notFound } from '@salesline/shared-kernel';
import { ExecuteQuoteCommand, QuoteCommandInput } from '../application/quote-commands';
import { quoteAnswerStatus } from '../domain/quote';

/** A quote's override id: the quote id (a UUID), the revision, the line. */
const QUOTE_OVERRIDE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-r\d+-/;
import { DocumentIndex } from '../application/document-index';
import { ExecuteOrderCommand, orderAnswerStatus, OrderRequest } from '../application/order-commands';
import { ApproveOverrideBody, RejectOverrideBody } from './orders.dto';

/** A manager's answer to a salesperson's price below the floor. */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('api/price-overrides')
export class PriceOverridesController {
  constructor(
    private readonly dates: BusinessDates,
    private readonly commandBus: CommandBus,
    private readonly documents: DocumentIndex,
  ) {}

  @Post(':id/approve')
  @CommandEndpoint(
    200,
    { summary: 'Approve a price below the floor with a reason (PriceOverrideApproved); below standard cost needs an admin' },
    { description: '{ id, orderId | quoteId, position, status } — the same route for overrides on orders and on quotes' },
  )
  @Roles('sales_manager')
  @ApiRefusals({ forbidden: 'PriceOverrideApprovalForbidden', notFound: 'PriceOverrideNotFound', conflict: 'PriceOverrideNotPending' })
  approve(@Param('id') id: string, @Body() body: ApproveOverrideBody, @Ctx() ctx: RequestContext) {
    const approvedOn = this.dates.on(body.approvedOn, ctx, 'approvedOn');
    return this.answer(id, { type: 'ApprovePriceOverride', data: { overrideId: id, reason: body.reason, approvedOn } }, ctx, {
      type: 'ApproveQuotePriceOverride',
      data: { overrideId: id, reason: body.reason, approvedOn },
    });
  }

  @Post(':id/reject')
  @CommandEndpoint(
    200,
    {
      summary: 'Reject a price below the floor with a reason (PriceOverrideRejected); the line is repriced to the resolved price',
    },
    { description: '{ id, orderId | quoteId, position, status } — the same route for overrides on orders and on quotes' },
  )
  @Roles('sales_manager')
  @ApiRefusals({ notFound: 'PriceOverrideNotFound', conflict: 'PriceOverrideNotPending' })
  reject(@Param('id') id: string, @Body() body: RejectOverrideBody, @Ctx() ctx: RequestContext) {
    const rejectedOn = this.dates.on(body.rejectedOn, ctx, 'rejectedOn');
    return this.answer(id, { type: 'RejectPriceOverride', data: { overrideId: id, reason: body.reason, rejectedOn } }, ctx, {
      type: 'RejectQuotePriceOverride',
      data: { overrideId: id, reason: body.reason, rejectedOn },
    });
  }

  /**
   * One route for every price override, whatever document it sits on: an order's (found through
   * the document index) or a quote's (its id starts with the quote id: `<quoteId>-r<revision>-<lineId>`).
   * The answer names the document and its status.
   */
  private async answer(overrideId: string, command: OrderRequest, ctx: RequestContext, onQuote: QuoteCommandInput) {
    assertId(overrideId);
    const orderId = await this.documents.orderOfOverride(overrideId);
    if (orderId) {
      const result = await this.commandBus.execute(new ExecuteOrderCommand({ kind: 'order', id: orderId, command }, ctx));
      return { id: overrideId, orderId, position: result.position, status: orderAnswerStatus(result.state) };
    }
    const quoteId = QUOTE_OVERRIDE.exec(overrideId)?.[1];
    if (!quoteId) throw notFound('PriceOverrideNotFound', `Price override ${overrideId} does not exist`);
    try {
      const { position, state } = await this.commandBus.execute(
        new ExecuteQuoteCommand({ kind: 'quote', id: quoteId, command: onQuote }, ctx),
      );
      return { id: overrideId, quoteId, position, status: quoteAnswerStatus(state) };
    } catch (err) {
      if (err instanceof DomainError && err.code === 'QuoteNotFound')
        throw notFound('PriceOverrideNotFound', `Price override ${overrideId} does not exist`);
      throw err;
    }
  }
}
