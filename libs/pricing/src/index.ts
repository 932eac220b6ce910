export * from './domain';
export * from './application/price-book';
export * from './pricing.module';
export * from './read-models';
