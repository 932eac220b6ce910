import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
  ApiIdempotencyKey,
  assertId,
  BusinessDates,
  Ctx,
  DocumentFilter,
  newEntityId,
  ReadModelQuery,
  ReadModels,
  RequestContext,
  Roles,
  ScopeFilter,
} from '@salesline/core';

import { CommandInput } from '@salesline/shared-kernel';
import { ExecuteCustomerCommand } from '../application/customer-commands';
import { CustomerCommand } from '../domain/customer';
import { CustomerDoc, customersProjection } from '../read-models/customers.projection';
import {
  BlockCustomerBody,
  ChangeCreditLimitBody,
  ChangeCustomerDetailsBody,
  CommandAccepted,
  ListCustomersQuery,
  RegisterCustomerBody,
  UnblockCustomerBody,
} from './customers.dto';

const CUSTOMER_WRITERS = ['salesperson', 'sales_manager', 'finance'] as const;

@ApiTags('customers')
@ApiBearerAuth()
@ApiBadRequestResponse({ description: 'ValidationFailed: { errors: [{ field, reason }] }' })
@Controller('api/customers')
export class CustomersController {
  constructor(
    private readonly dates: BusinessDates,
    private readonly readModels: ReadModels,
    private readonly commandBus: CommandBus,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles(...CUSTOMER_WRITERS)
  @ApiOperation({ summary: 'Register a customer (CustomerRegistered)' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: CommandAccepted })
  @ApiForbiddenResponse({ description: 'CreditLimitChangeNotPermitted: only finance or a sales manager may grant credit' })
  @ApiConflictResponse({ description: 'CustomerAlreadyRegistered' })
  @ApiUnprocessableEntityResponse({
    description:
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
  @ApiNotFoundResponse({ description: 'CustomerNotFound' })
  @ApiForbiddenResponse({ description: 'PaymentTermsChangeNotPermitted, CustomerGroupChangeNotPermitted, OwnerChangeNotPermitted' })
  @ApiUnprocessableEntityResponse({
    description: 'InvalidPaymentTerms, UnknownEmployee, OwnerNotEmployedOnDate (a new owner must be employed on changedOn)',
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
  @HttpCode(200)
  @Roles('finance', 'sales_manager')
  @ApiOperation({ summary: 'Change the credit limit (finance or sales manager; CreditLimitChanged)' })
  @ApiOkResponse({ type: CommandAccepted })
  @ApiNotFoundResponse({ description: 'CustomerNotFound' })
  @ApiIdempotencyKey()
  async changeCreditLimit(
    @Param('id') id: string,
    @Body() body: ChangeCreditLimitBody,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAccepted> {
    const changedOn = this.dates.on(body.changedOn, ctx, 'changedOn');
    return this.run(id, { type: 'ChangeCreditLimit', data: { creditLimit: body.creditLimit, reason: body.reason, changedOn } }, ctx);
  }

  @Post(':id/block')
  @HttpCode(200)
  @Roles('finance', 'sales_manager')
  @ApiOperation({ summary: 'Block a customer: new orders go on credit hold (CustomerBlocked)' })
  @ApiOkResponse({ type: CommandAccepted })
  @ApiConflictResponse({ description: 'CustomerAlreadyBlocked' })
  @ApiIdempotencyKey()
  async block(@Param('id') id: string, @Body() body: BlockCustomerBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    const blockedOn = this.dates.on(body.blockedOn, ctx, 'blockedOn');
    return this.run(id, { type: 'BlockCustomer', data: { reason: body.reason, blockedOn } }, ctx);
  }

  @Post(':id/unblock')
  @HttpCode(200)
  @Roles('finance', 'sales_manager')
  @ApiOperation({ summary: 'Unblock a customer (CustomerUnblocked)' })
  @ApiOkResponse({ type: CommandAccepted })
  @ApiConflictResponse({ description: 'CustomerNotBlocked' })
  @ApiIdempotencyKey()
  async unblock(@Param('id') id: string, @Body() body: UnblockCustomerBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    const unblockedOn = this.dates.on(body.unblockedOn, ctx, 'unblockedOn');
    return this.run(id, { type: 'UnblockCustomer', data: { reason: body.reason, unblockedOn } }, ctx);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A customer from the read model' })
  @ApiNotFoundResponse({ description: 'CustomerNotFound' })
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
