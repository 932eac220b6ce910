import fc from 'fast-check';
import { Client } from 'pg';
import { describeOrSkip } from '../../testing/contract-suite';
import { createTestDatabase, postgresGate, TestDatabase } from '../../testing/external-stores';
import { NewEvent } from '../event-store.port';
import { chainHash, ChainAnchor, EventRow, GENESIS_HASH, linkOfRow } from '../hash-chain';
import { PostgresEventStore } from './postgres-event-store';

// The hash chain on PostgreSQL (ADR 0010): computed in SQL under the append lock, verified in Node.
// Each case gets a database of its own; the forger connects as the superuser and disables the triggers first.
const gate = postgresGate();
const skipReason = gate.enabled ? undefined : gate.reason;
const databases: TestDatabase[] = [];
const stores: PostgresEventStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close().catch(() => undefined)));
  await Promise.all(databases.map((d) => d.drop()));
}, 60_000);

const event = (type: string, data: unknown, actor = 'fiona'): NewEvent => ({
  type,
  data,
  metadata: { actor, correlationId: 'c-1', causationId: null, occurredAt: '2025-01-01T00:00:00.000Z', schemaVersion: 1 },
});

const open = async (url: string) => {
  const store = await PostgresEventStore.connect(url, { pollIntervalMs: 50, maxConnections: 2 });
  stores.push(store);
  return store;
};

const freshDatabase = async () => {
  const database = await createTestDatabase();
  databases.push(database);
  return database.url;
};

type Fixture = { url: string; store: PostgresEventStore; anchor: ChainAnchor };

/** A log of five events in three streams, and the anchor of its head. */
const fiveEvents = async (): Promise<Fixture> => {
  const url = await freshDatabase();
  const store = await open(url);
  await store.append('order-1', [event('OrderPlaced', { total: 1000 }), event('OrderInvoiced', { amount: 1000 })], 'no_stream');
  await store.append('customer-1', [event('CustomerRegistered', { name: 'Acme' })], 'no_stream');
  await store.append('order-1', [event('OrderDelivered', { quantity: 3 })], 1);
  await store.append('payment-1', [event('PaymentReceived', { amount: 1000 })], 'no_stream');
  return { url, store, anchor: await store.chainHead() };
};

/** Connects as the superuser with the table's triggers disabled, as someone behind the system would. */
const behindTheBack = async (url: string, run: (client: Client) => Promise<void>) => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('ALTER TABLE events DISABLE TRIGGER USER');
    await client.query('GRANT UPDATE, DELETE, TRUNCATE ON events TO PUBLIC');
    await run(client);
  } finally {
    await client.end();
  }
};

type RawRow = EventRow & Readonly<{ position: number; revision: number; hash: string }>;
const rows = async (client: Client): Promise<RawRow[]> =>
  (
    await client.query<RawRow>(
      `SELECT position::int, id, stream_name, revision::int, type, data::text AS data, metadata::text AS metadata,
              to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at, hash, previous_hash
       FROM events ORDER BY position`,
    )
  ).rows;
/** What a forger who knows the algorithm computes for a row. */
const rehash = (row: RawRow, previous: string) => chainHash(linkOfRow(row), previous);

