import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertId, BusinessDates, Ctx, DocumentFilter, newEntityId, ReadModelQuery } from '@salesline/core';
import { RequestContext, Roles, ScopeFilter, ReadModels, CommandEndpoint, ApiRefusals } from '@salesline/core';
import { forbidden, hasAnyRole } from '@salesline/shared-kernel';
import { ExecuteQuoteCommand, QuoteCommandInput } from '../application/quote-commands';
import { QuoteConversion } from '../application/quote-conversion';
import { QuoteExpiry } from '../application/quote-expiry';
import { RequestedQuoteLine } from '../application/quote-lines';
import { QuoteDoc, quotesProjection } from '../read-models/quotes.projection';
import { AcceptQuoteBody, RejectQuoteBody, ConvertQuoteBody, IssueQuoteBody, ListQuotesQuery } from './quotes.dto';
import { QuoteCommandAccepted, QuoteConvertedView, QuoteLineBody, QuotesExpiredView, ReviseQuoteBody } from './quotes.dto';
import { quoteAnswerStatus } from '../domain/quote';
import { ApproveOverrideBody, RejectOverrideBody } from './orders.dto';

const QUOTE_WRITERS = ['salesperson', 'sales_manager'] as const;

/** Plain line objects for the events (the validated bodies are class instances). */
const requestedLines = (lines: readonly QuoteLineBody[]): RequestedQuoteLine[] =>
  lines.map(({ lineId, productId, quantity, unitPrice, overrideReason, freeOfCharge }) => ({
    lineId,
    productId,
    quantity,
    unitPrice,
    overrideReason,
    freeOfCharge,
  }));

