import Database, { Statement } from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { AllFilter, AppendResult, EventStore, EventSubscription, ExpectedRevision } from '../event-store.port';
import { NewEvent, ReadAllOptions, ReadStreamOptions, RecordedEvent, Snapshot } from '../event-store.port';
import { SnapshotStore, SubscribeOptions, WrongExpectedRevisionError } from '../event-store.port';
import { pollingSubscription } from '../polling-subscription';
import { ChainAnchor, chainHash, ChainVerifier, EventRow, GENESIS_HASH, IntegrityReport, linkOfRow } from '../hash-chain';

type Row = EventRow & Readonly<{ position: number; revision: number }>;

/** The columns a recorded event is made of: reads leave out the chain and the indexed copies (actor, correlation id). */
const RECORDED_COLUMNS = 'position, id, stream_name, revision, type, data, metadata, recorded_at';
type RecordedRow = Pick<Row, 'position' | 'id' | 'stream_name' | 'revision' | 'type' | 'data' | 'metadata' | 'recorded_at'>;

const TABLE = `
CREATE TABLE IF NOT EXISTS events (
  position       INTEGER PRIMARY KEY,
  id             TEXT    NOT NULL UNIQUE,
  stream_name    TEXT    NOT NULL,
  revision       INTEGER NOT NULL,
  type           TEXT    NOT NULL,
  data           TEXT    NOT NULL,
  metadata       TEXT    NOT NULL,
  actor          TEXT    NOT NULL,
  correlation_id TEXT    NOT NULL,
  recorded_at    TEXT    NOT NULL,
  hash           TEXT,
  previous_hash  TEXT,
  UNIQUE (stream_name, revision)
);
CREATE INDEX IF NOT EXISTS events_by_type ON events (type, position);
CREATE INDEX IF NOT EXISTS events_by_idempotency_key ON events (stream_name, json_extract(metadata, '$.idempotencyKey'))
  WHERE json_extract(metadata, '$.idempotencyKey') IS NOT NULL;
CREATE TABLE IF NOT EXISTS snapshots (
  stream_name TEXT    NOT NULL,
  fold        TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  position    INTEGER NOT NULL,
  state       BLOB    NOT NULL,
  PRIMARY KEY (stream_name, fold)
);
`;

/**
 * Append-only, enforced in the file itself, for every connection: UPDATE and DELETE are refused,
 * and so is any INSERT that would take an existing position, id or (stream, revision) — which is
 * how INSERT OR REPLACE / REPLACE would otherwise delete the old row without firing the DELETE
 * trigger (recursive_triggers is off by default, per connection) — or that is not the next position.
 */
const TRIGGERS = `
CREATE TRIGGER IF NOT EXISTS events_are_append_only_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS events_are_append_only_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;
CREATE TRIGGER IF NOT EXISTS events_are_append_only_no_overwrite BEFORE INSERT ON events
WHEN EXISTS (SELECT 1 FROM events WHERE position = NEW.position OR id = NEW.id OR (stream_name = NEW.stream_name AND revision = NEW.revision))
BEGIN SELECT RAISE(ABORT, 'events are append-only: overwriting an event refused'); END;
CREATE TRIGGER IF NOT EXISTS events_are_append_only_next_position BEFORE INSERT ON events
WHEN NEW.position IS NOT (SELECT coalesce(max(position), 0) + 1 FROM events)
BEGIN SELECT RAISE(ABORT, 'events are append-only: only the next position may be inserted'); END;
`;

/**
 * Random bytes for ids, drawn from the system's generator 256 ids at a time (as crypto.randomUUID
 * does): one call into the generator per id cost about a tenth of a single append.
 */
const RANDOM_BLOCK = 16 * 256;
let randomPool = Buffer.alloc(0);
let randomOffset = RANDOM_BLOCK;

/**
 * Time-ordered UUIDs (RFC 9562 v7) for event ids: new ids land at the right edge of the unique
 * index instead of at random pages, which doubles the append rate of large batches. The 16 bytes
 * are stamped in place in the pool (no Buffer view per id).
 */
