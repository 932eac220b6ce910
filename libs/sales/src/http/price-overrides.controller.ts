import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertId, BusinessDates, Ctx, RequestContext, Roles } from '@salesline/core';
import { notFound } from '@salesline/shared-kernel';
import { DocumentIndex } from '../application/document-index';
import { ExecuteOrderCommand, OrderRequest } from '../application/order-commands';
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
  @HttpCode(200)
  @Roles('sales_manager')
  @ApiOperation({ summary: 'Approve a price below the floor with a reason (PriceOverrideApproved); below standard cost needs an admin' })
  @ApiOkResponse({ description: '{ id, orderId, position, status }' })
  @ApiForbiddenResponse({ description: 'PriceOverrideApprovalForbidden' })
  @ApiConflictResponse({ description: 'PriceOverrideNotPending' })
  @ApiNotFoundResponse({ description: 'PriceOverrideNotFound' })
  approve(@Param('id') id: string, @Body() body: ApproveOverrideBody, @Ctx() ctx: RequestContext) {
    const approvedOn = this.dates.on(body.approvedOn, ctx, 'approvedOn');
    return this.answer(id, { type: 'ApprovePriceOverride', data: { overrideId: id, reason: body.reason, approvedOn } }, ctx);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('sales_manager')
  @ApiOperation({ summary: 'Reject a price below the floor with a reason (PriceOverrideRejected); the line is repriced to the resolved price' })
  @ApiOkResponse({ description: '{ id, orderId, position, status }' })
  @ApiConflictResponse({ description: 'PriceOverrideNotPending' })
  @ApiNotFoundResponse({ description: 'PriceOverrideNotFound' })
  reject(@Param('id') id: string, @Body() body: RejectOverrideBody, @Ctx() ctx: RequestContext) {
    const rejectedOn = this.dates.on(body.rejectedOn, ctx, 'rejectedOn');
    return this.answer(id, { type: 'RejectPriceOverride', data: { overrideId: id, reason: body.reason, rejectedOn } }, ctx);
  }

  private async answer(overrideId: string, command: OrderRequest, ctx: RequestContext) {
    assertId(overrideId);
    const orderId = await this.documents.orderOfOverride(overrideId);
    if (!orderId) throw notFound('PriceOverrideNotFound', `Price override ${overrideId} does not exist`);
    const result = await this.commandBus.execute(new ExecuteOrderCommand(orderId, command, ctx));
    return { id: overrideId, orderId, position: result.position, status: result.status };
  }
}
