import { creditNoteIssued } from '../testing/order-fixtures';
import { projectionSpec } from '@salesline/core/testing';
import { OrderEvent } from '../domain/order';
import { documentIndexProjection } from './document-index.projection';

const spec = projectionSpec(documentIndexProjection, { streamOf: (e) => `order-${(e as OrderEvent).data.orderId}` });
/** The index documents after the events, through the projection runtime (each event delivered twice too). */
const run = (events: OrderEvent[]) => spec.given(events).documents();

const delivered = (orderId: string, deliveryId: string, billOfLading: string): OrderEvent => ({
  type: 'GoodsDelivered',
  data: {
    orderId,
    deliveryId,
    billOfLading,
    carrier: 'DHL',
    deliveryDate: '2025-03-05',
    lines: [{ lineId: 'L1', quantity: 1 }],
    overDelivery: null,
  },
});

describe('document index projection', () => {
  const events: OrderEvent[] = [
    {
      type: 'PriceOverrideRequested',
      data: {
        overrideId: 'o-1-L1',
        orderId: 'o-1',
        lineId: 'L1',
        salespersonId: 'sp',
        requestedBy: 'sp',
        resolvedUnitPrice: 10,
        requestedUnitPrice: 8,
        discountBp: 2000,
        allowedBp: 0,
        belowCost: false,
        reason: null,
        requestedOn: '2025-03-01',
      },
    },
    delivered('o-1', 'd-1', 'BOL 0001/A'),
    {
      type: 'ReturnRequested',
      data: { orderId: 'o-1', returnId: 'r-1', requestedOn: '2025-03-06', reason: 'broken', lines: [{ lineId: 'L1', quantity: 1 }] },
    },
    {
      type: 'InvoiceIssued',
      data: {
        invoiceId: 'i-1',
        orderId: 'o-1',
        customerId: 'c-1',
        invoiceDate: '2025-03-05',
        dueDate: '2025-04-04',
        lines: [{ lineId: 'L1', quantity: 1, unitPrice: 10, amount: 10 }],
        amount: 10,
      },
    },
    creditNoteIssued('r-1', 'i-1', [{ lineId: 'L1', quantity: 1, unitPrice: 10 }], '2025-03-07'),
    { type: 'ReturnAccepted', data: { orderId: 'o-1', returnId: 'r-1', acceptedBy: 'sm', acceptedOn: '2025-03-06' } },
  ];

  it('maps every child document to its order, keyed <kind>:<id>', async () => {
    const docs = await run(events);
    const base = { customerId: null, invoiceId: null, orderId: 'o-1', orderIds: ['o-1'] };
    expect(docs).toEqual({
      'override:o-1-L1': { id: 'override:o-1-L1', kind: 'override', key: 'o-1-L1', ...base },
      'delivery:d-1': { id: 'delivery:d-1', kind: 'delivery', key: 'd-1', ...base },
      'billOfLading:BOL 0001/A': { id: 'billOfLading:BOL 0001/A', kind: 'billOfLading', key: 'BOL 0001/A', ...base },
      'return:r-1': { id: 'return:r-1', kind: 'return', key: 'r-1', ...base },
      'invoice:i-1': { id: 'invoice:i-1', kind: 'invoice', key: 'i-1', ...base, customerId: 'c-1' },
      'creditNote:r-1-cn1': { id: 'creditNote:r-1-cn1', kind: 'creditNote', key: 'r-1-cn1', ...base, customerId: 'c-1', invoiceId: 'i-1' },
    });
  });

  it('keeps the first order when an id is reused, and lists every order that used it', async () => {
    const docs = await run([delivered('o-1', 'd-1', 'BOL-1'), delivered('o-2', 'd-2', 'BOL-1'), delivered('o-2', 'd-3', 'BOL-1')]);
    expect(docs['billOfLading:BOL-1']).toMatchObject({ orderId: 'o-1', orderIds: ['o-1', 'o-2'] });
  });

  it('routes events that create no child document nowhere', async () => {
    expect(documentIndexProjection.handles).not.toContain('ReturnAccepted');
    expect(await run([events[5]])).toEqual({});
  });
});
