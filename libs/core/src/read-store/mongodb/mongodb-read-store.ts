import { AnyBulkWriteOperation, ClientSession, Collection, Db, Filter } from 'mongodb';
import { MongoBulkWriteError, MongoClient, MongoServerError, Sort, WriteError } from 'mongodb';
import { ApplyBatchResult, assertSafeField, assertSafeName, DocumentChange, DocumentFilter } from '../read-store.port';
import { DocumentTotals, FieldCondition, FindOptions, IndexSpec, ProjectionBatch, ReadStore } from '../read-store.port';

/** A read-model document as MongoDB holds it: the document id is `_id`. */
type MongoDocument = { _id: string; _position?: number } & Record<string, unknown>;
/** `version`: of the definition that wrote the documents; absent (version 1) before versions. */
type CheckpointDocument = { _id: string; position: number; version?: number };

export type MongoDbReadStoreOptions = Readonly<{
  /** Database name; defaults to the one in the connection string. */
  dbName?: string;
  /**
   * Write each batch in a multi-document transaction. Default: when the server supports them
   * (replica set or sharded cluster); otherwise every write is guarded by `_position`.
   */
  transactions?: boolean;
}>;

const CHECKPOINTS = 'projection_checkpoints';
const DUPLICATE_KEY = 11000;
const NAMESPACE_NOT_FOUND = 26;
const OPERATORS = new Set(['$in', '$nin', '$gte', '$gt', '$lte', '$lt', '$ne']);

const collectionName = (collection: string) => `rm_${assertSafeName(collection)}`;
const fieldPath = (field: string) => (field === 'id' ? '_id' : assertSafeField(field));

/** Port filters are a subset of MongoDB's query language: only names are checked and `id` renamed. */
const toMongoFilter = (filter: DocumentFilter | undefined): Filter<MongoDocument> => {
  const query: Record<string, unknown> = {};
  for (const [field, condition] of Object.entries(filter ?? {})) {
    if (condition === undefined) continue;
    if (condition !== null && typeof condition === 'object') {
      for (const op of Object.keys(condition)) if (!OPERATORS.has(op)) throw new Error(`Unsupported filter operator ${op}`);
    }
    query[fieldPath(field)] = condition as FieldCondition;
  }
  return query as Filter<MongoDocument>;
};

const fromMongo = <T>({ _id, ...fields }: MongoDocument): T => ({ ...fields, id: _id }) as T;

/** Not yet at or past `position`: the guard that makes a replayed write change nothing. */
const olderThan = (id: string, position: number): Filter<MongoDocument> => ({
  _id: id,
  $or: [{ _position: { $lt: position } }, { _position: { $exists: false } }],
});

const changePosition = (change: DocumentChange) => (change.op === 'upsert' ? change.doc._position : change.position);

const toWrite = (change: DocumentChange): AnyBulkWriteOperation<MongoDocument> => {
  const guard = olderThan(change.id, changePosition(change));
  if (change.op === 'delete') return { deleteOne: { filter: guard } };
  const { id: _ignored, _id: _alsoIgnored, ...fields } = change.doc as Record<string, unknown>;
  return { replaceOne: { filter: guard, replacement: fields as MongoDocument, upsert: true } };
};

/** A guarded upsert that lost against a newer document collides on `_id`: already applied. */
const isStaleUpsertCollision = (error: WriteError) => {
  if (error.code !== DUPLICATE_KEY) return false;
  const keyPattern = (error.err as { keyPattern?: Record<string, unknown> }).keyPattern;
  return keyPattern ? Object.keys(keyPattern).join() === '_id' : / index: _id_ /.test(error.errmsg ?? '');
};

/** Thrown inside a transaction to abort it when the checkpoint moved underneath. */
class CheckpointMoved extends Error {}

/**
 * Read models in MongoDB: a collection per read model (`rm_<name>`) whose `_id` is the
 * document id, and the projections' checkpoints in `projection_checkpoints`. A batch and its
 * checkpoint move share a transaction when the server has them; without, every write is
 * guarded by the document's `_position` and the checkpoint moves by compare-and-set, so a
 * batch replayed after a crash between the two changes nothing twice.
 */
export class MongoDbReadStore implements ReadStore {
  readonly kind = 'mongodb' as const;
  private readonly db: Db;
  private readonly checkpoints: Collection<CheckpointDocument>;
  private transactionsSupported: Promise<boolean> | null = null;

