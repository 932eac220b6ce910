import { projectionSpec } from '@salesline/core/testing';
import { OrderEvent } from '../domain/order';
import { BacklogLineDoc, backlogByProduct, backlogProjection } from './backlog.projection';

const spec = projectionSpec(backlogProjection, { streamOf: (e) => `order-${(e as OrderEvent).data.orderId}` });
/** The backlog documents after the events, through the projection runtime (each event delivered twice too). */
const run = (events: OrderEvent[]) => spec.given(events).documents();

const line = (lineId: string, productId: string, quantity: number, unitPrice: number) => ({
  lineId,
  productId,
  quantity,
  unitPrice,
  listPrice: unitPrice,
  resolvedUnitPrice: unitPrice,
  priceSource: { kind: 'list' as const },
  unitCost: 1_00,
  priceApproval: null,
});
const placed = (orderId: string, orderDate: string, lines: ReturnType<typeof line>[]): OrderEvent => ({
  type: 'OrderPlaced',
  data: {
    orderId,
    customerId: `c-${orderId}`,
    salesCredit: [{ salespersonId: 'sp-1', shareBp: 10_000 }],
    orderDate,
    quoteId: null,
    lines,
    total: 0,
  },
});
const delivered = (orderId: string, deliveryId: string, lines: { lineId: string; quantity: number }[]): OrderEvent => ({
  type: 'GoodsDelivered',
  data: { orderId, deliveryId, billOfLading: deliveryId, carrier: 'DHL', deliveryDate: '2025-03-05', lines, overDelivery: null },
});
const received = (orderId: string, returnId: string, lines: { lineId: string; quantity: number }[]): OrderEvent => ({
  type: 'ReturnedGoodsReceived',
  data: { orderId, returnId, receivedOn: '2025-03-08', lines },
});
const cancelled = (orderId: string, lines: { lineId: string; quantity: number }[]): OrderEvent => ({
  type: 'OrderCancelled',
  data: { orderId, cancelledOn: '2025-03-09', reason: 'no longer needed', lines },
});

const lines = async (events: OrderEvent[]): Promise<BacklogLineDoc[]> => Object.values(await run(events));

describe('backlog projection', () => {
  const o1 = placed('o-1', '2025-03-02', [line('L1', 'p-1', 10, 100_00), line('L2', 'p-2', 5, 50_00)]);
  const o2 = placed('o-2', '2025-03-01', [line('L1', 'p-1', 3, 90_00)]);

  it('holds one document per order line with the open quantity and its value', async () => {
    const docs = await run([o1, o2]);
    expect(Object.keys(docs).sort()).toEqual(['o-1:L1', 'o-1:L2', 'o-2:L1']);
    expect(docs['o-1:L1']).toMatchObject({
      orderId: 'o-1',
      lineId: 'L1',
      customerId: 'c-o-1',
      orderDate: '2025-03-02',
      productId: 'p-1',
      quantity: 10,
      value: 1000_00,
    });
  });

  it('sums per product with the orders behind it, oldest order first', async () => {
    expect(backlogByProduct(await lines([o1, o2]))).toEqual([
      {
        productId: 'p-1',
        quantity: 13,
        value: 1270_00,
        orders: [
          { orderId: 'o-2', lineId: 'L1', customerId: 'c-o-2', orderDate: '2025-03-01', quantity: 3, value: 270_00 },
          { orderId: 'o-1', lineId: 'L1', customerId: 'c-o-1', orderDate: '2025-03-02', quantity: 10, value: 1000_00 },
        ],
      },
      {
        productId: 'p-2',
        quantity: 5,
        value: 250_00,
        orders: [{ orderId: 'o-1', lineId: 'L2', customerId: 'c-o-1', orderDate: '2025-03-02', quantity: 5, value: 250_00 }],
      },
    ]);
  });

  it('drops delivered quantity, puts a received return back (a replacement is owed) and drops cancelled quantity', async () => {
    const partly = [
      o1,
      delivered('o-1', 'd1', [
        { lineId: 'L1', quantity: 4 },
        { lineId: 'L2', quantity: 5 },
      ]),
    ];
    expect(backlogByProduct(await lines(partly))).toEqual([expect.objectContaining({ productId: 'p-1', quantity: 6, value: 600_00 })]);
    const returned = [...partly, received('o-1', 'r1', [{ lineId: 'L1', quantity: 2 }])];
    expect(backlogByProduct(await lines(returned))).toEqual([expect.objectContaining({ productId: 'p-1', quantity: 8, value: 800_00 })]);
    const short = [...returned, cancelled('o-1', [{ lineId: 'L1', quantity: 8 }])];
    expect(backlogByProduct(await lines(short))).toEqual([]);
    expect((await run(short))['o-1:L1']).toMatchObject({
      quantity: 0,
      value: 0,
      line: { delivered: 4, returnedReceived: 2, cancelled: 8 },
    });
  });

  it('never goes negative on over-delivery', async () => {
    const docs = await run([o2, delivered('o-2', 'd1', [{ lineId: 'L1', quantity: 4 }])]);
    expect(docs['o-2:L1']).toMatchObject({ quantity: 0, value: 0 });
  });

  it('values a rejected override at the price it was repriced to', async () => {
    const docs = await run([
      placed('o-3', '2025-03-03', [line('L1', 'p-1', 2, 80_00)]),
      {
        type: 'PriceOverrideRejected',
        data: {
          overrideId: 'o-3-L1',
          orderId: 'o-3',
          lineId: 'L1',
          rejectedBy: 'sm',
          reason: 'no',
          rejectedOn: '2025-03-04',
          repricedTo: 100_00,
        },
      },
    ]);
    expect(docs['o-3:L1']).toMatchObject({ quantity: 2, value: 200_00, line: { unitPrice: 100_00 } });
  });
});