describeOrSkip('the PostgreSQL hash chain is the one Node computes', skipReason, () => {
  it('links every event to the one before it, from the genesis hash, and anchors the head', async () => {
    const { url, store, anchor } = await fiveEvents();
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const all = await rows(client);
      let previous = GENESIS_HASH;
      for (const row of all) {
        expect(row.previous_hash).toBe(previous);
        expect(row.hash).toBe(rehash(row, previous));
        previous = row.hash;
      }
      expect(anchor).toMatchObject({ position: 5, eventId: all[4].id, hash: previous });
    } finally {
      await client.end();
    }
    expect(await store.verifyIntegrity({ anchor })).toEqual({
      ok: true,
      checked: 5,
      head: { position: 5, hash: anchor.hash, eventId: anchor.eventId },
    });
  });

  it('hashes any text the way chainHash does: quotes, backslashes, control characters, \\u0000 in data, any script, emoji', async () => {
    const store = await open(await freshDatabase());
    // Text columns (stream, type, actor) cannot hold U+0000 on PostgreSQL; JSON data carries it escaped.
    const text = fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !s.includes('\u0000'));
    const runs = 40;
    await fc.assert(
      fc.asyncProperty(text, text, fc.jsonValue(), async (name, type, data) => {
        await store.append(`weird-${name}`, [event(`T${type}`, { data, nul: `a\u0000${name}` }, `actor ${name}`)], 'any');
      }),
      { numRuns: runs, endOnFailure: true },
    );
    expect(await store.verifyIntegrity()).toMatchObject({ ok: true, checked: runs });
  });

  it('keeps one chain while appenders in separate connection pools write at once (the hash is taken under the append lock)', async () => {
    const url = await freshDatabase();
    const writers = await Promise.all([0, 1, 2, 3].map(() => open(url)));
    await Promise.all(
      writers.map(async (writer, w) => {
        for (let i = 0; i < 15; i += 1)
          await writer.append(`busy-${w}`, [event('Tick', { w, i }), event('Tock', { w, i })], i === 0 ? 'no_stream' : i * 2 - 1);
      }),
    );
    expect(await writers[0].verifyIntegrity()).toMatchObject({ ok: true, checked: 120, head: { position: 120 } });
  });

  it('builds the chain once for a table written before it existed, then keeps it', async () => {
    const url = await freshDatabase();
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`CREATE TABLE events (position bigint PRIMARY KEY, id text NOT NULL UNIQUE, stream_name text NOT NULL,
        revision bigint NOT NULL, type text NOT NULL, data json NOT NULL, metadata json NOT NULL, actor text NOT NULL,
        correlation_id text NOT NULL, recorded_at timestamptz NOT NULL, UNIQUE (stream_name, revision))`);
      await client.query(`INSERT INTO events VALUES
        (1, 'e1', 'order-1', 0, 'OrderPlaced', '{ "total" : 1 }', '{"actor":"a"}', 'a', 'c', '2024-01-01T00:00:00.123Z'),
        (2, 'e2', 'order-1', 1, 'OrderInvoiced', '{}', '{"actor":"a"}', 'a', 'c', '2024-01-02T00:00:00Z')`);
    } finally {
      await client.end();
    }
    const store = await open(url);
    await store.append('order-1', [event('OrderDelivered', {})], 1);
    expect(await store.verifyIntegrity()).toMatchObject({ ok: true, checked: 3 });
    const again = await open(url); // a second start does not rebuild (or launder) anything
    expect(await again.verifyIntegrity()).toMatchObject({ ok: true, checked: 3 });
  });
});