export const uuidV7 = (epochMs: number): string => {
  if (randomOffset >= RANDOM_BLOCK) {
    randomPool = randomBytes(RANDOM_BLOCK);
    randomOffset = 0;
  }
  const at = randomOffset;
  randomOffset += 16;
  const pool = randomPool;
  pool.writeUIntBE(epochMs, at, 6);
  pool[at + 6] = (pool[at + 6] & 0x0f) | 0x70;
  pool[at + 8] = (pool[at + 8] & 0x3f) | 0x80;
  const hex = pool.toString('hex', at, at + 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** SQL for a stream-prefix and event-type filter (both optional, combined with AND). */
const filterClause = (filter: AllFilter): { sql: string; params: unknown[] } => {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.streamPrefixes?.length) {
    where.push(`(${filter.streamPrefixes.map(() => 'substr(stream_name, 1, ?) = ?').join(' OR ')})`);
    for (const p of filter.streamPrefixes) params.push(p.length, p);
  }
  if (filter.eventTypes?.length) {
    where.push(`type IN (${filter.eventTypes.map(() => '?').join(',')})`);
    params.push(...filter.eventTypes);
  }
  return { sql: where.length ? where.join(' AND ') : '1', params };
};

/**
 * The read of the log after a position through a filter. With event types, one index search per type on
 * events_by_type (type, position), merged in position order: the cost follows the events that match, never the
 * length of the log after the position (`type IN (…) ORDER BY position` makes SQLite sort, and a stream prefix
 * alone walks every later event). Exported for the query-plan spec.
 */
export const filteredReadSql = (filter: AllFilter): { sql: string; params: (afterPosition: number, maxCount: number) => unknown[] } => {
  const types = [...new Set(filter.eventTypes ?? [])];
  if (!types.length) {
    const where = filterClause(filter);
    return {
      sql: `SELECT ${RECORDED_COLUMNS} FROM events WHERE position > ? AND ${where.sql} ORDER BY position ASC LIMIT ?`,
      params: (after, max) => [after, ...where.params, max],
    };
  }
  const prefixes = filterClause({ streamPrefixes: filter.streamPrefixes });
  const branch = `SELECT ${RECORDED_COLUMNS} FROM events WHERE type = ? AND position > ? AND ${prefixes.sql}`;
  return {
    sql: `SELECT * FROM (${types.map(() => branch).join(' UNION ALL ')}) ORDER BY position ASC LIMIT ?`,
    params: (after, max) => [...types.flatMap((type) => [type, after, ...prefixes.params]), max],
  };
};

/**
 * The read of one stream from a revision, forwards or backwards, on the (stream_name, revision) index; the
 * recorded_at predicate only when `asOf` is asked (commands never ask it). Exported for the query-plan spec.
 */
export const streamReadSql = (direction: 'forwards' | 'backwards', asOf: boolean): string =>
  `SELECT ${RECORDED_COLUMNS} FROM events WHERE stream_name = ? AND revision ${direction === 'forwards' ? '>=' : '<='} ?` +
  `${asOf ? ' AND recorded_at <= ?' : ''} ORDER BY revision ${direction === 'forwards' ? 'ASC' : 'DESC'} LIMIT ?`;

const toRecorded = (row: RecordedRow): RecordedEvent => ({
  id: row.id,
  streamName: row.stream_name,
  revision: row.revision,
  position: row.position,
  type: row.type,
  data: JSON.parse(row.data),
  metadata: JSON.parse(row.metadata),
  recordedAt: row.recorded_at,
});

/** Files written before the hash chain get their chain once, on open (triggers are created after). */
const migrateToHashChain = (db: Database.Database) => {
  const columns = db
    .prepare<[], { name: string }>('PRAGMA table_info(events)')
    .all()
    .map((c) => c.name);
  if (columns.includes('hash')) return;
  db.transaction(() => {
    db.exec('DROP TRIGGER IF EXISTS events_are_append_only_no_update');
    db.exec('ALTER TABLE events ADD COLUMN hash TEXT');
    db.exec('ALTER TABLE events ADD COLUMN previous_hash TEXT');
    const update = db.prepare('UPDATE events SET hash = ?, previous_hash = ? WHERE position = ?');
    const page = db.prepare<[number], Row>('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT 1000');
    let previous = GENESIS_HASH;
    for (let after = 0, rows = page.all(after); rows.length > 0; after = rows[rows.length - 1].position, rows = page.all(after)) {
      for (const row of rows) {
        const hash = chainHash(linkOfRow(row), previous);
        update.run(hash, previous, row.position);
        previous = hash;
      }
    }
  })();
};

type PendingAppend = {
  streamName: string;
  events: readonly NewEvent[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
};
/** The last link of the hash chain as a write transaction sees it. */
type ChainHead = { position: number; hash: string };
type AppendOutcome = { result: AppendResult } | { error: unknown };

/** One group commit: how many appends (and events) one transaction, one fsync, carried. */
export type GroupCommit = Readonly<{ appends: number; events: number }>;

export type SqliteEventStoreOptions = {
  /** Poll interval for appends made by other processes on the same file. */
  pollIntervalMs?: number;
  clock?: () => Date;
};

/**
 * The embedded event store: one SQLite file in WAL mode with synchronous=FULL, so an
 * acknowledged append has been fsynced. Positions are assigned max+1 inside the write
 * transaction, so the global order is gap-free; triggers make the table append-only.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly appended = new EventEmitter();
  private readonly pollIntervalMs: number;
  private readonly clock: () => Date;
  private readonly stmts;
  private closed = false;
  /** Snapshots live in the same file as the events, in their own (mutable) table. */
  readonly snapshots: SnapshotStore;
  /** Appends waiting for the next group commit, in arrival order. */
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  private readonly commitGroup: (group: readonly PendingAppend[]) => AppendOutcome[];

  constructor(file: string, options: SqliteEventStoreOptions = {}) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(TABLE);
    migrateToHashChain(this.db);
    this.db.exec(TRIGGERS);
    this.appended.setMaxListeners(0);
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.clock = options.clock ?? (() => new Date());
    this.stmts = {
      streamRevision: this.db.prepare<[string], number | null>('SELECT max(revision) FROM events WHERE stream_name = ?').pluck(),
      // What a lone append checks and chains to, in one statement: its stream's revision and the chain's head.
      appendState: this.db
        .prepare<[string], [number | null, number | null, string | null]>(
          // Scalar subqueries, each one index seek (a join on the last row would be materialised in a temporary table).
          `SELECT (SELECT max(revision) FROM events WHERE stream_name = ?), (SELECT max(position) FROM events),
                  (SELECT hash FROM events ORDER BY position DESC LIMIT 1)`,
        )
        .raw(),
      head: this.db.prepare<[], { position: number | null }>('SELECT max(position) AS position FROM events'),
      lastLink: this.db.prepare<[], { position: number; id: string; hash: string | null }>(
        'SELECT position, id, hash FROM events ORDER BY position DESC LIMIT 1',
      ),
      insert: this.db.prepare(
        `INSERT INTO events (position, id, stream_name, revision, type, data, metadata, actor, correlation_id, recorded_at, hash, previous_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      links: this.db.prepare<[number, number], Row>('SELECT * FROM events WHERE position > ? ORDER BY position ASC LIMIT ?'),
      forwards: this.db.prepare<[string, number, number], RecordedRow>(streamReadSql('forwards', false)),
      backwards: this.db.prepare<[string, number, number], RecordedRow>(streamReadSql('backwards', false)),
      forwardsAsOf: this.db.prepare<[string, number, string, number], RecordedRow>(streamReadSql('forwards', true)),
      backwardsAsOf: this.db.prepare<[string, number, string, number], RecordedRow>(streamReadSql('backwards', true)),
      all: this.db.prepare<[number, number], RecordedRow>(
        `SELECT ${RECORDED_COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`,
      ),
      byIdempotencyKey: this.db.prepare<[string, string], RecordedRow>(
        `SELECT ${RECORDED_COLUMNS} FROM events INDEXED BY events_by_idempotency_key WHERE stream_name = ? AND json_extract(metadata, '$.idempotencyKey') = ? ORDER BY revision ASC`,
      ),
      readSnapshot: this.db.prepare<[string, string], { revision: number; position: number; state: Buffer }>(
        'SELECT revision, position, state FROM snapshots WHERE stream_name = ? AND fold = ?',
      ),
      writeSnapshot: this.db.prepare(
        `INSERT INTO snapshots (stream_name, fold, revision, position, state) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (stream_name, fold) DO UPDATE SET revision = excluded.revision, position = excluded.position, state = excluded.state
         WHERE excluded.revision > snapshots.revision`,
      ),
      dropOtherSnapshots: this.db.prepare('DELETE FROM snapshots WHERE stream_name = ? AND fold <> ?'),
    };
    const writeSnapshot = this.db.transaction((stream: string, fold: string, snapshot: Snapshot, state: Buffer) => {
      this.stmts.dropOtherSnapshots.run(stream, fold);
      this.stmts.writeSnapshot.run(stream, fold, snapshot.revision, snapshot.position, state);
    });
    this.snapshots = {
      read: async (stream, fold) => {
        const row = this.stmts.readSnapshot.get(stream, fold);
        return row ? { revision: row.revision, position: row.position, state: deserialize(row.state) } : null;
      },
      write: async (stream, fold, snapshot) => {
        writeSnapshot.immediate(stream, fold, snapshot, serialize(snapshot.state));
      },
    };
    // Each append runs in its own savepoint inside the group's transaction: one that fails its
    // revision check (or a constraint) is undone alone, and the others still commit.
    // The chain's head is read once per group (the write lock is held from its start) and carried from
    // one append to the next; an append that fails leaves it where it was.
    const appendOne = this.db.transaction(this.appendTx);
    const group = this.db.transaction((appends: readonly PendingAppend[]): AppendOutcome[] => {
      const head: ChainHead = this.chainHeadRow();
      return appends.map((a) => {
        try {
          return { result: appendOne(a.streamName, a.events, a.expected, this.stmts.streamRevision.get(a.streamName) ?? null, head) };
        } catch (error) {
          return { error };
        }
      });
    });
    // A lone append needs no savepoint: if it fails, its transaction is all there is to undo.
    const alone = this.db.transaction((a: PendingAppend) => {
      const [revision, position, hash] = this.stmts.appendState.get(a.streamName)!;
      return this.appendTx(a.streamName, a.events, a.expected, revision, { position: position ?? 0, hash: hash ?? GENESIS_HASH });
    });
    this.commitGroup = (appends) => {
      if (appends.length > 1) return group.immediate(appends);
      try {
        return [{ result: alone.immediate(appends[0]) }];
      } catch (error) {
        return [{ error }];
      }
    };
  }

  private chainHeadRow(): ChainHead {
    const last = this.stmts.lastLink.get();
    return { position: last?.position ?? 0, hash: last?.hash ?? GENESIS_HASH };
  }

  private readonly appendTx = (
    streamName: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    current: number | null,
    head: ChainHead,
  ): AppendResult => {
    const actual = current === null ? 'no_stream' : current;
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && current === null) ||
      (expected === 'stream_exists' && current !== null) ||
      (typeof expected === 'number' && current === expected);
    if (!ok) throw new WrongExpectedRevisionError(streamName, expected, actual);
    let position = head.position;
    let previousHash = head.hash;
    let revision = current ?? -1;
    const now = this.clock();
    const recordedAt = now.toISOString();
    for (const event of events) {
      position += 1;
      revision += 1;
      const id = event.id ?? uuidV7(now.getTime());
      const data = JSON.stringify(event.data ?? null);
      const metadata = JSON.stringify(event.metadata);
      const hash = chainHash(
        { position, id, streamName, revision, type: event.type, dataJson: data, metadataJson: metadata, recordedAt },
        previousHash,
      );
      // Positional parameters, in the column order of the statement (named ones cost a lookup each).
      const { actor, correlationId } = event.metadata;
      this.stmts.insert.run(
        position,
        id,
        streamName,
        revision,
        event.type,
        data,
        metadata,
        actor,
        correlationId,
        recordedAt,
        hash,
        previousHash,
      );
      previousHash = hash;
    }
    head.position = position;
    head.hash = previousHash;
    return { nextRevision: revision, position };
  };

  /**
   * Group commit: appends that arrive in the same turn of the event loop (concurrent requests)
   * are written in one transaction, so one fsync covers them all. Each is still checked against
   * its own expected revision, in arrival order, and each promise settles only after the commit.
   */
  append(streamName: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) return Promise.reject(new Error('append needs at least one event'));
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ streamName, events, expected: expectedRevision, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const group = this.pending;
    this.pending = [];
    if (group.length === 0) return;
    let outcomes: AppendOutcome[];
    try {
      outcomes = this.commitGroup(group);
    } catch (err) {
      for (const append of group) append.reject(err);
      return;
    }
    let position = 0;
    let appends = 0;
    let events = 0;
    for (let i = 0; i < outcomes.length; i++) {
      const outcome = outcomes[i];
      if ('result' in outcome) {
        position = Math.max(position, outcome.result.position);
        appends += 1;
        events += group[i].events.length;
        group[i].resolve(outcome.result);
      } else group[i].reject(outcome.error);
    }
    if (appends > 0) {
      this.appended.emit('committed', { appends, events } satisfies GroupCommit);
      this.appended.emit('appended', position);
    }
  };

  /** Called after each group commit with how many appends and events it carried (metrics). */
  onCommit(listener: (commit: GroupCommit) => void): () => void {
    this.appended.on('committed', listener);
    return () => this.appended.off('committed', listener);
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    // recorded_at is compared as text: normalise asOf to the same UTC millisecond form first
    // ('…T12:00:00+02:00' or '…T10:00:00Z' would otherwise compare wrongly as strings).
    const asOf = options.asOf === undefined ? undefined : new Date(options.asOf).toISOString();
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (options.idempotencyKey !== undefined) {
      const rows = this.stmts.byIdempotencyKey.all(streamName, options.idempotencyKey).map(toRecorded);
      return (asOf === undefined ? rows : rows.filter((e) => e.recordedAt <= asOf)).slice(0, max);
    }
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    // Without asOf (every command's load), the statement without the recorded_at predicate.
    const rows =
      asOf === undefined
        ? (backwards ? this.stmts.backwards : this.stmts.forwards).all(streamName, from, max)
        : (backwards ? this.stmts.backwardsAsOf : this.stmts.forwardsAsOf).all(streamName, from, asOf, max);
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllSync(options.afterPosition ?? 0, options.maxCount ?? 1000, options.filter);
  }

  private readAllSync(afterPosition: number, maxCount: number, filter?: AllFilter): RecordedEvent[] {
    if (!filter?.streamPrefixes?.length && !filter?.eventTypes?.length) {
      return this.stmts.all.all(afterPosition, maxCount).map(toRecorded);
    }
    const read = filteredReadSql(filter);
    return this.statementFor(read.sql)
      .all(...read.params(afterPosition, maxCount))
      .map(toRecorded);
  }

  /** Filtered reads come back with the same few filters (subscriptions, the access registry): each is prepared once. */
  private readonly filteredStatements = new Map<string, Statement<unknown[], RecordedRow>>();
  private statementFor(sql: string): Statement<unknown[], RecordedRow> {
    let statement = this.filteredStatements.get(sql);
    if (!statement) {
      if (this.filteredStatements.size >= 256) this.filteredStatements.clear();
      statement = this.db.prepare<unknown[], RecordedRow>(sql);
      this.filteredStatements.set(sql, statement);
    }
    return statement;
  }

  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    return pollingSubscription({
      afterPosition: options.afterPosition ?? 0,
      read: (after, max) => this.readAllSync(after, max, options.filter),
      scannedUpTo: () => this.stmts.head.get()?.position ?? 0,
      onAppend: (listener) => {
        this.appended.on('appended', listener);
        return () => this.appended.off('appended', listener);
      },
      pollIntervalMs: this.pollIntervalMs,
    });
  }

  async sizeBytes(): Promise<number> {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    return pages * pageSize;
  }

  watch(listener: () => void): () => void {
    this.appended.on('appended', listener);
    return () => this.appended.off('appended', listener);
  }

  async headPosition(filter?: AllFilter): Promise<number> {
    if (!filter?.streamPrefixes?.length && !filter?.eventTypes?.length) return this.stmts.head.get()?.position ?? 0;
    if (!filter.streamPrefixes?.length) {
      // One index seek per type on events_by_type (type, position): max() of one type is a seek to its last
      // entry, where `type IN (…)` would walk every entry of the types. Asked before each authenticated request.
      const types = [...new Set(filter.eventTypes!)];
      const sql = `SELECT max(${types.map(() => 'coalesce((SELECT max(position) FROM events WHERE type = ?), 0)').join(', ')}, 0) AS position`;
      return (this.statementFor(sql) as unknown as Statement<unknown[], { position: number | null }>).get(...types)?.position ?? 0;
    }
    const where = filterClause(filter);
    return (
      this.db
        .prepare<unknown[], { position: number }>(`SELECT position FROM events WHERE ${where.sql} ORDER BY position DESC LIMIT 1`)
        .get(...where.params)?.position ?? 0
    );
  }

  /** Walks the whole log from position 1 and names the first event whose hash, link or position does not match. */
  async verifyIntegrity(options: { anchor?: ChainAnchor } = {}): Promise<IntegrityReport> {
    const verifier = new ChainVerifier({ sequential: true, coversPosition: true, anchor: options.anchor });
    let after = 0;
    for (;;) {
      const rows = this.stmts.links.all(after, 1000);
      for (const row of rows) if (!verifier.check(linkOfRow(row))) return verifier.report();
      if (rows.length < 1000) return verifier.report();
      after = rows[rows.length - 1].position;
      // Let requests run between pages of a long walk.
      await new Promise((r) => setImmediate(r));
    }
  }

  /** The head link of the chain, to be kept elsewhere (see audit:anchor). */
  async chainHead(): Promise<ChainAnchor> {
    const last = this.stmts.lastLink.get();
    return {
      position: last?.position ?? 0,
      eventId: last?.id ?? '',
      hash: last?.hash ?? GENESIS_HASH,
      anchoredAt: this.clock().toISOString(),
    };
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('event store is closed');
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush(); // appends already accepted are committed before the file closes
    this.closed = true;
    this.appended.emit('closed');
    this.db.close();
  }
}
