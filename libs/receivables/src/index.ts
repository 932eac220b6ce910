export * from './domain';
export * from './application/account-commands';
export * from './receivables.module';
export * from './receivables-read-models.module';
export * from './read-models';
