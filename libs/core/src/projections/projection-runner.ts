import { EventStore, EventSubscription, RecordedEvent } from '../event-store/event-store.port';
import { ReadStore } from '../read-store/read-store.port';
import { applyEventsToProjection } from './apply-events';
import { AnyProjection, projectionFilter } from './projection';

export type RunnerLogger = { log: (msg: string) => void; error: (msg: string, err?: unknown) => void };

const MAX_BATCH = 500;

/** Pulls what is already available from an iterator without waiting for more (micro-batching). */
const takeAvailable = async (
  iterator: AsyncIterator<RecordedEvent>,
  pending: Promise<IteratorResult<RecordedEvent>>,
): Promise<{ batch: RecordedEvent[]; done: boolean; pending: Promise<IteratorResult<RecordedEvent>> | null }> => {
  const batch: RecordedEvent[] = [];
  let next = pending;
  const first = await next;
  if (first.done) return { batch, done: true, pending: null };
  batch.push(first.value);
  while (batch.length < MAX_BATCH) {
    next = iterator.next();
    const NOT_YET = Symbol('not-yet');
    const ready = await Promise.race([next, new Promise<typeof NOT_YET>((r) => setImmediate(() => r(NOT_YET)))]);
    if (ready === NOT_YET) return { batch, done: false, pending: next };
    const result = ready as IteratorResult<RecordedEvent>;
    if (result.done) return { batch, done: true, pending: null };
    batch.push(result.value);
  }
  return { batch, done: false, pending: iterator.next() };
};

/**
 * Runs one projection: catch up from its stored checkpoint, then live. Each micro-batch is
 * written with its checkpoint move; when the stored checkpoint is not where this runner left
 * it (a rebuild swapped the collection), it re-subscribes from the stored checkpoint.
 */
export class ProjectionRunner {
  private subscription: EventSubscription | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    readonly projection: AnyProjection,
    private readonly logger: RunnerLogger,
  ) {}

  start(): void {
    if (this.loop) return;
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        // Inside the retry loop: a read store that is down at start must not reject `loop`
        // unobserved (an unhandled rejection ends the process); after a rebuild swapped the
        // collection in, this also recreates its indexes.
        await this.readStore.ensureIndexes(this.projection.collection, this.projection.indexes ?? []);
        await this.consumeFromCheckpoint();
      } catch (err) {
        if (this.stopped) return;
        this.logger.error(`projection ${this.projection.name} failed; retrying in 1s`, err);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async consumeFromCheckpoint(): Promise<void> {
    let checkpoint = await this.readStore.getCheckpoint(this.projection.name);
    const subscription = this.eventStore.subscribeToAll({ afterPosition: checkpoint });
    this.subscription = subscription;
    const iterator = subscription[Symbol.asyncIterator]();
    let pending: Promise<IteratorResult<RecordedEvent>> | null = iterator.next();
    try {
      while (!this.stopped && pending) {
        const { batch, done, pending: rest } = await takeAvailable(iterator, pending);
        pending = rest;
        if (batch.length > 0 && !this.stopped) {
          const next = batch[batch.length - 1].position;
          const result = await applyEventsToProjection(
            this.readStore,
            this.projection,
            batch,
            this.projection.name,
            this.projection.collection,
            checkpoint,
            next,
          );
          if (result === 'checkpoint_mismatch') {
            this.logger.log(`projection ${this.projection.name}: checkpoint moved under the runner (rebuild); resubscribing`);
            return;
          }
          checkpoint = next;
        }
        if (done) return;
      }
    } finally {
      await subscription.unsubscribe().catch(() => undefined);
      this.subscription = null;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.unsubscribe().catch(() => undefined);
    await this.loop?.catch(() => undefined);
  }
}

export type RebuildProgress = (position: number, head: number) => void;

/**
 * Rebuilds a projection from position 0 into a shadow collection while the live runner keeps
 * serving the old one, then swaps it in with its checkpoint. No downtime for readers.
 */
export const rebuildProjection = async (
  eventStore: EventStore,
  readStore: ReadStore,
  projection: AnyProjection,
  onProgress: RebuildProgress = () => undefined,
): Promise<{ position: number; events: number }> => {
  const shadow = `${projection.collection}__rebuild`;
  const shadowCheckpoint = `${projection.name}__rebuild`;
  await readStore.dropCollection(shadow);
  await readStore.setCheckpoint(shadowCheckpoint, 0);
  let after = 0;
  let applied = 0;
  const filter = projectionFilter(projection);
  for (;;) {
    const head = await eventStore.headPosition();
    const batch = await eventStore.readAll({ afterPosition: after, maxCount: 1000, filter });
    if (batch.length === 0) {
      const final = Math.max(after, head);
      if (final !== after) {
        await readStore.applyBatch(shadowCheckpoint, shadow, [], after, final);
        after = final;
      }
      onProgress(after, head);
      break;
    }
    const next = batch[batch.length - 1].position;
    await applyEventsToProjection(readStore, projection, batch, shadowCheckpoint, shadow, after, next);
    applied += batch.length;
    after = next;
    onProgress(after, head);
  }
  await readStore.swapCollection(shadow, projection.collection, projection.name, after);
  await readStore.ensureIndexes(projection.collection, projection.indexes ?? []);
  return { position: after, events: applied };
};

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
