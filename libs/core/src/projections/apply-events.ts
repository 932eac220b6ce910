import { RecordedEvent } from '../event-store/event-store.port';
import { DocumentChange, ReadStore, StoredDocument } from '../read-store/read-store.port';
import { AnyProjection, RollupContribution, RollupDocument, handledTypes } from './projection';

/**
 * Folds a batch of events into the documents they touch and returns the changes to write. A
 * document already at or past an event's position ignores it, so a batch replayed after a
 * crash (MongoDB: documents written, checkpoint not) changes nothing. A projection with rollups
 * gets them moved, in the same changes, by what its changed documents contribute after the batch
 * less what they contributed before it.
 */
export const projectionChanges = async (
  readStore: ReadStore,
  projection: AnyProjection,
  events: readonly RecordedEvent[],
  collection: string,
  nextCheckpoint: number,
): Promise<DocumentChange[]> => {
  const handled = handledTypes(projection);
  const touched = new Map<string, StoredDocument | null>();
  const rollups = projection.rollup ? rollupMoves(projection.rollup) : null;
  const looked = new Map<string, StoredDocument | null>();
  // Every document the batch names, read in one query where the store can (a rebuild's batch of
  // 2,000 events names thousands): ids are asked once each, and each event's ids are worked out once.
  const relevant = events.filter((event) => handled.has(event.type));
  const idsOf = relevant.map((event) => projection.documentIds(event));
  const lookupsOf = relevant.map((event) => projection.lookups?.(event) ?? []);
  const prefetched = new Map<string, StoredDocument | null>();
  if (readStore.getMany) {
    const wanted = [...new Set([...idsOf.flat(), ...lookupsOf.flat()])];
    const found = await readStore.getMany<StoredDocument>(collection, wanted);
    for (const id of wanted) prefetched.set(id, found.get(id) ?? null);
  }
  const stored = async (id: string) =>
    touched.has(id) ? touched.get(id)! : prefetched.has(id) ? prefetched.get(id)! : await readStore.get<StoredDocument>(collection, id);
  for (const [i, event] of relevant.entries()) {
    for (const id of lookupsOf[i]) if (!touched.has(id) && !looked.has(id)) looked.set(id, await stored(id));
    const lookup = (id: string) => (touched.has(id) ? touched.get(id)! : (looked.get(id) ?? null));
    for (const id of idsOf[i]) {
      const current = touched.has(id) ? touched.get(id)! : looked.has(id) ? looked.get(id)! : await stored(id);
      if (current && current._position >= event.position) {
        touched.set(id, current);
        continue;
      }
      const next = projection.evolve(current, event, id, lookup);
      const written = next === null ? null : { ...next, id, _position: event.position };
      touched.set(id, written);
      rollups?.move(current, written, event.position);
    }
  }
  const changes: DocumentChange[] = [];
  for (const [id, doc] of touched) {
    changes.push(doc === null ? { op: 'delete', id, position: nextCheckpoint } : { op: 'upsert', id, doc });
  }
  if (rollups) changes.push(...(await rollups.changes(readStore, collection)));
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
    async changes(readStore: ReadStore, collection: string): Promise<DocumentChange[]> {
      const changes: DocumentChange[] = [];
      for (const [id, delta] of deltas) {
        const current = await readStore.get<RollupDocument>(collection, id);
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
  return readStore.applyBatch(checkpointName, collection, changes, expectedCheckpoint, nextCheckpoint);
};
