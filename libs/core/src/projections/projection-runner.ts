import { EventStore, RecordedEvent } from '../event-store/event-store.port';
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
  // Measured on 200k events (docs/benchmarks.md): with V8 favouring heap size, as the rebuild runs, batches of
  // 1,000 cost less CPU than 5,000, whose documents outlive the young generation and make the old one collect.
  const batchSize = options.batchSize ?? 1000;
  const shadows = projections.map((projection) => ({
    projection,
    collection: `${projection.collection}__rebuild`,
    checkpoint: `${projection.name}__rebuild`,
  }));
  for (const shadow of shadows) {
    await readStore.dropCollection(shadow.collection);
    await readStore.setCheckpoint(shadow.checkpoint, 0);
  }
  // Which shadows fold an event type, worked out once per type: a batch is dealt to the projections
  // that handle its events in one pass, and a projection none of them concerns costs nothing.
  const byType = new Map<string, typeof shadows>();
  const shadowsOf = (type: string) => {
    let found = byType.get(type);
    if (!found) {
      found = shadows.filter((s) => !s.projection.handlesAllEvents && handledTypes(s.projection).has(type));
      byType.set(type, found);
    }
    return found;
  };
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
    const dealt = new Map<(typeof shadows)[number], RecordedEvent[]>();
    for (const event of batch)
      for (const shadow of shadowsOf(event.type)) {
        const events = dealt.get(shadow);
        if (events) events.push(event);
        else dealt.set(shadow, [event]);
      }
    const writes: ProjectionBatch[] = [];
    for (const shadow of shadows) {
      const events = shadow.projection.handlesAllEvents ? batch : dealt.get(shadow);
      const changes = events ? await projectionChanges(readStore, shadow.projection, events, shadow.collection, next) : [];
      writes.push({ projection: shadow.checkpoint, collection: shadow.collection, changes, expected: after, next });
    }
    const results = readStore.applyBatches
      ? await readStore.applyBatches(writes)
      : await Promise.all(writes.map((w) => readStore.applyBatch(w)));
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
