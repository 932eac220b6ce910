/**
 * The EventStore contract: what every adapter must mean by append, read and subscribe.
 * Each test works in streams of its own (a random category), so the suite can run against a
 * shared server; tests that read the whole log start after its head and filter on that category.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { describeContract, sleep, uniqueSuffix, within } from '../testing/contract-suite';
import { EventMetadata, EventStore, ExpectedRevision, NewEvent, RecordedEvent, WrongExpectedRevisionError } from './event-store.port';

const metadata = (overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  actor: 'user-contract',
  correlationId: randomUUID(),
  causationId: null,
  occurredAt: new Date().toISOString(),
  schemaVersion: 1,
  ...overrides,
});

const newEvent = (type: string, data: unknown = {}, overrides: Partial<NewEvent> = {}): NewEvent => ({
  type,
  data,
  metadata: metadata(),
  ...overrides,
});

const newEvents = (count: number, type = 'Happened'): NewEvent[] => Array.from({ length: count }, (_, i) => newEvent(type, { i }));

const revisionsOf = (events: readonly RecordedEvent[]) => events.map((e) => e.revision);
const positionsOf = (events: readonly RecordedEvent[]) => events.map((e) => e.position);

const expectStrictlyIncreasing = (values: readonly number[]) => {
  for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
};

const rejectionOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (err: unknown) => err,
  );

const expectWrongRevision = async (append: Promise<unknown>, expected: ExpectedRevision, actual: number | 'no_stream') => {
  const error = await rejectionOf(append);
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  expect(error).toMatchObject({ expected, actual });
};

/** Pulls `count` events from a subscription iterator, failing (not hanging) when they do not come. */
const take = async (iterator: AsyncIterator<RecordedEvent>, count: number, timeoutMs = 5_000): Promise<RecordedEvent[]> => {
  const taken: RecordedEvent[] = [];
  while (taken.length < count) {
    const next = await within(iterator.next(), timeoutMs, `event ${taken.length + 1} of ${count} from the subscription`);
    if (next.done) throw new Error(`subscription ended after ${taken.length} of ${count} events`);
    taken.push(next.value);
  }
  return taken;
};

/** An instant written with a +02:00 offset: the same moment, a different ISO-8601 spelling. */
const withPlusTwoHours = (instant: Date): string => {
  const shifted = new Date(instant.getTime() + 2 * 3_600_000).toISOString();
  return `${shifted.slice(0, -1)}+02:00`;
};

