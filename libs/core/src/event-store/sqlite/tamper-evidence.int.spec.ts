import Database from 'better-sqlite3';
import { join } from 'node:path';
import { makeTempDir, uniqueSuffix } from '../../testing/contract-suite';
import { NewEvent } from '../event-store.port';
import { chainHash, ChainAnchor, EventRow, linkOfRow } from '../hash-chain';
import { SqliteEventStore } from './sqlite-event-store';

const temp = makeTempDir('tamper-evidence');
afterAll(() => temp.remove());

const event = (type: string, data: unknown, actor = 'fiona'): NewEvent => ({
  type,
  data,
  metadata: { actor, correlationId: 'c-1', causationId: null, occurredAt: '2025-01-01T00:00:00.000Z', schemaVersion: 1 },
});

type Fixture = { file: string; anchor: ChainAnchor };

/** A log of five events in three streams, and the anchor of its head. */
const fiveEvents = async (): Promise<Fixture> => {
  const file = join(temp.path, `events-${uniqueSuffix()}.db`);
  const store = new SqliteEventStore(file);
  await store.append('order-1', [event('OrderPlaced', { total: 1000 }), event('OrderInvoiced', { amount: 1000 })], 'no_stream');
  await store.append('customer-1', [event('CustomerRegistered', { name: 'Acme' })], 'no_stream');
  await store.append('order-1', [event('OrderDelivered', { quantity: 3 })], 1);
  await store.append('payment-1', [event('PaymentReceived', { amount: 1000 })], 'no_stream');
  const anchor = await store.chainHead();
  await store.close();
  return { file, anchor };
};

const verify = async (file: string, anchor?: ChainAnchor) => {
  const store = new SqliteEventStore(file);
  try {
    return await store.verifyIntegrity({ anchor });
  } finally {
    await store.close();
  }
};

/** Opens the file as someone with write access to it would, without the store's code. */
const behindTheBack = (file: string, sql: (db: Database.Database) => void) => {
  const db = new Database(file);
  try {
    sql(db);
  } finally {
    db.close();
  }
};

const dropTriggers = (db: Database.Database) => {
  for (const { name } of db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger'").all()) {
    db.exec(`DROP TRIGGER ${name}`);
  }
};

type RawRow = EventRow & Readonly<{ position: number; revision: number; hash: string }>;
const rows = (db: Database.Database) => db.prepare<[], RawRow>('SELECT * FROM events ORDER BY position').all();
/** What a forger who knows the algorithm computes for a row. */
const rehash = (row: RawRow, previous: string) => chainHash(linkOfRow(row), previous);

