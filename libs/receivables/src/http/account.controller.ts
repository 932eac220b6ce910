import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { assertId, Ctx, newEntityId, RequestContext, Roles, BusinessDates, ApiIdempotencyKey, ReadModels } from '@salesline/core';
import { CustomerFiles } from '@salesline/customers';
import { notFound } from '@salesline/shared-kernel';
import { AccountCommandInput, ExecuteAccountCommand } from '../application/account-commands';
import { invoiceAccountsProjection } from '../read-models/invoice-accounts.projection';
import { AllocateCreditBody, DepositBody, PaymentBody, RefundBody, RefusalBody, SettleDisputeBody, WriteOffBody } from './account.dto';

type Accepted = { id: string; customerId: string; position: number };

/** Money on a customer's account (`account-<customerId>`): deposits, payments, allocations. */
@ApiTags('receivables')
@ApiBearerAuth()
@ApiBadRequestResponse({ description: 'ValidationFailed: { errors: [{ field, reason }] }' })
@Controller('api/customers/:customerId')
export class CustomerAccountController {
  constructor(
    private readonly dates: BusinessDates,
    private readonly commandBus: CommandBus,
    private readonly customers: CustomerFiles,
  ) {}

  @Post('deposits')
  @HttpCode(201)
  @Roles('finance', 'integration')
  @ApiOperation({ summary: 'Record a customer deposit (DepositReceived): unallocated credit the next invoices consume, oldest due first' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ description: '{ id: depositId, customerId, position }' })
  @ApiNotFoundResponse({ description: 'CustomerNotFound' })
  @ApiForbiddenResponse({ description: 'ReceivablesForbidden' })
  async deposit(@Param('customerId') customerId: string, @Body() body: DepositBody, @Ctx() ctx: RequestContext): Promise<Accepted> {
    const depositId = newEntityId(`deposit:${customerId}`, ctx);
    const receivedOn = this.dates.on(body.receivedOn, ctx, 'receivedOn');
    return this.run(
      customerId,
      depositId,
      { type: 'ReceiveDeposit', data: { depositId, amount: body.amount, receivedOn, reference: body.reference ?? null } },
      ctx,
    );
  }

  @Post('deposits/:depositId/refund')
  @HttpCode(200)
  @Roles('finance')
  @ApiOperation({ summary: 'Refund an unallocated deposit (DepositRefunded)' })
  @ApiOkResponse({ description: '{ id: depositId, customerId, position }' })
  @ApiUnprocessableEntityResponse({ description: 'RefundExceedsUnallocated' })
  @ApiNotFoundResponse({ description: 'DepositNotFound' })
  @ApiIdempotencyKey()
  refund(
    @Param('customerId') customerId: string,
    @Param('depositId') depositId: string,
    @Body() body: RefundBody,
    @Ctx() ctx: RequestContext,
  ) {
    const refundedOn = this.dates.on(body.refundedOn, ctx, 'refundedOn');
    return this.run(
      customerId,
      assertId(depositId, 'depositId'),
      { type: 'RefundDeposit', data: { depositId, amount: body.amount, refundedOn } },
      ctx,
    );
  }

  @Post('payments')
  @HttpCode(201)
  @Roles('finance', 'integration')
  @ApiOperation({
    summary: 'Record a payment (PaymentReceived) and allocate it to invoices (PaymentAllocated each), as given or oldest due first',
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ description: '{ id: paymentId, customerId, position }' })
  @ApiUnprocessableEntityResponse({ description: 'AllocationExceedsOpenBalance, AllocationExceedsUnallocated' })
  @ApiNotFoundResponse({ description: 'CustomerNotFound, InvoiceNotFound' })
  async payment(@Param('customerId') customerId: string, @Body() body: PaymentBody, @Ctx() ctx: RequestContext): Promise<Accepted> {
    const paymentId = newEntityId(`payment:${customerId}`, ctx);
    const receivedOn = this.dates.on(body.receivedOn, ctx, 'receivedOn');
    return this.run(
      customerId,
      paymentId,
      {
        type: 'ReceivePayment',
        data: { paymentId, amount: body.amount, receivedOn, reference: body.reference ?? null, allocations: body.allocations },
      },
      ctx,
    );
  }

