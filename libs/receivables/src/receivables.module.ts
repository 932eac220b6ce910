import { Module } from '@nestjs/common';
import { CustomersModule } from '@salesline/customers';
import { AccountCommandHandler, CustomerAccounts } from './application/account-commands';
import { CustomerAccountController, InvoicesController } from './http/account.controller';

/** The customer account: deposits, payments and allocations, refusals, write-offs. */
@Module({
  imports: [CustomersModule],
  controllers: [CustomerAccountController, InvoicesController],
  providers: [CustomerAccounts, AccountCommandHandler],
  exports: [CustomerAccounts],
})
export class ReceivablesModule {}
