export * from './domain';
export * from './application/order-commands';
export * from './application/sales-settings';
export * from './sales.module';
export * from './quotes.module';
export * from './sales-read-models.module';
export * from './read-models';
export * from './application/document-index';
