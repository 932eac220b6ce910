import { Module } from '@nestjs/common';
import { CustomerCommandHandler } from './application/customer-commands';
import { CustomersController } from './http/customers.controller';

@Module({
  controllers: [CustomersController],
  providers: [CustomerCommandHandler],
})
export class CustomersModule {}
