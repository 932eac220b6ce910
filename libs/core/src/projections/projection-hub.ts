import { DomainError } from '@salesline/shared-kernel';
import { EventStore, RecordedEvent } from '../event-store/event-store.port';
import type { ProcessManager } from '../process-managers/process-manager';
import { ProjectionBatch, ReadStore } from '../read-store/read-store.port';
import { projectionChanges } from './apply-events';
import { AnyProjection, HandledTypes, handledTypes, projectionVersion } from './projection';

export type HubLogger = { log: (msg: string) => void; warn?: (msg: string) => void; error: (msg: string, err?: unknown) => void };

export type HubOptions = Readonly<{
  /** Events per read of the log (one micro-batch). */
  batchSize?: number;
  /** How often to look for appends made by other processes. */
  pollIntervalMs?: number;
  /** Longest stretch of work before the hub lets the event loop serve requests. */
  sliceMs?: number;
}>;

type Consumer = {
  name: string;
  checkpointName: string;
  handles: HandledTypes;
  checkpoint: number;
} & ({ kind: 'projection'; projection: AnyProjection } | { kind: 'process-manager'; manager: ProcessManager });

export type ConsumerStatus = Readonly<{ name: string; kind: Consumer['kind']; checkpoint: number; lag: number }>;
export type HubStatus = Readonly<{ head: number; catchingUp: boolean; lag: number; consumers: ConsumerStatus[] }>;

export const processManagerCheckpoint = (manager: Pick<ProcessManager, 'name'>) => `process-manager:${manager.name}`;

/** Lets pending I/O callbacks (HTTP requests) run: a macrotask, not a microtask. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs every projection and process manager from one shared read of the log. Each micro-batch
 * of events is read and parsed once; the projections it concerns are written in one read-store
 * transaction with their checkpoints; the process managers then react to it. Between pieces of
 * work the hub yields to the event loop, so a long catch-up (an upgrade that adds a projection,
 * a deleted read-model file) never keeps the server from answering, and its memory stays that
 * of one batch. Consumers far behind the others are caught up from their own position in the
 * same loop, while the ones at the head keep following live appends.
 */
