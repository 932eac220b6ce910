export * from './domain';
export * from './application/price-book';
export * from './http/free-of-charge-field';
export * from './application/pricing-upcasters';
export * from './pricing.module';
export * from './read-models';
