import { EventEmitter } from 'node:events';
import { Client, Pool } from 'pg';
import { AllFilter, AppendResult, EventStore, EventSubscription, ExpectedRevision, NewEvent } from '../event-store.port';
import { ReadAllOptions, ReadStreamOptions, RecordedEvent, SubscribeOptions, WrongExpectedRevisionError } from '../event-store.port';
import { ChainAnchor, ChainVerifier, EventRow, GENESIS_HASH, IntegrityReport, linkOfRow } from '../hash-chain';
import { pollingSubscription } from '../polling-subscription';
import { uuidV7 } from '../sqlite/sqlite-event-store';
import { describePostgresUrl, postgresPoolConfig } from './postgres-connection';

/** Channel of the NOTIFY sent by every append (payload: the new head position). */
export const EVENTS_CHANNEL = 'salesline_events_appended';
/**
 * Advisory lock keys (database-wide): the append lock serialises appends so that positions are
 * handed out in commit order (ADR 0009); the schema lock serialises start-up DDL of processes
 * starting at once.
 */
const APPEND_LOCK = 7_314_001;
const SCHEMA_LOCK = 7_314_000;

/** The recording instant as the hash covers it: ISO-8601 UTC with milliseconds, as `Date.toISOString()` spells it. */
const RECORDED_AT_ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position       bigint      PRIMARY KEY,
  id             text        NOT NULL UNIQUE,
  stream_name    text        NOT NULL,
  revision       bigint      NOT NULL,
  type           text        NOT NULL,
  data           json        NOT NULL,
  metadata       json        NOT NULL,
  actor          text        NOT NULL,
  correlation_id text        NOT NULL,
  recorded_at    timestamptz NOT NULL,
  hash           text,
  previous_hash  text,
  UNIQUE (stream_name, revision)
);
CREATE INDEX IF NOT EXISTS events_by_type ON events (type, position);

-- The link of one event in the hash chain (ADR 0010): sha256 over the previous hash, a newline and
-- the JSON array [position, id, stream, revision, type, data text, metadata text, recordedAt ISO],
-- byte for byte what chainHash (hash-chain.ts) computes, so Node verifies what SQL wrote.
CREATE OR REPLACE FUNCTION event_chain_hash(
  p_previous text, p_position bigint, p_id text, p_stream text, p_revision bigint, p_type text,
  p_data text, p_metadata text, p_recorded_at timestamptz
) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(
    p_previous || chr(10) || '[' || p_position::text || ',' || to_json(p_id)::text || ',' || to_json(p_stream)::text || ','
    || p_revision::text || ',' || to_json(p_type)::text || ',' || to_json(p_data)::text || ',' || to_json(p_metadata)::text || ','
    || to_json(${RECORDED_AT_ISO('p_recorded_at')})::text || ']',
    'UTF8')), 'hex')
$$;


CREATE OR REPLACE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE OR REPLACE TRIGGER events_are_append_only_no_update_or_delete
  BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION events_are_append_only();
CREATE OR REPLACE TRIGGER events_are_append_only_no_truncate
  BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION events_are_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON events FROM PUBLIC;

-- A table written before the chain gets it once, when the columns are added (as on SQLite): never
-- later, so a row a forger inserts without a hash stays without one and verification names it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = 'events' AND column_name = 'hash') THEN
    PERFORM pg_advisory_xact_lock(${APPEND_LOCK});
    ALTER TABLE events ADD COLUMN hash text, ADD COLUMN previous_hash text;
    ALTER TABLE events DISABLE TRIGGER events_are_append_only_no_update_or_delete;
    DECLARE
      v_previous text := '${GENESIS_HASH}';
      v_row record;
    BEGIN
      FOR v_row IN SELECT position, id, stream_name, revision, type, data::text AS data, metadata::text AS metadata, recorded_at
                   FROM events ORDER BY position LOOP
        UPDATE events SET previous_hash = v_previous,
          hash = event_chain_hash(v_previous, v_row.position, v_row.id, v_row.stream_name, v_row.revision, v_row.type,
                                  v_row.data, v_row.metadata, v_row.recorded_at)
        WHERE position = v_row.position
        RETURNING hash INTO v_previous;
      END LOOP;
    END;
    ALTER TABLE events ENABLE TRIGGER events_are_append_only_no_update_or_delete;
  END IF;
