import { Module } from '@nestjs/common';
import { CustomersModule } from '@salesline/customers';
import { PriceBook } from './application/price-book';
import { PricingCommandHandler } from './application/pricing-commands';
import { PriceListsController } from './http/price-lists.controller';
import { PricesController } from './http/prices.controller';
import { ProductsController } from './http/products.controller';

/** Products, price lists and price resolution (PriceBook, used by quotes and orders). */
@Module({
  imports: [CustomersModule],
  controllers: [ProductsController, PriceListsController, PricesController],
  providers: [PriceBook, PricingCommandHandler],
  exports: [PriceBook],
})
export class PricingModule {}