describe('the SQLite log refuses every SQL statement that would change a recorded event', () => {
  const columns = 'position, id, stream_name, revision, type, data, metadata, actor, correlation_id, recorded_at, hash, previous_hash';
  const forged = (position: number, id: string, stream: string, revision: number) =>
    `(${position}, '${id}', '${stream}', ${revision}, 'OrderPlaced', '{"total":1}', '{"actor":"mallory"}', 'mallory', 'c-x', '2025-01-01T00:00:00.000Z', 'x', 'y')`;

  const attempts: Array<[string, (row: RawRow) => string]> = [
    ['UPDATE', () => `UPDATE events SET data = '{"total":1}' WHERE position = 1`],
    ['UPDATE OR REPLACE', () => `UPDATE OR REPLACE events SET data = '{"total":1}' WHERE position = 1`],
    [
      'UPDATE … FROM',
      () => `UPDATE events SET data = e2.data FROM (SELECT data FROM events WHERE position = 2) AS e2 WHERE events.position = 1`,
    ],
    ['DELETE one row', () => 'DELETE FROM events WHERE position = 1'],
    ['DELETE all rows (truncate)', () => 'DELETE FROM events'],
    [
      'INSERT OR REPLACE on its position and id',
      (r) => `INSERT OR REPLACE INTO events (${columns}) VALUES ${forged(1, r.id, r.stream_name, r.revision)}`,
    ],
    ['REPLACE INTO', (r) => `REPLACE INTO events (${columns}) VALUES ${forged(1, r.id, r.stream_name, r.revision)}`],
    [
      'INSERT OR REPLACE on its (stream, revision) at the next position',
      (r) => `INSERT OR REPLACE INTO events (${columns}) VALUES ${forged(6, 'new-id', r.stream_name, r.revision)}`,
    ],
    [
      'INSERT OR REPLACE on its id at the next position',
      (r) => `INSERT OR REPLACE INTO events (${columns}) VALUES ${forged(6, r.id, 'order-9', 0)}`,
    ],
    [
      'UPSERT (ON CONFLICT DO UPDATE)',
      (r) =>
        `INSERT INTO events (${columns}) VALUES ${forged(1, r.id, r.stream_name, r.revision)} ON CONFLICT(position) DO UPDATE SET data = excluded.data`,
    ],
    [
      'UPSERT on (stream, revision)',
      (r) =>
        `INSERT INTO events (${columns}) VALUES ${forged(6, 'new-id', r.stream_name, r.revision)} ON CONFLICT(stream_name, revision) DO UPDATE SET data = excluded.data`,
    ],
    ['INSERT OR IGNORE', (r) => `INSERT OR IGNORE INTO events (${columns}) VALUES ${forged(1, r.id, r.stream_name, r.revision)}`],
    ['INSERT OR FAIL', (r) => `INSERT OR FAIL INTO events (${columns}) VALUES ${forged(1, r.id, r.stream_name, r.revision)}`],
    ['INSERT OR ROLLBACK', (r) => `INSERT OR ROLLBACK INTO events (${columns}) VALUES ${forged(1, r.id, r.stream_name, r.revision)}`],
    ['INSERT at a position past the head (a gap)', () => `INSERT INTO events (${columns}) VALUES ${forged(9, 'gap-id', 'order-9', 0)}`],
    ['INSERT below the first position', () => `INSERT INTO events (${columns}) VALUES ${forged(0, 'zero-id', 'order-9', 0)}`],
  ];

  it.each(attempts)('%s is refused and the log stays as it was', async (_name, statement) => {
    const { file, anchor } = await fiveEvents();
    let before: RawRow[] = [];
    behindTheBack(file, (db) => {
      before = rows(db);
      db.pragma('recursive_triggers = OFF'); // the attacker's connection chooses its own pragmas
      const sql = statement(before[0]);
      try {
        db.prepare(sql).run();
      } catch (err) {
        expect(String(err)).toMatch(/append-only/);
      }
      expect(rows(db)).toEqual(before);
    });
    expect(await verify(file, anchor)).toMatchObject({ ok: true, checked: 5, head: { position: 5, hash: anchor.hash } });
  });
});

