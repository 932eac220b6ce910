import type { ChainAnchor, IntegrityReport } from './hash-chain';

/**
 * The event store port. Adapters keep events behind it in production: SQLite (embedded default),
 * PostgreSQL and EventStoreDB/KurrentDB (scale-out); an in-memory one serves tests below HTTP. The
 * contract suite (event-store.contract.ts) runs against each and proves they mean the same.
 */
export type EventMetadata = Readonly<{
  /** The authenticated user who caused the event (never taken from a request body). */
  actor: string;
  correlationId: string;
  causationId: string | null;
  /** Wall-clock time of the write, ISO-8601. Business dates live in the event data. */
  occurredAt: string;
  schemaVersion: number;
  /** Set on events appended by a request that carried an Idempotency-Key. */
  idempotencyKey?: string;
  requestHash?: string;
  /**
   * EventStoreDB only: the event's link in its stream's hash chain (see hash-chain.ts). SQLite keeps
   * the chain in columns beside the event instead.
   */
  chain?: Readonly<{ hash: string; previousHash: string }>;
}>;

export type NewEvent = Readonly<{
  /** Optional client-chosen event id (UUID); generated when absent. */
  id?: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}>;

export type RecordedEvent<Data = unknown> = Readonly<{
  id: string;
  streamName: string;
  /** 0-based revision within the stream. */
  revision: number;
  /** Global position in the whole log; strictly increasing (gap-free on SQLite and PostgreSQL). */
  position: number;
  type: string;
  data: Data;
  metadata: EventMetadata;
  /** When the store recorded it, ISO-8601. */
  recordedAt: string;
}>;

/** 'no_stream': the stream must not exist; 'stream_exists': it must; 'any': no check; n: its last revision must be n. */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | number;

export type AppendResult = Readonly<{
  /** Revision of the last event appended (the stream's new current revision). */
  nextRevision: number;
  /** Global position of the last event appended. */
  position: number;
}>;

export type ReadStreamOptions = Readonly<{
  direction?: 'forwards' | 'backwards';
  /** Inclusive start revision (forwards: from it upwards; backwards: from it downwards). */
  fromRevision?: number;
  maxCount?: number;
  /** Only events recorded at or before this instant (ISO-8601): the stream as it was then. */
  asOf?: string;
  /** Only the events appended by the request that carried this Idempotency-Key. */
  idempotencyKey?: string;
}>;

export type AllFilter = Readonly<{
  streamPrefixes?: readonly string[];
  eventTypes?: readonly string[];
}>;

export type ReadAllOptions = Readonly<{
  /** Exclusive: events strictly after this position. 0 (default) = from the beginning. */
  afterPosition?: number;
  maxCount?: number;
  filter?: AllFilter;
}>;

export type SubscribeOptions = Readonly<{
  /** Exclusive: deliver events strictly after this position (catch up, then live). */
  afterPosition?: number;
  filter?: AllFilter;
}>;

export interface EventSubscription extends AsyncIterable<RecordedEvent> {
  /** Stops the subscription; a pending iteration ends. */
  unsubscribe(): Promise<void>;
}

/** A fold's state at one revision of a stream (see loadStream): derived data, never a fact. */
export type Snapshot = Readonly<{ revision: number; position: number; state: unknown }>;

/**
 * Snapshots beside the streams, keyed by stream and fold: a snapshot of another fold (an older
 * evolve) is never read back. Losing them loses nothing but time.
 */
export interface SnapshotStore {
  read(streamName: string, fold: string): Promise<Snapshot | null>;
  /** Keeps the newest snapshot of the stream for this fold and drops those of other folds. */
  write(streamName: string, fold: string, snapshot: Snapshot): Promise<void>;
}

export interface EventStore {
  readonly kind: 'sqlite' | 'postgres' | 'eventstoredb' | 'memory';
  /** Present where the store keeps snapshots beside its streams. */
  readonly snapshots?: SnapshotStore;
  append(streamName: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /** Events of a stream; an empty array when the stream does not exist. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeOptions): EventSubscription;
  /**
   * Calls `listener` after each append made through this instance (where the store can tell);
   * returns the function that stops it. Appends by other processes are found by polling.
   */
  watch?(listener: () => void): () => void;
  /** Called after each commit with how many appends and events it carried (group commit; metrics). */
  onCommit?(listener: (commit: Readonly<{ appends: number; events: number }>) => void): () => void;
  /** Bytes the store takes on disk, where it can tell. */
  sizeBytes?(): Promise<number>;
  /** Position of the last event in the log, or of the last one matching the filter (0 when none). */
  headPosition(filter?: AllFilter): Promise<number>;
  /** Walks the hash chain and names the first event that does not match (stores that keep one). */
  verifyIntegrity?(options?: { anchor?: ChainAnchor }): Promise<IntegrityReport>;
  /** The last link of the hash chain, to anchor elsewhere. */
  chainHead?(): Promise<ChainAnchor>;
  /** Store check for readiness probes; throws when the store is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');

export class WrongExpectedRevisionError extends Error {
  readonly code = 'WrongExpectedRevision';
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${streamName}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export const matchesFilter = (filter: AllFilter | undefined, streamName: string, type: string): boolean => {
  if (!filter) return true;
  if (filter.streamPrefixes?.length && !filter.streamPrefixes.some((p) => streamName.startsWith(p))) return false;
  if (filter.eventTypes?.length && !filter.eventTypes.includes(type)) return false;
  return true;
};

/** Stream names read like `order-<id>`: a category, a dash, and the id. */
export const streamName = (category: string, id: string): string => `${category}-${id}`;
export const categoryOf = (stream: string): string => stream.slice(0, Math.max(0, stream.indexOf('-')));