END $$;

-- One append, in one statement: check the expected revision, number the events after the head
-- and insert them, all under the append lock, which is released only after the commit is
-- visible. So a later position never becomes visible before an earlier one (no in-flight gap),
-- and positions run without gaps.
CREATE OR REPLACE FUNCTION append_events(
  p_stream text, p_expected text, p_ids text[], p_types text[], p_data text[], p_metadata text[],
  p_actors text[], p_correlation_ids text[], p_recorded_at timestamptz
) RETURNS TABLE (outcome text, actual_revision bigint, last_position bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_current bigint;
  v_head bigint;
  v_count int := cardinality(p_types);
  v_at timestamptz;
  v_previous text;
  v_hashes text[] := '{}';
  v_previous_hashes text[] := '{}';
BEGIN
  PERFORM pg_advisory_xact_lock(${APPEND_LOCK});
  -- A new statement, a new snapshot: every append that held the lock before is visible here.
  SELECT max(e.revision) INTO v_current FROM events e WHERE e.stream_name = p_stream;
  IF NOT (p_expected = 'any'
          OR (p_expected = 'no_stream' AND v_current IS NULL)
          OR (p_expected = 'stream_exists' AND v_current IS NOT NULL)
          OR (p_expected ~ '^[0-9]+$' AND coalesce(v_current = p_expected::bigint, false))) THEN
    RETURN QUERY SELECT 'wrong_expected_revision'::text, v_current, NULL::bigint;
    RETURN;
  END IF;
  SELECT coalesce(max(e.position), 0) INTO v_head FROM events e;
  -- Taken under the lock: recording times never decrease along the log.
  v_at := coalesce(p_recorded_at, date_trunc('milliseconds', clock_timestamp()));
  -- The hash chain, under the same lock: each event is chained to the head as it is now.
  SELECT e.hash INTO v_previous FROM events e WHERE e.position = v_head;
  v_previous := coalesce(v_previous, '${GENESIS_HASH}');
  FOR i IN 1..v_count LOOP
    v_previous_hashes := v_previous_hashes || v_previous;
    v_previous := event_chain_hash(v_previous, v_head + i, p_ids[i], p_stream, coalesce(v_current, -1) + i, p_types[i],
                                   p_data[i], p_metadata[i], v_at);
    v_hashes := v_hashes || v_previous;
  END LOOP;
  INSERT INTO events (position, id, stream_name, revision, type, data, metadata, actor, correlation_id, recorded_at, hash, previous_hash)
  SELECT v_head + i, p_ids[i], p_stream, coalesce(v_current, -1) + i, p_types[i], p_data[i]::json, p_metadata[i]::json,
         p_actors[i], p_correlation_ids[i], v_at, v_hashes[i], v_previous_hashes[i]
  FROM generate_subscripts(p_types, 1) AS i;
  PERFORM pg_notify('${EVENTS_CHANNEL}', (v_head + v_count)::text);
  RETURN QUERY SELECT 'appended'::text, coalesce(v_current, -1) + v_count, v_head + v_count;
END $$;
`;

type Row = {
  position: string;
  id: string;
  stream_name: string;
  revision: string;
  type: string;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  recorded_at: Date;
};

const COLUMNS = 'position, id, stream_name, revision, type, data, metadata, recorded_at';

const toRecorded = (row: Row): RecordedEvent => ({
  id: row.id,
  streamName: row.stream_name,
  revision: Number(row.revision),
  position: Number(row.position),
  type: row.type,
  data: row.data,
  metadata: row.metadata,
  recordedAt: row.recorded_at.toISOString(),
});

/** SQL for a stream-prefix and event-type filter (both optional, combined with AND); parameters from `$first`. */
const filterClause = (filter: AllFilter | undefined, first: number): { sql: string; params: unknown[] } => {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter?.streamPrefixes?.length) {
    params.push(filter.streamPrefixes);
    where.push(`EXISTS (SELECT 1 FROM unnest($${first}::text[]) AS prefix WHERE starts_with(stream_name, prefix))`);
  }
  if (filter?.eventTypes?.length) {
    params.push(filter.eventTypes);
    where.push(`type = ANY($${first + params.length - 1}::text[])`);
  }
  return { sql: where.length ? where.join(' AND ') : 'true', params };
};

export type PostgresEventStoreOptions = {
  /** Poll interval: the fallback when a notification is missed (listener connection down). */
  pollIntervalMs?: number;
  /** Recording time from this clock instead of the database server's (tests). */
  clock?: () => Date;
  /** Connections in the pool (default 10). */
  maxConnections?: number;
};

/**
 * The event store on PostgreSQL. Appends run one at a time under an advisory lock held to the
 * commit, so global positions are gap-free and become visible in order: a subscriber reading
 * by position never skips an event that commits late (ADR 0009). Live subscriptions wake on
 * LISTEN/NOTIFY and poll as a fallback. Triggers refuse UPDATE, DELETE and TRUNCATE, and each
 * event stores its link of the global hash chain, computed in SQL under the append lock (ADR 0010).
 */
export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres' as const;
  private readonly appended = new EventEmitter();
  private readonly pollIntervalMs: number;
  private readonly clock: (() => Date) | undefined;
  private listener: Client | null = null;
  private listening: Promise<void> | null = null;
  private closed = false;

  private constructor(
    private readonly pool: Pool,
    private readonly url: string,
    options: PostgresEventStoreOptions,
  ) {
    this.appended.setMaxListeners(0);
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.clock = options.clock;
  }

  /** Connects and creates the schema when missing; fails with a clear message when unreachable. */
  static async connect(url: string, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    const pool = new Pool(postgresPoolConfig(url, options.maxConnections ?? 10));
    pool.on('error', () => undefined); // an idle connection dropped by the server: the pool replaces it
    try {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK})`);
        await client.query(SCHEMA);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new Error(`PostgreSQL event store at ${describePostgresUrl(url)}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return new PostgresEventStore(pool, url, options);
  }

  async append(streamName: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    const now = this.clock?.();
    const { rows } = await this.pool.query<{ outcome: string; actual_revision: string | null; last_position: string | null }>(
      'SELECT * FROM append_events($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [
        streamName,
        String(expectedRevision),
        events.map((e) => e.id ?? uuidV7(now?.getTime() ?? Date.now())),
        events.map((e) => e.type),
        events.map((e) => JSON.stringify(e.data ?? null)),
        events.map((e) => JSON.stringify(e.metadata)),
        events.map((e) => e.metadata.actor),
        events.map((e) => e.metadata.correlationId),
        now ?? null,
      ],
    );
    const [result] = rows;
    if (result.outcome !== 'appended') {
      throw new WrongExpectedRevisionError(
        streamName,
        expectedRevision,
        result.actual_revision === null ? 'no_stream' : Number(result.actual_revision),
      );
    }
    const position = Number(result.last_position);
    this.appended.emit('appended', position);
    return { nextRevision: Number(result.actual_revision), position };
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const params: unknown[] = [streamName, options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0), options.maxCount ?? null];
    let asOf = '';
    if (options.asOf !== undefined) {
      params.push(new Date(options.asOf));
      asOf = `AND recorded_at <= $${params.length}`;
    }
    if (options.idempotencyKey !== undefined) {
      params.push(options.idempotencyKey);
      asOf += ` AND metadata->>'idempotencyKey' = $${params.length}`;
    }
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM events WHERE stream_name = $1 AND revision ${backwards ? '<=' : '>='} $2 ${asOf}
       ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      params,
    );
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const where = filterClause(options.filter, 3);
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM events WHERE position > $1 AND ${where.sql} ORDER BY position ASC LIMIT $2`,
      [options.afterPosition ?? 0, options.maxCount ?? 1000, ...where.params],
    );
    return rows.map(toRecorded);
  }

  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    void this.listen();
    return pollingSubscription({
      afterPosition: options.afterPosition ?? 0,
      read: (after, max) => this.readAll({ afterPosition: after, maxCount: max, filter: options.filter }),
      scannedUpTo: async () => {
        // Re-establish a dropped listener; meanwhile polling carries the subscription.
        if (!this.listener && !this.closed) void this.listen();
        return this.headPosition();
      },
      onAppend: (listener) => {
        this.appended.on('appended', listener);
        return () => this.appended.off('appended', listener);
      },
      pollIntervalMs: this.pollIntervalMs,
    });
  }

  /** One LISTEN connection per store: a NOTIFY from any process wakes every subscription here. */
  private listen(): Promise<void> {
    if (this.closed || this.listener) return Promise.resolve();
    this.listening ??= (async () => {
      const client = new Client(postgresPoolConfig(this.url, 1));
      const drop = () => {
        if (this.listener === client) this.listener = null;
        void client.end().catch(() => undefined);
      };
      client.on('error', drop);
      client.on('end', drop);
      client.on('notification', (message) => this.appended.emit('appended', Number(message.payload)));
      try {
        await client.connect();
        await client.query(`LISTEN ${EVENTS_CHANNEL}`);
        if (this.closed) return drop();
        this.listener = client;
      } catch {
        drop();
      }
    })().finally(() => {
      this.listening = null;
    });
    return this.listening;
  }

  async headPosition(filter?: AllFilter): Promise<number> {
    let sql: string;
    let params: unknown[] = [];
    if (!filter?.streamPrefixes?.length && !filter?.eventTypes?.length) sql = 'SELECT max(position) AS position FROM events';
    else if (!filter.streamPrefixes?.length) {
      // One backward index seek per type on events_by_type (type, position).
      sql = `SELECT max(last.position) AS position FROM unnest($1::text[]) AS t(type),
             LATERAL (SELECT max(position) AS position FROM events WHERE events.type = t.type) AS last`;
      params = [filter.eventTypes];
    } else {
      const where = filterClause(filter, 1);
      sql = `SELECT position FROM events WHERE ${where.sql} ORDER BY position DESC LIMIT 1`;
      params = where.params;
    }
    const { rows } = await this.pool.query<{ position: string | null }>(sql, params);
    return Number(rows[0]?.position ?? 0);
  }

  /**
   * Walks the whole log from position 1 and names the first event whose hash, link or position
   * does not match (ADR 0010). The hashes were computed in SQL under the append lock; they are
   * checked here with `chainHash`, so a drift between the two is caught as well as a forgery.
   */
  async verifyIntegrity(options: { anchor?: ChainAnchor } = {}): Promise<IntegrityReport> {
    const verifier = new ChainVerifier({ sequential: true, coversPosition: true, anchor: options.anchor });
    const page = 1000;
    let after = 0;
    for (;;) {
      const { rows } = await this.pool.query<EventRow & Readonly<{ position: string }>>(
        `SELECT position, id, stream_name, revision, type, data::text AS data, metadata::text AS metadata,
                ${RECORDED_AT_ISO('recorded_at')} AS recorded_at, hash, previous_hash
         FROM events WHERE position > $1 ORDER BY position LIMIT $2`,
        [after, page],
      );
      for (const row of rows) {
        if (!verifier.check(linkOfRow(row))) return verifier.report();
      }
      if (rows.length < page) return verifier.report();
      after = Number(rows[rows.length - 1].position);
    }
  }

  /** The head link of the chain, to be kept elsewhere (see audit:anchor). */
  async chainHead(): Promise<ChainAnchor> {
    const { rows } = await this.pool.query<{ position: string; id: string; hash: string | null }>(
      'SELECT position, id, hash FROM events ORDER BY position DESC LIMIT 1',
    );
    const last = rows[0];
    return {
      position: Number(last?.position ?? 0),
      eventId: last?.id ?? '',
      hash: last?.hash ?? GENESIS_HASH,
      anchoredAt: (this.clock?.() ?? new Date()).toISOString(),
    };
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('event store is closed');
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.appended.emit('closed');
    await this.listening?.catch(() => undefined);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    await this.pool.end();
  }
}
