import { join } from 'node:path';
import { Decider, DomainEvent, withEntry } from '@salesline/shared-kernel';
import { makeTempDir, uniqueSuffix } from '../testing/contract-suite';
import { NewEvent, ReadStreamOptions } from '../event-store/event-store.port';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { executeCommand } from './execute-command';
import { foldRecorded, loadStream, SNAPSHOT_EVERY } from './load-state';

const temp = makeTempDir('load-state');
afterAll(() => temp.remove());

type Counted = DomainEvent<'Counted', { key: string; by: number }>;
type Tally = { total: number; byKey: Record<string, number> };
const tally: Decider<Tally, { type: 'Count'; data: { key: string; by: number }; context: never }, Counted> = {
  decide: (command) => [{ type: 'Counted', data: command.data }],
  evolve: (state, e) => ({
    total: state.total + e.data.by,
    byKey: withEntry(state.byKey, e.data.key, (state.byKey[e.data.key] ?? 0) + e.data.by),
  }),
  initialState: () => ({ total: 0, byKey: {} }),
};
const meta = { actor: 'u', correlationId: 'c', causationId: null, occurredAt: '2025-01-01T00:00:00.000Z', schemaVersion: 1 };
const counted = (i: number): NewEvent => ({ type: 'Counted', data: { key: `k${i % 7}`, by: i }, metadata: meta });
const request = {
  actor: { userId: 'u', roles: ['admin' as const] },
  correlationId: 'c',
  causationId: null,
  now: '2025-01-01T00:00:00.000Z',
  today: '2025-01-01',
};

/** A store that counts the events it hands out, so the work of a load is measured without a clock. */
const countingStore = (file = join(temp.path, `events-${uniqueSuffix()}.db`)) => {
  const store = new SqliteEventStore(file);
  let eventsRead = 0;
  const readStream = store.readStream.bind(store);
  store.readStream = async (name: string, options?: ReadStreamOptions) => {
    const events = await readStream(name, options);
    eventsRead += events.length;
    return events;
  };
  return { store, file, eventsRead: () => eventsRead, reset: () => (eventsRead = 0) };
};

const appendMany = async (store: SqliteEventStore, stream: string, n: number) => {
  for (let from = 0; from < n; from += 500) {
    const batch = Array.from({ length: Math.min(500, n - from) }, (_, i) => counted(from + i));
    await store.append(stream, batch, from === 0 ? 'no_stream' : from - 1);
  }
};

