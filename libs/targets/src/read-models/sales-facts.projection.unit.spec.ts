import { projectionSpec, recordedEvent } from '@salesline/core/testing';
import { AccountEvent, PaymentAllocated } from '@salesline/receivables';
import { OrderEvent, QuoteEvent } from '@salesline/sales';
import { goodsDelivered, invoiceIssued, orderConfirmed, orderPlaced, priceOverrideRequested } from '@salesline/sales/testing';
import { creditNoteIssued, placedLine, quoteIssued } from '@salesline/sales/testing';
import { salesProgress } from '../domain/sales-progress';
import { quoteAsOf, QuoteFactsDoc, salesProgressQuotesProjection } from './quote-facts.projection';
import { collectedFacts, evolveInvoiceCollections, InvoiceCollectionsDoc } from './sales-facts.projection';
import { OrderFactsDoc, salesProgressCollectionsProjection, salesProgressOrdersProjection } from './sales-facts.projection';

const orders = projectionSpec(salesProgressOrdersProjection, { streamOf: () => 'order-o-1' });
/** The order's document after the events, through the projection runtime (each event delivered twice too). */
const foldOrder = async (events: OrderEvent[]): Promise<OrderFactsDoc> => {
  for (const e of events) expect(salesProgressOrdersProjection.handles).toContain(e.type);
  const docs = await orders.given(events).documents();
  // Every order event routes to its order's document.
  expect(Object.keys(docs)).toEqual(['o-1']);
  return docs['o-1'];
};

const line = (lineId: string, quantity: number, unitPrice: number, unitCost: number, resolvedUnitPrice = unitPrice) =>
  placedLine(lineId, `p-${lineId}`, quantity, unitPrice, unitCost, resolvedUnitPrice);
const salesCredit = [
  { salespersonId: 'sp-1', shareBp: 6_000 },
  { salespersonId: 'sp-2', shareBp: 4_000 },
];
const placed = (lines = [line('L1', 10, 100_00, 60_00), line('L2', 5, 50_00, 20_00)]): OrderEvent =>
  orderPlaced(
    lines,
    lines.reduce((a, l) => a + l.quantity * l.unitPrice, 0),
    { salesCredit },
  );
const confirmed = orderConfirmed(0, null);
const delivered = goodsDelivered;
const invoiced = (invoiceId: string, lines: { lineId: string; quantity: number; unitPrice: number }[], invoiceDate: string) =>
  invoiceIssued(invoiceId, lines, invoiceDate, '2025-05-01');
const credits = [
  { employeeId: 'sp-1', shareBp: 6_000 },
  { employeeId: 'sp-2', shareBp: 4_000 },
];

/** The fact order o-1 books when placed: 15 units worth 1 250.00 at a cost of 700.00. */
const bookedOrder = {
  factId: 'order:o-1',
  kind: 'booked',
  businessDate: '2025-03-01',
  creditDate: '2025-03-01',
  amount: 1250_00,
  quantity: 15,
  cost: 700_00,
};

