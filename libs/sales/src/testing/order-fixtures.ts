import { evolveOrder, OrderEvent } from '../domain/order';
import { OrderState, PlacedOrder } from '../domain/order-state';

/** Folds order events into a placed order (specs of the rules that read one). */
export const foldPlacedOrder = (...events: OrderEvent[]): PlacedOrder => {
  const state = events.reduce(evolveOrder, { status: 'none' } as OrderState);
  if (state.status !== 'placed') throw new Error('not placed');
  return state;
};

/** Order o-1 of customer c-1: one line L1, 10 × 1.00 at list price (cost 0.60), placed on 2025-03-01. */
export const placedOrder: OrderEvent = {
  type: 'OrderPlaced',
  data: {
    orderId: 'o-1',
    customerId: 'c-1',
    salesCredit: [{ salespersonId: 'sp-1', shareBp: 10_000 }],
    orderDate: '2025-03-01',
    quoteId: null,
    lines: [
      {
        lineId: 'L1',
        productId: 'p-1',
        quantity: 10,
        unitPrice: 100,
        listPrice: 100,
        resolvedUnitPrice: 100,
        priceSource: { kind: 'list' },
        unitCost: 60,
        priceApproval: null,
      },
    ],
    total: 1000,
  },
};
