import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { assertId, CommandAccepted, Ctx, newEntityId, RequestContext } from '@salesline/core';
import { Roles, BusinessDates, ReadModels, CommandEndpoint, ApiRefusals } from '@salesline/core';
import { CustomerFiles } from '@salesline/customers';
import { CommandInput, notFound } from '@salesline/shared-kernel';
import { ExecuteAccountCommand } from '../application/account-commands';
import { AccountCommand } from '../domain/account';
import { invoiceAccountsProjection } from '../read-models/invoice-accounts.projection';
import { AllocateCreditBody, DepositBody, PaymentBody, RefundBody, RefusalBody, SettleDisputeBody, WriteOffBody } from './account.dto';

/** The accepted answer, with the customer whose account the command wrote. */
type Accepted = CommandAccepted & { customerId: string };

/** Money on a customer's account (`account-<customerId>`): deposits, payments, allocations. */
@ApiTags('receivables')
@ApiBearerAuth()
@ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] }' })
@Controller('api/customers/:customerId')
export class CustomerAccountController {
  constructor(
    private readonly dates: BusinessDates,
    private readonly commandBus: CommandBus,
    private readonly customers: CustomerFiles,
  ) {}

  @Post('deposits')
  @CommandEndpoint(
    201,
    { summary: 'Record a customer deposit (DepositReceived): unallocated credit the next invoices consume, oldest due first' },
    { description: '{ id: depositId, customerId, position }' },
  )
  @Roles('finance', 'integration')
  @ApiRefusals({ forbidden: 'ReceivablesForbidden', notFound: 'CustomerNotFound' })
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
  @CommandEndpoint(
    200,
    { summary: 'Refund an unallocated deposit (DepositRefunded)' },
    { description: '{ id: depositId, customerId, position }' },
  )
  @Roles('finance')
  @ApiRefusals({ notFound: 'DepositNotFound', unprocessable: 'RefundExceedsUnallocated' })
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
  @CommandEndpoint(
    201,
    {
      summary: 'Record a payment (PaymentReceived) and allocate it to invoices (PaymentAllocated each), as given or oldest due first',
    },
    { description: '{ id: paymentId, customerId, position }' },
  )
  @Roles('finance', 'integration')
  @ApiRefusals({
    notFound: 'CustomerNotFound, InvoiceNotFound',
    unprocessable: 'AllocationExceedsOpenBalance, AllocationExceedsUnallocated',
  })
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
  @CommandEndpoint(
    201,
    { summary: 'Allocate unallocated credit (payment, deposit or credit note) to an invoice (PaymentAllocated)' },
    { description: '{ id: invoiceId, customerId, position }' },
  )
  @Roles('finance')
  @ApiRefusals({
    notFound: 'CreditSourceNotFound, InvoiceNotFound',
    unprocessable: 'AllocationExceedsOpenBalance, AllocationExceedsUnallocated',
  })
  allocate(@Param('customerId') customerId: string, @Body() body: AllocateCreditBody, @Ctx() ctx: RequestContext) {
    const allocatedOn = this.dates.on(body.allocatedOn, ctx, 'allocatedOn');
    return this.run(customerId, body.invoiceId, { type: 'AllocateCredit', data: { ...body, allocatedOn } }, ctx);
  }

  private async run(customerId: string, id: string, command: CommandInput<AccountCommand>, ctx: RequestContext): Promise<Accepted> {
    await this.customers.load(assertId(customerId, 'customerId'));
    const result = await this.commandBus.execute(new ExecuteAccountCommand({ kind: 'account', id: customerId, command }, ctx));
    return { id, customerId, position: result.position };
  }
}

/** A customer's answer to an invoice: refusal to pay (dispute), its settlement, or a write-off. */
@ApiTags('receivables')
@ApiBearerAuth()
@ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] }' })
@Controller('api/invoices/:invoiceId')
export class InvoicesController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly dates: BusinessDates,
    private readonly commandBus: CommandBus,
  ) {}

  @Post('refusals')
  @CommandEndpoint(
    201,
    { summary: "Record the customer's refusal to pay or dispute (PaymentRefused): out of dunning, still in exposure" },
    { description: '{ id: invoiceId, customerId, position }' },
  )
  @Roles('finance', 'sales_manager')
  @ApiRefusals({ notFound: 'InvoiceNotFound', conflict: 'InvoiceNotOpen' })
  async refuse(@Param('invoiceId') invoiceId: string, @Body() body: RefusalBody, @Ctx() ctx: RequestContext) {
    const refusedOn = this.dates.on(body.refusedOn, ctx, 'refusedOn');
    return this.run(invoiceId, { type: 'RefusePayment', data: { invoiceId, reason: body.reason, refusedOn } }, ctx);
  }

  @Post('settle-dispute')
  @CommandEndpoint(
    200,
    { summary: 'Settle a disputed invoice (DisputeSettled): the customer pays, it is credited, or written off' },
    { description: '{ id: invoiceId, customerId, position }' },
  )
  @Roles('finance')
  @ApiRefusals({ conflict: 'InvoiceNotDisputed' })
  settle(@Param('invoiceId') invoiceId: string, @Body() body: SettleDisputeBody, @Ctx() ctx: RequestContext) {
    const settledOn = this.dates.on(body.settledOn, ctx, 'settledOn');
    return this.run(invoiceId, { type: 'SettleDispute', data: { invoiceId, outcome: body.outcome, settledOn } }, ctx);
  }

  @Post('write-off')
  @CommandEndpoint(
    200,
    { summary: 'Write off an invoice balance with a reason (InvoiceWrittenOff; finance)' },
    { description: '{ id: invoiceId, customerId, position }' },
  )
  @Roles('finance')
  @ApiRefusals({ forbidden: 'WriteOffForbidden', unprocessable: 'WriteOffExceedsOpenBalance' })
  writeOff(@Param('invoiceId') invoiceId: string, @Body() body: WriteOffBody, @Ctx() ctx: RequestContext) {
    const writtenOffOn = this.dates.on(body.writtenOffOn, ctx, 'writtenOffOn');
    return this.run(
      invoiceId,
      { type: 'WriteOffInvoice', data: { invoiceId, amount: body.amount, reason: body.reason, writtenOffOn } },
      ctx,
    );
  }

  private async run(invoiceId: string, command: CommandInput<AccountCommand>, ctx: RequestContext): Promise<Accepted> {
    assertId(invoiceId, 'invoiceId');
    await this.readModels.catchUp([invoiceAccountsProjection]);
    const located = await this.readModels.get(invoiceAccountsProjection, invoiceId);
    if (!located) throw notFound('InvoiceNotFound', `Invoice ${invoiceId} does not exist`);
    const result = await this.commandBus.execute(new ExecuteAccountCommand({ kind: 'account', id: located.customerId, command }, ctx));
    return { id: invoiceId, customerId: located.customerId, position: result.position };
  }
}
