import { RecordedEvent } from '../event-store/event-store.port';
import { DocumentChange, ReadStore, StoredDocument } from '../read-store/read-store.port';
import { AnyProjection, handledTypes } from './projection';

/**
 * Folds a batch of events into the documents they touch and returns the changes to write. A
 * document already at or past an event's position ignores it, so a batch replayed after a
 * crash (MongoDB: documents written, checkpoint not) changes nothing.
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
  for (const event of events) {
    if (!handled.has(event.type)) continue;
    for (const id of projection.documentIds(event)) {
      const current = touched.has(id) ? touched.get(id)! : await readStore.get<StoredDocument>(collection, id);
      if (current && current._position >= event.position) {
        touched.set(id, current);
        continue;
      }
      const next = projection.evolve(current, event, id);
      touched.set(id, next === null ? null : { ...next, id, _position: event.position });
    }
  }
  const changes: DocumentChange[] = [];
  for (const [id, doc] of touched) {
    changes.push(doc === null ? { op: 'delete', id, position: nextCheckpoint } : { op: 'upsert', id, doc });
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