  constructor(
    private readonly client: MongoClient,
    private readonly options: MongoDbReadStoreOptions = {},
  ) {
    this.db = client.db(options.dbName);
    this.checkpoints = this.db.collection<CheckpointDocument>(CHECKPOINTS);
  }

  static async connect(url: string, options: MongoDbReadStoreOptions = {}): Promise<MongoDbReadStore> {
    const client = new MongoClient(url);
    await client.connect();
    return new MongoDbReadStore(client, options);
  }

  private collection(collection: string): Collection<MongoDocument> {
    return this.db.collection<MongoDocument>(collectionName(collection));
  }

  async get<T>(collection: string, id: string): Promise<T | null> {
    const doc = await this.collection(collection).findOne({ _id: id });
    return doc ? fromMongo<T>(doc) : null;
  }

  async find<T>(collection: string, filter?: DocumentFilter, options: FindOptions = {}): Promise<T[]> {
    // MongoDB reads limit 0 as "no limit"; the port (and SQL) as "no rows".
    if (options.limit === 0) return [];
    const sort: Record<string, 1 | -1> = {};
    for (const [field, direction] of Object.entries(options.sort ?? {})) sort[fieldPath(field)] = direction;
    sort._id ??= 1; // the same tie-break as SQLite: stable pages
    let cursor = this.collection(collection)
      .find(toMongoFilter(filter))
      .sort(sort as Sort);
    if (options.skip) cursor = cursor.skip(options.skip);
    if (options.limit !== undefined) cursor = cursor.limit(options.limit);
    return (await cursor.toArray()).map((doc) => fromMongo<T>(doc));
  }

  async count(collection: string, filter?: DocumentFilter): Promise<number> {
    return this.collection(collection).countDocuments(toMongoFilter(filter));
  }

  async totals<F extends string>(collection: string, filter: DocumentFilter | undefined, fields: readonly F[]): Promise<DocumentTotals<F>> {
    const group: Record<string, unknown> = { _id: null, n: { $sum: 1 } };
    // $sum ignores non-numeric values, as the SQL stores do.
    fields.forEach((f, i) => (group[`s${i}`] = { $sum: `$${fieldPath(f)}` }));
    const [row] = await this.collection(collection)
      .aggregate<Record<string, number>>([{ $match: toMongoFilter(filter) }, { $group: group }])
      .toArray();
    return { count: row?.n ?? 0, sums: Object.fromEntries(fields.map((f, i) => [f, row?.[`s${i}`] ?? 0])) as Record<F, number> };
  }

  async ensureIndexes(collection: string, indexes: readonly IndexSpec[]): Promise<void> {
    const target = this.collection(collection);
    for (const index of indexes) {
      const fields = index.fields.map(fieldPath);
      if (fields.length === 1 && fields[0] === '_id') continue; // always indexed
      await target.createIndex(Object.fromEntries(fields.map((f) => [f, 1])), {
        unique: index.unique ?? false,
        // Like SQLite's unique expression indexes, documents without the field do not collide.
        ...(index.unique ? { partialFilterExpression: Object.fromEntries(fields.map((f) => [f, { $exists: true }])) } : {}),
      });
    }
  }

  async getCheckpoint(projection: string): Promise<number> {
    return this.readCheckpoint(projection);
  }

  private async readCheckpoint(projection: string, session?: ClientSession): Promise<number> {
    return (await this.checkpoints.findOne({ _id: projection }, { session }))?.position ?? 0;
  }

  async setCheckpoint(projection: string, position: number): Promise<void> {
    await this.checkpoints.updateOne({ _id: projection }, { $set: { position } }, { upsert: true });
  }

  async applyBatch({ projection, collection, changes, expected, next }: ProjectionBatch): Promise<ApplyBatchResult> {
    if (!(await this.useTransactions())) return this.writeBatch(projection, collection, changes, expected, next);
    const session = this.client.startSession();
    try {
      return await session.withTransaction(async () => {
        const result = await this.writeBatch(projection, collection, changes, expected, next, session);
        if (result === 'checkpoint_mismatch') throw new CheckpointMoved();
        return result;
      });
    } catch (err) {
      if (err instanceof CheckpointMoved) return 'checkpoint_mismatch';
      throw err;
    } finally {
      await session.endSession();
    }
  }

