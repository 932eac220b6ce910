import { AllFilter, AppendResult, EventMetadata, EventStore, EventSubscription, ExpectedRevision } from './event-store.port';
import { NewEvent, ReadAllOptions, ReadStreamOptions, RecordedEvent, SubscribeOptions } from './event-store.port';
import type { ChainAnchor, IntegrityReport } from './hash-chain';

/**
 * Events are stored as they were written, with their `schemaVersion`; readers see the current
 * shape. An upcaster turns one version of one event type into the next, purely.
 */
export type Upcaster = Readonly<{
  type: string;
  /** The stored version this upcaster reads; it produces `fromVersion + 1`. */
  fromVersion: number;
  upcast: (data: any, metadata: EventMetadata) => unknown;
}>;

export class UpcasterRegistry {
  /** By event type, then by the version each reads: most types have none, found without building a key per event. */
  private readonly byType = new Map<string, Map<number, Upcaster>>();
  readonly size: number;

  constructor(upcasters: readonly Upcaster[] = []) {
    for (const u of upcasters) {
      const versions = this.byType.get(u.type) ?? new Map<number, Upcaster>();
      if (versions.has(u.fromVersion)) throw new Error(`two upcasters for ${u.type}@${u.fromVersion}`);
      this.byType.set(u.type, versions.set(u.fromVersion, u));
    }
    this.size = upcasters.length;
  }

  /** The event as the current code expects it: every upcaster from its stored version on, in turn. */
  upcast<E extends Pick<RecordedEvent, 'type' | 'data' | 'metadata'>>(event: E): E {
    const versions = this.byType.get(event.type);
    if (!versions) return event;
    let current = event;
    for (;;) {
      const version = current.metadata?.schemaVersion ?? 1;
      const upcaster = versions.get(version);
      if (!upcaster) return current;
      current = {
        ...current,
        data: upcaster.upcast(current.data, current.metadata),
        metadata: { ...current.metadata, schemaVersion: version + 1 },
      };
    }
  }
}

/**
 * The event store every reader uses: appends go through unchanged; every read path (streams for
 * loading state, `$all` for projections, process managers, the audit index, the feed, SSE and
 * webhooks) returns upcast events. Integrity checks go to the stored bytes, as they must.
 */
export class UpcastingEventStore implements EventStore {
  readonly kind;

  constructor(
    readonly inner: EventStore,
    private readonly registry: UpcasterRegistry,
  ) {
    this.kind = inner.kind;
    // The optional capabilities of the store stay visible through the wrapper (snapshots hold folded
    // state, which is already the current shape; the others carry no events).
    this.snapshots = inner.snapshots;
    if (inner.watch) this.watch = (listener) => inner.watch!(listener);
    if (inner.onCommit) this.onCommit = (listener) => inner.onCommit!(listener);
    if (inner.sizeBytes) this.sizeBytes = () => inner.sizeBytes!();
    if (inner.verifyIntegrity)
      this.verifyIntegrity = (options?: { anchor?: ChainAnchor }): Promise<IntegrityReport> => inner.verifyIntegrity!(options);
    if (inner.chainHead) this.chainHead = () => inner.chainHead!();
  }

  readonly snapshots?: EventStore['snapshots'];
  watch?: EventStore['watch'];
  onCommit?: EventStore['onCommit'];
  sizeBytes?: EventStore['sizeBytes'];
  verifyIntegrity?: (options?: { anchor?: ChainAnchor }) => Promise<IntegrityReport>;
  chainHead?: () => Promise<ChainAnchor>;

  private readonly up = (event: RecordedEvent): RecordedEvent => this.registry.upcast(event);

  append(streamName: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    return this.inner.append(streamName, events, expectedRevision);
  }

  async readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readStream(streamName, options)).map(this.up);
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readAll(options)).map(this.up);
  }

  subscribeToAll(options?: SubscribeOptions): EventSubscription {
    const inner = this.inner.subscribeToAll(options);
    const up = this.up;
    async function* iterate(): AsyncGenerator<RecordedEvent> {
      for await (const event of inner) yield up(event);
    }
    const iterator = iterate();
    return {
      [Symbol.asyncIterator]: () => iterator,
      async unsubscribe() {
        await inner.unsubscribe();
        await iterator.return(undefined);
      },
    };
  }

  headPosition(filter?: AllFilter): Promise<number> {
    return this.inner.headPosition(filter);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
