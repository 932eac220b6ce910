/** Test support for every context: an in-memory event store, the projection spec, and the port contract helpers. */
export * from '../event-store/in-memory/in-memory-event-store';
export * from './projection-spec';
export * from './contract-suite';
export * from './quick-validation-agreement';
