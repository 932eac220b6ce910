export * from './audit.module';
export * from './domain/audit-subjects';
export * from './domain/state-diff';
export * from './read-models/audit-timeline.projection';
export * from './read-models/audit-links.projection';
export * from './application/audit-timelines';
