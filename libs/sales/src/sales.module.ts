import { Module } from '@nestjs/common';
import { CustomersModule } from '@salesline/customers';
import { PricingModule } from '@salesline/pricing';
import { ReceivablesModule } from '@salesline/receivables';
import { OrderCommandHandler } from './application/order-command-handler';
import { OrderAccountSync } from './application/order-account-sync';
import { SalesSettingsService } from './application/sales-settings';
import { OrdersController } from './http/orders.controller';
import { PriceOverridesController } from './http/price-overrides.controller';
import { ReturnsController } from './http/returns.controller';
import { SalesSettingsController } from './http/sales-settings.controller';
import { SalesReadModelsModule } from './sales-read-models.module';

/** Orders: placement with credit control, price approvals, deliveries, returns, invoices. */
@Module({
  imports: [PricingModule, CustomersModule, ReceivablesModule, SalesReadModelsModule],
  controllers: [OrdersController, ReturnsController, PriceOverridesController, SalesSettingsController],
  providers: [SalesSettingsService, OrderAccountSync, OrderCommandHandler],
  exports: [SalesSettingsService],
})
export class SalesModule {}
