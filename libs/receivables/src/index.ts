export * from './domain';
export * from './read-models/receivables.projection';
