import { join } from 'node:path';
import { NewEvent } from '../event-store/event-store.port';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../read-store/sqlite/sqlite-read-store';
import { makeTempDir, uniqueSuffix, within } from '../testing/contract-suite';
import { Projection } from './projection';
import { ProjectionHub } from './projection-hub';
import { rebuildProjection } from './projection-runner';

// A release that changes what a projection writes bumps its version; a start then rebuilds that read model from the
// log, and only that one (ADR 0033). Real SQLite files for the log and the read models, closed and reopened as a
// restart would.
type TallyDoc = { id: string; total: number; largest?: number };
const counted = (by: number): NewEvent => ({
  type: 'Counted',
  data: { by },
  metadata: { actor: 'u-1', correlationId: 'c', causationId: null, occurredAt: '2025-03-01T10:00:00.000Z', schemaVersion: 1 },
});
const streamId = (streamName: string) => streamName.slice('tally-'.length);
const by = (data: unknown) => (data as { by: number }).by;

/** Every evolve call, by projection name: a projection that is not rebuilt folds nothing on a start without appends. */
let folded: Record<string, number> = {};
const counting = <Doc extends { id: string }>(projection: Projection<Doc>): Projection<Doc> => ({
  ...projection,
  evolve: (doc, event, id, lookup) => {
    folded[projection.name] = (folded[projection.name] ?? 0) + 1;
    return projection.evolve(doc, event, id, lookup);
  },
});

/** Version 1: a total per stream. */
const talliesV1: Projection<TallyDoc> = {
  name: 'tallies',
  collection: 'tallies',
  handles: ['Counted'],
  indexes: [{ fields: ['total'] }],
  documentIds: (event) => [streamId(event.streamName)],
  evolve: (doc, event, id) => ({ id, total: (doc?.total ?? 0) + by(event.data) }),
};
/** Version 2 writes other documents: the largest count too, and none for the `void` stream. */
const talliesV2: Projection<TallyDoc> = {
  ...talliesV1,
  version: 2,
  documentIds: (event) => (event.streamName === 'tally-void' ? [] : [streamId(event.streamName)]),
  evolve: (doc, event, id) => ({ id, total: (doc?.total ?? 0) + by(event.data), largest: Math.max(doc?.largest ?? 0, by(event.data)) }),
};
/** Unchanged across the releases. */
const eventCount: Projection<{ id: string; count: number }> = {
  name: 'event_count',
  collection: 'event_count',
  handles: ['Counted'],
  documentIds: () => ['all'],
  evolve: (doc, _event, id) => ({ id, count: (doc?.count ?? 0) + 1 }),
};

const temp = makeTempDir('projection-versions');
afterAll(() => temp.remove());

describe('a projection whose version changed is rebuilt on start, once', () => {
  let eventsFile: string;
  let readsFile: string;
  let messages: string[];

  /** One run of the runtime on the files, as a server's start would run it, until it has caught up; then it stops. */
  const runOnce = async (projections: readonly Projection<{ id: string }>[], append: Record<string, NewEvent[]> = {}) => {
    folded = {};
    const events = new SqliteEventStore(eventsFile, { pollIntervalMs: 20 });
    const reads = new SqliteReadStore(readsFile);
    const logger = { log: (msg: string) => messages.push(msg), error: (msg: string) => messages.push(msg) };
    const hub = new ProjectionHub(events, reads, projections.map(counting), [], logger, { batchSize: 2 });
    try {
      for (const [stream, batch] of Object.entries(append)) await events.append(`tally-${stream}`, batch, 'no_stream');
      hub.start();
      await within(hub.atHead, 10_000, 'catch-up');
      const head = await events.headPosition();
      return {
        head,
        status: await hub.status(),
        tallies: await reads.find<TallyDoc>('tallies'),
        count: await reads.get<{ count: number }>('event_count', 'all'),
        checkpoints: { tallies: await reads.getCheckpoint('tallies'), event_count: await reads.getCheckpoint('event_count') },
        versions: { tallies: await reads.getProjectionVersion('tallies'), event_count: await reads.getProjectionVersion('event_count') },
      };
    } finally {
      await hub.stop();
      await reads.close();
      await events.close();
    }
  };

  beforeEach(() => {
    eventsFile = join(temp.path, `events-${uniqueSuffix()}.db`);
    readsFile = join(temp.path, `reads-${uniqueSuffix()}.db`);
    messages = [];
  });

  it('v1 data, v2 declared: its documents are emptied and folded again from position 0 with v2; the other projection goes on from its checkpoint', async () => {
    const before = await runOnce([talliesV1, eventCount], { a: [counted(2), counted(5)], b: [counted(1)], void: [counted(9)] });
    expect(before.tallies).toMatchObject([
      { id: 'a', total: 7 },
      { id: 'b', total: 1 },
      { id: 'void', total: 9 },
    ]);
    expect(before.versions).toEqual({ tallies: 1, event_count: 1 });

    const after = await runOnce([talliesV2, eventCount]);

    expect(after.tallies).toEqual([
      { id: 'a', total: 7, largest: 5, _position: 2 },
      { id: 'b', total: 1, largest: 1, _position: 3 },
    ]);
    expect(after.checkpoints).toEqual({ tallies: after.head, event_count: after.head });
    expect(after.versions).toEqual({ tallies: 2, event_count: 1 });
    expect(folded).toEqual({ tallies: 3 });
    expect(after.count).toMatchObject({ count: 4 });
    expect(after.status.catchingUp).toBe(false);
    expect(messages).toContainEqual(expect.stringMatching(/tallies: version 2 declared, 1 stored; rebuilding/));
  });

  it('the same version on the next start: nothing is rebuilt, and new events are applied from the checkpoints', async () => {
    await runOnce([talliesV1, eventCount], { a: [counted(2)], b: [counted(3)] });
    await runOnce([talliesV2, eventCount]);
    messages = [];

    const again = await runOnce([talliesV2, eventCount]);
    expect(folded).toEqual({});
    expect(messages.filter((m) => /rebuilding/.test(m))).toEqual([]);
    expect(again.tallies).toMatchObject([
      { id: 'a', total: 2, largest: 2 },
      { id: 'b', total: 3, largest: 3 },
    ]);

    const live = await runOnce([talliesV2, eventCount], { c: [counted(4)] });
    expect(folded).toEqual({ tallies: 1, event_count: 1 });
    expect(live.tallies.map((t) => t.id)).toEqual(['a', 'b', 'c']);
    expect(live.count).toMatchObject({ count: 3 });
  });

  it('a data file written before versions counts as version 1: a v1 definition starts from its checkpoint', async () => {
    await runOnce([talliesV1, eventCount], { a: [counted(2)] });
    const again = await runOnce([talliesV1, eventCount]);
    expect(folded).toEqual({});
    expect(again.versions).toEqual({ tallies: 1, event_count: 1 });
  });

  it('projections:rebuild records the version it rebuilt with: the next start does not rebuild again', async () => {
    await runOnce([talliesV1, eventCount], { a: [counted(2), counted(6)] });
    const events = new SqliteEventStore(eventsFile);
    const reads = new SqliteReadStore(readsFile);
    try {
      await rebuildProjection(events, reads, talliesV2);
      expect(await reads.getProjectionVersion('tallies')).toBe(2);
    } finally {
      await reads.close();
      await events.close();
    }

    const after = await runOnce([talliesV2, eventCount]);
    expect(folded).toEqual({});
    expect(after.tallies).toMatchObject([{ id: 'a', total: 8, largest: 6 }]);
  });
});
