import { Command, conflict, Decider, DomainError, DomainEvent } from '@salesline/shared-kernel';
import { InMemoryEventStore } from '../event-store/in-memory/in-memory-event-store';
import { NewEvent, ReadStreamOptions, RecordedEvent } from '../event-store/event-store.port';
import { executeCommand, ExecuteOptions } from './execute-command';
import { RequestContext } from './request-context';

// A stock item: a reservation is refused when it would exceed what is on hand, so a re-decision
// after a concurrent write can come out differently from the first one.
type Reserve = Command<'Reserve', { quantity: number }>;
type Reserved = DomainEvent<'Reserved', { quantity: number; left: number }>;
type Stock = { onHand: number; reserved: number };
const stockDecider: Decider<Stock, Reserve, Reserved> = {
  initialState: () => ({ onHand: 10, reserved: 0 }),
  evolve: (stock, event) => ({ ...stock, reserved: stock.reserved + event.data.quantity }),
  decide: ({ data: { quantity } }, stock) => {
    if (quantity === 0) return [];
    const left = stock.onHand - stock.reserved - quantity;
    if (left < 0) throw conflict('NotEnoughStock', `only ${stock.onHand - stock.reserved} left`);
    return [{ type: 'Reserved', data: { quantity, left } }];
  },
};
const reserve = (quantity: number): Reserve => ({
  type: 'Reserve',
  data: { quantity },
  context: { actor: { userId: 'sam', roles: ['salesperson'] }, now: '2025-03-01T10:00:00.000Z', today: '2025-03-01' },
});
const request = (overrides: Partial<RequestContext> = {}): RequestContext => ({
  actor: { userId: 'sam', roles: ['salesperson'] },
  correlationId: 'corr-1',
  causationId: null,
  now: '2025-03-01T10:00:00.000Z',
  today: '2025-03-01',
  ...overrides,
});
const competitor = (quantity: number): NewEvent => ({
  type: 'Reserved',
  data: { quantity, left: -1 },
  metadata: { actor: 'other', correlationId: 'corr-other', causationId: null, occurredAt: '2025-03-01T10:00:00.000Z', schemaVersion: 1 },
});

/** A real in-memory store in which another writer appends right after each of the first `races` reads of the stream. */
class RacedStore extends InMemoryEventStore {
  reads = 0;
  constructor(private races: number) {
    super();
  }
  override async readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const read = await super.readStream(streamName, options);
    this.reads += 1;
    if (this.races > 0) {
      this.races -= 1;
      await this.append(streamName, [competitor(1)], 'any');
    }
    return read;
  }
}

const STREAM = 'stock-s-1';
const run = (
  store: InMemoryEventStore,
  quantity: number,
  overrides: Partial<Pick<ExecuteOptions<Stock, Reserve, Reserved>, 'notFoundCode' | 'maxAttempts'>> = {},
  req = request(),
) =>
  executeCommand<Stock, Reserve, Reserved>(store, {
    streamName: STREAM,
    decider: stockDecider,
    command: reserve(quantity),
    request: req,
    ...overrides,
  });
const typesAndData = (events: readonly RecordedEvent[]) => events.map((e) => [e.metadata.actor, e.data]);