@ApiTags('quotes')
@ApiBearerAuth()
@ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] }' })
@Controller('api/quotes')
export class QuotesController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly dates: BusinessDates,
    private readonly commandBus: CommandBus,
    private readonly conversion: QuoteConversion,
    private readonly expiry: QuoteExpiry,
  ) {}

  @Post()
  @CommandEndpoint(
    201,
    {
      summary:
        'Issue a quote: each line priced for the customer on the quote date; lines below your price floor await approval (QuoteIssued, QuotePriceOverrideRequested)',
    },
    { type: QuoteCommandAccepted },
  )
  @Roles(...QUOTE_WRITERS)
  @ApiRefusals({
    forbidden: 'QuoteForAnotherSalespersonForbidden: only a sales manager may quote for someone else',
    notFound: 'CustomerNotFound, ProductNotFound',
    conflict: 'ProductDiscontinued',
    unprocessable: 'IdempotencyKeyReused, DuplicateLineId, InvalidValidityPeriod',
  })
  async issue(@Body() body: IssueQuoteBody, @Ctx() ctx: RequestContext): Promise<QuoteCommandAccepted> {
    const salespersonId = body.salespersonId ?? ctx.actor.userId;
    // Override attempts count against the quote's salesperson (ADR 0102): nobody books them on a colleague.
    if (salespersonId !== ctx.actor.userId && !hasAnyRole(ctx.actor, 'sales_manager')) {
      throw forbidden('QuoteForAnotherSalespersonForbidden', 'Only a sales manager may issue a quote for another salesperson');
    }
    const id = newEntityId('quote', ctx);
    const quoteDate = this.dates.on(body.quoteDate, ctx, 'quoteDate');
    const data = {
      quoteId: id,
      customerId: body.customerId,
      salespersonId,
      quoteDate,
      validUntil: body.validUntil ?? null,
      lines: requestedLines(body.lines),
    };
    return this.send(id, { type: 'IssueQuote', data }, ctx);
  }

  @Post('expire')
  @HttpCode(200)
  @Roles('sales_manager', 'integration')
  @ApiOperation({ summary: 'Expiry sweep: expire every open or accepted quote valid until before today (QuoteExpired)' })
  @ApiOkResponse({ type: QuotesExpiredView })
  async expire(@Ctx() ctx: RequestContext): Promise<QuotesExpiredView> {
    return { expired: await this.expiry.sweep(ctx) };
  }

  @Post(':id/revise')
  @CommandEndpoint(
    200,
    { summary: 'A new revision replacing all lines, priced today; reopens an expired or accepted quote (QuoteRevised)' },
    { type: QuoteCommandAccepted },
  )
  @Roles(...QUOTE_WRITERS)
  @ApiRefusals({
    notFound: 'QuoteNotFound, CustomerNotFound, ProductNotFound',
    conflict: 'QuoteAlreadyConverted, QuoteClosed, ProductDiscontinued',
    unprocessable: 'DuplicateLineId, InvalidValidityPeriod',
  })
  async revise(@Param('id') id: string, @Body() body: ReviseQuoteBody, @Ctx() ctx: RequestContext): Promise<QuoteCommandAccepted> {
    const revisedOn = this.dates.on(body.revisedOn, ctx, 'revisedOn');
    return this.send(
      id,
      { type: 'ReviseQuote', data: { validUntil: body.validUntil ?? null, revisedOn, lines: requestedLines(body.lines) } },
      ctx,
    );
  }

  @Post(':id/accept')
  @CommandEndpoint(200, { summary: 'The customer accepted the quote (QuoteAccepted)' }, { type: QuoteCommandAccepted })
  @Roles(...QUOTE_WRITERS)
  @ApiRefusals({ notFound: 'QuoteNotFound', conflict: 'QuoteExpired, QuotePriceApprovalPending, QuoteAlreadyConverted, QuoteClosed' })
  async accept(@Param('id') id: string, @Body() body: AcceptQuoteBody, @Ctx() ctx: RequestContext): Promise<QuoteCommandAccepted> {
    const acceptedOn = this.dates.on(body?.acceptedOn, ctx, 'acceptedOn');
    return this.send(id, { type: 'AcceptQuote', data: { acceptedOn } }, ctx);
  }

  @Post(':id/reject')
  @CommandEndpoint(200, { summary: 'The customer rejected the quote (QuoteRejected)' }, { type: QuoteCommandAccepted })
  @Roles(...QUOTE_WRITERS)
  @ApiRefusals({ notFound: 'QuoteNotFound', conflict: 'QuoteAlreadyConverted, QuoteClosed' })
  async reject(@Param('id') id: string, @Body() body: RejectQuoteBody, @Ctx() ctx: RequestContext): Promise<QuoteCommandAccepted> {
    const rejectedOn = this.dates.on(body.rejectedOn, ctx, 'rejectedOn');
    return this.send(id, { type: 'RejectQuote', data: { reason: body.reason, rejectedOn } }, ctx);
  }

  @Post(':id/convert')
  @CommandEndpoint(
    201,
    {
      summary:
        'Convert the quote into an order with its lines and approvals (QuoteConverted, then OrderPlaced); a retry completes a half-done conversion',
    },
    { type: QuoteConvertedView },
  )
  @Roles(...QUOTE_WRITERS)
  @ApiRefusals({
    notFound: 'QuoteNotFound',
    conflict: 'QuoteExpired, QuotePriceApprovalPending, QuoteClosed',
    unprocessable: 'PriceApprovalMismatch and the other order placement rules',
  })
  async convert(@Param('id') id: string, @Body() body: ConvertQuoteBody, @Ctx() ctx: RequestContext): Promise<QuoteConvertedView> {
    const orderDate = this.dates.on(body?.orderDate, ctx, 'orderDate');
    return this.conversion.convert(assertId(id), ctx, orderDate);
  }

  @Post(':id/price-overrides/:overrideId/approve')
  @CommandEndpoint(
    200,
    {
      summary: 'Approve a below-floor price on the current revision; the approver must be allowed that price (QuotePriceOverrideApproved)',
    },
    { type: QuoteCommandAccepted },
  )
  @Roles('sales_manager')
  @ApiRefusals({
    forbidden: 'PriceOverrideApprovalForbidden (below cost: admin only)',
    notFound: 'QuoteNotFound, PriceOverrideNotFound',
    conflict: 'PriceOverrideNotPending, QuoteAlreadyConverted, QuoteClosed',
  })
  async approveOverride(
    @Param('id') id: string,
    @Param('overrideId') overrideId: string,
    @Body() body: ApproveOverrideBody,
    @Ctx() ctx: RequestContext,
  ) {
    const approvedOn = this.dates.on(body.approvedOn, ctx, 'approvedOn');
    return this.send(
      id,
      { type: 'ApproveQuotePriceOverride', data: { overrideId: assertId(overrideId, 'overrideId'), reason: body.reason, approvedOn } },
      ctx,
    );
  }

  @Post(':id/price-overrides/:overrideId/reject')
  @CommandEndpoint(
    200,
    { summary: 'Reject a below-floor price: the line is repriced to the resolved price (QuotePriceOverrideRejected)' },
    { type: QuoteCommandAccepted },
  )
  @Roles('sales_manager')
  @ApiRefusals({
    notFound: 'QuoteNotFound, PriceOverrideNotFound',
    conflict: 'PriceOverrideNotPending, QuoteAlreadyConverted, QuoteClosed',
  })
  async rejectOverride(
    @Param('id') id: string,
    @Param('overrideId') overrideId: string,
    @Body() body: RejectOverrideBody,
    @Ctx() ctx: RequestContext,
  ) {
    const rejectedOn = this.dates.on(body.rejectedOn, ctx, 'rejectedOn');
    return this.send(
      id,
      { type: 'RejectQuotePriceOverride', data: { overrideId: assertId(overrideId, 'overrideId'), reason: body.reason, rejectedOn } },
      ctx,
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'A quote with its lines, revisions and price overrides (read model)' })
  @ApiOkResponse({ description: 'The quote: status, revision, lines (price, resolved price and source), overrides, total' })
  @ApiRefusals({ notFound: 'QuoteNotFound' })
  async get(@Param('id') id: string, @Query() query: ReadModelQuery): Promise<QuoteDoc> {
    return this.readModels.getOrThrow(quotesProjection, id, query.minPosition, 'QuoteNotFound', 'Quote');
  }

  @Get()
  @ApiOperation({ summary: 'Quotes by customer, salesperson or status, newest first (read model)' })
  @ApiOkResponse({ description: '{ items: Quote[], total }' })
  async list(@Query() query: ListQuotesQuery, @ScopeFilter() scoped: DocumentFilter) {
    const filter = { customerId: query.customerId, salespersonId: query.salespersonId, status: query.status, ...scoped };
    return this.readModels.page(quotesProjection, filter, { ...query, sort: { quoteDate: -1, id: 1 } });
  }

  private async send(id: string, command: QuoteCommandInput, ctx: RequestContext): Promise<QuoteCommandAccepted> {
    assertId(id);
    const { position, state } = await this.commandBus.execute(new ExecuteQuoteCommand({ kind: 'quote', id, command }, ctx));
    return { id, position, status: quoteAnswerStatus(state) };
  }
}
