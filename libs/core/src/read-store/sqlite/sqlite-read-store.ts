import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ApplyBatchResult, assertSafeField, assertSafeName, DocumentFilter, FieldCondition } from '../read-store.port';
import { FindOptions, IndexSpec, ProjectionBatch, ReadStore, Scalar, DocumentTotals } from '../read-store.port';
import { BatchWriter } from '../read-store.port';

const table = (collection: string) => `rm_${assertSafeName(collection)}`;
const fieldExpr = (field: string) => `json_extract(doc, '$.${assertSafeField(field)}')`;
/** SQLite's json_extract gives booleans as 0/1. */
const bindable = (v: Scalar): string | number | null => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

/**
 * The statements of a batch, shared by applyBatches and the rebuild's writer thread. An upsert or a delete is
 * guarded by the document's position like the MongoDB adapter, so both honour the same contract: a document
 * already at a later position is never overwritten by an older change.
 */
const upsertSql = (name: string) =>
  `INSERT INTO ${name} (id, doc, position) VALUES (?, ?, ?)
   ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, position = excluded.position WHERE position < excluded.position`;
const removeSql = (name: string) => `DELETE FROM ${name} WHERE id = ? AND position < ?`;
const CHECKPOINT_SQL = 'SELECT position FROM projection_checkpoints WHERE projection = ?';
const SET_CHECKPOINT_SQL =
  'INSERT INTO projection_checkpoints (projection, position) VALUES (?, ?) ON CONFLICT (projection) DO UPDATE SET position = excluded.position';
/** Every checkpoint a micro-batch names, in one statement (a JSON array of names). */
const CHECKPOINTS_SQL = 'SELECT projection, position FROM projection_checkpoints WHERE projection IN (SELECT value FROM json_each(?))';
/** Every checkpoint a micro-batch moves, in one statement (a JSON array of [name, position]); `WHERE true` lets SQLite parse the upsert. */
const SET_CHECKPOINTS_SQL = `INSERT INTO projection_checkpoints (projection, position)
   SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?) WHERE true
   ON CONFLICT (projection) DO UPDATE SET position = excluded.position`;

const VERSION_SQL = 'SELECT version FROM projection_checkpoints WHERE projection = ?';
/** A checkpoint at 0 with the version of the definition that is to write the documents from there. */
const RESET_CHECKPOINT_SQL = `INSERT INTO projection_checkpoints (projection, position, version) VALUES (?, 0, ?)
   ON CONFLICT (projection) DO UPDATE SET position = 0, version = excluded.version`;
const SWAP_CHECKPOINT_SQL = `INSERT INTO projection_checkpoints (projection, position, version) VALUES (?, ?, ?)
   ON CONFLICT (projection) DO UPDATE SET position = excluded.position, version = coalesce(excluded.version, version)`;

/**
 * A batch as the writer thread takes it: its changes' ids and positions, and the upserted documents already serialized,
 * one per line in one string (JSON.stringify never writes a raw line break), so that posting a batch copies one string
 * rather than cloning thousands.
 */
type EncodedBatch = Readonly<{
  projection: string;
  upsert: string;
  remove: string;
  expected: number;
  next: number;
  /** The changes' ids as a JSON array (one string to copy, like `docs`). */
  ids: string;
  positions: Float64Array;
  /** Per change: 1 for an upsert (its document is the next line of `docs`), 0 for a delete. */
  upserts: Uint8Array;
  docs: string;
}>;

/**
 * The rebuild's writer thread: applyBatches' transaction over encoded batches, on a connection of its own. It is
 * source text run with `eval` so that it runs the same from the compiled build and from the TypeScript sources
 * under jest (a worker cannot load a .ts file); its SQL is passed in from the statements above.
 */
