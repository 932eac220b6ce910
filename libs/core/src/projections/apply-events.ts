import { RecordedEvent } from '../event-store/event-store.port';
import { DocumentChange, ReadStore, StoredDocument } from '../read-store/read-store.port';
import { AnyProjection, HandledTypes, RollupContribution, RollupDocument, handledTypes } from './projection';

/** Each projection's set of handled types, made once (the runtime asks for it per batch). */
const handledCache = new WeakMap<AnyProjection, HandledTypes>();
const handledBy = (projection: AnyProjection): HandledTypes => {
  let handled = handledCache.get(projection);
  if (!handled) handledCache.set(projection, (handled = handledTypes(projection)));
  return handled;
};

/**
 * Documents a rebuild has handed to its writer and that may not be committed yet, by id (null: deleted): they are
 * read from here, not from the store.
 */
export type PendingDocuments = ReadonlyMap<string, StoredDocument | null>;

/** The stored documents of these ids (null where absent): one read where the store has it, else reads in parallel. */
const readDocuments = async (
  readStore: ReadStore,
  collection: string,
  ids: ReadonlySet<string>,
  pending?: PendingDocuments,
): Promise<Map<string, StoredDocument | null>> => {
  const documents = new Map<string, StoredDocument | null>();
  const list = pending ? [...ids].filter((id) => !pending.has(id)) : [...ids];
  if (pending) for (const id of ids) if (pending.has(id)) documents.set(id, pending.get(id)!);
  if (list.length === 0) return documents;
  if (readStore.getMany) {
    const found = await readStore.getMany<StoredDocument>(collection, list);
    for (const id of list) documents.set(id, found.get(id) ?? null);
  } else {
    const found = await Promise.all(list.map((id) => readStore.get<StoredDocument>(collection, id)));
    list.forEach((id, i) => documents.set(id, found[i]));
  }
  return documents;
};

/**
 * Folds a batch of events into the documents they touch and returns the changes to write. A
 * document already at or past an event's position ignores it, so a batch replayed after a
 * crash (MongoDB: documents written, checkpoint not) changes nothing. A projection with rollups
 * gets them moved, in the same changes, by what its changed documents contribute after the batch
 * less what they contributed before it.
 *
 * Every document the batch names is read before the fold, in one query where the store can (a
 * rebuild's batch names thousands); the fold itself is synchronous (no await per event), keeps
 * each document in a map, and each document evolve changed is written once per batch, at its last
 * state. A document the batch did not change (every event it names already applied) is not written.
 */
export const projectionChanges = async (
  readStore: ReadStore,
  projection: AnyProjection,
  events: readonly RecordedEvent[],
  collection: string,
  nextCheckpoint: number,
  pending?: PendingDocuments,
): Promise<DocumentChange[]> => {
  const handled = handledBy(projection);
  const relevant: RecordedEvent[] = [];
  const idsOf: (readonly string[])[] = [];
  const lookupsOf: (readonly string[] | undefined)[] = [];
  // A write-once document (keyed by its event) is never in the store before its event: nothing to read for it.
  const wanted = projection.writeOnce ? null : new Set<string>();
  for (const event of events) {
    if (!handled.has(event.type)) continue;
    const ids = projection.documentIds(event);
    const lookups = projection.lookups?.(event);
    relevant.push(event);
    idsOf.push(ids);
    lookupsOf.push(lookups);
    if (wanted) for (const id of ids) wanted.add(id);
    if (wanted && lookups) for (const id of lookups) wanted.add(id);
  }
  if (relevant.length === 0) return [];
  const stored = wanted ? await readDocuments(readStore, collection, wanted, pending) : new Map<string, StoredDocument | null>();
  /** Every document the batch read or wrote, as it stands now; `changed` names those evolve wrote. */
  const touched = new Map<string, StoredDocument | null>();
  const changed = new Set<string>();
  const rollups = projection.rollup ? rollupMoves(projection.rollup) : null;
  const current = (id: string) => (touched.has(id) ? touched.get(id)! : (stored.get(id) ?? null));
  // A lookup sees a document named by `lookups` as it stands before the event (after this batch's earlier events).
  const looked = new Set<string>();
  const lookup = (id: string) => (touched.has(id) ? touched.get(id)! : looked.has(id) ? (stored.get(id) ?? null) : null);
  for (let i = 0; i < relevant.length; i++) {
    const event = relevant[i];
    const lookups = lookupsOf[i];
    if (lookups) for (const id of lookups) looked.add(id);
    for (const id of idsOf[i]) {
      const doc = current(id);
      touched.set(id, doc);
      if (doc && doc._position >= event.position) continue;
      const next = projection.evolve(doc, event, id, lookup);
      const written = next === null ? null : { ...next, id, _position: event.position };
      touched.set(id, written);
      changed.add(id);
      rollups?.move(doc, written, event.position);
    }
  }
  const changes: DocumentChange[] = [];
  for (const id of changed) {
    const doc = touched.get(id)!;
    changes.push(doc === null ? { op: 'delete', id, position: nextCheckpoint } : { op: 'upsert', id, doc });
  }
  if (rollups) changes.push(...(await rollups.changes(readStore, collection, pending)));
  return changes;
};

