import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { describeOrSkip, sleep, within } from '../../testing/contract-suite';
import { createTestDatabase, postgresGate, TestDatabase } from '../../testing/external-stores';
import { describeEventStoreContract } from '../event-store.contract';
import { NewEvent, RecordedEvent } from '../event-store.port';
import { PostgresEventStore } from './postgres-event-store';

// A database of its own for this file, on POSTGRES_URL or the local server; skipped (with the reason) without one.
const gate = postgresGate();
let database: TestDatabase | undefined;
const stores: PostgresEventStore[] = [];
const open = async (options: Parameters<typeof PostgresEventStore.connect>[1] = {}) => {
  const store = await PostgresEventStore.connect(database!.url, options);
  stores.push(store);
  return store;
};

if (gate.enabled) {
  beforeAll(async () => {
    database = await createTestDatabase();
  }, 30_000);
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await database?.drop();
  }, 30_000);
}
const skipReason = gate.enabled ? undefined : gate.reason;

describeEventStoreContract('PostgreSQL event store', () => PostgresEventStore.connect(database!.url, { pollIntervalMs: 50 }), skipReason);

const event = (type: string, data: unknown = {}, id?: string): NewEvent => ({
  id,
  type,
  data,
  metadata: { actor: 'user-1', correlationId: 'c-1', causationId: null, occurredAt: '2025-01-01T00:00:00.000Z', schemaVersion: 1 },
});

