import { randomUUID } from 'node:crypto';
import { matchesFilter, WrongExpectedRevisionError } from '../event-store.port';
import type { AllFilter, AppendResult, EventStore, EventSubscription, ExpectedRevision, NewEvent } from '../event-store.port';
import type { ReadAllOptions, ReadStreamOptions, RecordedEvent, SubscribeOptions } from '../event-store.port';
import { pollingSubscription } from '../polling-subscription';

export type InMemoryEventStoreOptions = {
  clock?: () => Date;
};

/**
 * An event store in an array, for tests below HTTP (handlers, process managers, the command path).
 * It keeps the contract of the real adapters (the event-store contract suite runs against it):
 * optimistic concurrency, gap-free global positions, filters, catch-up-then-live subscriptions,
 * and data stored as JSON, so a test cannot pass on a value the real stores would not keep.
 */
export class InMemoryEventStore implements EventStore {
  readonly kind = 'memory' as const;
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly listeners = new Set<() => void>();
  private readonly clock: () => Date;
  private closed = false;

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.clock = options.clock ?? (() => new Date());
  }

  async append(streamName: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    const stream = this.streams.get(streamName) ?? [];
    const current = stream.length - 1;
    const ok =
      expectedRevision === 'any' ||
      (expectedRevision === 'no_stream' && stream.length === 0) ||
      (expectedRevision === 'stream_exists' && stream.length > 0) ||
      (typeof expectedRevision === 'number' && stream.length > 0 && current === expectedRevision);
    if (!ok) throw new WrongExpectedRevisionError(streamName, expectedRevision, stream.length === 0 ? 'no_stream' : current);
    const recordedAt = this.clock().toISOString();
    for (const event of events) {
      const recorded: RecordedEvent = {
        id: event.id ?? randomUUID(),
        streamName,
        revision: stream.length,
        position: this.log.length + 1,
        type: event.type,
        data: asJson(event.data ?? null),
        metadata: asJson(event.metadata),
        recordedAt,
      };
      stream.push(recorded);
      this.log.push(recorded);
    }
    this.streams.set(streamName, stream);
    for (const listener of this.listeners) listener();
    return { nextRevision: stream.length - 1, position: this.log.length };
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const asOf = options.asOf === undefined ? Infinity : Date.parse(options.asOf);
    const visible = (this.streams.get(streamName) ?? []).filter(
      (e) =>
        Date.parse(e.recordedAt) <= asOf && (options.idempotencyKey === undefined || e.metadata.idempotencyKey === options.idempotencyKey),
    );
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (options.direction === 'backwards') {
      const from = options.fromRevision ?? Number.MAX_SAFE_INTEGER;
      return visible
        .filter((e) => e.revision <= from)
        .reverse()
        .slice(0, max);
    }
    const from = options.fromRevision ?? 0;
    return visible.filter((e) => e.revision >= from).slice(0, max);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAfter(options.afterPosition ?? 0, options.maxCount ?? 1000, options.filter);
  }

  private readAfter(afterPosition: number, maxCount: number, filter?: AllFilter): RecordedEvent[] {
    const found: RecordedEvent[] = [];
    for (let i = afterPosition; i < this.log.length && found.length < maxCount; i++) {
      const event = this.log[i];
      if (matchesFilter(filter, event.streamName, event.type)) found.push(event);
    }
    return found;
  }

  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    return pollingSubscription({
      afterPosition: options.afterPosition ?? 0,
      read: (after, max) => this.readAfter(after, max, options.filter),
      scannedUpTo: () => this.log.length,
      onAppend: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      // Appends in this process wake the subscription; the short poll covers an append that lands
      // between a read and the wait (pollingSubscription registers its wake-up only when it waits).
      pollIntervalMs: 20,
    });
  }

  async headPosition(filter?: AllFilter): Promise<number> {
    for (let i = this.log.length - 1; i >= 0; i--) {
      if (matchesFilter(filter, this.log[i].streamName, this.log[i].type)) return this.log[i].position;
    }
    return 0;
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('event store is closed');
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** What a store that serialises to JSON gives back: a deep copy without undefined or functions. */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
