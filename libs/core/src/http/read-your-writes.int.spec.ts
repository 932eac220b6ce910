import { join } from 'node:path';
import { DomainEvent } from '@salesline/shared-kernel';
import { AppConfig, loadConfig } from '../config/config';
import { InMemoryEventStore } from '../event-store/in-memory/in-memory-event-store';
import { NewEvent } from '../event-store/event-store.port';
import { defineProjection } from '../projections/projection';
import { SqliteReadStore } from '../read-store/sqlite/sqlite-read-store';
import { makeTempDir, uniqueSuffix } from '../testing/contract-suite';
import { ReadYourWrites } from './read-your-writes';

type PriceSet = DomainEvent<'PriceSet', { listId: string; price: number }>;
const prices = defineProjection<PriceSet>()({
  name: 'prices',
  collection: 'prices',
  handles: ['PriceSet'],
  documentIds: (event) => [event.data.listId],
  evolve: (_doc, event) => ({ id: event.data.listId, price: event.data.price }),
});

const event = (type: string, data: object): NewEvent => ({
  type,
  data,
  metadata: { actor: 'u-1', correlationId: 'c-1', causationId: null, occurredAt: '2025-03-01T10:00:00.000Z', schemaVersion: 1 },
});

const temp = makeTempDir('read-your-writes');
afterAll(() => temp.remove());

describe('ReadYourWrites.caughtUp: a command query kept until its read model moves', () => {
  let events: InMemoryEventStore;
  let reads: SqliteReadStore;
  let readYourWrites: ReadYourWrites;
  let queries: number;
  /** The query a command asks: the price list's document, counted. */
  const price = () =>
    readYourWrites.caughtUp(prices.name, 'list-1', async () => {
      queries++;
      return (await reads.get<{ price: number }>(prices.collection, 'list-1'))?.price ?? null;
    });
  /** The projection applies the log up to its head (what the hub does in the background). */
  const project = async (price: number) => {
    const [checkpoint, head] = [await reads.getCheckpoint(prices.name), await events.headPosition()];
    await reads.applyBatch({
      projection: prices.name,
      collection: prices.collection,
      changes: [{ op: 'upsert', id: 'list-1', doc: { id: 'list-1', _position: head, price } }],
      expected: checkpoint,
      next: head,
    });
  };

  beforeEach(async () => {
    events = new InMemoryEventStore();
    reads = new SqliteReadStore(join(temp.path, `reads-${uniqueSuffix()}.db`));
    const config: AppConfig = { ...loadConfig({ DATA_DIR: temp.path }), readYourWritesTimeoutMs: 2_000 };
    readYourWrites = new ReadYourWrites(events, reads, config, [prices]);
    queries = 0;
    await events.append('list-1', [event('PriceSet', { listId: 'list-1', price: 100 })], 'no_stream');
    await project(100);
  });
  afterEach(() => reads.close());

  it('answers from memory while no event the projection handles was appended, whatever else was', async () => {
    expect(await price()).toBe(100);
    await events.append('customer-1', [event('CustomerRegistered', { customerId: 'c-1' })], 'no_stream');
    expect(await price()).toBe(100);
    expect(queries).toBe(1);
  });

  it('reads again, after the projection caught up, once an event it handles was appended', async () => {
    expect(await price()).toBe(100);
    await events.append('list-1', [event('PriceSet', { listId: 'list-1', price: 90 })], 0);
    const answer = price();
    await new Promise((r) => setTimeout(r, 20));
    await project(90);
    expect(await answer).toBe(90);
    expect(await price()).toBe(90);
    expect(queries).toBe(2);
  });
});
