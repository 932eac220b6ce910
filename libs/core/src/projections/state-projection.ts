import { DomainEvent } from '@salesline/shared-kernel';
import { IndexSpec } from '../read-store/read-store.port';
import { defineProjection, domainEventOf, Listed, ReadModelDocumentation, Recorded } from './projection';

/** What every state document carries besides the decider's state. */
export type StateDocMeta = { id: string; updatedAt: string; version: number };

/** The document of a state projection: the decider's state once the stream exists, and the bookkeeping. */
export type StateDoc<S> = Exclude<S, { status: 'none' }> & StateDocMeta;

/** Every handled event sets a state document's bookkeeping: its documentation says so once, here. */
const withBookkeeping = <T extends string>(documentation: ReadModelDocumentation<T>, handles: readonly T[]): ReadModelDocumentation<T> => ({
  ...documentation,
  meanings: {
    updatedAt: 'Wall-clock time (occurredAt) of the last event applied.',
    version: 'Stream revision of the last event applied (0 for the first).',
    ...documentation.meanings,
  },
  sources: { updatedAt: handles, version: handles, ...documentation.sources },
});

/**
 * A read model whose document is the decider's own state (folded with the domain's `evolve`), so the
 * read side can never disagree with what the decider enforces. One document per stream; list the handled
 * types with `everyEventType<E>()` so that none of the decider's events is left out.
 */
export const stateProjection =
  <E extends DomainEvent>() =>
  <S extends { status: string }, const Types extends readonly E['type'][]>(options: {
    name: string;
    collection: string;
    /** The version of what it writes (see `ProjectionDefinition.version`); bump it when the state's shape changes. */
    version?: number;
    documentation?: ReadModelDocumentation<Types[number]>;
    handles: Types;
    indexes?: readonly IndexSpec[];
    documentId: (event: Recorded<Listed<E, Types>>) => string;
    evolve: (state: S, event: E) => S;
    initialState: () => S;
  }) =>
    defineProjection<E>()<StateDoc<S>, Types>({
      name: options.name,
      collection: options.collection,
      version: options.version,
      documentation: options.documentation && withBookkeeping(options.documentation, options.handles),
      handles: options.handles,
      indexes: options.indexes,
      documentIds: (event) => [options.documentId(event)],
      evolve: (doc, event, id) => {
        const next = options.evolve(doc ? stateOf<S>(doc) : options.initialState(), domainEventOf<E>(event));
        if (next.status === 'none') return doc;
        return { ...(next as Exclude<S, { status: 'none' }>), id, updatedAt: event.metadata.occurredAt, version: event.revision };
      },
    });

/** The state without the document's bookkeeping, for deciders and facts. */
export const stateOf = <S>(doc: StateDocMeta & { _position?: number }): S => {
  const { id: _id, updatedAt: _u, version: _v, _position: _p, ...state } = doc;
  return state as unknown as S;
};