export const describeEventStoreContract = (name: string, factory: () => Promise<EventStore>, skipReason?: string): void =>
  describeContract(name, skipReason, () => {
    let store: EventStore;
    let category: string;
    const streamOf = (id: string) => `${category}-${id}`;
    const ownStreams = () => ({ streamPrefixes: [`${category}-`] });

    beforeAll(async () => {
      store = await factory();
    });
    afterAll(async () => {
      await store?.close();
    });
    beforeEach(() => {
      category = `contract${uniqueSuffix()}`;
    });

    describe('append and expected revision', () => {
      it("'no_stream' creates a stream and is refused once it exists", async () => {
        const stream = streamOf('a');
        await expect(store.append(stream, [newEvent('Opened')], 'no_stream')).resolves.toMatchObject({ nextRevision: 0 });
        await expectWrongRevision(store.append(stream, [newEvent('Opened')], 'no_stream'), 'no_stream', 0);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it("'stream_exists' is refused on a missing stream and accepted on an existing one", async () => {
        const stream = streamOf('a');
        await expectWrongRevision(store.append(stream, [newEvent('Changed')], 'stream_exists'), 'stream_exists', 'no_stream');
        expect(await store.readStream(stream)).toEqual([]);
        await store.append(stream, [newEvent('Opened')], 'no_stream');
        await expect(store.append(stream, [newEvent('Changed')], 'stream_exists')).resolves.toMatchObject({ nextRevision: 1 });
      });

      it("'any' appends whether or not the stream exists", async () => {
        const stream = streamOf('a');
        await expect(store.append(stream, [newEvent('Opened')], 'any')).resolves.toMatchObject({ nextRevision: 0 });
        await expect(store.append(stream, newEvents(2), 'any')).resolves.toMatchObject({ nextRevision: 2 });
      });

      it('a number must equal the current last revision', async () => {
        const stream = streamOf('a');
        await expectWrongRevision(store.append(stream, [newEvent('Opened')], 0), 0, 'no_stream');
        await store.append(stream, newEvents(3), 'no_stream');
        await expect(store.append(stream, [newEvent('Changed')], 2)).resolves.toMatchObject({ nextRevision: 3 });
        await expectWrongRevision(store.append(stream, [newEvent('Changed')], 2), 2, 3);
        await expectWrongRevision(store.append(stream, [newEvent('Changed')], 7), 7, 3);
        expect(revisionsOf(await store.readStream(stream))).toEqual([0, 1, 2, 3]);
      });

      it('reports the revision and the global position of the last event appended', async () => {
        const stream = streamOf('a');
        const single = await store.append(stream, [newEvent('Opened')], 'no_stream');
        const several = await store.append(stream, newEvents(3), 0);
        const recorded = await store.readStream(stream);
        expect(single).toEqual({ nextRevision: 0, position: recorded[0].position });
        expect(several).toEqual({ nextRevision: 3, position: recorded[3].position });
        expect(await store.headPosition()).toBeGreaterThanOrEqual(several.position);
      });

      it('reports the head of the log, and the last position matching a filter', async () => {
        const typeA = `HeadA${uniqueSuffix()}`;
        const typeB = `HeadB${uniqueSuffix()}`;
        const first = await store.append(streamOf('h1'), [newEvent(typeA)], 'no_stream');
        const second = await store.append(streamOf('h2'), [newEvent(typeB)], 'no_stream');
        expect(await store.headPosition({ eventTypes: [typeA] })).toBe(first.position);
        expect(await store.headPosition({ eventTypes: [typeA, typeB] })).toBe(second.position);
        expect(await store.headPosition({ eventTypes: [`Never${uniqueSuffix()}`] })).toBe(0);
        expect(await store.headPosition({ streamPrefixes: [streamOf('h1')], eventTypes: [typeA, typeB] })).toBe(first.position);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(second.position);
      });

      it('refuses an empty append', async () => {
        await expect(store.append(streamOf('a'), [], 'any')).rejects.toThrow();
      });
    });

    describe('concurrency', () => {
      it('two appends with the same expected revision: exactly one wins', async () => {
        const stream = streamOf('a');
        await store.append(stream, [newEvent('Opened')], 'no_stream');
        const outcomes = await Promise.allSettled([
          store.append(stream, [newEvent('ChangedByA')], 0),
          store.append(stream, [newEvent('ChangedByB')], 0),
        ]);
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0].reason).toBeInstanceOf(WrongExpectedRevisionError);
        const recorded = await store.readStream(stream);
        expect(revisionsOf(recorded)).toEqual([0, 1]);
        expect(recorded[1].type).toBe(outcomes[0].status === 'fulfilled' ? 'ChangedByA' : 'ChangedByB');
      });

      it.each<[string, ExpectedRevision]>([
        ['an expected revision', 0],
        ["'no_stream'", 'no_stream'],
      ])('10 racing appends with %s: one wins, nine get WrongExpectedRevisionError', async (_, expected) => {
        const stream = streamOf('a');
        if (expected === 0) await store.append(stream, [newEvent('Opened')], 'no_stream');
        const outcomes = await Promise.all(
          Array.from({ length: 10 }, (_, racer) =>
            store.append(stream, [newEvent('Raced', { racer })], expected).then(
              (result) => ({ result }),
              (error: unknown) => ({ error }),
            ),
          ),
        );
        const winners = outcomes.filter((o) => 'result' in o);
        expect(winners).toHaveLength(1);
        for (const o of outcomes) if ('error' in o) expect(o.error).toBeInstanceOf(WrongExpectedRevisionError);
        const raced = (await store.readStream(stream)).filter((e) => e.type === 'Raced');
        expect(raced).toHaveLength(1);
      });

      it("10 racing 'any' appends all land, each at its own revision", async () => {
        const stream = streamOf('a');
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.append(stream, [newEvent('Raced', { i })], 'any')));
        expect(results.map((r) => r.nextRevision).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(revisionsOf(await store.readStream(stream))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      });
    });

    describe('ordering', () => {
      it('revisions run 0..n per stream; global positions strictly increase in append order', async () => {
        const before = await store.headPosition();
        const appended: number[] = [];
        for (let round = 0; round < 4; round++) {
          for (const id of ['a', 'b', 'c']) {
            appended.push((await store.append(streamOf(id), [newEvent('Ticked', { round })], 'any')).position);
          }
        }
        const log = await store.readAll({ afterPosition: before, filter: ownStreams() });
        expect(positionsOf(log)).toEqual(appended);
        expectStrictlyIncreasing(positionsOf(log));
        for (const id of ['a', 'b', 'c']) expect(revisionsOf(await store.readStream(streamOf(id)))).toEqual([0, 1, 2, 3]);
        if (store.kind === 'sqlite' || store.kind === 'postgres') {
          // These stores number the log without gaps.
          const all = await store.readAll({ afterPosition: before });
          expect(positionsOf(all)).toEqual(Array.from({ length: 12 }, (_, i) => before + 1 + i));
        }
      });
    });

    describe('readStream', () => {
      let stream: string;
      beforeEach(async () => {
        stream = streamOf('read');
        await store.append(stream, newEvents(5), 'no_stream');
      });

      it('reads forwards by default and backwards on request', async () => {
        expect(revisionsOf(await store.readStream(stream))).toEqual([0, 1, 2, 3, 4]);
        expect(revisionsOf(await store.readStream(stream, { direction: 'backwards' }))).toEqual([4, 3, 2, 1, 0]);
      });

      it('starts at fromRevision (inclusive) in either direction', async () => {
        expect(revisionsOf(await store.readStream(stream, { fromRevision: 2 }))).toEqual([2, 3, 4]);
        expect(revisionsOf(await store.readStream(stream, { fromRevision: 2, direction: 'backwards' }))).toEqual([2, 1, 0]);
        expect(await store.readStream(stream, { fromRevision: 9 })).toEqual([]);
      });

      it('limits with maxCount', async () => {
        expect(revisionsOf(await store.readStream(stream, { maxCount: 2 }))).toEqual([0, 1]);
        expect(revisionsOf(await store.readStream(stream, { maxCount: 2, direction: 'backwards' }))).toEqual([4, 3]);
        expect(revisionsOf(await store.readStream(stream, { fromRevision: 1, maxCount: 3 }))).toEqual([1, 2, 3]);
      });

      it('returns [] for a stream that does not exist', async () => {
        expect(await store.readStream(streamOf('missing'))).toEqual([]);
        expect(await store.readStream(streamOf('missing'), { direction: 'backwards' })).toEqual([]);
      });
    });

    describe('readAll', () => {
      it('reads strictly after afterPosition, up to maxCount', async () => {
        const before = await store.headPosition();
        await store.append(streamOf('a'), newEvents(5), 'no_stream');
        const log = await store.readAll({ afterPosition: before, filter: ownStreams() });
        expect(log.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4]);
        const rest = await store.readAll({ afterPosition: log[1].position, filter: ownStreams() });
        expect(positionsOf(rest)).toEqual(positionsOf(log.slice(2)));
        const page = await store.readAll({ afterPosition: log[1].position, maxCount: 2, filter: ownStreams() });
        expect(positionsOf(page)).toEqual(positionsOf(log.slice(2, 4)));
        expect(await store.readAll({ afterPosition: log[4].position, filter: ownStreams() })).toEqual([]);
      });

      it('filters by stream prefix, by event type, and by both', async () => {
        const before = await store.headPosition();
        const placed = `Placed${uniqueSuffix()}`;
        const paid = `Paid${uniqueSuffix()}`;
        await store.append(`${category}order-1`, [newEvent(placed), newEvent(paid)], 'no_stream');
        await store.append(`${category}invoice-1`, [newEvent(placed)], 'no_stream');
        await store.append(`${category}other-1`, [newEvent(placed), newEvent(paid)], 'no_stream');
        const streams = (events: RecordedEvent[]) => events.map((e) => `${e.streamName}:${e.type}`);

        const byPrefix = await store.readAll({
          afterPosition: before,
          filter: { streamPrefixes: [`${category}order-`, `${category}invoice-`] },
        });
        expect(streams(byPrefix)).toEqual([`${category}order-1:${placed}`, `${category}order-1:${paid}`, `${category}invoice-1:${placed}`]);

        const byType = await store.readAll({ afterPosition: before, filter: { eventTypes: [paid] } });
        expect(streams(byType)).toEqual([`${category}order-1:${paid}`, `${category}other-1:${paid}`]);

        const byBoth = await store.readAll({
          afterPosition: before,
          filter: { streamPrefixes: [`${category}other-`], eventTypes: [placed] },
        });
        expect(streams(byBoth)).toEqual([`${category}other-1:${placed}`]);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up, then delivers live appends in order (with a filter)', async () => {
        const before = await store.headPosition();
        await store.append(streamOf('a'), newEvents(3, 'Early'), 'no_stream');
        await store.append(`other${category}-x`, [newEvent('Elsewhere')], 'no_stream');
        const subscription = store.subscribeToAll({ afterPosition: before, filter: ownStreams() });
        const iterator = subscription[Symbol.asyncIterator]();
        try {
          const caughtUp = await take(iterator, 3);
          expect(caughtUp.map((e) => e.type)).toEqual(['Early', 'Early', 'Early']);
          await store.append(`other${category}-x`, [newEvent('Elsewhere')], 'any');
          const first = await store.append(streamOf('a'), [newEvent('Live', { n: 1 })], 2);
          const second = await store.append(streamOf('b'), [newEvent('Live', { n: 2 })], 'no_stream');
          const live = await take(iterator, 2);
          expect(live.map((e) => [e.streamName, e.position])).toEqual([
            [streamOf('a'), first.position],
            [streamOf('b'), second.position],
          ]);
          expectStrictlyIncreasing(positionsOf([...caughtUp, ...live]));
        } finally {
          await subscription.unsubscribe();
        }
      });

      it('starts strictly after afterPosition', async () => {
        const results = [];
        for (let i = 0; i < 4; i++) results.push(await store.append(streamOf('a'), [newEvent('Counted', { i })], 'any'));
        const subscription = store.subscribeToAll({ afterPosition: results[1].position, filter: ownStreams() });
        try {
          const events = await take(subscription[Symbol.asyncIterator](), 2);
          expect(positionsOf(events)).toEqual([results[2].position, results[3].position]);
        } finally {
          await subscription.unsubscribe();
        }
      });

      it('filters live events by event type', async () => {
        const wanted = `Wanted${uniqueSuffix()}`;
        const subscription = store.subscribeToAll({ afterPosition: await store.headPosition(), filter: { eventTypes: [wanted] } });
        const iterator = subscription[Symbol.asyncIterator]();
        try {
          const pending = take(iterator, 2);
          for (const type of ['Unwanted', wanted, 'Unwanted', wanted]) await store.append(streamOf('a'), [newEvent(type)], 'any');
          const events = await pending;
          expect(events.map((e) => [e.type, e.revision])).toEqual([
            [wanted, 1],
            [wanted, 3],
          ]);
        } finally {
          await subscription.unsubscribe();
        }
      });

      it('unsubscribe ends a pending iteration', async () => {
        const subscription = store.subscribeToAll({ afterPosition: await store.headPosition(), filter: ownStreams() });
        const pending = subscription[Symbol.asyncIterator]().next();
        await sleep(50);
        await within(subscription.unsubscribe(), 5_000, 'unsubscribe');
        await expect(within(pending, 5_000, 'the pending next() to settle')).resolves.toMatchObject({ done: true });
      });
    });

    describe('read as of a time', () => {
      it('returns the stream as it was at asOf', async () => {
        const stream = streamOf('a');
        await store.append(stream, [newEvent('First')], 'no_stream');
        await sleep(20);
        await store.append(stream, [newEvent('Second')], 0);
        const [first, second] = await store.readStream(stream);
        const firstAt = Date.parse(first.recordedAt);
        const secondAt = Date.parse(second.recordedAt);
        expect(secondAt).toBeGreaterThan(firstAt);
        const between = new Date(Math.floor((firstAt + secondAt) / 2));

        const types = async (asOf: string, direction?: 'backwards') =>
          (await store.readStream(stream, { asOf, direction })).map((e) => e.type);
        expect(await types(between.toISOString())).toEqual(['First']);
        expect(await types(between.toISOString(), 'backwards')).toEqual(['First']);
        expect(await types(withPlusTwoHours(between))).toEqual(['First']);
        expect(await types(first.recordedAt)).toEqual(['First']);
        expect(await types(second.recordedAt)).toEqual(['First', 'Second']);
        expect(await types(new Date(firstAt - 1).toISOString())).toEqual([]);
      });
    });

    describe('data and metadata', () => {
      it('round-trips metadata (actor, correlation, causation, occurredAt, schemaVersion) through every read', async () => {
        const before = await store.headPosition();
        const caused = metadata({
          actor: 'user-42',
          causationId: randomUUID(),
          occurredAt: '2025-03-04T05:06:07.089Z',
          schemaVersion: 3,
          idempotencyKey: 'key-1',
          requestHash: 'sha256:abc',
        });
        const uncaused = metadata({ causationId: null });
        const id = randomUUID();
        await store.append(
          streamOf('a'),
          [newEvent('WithCause', {}, { id, metadata: caused }), newEvent('WithoutCause', {}, { metadata: uncaused })],
          'no_stream',
        );

        const [read, readSecond] = await store.readStream(streamOf('a'));
        expect(read.id).toBe(id);
        expect(read.metadata).toEqual(caused);
        expect(readSecond.metadata).toEqual(uncaused);
        const [fromLog] = await store.readAll({ afterPosition: before, filter: ownStreams() });
        expect(fromLog).toEqual(read);
        const subscription = store.subscribeToAll({ afterPosition: before, filter: ownStreams() });
        try {
          const [delivered] = await take(subscription[Symbol.asyncIterator](), 1);
          expect(delivered).toEqual(read);
        } finally {
          await subscription.unsubscribe();
        }
      });

      it('reads only the events of one Idempotency-Key when asked (how a retried request finds its first result)', async () => {
        const keyed = (key: string) => metadata({ idempotencyKey: key, requestHash: `sha256:${key}` });
        await store.append(
          streamOf('k'),
          [newEvent('First', {}, { metadata: keyed('key-a') }), newEvent('Second', {}, { metadata: keyed('key-a') })],
          'no_stream',
        );
        await store.append(streamOf('k'), [newEvent('Third', {}, { metadata: keyed('key-b') })], 1);
        await store.append(streamOf('k'), [newEvent('Fourth', {})], 2);
        expect((await store.readStream(streamOf('k'), { idempotencyKey: 'key-a' })).map((e) => e.type)).toEqual(['First', 'Second']);
        expect((await store.readStream(streamOf('k'), { idempotencyKey: 'key-b' })).map((e) => e.type)).toEqual(['Third']);
        expect(await store.readStream(streamOf('k'), { idempotencyKey: 'key-c' })).toEqual([]);
      });

      it('round-trips event data and records stream, type and an ISO recordedAt', async () => {
        const data = { text: 'Zoë — 東京 ✓', amount: { cents: 123456789, currency: 'EUR' }, lines: [1, 2.5, null, true], empty: {} };
        await store.append(streamOf('a'), [newEvent('Rich', data), newEvent('Empty', null)], 'no_stream');
        const [rich, empty] = await store.readStream(streamOf('a'));
        expect(rich).toMatchObject({ streamName: streamOf('a'), type: 'Rich', revision: 0, data });
        expect(empty.data).toBeNull();
        expect(new Date(rich.recordedAt).toISOString()).toBe(rich.recordedAt);
      });
    });

    describe('health', () => {
      it('answers ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });
  });
