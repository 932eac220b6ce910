import { defineProjection, domainEventOf, Recorded } from '@salesline/core';
import { everyEventType } from '@salesline/shared-kernel';
import { evolvePriceList, PriceListEvent, PriceListState, PriceListView, priceListView } from '../domain/price-list';

/** A price list as managers review it and as price resolution reads it: the aggregate's own state. */
export type PriceListDoc = Exclude<PriceListState, { status: 'none' }> & {
  id: string;
  closedReason: string | null;
  updatedAt: string;
  version: number;
};

const HANDLED = everyEventType<PriceListEvent>()([
  'PriceListCreated',
  'PriceListItemsChanged',
  'PriceListClosed',
  'PriceListPriceBelowCostApproved',
]);

/** The read model folds with the decider's own `evolve`, so what it shows is what the decider knows. */
export const evolvePriceListDoc = (doc: PriceListDoc | null, recorded: Recorded<PriceListEvent>): PriceListDoc | null => {
  const event = domainEventOf(recorded);
  const { id: _id, closedReason, updatedAt: _u, version: _v, ...state } = doc ?? { closedReason: null, status: 'none' as const };
  const next = evolvePriceList(state as PriceListState, event);
  if (next.status === 'none') return null;
  return {
    ...next,
    id: next.priceListId,
    closedReason: event.type === 'PriceListClosed' ? event.data.reason : closedReason,
    updatedAt: recorded.metadata.occurredAt,
    version: recorded.revision,
  };
};

/** What `resolvePrice` needs of a stored list. */
export const priceListViewOf = (doc: PriceListDoc): PriceListView => priceListView(doc)!;

export const priceListsProjection = defineProjection<PriceListEvent>()({
  name: 'price-lists',
  collection: 'price_lists',
  handles: HANDLED,
  indexes: [{ fields: ['scope.customerId'] }, { fields: ['scope.customerGroup'] }, { fields: ['status'] }],
  documentIds: (event) => [event.data.priceListId],
  evolve: evolvePriceListDoc,
});
