import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertId, BusinessDates, Ctx, DocumentFilter, newEntityId, ReadModelQuery } from '@salesline/core';
import { ReadModels, RequestContext, Roles, ScopeFilter, CommandEndpoint, ApiRefusals } from '@salesline/core';

import { CommandInput } from '@salesline/shared-kernel';
import { ExecuteCustomerCommand } from '../application/customer-commands';
import { CustomerCommand } from '../domain/customer';
import { CustomerDoc, customersProjection } from '../read-models/customers.projection';
import { BlockCustomerBody, ChangeCreditLimitBody, ChangeCustomerDetailsBody, CommandAccepted } from './customers.dto';
import { ListCustomersQuery, RegisterCustomerBody, UnblockCustomerBody } from './customers.dto';

const CUSTOMER_WRITERS = ['salesperson', 'sales_manager', 'finance'] as const;

@ApiTags('customers')
@ApiBearerAuth()
@ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] }' })
@Controller('api/customers')
export class CustomersController {
  constructor(
    private readonly dates: BusinessDates,
    private readonly readModels: ReadModels,
    private readonly commandBus: CommandBus,
  ) {}

  @Post()
  @CommandEndpoint(201, { summary: 'Register a customer (CustomerRegistered)' })
  @Roles(...CUSTOMER_WRITERS)
  @ApiRefusals({
    forbidden: 'CreditLimitChangeNotPermitted: only finance or a sales manager may grant credit',
    conflict: 'CustomerAlreadyRegistered',
    unprocessable:
      'IdempotencyKeyReused, InvalidCreditLimit, InvalidPaymentTerms, UnknownEmployee, OwnerNotEmployedOnDate (when an organization is kept, the owner must be employed on registeredOn)',
  })
  async register(@Body() body: RegisterCustomerBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    const id = newEntityId('customer', ctx);
    const registeredOn = this.dates.on(body.registeredOn, ctx, 'registeredOn');
    const { position } = await this.commandBus.execute(
      new ExecuteCustomerCommand(
        { kind: 'customer', id, command: { type: 'RegisterCustomer', data: { ...body, customerId: id, registeredOn } } },
        ctx,
      ),
    );
    return { id, position };
  }

  @Patch(':id')
  @Roles(...CUSTOMER_WRITERS)
  @ApiOperation({ summary: "Change a customer's details (CustomerDetailsChanged)" })
  @ApiOkResponse({ type: CommandAccepted })
  @ApiRefusals({
    forbidden: 'PaymentTermsChangeNotPermitted, CustomerGroupChangeNotPermitted, OwnerChangeNotPermitted',
    notFound: 'CustomerNotFound',
    unprocessable: 'InvalidPaymentTerms, UnknownEmployee, OwnerNotEmployedOnDate (a new owner must be employed on changedOn)',
  })
  async changeDetails(
    @Param('id') id: string,
    @Body() body: ChangeCustomerDetailsBody,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAccepted> {
    const { changedOn, ...changes } = body;
    return this.run(id, { type: 'ChangeCustomerDetails', data: { changes, changedOn: this.dates.on(changedOn, ctx, 'changedOn') } }, ctx);
  }

  @Post(':id/credit-limit')
  @CommandEndpoint(200, { summary: 'Change the credit limit (finance or sales manager; CreditLimitChanged)' })
  @Roles('finance', 'sales_manager')
  @ApiRefusals({ notFound: 'CustomerNotFound' })
  async changeCreditLimit(
    @Param('id') id: string,
    @Body() body: ChangeCreditLimitBody,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAccepted> {
    const changedOn = this.dates.on(body.changedOn, ctx, 'changedOn');
    return this.run(id, { type: 'ChangeCreditLimit', data: { creditLimit: body.creditLimit, reason: body.reason, changedOn } }, ctx);
  }

  @Post(':id/block')
  @CommandEndpoint(200, { summary: 'Block a customer: new orders go on credit hold (CustomerBlocked)' })
  @Roles('finance', 'sales_manager')
  @ApiRefusals({ conflict: 'CustomerAlreadyBlocked' })
  async block(@Param('id') id: string, @Body() body: BlockCustomerBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    const blockedOn = this.dates.on(body.blockedOn, ctx, 'blockedOn');
    return this.run(id, { type: 'BlockCustomer', data: { reason: body.reason, blockedOn } }, ctx);
  }

  @Post(':id/unblock')
  @CommandEndpoint(200, { summary: 'Unblock a customer (CustomerUnblocked)' })
  @Roles('finance', 'sales_manager')
  @ApiRefusals({ conflict: 'CustomerNotBlocked' })
  async unblock(@Param('id') id: string, @Body() body: UnblockCustomerBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    const unblockedOn = this.dates.on(body.unblockedOn, ctx, 'unblockedOn');
    return this.run(id, { type: 'UnblockCustomer', data: { reason: body.reason, unblockedOn } }, ctx);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A customer from the read model' })
  @ApiRefusals({ notFound: 'CustomerNotFound' })
  async get(@Param('id') id: string, @Query() query: ReadModelQuery): Promise<CustomerDoc> {
    const doc = await this.readModels.getOrThrow<CustomerDoc>(customersProjection, id, query.minPosition, 'CustomerNotFound', 'Customer');
    return doc;
  }

  @Get()
  @ApiOperation({ summary: 'Customers by group, territory, owner or status (read model)' })
  async list(@Query() query: ListCustomersQuery, @ScopeFilter() scoped: DocumentFilter) {
    const filter = { customerGroup: query.group, territory: query.territory, ownerId: query.owner, status: query.status, ...scoped };
    const { items, total } = await this.readModels.page(customersProjection, filter, { ...query, sort: { name: 1 } });
    return { items, total };
  }

  private async run(id: string, command: CommandInput<CustomerCommand>, ctx: RequestContext): Promise<CommandAccepted> {
    assertId(id);
    const { position } = await this.commandBus.execute(new ExecuteCustomerCommand({ kind: 'customer', id, command }, ctx));
    return { id, position };
  }
}
