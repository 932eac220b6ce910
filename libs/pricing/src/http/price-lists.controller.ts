import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, newEntityId, ReadModelQuery, RequestContext, Roles } from '@salesline/core';
import { BusinessDates, ReadModels, CommandEndpoint, ApiRefusals } from '@salesline/core';

import { CommandInput } from '@salesline/shared-kernel';
import { belowCostPrices, PriceListCommand, PriceListScope } from '../domain/price-list';
import { PriceListDoc, priceListsProjection, priceListViewOf } from '../read-models/price-lists.projection';
import { productsProjection } from '../read-models/products.projection';
import { sendPricingCommand } from './pricing-commands.http';
import { ClosePriceListBody, CommandAccepted, CreatePriceListBody } from './pricing.dto';
import { ListPriceListsQuery, PriceListItemsBody, PriceListScopeBody } from './pricing.dto';

const scopeOf = (body: PriceListScopeBody): PriceListScope =>
  body.kind === 'customer' ? { kind: 'customer', customerId: body.customerId! } : { kind: 'group', customerGroup: body.customerGroup! };

/** Plain objects for the events (the validated bodies are class instances). */
const itemsOf = (body: PriceListItemsBody) =>
  body.items.map((item) => ({
    productId: item.productId,
    breaks: item.breaks.map(({ minQuantity, unitPrice }) => ({ minQuantity, unitPrice })),
    belowCostReason: item.belowCostReason ?? null,
    freeOfCharge: item.freeOfCharge ?? null,
  }));

@ApiTags('price-lists')
@ApiBearerAuth()
@ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] }' })
@Controller('api/price-lists')
export class PriceListsController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly dates: BusinessDates,
    private readonly commandBus: CommandBus,
  ) {}

  @Post()
  @CommandEndpoint(201, { summary: 'Create a customer or customer-group price list with quantity breaks (PriceListCreated)' })
  @Roles('sales_manager')
  @ApiRefusals({
    forbidden: 'RoleRequired (sales_manager)',
    unprocessable: 'IdempotencyKeyReused, InvalidValidityPeriod, InvalidPriceBreaks, DuplicatePriceListItem',
  })
  async create(@Body() body: CreatePriceListBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    const id = newEntityId('price-list', ctx);
    const data = {
      priceListId: id,
      name: body.name,
      scope: scopeOf(body.scope),
      validFrom: body.validFrom,
      validTo: body.validTo ?? null,
      items: itemsOf(body),
      createdOn: this.dates.optional(body.createdOn, ctx, 'createdOn'),
    };
    return this.send(id, { type: 'CreatePriceList', data }, ctx);
  }

  @Post(':id/items')
  @CommandEndpoint(200, { summary: "Replace the list's items (PriceListItemsChanged)" })
  @Roles('sales_manager')
  @ApiRefusals({ notFound: 'PriceListNotFound', conflict: 'PriceListClosed', unprocessable: 'InvalidPriceBreaks, DuplicatePriceListItem' })
  async changeItems(@Param('id') id: string, @Body() body: PriceListItemsBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    return this.send(id, { type: 'ChangePriceListItems', data: { items: itemsOf(body) } }, ctx);
  }

  @Post(':id/close')
  @CommandEndpoint(200, { summary: 'Close the list from a date on; earlier dates keep their prices (PriceListClosed)' })
  @Roles('sales_manager')
  @ApiRefusals({ notFound: 'PriceListNotFound' })
  async close(@Param('id') id: string, @Body() body: ClosePriceListBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    const closedOn = this.dates.on(body.closedOn, ctx, 'closedOn');
    return this.send(id, { type: 'ClosePriceList', data: { closedOn, reason: body.reason ?? null } }, ctx);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A price list from the read model' })
  @ApiOkResponse({ description: 'The list: scope, validity, closedOn, items with breaks' })
  @ApiRefusals({ notFound: 'PriceListNotFound' })
  async get(@Param('id') id: string, @Query() query: ReadModelQuery) {
    const doc = await this.readModels.getOrThrow(priceListsProjection, id, query.minPosition, 'PriceListNotFound', 'Price list');
    return (await this.withCostFlags([doc]))[0];
  }

  @Get()
  @ApiOperation({ summary: 'Price lists of a customer or a customer group, latest validFrom first (read model)' })
  @ApiOkResponse({ description: '{ items: PriceList[], total }' })
  async list(@Query() query: ListPriceListsQuery) {
    const filter = { 'scope.customerId': query.customerId, 'scope.customerGroup': query.customerGroup, status: query.status };
    const page = await this.readModels.page(priceListsProjection, filter, { ...query, sort: { validFrom: -1, id: 1 } });
    return { ...page, items: await this.withCostFlags(page.items) };
  }

  /** Each list with its prices below the products' current standard cost (`belowCost`, flagged when no approval covers them). */
  private async withCostFlags(docs: PriceListDoc[]) {
    await this.readModels.catchUp([productsProjection]);
    const productIds = [...new Set(docs.flatMap((d) => d.items.map((i) => i.productId)))];
    const costs: Record<string, number> = {};
    for (const productId of productIds) {
      const product = await this.readModels.get(productsProjection, productId);
      if (product) costs[productId] = product.standardCost;
    }
    return docs.map((doc) => ({ ...doc, belowCost: belowCostPrices(priceListViewOf(doc), costs) }));
  }

  private send(id: string, command: CommandInput<PriceListCommand>, ctx: RequestContext): Promise<CommandAccepted> {
    return sendPricingCommand(this.commandBus, { kind: 'priceList', id, command }, ctx);
  }
}
