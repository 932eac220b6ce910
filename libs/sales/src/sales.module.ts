import { Module } from '@nestjs/common';
import { CustomersModule } from '@salesline/customers';
import { PricingModule } from '@salesline/pricing';
import { ReceivablesModule } from '@salesline/receivables';
import { BillOfLadingRegistry } from './application/bill-of-lading-registry';
import { ExecuteOrderHandler, PlaceOrderHandler } from './application/order-commands';
import { OrderAccountSync } from './application/order-account-sync';
import { OrderPlacement } from './application/order-placement';
import { Orders } from './application/orders';
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
  providers: [Orders, OrderPlacement, SalesSettingsService, OrderAccountSync, BillOfLadingRegistry, PlaceOrderHandler, ExecuteOrderHandler],
  exports: [Orders, OrderPlacement, SalesSettingsService],
})
export class SalesModule {}