  @Post('allocations')
  @HttpCode(201)
  @Roles('finance')
  @ApiOperation({ summary: 'Allocate unallocated credit (payment, deposit or credit note) to an invoice (PaymentAllocated)' })
  @ApiCreatedResponse({ description: '{ id: invoiceId, customerId, position }' })
  @ApiUnprocessableEntityResponse({ description: 'AllocationExceedsOpenBalance, AllocationExceedsUnallocated' })
  @ApiNotFoundResponse({ description: 'CreditSourceNotFound, InvoiceNotFound' })
  @ApiIdempotencyKey()
  allocate(@Param('customerId') customerId: string, @Body() body: AllocateCreditBody, @Ctx() ctx: RequestContext) {
    const allocatedOn = this.dates.on(body.allocatedOn, ctx, 'allocatedOn');
    return this.run(customerId, body.invoiceId, { type: 'AllocateCredit', data: { ...body, allocatedOn } }, ctx);
  }

  private async run(customerId: string, id: string, command: AccountCommandInput, ctx: RequestContext): Promise<Accepted> {
    await this.customers.load(assertId(customerId, 'customerId'));
    const result = await this.commandBus.execute(new ExecuteAccountCommand({ kind: 'account', id: customerId, command }, ctx));
    return { id, customerId, position: result.position };
  }
}

/** A customer's answer to an invoice: refusal to pay (dispute), its settlement, or a write-off. */
@ApiTags('receivables')
@ApiBearerAuth()
@ApiBadRequestResponse({ description: 'ValidationFailed: { errors: [{ field, reason }] }' })
@Controller('api/invoices/:invoiceId')
export class InvoicesController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly dates: BusinessDates,
    private readonly commandBus: CommandBus,
  ) {}

  @Post('refusals')
  @HttpCode(201)
  @Roles('finance', 'sales_manager')
  @ApiOperation({ summary: "Record the customer's refusal to pay or dispute (PaymentRefused): out of dunning, still in exposure" })
  @ApiCreatedResponse({ description: '{ id: invoiceId, customerId, position }' })
  @ApiConflictResponse({ description: 'InvoiceNotOpen' })
  @ApiNotFoundResponse({ description: 'InvoiceNotFound' })
  @ApiIdempotencyKey()
  async refuse(@Param('invoiceId') invoiceId: string, @Body() body: RefusalBody, @Ctx() ctx: RequestContext) {
    const refusedOn = this.dates.on(body.refusedOn, ctx, 'refusedOn');
    return this.run(invoiceId, { type: 'RefusePayment', data: { invoiceId, reason: body.reason, refusedOn } }, ctx);
  }

  @Post('settle-dispute')
  @HttpCode(200)
  @Roles('finance')
  @ApiOperation({ summary: 'Settle a disputed invoice (DisputeSettled): the customer pays, it is credited, or written off' })
  @ApiOkResponse({ description: '{ id: invoiceId, customerId, position }' })
  @ApiConflictResponse({ description: 'InvoiceNotDisputed' })
  @ApiIdempotencyKey()
  settle(@Param('invoiceId') invoiceId: string, @Body() body: SettleDisputeBody, @Ctx() ctx: RequestContext) {
    const settledOn = this.dates.on(body.settledOn, ctx, 'settledOn');
    return this.run(invoiceId, { type: 'SettleDispute', data: { invoiceId, outcome: body.outcome, settledOn } }, ctx);
  }

  @Post('write-off')
  @HttpCode(200)
  @Roles('finance')
  @ApiOperation({ summary: 'Write off an invoice balance with a reason (InvoiceWrittenOff; finance)' })
  @ApiOkResponse({ description: '{ id: invoiceId, customerId, position }' })
  @ApiForbiddenResponse({ description: 'WriteOffForbidden' })
  @ApiUnprocessableEntityResponse({ description: 'WriteOffExceedsOpenBalance' })
  @ApiIdempotencyKey()
  writeOff(@Param('invoiceId') invoiceId: string, @Body() body: WriteOffBody, @Ctx() ctx: RequestContext) {
    const writtenOffOn = this.dates.on(body.writtenOffOn, ctx, 'writtenOffOn');
    return this.run(
      invoiceId,
      { type: 'WriteOffInvoice', data: { invoiceId, amount: body.amount, reason: body.reason, writtenOffOn } },
      ctx,
    );
  }

  private async run(invoiceId: string, command: AccountCommandInput, ctx: RequestContext): Promise<Accepted> {
    assertId(invoiceId, 'invoiceId');
    await this.readModels.catchUp([invoiceAccountsProjection]);
    const located = await this.readModels.get(invoiceAccountsProjection, invoiceId);
    if (!located) throw notFound('InvoiceNotFound', `Invoice ${invoiceId} does not exist`);
    const result = await this.commandBus.execute(new ExecuteAccountCommand({ kind: 'account', id: located.customerId, command }, ctx));
    return { id: invoiceId, customerId: located.customerId, position: result.position };
  }
}
