/**
 * The ReadStore contract: queries, batches with their checkpoint, idempotency by position,
 * collection swaps, and the projection runtime on top (catch-up, live, crash resume, rebuild).
 * Collections and projections get random names, so the suite can share a server.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { describeContract, makeTempDir, sleep, uniqueSuffix, within } from '../testing/contract-suite';
import { EventStore, NewEvent, RecordedEvent } from '../event-store/event-store.port';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { Projection } from '../projections/projection';
import { ProjectionRunner, rebuildProjection, RunnerLogger, waitForProjections } from '../projections/projection-runner';
import { DocumentChange, DocumentFilter, ReadStore, StoredDocument } from './read-store.port';

const upsert = (id: string, position: number, fields: Record<string, unknown> = {}): DocumentChange => ({
  op: 'upsert',
  id,
  doc: { ...fields, id, _position: position },
});
const remove = (id: string, position: number): DocumentChange => ({ op: 'delete', id, position });

const idsOf = (docs: readonly { id: string }[]) => docs.map((d) => d.id);

/**
 * Counts events: `total` counts every handled event, one document per stream counts that
 * stream's `Counted` events and `Reset` deletes it. A replayed event would count twice.
 */
type CountDocument = { id: string; count: number; lastEvent: string };
const countingProjection = (name: string): Projection<CountDocument> => ({
  name,
  collection: `${name}_counts`,
  handles: ['Counted', 'Reset'],
  indexes: [{ fields: ['count'] }],
  documentIds: (event) => ['total', event.streamName],
  evolve: (doc, event, id) => {
    if (event.type === 'Reset' && id !== 'total') return null;
    return { id, count: (doc?.count ?? 0) + 1, lastEvent: event.id };
  },
});

/** What the projection must hold after these events: the same fold, in memory. */
const expectedDocuments = (projection: Projection<CountDocument>, events: readonly RecordedEvent[]): StoredDocument[] => {
  const docs = new Map<string, StoredDocument | null>();
  for (const event of events) {
    if (!projection.handles.includes(event.type)) continue;
    for (const id of projection.documentIds(event)) {
      const next = projection.evolve((docs.get(id) as CountDocument | null | undefined) ?? null, event, id, () => null);
      docs.set(id, next === null ? null : { ...next, id, _position: event.position });
    }
  }
  return [...docs.values()].filter((d): d is StoredDocument => d !== null).sort((a, b) => (a.id < b.id ? -1 : 1));
};

const countEvent = (type: 'Counted' | 'Reset' | 'Ignored' = 'Counted'): NewEvent => ({
  type,
  data: {},
  metadata: { actor: 'user-contract', correlationId: 'c', causationId: null, occurredAt: new Date().toISOString(), schemaVersion: 1 },
});

const silentLogger = (errors: unknown[]): RunnerLogger => ({
  log: () => undefined,
  error: (message, err) => errors.push(err ?? message),
});

type ApplyBatch = ReadStore['applyBatch'];