/**
 * The rollups moved by a batch: each event's change of a document moves them by what the document contributes
 * after it less what it contributed before. A rollup carries the position of the last event that changed one of
 * its cells, so it is the same document however the log was cut into batches (live, rebuild, verify).
 */
const rollupMoves = (rollup: NonNullable<AnyProjection['rollup']>) => {
  const deltas = new Map<string, { fields: RollupContribution['fields']; cells: Map<string, number[]>; position: number }>();
  return {
    move(was: StoredDocument | null, doc: StoredDocument | null, position: number): void {
      const step = new Map<string, { fields: RollupContribution['fields']; cells: Map<string, number[]> }>();
      const add = (contributions: readonly RollupContribution[], sign: 1 | -1) => {
        for (const c of contributions) {
          let target = step.get(c.id);
          if (!target) step.set(c.id, (target = { fields: c.fields, cells: new Map() }));
          const cell = target.cells.get(c.cell) ?? [];
          c.values.forEach((v, i) => (cell[i] = (cell[i] ?? 0) + sign * v));
          target.cells.set(c.cell, cell);
        }
      };
      if (was) add(rollup(was), -1);
      if (doc) add(rollup(doc), 1);
      for (const [id, moved] of step) {
        if ([...moved.cells.values()].every((values) => values.every((v) => v === 0))) continue;
        let target = deltas.get(id);
        if (!target) deltas.set(id, (target = { fields: moved.fields, cells: new Map(), position }));
        target.fields = moved.fields;
        target.position = position;
        for (const [key, values] of moved.cells) {
          const cell = target.cells.get(key) ?? [];
          values.forEach((v, i) => (cell[i] = (cell[i] ?? 0) + v));
          target.cells.set(key, cell);
        }
      }
    },
    async changes(readStore: ReadStore, collection: string, pending?: PendingDocuments): Promise<DocumentChange[]> {
      const changes: DocumentChange[] = [];
      const stored = await readDocuments(readStore, collection, new Set(deltas.keys()), pending);
      for (const [id, delta] of deltas) {
        const current = stored.get(id) as RollupDocument | null;
        const cells: Record<string, number[]> = { ...(current?.cells ?? {}) };
        for (const [key, values] of delta.cells) {
          const sum = values.map((v, i) => (cells[key]?.[i] ?? 0) + v);
          if (sum.every((v) => v === 0)) delete cells[key];
          else cells[key] = sum;
        }
        changes.push(
          Object.keys(cells).length === 0
            ? { op: 'delete', id, position: delta.position }
            : { op: 'upsert', id, doc: { ...delta.fields, id, cells, _position: delta.position } },
        );
      }
      return changes;
    },
  };
};

/** Applies a batch of events to one projection and moves its checkpoint, in one write. */
export const applyEventsToProjection = async (
  readStore: ReadStore,
  projection: AnyProjection,
  events: readonly RecordedEvent[],
  checkpointName: string,
  collection: string,
  expectedCheckpoint: number,
  nextCheckpoint: number,
) => {
  const changes = await projectionChanges(readStore, projection, events, collection, nextCheckpoint);
  return readStore.applyBatch({ projection: checkpointName, collection, changes, expected: expectedCheckpoint, next: nextCheckpoint });
};
