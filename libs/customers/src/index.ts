export * from './domain/customer';
export * from './read-models';
export * from './application/customer-commands';
export * from './application/customer-files';
export * from './customers.module';
export * from './application/customer-upcasters';
