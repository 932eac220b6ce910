import { createHash } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { describePostgresUrl, postgresPoolConfig } from '../../event-store/postgres/postgres-connection';
import { ApplyBatchResult, assertSafeField, assertSafeName, DocumentChange, DocumentFilter, DocumentTotals } from '../read-store.port';
import { FieldCondition, FindOptions, IndexSpec, ProjectionBatch, ReadStore, Scalar } from '../read-store.port';

/** Serialises DDL (tables, indexes, swaps) between processes sharing the database. */
const DDL_LOCK = 7_314_100;

const table = (collection: string) => `rm_${assertSafeName(collection)}`;
/** Short stable suffixes keep derived names (primary key, indexes) under PostgreSQL's 63 characters. */
const hashed = (...parts: string[]) => createHash('sha1').update(parts.join('\u0001')).digest('hex').slice(0, 16);
const primaryKeyName = (tableName: string) => `pk_${hashed(tableName)}`;
/** The jsonb value at a dotted path; a literal, because field paths are checked by assertSafeField. */
const fieldExpr = (field: string) => `(doc #> '{${assertSafeField(field).split('.').join(',')}}')`;
const json = (value: Scalar) => JSON.stringify(value);

/**
 * jsonb cannot hold U+0000: in a read model it becomes U+FFFD (the event keeps the original), so
 * a client's odd string never stalls a projection. An escaped backslash before `u0000` is kept.
 */
const storableJson = (doc: unknown) => JSON.stringify(doc).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd');

const RANGE: Record<string, string> = { $gte: '>=', $gt: '>', $lte: '<=', $lt: '<' };

/**
 * Filters with the meaning the SQLite adapter gives them: a missing field and a JSON null both
 * match `null`; `$ne` also matches them; ranges compare values of the same JSON type only.
 */
