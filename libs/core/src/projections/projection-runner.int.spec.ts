import { join } from 'node:path';
import { InMemoryEventStore } from '../event-store/in-memory/in-memory-event-store';
import { NewEvent } from '../event-store/event-store.port';
import { SqliteReadStore } from '../read-store/sqlite/sqlite-read-store';
import { makeTempDir, uniqueSuffix, within } from '../testing/contract-suite';
import { Projection } from './projection';
import { ProjectionHub } from './projection-hub';
import { ProjectionRunner, rebuildProjection, waitForProjections } from './projection-runner';

// The runner below HTTP: a real SQLite read store, events from the in-memory event store.
type TallyDoc = { id: string; total: number; counts: number };
const tallies: Projection<TallyDoc> = {
  name: 'tallies',
  collection: 'tallies',
  handles: ['Counted'],
  indexes: [{ fields: ['total'] }],
  documentIds: (event) => [event.streamName.slice('tally-'.length)],
  evolve: (doc, event, id) => ({ id, total: (doc?.total ?? 0) + (event.data as { by: number }).by, counts: (doc?.counts ?? 0) + 1 }),
};
const counted = (by: number): NewEvent => ({
  type: 'Counted',
  data: { by },
  metadata: { actor: 'u-1', correlationId: 'c', causationId: null, occurredAt: '2025-03-01T10:00:00.000Z', schemaVersion: 1 },
});
const ignored: NewEvent = { ...counted(0), type: 'Unrelated' };
const silent = { log: () => undefined, error: () => undefined };

const temp = makeTempDir('projection-runner');
afterAll(() => temp.remove());

describe('ProjectionRunner', () => {
  let events: InMemoryEventStore;
  let reads: SqliteReadStore;
  let runners: ProjectionRunner[];
  const startRunner = () => {
    const runner = new ProjectionRunner(events, reads, tallies, silent);
    runners.push(runner);
    runner.start();
    return runner;
  };
  const caughtUp = async (position: number) =>
    expect(await within(waitForProjections(reads, ['tallies'], position, 5_000), 6_000, 'catch-up')).toBe(true);

  beforeEach(() => {
    events = new InMemoryEventStore();
    reads = new SqliteReadStore(join(temp.path, `reads-${uniqueSuffix()}.db`));
    runners = [];
  });
  afterEach(async () => {
    for (const runner of runners) await runner.stop();
    await reads.close();
  });

  it('catches up on the log, then follows live appends, writing documents with the checkpoint', async () => {
    await events.append('tally-a', [counted(2), counted(3)], 'no_stream');
    await events.append('other-x', [ignored], 'no_stream');
    startRunner();
    await caughtUp(3);
    expect(await reads.get('tallies', 'a')).toMatchObject({ id: 'a', total: 5, counts: 2, _position: 2 });
    const live = await events.append('tally-b', [counted(7)], 'no_stream');
    await caughtUp(live.position);
    expect(await reads.find('tallies', {}, { sort: { total: -1 } })).toMatchObject([
      { id: 'b', total: 7 },
      { id: 'a', total: 5 },
    ]);
    expect(await reads.getCheckpoint('tallies')).toBe(live.position);
  });

  it('resumes from its checkpoint after a restart: nothing is applied twice, nothing is lost', async () => {
    await events.append('tally-a', [counted(1)], 'no_stream');
    const first = startRunner();
    await caughtUp(1);
    await first.stop();
    await events.append('tally-a', [counted(10)], 0);
    startRunner();
    await caughtUp(2);
    expect(await reads.get('tallies', 'a')).toMatchObject({ total: 11, counts: 2 });
  });

  it('a rebuild replays the log into a shadow collection and swaps it in; the live runner carries on from there', async () => {
    await events.append('tally-a', [counted(1), counted(2)], 'no_stream');
    startRunner();
    await caughtUp(2);
    const progress: number[] = [];
    await expect(rebuildProjection(events, reads, tallies, (position) => progress.push(position))).resolves.toEqual({
      position: 2,
      events: 2,
    });
    expect(progress.at(-1)).toBe(2);
    const after = await events.append('tally-a', [counted(4)], 1);
    await caughtUp(after.position);
    expect(await reads.find('tallies')).toMatchObject([{ id: 'a', total: 7, counts: 3 }]);
  });
});

describe('ProjectionHub reaching the head of the log', () => {
  it('signals atHead once every batch up to the head is applied (the end of the start-up catch-up), not before', async () => {
    const events = new InMemoryEventStore();
    const reads = new SqliteReadStore(join(temp.path, `reads-${uniqueSuffix()}.db`));
    for (const stream of ['a', 'b', 'c']) await events.append(`tally-${stream}`, [counted(1), counted(2)], 'no_stream');
    const hub = new ProjectionHub(events, reads, [tallies], [], silent, { batchSize: 2 });
    let signalled = false;
    void hub.atHead.then(() => (signalled = true));
    await new Promise((r) => setImmediate(r));
    expect(signalled).toBe(false);
    hub.start();
    try {
      await within(hub.atHead, 5_000, 'atHead');
      expect(await reads.getCheckpoint('tallies')).toBe(6);
      expect((await hub.status()).catchingUp).toBe(false);
    } finally {
      await hub.stop();
      await reads.close();
    }
  });

  it('a hub with nothing to run is at the head at once', async () => {
    const hub = new ProjectionHub(new InMemoryEventStore(), {} as SqliteReadStore, [], [], silent);
    await expect(within(hub.atHead, 1_000, 'atHead')).resolves.toBeUndefined();
  });
});
