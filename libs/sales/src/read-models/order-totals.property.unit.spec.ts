import fc from 'fast-check';
import { applyEventsToProjection, DocumentFilter, RecordedEvent, SqliteReadStore } from '@salesline/core';
import { recordedEvent } from '@salesline/core/testing';
import { addDays } from '@salesline/shared-kernel';
import { OrderEvent } from '../domain/order';
import { orderBoardProjection } from './order-board.projection';
import { OrderListFilter, OrderTotalsDoc, orderTotalsOf, orderTotalsQuery } from './order-totals';

/**
 * The order list's totals from the rollups (ADR 0029) are the sums over the matching order documents, as the store
 * computed them before: random orders over three years (placed, confirmed, partly delivered or cancelled, split
 * credit), projected by the runtime into SQLite in random batches, and random filters (customer, salesperson or a
 * manager's reach, status, order date range).
 */
const CUSTOMERS = ['c-1', 'c-2', 'c-3'];
const PEOPLE = ['sp-1', 'sp-2', 'sp-3'];
const START = '2024-11-20';
const DAYS = 500;

type Order = { customer: number; people: [number, number]; split: boolean; day: number; quantity: number; price: number; then: number };
const order = fc.record({
  customer: fc.nat(2),
  people: fc.tuple(fc.nat(2), fc.nat(2)),
  split: fc.boolean(),
  day: fc.nat(DAYS),
  quantity: fc.integer({ min: 1, max: 9 }),
  price: fc.integer({ min: 1, max: 5_000 }),
  then: fc.nat(3),
});

const eventsOf = (o: Order, i: number): OrderEvent[] => {
  const orderId = `o-${i}`;
  const orderDate = addDays(START, o.day);
  const [first, second] = o.people.map((p) => PEOPLE[p]);
  const salesCredit =
    o.split && first !== second
      ? [
          { salespersonId: first, shareBp: 4_000 },
          { salespersonId: second, shareBp: 6_000 },
        ]
      : [{ salespersonId: first, shareBp: 10_000 }];
  const line = {
    lineId: 'L1',
    productId: 'p-1',
    quantity: o.quantity,
    unitPrice: o.price,
    listPrice: o.price,
    resolvedUnitPrice: o.price,
    priceSource: { kind: 'list' as const },
    unitCost: Math.floor(o.price / 2),
    priceApproval: null,
  };
  const placed: OrderEvent = {
    type: 'OrderPlaced',
    data: { orderId, customerId: CUSTOMERS[o.customer], salesCredit, orderDate, quoteId: null, lines: [line], total: o.quantity * o.price },
  };
  const confirmed: OrderEvent = {
    type: 'OrderConfirmed',
    data: { orderId, exposure: 0, creditLimit: null, checkedAmount: o.quantity * o.price, checkedOn: orderDate },
  };
  const delivered: OrderEvent = {
    type: 'GoodsDelivered',
    data: {
      orderId,
      deliveryId: `d-${i}`,
      billOfLading: `B-${i}`,
      carrier: 'DHL',
      deliveryDate: orderDate,
      lines: [{ lineId: 'L1', quantity: Math.ceil(o.quantity / 2) }],
      overDelivery: null,
    },
  };
  const cancelled: OrderEvent = {
    type: 'OrderCancelled',
    data: { orderId, cancelledOn: orderDate, reason: 'changed mind', lines: [{ lineId: 'L1', quantity: o.quantity }] },
  };
  return [[placed], [placed, confirmed], [placed, confirmed, delivered], [placed, confirmed, cancelled]][o.then];
};

const anyDay = fc.nat(DAYS + 60).map((d) => addDays(START, d - 30));
/** The first or last day of a month or a year: where a range covers whole months and years. */
const edge = fc.tuple(fc.integer({ min: 2024, max: 2026 }), fc.integer({ min: 1, max: 12 }), fc.boolean()).map(([y, m, last]) => {
  const first = `${y}-${String(m).padStart(2, '0')}-01`;
  return last ? addDays(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`, -1) : first;
});
const yearEdge = fc.tuple(fc.integer({ min: 2024, max: 2026 }), fc.boolean()).map(([y, last]) => (last ? `${y}-12-31` : `${y}-01-01`));
const date = fc.oneof(anyDay, edge, yearEdge);
const listFilter = fc.record(
  {
    customerId: fc.constantFrom(...CUSTOMERS, 'c-none'),
    salespersonId: fc.oneof(
      fc.constantFrom(...PEOPLE),
      fc.subarray(PEOPLE).map((outside) => ({ $nin: outside, $ne: null })),
    ),
    status: fc.constantFrom('to_deliver_and_bill', 'to_deliver', 'to_bill', 'cancelled', 'completed'),
    range: fc.tuple(date, date).map(([a, b]) => (a <= b ? [a, b] : [b, a])),
    from: fc.boolean(),
    to: fc.boolean(),
  },
  { requiredKeys: ['from', 'to'] },
);

describe('order list totals from rollups', () => {
  it('equal the sums over the matching orders, for any orders, batches and filters', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(order, { maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }),
        fc.array(listFilter, { minLength: 1, maxLength: 6 }),
        async (orders, cuts, filters) => {
          const store = new SqliteReadStore(':memory:');
          try {
            const events: RecordedEvent[] = orders
              .flatMap(eventsOf)
              .map((e, i) => recordedEvent(`order-${e.data.orderId}`, e, { position: i + 1, revision: i }));
            const { name, collection } = orderBoardProjection;
            let at = 0;
            for (let b = 0; at < events.length; b++) {
              const batch = events.slice(at, at + cuts[b % cuts.length]);
              await applyEventsToProjection(store, orderBoardProjection, batch, name, collection, at, at + batch.length);
              at += batch.length;
            }
            for (const f of filters) {
              const listed: OrderListFilter = {
                customerId: f.customerId,
                salespersonId: f.salespersonId,
                status: f.status,
                from: f.range && f.from ? f.range[0] : undefined,
                to: f.range && f.to ? f.range[1] : undefined,
              };
              const orderDate =
                listed.from === undefined && listed.to === undefined
                  ? { $ne: null }
                  : { ...(listed.from !== undefined && { $gte: listed.from }), ...(listed.to !== undefined && { $lte: listed.to }) };
              const matching: DocumentFilter = {
                customerId: listed.customerId,
                salespersonId: listed.salespersonId,
                status: listed.status,
                orderDate,
              };
              const summed = await store.totals(collection, matching, ['value', 'cost']);
              const rollups = await store.find<OrderTotalsDoc>(collection, orderTotalsQuery(listed));
              expect(orderTotalsOf(rollups, listed)).toEqual({ count: summed.count, value: summed.sums.value, cost: summed.sums.cost });
              expect(rollups.length).toBeLessThanOrEqual(listed.salespersonId !== undefined && listed.customerId === undefined ? 15 : 5);
            }
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
