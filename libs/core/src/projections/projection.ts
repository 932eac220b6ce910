import { RecordedEvent } from '../event-store/event-store.port';
import { IndexSpec, StoredDocument } from '../read-store/read-store.port';

/**
 * A projection is an evolve function over read-model documents:
 * `(doc | null, event) → doc | null` (null deletes), with the explicit list of event types it
 * handles and a router naming the documents each event touches. The runtime keeps its
 * checkpoint and makes it idempotent by global position.
 */
export type ProjectionDocument = StoredDocument;

export type Projection<Doc extends { id: string } = { id: string } & Record<string, unknown>> = Readonly<{
  name: string;
  collection: string;
  handles: readonly string[];
  /** An index over the whole log (the audit timelines): every event type, `handles` ignored. */
  handlesAllEvents?: boolean;
  indexes?: readonly IndexSpec[];
  /** Ids of the documents this event changes (usually one). */
  documentIds: (event: RecordedEvent) => readonly string[];
  evolve: (doc: Doc | null, event: RecordedEvent, documentId: string) => Doc | null;
}>;

export type AnyProjection = Projection<any>;

/** The store filter that selects what a projection handles (none: every event). */
export const projectionFilter = (projection: Pick<AnyProjection, 'handles' | 'handlesAllEvents'>) =>
  projection.handlesAllEvents ? undefined : { eventTypes: projection.handles };

/** The event types a projection folds, as a set to test against (every type for an index over the whole log). */
export type HandledTypes = Pick<ReadonlySet<string>, 'has'>;
const EVERY_TYPE: HandledTypes = { has: () => true };
export const handledTypes = (projection: Pick<AnyProjection, 'handles' | 'handlesAllEvents'>): HandledTypes =>
  projection.handlesAllEvents ? EVERY_TYPE : new Set(projection.handles);

export const PROJECTIONS = Symbol('PROJECTIONS');
