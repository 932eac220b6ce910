import { Projection, RecordedEvent } from '@salesline/core';
import { evolvePriceList, PriceListEvent, PriceListState, PriceListView, priceListView } from '../domain/price-list';

/** A price list as managers review it and as price resolution reads it: the aggregate's own state. */
export type PriceListDoc = Exclude<PriceListState, { status: 'none' }> & {
  id: string;
  closedReason: string | null;
  updatedAt: string;
  version: number;
};

const HANDLED: Record<PriceListEvent['type'], true> = {
  PriceListCreated: true,
  PriceListItemsChanged: true,
  PriceListClosed: true,
  PriceListPriceBelowCostApproved: true,
};

/** The read model folds with the decider's own `evolve`, so what it shows is what the decider knows. */
export const evolvePriceListDoc = (doc: PriceListDoc | null, recorded: RecordedEvent): PriceListDoc | null => {
  const event = { type: recorded.type, data: recorded.data } as PriceListEvent;
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

export const priceListsProjection: Projection<PriceListDoc> = {
  name: 'price-lists',
  collection: 'price_lists',
  handles: Object.keys(HANDLED),
  indexes: [{ fields: ['scope.customerId'] }, { fields: ['scope.customerGroup'] }, { fields: ['status'] }],
  documentIds: (event) => [(event.data as { priceListId: string }).priceListId],
  evolve: evolvePriceListDoc,
};
