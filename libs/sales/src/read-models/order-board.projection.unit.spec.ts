import { RecordedEvent } from '@salesline/core';
import { projectionSpec } from '@salesline/core/testing';
import { evolveOrder, OrderEvent } from '../domain/order';
import { orderStatus, OrderState, orderValue } from '../domain/order-state';
import { creditHoldReleased, goodsDelivered, invoiceIssued } from '../testing/order-fixtures';
import { orderConfirmed, orderPlaced, placedLine, priceOverrideRequested, putOnCreditHold } from '../testing/order-fixtures';
import { OrderBoardDoc, orderBoardProjection, orderBoardView } from './order-board.projection';

// ── events (order o-1, customer c-1) ────────────────────────────────────────────────────
const recorded = (events: OrderEvent[]): RecordedEvent[] =>
  events.map((e, i) => ({
    id: `e${i}`,
    streamName: `order-${(e.data as { orderId: string }).orderId}`,
    revision: i,
    position: i + 1,
    type: e.type,
    data: e.data,
    metadata: { actor: 'u-1', correlationId: 'c', causationId: null, occurredAt: `2025-03-01T10:00:0${i % 10}.000Z`, schemaVersion: 1 },
    recordedAt: '2025-03-01T10:00:00.000Z',
  }));
const spec = projectionSpec(orderBoardProjection);
/** The order's document after the events, through the projection runtime (each event delivered twice too). */
const project = async (events: OrderEvent[]): Promise<OrderBoardDoc | null> => {
  for (const e of events) expect(orderBoardProjection.handles).toContain(e.type);
  const docs = await spec.given(recorded(events)).documents();
  // Every order event routes to its order's document (beside it, the runtime keeps the list's totals: order-totals.ts).
  expect(Object.keys(docs).filter((id) => id !== 'o-1' && !id.startsWith('order-totals:'))).toEqual([]);
  return docs['o-1'] ?? null;
};
const board = async (events: OrderEvent[]): Promise<OrderBoardDoc> => {
  const doc = await project(events);
  if (!doc) throw new Error('no document');
  return doc;
};

const line = placedLine;
// sp-2 is listed first but sp-1 has the larger share (the primary salesperson).
const salesCredit = [
  { salespersonId: 'sp-2', shareBp: 4_000 },
  { salespersonId: 'sp-1', shareBp: 6_000 },
];
const placed = (lines = [line('L1', 'p-1', 10, 100_00, 60_00), line('L2', 'p-2', 5, 50_00, 20_00)]): OrderEvent =>
  orderPlaced(
    lines,
    lines.reduce((a, l) => a + l.quantity * l.unitPrice, 0),
    { salesCredit, quoteId: 'q-9' },
  );
const confirmed = orderConfirmed(1250_00, null);
const held = putOnCreditHold(1250_00, 100_00);
const released = creditHoldReleased('fin-1');
const delivered = (deliveryId: string, lines: { lineId: string; quantity: number }[], deliveryDate = '2025-03-05') =>
  goodsDelivered(deliveryId, lines, deliveryDate);
const invoiced = (invoiceId: string, lines: { lineId: string; quantity: number; unitPrice: number }[], invoiceDate = '2025-03-06') =>
  invoiceIssued(invoiceId, lines, invoiceDate, '2025-04-05');
const returnFlow = (returnId: string, lines: { lineId: string; quantity: number }[]): OrderEvent[] => [
  { type: 'ReturnRequested', data: { orderId: 'o-1', returnId, requestedOn: '2025-03-10', reason: 'damaged', lines } },
  { type: 'ReturnAccepted', data: { orderId: 'o-1', returnId, acceptedBy: 'sm-1', acceptedOn: '2025-03-11' } },
  { type: 'ReturnedGoodsReceived', data: { orderId: 'o-1', returnId, receivedOn: '2025-03-12', lines } },
];
const creditNote = (
  creditNoteId: string,
  invoiceId: string,
  returnId: string,
  lines: { lineId: string; quantity: number; unitPrice: number }[],
): OrderEvent => {
  const credited = lines.map((l) => ({ ...l, amount: l.quantity * l.unitPrice }));
  return {
    type: 'CreditNoteIssued',
    data: {
      creditNoteId,
      invoiceId,
      orderId: 'o-1',
      customerId: 'c-1',
      returnId,
      issuedOn: '2025-03-12',
      lines: credited,
      amount: credited.reduce((a, l) => a + l.amount, 0),
    },
  };
};
const cancelled = (lines: { lineId: string; quantity: number }[]): OrderEvent => ({
  type: 'OrderCancelled',
  data: { orderId: 'o-1', cancelledOn: '2025-03-20', reason: 'customer wants no more', lines },
});

