export * from './order-fixtures';
export * from './order-history';
export * from './quote-fixtures';