describe('executeCommand, the one command path', () => {
  it('folds the stream, decides, and appends with the expected revision and the request metadata', async () => {
    const store = new InMemoryEventStore();
    const first = await run(store, 3);
    expect(first).toMatchObject({ streamName: STREAM, revision: 0, position: 1, replayed: false, state: { reserved: 3 } });
    const second = await run(store, 2);
    expect(second).toMatchObject({
      events: [{ type: 'Reserved', data: { quantity: 2, left: 5 } }],
      revision: 1,
      position: 2,
      state: { reserved: 5 },
    });
    const [recorded] = await store.readStream(STREAM);
    expect(recorded.metadata).toEqual({
      actor: 'sam',
      correlationId: 'corr-1',
      causationId: null,
      occurredAt: '2025-03-01T10:00:00.000Z',
      schemaVersion: 1,
    });
  });

  it('appends nothing when the decider decides nothing, and reports the stream as it is', async () => {
    const store = new InMemoryEventStore();
    await run(store, 4);
    await expect(run(store, 0)).resolves.toMatchObject({ events: [], revision: 0, position: 1, replayed: false });
    expect(await store.readStream(STREAM)).toHaveLength(1);
  });

  it('refuses a command on a stream that does not exist with the not-found code, writing nothing', async () => {
    const store = new InMemoryEventStore();
    const refused = run(store, 1, { notFoundCode: 'StockItemNotFound' });
    await expect(refused).rejects.toBeInstanceOf(DomainError);
    await expect(refused).rejects.toMatchObject({ code: 'StockItemNotFound', kind: 'not_found' });
    expect(await store.headPosition()).toBe(0);
  });

  it('passes the folded state to `prepare`, which builds the command to decide (here: reserve all that is left)', async () => {
    const store = new InMemoryEventStore();
    await run(store, 4);
    const seen: unknown[] = [];
    await executeCommand(store, {
      streamName: STREAM,
      decider: stockDecider,
      request: request(),
      prepare: (state: Stock) => {
        seen.push(state.reserved);
        return reserve(state.onHand - state.reserved);
      },
    });
    expect(seen).toEqual([4]);
    expect((await store.readStream(STREAM)).map((e) => e.data)).toEqual([
      { quantity: 4, left: 6 },
      { quantity: 6, left: 0 },
    ]);
  });

  describe('a concurrent writer', () => {
    it('makes it re-read and re-decide on the new state, then append once', async () => {
      const store = new RacedStore(1);
      await expect(run(store, 5)).resolves.toMatchObject({
        events: [{ data: { quantity: 5, left: 4 } }],
        revision: 1,
        state: { reserved: 6 },
      });
      expect(store.reads).toBe(2);
      expect(typesAndData(await store.readStream(STREAM))).toEqual([
        ['other', { quantity: 1, left: -1 }],
        ['sam', { quantity: 5, left: 4 }],
      ]);
    });

    it('can turn the re-decision into a refusal: the rule is checked against what the other writer did', async () => {
      const store = new RacedStore(1);
      await expect(run(store, 10)).rejects.toMatchObject({ code: 'NotEnoughStock' });
      expect(typesAndData(await store.readStream(STREAM))).toEqual([['other', { quantity: 1, left: -1 }]]);
    });

    it('that keeps writing ends in ConcurrencyConflict (409) after the bounded attempts, with nothing of ours appended', async () => {
      const store = new RacedStore(Number.MAX_SAFE_INTEGER);
      const failed = run(store, 1, { maxAttempts: 3 });
      await expect(failed).rejects.toMatchObject({ code: 'ConcurrencyConflict', kind: 'conflict', details: { stream: STREAM } });
      expect(store.reads).toBe(3);
      expect((await store.readStream(STREAM)).every((e) => e.metadata.actor === 'other')).toBe(true);
    });
  });

  describe('an Idempotency-Key', () => {
    const keyed = request({ idempotencyKey: 'key-1', requestHash: 'hash-a' });

    it('is stored with the events; the same request again returns the first result without deciding again', async () => {
      const store = new InMemoryEventStore();
      const first = await run(store, 3, {}, keyed);
      expect((await store.readStream(STREAM))[0].metadata).toMatchObject({ idempotencyKey: 'key-1', requestHash: 'hash-a' });
      await run(store, 2);
      const again = await run(store, 3, {}, keyed);
      expect(again).toMatchObject({ replayed: true, events: first.events, position: first.position, revision: 1 });
      expect(await store.readStream(STREAM)).toHaveLength(2);
    });

    it('reused with a different body is refused with IdempotencyKeyReused, writing nothing', async () => {
      const store = new InMemoryEventStore();
      await run(store, 3, {}, keyed);
      await expect(run(store, 4, {}, request({ idempotencyKey: 'key-1', requestHash: 'hash-b' }))).rejects.toMatchObject({
        code: 'IdempotencyKeyReused',
        kind: 'rule',
      });
      expect(await store.readStream(STREAM)).toHaveLength(1);
    });

    it('replays even when a retry of the request lost the race to its own first attempt', async () => {
      // The first attempt's append lands between the retry's read and its append: the retry re-reads and replays.
      const store = new InMemoryEventStore();
      const [a, b] = await Promise.all([run(store, 3, {}, keyed), run(store, 3, {}, keyed)]);
      expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
      expect(await store.readStream(STREAM)).toHaveLength(1);
    });
  });
});