const sql = async <T>(run: (client: Client) => Promise<T>): Promise<T> => {
  const client = new Client({ connectionString: database!.url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
};

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (err: Error) => err.message,
  );

describeOrSkip('PostgreSQL event store specifics', skipReason, () => {
  it('refuses UPDATE, DELETE and TRUNCATE on the events table (append-only triggers), and a second start keeps the data', async () => {
    const store = await open();
    await store.append('append-only-1', [event('Placed')], 'no_stream');
    await sql(async (client) => {
      expect(await errorOf(client.query("UPDATE events SET type = 'Forged' WHERE stream_name = 'append-only-1'"))).toMatch(
        /append-only: UPDATE refused/,
      );
      expect(await errorOf(client.query("DELETE FROM events WHERE stream_name = 'append-only-1'"))).toMatch(/append-only: DELETE refused/);
      expect(await errorOf(client.query('TRUNCATE events'))).toMatch(/append-only: TRUNCATE refused/);
      // An upsert that would rewrite an event goes through the UPDATE trigger too.
      const upsert = `INSERT INTO events SELECT * FROM events WHERE stream_name = 'append-only-1'
                      ON CONFLICT (position) DO UPDATE SET type = 'Forged'`;
      expect(await errorOf(client.query(upsert))).toMatch(/append-only: UPDATE refused/);
    });
    const again = await open();
    expect((await again.readStream('append-only-1')).map((e) => e.type)).toEqual(['Placed']);
  });

  it('cuts asOf reads at the recorded instant, whatever ISO-8601 spelling asOf uses', async () => {
    let now = new Date('2025-01-01T10:00:00.500Z');
    const store = await open({ clock: () => now });
    await store.append('as-of-1', [event('Placed')], 'no_stream');
    now = new Date('2025-01-01T10:00:01.500Z');
    await store.append('as-of-1', [event('Paid')], 0);
    const types = async (asOf: string) => (await store.readStream('as-of-1', { asOf })).map((e) => e.type);
    expect(await types('2025-01-01T10:00:00Z')).toEqual([]);
    expect(await types('2025-01-01T10:00:01Z')).toEqual(['Placed']);
    expect(await types('2025-01-01T12:00:01+02:00')).toEqual(['Placed']);
    expect(await types('2025-01-01T10:00:01.500Z')).toEqual(['Placed', 'Paid']);
  });

  it('keeps event data byte-exact, including a NUL character that jsonb would refuse', async () => {
    const store = await open();
    const data = { text: 'a\u0000b', nested: { z: 1, a: 2 } };
    await store.append('exact-1', [event('Odd', data)], 'no_stream');
    const [read] = await store.readStream('exact-1');
    expect(read.data).toEqual(data);
    expect(Object.keys((read.data as typeof data).nested)).toEqual(['z', 'a']);
  });

  it('wakes a subscription in another process through NOTIFY, well before the poll interval', async () => {
    const reader = await open({ pollIntervalMs: 60_000 });
    const writer = await open();
    const subscription = reader.subscribeToAll({ afterPosition: await reader.headPosition(), filter: { streamPrefixes: ['notify-'] } });
    try {
      const next = subscription[Symbol.asyncIterator]().next();
      await sleep(200); // the listener connects
      await writer.append('notify-1', [event('Placed')], 'no_stream');
      await expect(within(next, 5_000, 'the event appended by the other store')).resolves.toMatchObject({
        value: { streamName: 'notify-1' },
      });
    } finally {
      await subscription.unsubscribe();
    }
  });

  it('keeps delivering by polling when its LISTEN connection is killed, and listens again', async () => {
    const reader = await open({ pollIntervalMs: 100 });
    const writer = await open();
    const subscription = reader.subscribeToAll({ afterPosition: await reader.headPosition(), filter: { streamPrefixes: ['relisten-'] } });
    const iterator = subscription[Symbol.asyncIterator]();
    const listeners = () =>
      sql(
        async (client) =>
          (await client.query("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'")).rows.length,
      );
    try {
      const deadlineToListen = Date.now() + 5_000;
      while ((await listeners()) === 0 && Date.now() < deadlineToListen) await sleep(50);
      expect(await listeners()).toBeGreaterThan(0);
      await sql((client) =>
        client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'"),
      );
      const next = iterator.next();
      await writer.append('relisten-1', [event('Placed')], 'no_stream');
      await expect(within(next, 5_000, 'the event, by polling')).resolves.toMatchObject({ value: { streamName: 'relisten-1' } });
      const deadline = Date.now() + 5_000;
      while ((await listeners()) === 0 && Date.now() < deadline) await sleep(100);
      expect(await listeners()).toBeGreaterThan(0);
    } finally {
      await subscription.unsubscribe();
    }
  });

  describe('the in-flight-transaction gap', () => {
    it('exists with positions from a plain sequence: a reader that saw a later position skips an earlier one that commits late', async () => {
      await sql(async (setup) => setup.query('CREATE TABLE naive_log (position bigserial PRIMARY KEY, payload text NOT NULL)'));
      const slow = new Client({ connectionString: database!.url });
      await slow.connect();
      try {
        await slow.query('BEGIN');
        await slow.query("INSERT INTO naive_log (payload) VALUES ('slow')"); // takes position 1, not committed
        await sql((fast) => fast.query("INSERT INTO naive_log (payload) VALUES ('fast')")); // position 2, committed
        const firstRead = await sql((reader) =>
          reader.query<{ position: string }>('SELECT position FROM naive_log WHERE position > 0 ORDER BY position'),
        );
        expect(firstRead.rows.map((r) => Number(r.position))).toEqual([2]);
        await slow.query('COMMIT');
        const secondRead = await sql((reader) => reader.query('SELECT position FROM naive_log WHERE position > 2 ORDER BY position'));
        expect(secondRead.rows).toEqual([]); // position 1 was never delivered
      } finally {
        await slow.end();
      }
    });

    it('cannot happen here: an append waits while an earlier one is uncommitted, and readers see neither until it commits', async () => {
      const store = await open({ pollIntervalMs: 20 });
      const head = await store.headPosition();
      const subscription = store.subscribeToAll({ afterPosition: head });
      const iterator = subscription[Symbol.asyncIterator]();
      const slow = new Client({ connectionString: database!.url });
      await slow.connect();
      try {
        await slow.query('BEGIN');
        await slow.query(
          `SELECT * FROM append_events('held-1', 'any', ARRAY['held-event'], ARRAY['Held'], ARRAY['{}'],
             ARRAY['{"actor":"a","correlationId":"c","causationId":null,"occurredAt":"2025-01-01T00:00:00.000Z","schemaVersion":1}'],
             ARRAY['a'], ARRAY['c'], NULL)`,
        );
        let settled = false;
        const fast = store.append('fast-1', [event('Fast')], 'no_stream').finally(() => (settled = true));
        const first = iterator.next();
        await sleep(300);
        expect(settled).toBe(false); // waiting for the append lock
        expect(await store.readAll({ afterPosition: head })).toEqual([]);
        expect(await store.headPosition()).toBe(head);

        await slow.query('COMMIT');
        expect(await fast).toEqual({ nextRevision: 0, position: head + 2 });
        const delivered: RecordedEvent[] = [(await within(first, 5_000, 'the held event')).value as RecordedEvent];
        delivered.push((await within(iterator.next(), 5_000, 'the fast event')).value as RecordedEvent);
        expect(delivered.map((e) => [e.position, e.streamName])).toEqual([
          [head + 1, 'held-1'],
          [head + 2, 'fast-1'],
        ]);
      } finally {
        await slow.end();
        await subscription.unsubscribe();
      }
    });

    it('appenders in 4 separate processes, each with 3 concurrent lanes: a subscriber and a tight reader see every event exactly once, in order', async () => {
      const store = await open({ pollIntervalMs: 10 });
      const start = await store.headPosition();
      const processes = 4;
      const appendsPerProcess = 120;
      const total = processes * appendsPerProcess;

      // The subscription (LISTEN/NOTIFY + polling) and a reader polling as fast as it can, both by position.
      const subscription = store.subscribeToAll({ afterPosition: start, filter: { streamPrefixes: ['gap-'] } });
      const subscribed = (async () => {
        const seen: RecordedEvent[] = [];
        for await (const e of subscription) {
          seen.push(e);
          if (seen.length === total) break;
        }
        return seen;
      })();
      let appending = true;
      const tightReader = (async () => {
        const seen: RecordedEvent[] = [];
        let after = start;
        while (appending || seen.length < total) {
          const page = await store.readAll({ afterPosition: after, maxCount: 50, filter: { streamPrefixes: ['gap-'] } });
          seen.push(...page);
          if (page.length) after = page[page.length - 1].position;
          else if (!appending) await sleep(5);
          if (!appending && (await store.headPosition()) <= after) break;
        }
        return seen;
      })();

      const child = join(__dirname, '../../../../../test/support/postgres-appender.child.ts');
      const runner = join(__dirname, '../../../../../test/support/ts-child.js');
      const run = promisify(execFile);
      const outputs = await Promise.all(
        Array.from({ length: processes }, (_, writer) =>
          run(process.execPath, [runner, child, database!.url, `w${writer}`, String(appendsPerProcess), '3'], { timeout: 90_000 }),
        ),
      );
      appending = false;
      const acknowledged = outputs.flatMap((o) => JSON.parse(o.stdout.trim()) as string[]);
      expect(acknowledged).toHaveLength(total);

      const checkEveryEventOnce = (seen: RecordedEvent[]) => {
        expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
        expect(seen.map((e) => e.id).sort()).toEqual([...acknowledged].sort());
        // Gap-free and in order: position i is the i-th event after the start.
        expect(seen.map((e) => e.position)).toEqual(Array.from({ length: total }, (_, i) => start + 1 + i));
      };
      checkEveryEventOnce(await within(tightReader, 30_000, 'the tight reader'));
      checkEveryEventOnce(await within(subscribed, 30_000, `${total} events through the subscription`));
      // The shared stream kept its revisions dense under the cross-process race.
      const shared = await store.readStream('gap-shared');
      expect(shared.map((e) => e.revision)).toEqual(shared.map((_, i) => i));
      expect(shared).toHaveLength(total / 5);
    }, 120_000);
  });
});
