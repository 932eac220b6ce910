/**
 * The read-model port: a small document store that projections write to and queries read.
 * Adapters: SQLite (embedded default, JSON documents with expression indexes), PostgreSQL (JSONB
 * documents with expression indexes) and MongoDB.
 */
export type Scalar = string | number | boolean | null;
export type FieldCondition =
  | Scalar
  | Readonly<{ $in?: readonly Scalar[]; $nin?: readonly Scalar[]; $gte?: Scalar; $gt?: Scalar; $lte?: Scalar; $lt?: Scalar; $ne?: Scalar }>;
/** Top-level or dotted field paths; all conditions must hold. */
export type DocumentFilter = Readonly<Record<string, FieldCondition | undefined>>;

export type FindOptions = Readonly<{
  sort?: Readonly<Record<string, 1 | -1>>;
  limit?: number;
  skip?: number;
}>;

export type DocumentTotals<F extends string> = Readonly<{ count: number; sums: Readonly<Record<F, number>> }>;

/** Every stored document carries its id and the global position of the last event applied to it. */
export type StoredDocument = { id: string; _position: number } & Record<string, unknown>;

export type DocumentChange =
  Readonly<{ op: 'upsert'; id: string; doc: StoredDocument }> | Readonly<{ op: 'delete'; id: string; position: number }>;

export type IndexSpec = Readonly<{ fields: readonly string[]; unique?: boolean }>;

export type ApplyBatchResult = 'applied' | 'checkpoint_mismatch';

/** One projection's part of a micro-batch: its document changes and its checkpoint move. */
export type ProjectionBatch = Readonly<{
  projection: string;
  collection: string;
  changes: readonly DocumentChange[];
  expected: number;
  next: number;
}>;

/** Writes a rebuild's batches in order, each write one transaction, while the caller folds the next batch. */
export type BatchWriter = Readonly<{
  /** Resolves once the batches are committed, with each one's checkpoint result (as applyBatches). */
  write(batches: readonly ProjectionBatch[]): Promise<ApplyBatchResult[]>;
  close(): Promise<void>;
}>;

export interface ReadStore {
  readonly kind: 'sqlite' | 'postgres' | 'mongodb';
  get<T = StoredDocument>(collection: string, id: string): Promise<T | null>;
  /** The documents of these ids that exist, in one read where the store has it (SQLite, PostgreSQL); the runtime falls back to get. */
  getMany?<T = StoredDocument>(collection: string, ids: readonly string[]): Promise<Map<string, T>>;
  find<T = StoredDocument>(collection: string, filter?: DocumentFilter, options?: FindOptions): Promise<T[]>;
  count(collection: string, filter?: DocumentFilter): Promise<number>;
  /**
   * How many documents match, and the sum of each named numeric field over them, computed by the store
   * (a list's totals without reading its documents). A missing or non-numeric field adds 0.
   */
  totals<F extends string>(collection: string, filter: DocumentFilter | undefined, fields: readonly F[]): Promise<DocumentTotals<F>>;
  ensureIndexes(collection: string, indexes: readonly IndexSpec[]): Promise<void>;
  /** The last global position the projection has fully applied (0 when it never ran). */
  getCheckpoint(projection: string): Promise<number>;
  /**
   * Writes a projection's batch of document changes and moves its checkpoint from `expected`
   * to `next`. SQLite and PostgreSQL: one transaction (exactly-once effect). MongoDB: each write is guarded by
   * the document's `_position`, so a batch replayed after a crash changes nothing twice.
   * Returns 'checkpoint_mismatch' (and writes nothing) when the stored checkpoint is not `expected`,
   * e.g. because a rebuild swapped the collection underneath a live runner.
   */
  applyBatch(batch: ProjectionBatch): Promise<ApplyBatchResult>;
  /**
   * Several projections' batches in one transaction where the store has them (SQLite); each is
   * checked against its own expected checkpoint. Without it, the runtime calls applyBatch per projection.
   */
  applyBatches?(batches: readonly ProjectionBatch[]): Promise<ApplyBatchResult[]>;
  /**
   * A writer off the calling thread for a rebuild into these (shadow) collections, where the store has one (SQLite
   * on a file: a worker thread on a connection of its own), so that writing one batch overlaps folding the next.
   */
  batchWriter?(collections: readonly string[]): BatchWriter | undefined;
  /** Empties `collection` (used for shadow collections of a rebuild). */
  dropCollection(collection: string): Promise<void>;
  /**
   * Replaces `target` by `source` and sets the projection's checkpoint (and, when given, the version of the definition
   * that wrote `source`), atomically where the store allows: the last step of a rebuild.
   */
  swapCollection(source: string, target: string, projection: string, checkpoint: number, version?: number): Promise<void>;
  /**
   * The version of the projection's definition that its documents were written by, stored beside its checkpoint;
   * 1 when none is stored (a projection that never ran, or a read-model store from before versions).
   */
  getProjectionVersion(projection: string): Promise<number>;
  /**
   * Empties the projection's collection, sets its checkpoint to 0 and records `version`, as one transaction where the
   * store has them (SQLite, PostgreSQL): the runtime then catches the projection up from the start of the log. MongoDB
   * records the version last, so a reset cut short is done again on the next start.
   */
  resetProjection(projection: string, collection: string, version: number): Promise<void>;
  setCheckpoint(projection: string, position: number): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const READ_STORE = Symbol('READ_STORE');

/** Collection and field names become SQL identifiers and Mongo names: keep them tame. */
export const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
export const SAFE_FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
export const assertSafeName = (name: string, what = 'collection'): string => {
  if (!SAFE_NAME.test(name)) throw new Error(`Invalid ${what} name: ${name}`);
  return name;
};
export const assertSafeField = (field: string): string => {
  if (!SAFE_FIELD.test(field)) throw new Error(`Invalid field path: ${field}`);
  return field;
};