const whereClause = (filter: DocumentFilter | undefined, params: unknown[]): string => {
  const parts: string[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  for (const [field, condition] of Object.entries(filter ?? {})) {
    if (condition === undefined) continue;
    const isId = field === 'id';
    const expr = isId ? 'id' : fieldExpr(field);
    const bind = (v: Scalar) => (isId ? `${param(v === null ? null : String(v))}::text` : `${param(json(v))}::jsonb`);
    const isNull = isId ? 'id IS NULL' : `(${expr} IS NULL OR ${expr} = 'null'::jsonb)`;
    if (condition === null || typeof condition !== 'object') {
      parts.push(condition === null ? isNull : `${expr} = ${bind(condition)}`);
      continue;
    }
    for (const [op, value] of Object.entries(condition as Exclude<FieldCondition, Scalar>)) {
      if (op === '$in') {
        const list = value as Scalar[];
        const present = list.filter((v) => v !== null);
        const alternatives = present.length
          ? [isId ? `id = ANY(${param(present.map(String))}::text[])` : `${expr} = ANY(${param(present.map(json))}::jsonb[])`]
          : [];
        if (present.length < list.length) alternatives.push(isNull);
        parts.push(alternatives.length ? `(${alternatives.join(' OR ')})` : 'false');
      } else if (op === '$nin') {
        // Like $ne: a null or missing field matches unless null is listed.
        const list = value as Scalar[];
        const present = list.filter((v) => v !== null);
        const outside = present.length
          ? isId
            ? `NOT (id = ANY(${param(present.map(String))}::text[]))`
            : `NOT (${expr} = ANY(${param(present.map(json))}::jsonb[]))`
          : 'true';
        parts.push(present.length < list.length ? `(NOT ${isNull} AND ${outside})` : `(${isNull} OR ${outside})`);
      } else if (op === '$ne') {
        const v = value as Scalar;
        parts.push(v === null ? `NOT ${isNull}` : `(${isNull} OR ${expr} <> ${bind(v)})`);
      } else if (RANGE[op]) {
        const v = value as Scalar;
        if (v === null) parts.push('false');
        else if (isId) parts.push(`id ${RANGE[op]} ${bind(v)}`);
        else {
          const bound = bind(v);
          parts.push(`(${expr} ${RANGE[op]} ${bound} AND jsonb_typeof(${expr}) = jsonb_typeof(${bound}))`);
        }
      } else throw new Error(`Unsupported filter operator ${op}`);
    }
  }
  return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
};

export type PostgresReadStoreOptions = { maxConnections?: number };

/**
 * Read models on PostgreSQL: a table per collection of JSONB documents, expression indexes on the
 * fields each read model queries, and the projections' checkpoints in the same database, so a
 * batch and its checkpoint commit in one transaction (exactly-once effect).
 */
export class PostgresReadStore implements ReadStore {
  readonly kind = 'postgres' as const;
  private readonly known = new Set<string>();
  private closed = false;

  private constructor(private readonly pool: Pool) {}

  static async connect(url: string, options: PostgresReadStoreOptions = {}): Promise<PostgresReadStore> {
    const pool = new Pool(postgresPoolConfig(url, options.maxConnections ?? 10));
    pool.on('error', () => undefined);
    const store = new PostgresReadStore(pool);
    try {
      await store.ddl(async (client) => {
        await client.query('CREATE TABLE IF NOT EXISTS projection_checkpoints (projection text PRIMARY KEY, position bigint NOT NULL)');
        // A database from before projection versions: null (version 1) for each checkpoint it has.
        await client.query('ALTER TABLE projection_checkpoints ADD COLUMN IF NOT EXISTS version integer');
      });
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new Error(`PostgreSQL read store at ${describePostgresUrl(url)}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return store;
  }

  /** DDL under a lock: two processes creating the same table at once would otherwise collide. */
  private async ddl<T>(run: (client: PoolClient) => Promise<T>): Promise<T> {
    return this.transaction(async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(${DDL_LOCK})`);
      return run(client);
    });
  }

  private async transaction<T>(run: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await run(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async ensureTable(collection: string): Promise<string> {
    const name = table(collection);
    if (!this.known.has(name)) {
      await this.ddl((client) =>
        client.query(
          `CREATE TABLE IF NOT EXISTS ${name} (id text NOT NULL, doc jsonb NOT NULL, position bigint NOT NULL, CONSTRAINT ${primaryKeyName(name)} PRIMARY KEY (id))`,
        ),
      );
      this.known.add(name);
    }
    return name;
  }

  async get<T>(collection: string, id: string): Promise<T | null> {
    const { rows } = await this.pool.query<{ doc: T }>(`SELECT doc FROM ${await this.ensureTable(collection)} WHERE id = $1`, [id]);
    return rows[0]?.doc ?? null;
  }

  async getMany<T>(collection: string, ids: readonly string[]): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    if (ids.length === 0) return found;
    const { rows } = await this.pool.query<{ id: string; doc: T }>(
      `SELECT id, doc FROM ${await this.ensureTable(collection)} WHERE id = ANY($1::text[])`,
      [[...new Set(ids)]],
    );
    for (const row of rows) found.set(row.id, row.doc);
    return found;
  }

  async find<T>(collection: string, filter?: DocumentFilter, options: FindOptions = {}): Promise<T[]> {
    const name = await this.ensureTable(collection);
    const params: unknown[] = [];
    const where = whereClause(filter, params);
    // NULLS FIRST ascending, as SQLite orders a missing field.
    const order = Object.entries(options.sort ?? {})
      .map(([f, dir]) => `${f === 'id' ? 'id' : fieldExpr(f)} ${dir === -1 ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`)
      .concat('id ASC')
      .join(', ');
    params.push(options.limit ?? null, options.skip ?? 0);
    const { rows } = await this.pool.query<{ doc: T }>(
      `SELECT doc FROM ${name} ${where} ORDER BY ${order} LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return rows.map((r) => r.doc);
  }

  async count(collection: string, filter?: DocumentFilter): Promise<number> {
    const name = await this.ensureTable(collection);
    const params: unknown[] = [];
    const { rows } = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${name} ${whereClause(filter, params)}`, params);
    return Number(rows[0].n);
  }

  async totals<F extends string>(collection: string, filter: DocumentFilter | undefined, fields: readonly F[]): Promise<DocumentTotals<F>> {
    const name = await this.ensureTable(collection);
    const params: unknown[] = [];
    const where = whereClause(filter, params);
    const sums = fields.map(
      (f, i) => `coalesce(sum(CASE WHEN jsonb_typeof(${fieldExpr(f)}) = 'number' THEN (${fieldExpr(f)})::numeric END), 0)::float8 AS s${i}`,
    );
    const { rows } = await this.pool.query<Record<string, string | number>>(
      `SELECT count(*) AS n${sums.map((s) => `, ${s}`).join('')} FROM ${name} ${where}`,
      params,
    );
    return { count: Number(rows[0].n), sums: Object.fromEntries(fields.map((f, i) => [f, Number(rows[0][`s${i}`])])) as Record<F, number> };
  }

  async ensureIndexes(collection: string, indexes: readonly IndexSpec[]): Promise<void> {
    const name = await this.ensureTable(collection);
    if (indexes.length === 0) return;
    await this.ddl(async (client) => {
      for (const index of indexes) {
        const indexName = `ix_${hashed(name, ...index.fields, index.unique ? 'unique' : '')}`;
        const exprs = index.fields.map((f) => (f === 'id' ? 'id' : fieldExpr(f))).join(', ');
        await client.query(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${indexName} ON ${name} (${exprs})`);
      }
    });
  }

  async getCheckpoint(projection: string): Promise<number> {
    const { rows } = await this.pool.query<{ position: string }>('SELECT position FROM projection_checkpoints WHERE projection = $1', [
      projection,
    ]);
    return Number(rows[0]?.position ?? 0);
  }

  async setCheckpoint(projection: string, position: number): Promise<void> {
    await this.pool.query(
      'INSERT INTO projection_checkpoints (projection, position) VALUES ($1, $2) ON CONFLICT (projection) DO UPDATE SET position = excluded.position',
      [projection, position],
    );
  }

  async getProjectionVersion(projection: string): Promise<number> {
    const { rows } = await this.pool.query<{ version: number | null }>('SELECT version FROM projection_checkpoints WHERE projection = $1', [
      projection,
    ]);
    return rows[0]?.version ?? 1;
  }

  async resetProjection(projection: string, collection: string, version: number): Promise<void> {
    const name = await this.ensureTable(collection);
    // TRUNCATE keeps the table and its indexes; with the checkpoint's move, one transaction.
    await this.ddl(async (client) => {
      await client.query(`TRUNCATE ${name}`);
      await client.query(
        `INSERT INTO projection_checkpoints (projection, position, version) VALUES ($1, 0, $2)
         ON CONFLICT (projection) DO UPDATE SET position = 0, version = excluded.version`,
        [projection, version],
      );
    });
  }

  async applyBatch({ projection, collection, changes, expected, next }: ProjectionBatch): Promise<ApplyBatchResult> {
    const name = await this.ensureTable(collection);
    // The last change per document wins: positions within a batch only grow.
    const last = new Map<string, DocumentChange>();
    for (const change of changes) last.set(change.id, change);
    const upserts = [...last.values()].filter((c) => c.op === 'upsert');
    const deletes = [...last.values()].filter((c) => c.op === 'delete');
    return this.transaction(async (client) => {
      // Row lock on the checkpoint (created at 0 when new): two runners of one projection take turns.
      await client.query('INSERT INTO projection_checkpoints (projection, position) VALUES ($1, 0) ON CONFLICT (projection) DO NOTHING', [
        projection,
      ]);
      const { rows } = await client.query<{ position: string }>(
        'SELECT position FROM projection_checkpoints WHERE projection = $1 FOR UPDATE',
        [projection],
      );
      if (Number(rows[0].position) !== expected) return 'checkpoint_mismatch';
      // Guarded by the document's position like the other adapters: never overwrite a later document.
      if (upserts.length) {
        await client.query(
          `INSERT INTO ${name} (id, doc, position) SELECT * FROM unnest($1::text[], $2::jsonb[], $3::bigint[])
           ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, position = excluded.position WHERE ${name}.position < excluded.position`,
          [
            upserts.map((c) => c.id),
            upserts.map((c) => storableJson(c.op === 'upsert' ? c.doc : null)),
            upserts.map((c) => (c.op === 'upsert' ? c.doc._position : 0)),
          ],
        );
      }
      if (deletes.length) {
        await client.query(
          `DELETE FROM ${name} USING unnest($1::text[], $2::bigint[]) AS d(id, position) WHERE ${name}.id = d.id AND ${name}.position < d.position`,
          [deletes.map((c) => c.id), deletes.map((c) => (c.op === 'delete' ? c.position : 0))],
        );
      }
      await client.query('UPDATE projection_checkpoints SET position = $2 WHERE projection = $1', [projection, next]);
      return 'applied';
    });
  }

  async dropCollection(collection: string): Promise<void> {
    const name = table(collection);
    await this.ddl((client) => client.query(`DROP TABLE IF EXISTS ${name}`));
    this.known.delete(name);
  }

  async swapCollection(source: string, target: string, projection: string, checkpoint: number, version?: number): Promise<void> {
    const from = await this.ensureTable(source);
    const to = table(target);
    await this.ddl(async (client) => {
      // The shadow's indexes would keep their shadow names: drop them (the runtime recreates the
      // target's right after the swap), and give the primary key the target's name.
      const { rows } = await client.query<{ indexname: string }>(
        'SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 AND indexname <> $2',
        [from, primaryKeyName(from)],
      );
      for (const index of rows) await client.query(`DROP INDEX ${index.indexname}`);
      await client.query(`DROP TABLE IF EXISTS ${to}`);
      await client.query(`ALTER TABLE ${from} RENAME TO ${to}`);
      await client.query(`ALTER TABLE ${to} RENAME CONSTRAINT ${primaryKeyName(from)} TO ${primaryKeyName(to)}`);
      await client.query(
        `INSERT INTO projection_checkpoints (projection, position, version) VALUES ($1, $2, $3)
         ON CONFLICT (projection) DO UPDATE SET position = excluded.position, version = coalesce(excluded.version, projection_checkpoints.version)`,
        [projection, checkpoint, version ?? null],
      );
    });
    this.known.delete(from);
    this.known.add(to);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('read store is closed');
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