describeOrSkip('the PostgreSQL hash chain names the first event changed behind the system, triggers disabled first', skipReason, () => {
  it.each([
    ['its data', `UPDATE events SET data = '{"amount":1}' WHERE position = 2`, 2],
    ['its actor', `UPDATE events SET metadata = replace(metadata::text, '"fiona"', '"mallory"')::json WHERE position = 3`, 3],
    ['its recording time', `UPDATE events SET recorded_at = '2020-01-01T00:00:00Z' WHERE position = 4`, 4],
    ['its type', `UPDATE events SET type = 'OrderCancelled' WHERE position = 2`, 2],
    ['its stream', `UPDATE events SET stream_name = 'order-2' WHERE position = 3`, 3],
    ['its revision', `UPDATE events SET revision = 7 WHERE position = 5`, 5],
    ['its id', `UPDATE events SET id = 'forged' WHERE position = 1`, 1],
    [
      'its data, with an upsert',
      `INSERT INTO events SELECT * FROM events WHERE position = 2 ON CONFLICT (position) DO UPDATE SET data = '{}'`,
      2,
    ],
    ['its hash', `UPDATE events SET hash = repeat('a', 64) WHERE position = 5`, 5],
  ])('names an event when %s was changed', async (_what, statement, position) => {
    const { url, store } = await fiveEvents();
    await behindTheBack(url, async (client) => {
      expect((await client.query(statement)).rowCount).toBe(1);
    });
    expect(await store.verifyIntegrity()).toMatchObject({ ok: false, firstMismatch: { problem: 'content_altered', position } });
  });

  it('names the next event when the edited one was rehashed by someone who knows the algorithm', async () => {
    const { url, store } = await fiveEvents();
    await behindTheBack(url, async (client) => {
      const [first, second] = await rows(client);
      const data = '{"amount":1}';
      await client.query('UPDATE events SET data = $1, hash = $2 WHERE position = 2', [data, rehash({ ...second, data }, first.hash)]);
    });
    expect(await store.verifyIntegrity()).toMatchObject({ ok: false, firstMismatch: { problem: 'chain_broken', position: 3 } });
  });

  it('names the gap where an event was deleted', async () => {
    const { url, store } = await fiveEvents();
    await behindTheBack(url, async (client) => {
      await client.query('DELETE FROM events WHERE position = 2');
    });
    expect(await store.verifyIntegrity()).toMatchObject({ ok: false, firstMismatch: { problem: 'position_gap', position: 3 } });
  });

  it('names a deleted event whose successors were renumbered', async () => {
    const { url, store } = await fiveEvents();
    await behindTheBack(url, async (client) => {
      await client.query('DELETE FROM events WHERE position = 2');
      for (const position of [3, 4, 5]) await client.query('UPDATE events SET position = position - 1 WHERE position = $1', [position]);
    });
    expect(await store.verifyIntegrity()).toMatchObject({ ok: false, firstMismatch: { problem: 'chain_broken', position: 2 } });
  });

  it('names an event inserted in the middle, its successors renumbered', async () => {
    const { url, store } = await fiveEvents();
    await behindTheBack(url, async (client) => {
      const all = await rows(client);
      for (const position of [5, 4, 3]) await client.query('UPDATE events SET position = position + 1 WHERE position = $1', [position]);
      const forged: RawRow = { ...all[1], position: 3, id: 'forged', revision: 9, data: '{"amount":-1}', previous_hash: all[1].hash };
      await client.query(
        `INSERT INTO events (position, id, stream_name, revision, type, data, metadata, actor, correlation_id, recorded_at, hash, previous_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'fiona', 'c-1', $8, $9, $10)`,
        [
          3,
          'forged',
          forged.stream_name,
          9,
          forged.type,
          forged.data,
          forged.metadata,
          forged.recorded_at,
          rehash(forged, all[1].hash),
          all[1].hash,
        ],
      );
    });
    // The forged event itself is consistent; the one after it was chained to another predecessor.
    expect(await store.verifyIntegrity()).toMatchObject({ ok: false, firstMismatch: { problem: 'chain_broken', position: 4 } });
  });

  it('names an event inserted at the end without the chain, and one with a made-up hash', async () => {
    for (const hash of [null, 'f'.repeat(64)]) {
      const { url, store } = await fiveEvents();
      await behindTheBack(url, async (client) => {
        const last = (await rows(client))[4];
        await client.query(
          `INSERT INTO events (position, id, stream_name, revision, type, data, metadata, actor, correlation_id, recorded_at, hash, previous_hash)
           VALUES (6, 'forged', 'payment-1', 1, 'PaymentRefunded', '{}', '{"actor":"mallory"}', 'mallory', 'c', '2025-01-02T00:00:00Z', $1, $2)`,
          [hash, last.hash],
        );
      });
      expect(await store.verifyIntegrity()).toMatchObject({
        ok: false,
        firstMismatch: { problem: hash ? 'content_altered' : 'hash_missing', position: 6, eventId: 'forged' },
      });
    }
  });

  it('catches a rewrite of the whole tail, rehashed consistently, against the anchor', async () => {
    const { url, store, anchor } = await fiveEvents();
    await behindTheBack(url, async (client) => {
      const all = await rows(client);
      let previous = all[0].hash;
      for (const row of all.slice(1)) {
        const data = row.position === 2 ? '{"amount":1}' : row.data;
        const hash = rehash({ ...row, data }, previous);
        await client.query('UPDATE events SET data = $1, hash = $2, previous_hash = $3 WHERE position = $4', [
          data,
          hash,
          previous,
          row.position,
        ]);
        previous = hash;
      }
    });
    expect(await store.verifyIntegrity()).toMatchObject({ ok: true }); // consistent in itself…
    expect(await store.verifyIntegrity({ anchor })).toMatchObject({
      ok: false,
      firstMismatch: { problem: 'anchor_mismatch', position: 5 },
    });
  });

  it('catches a cut tail, and a truncated table, against the anchor', async () => {
    const { url, store, anchor } = await fiveEvents();
    await behindTheBack(url, async (client) => {
      await client.query('DELETE FROM events WHERE position >= 4');
    });
    expect(await store.verifyIntegrity()).toMatchObject({ ok: true, checked: 3 });
    expect(await store.verifyIntegrity({ anchor })).toMatchObject({ ok: false, firstMismatch: { problem: 'anchor_missing', position: 5 } });
    await behindTheBack(url, async (client) => {
      await client.query('TRUNCATE events');
    });
    expect(await store.verifyIntegrity({ anchor })).toMatchObject({ ok: false, firstMismatch: { problem: 'anchor_missing', position: 5 } });
  });
});
