import { assertNever, DomainEvent, everyEventType } from '@salesline/shared-kernel';
import { projectionSpec } from '../testing/projection-spec';
import { defineProjection, Recorded } from './projection';

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

const tabs = defineProjection<TabEvent>()({
  name: 'tabs',
  collection: 'tabs',
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
      handles: ['TabOpened', 'TabCharged', 'TabClosed'],
      documentIds: (event) => [event.data.tabId],
      // @ts-expect-error TabClosed is listed but evolveTab has no case for it
      evolve: evolveTab,
    });
    // @ts-expect-error the list must name every type of the union: TabClosed is missing
    everyEventType<TabEvent>()(['TabOpened', 'TabCharged']);
    expect(everyEventType<TabEvent>()(['TabOpened', 'TabCharged', 'TabClosed'])).toHaveLength(3);
  });
});
