import { Module } from '@nestjs/common';
import { CustomerCommandHandler } from './application/customer-commands';
import { CustomerFiles } from './application/customer-files';
import { CustomersController } from './http/customers.controller';

@Module({
  controllers: [CustomersController],
  providers: [CustomerCommandHandler, CustomerFiles],
  exports: [CustomerFiles],
})
export class CustomersModule {}
