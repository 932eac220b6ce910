export * from './credit-check';
export * from './account';
export * from './aging';
