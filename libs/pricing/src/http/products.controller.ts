import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BusinessDates, Ctx, newEntityId, ReadModelQuery, RequestContext } from '@salesline/core';
import { Roles, ReadModels, CommandEndpoint, ApiRefusals } from '@salesline/core';

import { CommandInput } from '@salesline/shared-kernel';
import { ProductCommand } from '../domain/product';
import { ProductDoc, productsProjection } from '../read-models/products.projection';
import { sendPricingCommand } from './pricing-commands.http';
import { ChangeListPriceBody, ChangeStandardCostBody, CommandAccepted } from './pricing.dto';
import { DiscontinueProductBody, ListProductsQuery, RegisterProductBody } from './pricing.dto';

@ApiTags('products')
@ApiBearerAuth()
@ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] }' })
@Controller('api/products')
export class ProductsController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly dates: BusinessDates,
    private readonly commandBus: CommandBus,
  ) {}

  @Post()
  @CommandEndpoint(201, { summary: 'Register a product in the catalogue; its SKU must be unused (ProductRegistered)' })
  @Roles('sales_manager')
  @ApiRefusals({
    forbidden: 'RoleRequired (sales_manager)',
    conflict: 'SkuAlreadyRegistered: another product holds this SKU',
    unprocessable: 'IdempotencyKeyReused, InvalidAmount',
  })
  async register(@Body() body: RegisterProductBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    const id = newEntityId('product', ctx);
    const registeredOn = this.dates.on(body.registeredOn, ctx, 'registeredOn');
    return this.send(id, { type: 'RegisterProduct', data: { ...body, productId: id, registeredOn } }, ctx);
  }

  @Post(':id/price')
  @CommandEndpoint(200, { summary: 'Change the list price (ProductPriceChanged; the same price changes nothing)' })
  @Roles('sales_manager')
  @ApiRefusals({ notFound: 'ProductNotFound', conflict: 'ProductDiscontinued' })
  async changeListPrice(@Param('id') id: string, @Body() body: ChangeListPriceBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    return this.send(
      id,
      { type: 'ChangeProductPrice', data: { listPrice: body.listPrice, changedOn: this.dates.on(body.changedOn, ctx, 'changedOn') } },
      ctx,
    );
  }

  @Post(':id/cost')
  @CommandEndpoint(200, { summary: 'Change the standard cost (finance or sales manager; ProductCostChanged)' })
  @Roles('finance', 'sales_manager')
  @ApiRefusals({ notFound: 'ProductNotFound', conflict: 'ProductDiscontinued' })
  async changeStandardCost(
    @Param('id') id: string,
    @Body() body: ChangeStandardCostBody,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAccepted> {
    return this.send(
      id,
      { type: 'ChangeProductCost', data: { standardCost: body.standardCost, changedOn: this.dates.on(body.changedOn, ctx, 'changedOn') } },
      ctx,
    );
  }

  @Post(':id/discontinue')
  @CommandEndpoint(200, { summary: 'Discontinue a product: it can no longer be quoted or repriced (ProductDiscontinued)' })
  @Roles('sales_manager')
  @ApiRefusals({ notFound: 'ProductNotFound' })
  async discontinue(@Param('id') id: string, @Body() body: DiscontinueProductBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    const discontinuedOn = this.dates.on(body.discontinuedOn, ctx, 'discontinuedOn');
    return this.send(id, { type: 'DiscontinueProduct', data: { reason: body.reason ?? null, discontinuedOn } }, ctx);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A product from the catalogue read model' })
  @ApiOkResponse({ description: 'The product: sku, name, unit, listPrice, standardCost, status' })
  @ApiRefusals({ notFound: 'ProductNotFound' })
  async get(@Param('id') id: string, @Query() query: ReadModelQuery): Promise<ProductDoc> {
    return this.readModels.getOrThrow(productsProjection, id, query.minPosition, 'ProductNotFound', 'Product');
  }

  @Get()
  @ApiOperation({ summary: 'The catalogue by SKU or status, by name (read model)' })
  @ApiOkResponse({ description: '{ items: Product[], total }' })
  async list(@Query() query: ListProductsQuery) {
    return this.readModels.page(productsProjection, { sku: query.sku, status: query.status }, { ...query, sort: { name: 1 } });
  }

  private send(id: string, command: CommandInput<ProductCommand>, ctx: RequestContext): Promise<CommandAccepted> {
    return sendPricingCommand(this.commandBus, { kind: 'product', id, command }, ctx);
  }
}