describe('sales_progress_orders: facts collected from order events', () => {
  it('books a placed order at its order date, with the captured cost and the split credit', async () => {
    const doc = await foldOrder([placed(), confirmed]);
    expect(doc.facts).toEqual([{ ...bookedOrder, credits }]);
    expect(doc).toMatchObject({ firstDate: '2025-03-01', lastDate: '2025-03-01', credits });
  });

  it('reprices the booking when a price override is rejected', async () => {
    const low = placed([line('L1', 10, 80_00, 60_00, 100_00)]);
    const requested = priceOverrideRequested(1000, null);
    expect((await foldOrder([low, requested, confirmed])).facts[0]).toMatchObject({ amount: 800_00, cost: 600_00 });
    const rejected: OrderEvent = {
      type: 'PriceOverrideRejected',
      data: {
        overrideId: 'o-1-L1',
        orderId: 'o-1',
        lineId: 'L1',
        rejectedBy: 'sm',
        reason: 'too low',
        rejectedOn: '2025-03-02',
        repricedTo: 100_00,
      },
    };
    expect((await foldOrder([low, requested, confirmed, rejected])).facts).toEqual([
      {
        factId: 'order:o-1',
        kind: 'booked',
        businessDate: '2025-03-01',
        creditDate: '2025-03-01',
        amount: 1000_00,
        quantity: 10,
        cost: 600_00,
        credits,
      },
    ]);
  });

  it('records partial deliveries, a cancellation of the rest and the invoice, each on its own date', async () => {
    const doc = await foldOrder([
      placed(),
      confirmed,
      delivered('d-1', [{ lineId: 'L1', quantity: 4 }], '2025-03-05'),
      delivered(
        'd-2',
        [
          { lineId: 'L1', quantity: 2 },
          { lineId: 'L2', quantity: 5 },
        ],
        '2025-04-02',
      ),
      {
        type: 'OrderCancelled',
        data: { orderId: 'o-1', cancelledOn: '2025-04-03', reason: 'customer', lines: [{ lineId: 'L1', quantity: 4 }] },
      },
      invoiced(
        'i-1',
        [
          { lineId: 'L1', quantity: 6, unitPrice: 100_00 },
          { lineId: 'L2', quantity: 5, unitPrice: 50_00 },
        ],
        '2025-04-04',
      ),
    ]);
    expect(doc.facts.map(({ credits: _c, ...f }) => f)).toEqual([
      bookedOrder,
      {
        factId: 'cancellation:o-1:1',
        kind: 'booked',
        businessDate: '2025-04-03',
        creditDate: '2025-03-01',
        amount: -400_00,
        quantity: -4,
        cost: -240_00,
      },
      {
        factId: 'delivery:d-1',
        kind: 'delivered',
        businessDate: '2025-03-05',
        creditDate: '2025-03-01',
        amount: 400_00,
        quantity: 4,
        cost: 240_00,
      },
      {
        factId: 'delivery:d-2',
        kind: 'delivered',
        businessDate: '2025-04-02',
        creditDate: '2025-03-01',
        amount: 450_00,
        quantity: 7,
        cost: 220_00,
      },
      {
        factId: 'invoice:i-1',
        kind: 'invoiced',
        businessDate: '2025-04-04',
        creditDate: '2025-03-01',
        amount: 850_00,
        quantity: 11,
        cost: 460_00,
      },
    ]);
    expect(doc).toMatchObject({ firstDate: '2025-03-01', lastDate: '2025-04-04' });
  });

  it('reverses a received return and its credit note where the credit was given', async () => {
    const doc = await foldOrder([
      placed([line('L1', 10, 100_00, 60_00)]),
      confirmed,
      delivered('d-1', [{ lineId: 'L1', quantity: 10 }], '2025-03-05'),
      invoiced('i-1', [{ lineId: 'L1', quantity: 10, unitPrice: 100_00 }], '2025-03-06'),
      {
        type: 'ReturnRequested',
        data: { orderId: 'o-1', returnId: 'r-1', requestedOn: '2025-04-10', reason: 'damaged', lines: [{ lineId: 'L1', quantity: 3 }] },
      },
      { type: 'ReturnAccepted', data: { orderId: 'o-1', returnId: 'r-1', acceptedBy: 'sm', acceptedOn: '2025-04-11' } },
      {
        type: 'ReturnedGoodsReceived',
        data: { orderId: 'o-1', returnId: 'r-1', receivedOn: '2025-04-12', lines: [{ lineId: 'L1', quantity: 3 }] },
      },
      creditNoteIssued('r-1', 'i-1', [{ lineId: 'L1', quantity: 3, unitPrice: 100_00 }], '2025-04-12'),
    ]);
    expect(doc.facts.slice(2).map(({ credits: _c, ...f }) => f)).toEqual([
      {
        factId: 'return:r-1',
        kind: 'delivered',
        businessDate: '2025-04-12',
        creditDate: '2025-03-01',
        amount: -300_00,
        quantity: -3,
        cost: -180_00,
      },
      {
        factId: 'invoice:i-1',
        kind: 'invoiced',
        businessDate: '2025-03-06',
        creditDate: '2025-03-01',
        amount: 1000_00,
        quantity: 10,
        cost: 600_00,
      },
      {
        factId: 'credit-note:r-1-cn1',
        kind: 'invoiced',
        businessDate: '2025-04-12',
        creditDate: '2025-03-01',
        amount: -300_00,
        quantity: -3,
        cost: -180_00,
      },
    ]);
    // The pure calculation reduces both salespeople's achievement by their share of the credit note.
    const report = salesProgress({ period: '2025-04', asOf: '2025-04-30', facts: doc.facts, assignments: {}, plan: null });
    const row = (id: string) => report.rows.find((r) => r.level === 'salesperson' && r.nodeId === id)!.actual;
    expect(row('sp-1')).toMatchObject({ revenueInvoiced: -180_00, revenueDelivered: -180_00, grossMargin: -72_00 });
    expect(row('sp-2')).toMatchObject({ revenueInvoiced: -120_00, revenueDelivered: -120_00, grossMargin: -48_00 });
  });

  it('is deterministic: folding the same events again gives the same facts', async () => {
    const events: OrderEvent[] = [placed(), confirmed, delivered('d-1', [{ lineId: 'L1', quantity: 4 }], '2025-03-05')];
    expect((await foldOrder(events)).facts).toEqual((await foldOrder(events)).facts);
  });

  it('ignores events of an order it never saw placed', async () => {
    await orders.given(confirmed).then({});
  });
});

