export * from './order-fixtures';
