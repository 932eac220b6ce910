import { EventStore } from '../event-store/event-store.port';
import { ProjectionBatch, ReadStore } from '../read-store/read-store.port';
import { projectionChanges } from './apply-events';
import { AnyProjection, handledTypes, projectionFilter } from './projection';
import { HubOptions, ProjectionHub } from './projection-hub';

export type RunnerLogger = { log: (msg: string) => void; error: (msg: string, err?: unknown) => void };

/**
 * Runs one projection on its own (tests, tools): a hub with one consumer. Catch up from the
 * stored checkpoint, then live; each micro-batch is written with its checkpoint move, and a
 * checkpoint moved by a rebuild is picked up where the rebuild left it.
 */
export class ProjectionRunner {
  private readonly hub: ProjectionHub;

  constructor(
    eventStore: EventStore,
    readStore: ReadStore,
    readonly projection: AnyProjection,
    logger: RunnerLogger,
    options?: HubOptions,
  ) {
    this.hub = new ProjectionHub(eventStore, readStore, [projection], [], logger, options);
  }

  start(): void {
    this.hub.start();
  }

  stop(): Promise<void> {
    return this.hub.stop();
  }
}

export type RebuildProgress = (position: number, head: number) => void;

/**
 * Rebuilds projections from position 0, all from one pass over the log: each batch of events is
 * read once, folded into every projection's shadow collection, and written in one transaction
 * with the shadows' checkpoints; memory is that of one batch, whatever the log's length. At the
 * end each shadow is swapped in with its checkpoint, while the live runtime kept serving the old
 * documents (it notices the moved checkpoint and carries on from it). No downtime for readers.
 */
export const rebuildProjections = async (
  eventStore: EventStore,
  readStore: ReadStore,
  projections: readonly AnyProjection[],
  onProgress: RebuildProgress = () => undefined,
  options: { batchSize?: number } = {},
): Promise<{ position: number; events: number }> => {
  const batchSize = options.batchSize ?? 2000;
  const shadows = projections.map((projection) => ({
    projection,
    collection: `${projection.collection}__rebuild`,
    checkpoint: `${projection.name}__rebuild`,
    handles: handledTypes(projection),
  }));
  for (const shadow of shadows) {
    await readStore.dropCollection(shadow.collection);
    await readStore.setCheckpoint(shadow.checkpoint, 0);
  }
  // One projection reads only its own event types; several read the whole log once.
  const filter = projections.length === 1 ? projectionFilter(projections[0]) : undefined;
  let after = 0;
  let read = 0;
  for (;;) {
    const head = await eventStore.headPosition();
    const batch = await eventStore.readAll({ afterPosition: after, maxCount: batchSize, filter });
    const next = batch.length > 0 ? batch[batch.length - 1].position : Math.max(after, head);
    if (next === after) {
      onProgress(after, head);
      break;
    }
    const types = new Set(batch.map((e) => e.type));
    const writes: ProjectionBatch[] = [];
    for (const shadow of shadows) {
      const relevant = [...types].some((t) => shadow.handles.has(t));
      const changes = relevant ? await projectionChanges(readStore, shadow.projection, batch, shadow.collection, next) : [];
      writes.push({ projection: shadow.checkpoint, collection: shadow.collection, changes, expected: after, next });
    }
    const results = readStore.applyBatches
      ? await readStore.applyBatches(writes)
      : await Promise.all(writes.map((w) => readStore.applyBatch(w.projection, w.collection, w.changes, w.expected, w.next)));
    if (results.some((r) => r !== 'applied')) throw new Error('another rebuild of the same projection is running');
    read += batch.length;
    after = next;
    onProgress(after, head);
    // A turn of the event loop per batch: timers run (the progress bar redraws, its ETA moves), and
    // garbage from the batch is not held across a loop that never returns to it.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  for (const shadow of shadows) {
    await readStore.swapCollection(shadow.collection, shadow.projection.collection, shadow.projection.name, after);
    await readStore.ensureIndexes(shadow.projection.collection, shadow.projection.indexes ?? []);
  }
  return { position: after, events: read };
};

/** Rebuilds one projection (see rebuildProjections). */
export const rebuildProjection = (
  eventStore: EventStore,
  readStore: ReadStore,
  projection: AnyProjection,
  onProgress: RebuildProgress = () => undefined,
): Promise<{ position: number; events: number }> => rebuildProjections(eventStore, readStore, [projection], onProgress);

/** Waits until every named projection has applied the given position (read-your-writes). */
export const waitForProjections = async (
  readStore: ReadStore,
  projections: readonly string[],
  position: number,
  timeoutMs: number,
): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const checkpoints = await Promise.all(projections.map((p) => readStore.getCheckpoint(p)));
    if (checkpoints.every((c) => c >= position)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
};
