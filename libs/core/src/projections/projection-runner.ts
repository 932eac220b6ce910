import { EventStore } from '../event-store/event-store.port';
import { ReadStore } from '../read-store/read-store.port';
import { applyEventsToProjection } from './apply-events';
import { AnyProjection } from './projection';
import { HubOptions, ProjectionHub } from './projection-hub';

export type RunnerLogger = { log: (msg: string) => void; error: (msg: string, err?: unknown) => void };

/**
 * Runs one projection on its own (tests, tools): a hub with one consumer. Catch up from the
 * stored checkpoint, then live; each micro-batch is written with its checkpoint move, and a
 * checkpoint moved by a rebuild is picked up where the rebuild left it.
 */
export class ProjectionRunner {
  private readonly hub: ProjectionHub;

  constructor(eventStore: EventStore, readStore: ReadStore, readonly projection: AnyProjection, logger: RunnerLogger, options?: HubOptions) {
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
  const filter = { eventTypes: projection.handles };
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
