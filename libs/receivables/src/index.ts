export * from './domain';
export * from './application/account-commands';
export * from './read-models/receivables.projection';
export * from './receivables.module';
export * from './receivables-read-models.module';
export * from './read-models';
export * from './read-models/invoice-accounts.projection';