/** The same store, with applyBatch replaced (to crash a runner at a chosen point). */
const withApplyBatch = (inner: ReadStore, applyBatch: ApplyBatch): ReadStore =>
  new Proxy(inner, {
    get(target, property) {
      if (property === 'applyBatch') return applyBatch;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

/** A promise that never settles: the process "died" at this await. */
const never = () => new Promise<never>(() => undefined);

export const describeReadStoreContract = (name: string, factory: () => Promise<ReadStore>, skipReason?: string): void =>
  describeContract(name, skipReason, () => {
    let store: ReadStore;

    beforeAll(async () => {
      store = await factory();
    });
    afterAll(async () => {
      await store?.close();
    });

    /** Writes documents through the only write path of the port: a batch under a throwaway projection. */
    const seed = async (collection: string, docs: readonly StoredDocument[]) => {
      const changes = docs.map((doc) => upsert(doc.id, doc._position, doc));
      const next = Math.max(0, ...docs.map((d) => d._position));
      expect(await store.applyBatch({ projection: `seed_${uniqueSuffix()}`, collection, changes, expected: 0, next })).toBe('applied');
    };

    describe('queries', () => {
      const collection = `people_${uniqueSuffix()}`;
      const people: StoredDocument[] = [
        { id: 'a1', name: 'Ada', tier: 1, active: true, region: 'north', address: { city: 'Oslo', zip: 100 }, _position: 1 },
        { id: 'b2', name: 'Bob', tier: 2, active: false, region: 'south', address: { city: 'Rome', zip: 200 }, _position: 2 },
        { id: 'c3', name: 'Cy', tier: 3, active: true, region: null, address: { city: 'Oslo', zip: 300 }, _position: 3 },
        { id: 'd4', name: 'Di', tier: 2, active: true, address: { city: 'Lima', zip: 400 }, _position: 4 },
        { id: 'e5', name: 'Ed', tier: 5, active: false, region: 'north', address: { city: 'Rome', zip: 500 }, _position: 5 },
      ];
      const found = async (filter?: DocumentFilter, options?: Parameters<ReadStore['find']>[2]) =>
        idsOf(await store.find<StoredDocument>(collection, filter, options));

      beforeAll(async () => {
        await seed(collection, people);
      });

      it('gets a document by id as it was stored (id and _position included), or null', async () => {
        expect(await store.get(collection, 'c3')).toEqual(people[2]);
        expect(await store.get(collection, 'zz')).toBeNull();
        expect(await store.get(`never_${uniqueSuffix()}`, 'a1')).toBeNull();
      });

      it('gets many documents by id in one read where the store has it: those that exist, each once', async () => {
        if (!store.getMany) return expect(store.kind).toBe('mongodb');
        const many = await store.getMany(collection, ['e5', 'zz', 'a1', 'a1']);
        expect([...many.entries()].sort()).toEqual([
          ['a1', people[0]],
          ['e5', people[4]],
        ]);
        expect((await store.getMany(collection, [])).size).toBe(0);
        expect((await store.getMany(`never_${uniqueSuffix()}`, ['a1'])).size).toBe(0);
      });

      it('finds everything, ordered by id, without a filter', async () => {
        expect(await store.find(collection)).toEqual(people);
        expect(await store.find(`never_${uniqueSuffix()}`)).toEqual([]);
      });

      it('matches equality on strings, numbers and booleans; null matches null and missing', async () => {
        expect(await found({ region: 'north' })).toEqual(['a1', 'e5']);
        expect(await found({ tier: 2 })).toEqual(['b2', 'd4']);
        expect(await found({ active: false })).toEqual(['b2', 'e5']);
        expect(await found({ region: null })).toEqual(['c3', 'd4']);
        expect(await found({ region: undefined })).toEqual(['a1', 'b2', 'c3', 'd4', 'e5']);
      });

      it('supports $in, $gte, $gt, $lte, $lt and $ne', async () => {
        expect(await found({ tier: { $in: [1, 5] } })).toEqual(['a1', 'e5']);
        expect(await found({ region: { $in: ['south', 'north'] } })).toEqual(['a1', 'b2', 'e5']);
        expect(await found({ tier: { $in: [] } })).toEqual([]);
        expect(await found({ tier: { $gte: 3 } })).toEqual(['c3', 'e5']);
        expect(await found({ tier: { $gt: 3 } })).toEqual(['e5']);
        expect(await found({ tier: { $lte: 2 } })).toEqual(['a1', 'b2', 'd4']);
        expect(await found({ tier: { $lt: 2 } })).toEqual(['a1']);
        expect(await found({ tier: { $gt: 1, $lt: 5 } })).toEqual(['b2', 'c3', 'd4']);
        expect(await found({ name: { $gte: 'C' } })).toEqual(['c3', 'd4', 'e5']);
        // $ne also matches documents where the field is null or missing.
        expect(await found({ region: { $ne: 'north' } })).toEqual(['b2', 'c3', 'd4']);
        expect(await found({ region: { $ne: null } })).toEqual(['a1', 'b2', 'e5']);
      });

      it('supports $nin, which like $ne matches a null or missing field unless null is listed', async () => {
        expect(await found({ region: { $nin: ['north'] } })).toEqual(['b2', 'c3', 'd4']);
        expect(await found({ region: { $nin: ['north', 'south'] } })).toEqual(['c3', 'd4']);
        expect(await found({ region: { $nin: ['north', null] } })).toEqual(['b2']);
        expect(await found({ region: { $nin: [], $ne: null } })).toEqual(['a1', 'b2', 'e5']);
        expect(await found({ tier: { $nin: [1, 2] } })).toEqual(['c3', 'e5']);
        expect(await found({ id: { $nin: ['a1', 'zz'] } })).toEqual(['b2', 'c3', 'd4', 'e5']);
        expect(await store.count(collection, { region: { $nin: ['north'] } })).toBe(3);
      });

      it('filters on dotted paths, on id, and on several fields at once (and)', async () => {
        expect(await found({ 'address.city': 'Oslo' })).toEqual(['a1', 'c3']);
        expect(await found({ 'address.zip': { $gte: 300 } })).toEqual(['c3', 'd4', 'e5']);
        expect(await found({ id: 'b2' })).toEqual(['b2']);
        expect(await found({ id: { $in: ['e5', 'a1', 'zz'] } })).toEqual(['a1', 'e5']);
        expect(await found({ active: true, 'address.city': 'Oslo', tier: { $gt: 1 } })).toEqual(['c3']);
      });

      it('counts with and without a filter', async () => {
        expect(await store.count(collection)).toBe(5);
        expect(await store.count(collection, { active: true })).toBe(3);
        expect(await store.count(collection, { 'address.city': { $in: ['Rome', 'Lima'] } })).toBe(3);
        expect(await store.count(`never_${uniqueSuffix()}`)).toBe(0);
      });

      it('totals: counts and sums numeric fields over every match, in the store; a missing or non-numeric value adds 0', async () => {
        expect(await store.totals(collection, {}, ['tier', 'address.zip'])).toEqual({ count: 5, sums: { tier: 13, 'address.zip': 1500 } });
        expect(await store.totals(collection, { active: true }, ['tier'])).toEqual({ count: 3, sums: { tier: 6 } });
        expect(await store.totals(collection, { region: { $nin: ['north'] } }, ['tier', 'name', 'nowhere'])).toEqual({
          count: 3,
          sums: { tier: 7, name: 0, nowhere: 0 },
        });
        expect(await store.totals(collection, { tier: { $gt: 9 } }, ['tier'])).toEqual({ count: 0, sums: { tier: 0 } });
        expect(await store.totals(`never_${uniqueSuffix()}`, undefined, ['tier'])).toEqual({ count: 0, sums: { tier: 0 } });
      });

      it('sorts (ties broken by id), skips and limits', async () => {
        expect(await found({}, { sort: { tier: -1 } })).toEqual(['e5', 'c3', 'b2', 'd4', 'a1']);
        expect(await found({}, { sort: { 'address.city': 1 } })).toEqual(['d4', 'a1', 'c3', 'b2', 'e5']);
        expect(await found({}, { sort: { active: 1, tier: -1 } })).toEqual(['e5', 'b2', 'c3', 'd4', 'a1']);
        expect(await found({}, { sort: { id: -1 } })).toEqual(['e5', 'd4', 'c3', 'b2', 'a1']);
        expect(await found({}, { sort: { tier: 1 }, skip: 1, limit: 2 })).toEqual(['b2', 'd4']);
        expect(await found({}, { sort: { tier: 1 }, skip: 4, limit: 10 })).toEqual(['e5']);
        expect(await found({ active: true }, { limit: 2 })).toEqual(['a1', 'c3']);
        expect(await found({}, { limit: 0 })).toEqual([]);
      });

      it('rejects unknown operators and unsafe names', async () => {
        await expect(store.find(collection, { tier: { $where: 'true' } } as unknown as DocumentFilter)).rejects.toThrow(/operator/);
        await expect(store.find(collection, { 'tier; DROP': 1 })).rejects.toThrow(/field/);
        await expect(store.find('bad-name', {})).rejects.toThrow(/name/);
      });
    });

    describe('batches and checkpoints', () => {
      let collection: string;
      let projection: string;
      beforeEach(() => {
        collection = `docs_${uniqueSuffix()}`;
        projection = `proj_${uniqueSuffix()}`;
      });

      it('starts a projection at checkpoint 0', async () => {
        expect(await store.getCheckpoint(projection)).toBe(0);
      });

      it('applies upserts and deletes and moves the checkpoint', async () => {
        expect(
          await store.applyBatch({
            projection,
            collection,
            changes: [upsert('x', 5, { v: 1 }), upsert('y', 10, { v: 1 })],
            expected: 0,
            next: 10,
          }),
        ).toBe('applied');
        expect(await store.getCheckpoint(projection)).toBe(10);
        expect(
          await store.applyBatch({ projection, collection, changes: [upsert('x', 15, { v: 2 }), remove('y', 20)], expected: 10, next: 20 }),
        ).toBe('applied');
        expect(await store.getCheckpoint(projection)).toBe(20);
        expect(await store.find(collection)).toEqual([{ id: 'x', v: 2, _position: 15 }]);
        expect(await store.get(collection, 'y')).toBeNull();
      });

      it('moves the checkpoint on an empty batch', async () => {
        expect(await store.applyBatch({ projection, collection, changes: [], expected: 0, next: 42 })).toBe('applied');
        expect(await store.getCheckpoint(projection)).toBe(42);
      });

      it('returns checkpoint_mismatch and writes nothing when the checkpoint is not the expected one', async () => {
        await store.applyBatch({ projection, collection, changes: [upsert('x', 10, { v: 1 })], expected: 0, next: 10 });
        expect(
          await store.applyBatch({ projection, collection, changes: [upsert('x', 25, { v: 2 }), upsert('z', 25)], expected: 5, next: 25 }),
        ).toBe('checkpoint_mismatch');
        expect(await store.applyBatch({ projection, collection, changes: [upsert('z', 25), remove('x', 25)], expected: 0, next: 25 })).toBe(
          'checkpoint_mismatch',
        );
        expect(await store.getCheckpoint(projection)).toBe(10);
        expect(await store.find(collection)).toEqual([{ id: 'x', v: 1, _position: 10 }]);
      });

      it('replays idempotently: the same batch again is refused, and an older change never overwrites a later document', async () => {
        const batch = [upsert('a', 10, { v: 1 }), upsert('b', 10, { v: 1 }), upsert('c', 10, { v: 1 })];
        expect(await store.applyBatch({ projection, collection, changes: batch, expected: 0, next: 10 })).toBe('applied');
        expect(await store.applyBatch({ projection, collection, changes: batch, expected: 0, next: 10 })).toBe('checkpoint_mismatch');

        // The crash window of a store without transactions: documents written at 30, checkpoint still at 10.
        const crashed = `${projection}_crashed`;
        await store.applyBatch({
          projection: crashed,
          collection,
          changes: [upsert('a', 30, { v: 3 }), upsert('c', 30, { v: 3 })],
          expected: 0,
          next: 30,
        });
        const replayed = [upsert('a', 20, { v: 2 }), upsert('b', 20, { v: 2 }), remove('c', 20), upsert('d', 20, { v: 2 })];
        expect(await store.applyBatch({ projection, collection, changes: replayed, expected: 10, next: 20 })).toBe('applied');
        expect(await store.find(collection)).toEqual([
          { id: 'a', v: 3, _position: 30 },
          { id: 'b', v: 2, _position: 20 },
          { id: 'c', v: 3, _position: 30 },
          { id: 'd', v: 2, _position: 20 },
        ]);
        expect(await store.getCheckpoint(projection)).toBe(20);
      });

      it('sets a checkpoint directly', async () => {
        await store.setCheckpoint(projection, 7);
        await store.setCheckpoint(projection, 3);
        expect(await store.getCheckpoint(projection)).toBe(3);
      });

      it('creates indexes idempotently; a unique index refuses a duplicate and the checkpoint stays', async () => {
        const indexes = [{ fields: ['email'], unique: true }, { fields: ['address.city', 'tier'] }];
        await store.ensureIndexes(collection, indexes);
        await store.ensureIndexes(collection, indexes);
        await store.applyBatch({
          projection,
          collection,
          changes: [upsert('a', 1, { email: 'a@x.test' }), upsert('b', 1, { tier: 1 }), upsert('c', 1, { tier: 2 })],
          expected: 0,
          next: 1,
        });
        // Checked by message, not toThrow: better-sqlite3's error class belongs to the first test
        // file that loaded the native addon, so in a later file it is not an `Error` of this realm.
        const failure = await store
          .applyBatch({ projection, collection, changes: [upsert('d', 2, { email: 'a@x.test' })], expected: 1, next: 2 })
          .then(
            () => 'applied without error',
            (err: { message?: unknown }) => String(err?.message),
          );
        expect(failure).toMatch(/unique|duplicate/i);
        expect(await store.getCheckpoint(projection)).toBe(1);
        expect(await store.get(collection, 'd')).toBeNull();
      });
    });

    describe('projection versions (stored beside the checkpoint)', () => {
      let collection: string;
      let projection: string;
      beforeEach(() => {
        collection = `docs_${uniqueSuffix()}`;
        projection = `proj_${uniqueSuffix()}`;
      });

      it('counts a projection without a stored version as version 1, and batches and checkpoint moves keep the stored one', async () => {
        expect(await store.getProjectionVersion(projection)).toBe(1);
        await store.applyBatch({ projection, collection, changes: [upsert('a', 4)], expected: 0, next: 4 });
        expect(await store.getProjectionVersion(projection)).toBe(1);
        await store.resetProjection(projection, collection, 3);
        expect(await store.applyBatch({ projection, collection, changes: [upsert('a', 4)], expected: 0, next: 4 })).toBe('applied');
        await store.setCheckpoint(projection, 9);
        expect(await store.getProjectionVersion(projection)).toBe(3);
        expect(await store.getCheckpoint(projection)).toBe(9);
      });

      it('resets a projection: its documents gone, its checkpoint at 0, the new version recorded; other projections untouched', async () => {
        const other = `proj_${uniqueSuffix()}`;
        const otherCollection = `docs_${uniqueSuffix()}`;
        await store.ensureIndexes(collection, [{ fields: ['v'] }]);
        await store.applyBatch({
          projection,
          collection,
          changes: [upsert('a', 5, { v: 1 }), upsert('b', 6, { v: 2 })],
          expected: 0,
          next: 6,
        });
        await store.applyBatch({ projection: other, collection: otherCollection, changes: [upsert('x', 6)], expected: 0, next: 6 });

        await store.resetProjection(projection, collection, 2);

        expect(await store.find(collection)).toEqual([]);
        expect(await store.getCheckpoint(projection)).toBe(0);
        expect(await store.getProjectionVersion(projection)).toBe(2);
        expect(await store.find(otherCollection)).toEqual([{ id: 'x', _position: 6 }]);
        expect(await store.getCheckpoint(other)).toBe(6);
        expect(await store.getProjectionVersion(other)).toBe(1);
        // Caught up again from 0 into the emptied collection, its indexes still usable.
        await store.ensureIndexes(collection, [{ fields: ['v'] }]);
        expect(await store.applyBatch({ projection, collection, changes: [upsert('a', 5, { v: 7 })], expected: 0, next: 6 })).toBe(
          'applied',
        );
        expect(await store.find(collection, { v: 7 })).toEqual([{ id: 'a', v: 7, _position: 5 }]);
      });

      it('resets a projection that never ran, and a reset done twice leaves the same state', async () => {
        await store.resetProjection(projection, collection, 4);
        await store.resetProjection(projection, collection, 4);
        expect(await store.getCheckpoint(projection)).toBe(0);
        expect(await store.getProjectionVersion(projection)).toBe(4);
        expect(await store.find(collection)).toEqual([]);
      });

      it('a swap records the version it is given, and keeps the stored one when given none', async () => {
        const shadow = `${collection}__rebuild`;
        await store.resetProjection(projection, collection, 2);
        await seed(shadow, [{ id: 'n', _position: 3 }]);
        await store.swapCollection(shadow, collection, projection, 3);
        expect(await store.getProjectionVersion(projection)).toBe(2);
        await seed(shadow, [{ id: 'm', _position: 4 }]);
        await store.swapCollection(shadow, collection, projection, 4, 5);
        expect(await store.getProjectionVersion(projection)).toBe(5);
        expect(await store.getCheckpoint(projection)).toBe(4);
        expect(await store.find(collection)).toEqual([{ id: 'm', _position: 4 }]);
      });
    });

    describe('collections', () => {
      it('swaps a shadow collection in, with its checkpoint; the shadow is gone', async () => {
        const target = `live_${uniqueSuffix()}`;
        const shadow = `${target}__rebuild`;
        const projection = `proj_${uniqueSuffix()}`;
        await store.ensureIndexes(target, [{ fields: ['v'] }]);
        await store.applyBatch({ projection, collection: target, changes: [upsert('old', 5, { v: 0 })], expected: 0, next: 5 });
        await seed(shadow, [
          { id: 'n1', v: 1, _position: 8 },
          { id: 'n2', v: 2, _position: 9 },
        ]);
        await store.swapCollection(shadow, target, projection, 9);
        expect(await store.find(target)).toEqual([
          { id: 'n1', v: 1, _position: 8 },
          { id: 'n2', v: 2, _position: 9 },
        ]);
        expect(await store.find(shadow)).toEqual([]);
        expect(await store.getCheckpoint(projection)).toBe(9);
        await store.ensureIndexes(target, [{ fields: ['v'] }]);
      });

      it('swapping in a shadow that was never written leaves the target empty', async () => {
        const target = `live_${uniqueSuffix()}`;
        await seed(target, [{ id: 'old', _position: 1 }]);
        await store.swapCollection(`${target}__rebuild`, target, `proj_${uniqueSuffix()}`, 3);
        expect(await store.find(target)).toEqual([]);
      });

      it('drops a collection; dropping a missing one is fine', async () => {
        const collection = `gone_${uniqueSuffix()}`;
        await seed(collection, [{ id: 'a', _position: 1 }]);
        await store.dropCollection(collection);
        expect(await store.find(collection)).toEqual([]);
        await expect(store.dropCollection(`never_${uniqueSuffix()}`)).resolves.toBeUndefined();
      });

      it('answers ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe('projection runtime (over a SQLite event store)', () => {
      const temp = makeTempDir('projection-runtime');
      afterAll(() => temp.remove());

      let events: EventStore;
      let projection: Projection<CountDocument>;
      let runners: ProjectionRunner[];
      let crashedRunners: ProjectionRunner[];
      let errors: unknown[];

      beforeEach(() => {
        events = new SqliteEventStore(join(temp.path, `events-${uniqueSuffix()}.db`), { pollIntervalMs: 20 });
        projection = countingProjection(`count_${uniqueSuffix()}`);
        runners = [];
        crashedRunners = [];
        errors = [];
      });
      afterEach(async () => {
        await Promise.all(runners.map((r) => r.stop()));
        // A crashed runner hangs in its last write forever: release its subscription, do not wait for it.
        for (const runner of crashedRunners) void runner.stop();
        await events.close();
      });

      const startRunner = () => {
        const runner = new ProjectionRunner(events, store, projection, silentLogger(errors));
        runners.push(runner);
        runner.start();
        return runner;
      };
      /** A runner whose first applyBatch crashes the "process" (see withApplyBatch). */
      const startCrashingRunner = (applyBatch: ApplyBatch) => {
        const runner = new ProjectionRunner(events, withApplyBatch(store, applyBatch), projection, silentLogger(errors));
        crashedRunners.push(runner);
        runner.start();
      };
      const append = async (stream: string, ...types: Parameters<typeof countEvent>[0][]) =>
        events.append(stream, types.map(countEvent), 'any');
      const caughtUp = async () =>
        expect(await waitForProjections(store, [projection.name], await events.headPosition(), 10_000)).toBe(true);
      const expectProjected = async () => {
        expect(await store.find(projection.collection)).toEqual(expectedDocuments(projection, await events.readAll({ maxCount: 100_000 })));
      };
      const total = async () => (await store.get<CountDocument>(projection.collection, 'total'))?.count;

      it('catches up from the log, then follows live appends', async () => {
        await append('order-1', 'Counted', 'Counted', 'Ignored');
        await append('order-2', 'Counted', 'Reset');
        startRunner();
        await caughtUp();
        await expectProjected();
        expect(await total()).toBe(4);

        await append('order-3', 'Counted');
        await append('order-1', 'Counted', 'Reset');
        await caughtUp();
        await expectProjected();
        expect(await total()).toBe(7);
        expect(errors).toEqual([]);
      });

      it('resumes from its checkpoint after a crash between documents and checkpoint: nothing counted twice, nothing missed', async () => {
        for (let i = 0; i < 10; i++) await append(`order-${i % 3}`, 'Counted');
        let crashed!: () => void;
        const crash = new Promise<void>((resolve) => (crashed = resolve));
        // Writes the documents but not the projection's checkpoint, then "dies".
        startCrashingRunner(async ({ projection: name, collection, changes, next }) => {
          const side = `${name}_side`;
          await store.applyBatch({ projection: side, collection, changes, expected: await store.getCheckpoint(side), next });
          crashed();
          return never();
        });
        await within(crash, 5_000, 'the first batch');
        expect(await store.getCheckpoint(projection.name)).toBe(0);
        expect(await total()).toBe(10);

        await append('order-1', 'Counted', 'Reset');
        startRunner(); // a new process, same stores; the crashed runner is abandoned, not stopped
        await caughtUp();
        expect(await total()).toBe(12);
        await expectProjected();
        expect(errors).toEqual([]);
      });

      it('resumes after a crash right after the checkpoint moved: nothing counted twice', async () => {
        for (let i = 0; i < 6; i++) await append(`order-${i % 2}`, 'Counted');
        let crashed!: () => void;
        const crash = new Promise<void>((resolve) => (crashed = resolve));
        startCrashingRunner(async (batch) => {
          await store.applyBatch(batch);
          crashed();
          return never();
        });
        await within(crash, 5_000, 'the first batch');
        await append('order-0', 'Counted');
        startRunner();
        await caughtUp();
        expect(await total()).toBe(7);
        await expectProjected();
      });

      it('rebuildProjection produces the documents the live runner has, while the runner keeps running', async () => {
        for (let i = 0; i < 40; i++) await append(`order-${i % 5}`, i % 9 === 8 ? 'Reset' : 'Counted');
        startRunner();
        await caughtUp();
        const appendWhileRebuilding = (async () => {
          for (let i = 0; i < 15; i++) {
            await append(`order-${i % 4}`, 'Counted');
            await sleep(2);
          }
        })();
        const [rebuilt] = await Promise.all([rebuildProjection(events, store, projection), appendWhileRebuilding]);
        expect(rebuilt.events).toBeGreaterThanOrEqual(40);
        await caughtUp();
        await expectProjected();
        expect(await total()).toBe(55);
        expect(errors).toEqual([]);
      });

      it('waitForProjections reports whether every projection reached a position in time', async () => {
        const other = `other_${uniqueSuffix()}`;
        const { position } = await append('order-1', 'Counted');
        startRunner();
        await caughtUp();
        expect(await waitForProjections(store, [projection.name], position, 1_000)).toBe(true);
        expect(await waitForProjections(store, [projection.name], position + 1_000, 50)).toBe(false);
        expect(await waitForProjections(store, [projection.name, other], position, 50)).toBe(false);
        await store.setCheckpoint(other, position);
        expect(await waitForProjections(store, [projection.name, other], position, 1_000)).toBe(true);
      });
    });
  });
