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

/**
 * A record of many entries (an account's open reservations) spread over 64 × 64 buckets chosen by a
 * hash of the key; a bucket is a flat list `[key, value, key, value, …]` sorted by key. Outside a fold a
 * change copies two records of at most 64 keys and one bucket (about n / 4096 entries), never the whole
 * collection, so a decision on one order costs about the same at 10 or 100,000 entries. A level or
 * bucket exists only while it holds an entry and buckets are sorted: equal contents have equal shapes,
 * whatever history built them. Plain data: it snapshots (flat lists read back several times faster than
 * one large record or many small ones) and compares as such.
 */
export type BucketedRecord<V> = Readonly<Record<string, Readonly<Record<string, readonly (string | V)[]>>>>;

/** FNV-1a of the key, 6 bits per level. */
const bucketPath = (key: string): readonly [string, string] => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return [`b${hash & 63}`, `b${(hash >>> 6) & 63}`];
};

/** Where `key` is in a bucket, or where it would go (an even index). */
const slotOf = (bucket: readonly unknown[], key: string): number => {
  let i = 0;
  while (i < bucket.length && (bucket[i] as string) < key) i += 2;
  return i;
};

const isEmpty = (record: object): boolean => {
  for (const _ in record) return false;
  return true;
};

/** The entry under `key`, or undefined. */
export const bucketedEntry = <V>(record: BucketedRecord<V>, key: string): V | undefined => {
  const [a, b] = bucketPath(key);
  const bucket = record[a]?.[b];
  if (!bucket) return undefined;
  const i = slotOf(bucket, key);
  return bucket[i] === key ? (bucket[i + 1] as V) : undefined;
};

/** The record with `key` set to `value`. */
export const withBucketedEntry = <V>(record: BucketedRecord<V>, key: string, value: V): BucketedRecord<V> => {
  const [a, b] = bucketPath(key);
  const level = record[a] ?? {};
  const bucket = updatableList(level[b] ?? []);
  const i = slotOf(bucket, key);
  if (bucket[i] === key) bucket[i + 1] = value;
  else bucket.splice(i, 0, key, value);
  return withEntry(record, a, withEntry(level, b, bucket));
};

/** The record without `key` (an emptied bucket or level goes too). */
export const withoutBucketedEntry = <V>(record: BucketedRecord<V>, key: string): BucketedRecord<V> => {
  const [a, b] = bucketPath(key);
  const level = record[a];
  const found = level?.[b];
  const i = found ? slotOf(found, key) : -1;
  if (!found || found[i] !== key) return record;
  const bucket = updatableList(found);
  bucket.splice(i, 2);
  const keptLevel = bucket.length === 0 ? withoutEntry(level, b) : withEntry(level, b, bucket);
  return isEmpty(keptLevel) ? withoutEntry(record, a) : withEntry(record, a, keptLevel);
};

/** Every entry, as `[key, value]` pairs (in no particular order). */
export const bucketedEntries = <V>(record: BucketedRecord<V>): [string, V][] => {
  const entries: [string, V][] = [];
  for (const level of Object.values(record))
    for (const bucket of Object.values(level))
      for (let i = 0; i < bucket.length; i += 2) entries.push([bucket[i] as string, bucket[i + 1] as V]);
  return entries;
};
