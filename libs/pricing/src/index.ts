export * from './domain';
export * from './application/price-book';
export * from './application/pricing-upcasters';
export * from './pricing.module';
export * from './read-models';
