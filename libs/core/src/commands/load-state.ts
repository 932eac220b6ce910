import { Decider, DomainEvent } from '@salesline/shared-kernel';
import { EventStore, RecordedEvent } from '../event-store/event-store.port';

/** Folds recorded events into a decider's state. */
export const foldRecorded = <State, E extends DomainEvent>(
  decider: Pick<Decider<State, never, E>, 'evolve' | 'initialState'>,
  stream: readonly RecordedEvent[],
): State => stream.reduce((state, e) => decider.evolve(state, { type: e.type, data: e.data } as E), decider.initialState());

/** Reads a stream and folds it: the current state of one aggregate. */
export const loadState = async <State, E extends DomainEvent>(
  events: EventStore,
  streamName: string,
  decider: Pick<Decider<State, never, E>, 'evolve' | 'initialState'>,
): Promise<{ state: State; stream: RecordedEvent[] }> => {
  const stream = await events.readStream(streamName);
  return { state: foldRecorded(decider, stream), stream };
};
