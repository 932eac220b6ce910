import { defineProjection, domainEventOf, Recorded, writtenBy } from '@salesline/core';
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
  documentation: {
    document: 'PriceListDoc',
    context: 'pricing',
    summary:
      'One document per price list: scope (customer or group), validity, items with quantity breaks. Serves `GET /api/price-lists` and price resolution.',
    meanings: {
      id: 'The price list id.',
      closedReason: 'Why it was closed (null while active).',
      updatedAt: 'Wall-clock time (occurredAt) of the last event applied.',
      version: 'Stream revision of the last event applied (0 for the first).',
      priceListId: 'The price list id.',
      scope: 'Whom the prices are for: one customer or a customer group.',
      'scope.kind': '`customer` or `group`.',
      'scope.customerId': 'The customer, for a customer list.',
      'scope.customerGroup': 'The customer group, for a group list.',
      validFrom: 'First day the prices apply.',
      validTo: 'Last day they apply (null: open-ended).',
      items: 'Prices by product.',
      'items[].productId': 'The product priced.',
      'items[].breaks': 'Quantity breaks, lowest quantity first.',
      'items[].breaks[].minQuantity': 'Quantity from which the break applies.',
      'items[].breaks[].unitPrice': 'Unit price from that quantity, minor units.',
      status: '`active` or `closed`.',
      name: 'Name of the list.',
    },
    sources: {
      ...writtenBy(
        ['PriceListCreated'],
        ['id', 'priceListId', 'scope', 'scope.kind', 'scope.customerId', 'scope.customerGroup', 'validFrom', 'validTo', 'name'],
      ),
      ...writtenBy(['PriceListCreated', 'PriceListClosed'], ['closedReason', 'closedOn', 'status']),
      ...writtenBy(
        ['PriceListCreated', 'PriceListItemsChanged', 'PriceListClosed', 'PriceListPriceBelowCostApproved'],
        ['updatedAt', 'version'],
      ),
      ...writtenBy(
        ['PriceListCreated', 'PriceListItemsChanged'],
        ['items', 'items[].productId', 'items[].breaks', 'items[].breaks[].minQuantity', 'items[].breaks[].unitPrice'],
      ),
      belowCostApprovals: ['PriceListCreated', 'PriceListItemsChanged', 'PriceListPriceBelowCostApproved'],
    },
  },
  handles: HANDLED,
  indexes: [{ fields: ['scope.customerId'] }, { fields: ['scope.customerGroup'] }, { fields: ['status'] }],
  documentIds: (event) => [event.data.priceListId],
  evolve: evolvePriceListDoc,
});