describe('Loading a stream with snapshots', () => {
  it('reads at most SNAPSHOT_EVERY events per load whatever the stream’s length, with the state a full fold gives', async () => {
    const { store, file, eventsRead, reset } = countingStore();
    await appendMany(store, 'tally-1', 10_000);
    const full = foldRecorded(tally, await store.readStream('tally-1'));
    const first = await loadStream(store, 'tally-1', tally); // folds everything once, stores a snapshot
    expect(first.state).toEqual(full);
    reset();
    for (let i = 0; i < 3; i++) {
      const result = await executeCommand(store, {
        streamName: 'tally-1',
        decider: tally,
        command: { type: 'Count', data: { key: 'k1', by: 1 } } as never,
        request,
      });
      expect(result.revision).toBe(10_000 + i);
    }
    const loaded = await loadStream(store, 'tally-1', tally);
    expect(eventsRead()).toBeLessThanOrEqual(4 * 3);
    expect(loaded).toMatchObject({ revision: 10_002, state: foldRecorded(tally, await store.readStream('tally-1')) });
    await store.close();

    // Another process (nothing in memory) starts from the snapshot stored beside the stream.
    const restarted = countingStore(file);
    const again = await loadStream(restarted.store, 'tally-1', tally);
    expect(restarted.eventsRead()).toBeLessThanOrEqual(SNAPSHOT_EVERY);
    expect(again.state).toEqual(loaded.state);
    await restarted.store.close();
  });

  it('takes a new snapshot once SNAPSHOT_EVERY events were appended after the last one', async () => {
    const { store, file } = countingStore();
    await appendMany(store, 'tally-2', SNAPSHOT_EVERY * 3 + 5);
    await loadStream(store, 'tally-2', tally);
    await appendMany(store, 'tally-3', 1);
    for (let i = 0; i < SNAPSHOT_EVERY; i++) await store.append('tally-2', [counted(i)], SNAPSHOT_EVERY * 3 + 4 + i);
    await loadStream(store, 'tally-2', tally); // reads SNAPSHOT_EVERY events and snapshots them
    await store.close();
    const restarted = countingStore(file);
    const loaded = await loadStream(restarted.store, 'tally-2', tally);
    expect(restarted.eventsRead()).toBe(0);
    expect(loaded.state).toEqual(foldRecorded(tally, await restarted.store.readStream('tally-2')));
    expect(loaded.revision).toBe(SNAPSHOT_EVERY * 4 + 4);
    await restarted.store.close();
  });

  it('never reads back the snapshot of another fold: a changed evolve folds the stream again', async () => {
    const { store, eventsRead, reset } = countingStore();
    await appendMany(store, 'tally-4', 300);
    await loadStream(store, 'tally-4', tally);
    const doubled: typeof tally = { ...tally, evolve: (s, e) => tally.evolve(s, { ...e, data: { ...e.data, by: e.data.by * 2 } }) };
    reset();
    const again = await loadStream(store, 'tally-4', doubled);
    expect(eventsRead()).toBe(300);
    expect(again.state.total).toBe(2 * foldRecorded(tally, await store.readStream('tally-4')).total);
    const versioned = { ...tally, foldVersion: 2 };
    reset();
    await loadStream(store, 'tally-4', versioned);
    expect(eventsRead()).toBe(300);
    await store.close();
  });

  it('finds a retried request’s events by its Idempotency-Key without reading the stream', async () => {
    const { store, eventsRead, reset } = countingStore();
    await appendMany(store, 'tally-5', 1000);
    const keyed = { ...request, idempotencyKey: 'k-1', requestHash: 'h-1' };
    const first = await executeCommand(store, {
      streamName: 'tally-5',
      decider: tally,
      command: { type: 'Count', data: { key: 'k9', by: 5 } } as never,
      request: keyed,
    });
    reset();
    const retry = await executeCommand(store, {
      streamName: 'tally-5',
      decider: tally,
      command: { type: 'Count', data: { key: 'k9', by: 5 } } as never,
      request: keyed,
    });
    expect(eventsRead()).toBe(1); // the request's own event: the state is known at the stream's head
    expect(retry).toMatchObject({ replayed: true, position: first.position, events: first.events });
    await expect(
      executeCommand(store, {
        streamName: 'tally-5',
        decider: tally,
        command: { type: 'Count', data: { key: 'k9', by: 6 } } as never,
        request: { ...keyed, requestHash: 'h-2' },
      }),
    ).rejects.toMatchObject({ code: 'IdempotencyKeyReused' });
    await store.close();
  });

  it('keeps the state of a stream with no events: the next load reads no snapshot, and a later event (another process’s) is folded', async () => {
    const { store, file } = countingStore();
    let snapshotReads = 0;
    const read = store.snapshots.read.bind(store.snapshots);
    store.snapshots.read = (name, fold) => ((snapshotReads += 1), read(name, fold));
    const empty = await loadStream(store, 'tally-6', tally);
    const again = await loadStream(store, 'tally-6', tally);
    expect(snapshotReads).toBe(1);
    expect(again).toMatchObject({ revision: -1, position: 0, state: tally.initialState() });
    const other = new SqliteEventStore(file);
    await other.append('tally-6', [counted(3)], 'no_stream');
    await other.close();
    const after = await loadStream(store, 'tally-6', tally);
    expect(after).toMatchObject({ revision: 0, state: { total: 3, byKey: { k3: 3 } } });
    expect(empty.state).toEqual(tally.initialState()); // the kept state is shared, never changed by a later fold
    expect(snapshotReads).toBe(1);
    await store.close();
  });
});
