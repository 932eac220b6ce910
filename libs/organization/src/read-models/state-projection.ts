import { Projection, RecordedEvent } from '@salesline/core';
import { DomainEvent } from '@salesline/shared-kernel';

/** What every state document carries besides the decider's state. */
export type StateDocMeta = { id: string; updatedAt: string; version: number };

/**
 * A read model whose document is the decider's own state (folded with the domain's `evolve`), so the
 * read side can never disagree with what the decider enforces. One document per stream.
 */
export const stateProjection = <S extends { status: string }, E extends DomainEvent>(options: {
  name: string;
  collection: string;
  handles: Readonly<Record<E['type'], true>>;
  indexes?: Projection['indexes'];
  idOf: (event: RecordedEvent) => string;
  evolve: (state: S, event: E) => S;
  initialState: () => S;
}): Projection<S & StateDocMeta> => ({
  name: options.name,
  collection: options.collection,
  handles: Object.keys(options.handles),
  indexes: options.indexes,
  documentIds: (event) => [options.idOf(event)],
  evolve: (doc, recorded, id) => {
    const {
      id: _id,
      updatedAt: _u,
      version: _v,
      _position: _p,
      ...state
    } = (doc ?? { ...options.initialState(), id, updatedAt: '', version: -1 }) as S & StateDocMeta & { _position?: number };
    const next = options.evolve(state as unknown as S, { type: recorded.type, data: recorded.data } as E);
    if (next.status === 'none') return doc;
    return { ...next, id, updatedAt: recorded.metadata.occurredAt, version: recorded.revision };
  },
});

/** The state without the document's bookkeeping, for deciders and facts. */
export const stateOf = <S>(doc: S & StateDocMeta & { _position?: number }): S => {
  const { id: _id, updatedAt: _u, version: _v, _position: _p, ...state } = doc;
  return state as unknown as S;
};
