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
  const before = new Map<string, StoredDocument | null>();
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
      if (!before.has(id)) before.set(id, current);
      if (current && current._position >= event.position) {
        touched.set(id, current);
        continue;
      }
      const next = projection.evolve(current, event, id, lookup);
      touched.set(id, next === null ? null : { ...next, id, _position: event.position });
    }
  }
  const changes: DocumentChange[] = [];
  for (const [id, doc] of touched) {
    changes.push(doc === null ? { op: 'delete', id, position: nextCheckpoint } : { op: 'upsert', id, doc });
  }
  if (projection.rollup) changes.push(...(await rollupChanges(readStore, projection, collection, before, touched, nextCheckpoint)));
  return changes;
};

/** The rollups moved by the documents a batch changed: Σ contributions after − Σ contributions before. */
const rollupChanges = async (
  readStore: ReadStore,
  projection: AnyProjection,
  collection: string,
  before: ReadonlyMap<string, StoredDocument | null>,
  after: ReadonlyMap<string, StoredDocument | null>,
  nextCheckpoint: number,
): Promise<DocumentChange[]> => {
  const rollup = projection.rollup!;
  const deltas = new Map<string, { fields: RollupContribution['fields']; cells: Map<string, number[]> }>();
  const add = (contributions: readonly RollupContribution[], sign: 1 | -1) => {
    for (const c of contributions) {
      let target = deltas.get(c.id);
      if (!target) deltas.set(c.id, (target = { fields: c.fields, cells: new Map() }));
      const cell = target.cells.get(c.cell) ?? [];
      c.values.forEach((v, i) => (cell[i] = (cell[i] ?? 0) + sign * v));
      target.cells.set(c.cell, cell);
    }
  };
  for (const [id, doc] of after) {
    const was = before.get(id) ?? null;
    if (doc === was) continue;
    if (was) add(rollup(was), -1);
    if (doc) add(rollup(doc), 1);
  }
  const changes: DocumentChange[] = [];
  for (const [id, delta] of deltas) {
    if ([...delta.cells.values()].every((values) => values.every((v) => v === 0))) continue;
    const current = await readStore.get<RollupDocument>(collection, id);
    const cells: Record<string, number[]> = { ...(current?.cells ?? {}) };
    for (const [key, values] of delta.cells) {
      const sum = values.map((v, i) => (cells[key]?.[i] ?? 0) + v);
      if (sum.every((v) => v === 0)) delete cells[key];
      else cells[key] = sum;
    }
    changes.push(
      Object.keys(cells).length === 0
        ? { op: 'delete', id, position: nextCheckpoint }
        : { op: 'upsert', id, doc: { ...delta.fields, id, cells, _position: nextCheckpoint } },
    );
  }
  return changes;
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
