export * from './domain/customer';
export * from './read-models/customers.projection';
export * from './application/customer-commands';
export * from './customers.module';
