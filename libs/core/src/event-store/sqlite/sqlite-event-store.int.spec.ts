import Database from 'better-sqlite3';
import { join } from 'node:path';
import { makeTempDir, uniqueSuffix, within } from '../../testing/contract-suite';
import { describeEventStoreContract } from '../event-store.contract';
import { NewEvent } from '../event-store.port';
import { SqliteEventStore } from './sqlite-event-store';

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