const lineOf = (doc: OrderBoardDoc, lineId: string) => doc.lines.find((l) => l.lineId === lineId)!;

describe('order board projection', () => {
  it('opens one document per order with value, cost, margin and the primary salesperson', async () => {
    const doc = await board([placed(), confirmed]);
    expect(doc).toMatchObject({
      id: 'o-1',
      orderId: 'o-1',
      customerId: 'c-1',
      orderDate: '2025-03-01',
      quoteId: 'q-9',
      salespersonId: 'sp-1',
      status: 'to_deliver_and_bill',
      credit: { status: 'confirmed', holdReason: null, checkedAmount: 1250_00 },
      value: 1250_00,
      cost: 700_00, // 10 × 60 + 5 × 20
      margin: 550_00,
      marginBp: 4400,
      deliveredBp: 0,
      billedBp: 0,
      invoicedAmount: 0,
      creditedAmount: 0,
      unbilledValue: 1250_00,
      pendingOverrides: [],
      version: 1,
    });
    expect(lineOf(doc, 'L1')).toMatchObject({
      productId: 'p-1',
      ordered: 10,
      cancelled: 0,
      delivered: 0,
      openToDeliver: 10,
      unitPrice: 100_00,
      unitCost: 60_00,
      value: 1000_00,
      cost: 600_00,
    });
  });

  it('follows partial deliveries and invoices: delivered and billed basis points of the net ordered quantity', async () => {
    const doc = await board([
      placed(),
      confirmed,
      delivered('d1', [{ lineId: 'L1', quantity: 4 }]),
      invoiced('i1', [{ lineId: 'L1', quantity: 4, unitPrice: 100_00 }]),
    ]);
    expect(doc).toMatchObject({ status: 'to_deliver_and_bill', deliveredBp: 2666, billedBp: 2666, invoicedAmount: 400_00, value: 1250_00 });
    expect(doc.deliveries).toEqual([
      {
        deliveryId: 'd1',
        billOfLading: 'BOL-d1',
        carrier: 'DHL',
        deliveryDate: '2025-03-05',
        lines: [{ lineId: 'L1', quantity: 4 }],
        overDeliveryApprovedBy: null,
      },
    ]);
    expect(doc.invoices).toEqual([
      { invoiceId: 'i1', amount: 400_00, invoiceDate: '2025-03-06', dueDate: '2025-04-05', lines: [{ lineId: 'L1', quantity: 4 }] },
    ]);
    expect(lineOf(doc, 'L1')).toMatchObject({ delivered: 4, netDelivered: 4, billed: 4, billable: 0, openToDeliver: 6 });

    const beforeBilling = await board([placed(), confirmed, delivered('d1', [{ lineId: 'L1', quantity: 4 }])]);
    expect(beforeBilling.status).toBe('to_deliver_and_bill');
  });

  it('records a received return and its credit note; the value is not reduced (the quantity reopens for a replacement)', async () => {
    const doc = await board([
      placed(),
      confirmed,
      delivered('d1', [{ lineId: 'L1', quantity: 4 }]),
      invoiced('i1', [{ lineId: 'L1', quantity: 4, unitPrice: 100_00 }]),
      ...returnFlow('r1', [{ lineId: 'L1', quantity: 3 }]),
      creditNote('r1-cn1', 'i1', 'r1', [{ lineId: 'L1', quantity: 3, unitPrice: 100_00 }]),
    ]);
    expect(lineOf(doc, 'L1')).toMatchObject({
      delivered: 4,
      returnedReceived: 3,
      netDelivered: 1,
      billed: 4,
      credited: 3,
      billable: 0,
      openToDeliver: 9,
    });
    expect(doc).toMatchObject({
      value: 1250_00,
      deliveredBp: 666,
      billedBp: 666,
      invoicedAmount: 400_00,
      creditedAmount: 300_00,
      status: 'to_deliver_and_bill',
    });
    expect(doc.returns).toEqual([
      {
        returnId: 'r1',
        status: 'received',
        reason: 'damaged',
        requestedOn: '2025-03-10',
        requestedLines: [{ lineId: 'L1', quantity: 3 }],
        decidedBy: 'sm-1',
        decidedOn: '2025-03-11',
        refusalReason: null,
        receivedOn: '2025-03-12',
        receivedLines: [{ lineId: 'L1', quantity: 3 }],
      },
    ]);
    expect(doc.creditNotes).toEqual([{ creditNoteId: 'r1-cn1', invoiceId: 'i1', returnId: 'r1', amount: 300_00, issuedOn: '2025-03-12' }]);
  });

  it('shows a refused return as refused', async () => {
    const doc = await board([
      placed(),
      confirmed,
      delivered('d1', [{ lineId: 'L2', quantity: 5 }]),
      {
        type: 'ReturnRequested',
        data: { orderId: 'o-1', returnId: 'r2', requestedOn: '2025-03-10', reason: 'changed mind', lines: [{ lineId: 'L2', quantity: 1 }] },
      },
      {
        type: 'ReturnRefused',
        data: { orderId: 'o-1', returnId: 'r2', reason: 'custom made', refusedBy: 'sm-1', refusedOn: '2025-03-11' },
      },
    ]);
    expect(doc.returns[0]).toMatchObject({
      returnId: 'r2',
      status: 'refused',
      refusalReason: 'custom made',
      decidedBy: 'sm-1',
      receivedOn: null,
    });
  });

  it('takes cancelled quantity out of value, cost and the percentage base; a short-closed order completes', async () => {
    const doc = await board([
      placed(),
      confirmed,
      delivered('d1', [{ lineId: 'L1', quantity: 4 }]),
      invoiced('i1', [{ lineId: 'L1', quantity: 4, unitPrice: 100_00 }]),
      cancelled([
        { lineId: 'L1', quantity: 6 },
        { lineId: 'L2', quantity: 5 },
      ]),
    ]);
    expect(doc).toMatchObject({
      status: 'completed',
      value: 400_00,
      cost: 240_00,
      margin: 160_00,
      deliveredBp: 10_000,
      billedBp: 10_000,
      unbilledValue: 0,
    });
    expect(doc.cancellations).toEqual([
      {
        cancelledOn: '2025-03-20',
        reason: 'customer wants no more',
        lines: [
          { lineId: 'L1', quantity: 6 },
          { lineId: 'L2', quantity: 5 },
        ],
      },
    ]);
    const all = await board([
      placed(),
      confirmed,
      cancelled([
        { lineId: 'L1', quantity: 10 },
        { lineId: 'L2', quantity: 5 },
      ]),
    ]);
    expect(all).toMatchObject({ status: 'cancelled', value: 0, cost: 0, margin: 0, marginBp: 0, deliveredBp: 0 });
  });

  it('lists a pending price override, and a rejection reprices the line to the resolved price', async () => {
    const requested = priceOverrideRequested(0, 'big customer');
    const events = [placed([line('L1', 'p-1', 10, 80_00, 60_00, 100_00), line('L2', 'p-2', 5, 50_00, 20_00)]), requested, confirmed];
    const pending = await board(events);
    expect(pending).toMatchObject({ status: 'awaiting_price_approval', value: 1050_00 });
    expect(pending.pendingOverrides).toEqual([
      expect.objectContaining({ overrideId: 'o-1-L1', status: 'pending', requestedUnitPrice: 80_00, discountBp: 2000 }),
    ]);

    const rejected = await board([
      ...events,
      {
        type: 'PriceOverrideRejected',
        data: {
          overrideId: 'o-1-L1',
          orderId: 'o-1',
          lineId: 'L1',
          rejectedBy: 'sm-1',
          reason: 'too deep',
          rejectedOn: '2025-03-02',
          repricedTo: 100_00,
        },
      },
    ]);
    expect(rejected).toMatchObject({ status: 'to_deliver_and_bill', value: 1250_00, margin: 550_00, pendingOverrides: [] });
    expect(lineOf(rejected, 'L1').unitPrice).toBe(100_00);
    expect(rejected.overrides[0]).toMatchObject({ status: 'rejected', decidedBy: 'sm-1', decisionReason: 'too deep', repricedTo: 100_00 });

    const approved = await board([
      ...events,
      {
        type: 'PriceOverrideApproved',
        data: { overrideId: 'o-1-L1', orderId: 'o-1', lineId: 'L1', approvedBy: 'sm-1', reason: 'ok', approvedOn: '2025-03-02' },
      },
    ]);
    expect(approved).toMatchObject({ status: 'to_deliver_and_bill', value: 1050_00, pendingOverrides: [] });
    expect(approved.overrides[0]).toMatchObject({ status: 'approved', decidedBy: 'sm-1', repricedTo: null });

    // An override on a line cancelled entirely no longer blocks the order (the domain's rule).
    const cancelledLine = await board([...events, cancelled([{ lineId: 'L1', quantity: 10 }])]);
    expect(cancelledLine).toMatchObject({ status: 'to_deliver_and_bill', pendingOverrides: [] });
  });

  it('shows credit held and released', async () => {
    expect(await board([placed(), held])).toMatchObject({
      status: 'on_credit_hold',
      credit: { status: 'held', holdReason: 'credit_limit_exceeded' },
    });
    expect(await board([placed(), held, released])).toMatchObject({
      status: 'to_deliver_and_bill',
      credit: { status: 'released', holdReason: null, releasedBy: 'fin-1', releasedOn: '2025-03-02' },
    });
  });

  it('derives status and value exactly as the domain does after every event', async () => {
    const events: OrderEvent[] = [
      placed(),
      held,
      released,
      delivered('d1', [{ lineId: 'L1', quantity: 10 }]),
      invoiced('i1', [{ lineId: 'L1', quantity: 10, unitPrice: 100_00 }]),
      ...returnFlow('r1', [{ lineId: 'L1', quantity: 2 }]),
      creditNote('r1-cn1', 'i1', 'r1', [{ lineId: 'L1', quantity: 2, unitPrice: 100_00 }]),
      delivered('d2', [
        { lineId: 'L1', quantity: 2 },
        { lineId: 'L2', quantity: 6 },
      ]),
      invoiced('i2', [
        { lineId: 'L1', quantity: 2, unitPrice: 100_00 },
        { lineId: 'L2', quantity: 6, unitPrice: 50_00 },
      ]),
    ];
    let state: OrderState = { status: 'none' };
    const seen = new Set<string>();
    for (let n = 1; n <= events.length; n++) {
      state = evolveOrder(state, events[n - 1]);
      if (state.status !== 'placed') throw new Error('not placed');
      const doc = await board(events.slice(0, n));
      expect(doc.status).toBe(orderStatus(state));
      expect(doc.value).toBe(orderValue(state));
      expect(doc.lines.reduce((a, l) => a + l.value, 0)).toBe(orderValue(state));
      seen.add(doc.status);
    }
    expect([...seen]).toEqual(expect.arrayContaining(['on_credit_hold', 'to_bill', 'to_deliver_and_bill', 'completed']));
    // Over-delivered quantity counts in value (max(effective ordered, net delivered)) and above 100 %.
    expect(await board(events)).toMatchObject({ value: 1300_00, deliveredBp: 10_666 });
  });

  it('ignores events before OrderPlaced and keeps its domain state out of API answers', async () => {
    expect(await project([confirmed])).toBeNull();
    const view = orderBoardView(await board([placed(), confirmed]));
    expect(view).not.toHaveProperty('state');
    expect(view).toHaveProperty('status', 'to_deliver_and_bill');
  });
});
