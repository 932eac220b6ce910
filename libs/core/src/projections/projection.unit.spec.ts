import { assertNever, DomainEvent, everyEventType } from '@salesline/shared-kernel';
import type { StoredDocument } from '../read-store/read-store.port';
import { SqliteReadStore } from '../read-store/sqlite/sqlite-read-store';
import { projectionSpec, recordedEvent } from '../testing/projection-spec';
import { applyEventsToProjection } from './apply-events';
import { defineProjection, ReadModelDocumentation, Recorded } from './projection';

type Opened = DomainEvent<'TabOpened', { tabId: string; by: string }>;
type Charged = DomainEvent<'TabCharged', { tabId: string; amount: number }>;
type Closed = DomainEvent<'TabClosed', { tabId: string }>;
type TabEvent = Opened | Charged | Closed;
type TabDoc = { id: string; by: string; total: number };

const evolveTab = (doc: TabDoc | null, event: Recorded<Opened | Charged>): TabDoc | null => {
  switch (event.type) {
    case 'TabOpened':
      return { id: event.data.tabId, by: event.data.by, total: 0 };
    case 'TabCharged':
      return doc && { ...doc, total: doc.total + event.data.amount };
    default:
      return assertNever(event);
  }
};

const tabsDocumentation: ReadModelDocumentation<'TabOpened' | 'TabCharged'> = {
  document: 'TabDoc',
  context: 'spec',
  summary: 'Open tabs.',
  sources: { id: ['TabOpened'], by: ['TabOpened'], total: ['TabOpened', 'TabCharged'] },
};

const tabs = defineProjection<TabEvent>()({
  name: 'tabs',
  collection: 'tabs',
  documentation: tabsDocumentation,
  handles: ['TabOpened', 'TabCharged'],
  documentIds: (event) => [event.data.tabId], // typed: every listed event carries tabId
  evolve: evolveTab,
});

describe('defineProjection: the handled types as a tuple, evolve over exactly those events', () => {
  it('is the projection the runtime runs, delivering only the listed types', async () => {
    expect(tabs.handles).toEqual(['TabOpened', 'TabCharged']);
    const opened: TabEvent = { type: 'TabOpened', data: { tabId: 't-1', by: 'anna' } };
    const charged: TabEvent = { type: 'TabCharged', data: { tabId: 't-1', amount: 5 } };
    const closed: TabEvent = { type: 'TabClosed', data: { tabId: 't-1' } };
    await projectionSpec(tabs)
      .given(opened, charged, closed, charged)
      .then({ 't-1': { id: 't-1', by: 'anna', total: 10 } });
  });

  it('checks completeness at compile time (npm run typecheck fails if these stop being errors)', () => {
    defineProjection<TabEvent>()({
      name: 'incomplete',
      collection: 'incomplete',
      documentation: tabsDocumentation,
      handles: ['TabOpened', 'TabCharged', 'TabClosed'],
      documentIds: (event) => [event.data.tabId],
      // @ts-expect-error TabClosed is listed but evolveTab has no case for it
      evolve: evolveTab,
    });
    defineProjection<TabEvent>()({
      ...tabs,
      handles: ['TabOpened', 'TabCharged'],
      evolve: evolveTab,
      // @ts-expect-error its documentation names only events it handles: TabClosed is not one
      documentation: { ...tabsDocumentation, sources: { id: ['TabOpened', 'TabClosed'] } },
    });
    // @ts-expect-error the list must name every type of the union: TabClosed is missing
    everyEventType<TabEvent>()(['TabOpened', 'TabCharged']);
    expect(everyEventType<TabEvent>()(['TabOpened', 'TabCharged', 'TabClosed'])).toHaveLength(3);
  });
});

