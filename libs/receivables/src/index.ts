export * from './domain';
export * from './read-models/receivables.projection';
export * from './receivables.module';
export * from './receivables-read-models.module';
export * from './read-models';