  /** In a transaction (with `session`) or, without one, relying on the `_position` guards. */
  private async writeBatch(
    projection: string,
    collection: string,
    changes: readonly DocumentChange[],
    expected: number,
    next: number,
    session?: ClientSession,
  ): Promise<ApplyBatchResult> {
    if ((await this.readCheckpoint(projection, session)) !== expected) return 'checkpoint_mismatch';
    const writes = await this.pendingWrites(collection, changes, session);
    if (writes.length > 0) {
      try {
        await this.collection(collection).bulkWrite(writes, { ordered: false, session });
      } catch (err) {
        // Inside a transaction every error must reach withTransaction (it decides on retries).
        if (session || !(err instanceof MongoBulkWriteError) || err.writeConcernError) throw err;
        const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
        if (!writeErrors.every(isStaleUpsertCollision)) throw err;
      }
    }
    return (await this.moveCheckpoint(projection, expected, next, session)) ? 'applied' : 'checkpoint_mismatch';
  }

  /** Skips changes the stored documents are already at or past (a replay), before writing. */
  private async pendingWrites(collection: string, changes: readonly DocumentChange[], session?: ClientSession) {
    if (changes.length === 0) return [];
    const stored = await this.collection(collection)
      .find({ _id: { $in: changes.map((c) => c.id) } }, { projection: { _position: 1 }, session })
      .toArray();
    const positions = new Map(stored.map((doc) => [doc._id, doc._position]));
    return changes
      .filter((change) => {
        if (change.op === 'delete' && !positions.has(change.id)) return false;
        const current = positions.get(change.id);
        return current === undefined || current < changePosition(change);
      })
      .map(toWrite);
  }

  /** Compare-and-set of the checkpoint: moves only from `expected`. */
  private async moveCheckpoint(projection: string, expected: number, next: number, session?: ClientSession): Promise<boolean> {
    const moved = await this.checkpoints.updateOne({ _id: projection, position: expected }, { $set: { position: next } }, { session });
    if (moved.matchedCount === 1) return true;
    if (expected !== 0) return false;
    // A projection that never ran has no checkpoint document yet.
    try {
      await this.checkpoints.insertOne({ _id: projection, position: next }, { session });
      return true;
    } catch (err) {
      if (!session && err instanceof MongoServerError && err.code === DUPLICATE_KEY) return false;
      throw err;
    }
  }

  private useTransactions(): Promise<boolean> {
    if (this.options.transactions !== undefined) return Promise.resolve(this.options.transactions);
    this.transactionsSupported ??= this.db
      .admin()
      .command({ hello: 1 })
      .then((hello) => Boolean(hello.setName) || hello.msg === 'isdbgrid');
    return this.transactionsSupported;
  }

  async dropCollection(collection: string): Promise<void> {
    try {
      await this.collection(collection).drop();
    } catch (err) {
      if (!(err instanceof MongoServerError && err.code === NAMESPACE_NOT_FOUND)) throw err;
    }
  }

  async getProjectionVersion(projection: string): Promise<number> {
    return (await this.checkpoints.findOne({ _id: projection }))?.version ?? 1;
  }

  /**
   * The documents dropped, then the checkpoint and the version in one write: a reset cut short between the two leaves
   * the old version beside the old checkpoint, and the next start does it again.
   */
  async resetProjection(projection: string, collection: string, version: number): Promise<void> {
    await this.dropCollection(collection);
    await this.checkpoints.updateOne({ _id: projection }, { $set: { position: 0, version } }, { upsert: true });
  }

  async swapCollection(source: string, target: string, projection: string, checkpoint: number, version?: number): Promise<void> {
    try {
      await this.db.renameCollection(collectionName(source), collectionName(target), { dropTarget: true });
    } catch (err) {
      if (!(err instanceof MongoServerError && err.code === NAMESPACE_NOT_FOUND)) throw err;
      // Nothing was ever written to the shadow: the rebuilt read model is empty.
      await this.dropCollection(target);
    }
    await this.checkpoints.updateOne(
      { _id: projection },
      { $set: version === undefined ? { position: checkpoint } : { position: checkpoint, version } },
      { upsert: true },
    );
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
