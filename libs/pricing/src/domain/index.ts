export * from './product';
export * from './price-list';
export * from './resolve-price';
export * from './price-floor';
