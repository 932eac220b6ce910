import { Module } from '@nestjs/common';
import { PriceBook } from './application/price-book';

@Module({
  controllers: [],
  providers: [PriceBook],
  exports: [PriceBook],
})
export class PricingModule {}
