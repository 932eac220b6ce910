import Database from 'better-sqlite3';
import { join } from 'node:path';
import { makeTempDir, uniqueSuffix, within } from '../../testing/contract-suite';
import { describeEventStoreContract } from '../event-store.contract';
import { NewEvent, WrongExpectedRevisionError } from '../event-store.port';
import { filteredReadSql, SqliteEventStore, streamReadSql } from './sqlite-event-store';

const temp = makeTempDir('sqlite-event-store');
afterAll(() => temp.remove());
const newFile = () => join(temp.path, `events-${uniqueSuffix()}.db`);

describeEventStoreContract('SQLite event store', async () => new SqliteEventStore(newFile()));

const event = (type: string, data: unknown = {}): NewEvent => ({
  type,
  data,
  metadata: { actor: 'user-1', correlationId: 'c-1', causationId: null, occurredAt: '2025-01-01T00:00:00.000Z', schemaVersion: 1 },
});

describe('SQLite event store file', () => {
  it('has head position 0 when empty', async () => {
    const store = new SqliteEventStore(newFile());
    expect(await store.headPosition()).toBe(0);
    expect(await store.readAll()).toEqual([]);
    await store.close();
  });

  it('refuses UPDATE and DELETE on the events table (append-only triggers)', async () => {
    const file = newFile();
    const store = new SqliteEventStore(file);
    await store.append('order-1', [event('Placed')], 'no_stream');
    await store.close();
    const db = new Database(file);
    try {
      expect(() => db.prepare("UPDATE events SET type = 'Forged'").run()).toThrow(/append-only: UPDATE refused/);
      expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only: DELETE refused/);
      expect(db.prepare('SELECT type FROM events').all()).toEqual([{ type: 'Placed' }]);
    } finally {
      db.close();
    }
  });

  it('keeps acknowledged appends across a reopen of the file', async () => {
    const file = newFile();
    const first = new SqliteEventStore(file);
    await first.append('order-1', [event('Placed', { n: 1 }), event('Paid', { n: 2 })], 'no_stream');
    await first.append('order-2', [event('Placed', { n: 3 })], 'no_stream');
    const before = await first.readAll();
    await first.close();

    const reopened = new SqliteEventStore(file);
    expect(await reopened.readAll()).toEqual(before);
    expect(await reopened.headPosition()).toBe(3);
    await expect(reopened.append('order-1', [event('Shipped')], 1)).resolves.toEqual({ nextRevision: 2, position: 4 });
    await reopened.close();
  });

  it('cuts asOf reads at the recorded instant, whatever ISO-8601 spelling asOf uses', async () => {
    let now = new Date('2025-01-01T10:00:00.500Z');
    const store = new SqliteEventStore(newFile(), { clock: () => now });
    await store.append('order-1', [event('Placed')], 'no_stream');
    now = new Date('2025-01-01T10:00:01.500Z');
    await store.append('order-1', [event('Paid')], 0);
    const types = async (asOf: string) => (await store.readStream('order-1', { asOf })).map((e) => e.type);
    expect(await types('2025-01-01T10:00:00Z')).toEqual([]); // whole seconds: before the first event
    expect(await types('2025-01-01T10:00:01Z')).toEqual(['Placed']);
    expect(await types('2025-01-01T12:00:01+02:00')).toEqual(['Placed']);
    await store.close();
  });

  it('delivers appends made through another connection to the same file (polling)', async () => {
    const file = newFile();
    const reader = new SqliteEventStore(file, { pollIntervalMs: 20 });
    const writer = new SqliteEventStore(file);
    const subscription = reader.subscribeToAll();
    try {
      const next = subscription[Symbol.asyncIterator]().next();
      await writer.append('order-1', [event('Placed')], 'no_stream');
      await expect(within(next, 2_000, 'the event appended by the other connection')).resolves.toMatchObject({
        done: false,
        value: { streamName: 'order-1', position: 1 },
      });
    } finally {
      await subscription.unsubscribe();
      await writer.close();
      await reader.close();
    }
  });
});