describe('the hash chain names the first event changed behind the system, triggers dropped first', () => {
  it('verifies an untouched log and reports its head', async () => {
    const { file, anchor } = await fiveEvents();
    const report = await verify(file, anchor);
    expect(report).toEqual({ ok: true, checked: 5, head: { position: 5, hash: anchor.hash, eventId: anchor.eventId } });
  });

  it("names an event whose data was edited (the forger's INSERT OR REPLACE)", async () => {
    const { file } = await fiveEvents();
    behindTheBack(file, (db) => {
      dropTriggers(db);
      const row = rows(db)[1];
      db.prepare(
        `INSERT OR REPLACE INTO events SELECT position, id, stream_name, revision, type, '{"amount":1}', metadata, actor, correlation_id, recorded_at, hash, previous_hash FROM events WHERE position = ?`,
      ).run(row.position);
    });
    expect(await verify(file)).toMatchObject({
      ok: false,
      firstMismatch: { problem: 'content_altered', position: 2, streamName: 'order-1', revision: 1 },
    });
  });

  it('names an event whose actor was changed', async () => {
    const { file } = await fiveEvents();
    behindTheBack(file, (db) => {
      dropTriggers(db);
      db.prepare(`UPDATE events SET metadata = replace(metadata, '"fiona"', '"mallory"') WHERE position = 3`).run();
    });
    expect(await verify(file)).toMatchObject({ ok: false, firstMismatch: { problem: 'content_altered', position: 3 } });
  });

  it('names an event whose recording time was moved', async () => {
    const { file } = await fiveEvents();
    behindTheBack(file, (db) => {
      dropTriggers(db);
      db.prepare(`UPDATE events SET recorded_at = '2020-01-01T00:00:00.000Z' WHERE position = 4`).run();
    });
    expect(await verify(file)).toMatchObject({ ok: false, firstMismatch: { problem: 'content_altered', position: 4 } });
  });

  it('names the next event when the edited one was rehashed by someone who knows the algorithm', async () => {
    const { file } = await fiveEvents();
    behindTheBack(file, (db) => {
      dropTriggers(db);
      const [first, second] = rows(db);
      const data = '{"amount":1}';
      db.prepare('UPDATE events SET data = ?, hash = ? WHERE position = 2').run(data, rehash({ ...second, data }, first.hash));
    });
    expect(await verify(file)).toMatchObject({ ok: false, firstMismatch: { problem: 'chain_broken', position: 3 } });
  });

  it('names the gap where an event was deleted', async () => {
    const { file } = await fiveEvents();
    behindTheBack(file, (db) => {
      dropTriggers(db);
      db.prepare('DELETE FROM events WHERE position = 2').run();
    });
    expect(await verify(file)).toMatchObject({ ok: false, firstMismatch: { problem: 'position_gap', position: 3 } });
  });

  it('names a deleted event whose successors were renumbered', async () => {
    const { file } = await fiveEvents();
    behindTheBack(file, (db) => {
      dropTriggers(db);
      db.prepare('DELETE FROM events WHERE position = 2').run();
      db.prepare('UPDATE events SET position = position - 1 WHERE position > 2').run();
    });
    expect(await verify(file)).toMatchObject({ ok: false, firstMismatch: { problem: 'chain_broken', position: 2 } });
  });

  it('names an event inserted at the end without the chain, and one with a made-up hash', async () => {
    for (const hash of [null, 'f'.repeat(64)]) {
      const { file } = await fiveEvents();
      behindTheBack(file, (db) => {
        dropTriggers(db);
        const last = rows(db)[4];
        db.prepare(
          `INSERT INTO events (position, id, stream_name, revision, type, data, metadata, actor, correlation_id, recorded_at, hash, previous_hash)
           VALUES (6, 'forged', 'payment-1', 1, 'PaymentRefunded', '{}', '{"actor":"mallory"}', 'mallory', 'c', '2025-01-02T00:00:00.000Z', ?, ?)`,
        ).run(hash, last.hash);
      });
      expect(await verify(file)).toMatchObject({
        ok: false,
        firstMismatch: { problem: hash ? 'content_altered' : 'hash_missing', position: 6, eventId: 'forged' },
      });
    }
  });

  it('catches a rewrite of the whole tail, rehashed consistently, against the anchor', async () => {
    const { file, anchor } = await fiveEvents();
    behindTheBack(file, (db) => {
      dropTriggers(db);
      const all = rows(db);
      let previous = all[0].hash;
      for (const row of all.slice(1)) {
        const data = row.position === 2 ? '{"amount":1}' : row.data;
        const hash = rehash({ ...row, data }, previous);
        db.prepare('UPDATE events SET data = ?, hash = ?, previous_hash = ? WHERE position = ?').run(data, hash, previous, row.position);
        previous = hash;
      }
    });
    expect(await verify(file)).toMatchObject({ ok: true }); // consistent in itself…
    expect(await verify(file, anchor)).toMatchObject({ ok: false, firstMismatch: { problem: 'anchor_mismatch', position: 5 } }); // …but not with the anchor
  });

  it('catches a cut tail against the anchor', async () => {
    const { file, anchor } = await fiveEvents();
    behindTheBack(file, (db) => {
      dropTriggers(db);
      db.prepare('DELETE FROM events WHERE position >= 4').run();
    });
    expect(await verify(file)).toMatchObject({ ok: true, checked: 3 });
    expect(await verify(file, anchor)).toMatchObject({ ok: false, firstMismatch: { problem: 'anchor_missing', position: 5 } });
  });

  it('builds the chain once for a file written before it existed, then keeps it', async () => {
    const file = join(temp.path, `legacy-${uniqueSuffix()}.db`);
    behindTheBack(file, (db) => {
      db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, stream_name TEXT NOT NULL, revision INTEGER NOT NULL,
        type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, actor TEXT NOT NULL, correlation_id TEXT NOT NULL, recorded_at TEXT NOT NULL,
        UNIQUE (stream_name, revision));
        CREATE TRIGGER events_are_append_only_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;`);
      db.prepare(
        `INSERT INTO events VALUES (1, 'e1', 'order-1', 0, 'OrderPlaced', '{}', '{"actor":"a"}', 'a', 'c', '2024-01-01T00:00:00.000Z')`,
      ).run();
    });
    const store = new SqliteEventStore(file);
    await store.append('order-1', [event('OrderInvoiced', {})], 0);
    expect(await store.verifyIntegrity()).toMatchObject({ ok: true, checked: 2 });
    await store.close();
  });
});
