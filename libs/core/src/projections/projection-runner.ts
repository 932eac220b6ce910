import { EventStore, RecordedEvent } from '../event-store/event-store.port';
import { ApplyBatchResult, BatchWriter, ProjectionBatch, ReadStore, StoredDocument } from '../read-store/read-store.port';
import { PendingDocuments, projectionChanges } from './apply-events';
import { AnyProjection, handledTypes, projectionFilter, projectionVersion } from './projection';
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

/** Writes on the caller's thread, through applyBatches where the store has it (PostgreSQL's writes still overlap the next fold). */
const writerOn = (readStore: ReadStore): BatchWriter => ({
  write: async (writes) =>
    readStore.applyBatches ? readStore.applyBatches(writes) : Promise.all(writes.map((w) => readStore.applyBatch(w))),
  close: async () => undefined,
});

/**
 * A batch's documents by collection and id, as the next batch must see them before they are committed. A write-once
 * projection's are left out: no later event reads them, and holding them would carry a batch's worth of documents
 * past the young generation.
 */
const pendingOf = (writes: readonly ProjectionBatch[], writeOnce: ReadonlySet<string>): Map<string, PendingDocuments> =>
  new Map(
    writes
      .filter((w) => !writeOnce.has(w.collection))
      .map((w) => [w.collection, new Map<string, StoredDocument | null>(w.changes.map((c) => [c.id, c.op === 'upsert' ? c.doc : null]))]),
  );

/**
 * Rebuilds projections from position 0, all from one pass over the log: each batch of events is
 * read once, folded into every projection's shadow collection, and written in one transaction
 * with the shadows' checkpoints, while the next batch is read and folded (by the store's batch
 * writer where it has one, SQLite's on a thread of its own); memory is that of two batches, whatever the log's length. At the
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
  // Measured on 200k events (docs/benchmarks.md): batches of 1,000 cost less CPU than 5,000, whose documents
  // outlive the young generation and make the old one collect.
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
  // One batch is written while the next is read and folded: it reads that batch's documents from `pending`.
  const writer = readStore.batchWriter?.(shadows.map((s) => s.collection)) ?? writerOn(readStore);
  let writing: Promise<ApplyBatchResult[]> | null = null;
  let pending = new Map<string, PendingDocuments>();
  const writeOnce = new Set(shadows.filter((s) => s.projection.writeOnce).map((s) => s.collection));
  const written = async () => {
    if (writing && (await writing).some((r) => r !== 'applied')) throw new Error('another rebuild of the same projection is running');
  };
  try {
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
        const changes = events
          ? await projectionChanges(readStore, shadow.projection, events, shadow.collection, next, pending.get(shadow.collection))
          : [];
        writes.push({ projection: shadow.checkpoint, collection: shadow.collection, changes, expected: after, next });
      }
      await written();
      writing = writer.write(writes);
      pending = pendingOf(writes, writeOnce);
      read += batch.length;
      after = next;
      onProgress(after, head);
      // A turn of the event loop per batch: timers run (the progress bar redraws, its ETA moves), and
      // garbage from the batch is not held across a loop that never returns to it.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await written();
  } finally {
    // A write still in flight after a failure ends with the writer; its own error is not the one to report.
    writing?.catch(() => undefined);
    await writer.close();
  }
  for (const shadow of shadows) {
    // The version of the definition that wrote the shadow: a start after the rebuild finds it current (ADR 0033).
    await readStore.swapCollection(
      shadow.collection,
      shadow.projection.collection,
      shadow.projection.name,
      after,
      projectionVersion(shadow.projection),
    );
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