const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
const prepared = new Map();
const statement = (sql) => {
  let found = prepared.get(sql);
  if (!found) prepared.set(sql, (found = db.prepare(sql)));
  return found;
};
const apply = db.transaction((batches) =>
  batches.map((batch) => {
    const at = statement(workerData.checkpoint).get(batch.projection);
    if ((at ? at.position : 0) !== batch.expected) return 'checkpoint_mismatch';
    const upsert = statement(batch.upsert);
    const remove = statement(batch.remove);
    const ids = JSON.parse(batch.ids);
    const docs = batch.docs.split('\\n');
    for (let i = 0, d = 0; i < ids.length; i++) {
      if (batch.upserts[i] === 1) upsert.run(ids[i], docs[d++], batch.positions[i]);
      else remove.run(ids[i], batch.positions[i]);
    }
    statement(workerData.setCheckpoint).run(batch.projection, batch.next);
    return 'applied';
  }),
);
parentPort.on('message', (batches) => {
  if (batches === null) {
    db.close();
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage({ results: apply.immediate(batches) });
  } catch (err) {
    parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
`;

const OPS: Record<string, string> = { $gte: '>=', $gt: '>', $lte: '<=', $lt: '<', $ne: 'IS NOT' };

const whereClause = (filter: DocumentFilter | undefined): { sql: string; params: unknown[] } => {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const [field, condition] of Object.entries(filter ?? {})) {
    if (condition === undefined) continue;
    const expr = field === 'id' ? 'id' : fieldExpr(field);
    if (condition === null || typeof condition !== 'object') {
      parts.push(condition === null ? `${expr} IS NULL` : `${expr} = ?`);
      if (condition !== null) params.push(bindable(condition));
      continue;
    }
    const c = condition as Exclude<FieldCondition, Scalar>;
    for (const [op, value] of Object.entries(c)) {
      if (op === '$in') {
        const list = value as Scalar[];
        if (list.length === 0) parts.push('0');
        else {
          parts.push(`${expr} IN (${list.map(() => '?').join(',')})`);
          params.push(...list.map(bindable));
        }
      } else if (op === '$nin') {
        // Like $ne: a null or missing field matches unless null is listed.
        const list = value as Scalar[];
        const present = list.filter((v) => v !== null);
        const alternatives = present.length ? [`${expr} NOT IN (${present.map(() => '?').join(',')})`] : ['1'];
        params.push(...present.map(bindable));
        parts.push(
          present.length < list.length ? `(${expr} IS NOT NULL AND ${alternatives[0]})` : `(${expr} IS NULL OR ${alternatives[0]})`,
        );
      } else if (OPS[op]) {
        parts.push(`${expr} ${OPS[op]} ?`);
        params.push(bindable(value as Scalar));
      } else throw new Error(`Unsupported filter operator ${op}`);
    }
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
};

/**
 * Read models in one SQLite file: a table per collection holding JSON documents, expression
 * indexes on the queried fields, and the projections' checkpoints in the same file so that a
 * batch and its checkpoint commit in one transaction.
 */
export class SqliteReadStore implements ReadStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly known = new Set<string>();
  private readonly statements = new Map<string, Database.Statement<unknown[], unknown>>();
  private closed = false;
  private readonly file: string;

  /** Prepared statements are cached by their SQL: preparing costs more than running a lookup. */
  private statement<Row = unknown>(sql: string): Database.Statement<unknown[], Row> {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare<unknown[], unknown>(sql);
      this.statements.set(sql, stmt);
    }
    return stmt as Database.Statement<unknown[], Row>;
  }

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.file = file;
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL'); // read models are rebuildable from the log
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS projection_checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL, version INTEGER)',
    );
    this.addVersionColumn();
  }

  /** A file from before projection versions: its checkpoints gain a `version` column, null (version 1) for each row. */
  private addVersionColumn(): void {
    const columns = this.db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('projection_checkpoints')").all();
    if (columns.some((c) => c.name === 'version')) return;
    try {
      this.db.exec('ALTER TABLE projection_checkpoints ADD COLUMN version INTEGER');
    } catch (err) {
      // Another connection to the file (a worker thread, the projector) added it first.
      if (!/duplicate column/i.test(String((err as { message?: unknown })?.message))) throw err;
    }
  }

  private ensureTable(collection: string): string {
    const name = table(collection);
    if (!this.known.has(name)) {
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${name} (id TEXT PRIMARY KEY, doc TEXT NOT NULL, position INTEGER NOT NULL)`);
      this.known.add(name);
    }
    return name;
  }

  async get<T>(collection: string, id: string): Promise<T | null> {
    const row = this.statement<{ doc: string }>(`SELECT doc FROM ${this.ensureTable(collection)} WHERE id = ?`).get(id);
    return row ? (JSON.parse(row.doc) as T) : null;
  }

  async getMany<T>(collection: string, ids: readonly string[]): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    if (ids.length === 0) return found;
    const rows = this.statement<{ id: string; doc: string }>(
      `SELECT id, doc FROM ${this.ensureTable(collection)} WHERE id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(ids));
    for (const row of rows) found.set(row.id, JSON.parse(row.doc) as T);
    return found;
  }

  async find<T>(collection: string, filter?: DocumentFilter, options: FindOptions = {}): Promise<T[]> {
    const { sql, params } = whereClause(filter);
    const order = Object.entries(options.sort ?? {})
      .map(([f, dir]) => `${f === 'id' ? 'id' : fieldExpr(f)} ${dir === -1 ? 'DESC' : 'ASC'}`)
      .concat('id ASC')
      .join(', ');
    // SQLite binds only 64-bit integers: anything else (1e20, 1.5) would be a datatype mismatch.
    const asInteger = (n: number | undefined, fallback: number) =>
      n !== undefined && Number.isSafeInteger(n) ? n : n === undefined ? fallback : Number.MAX_SAFE_INTEGER;
    const limit = asInteger(options.limit, -1);
    const rows = this.statement<{ doc: string }>(
      `SELECT doc FROM ${this.ensureTable(collection)} ${sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
    ).all(...params, limit, asInteger(options.skip, 0));
    return rows.map((r) => JSON.parse(r.doc) as T);
  }

  async count(collection: string, filter?: DocumentFilter): Promise<number> {
    const { sql, params } = whereClause(filter);
    return this.statement<{ n: number }>(`SELECT count(*) AS n FROM ${this.ensureTable(collection)} ${sql}`).get(...params)!.n;
  }

  async totals<F extends string>(collection: string, filter: DocumentFilter | undefined, fields: readonly F[]): Promise<DocumentTotals<F>> {
    const { sql, params } = whereClause(filter);
    // total() is 0.0 over no rows and ignores NULLs; a text value would count as 0 (the port's "non-numeric adds 0").
    const sums = fields.map(
      (f, i) => `total(CASE WHEN json_type(doc, '$.${assertSafeField(f)}') IN ('integer', 'real') THEN ${fieldExpr(f)} END) AS s${i}`,
    );
    const row = this.statement<Record<string, number>>(
      `SELECT count(*) AS n${sums.map((s) => `, ${s}`).join('')} FROM ${this.ensureTable(collection)} ${sql}`,
    ).get(...params)!;
    return { count: row.n, sums: Object.fromEntries(fields.map((f, i) => [f, row[`s${i}`]])) as Record<F, number> };
  }

  async ensureIndexes(collection: string, indexes: readonly IndexSpec[]): Promise<void> {
    const name = this.ensureTable(collection);
    for (const index of indexes) {
      const indexName = `${name}__${index.fields.map((f) => f.replace(/\./g, '_')).join('__')}`;
      const exprs = index.fields.map(fieldExpr).join(', ');
      this.db.exec(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${indexName} ON ${name} (${exprs})`);
    }
  }

  async getCheckpoint(projection: string): Promise<number> {
    return this.checkpointSync(projection);
  }

  private checkpointSync(projection: string): number {
    return this.statement<{ position: number }>(CHECKPOINT_SQL).get(projection)?.position ?? 0;
  }

  private setCheckpointSync(projection: string, position: number) {
    this.statement(SET_CHECKPOINT_SQL).run(projection, position);
  }

  async setCheckpoint(projection: string, position: number): Promise<void> {
    this.setCheckpointSync(projection, position);
  }

  async getProjectionVersion(projection: string): Promise<number> {
    return this.statement<{ version: number | null }>(VERSION_SQL).get(projection)?.version ?? 1;
  }

  async resetProjection(projection: string, collection: string, version: number): Promise<void> {
    const name = this.ensureTable(collection);
    // DELETE without WHERE is SQLite's truncate: the table and its indexes stay.
    this.db
      .transaction(() => {
        this.db.exec(`DELETE FROM ${name}`);
        this.statement(RESET_CHECKPOINT_SQL).run(projection, version);
      })
      .immediate();
  }

  async applyBatch(batch: ProjectionBatch): Promise<ApplyBatchResult> {
    return (await this.applyBatches([batch]))[0];
  }

  /**
   * Every projection's part of a micro-batch in one transaction (one commit for all read models). The checkpoints
   * are read in one statement and the moved ones written in one, whatever the number of projections (a live batch
   * of a few events names every projection, and one statement each was most of its statements).
   */
  async applyBatches(batches: readonly ProjectionBatch[]): Promise<ApplyBatchResult[]> {
    const writes = batches.map((batch) => {
      const name = this.ensureTable(batch.collection);
      return { batch, upsert: this.statement(upsertSql(name)), remove: this.statement(removeSql(name)) };
    });
    const tx = this.db.transaction((): ApplyBatchResult[] => {
      const checkpoints = new Map<string, number>();
      const names = JSON.stringify([...new Set(batches.map((b) => b.projection))]);
      for (const row of this.statement<{ projection: string; position: number }>(CHECKPOINTS_SQL).all(names))
        checkpoints.set(row.projection, row.position);
      const moved = new Map<string, number>();
      const results = writes.map(({ batch, upsert, remove }): ApplyBatchResult => {
        if ((checkpoints.get(batch.projection) ?? 0) !== batch.expected) return 'checkpoint_mismatch';
        for (const change of batch.changes) {
          if (change.op === 'upsert') upsert.run(change.id, JSON.stringify(change.doc), change.doc._position);
          else remove.run(change.id, change.position);
        }
        checkpoints.set(batch.projection, batch.next);
        moved.set(batch.projection, batch.next);
        return 'applied';
      });
      if (moved.size > 0) this.statement(SET_CHECKPOINTS_SQL).run(JSON.stringify([...moved]));
      return results;
    });
    return tx.immediate();
  }

  /**
   * A rebuild's writes on a worker thread with a connection of its own (WAL lets this connection read meanwhile):
   * the rebuild serializes a batch's documents and folds the next one while the thread writes. None in memory.
   */
  batchWriter(collections: readonly string[]): BatchWriter | undefined {
    if (this.file === ':memory:') return undefined;
    // Created here, so that the thread's transactions only write rows.
    for (const collection of collections) this.ensureTable(collection);
    const worker = new Worker(WRITER_SOURCE, {
      eval: true,
      workerData: {
        file: this.file,
        driver: require.resolve('better-sqlite3'),
        checkpoint: CHECKPOINT_SQL,
        setCheckpoint: SET_CHECKPOINT_SQL,
      },
    });
    const waiting: { resolve: (results: ApplyBatchResult[]) => void; reject: (err: Error) => void }[] = [];
    let failure: Error | null = null;
    const fail = (err: Error) => {
      failure ??= err;
      for (const w of waiting.splice(0)) w.reject(err);
    };
    worker.on('message', (message: { results?: ApplyBatchResult[]; error?: string }) => {
      const w = waiting.shift();
      if (message.error !== undefined) w?.reject(new Error(message.error));
      else w?.resolve(message.results!);
    });
    worker.on('error', fail);
    const exited = new Promise<void>((resolve) =>
      worker.once('exit', () => {
        fail(new Error('the read-model writer thread exited'));
        resolve();
      }),
    );
    const encode = (batch: ProjectionBatch): EncodedBatch => {
      const name = table(batch.collection);
      const ids: string[] = [];
      const docs: string[] = [];
      const positions = new Float64Array(batch.changes.length);
      const upserts = new Uint8Array(batch.changes.length);
      batch.changes.forEach((change, i) => {
        ids.push(change.id);
        if (change.op === 'upsert') {
          upserts[i] = 1;
          docs.push(JSON.stringify(change.doc));
          positions[i] = change.doc._position;
        } else positions[i] = change.position;
      });
      return {
        projection: batch.projection,
        upsert: upsertSql(name),
        remove: removeSql(name),
        expected: batch.expected,
        next: batch.next,
        ids: JSON.stringify(ids),
        positions,
        upserts,
        docs: docs.join('\n'),
      };
    };
    return {
      write: (batches) =>
        new Promise<ApplyBatchResult[]>((resolve, reject) => {
          if (failure) return reject(failure);
          waiting.push({ resolve, reject });
          worker.postMessage(batches.map(encode));
        }),
      close: async () => {
        worker.postMessage(null);
        await exited;
      },
    };
  }

  async dropCollection(collection: string): Promise<void> {
    const name = table(collection);
    this.statements.clear();
    this.db.exec(`DROP TABLE IF EXISTS ${name}`);
    this.known.delete(name);
  }

  async swapCollection(source: string, target: string, projection: string, checkpoint: number, version?: number): Promise<void> {
    const from = this.ensureTable(source);
    const to = table(target);
    // The shadow's indexes would keep their shadow names after the rename: drop them; the
    // projection runtime recreates the target's indexes (ensureIndexes) right after the swap.
    const shadowIndexes = this.db
      .prepare<[string], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")
      .all(from);
    this.db
      .transaction(() => {
        for (const index of shadowIndexes) this.db.exec(`DROP INDEX IF EXISTS ${index.name}`);
        this.db.exec(`DROP TABLE IF EXISTS ${to}`);
        this.db.exec(`ALTER TABLE ${from} RENAME TO ${to}`);
        this.statement(SWAP_CHECKPOINT_SQL).run(projection, checkpoint, version ?? null);
      })
      .immediate();
    this.statements.clear();
    this.known.delete(from);
    this.known.add(to);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('read store is closed');
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
