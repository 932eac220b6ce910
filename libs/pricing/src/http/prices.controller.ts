import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestContext, ApiRefusals } from '@salesline/core';
import { CustomerFiles } from '@salesline/customers';
import { PriceBook } from '../application/price-book';
import { PriceQuery, ResolvedPriceView } from './pricing.dto';

@ApiTags('prices')
@ApiBearerAuth()
@Controller('api/prices')
export class PricesController {
  constructor(
    private readonly priceBook: PriceBook,
    private readonly customers: CustomerFiles,
  ) {}

  @Get()
  @ApiOperation({
    summary: "A customer's price for a product and quantity on a date: customer list → group list → list price, with its source",
  })
  @ApiOkResponse({ type: ResolvedPriceView })
  @ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] }', notFound: 'CustomerNotFound, ProductNotFound' })
  async resolve(@Query() query: PriceQuery, @Ctx() ctx: RequestContext): Promise<ResolvedPriceView> {
    const customer = await this.customers.load(query.customerId);
    const request = {
      customerId: query.customerId,
      customerGroup: customer.customerGroup,
      productId: query.productId,
      quantity: query.quantity ?? 1,
      date: query.date ?? ctx.today,
    };
    const { product, resolved } = await this.priceBook.price(request);
    return { ...request, ...resolved, listPrice: product.listPrice, discontinued: product.discontinued };
  }
}
