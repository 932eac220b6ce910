import { createHash } from 'node:crypto';
import { Decider, DomainEvent, foldOwned } from '@salesline/shared-kernel';
import { EventStore, RecordedEvent } from '../event-store/event-store.port';

type Fold<State, E extends DomainEvent> = Pick<Decider<State, never, E>, 'evolve' | 'initialState'> & { readonly foldVersion?: number };

/** A snapshot is taken once this many events were folded after the last one. */
export const SNAPSHOT_EVERY = 100;

/**
 * Names a fold: its explicit `foldVersion` and the source of `evolve` and `initialState`, so
 * a snapshot taken by an older fold is never read back by a newer one (the stream is folded
 * again from the start, and a fresh snapshot replaces it). Bump `foldVersion` when a helper
 * that evolve calls changes its meaning.
 */
const foldKeys = new WeakMap<object, string>();
export const foldKey = <State, E extends DomainEvent>(decider: Fold<State, E>): string => {
  let key = foldKeys.get(decider);
  if (!key) {
    const source = `${decider.foldVersion ?? 0}\n${String(decider.evolve)}\n${String(decider.initialState)}`;
    key = createHash('sha256').update(source).digest('hex').slice(0, 32);
    foldKeys.set(decider, key);
  }
  return key;
};

const asDomainEvent = <E extends DomainEvent>(e: RecordedEvent): E => ({ type: e.type, data: e.data }) as E;

/** Folds recorded events into a decider's state, in one linear pass. */
export const foldRecorded = <State, E extends DomainEvent>(
  decider: Fold<State, E>,
  stream: readonly RecordedEvent[],
  from?: State,
): State =>
  foldOwned(
    decider.evolve,
    from ?? decider.initialState(),
    stream.map((e) => asDomainEvent<E>(e)),
  );

export type LoadedStream<State> = {
  state: State;
  /** Revision of the stream's last event (-1: no stream). */
  revision: number;
  /** Global position of the stream's last event (0: no stream). */
  position: number;
  /** The events folded after the snapshot (the whole stream when there was none). */
  tail: RecordedEvent[];
};

type Known = Readonly<{ revision: number; position: number; state: unknown }>;

/** How many streams' latest states a process keeps in memory (least recently used go first). */
export const STATE_CACHE_SIZE = 1000;
const caches = new WeakMap<EventStore, Map<string, Known>>();

/**
 * The latest state of a stream as this process last folded it. States that a fold returned are
 * never changed afterwards (fold-owned collections are only updated inside their own fold), so
 * one cached state can be shared by every request; the log is append-only, so it stays true at
 * its revision and only the events after it need reading.
 */
const stateCache = (events: EventStore) => {
  let cache = caches.get(events);
  if (!cache) caches.set(events, (cache = new Map()));
  return cache;
};

/**
 * Keeps a state the caller has just folded (after its own append) for the next load. A stream with no
 * events is kept too, at revision -1 (a settings stream usually has none): the next load reads no snapshot
 * and reads the stream from revision 0, as any cached state is followed by the events after it.
 */
export const rememberState = <State, E extends DomainEvent>(
  events: EventStore,
  streamName: string,
  decider: Fold<State, E>,
  known: Known,
): void => {
  const cache = stateCache(events);
  const key = `${foldKey(decider)}:${streamName}`;
  const current = cache.get(key);
  if (current && current.revision >= known.revision) return;
  cache.delete(key);
  cache.set(key, known);
  if (cache.size > STATE_CACHE_SIZE) cache.delete(cache.keys().next().value!);
};

/**
 * The current state of one aggregate, at a cost that does not grow with its past: the state
 * this process last folded, or else the latest snapshot of this fold (when the store keeps
 * them), plus the events after it. A new snapshot is stored once SNAPSHOT_EVERY events were
 * folded past the last one.
 */
export const loadStream = async <State, E extends DomainEvent>(
  events: EventStore,
  streamName: string,
  decider: Fold<State, E>,
): Promise<LoadedStream<State>> => {
  const snapshots = events.snapshots;
  const key = foldKey(decider);
  const cached = stateCache(events).get(`${key}:${streamName}`);
  const snapshot: Known | null = cached ?? (snapshots ? await snapshots.read(streamName, key) : null);
  const tail = await events.readStream(streamName, snapshot ? { fromRevision: snapshot.revision + 1 } : {});
  const state = foldRecorded(decider, tail, snapshot ? (snapshot.state as State) : undefined);
  const last = tail[tail.length - 1];
  const loaded: LoadedStream<State> = {
    state,
    revision: last?.revision ?? snapshot?.revision ?? -1,
    position: last?.position ?? snapshot?.position ?? 0,
    tail,
  };
  if (snapshots && tail.length >= SNAPSHOT_EVERY)
    await snapshots.write(streamName, key, { revision: loaded.revision, position: loaded.position, state });
  rememberState(events, streamName, decider, { revision: loaded.revision, position: loaded.position, state });
  return loaded;
};

/** Reads a stream and folds it: the current state of one aggregate. */
export const loadState = async <State, E extends DomainEvent>(
  events: EventStore,
  streamName: string,
  decider: Fold<State, E>,
): Promise<{ state: State; revision: number; position: number }> => {
  const { state, revision, position } = await loadStream(events, streamName, decider);
  return { state, revision, position };
};
