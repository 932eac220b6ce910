export * from './settings';
export * from './price-approval';
export * from './quote';
export * from './order-state';
export * from './order';
export * from './credit-check';
export * from './sales-settings.decider';
export * from './order-account-process';