describe('sales_progress_collections: cash allocated to invoices', () => {
  const collections = projectionSpec(salesProgressCollectionsProjection, { streamOf: () => 'account-c-1' });
  const account = async (events: AccountEvent[]): Promise<InvoiceCollectionsDoc | undefined> => {
    for (const e of events) expect(salesProgressCollectionsProjection.handles).toContain(e.type);
    return collections.given(events).document('i-1');
  };
  const posted: AccountEvent = {
    type: 'InvoicePosted',
    data: { invoiceId: 'i-1', orderId: 'o-1', amount: 1000_00, invoiceDate: '2025-03-06', dueDate: '2025-04-05' },
  };
  const allocated = (sourceKind: 'payment' | 'deposit' | 'credit_note', amount: number, allocatedOn: string): PaymentAllocated => ({
    type: 'PaymentAllocated',
    data: { sourceId: `${sourceKind}-1`, sourceKind, invoiceId: 'i-1', amount, allocatedOn },
  });

  it('keeps payments and deposits allocated to the invoice, not a credit note’s excess', async () => {
    const doc = (await account([
      posted,
      allocated('payment', 600_00, '2025-04-01'),
      allocated('deposit', 100_00, '2025-03-06'),
      allocated('credit_note', 50_00, '2025-04-02'),
    ]))!;
    expect(doc).toMatchObject({ id: 'i-1', orderId: 'o-1', customerId: 'c-1', lastDate: '2025-04-01' });
    expect(doc.allocations.map((a) => [a.sourceKind, a.amount, a.allocatedOn])).toEqual([
      ['payment', 600_00, '2025-04-01'],
      ['deposit', 100_00, '2025-03-06'],
    ]);
    const facts = collectedFacts(doc, { credits, orderDate: '2025-03-01' });
    expect(facts.map((f) => [f.kind, f.businessDate, f.amount, f.quantity, f.cost])).toEqual([
      ['collected', '2025-04-01', 600_00, 0, 0],
      ['collected', '2025-03-06', 100_00, 0, 0],
    ]);
    expect(facts[0].credits).toEqual(credits);
    expect(facts[0].creditDate).toBe('2025-03-01'); // credited as of the day of the sale
    expect(collectedFacts(doc, null)).toEqual([]);
  });

  it('applies the same allocation event once', async () => {
    // The same event (same id) twice, even where the runtime's position check would not catch it.
    const r = recordedEvent('account-c-1', allocated('payment', 600_00, '2025-04-01'), { position: 99 });
    const once = evolveInvoiceCollections((await account([posted]))!, r);
    expect(evolveInvoiceCollections(once, r)!.allocations).toHaveLength(1);
  });
});

describe('sales_progress_quotes: pipeline and outcomes', () => {
  const quoteLine = (quantity: number, unitPrice: number) => ({
    lineId: 'L1',
    productId: 'p-1',
    quantity,
    unitPrice,
    resolvedUnitPrice: unitPrice,
    priceSource: { kind: 'list' as const },
    unitCost: 10_00,
  });
  const quotes = projectionSpec(salesProgressQuotesProjection, { streamOf: () => 'quote-q-1' });
  const fold = async (events: QuoteEvent[]): Promise<QuoteFactsDoc> => {
    for (const e of events) expect(salesProgressQuotesProjection.handles).toContain(e.type);
    return (await quotes.given(events).document('q-1'))!;
  };
  const issued = quoteIssued([quoteLine(10, 50_00)]);

  it('follows status and value over time', async () => {
    const doc = await fold([
      issued,
      {
        type: 'QuoteRevised',
        data: { quoteId: 'q-1', revision: 2, revisedOn: '2025-03-10', validUntil: '2025-04-09', lines: [quoteLine(12, 50_00)] },
      },
      { type: 'QuoteAccepted', data: { quoteId: 'q-1', revision: 2, acceptedOn: '2025-03-15' } },
      { type: 'QuoteConverted', data: { quoteId: 'q-1', orderId: 'o-9', revision: 2, convertedOn: '2025-03-16' } },
    ]);
    expect(doc.timeline).toEqual([
      { on: '2025-03-01', outcome: 'open', value: 500_00, validUntil: '2025-03-31' },
      { on: '2025-03-10', outcome: 'open', value: 600_00, validUntil: '2025-04-09' },
      { on: '2025-03-15', outcome: 'won', value: 600_00, validUntil: '2025-04-09' },
    ]);
    expect(quoteAsOf(doc, '2025-02-28')).toBeNull();
    expect(quoteAsOf(doc, '2025-03-12')).toEqual({ on: '2025-03-10', outcome: 'open', value: 600_00, validUntil: '2025-04-09' });
    expect(quoteAsOf(doc, '2025-03-31')?.outcome).toBe('won');
  });

  it('counts a conversion without acceptance as won, rejection and expiry as lost', async () => {
    expect(
      (
        await fold([issued, { type: 'QuoteConverted', data: { quoteId: 'q-1', orderId: 'o-9', revision: 1, convertedOn: '2025-03-05' } }])
      ).timeline.at(-1),
    ).toEqual({
      on: '2025-03-05',
      outcome: 'won',
      value: 500_00,
      validUntil: '2025-03-31',
    });
    expect(
      (await fold([issued, { type: 'QuoteRejected', data: { quoteId: 'q-1', reason: 'price', rejectedOn: '2025-03-04' } }])).timeline.at(-1)
        ?.outcome,
    ).toBe('lost');
    expect(
      (
        await fold([issued, { type: 'QuoteExpired', data: { quoteId: 'q-1', validUntil: '2025-03-31', expiredOn: '2025-04-01' } }])
      ).timeline.at(-1)?.outcome,
    ).toBe('lost');
  });
});