describe('rollups: documents the runtime keeps as the sum of what the projection’s documents contribute', () => {
  type Moved = DomainEvent<'TabMoved', { tabId: string; to: string }>;
  type Event = Opened | Charged | Closed | Moved;
  const byPerson = defineProjection<Event>()({
    name: 'tabs_by_person',
    collection: 'tabs_by_person',
    documentation: { ...tabsDocumentation, sources: { ...tabsDocumentation.sources, by: ['TabOpened', 'TabMoved'] } },
    handles: ['TabOpened', 'TabCharged', 'TabClosed', 'TabMoved'],
    documentIds: (event) => [`tab:${event.data.tabId}`],
    // The tab moved to another person's name takes that person's existing tab count from their tab (a lookup).
    lookups: (event) => (event.type === 'TabMoved' ? [`tab:${event.data.to}`] : []),
    evolve: (doc: TabDoc | null, event, id, lookup): TabDoc | null => {
      switch (event.type) {
        case 'TabOpened':
          return { id, by: event.data.by, total: 0 };
        case 'TabCharged':
          return doc && { ...doc, total: doc.total + event.data.amount };
        case 'TabClosed':
          return null;
        case 'TabMoved':
          return doc && { ...doc, by: lookup(`tab:${event.data.to}`)?.by ?? doc.by };
        default:
          return assertNever(event);
      }
    },
    rollup: (doc) => [{ id: `person:${doc.by}`, fields: { person: doc.by }, cell: 'charged', values: [doc.total, 1] }],
  });
  const e = {
    open: (tabId: string, by: string): Event => ({ type: 'TabOpened', data: { tabId, by } }),
    charge: (tabId: string, amount: number): Event => ({ type: 'TabCharged', data: { tabId, amount } }),
    close: (tabId: string): Event => ({ type: 'TabClosed', data: { tabId } }),
    move: (tabId: string, to: string): Event => ({ type: 'TabMoved', data: { tabId, to } }),
  };

  it('adds what each document contributes now and takes back what it contributed before, delivered once or twice', async () => {
    const docs = await projectionSpec(byPerson)
      .given(e.open('1', 'anna'), e.charge('1', 5), e.open('2', 'anna'), e.charge('2', 3), e.open('3', 'bob'), e.charge('1', 2))
      .documents();
    expect(docs['person:anna']).toEqual({ id: 'person:anna', person: 'anna', cells: { charged: [10, 2] } });
    expect(docs['person:bob']).toEqual({ id: 'person:bob', person: 'bob', cells: { charged: [0, 1] } });
  });

  it('gives a rollup the position of the last event that changed it, so one batch or one event per batch write the same documents', async () => {
    const events = [e.open('1', 'anna'), e.charge('1', 5), e.open('2', 'bob'), e.charge('2', 1), e.charge('1', 0)].map((event, i) =>
      recordedEvent(`tab-${i}`, event, { position: i + 1, revision: 0 }),
    );
    const storeOf = async (batches: (typeof events)[]) => {
      const store = new SqliteReadStore(':memory:');
      let after = 0;
      for (const batch of batches) {
        const next = batch[batch.length - 1].position;
        await applyEventsToProjection(store, byPerson, batch, byPerson.name, byPerson.collection, after, next);
        after = next;
      }
      const docs = await store.find<StoredDocument>(byPerson.collection);
      await store.close();
      return docs;
    };
    const oneByOne = await storeOf(events.map((event) => [event]));
    expect(await storeOf([events])).toEqual(oneByOne);
    expect(await storeOf([events.slice(0, 3), events.slice(3)])).toEqual(oneByOne);
    // anna's rollup last changed at the charge of 5 (the charge of 0 moves nothing), bob's at the charge of 1.
    expect(oneByOne.filter((d) => d.id.startsWith('person:')).map((d) => [d.id, d._position])).toEqual([
      ['person:anna', 2],
      ['person:bob', 4],
    ]);
  });

  it('moves a contribution when the document changes its rollup, and deletes a rollup nothing contributes to', async () => {
    const docs = await projectionSpec(byPerson)
      .given(e.open('1', 'anna'), e.charge('1', 5), e.open('2', 'bob'), e.charge('2', 1), e.move('1', '2'), e.close('2'))
      .documents();
    // Tab 1 now stands in bob's name (read from tab 2 by lookup); tab 2 is closed; anna contributes nothing.
    expect(docs).toEqual({
      'tab:1': { id: 'tab:1', by: 'bob', total: 5 },
      'person:bob': { id: 'person:bob', person: 'bob', cells: { charged: [5, 1] } },
    });
  });
});

describe('write-once projections: a document keyed by its event is written without reading the store first', () => {
  type Entry = { id: string; tabId: string; amount: number };
  const charges = defineProjection<TabEvent>()({
    name: 'charges',
    collection: 'charges',
    documentation: { document: 'Entry', context: 'spec', summary: 'One entry per charge.', sources: { tabId: ['TabCharged'] } },
    handles: ['TabCharged'],
    writeOnce: true,
    documentIds: (event) => [`${event.data.tabId}@${event.position}`],
    evolve: (doc: Entry | null, event, id): Entry => doc ?? { id, tabId: event.data.tabId, amount: event.data.amount },
  });
  const charged = (amount: number): TabEvent => ({ type: 'TabCharged', data: { tabId: 't-1', amount } });
  const events = [charged(5), charged(7)].map((event, i) => recordedEvent('tab-t-1', event, { position: i + 1, revision: i }));

  it('reads no document, and a batch delivered again (as after a crash before the checkpoint) changes nothing', async () => {
    const store = new SqliteReadStore(':memory:');
    const reads: string[] = [];
    const counted = Object.assign(Object.create(store) as SqliteReadStore, {
      get: (collection: string, id: string) => (reads.push(id), store.get(collection, id)),
      getMany: (collection: string, ids: readonly string[]) => (reads.push(...ids), store.getMany(collection, ids)),
    });
    await expect(applyEventsToProjection(counted, charges, events, 'charges', 'charges', 0, 2)).resolves.toBe('applied');
    const written = await store.find<StoredDocument>('charges');
    await expect(applyEventsToProjection(counted, charges, events, 'charges', 'charges', 2, 2)).resolves.toBe('applied');
    expect(await store.find<StoredDocument>('charges')).toEqual(written);
    expect(written).toEqual([
      { id: 't-1@1', tabId: 't-1', amount: 5, _position: 1 },
      { id: 't-1@2', tabId: 't-1', amount: 7, _position: 2 },
    ]);
    expect(reads).toEqual([]);
    await store.close();
  });
});