describe('SQLite group commit', () => {
  it('writes appends that arrive together in one transaction, and answers each only after it committed', async () => {
    const store = new SqliteEventStore(newFile());
    const commits: { appends: number; events: number }[] = [];
    store.onCommit((c) => commits.push(c));
    let settledBeforeCommit = 0;
    const appends = Array.from({ length: 64 }, (_, i) =>
      store.append(`order-${i}`, [event('Placed', { i })], 'no_stream').then((r) => {
        if (commits.length === 0) settledBeforeCommit++;
        return r;
      }),
    );
    const results = await Promise.all(appends);
    expect(commits).toEqual([{ appends: 64, events: 64 }]);
    expect(settledBeforeCommit).toBe(0);
    expect(results.map((r) => r.position).sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
    expect(results[10]).toEqual({ nextRevision: 0, position: 11 }); // in arrival order
    await store.close();
  });

  it('checks each append of a group against its own expected revision: one wins a race, the others conflict, nothing else is lost', async () => {
    const store = new SqliteEventStore(newFile());
    await store.append('order-1', [event('Placed')], 'no_stream');
    const outcomes = await Promise.allSettled([
      store.append('order-1', [event('Paid', { by: 'a' })], 0),
      store.append('order-1', [event('Paid', { by: 'b' })], 0),
      store.append('order-2', [event('Placed')], 'no_stream'),
      store.append('order-1', [event('Shipped')], 1), // sees the first append of the same group
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect((await store.readStream('order-1')).map((e) => [e.type, e.data])).toEqual([
      ['Placed', {}],
      ['Paid', { by: 'a' }],
      ['Shipped', {}],
    ]);
    expect(await store.headPosition()).toBe(4); // still gap-free
    expect(await store.verifyIntegrity()).toMatchObject({ ok: true, checked: 4 }); // each link of the group on the one before
    await store.close();
  });

  it('undoes a failing append alone (a duplicate event id) and commits the rest of its group', async () => {
    const store = new SqliteEventStore(newFile());
    const id = '0190f0f0-0000-7000-8000-000000000001';
    await store.append('order-1', [{ ...event('Placed'), id }], 'no_stream');
    const outcomes = await Promise.allSettled([
      store.append('order-2', [event('Placed'), { ...event('Paid'), id }], 'no_stream'),
      store.append('order-3', [event('Placed')], 'no_stream'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled']);
    expect(await store.readStream('order-2')).toEqual([]);
    expect((await store.readAll()).map((e) => [e.streamName, e.position])).toEqual([
      ['order-1', 1],
      ['order-3', 2],
    ]);
    // The undone append left the chain's head where it was: order-3 links to order-1.
    expect(await store.verifyIntegrity()).toMatchObject({ ok: true, checked: 2 });
    await store.close();
  });

  it('commits appends accepted before close', async () => {
    const file = newFile();
    const store = new SqliteEventStore(file);
    const pending = store.append('order-1', [event('Placed')], 'no_stream');
    await store.close();
    await expect(pending).resolves.toEqual({ nextRevision: 0, position: 1 });
    const reopened = new SqliteEventStore(file);
    expect(await reopened.headPosition()).toBe(1);
    await reopened.close();
  });
});

describe('SQLite reads filtered by event type', () => {
  const plan = (file: string, filter: Parameters<typeof filteredReadSql>[0]) => {
    const db = new Database(file, { readonly: true });
    try {
      const read = filteredReadSql(filter);
      return db
        .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${read.sql}`)
        .all(...read.params(0, 1000))
        .map((r) => r.detail);
    } finally {
      db.close();
    }
  };

  it('are one search of the type index per type, never a walk of the log after the position (with or without stream prefixes)', async () => {
    const file = newFile();
    const store = new SqliteEventStore(file);
    await store.append('order-1', [event('Placed')], 'no_stream');
    await store.close();
    for (const filter of [{ eventTypes: ['A', 'B', 'C'] }, { streamPrefixes: ['user-', 'system-'], eventTypes: ['A', 'B'] }]) {
      const details = plan(file, filter);
      expect(details.filter((d) => d.includes('USING INDEX events_by_type'))).toHaveLength(filter.eventTypes.length);
      expect(details.filter((d) => /^SCAN events/.test(d))).toEqual([]);
    }
  });

  it('answer in position order, each event once, whatever types and prefixes are combined', async () => {
    const store = new SqliteEventStore(newFile());
    await store.append('user-1', [event('A'), event('B')], 'no_stream');
    await store.append('order-1', [event('A'), event('C')], 'no_stream');
    await store.append('user-2', [event('C'), event('A')], 'no_stream');
    const read = (filter: Parameters<typeof filteredReadSql>[0], after = 0, maxCount = 1000) =>
      store.readAll({ afterPosition: after, maxCount, filter }).then((es) => es.map((e) => e.position));
    expect(await read({ eventTypes: ['A', 'C', 'A'] })).toEqual([1, 3, 4, 5, 6]);
    expect(await read({ eventTypes: ['A', 'C'] }, 3, 2)).toEqual([4, 5]);
    expect(await read({ streamPrefixes: ['user-'], eventTypes: ['A', 'C'] })).toEqual([1, 5, 6]);
    await store.close();
  });
});

describe('SQLite stream reads', () => {
  it('are one search of the (stream_name, revision) index, with recorded_at compared only when asOf is asked', async () => {
    const file = newFile();
    const store = new SqliteEventStore(file);
    await store.append('order-1', [event('Placed')], 'no_stream');
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      for (const direction of ['forwards', 'backwards'] as const) {
        for (const asOf of [false, true]) {
          const sql = streamReadSql(direction, asOf);
          const params = asOf ? ['order-1', 0, '2025-01-01T00:00:00.000Z', 10] : ['order-1', 0, 10];
          const details = db
            .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
            .all(...params)
            .map((r) => r.detail);
          expect(details).toEqual([
            expect.stringMatching(/^SEARCH events USING INDEX sqlite_autoindex_events_\d \(stream_name=\? AND revision[<>]\?\)$/),
          ]);
          expect(/WHERE .*recorded_at/.test(sql)).toBe(asOf);
        }
      }
    } finally {
      db.close();
    }
  });
});
