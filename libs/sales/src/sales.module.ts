import { Module } from '@nestjs/common';
import { PricingModule } from '@salesline/pricing';
import { OrderPlacement } from './application/order-placement';
import { SalesSettingsService } from './application/sales-settings';

/** Orders: placement with credit control, price approvals, deliveries, returns, invoices. */
@Module({
  imports: [PricingModule],
  controllers: [],
  providers: [OrderPlacement, SalesSettingsService],
  exports: [OrderPlacement, SalesSettingsService],
})
export class SalesModule {}
