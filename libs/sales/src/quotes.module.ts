import { Module } from '@nestjs/common';
import { CustomersModule } from '@salesline/customers';
import { PricingModule } from '@salesline/pricing';
import { QuoteCommandHandler } from './application/quote-commands';
import { QuoteConversion } from './application/quote-conversion';
import { QuoteExpiry } from './application/quote-expiry';
import { QuotesController } from './http/quotes.controller';
import { SalesModule } from './sales.module';

/** Quotes: issue, revise, accept, reject, expire, convert. */
@Module({
  imports: [SalesModule, PricingModule, CustomersModule],
  controllers: [QuotesController],
  providers: [QuoteCommandHandler, QuoteConversion, QuoteExpiry],
})
export class QuotesModule {}
