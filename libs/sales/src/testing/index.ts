export * from './order-fixtures';
export * from './order-history';
