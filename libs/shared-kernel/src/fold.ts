/**
 * Linear folds with pure evolve functions.
 *
 * An `evolve` must not copy a growing collection (a stream's invoices, reservations, visits…)
 * for every event: copying n entries per event makes a fold of n events cost n². It must not
 * change the state it was given either: a decider spec, a property test or a `decide` that
 * looks one event ahead keeps the state it passed in.
 *
 * Both hold with fold-owned collections (the "transient" idea of persistent data structures):
 * inside `foldOwned`, the first change to a collection copies it once and the copy belongs to
 * that fold; further changes in the same fold update the copy in place. The intermediate states
 * of a fold are seen by nobody but the fold, so no caller can observe the in-place updates.
 * Outside a fold every change copies, exactly like a plain spread.
 */
let owned: WeakSet<object> | null = null;

/** Folds events into `from` with `evolve`, letting evolve update collections it copied during this fold in place. */
export const foldOwned = <State, E>(evolve: (state: State, event: E) => State, from: State, events: Iterable<E>): State => {
  const outer = owned;
  owned = new WeakSet();
  try {
    let state = from;
    for (const event of events) state = evolve(state, event);
    return state;
  } finally {
    owned = outer;
  }
};

const own = <T extends object>(copy: T): T => {
  owned?.add(copy);
  return copy;
};

/** A record the caller may change: the fold's own copy, or a fresh copy. */
const updatableRecord = <V>(record: Readonly<Record<string, V>>): Record<string, V> =>
  owned?.has(record) ? (record as Record<string, V>) : own({ ...record });

/** A list the caller may change: the fold's own copy, or a fresh copy. */
const updatableList = <T>(list: readonly T[]): T[] => (owned?.has(list) ? (list as T[]) : own([...list]));

/** `{ ...record, [key]: value }` without copying the record more than once per fold. */
export const withEntry = <V>(record: Readonly<Record<string, V>>, key: string, value: V): Record<string, V> => {
  const next = updatableRecord(record);
  next[key] = value;
  return next;
};

/** The record without `key`, copied at most once per fold. */
export const withoutEntry = <V>(record: Readonly<Record<string, V>>, key: string): Record<string, V> => {
  if (!(key in record)) return record as Record<string, V>;
  const next = updatableRecord(record);
  delete next[key];
  return next;
};

/** `[...list, ...items]` without copying the list more than once per fold. */
export const appended = <T>(list: readonly T[], ...items: T[]): T[] => {
  const next = updatableList(list);
  for (const item of items) next.push(item);
  return next;
};

/** `list.map(change)` for the one element at `index`, copying the list at most once per fold. */
export const withElement = <T>(list: readonly T[], index: number, value: T): T[] => {
  const next = updatableList(list);
  next[index] = value;
  return next;
};
