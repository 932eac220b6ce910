export * from './audit.module';
export * from './domain/audit-subjects';
export * from './domain/state-diff';
export * from './read-models';
export * from './application/audit-timelines';
export * from './domain/webhook';
export * from './application/webhook-dispatcher';
export * from './application/webhook-commands';