export class ProjectionHub {
  private readonly consumers: Consumer[];
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly sliceMs: number;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private unwatch: (() => void) | null = null;
  private sliceStarted = 0;
  private initialized = false;
  /** Set by an append notification, so one that arrives while a batch is read is not slept through. */
  private appendedSinceRead = true;
  private reachedHead!: () => void;
  /**
   * Resolves the first time every consumer has read to the head of the log (a read shorter than a
   * batch, all of it applied): the end of the start-up catch-up. At once for a hub without consumers;
   * never for a hub stopped before.
   */
  readonly atHead: Promise<void> = new Promise((resolve) => (this.reachedHead = resolve));

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    projections: readonly AnyProjection[],
    managers: readonly ProcessManager[],
    private readonly logger: HubLogger,
    options: HubOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.sliceMs = options.sliceMs ?? 15;
    this.consumers = [
      ...projections.map((projection): Consumer => ({
        kind: 'projection',
        projection,
        name: projection.name,
        checkpointName: projection.name,
        handles: handledTypes(projection),
        checkpoint: 0,
      })),
      ...managers.map((manager): Consumer => ({
        kind: 'process-manager',
        manager,
        name: manager.name,
        checkpointName: processManagerCheckpoint(manager),
        handles: new Set(manager.handles),
        checkpoint: 0,
      })),
    ];
    if (this.consumers.length === 0) this.reachedHead();
  }

  start(): void {
    if (this.loop || this.consumers.length === 0) return;
    this.unwatch =
      this.events.watch?.(() => {
        this.appendedSinceRead = true;
        this.wake?.();
      }) ?? null;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unwatch?.();
    this.wake?.();
    await this.loop?.catch(() => undefined);
  }

  /** Where each consumer stands against the head of the log (for /health and /metrics). */
  async status(): Promise<HubStatus> {
    const head = await this.events.headPosition();
    const consumers = this.consumers.map((c) => ({
      name: c.name,
      kind: c.kind,
      checkpoint: c.checkpoint,
      lag: Math.max(0, head - c.checkpoint),
    }));
    const lag = consumers.reduce((max, c) => Math.max(max, c.lag), 0);
    return { head, catchingUp: consumers.length > 0 && (!this.initialized || lag > this.batchSize), lag, consumers };
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.initialized) await this.initialize();
        this.sliceStarted = performance.now();
        this.appendedSinceRead = false;
        const progressed = await this.step();
        if (this.stopped) return;
        if (progressed) await yieldToEventLoop();
        else await this.sleep();
      } catch (err) {
        if (this.stopped) return;
        this.logger.error('projections failed; resuming from their checkpoints in 1s', err);
        this.initialized = false;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async initialize(): Promise<void> {
    for (const consumer of this.consumers) {
      if (consumer.kind === 'projection') {
        await this.rebuildIfChanged(consumer.projection);
        await this.readStore.ensureIndexes(consumer.projection.collection, consumer.projection.indexes ?? []);
      }
      consumer.checkpoint = await this.readStore.getCheckpoint(consumer.checkpointName);
    }
    this.initialized = true;
  }

  /**
   * A projection whose documents were written by another version of its definition than the one declared (a release
   * changed what it writes) is emptied, its checkpoint set to 0 and the declared version recorded, in one step: the
   * loop then catches it up from the start of the log like a new projection, while the others go on from their
   * checkpoints. Once recorded, the next start finds the versions equal and does nothing (ADR 0033).
   */
  private async rebuildIfChanged(projection: AnyProjection): Promise<void> {
    const declared = projectionVersion(projection);
    const stored = await this.readStore.getProjectionVersion(projection.name);
    if (stored === declared) return;
    this.logger.log(
      `projection ${projection.name}: version ${declared} declared, ${stored} stored; rebuilding it from the start of the log`,
    );
    await this.readStore.resetProjection(projection.name, projection.collection, declared);
  }

  /** One micro-batch for the consumers furthest behind, and one for those ahead of that batch. */
  private async step(): Promise<boolean> {
    const from = Math.min(...this.consumers.map((c) => c.checkpoint));
    const batch = await this.events.readAll({ afterPosition: from, maxCount: this.batchSize });
    if (batch.length === 0) {
      this.reachedHead();
      return false;
    }
    const end = batch[batch.length - 1].position;
    const ahead = this.consumers.filter((c) => c.checkpoint >= end);
    await this.apply(
      this.consumers.filter((c) => c.checkpoint < end),
      batch,
    );
    if (ahead.length > 0 && !this.stopped) {
      if (this.sliceEnded()) await this.yieldSlice();
      const aheadFrom = Math.min(...ahead.map((c) => c.checkpoint));
      const live = await this.events.readAll({ afterPosition: aheadFrom, maxCount: this.batchSize });
      if (live.length > 0)
        await this.apply(
          ahead.filter((c) => c.checkpoint < live[live.length - 1].position),
          live,
        );
    }
    if (batch.length < this.batchSize && !this.stopped) this.reachedHead();
    return true;
  }

  private async apply(consumers: readonly Consumer[], batch: readonly RecordedEvent[]): Promise<void> {
    const end = batch[batch.length - 1].position;
    const types = [...new Set(batch.map((e) => e.type))];
    const batches: ProjectionBatch[] = [];
    const owners: Consumer[] = [];
    for (const consumer of consumers) {
      if (consumer.kind !== 'projection') continue;
      const relevant = types.some((t) => consumer.handles.has(t)) ? batch.filter((e) => e.position > consumer.checkpoint) : [];
      const changes =
        relevant.length > 0
          ? await projectionChanges(this.readStore, consumer.projection, relevant, consumer.projection.collection, end)
          : [];
      batches.push({
        projection: consumer.checkpointName,
        collection: consumer.projection.collection,
        changes,
        expected: consumer.checkpoint,
        next: end,
      });
      owners.push(consumer);
      if (this.sliceEnded()) await this.yieldSlice();
    }
    if (batches.length > 0) {
      const results =
        batches.length > 1 && this.readStore.applyBatches
          ? await this.readStore.applyBatches(batches)
          : await Promise.all(batches.map((b) => this.readStore.applyBatch(b)));
      for (const [i, result] of results.entries()) {
        const consumer = owners[i];
        if (result === 'applied') consumer.checkpoint = end;
        else {
          // A rebuild swapped the collection in with its own checkpoint: carry on from there.
          this.logger.log(`projection ${consumer.name}: checkpoint moved under the runner (rebuild); resuming from the stored checkpoint`);
          if (consumer.kind === 'projection')
            await this.readStore.ensureIndexes(consumer.projection.collection, consumer.projection.indexes ?? []);
          consumer.checkpoint = await this.readStore.getCheckpoint(consumer.checkpointName);
        }
      }
    }
    for (const consumer of consumers) {
      if (consumer.kind !== 'process-manager' || this.stopped) continue;
      for (const event of batch) {
        if (this.stopped) return;
        if (event.position <= consumer.checkpoint || !consumer.handles.has(event.type)) continue;
        await this.react(consumer.manager, event);
        if (this.sliceEnded()) await this.yieldSlice();
      }
      await this.readStore.setCheckpoint(consumer.checkpointName, end);
      consumer.checkpoint = end;
    }
  }

  private async react(manager: ProcessManager, event: RecordedEvent): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await manager.react(event);
      } catch (err) {
        // A business rule that refuses the reaction will refuse it forever: record and move on.
        if (err instanceof DomainError) {
          (this.logger.warn ?? this.logger.log)(
            `process manager ${manager.name}: ${event.type}@${event.position} refused: ${err.code} ${err.message}`,
          );
          return;
        }
        if (attempt >= 5 || this.stopped) throw err;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  }

  /** Whether the current stretch of work has run its time (checked without an await: most checks find it has not). */
  private sliceEnded(): boolean {
    return performance.now() - this.sliceStarted >= this.sliceMs;
  }

  private async yieldSlice(): Promise<void> {
    await yieldToEventLoop();
    this.sliceStarted = performance.now();
  }

  /** Until an append in this process, or the poll interval for appends by other processes. */
  private sleep(): Promise<void> {
    if (this.appendedSinceRead) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.wake = done;
    });
  }
}
