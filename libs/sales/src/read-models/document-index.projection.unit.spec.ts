import { RecordedEvent } from '@salesline/core';
import { OrderEvent } from '../domain/order';
import { DocumentIndexEntry, documentIndexProjection } from './document-index.projection';

const run = (events: OrderEvent[]) => {
  const docs = new Map<string, DocumentIndexEntry>();
  events.forEach((e, i) => {
    const event: RecordedEvent = {
      id: `e${i}`,
      streamName: `order-${(e.data as { orderId: string }).orderId}`,
      revision: i,
      position: i + 1,
      type: e.type,
      data: e.data,
      metadata: { actor: 'u-1', correlationId: 'c', causationId: null, occurredAt: '2025-03-01T10:00:00.000Z', schemaVersion: 1 },
      recordedAt: '2025-03-01T10:00:00.000Z',
    };
    if (!documentIndexProjection.handles.includes(event.type)) return;
    for (const id of documentIndexProjection.documentIds(event)) {
      const next = documentIndexProjection.evolve(docs.get(id) ?? null, event, id);
      if (next) docs.set(id, next);
    }
  });
  return docs;
};

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
    {
      type: 'CreditNoteIssued',
      data: {
        creditNoteId: 'r-1-cn1',
        invoiceId: 'i-1',
        orderId: 'o-1',
        customerId: 'c-1',
        returnId: 'r-1',
        issuedOn: '2025-03-07',
        lines: [{ lineId: 'L1', quantity: 1, unitPrice: 10, amount: 10 }],
        amount: 10,
      },
    },
    { type: 'ReturnAccepted', data: { orderId: 'o-1', returnId: 'r-1', acceptedBy: 'sm', acceptedOn: '2025-03-06' } },
  ];

  it('maps every child document to its order, keyed <kind>:<id>', () => {
    const docs = run(events);
    const base = { customerId: null, invoiceId: null, orderId: 'o-1', orderIds: ['o-1'] };
    expect(Object.fromEntries(docs)).toEqual({
      'override:o-1-L1': { id: 'override:o-1-L1', kind: 'override', key: 'o-1-L1', ...base },
      'delivery:d-1': { id: 'delivery:d-1', kind: 'delivery', key: 'd-1', ...base },
      'billOfLading:BOL 0001/A': { id: 'billOfLading:BOL 0001/A', kind: 'billOfLading', key: 'BOL 0001/A', ...base },
      'return:r-1': { id: 'return:r-1', kind: 'return', key: 'r-1', ...base },
      'invoice:i-1': { id: 'invoice:i-1', kind: 'invoice', key: 'i-1', ...base, customerId: 'c-1' },
      'creditNote:r-1-cn1': { id: 'creditNote:r-1-cn1', kind: 'creditNote', key: 'r-1-cn1', ...base, customerId: 'c-1', invoiceId: 'i-1' },
    });
  });

  it('keeps the first order when an id is reused, and lists every order that used it', () => {
    const docs = run([delivered('o-1', 'd-1', 'BOL-1'), delivered('o-2', 'd-2', 'BOL-1'), delivered('o-2', 'd-3', 'BOL-1')]);
    expect(docs.get('billOfLading:BOL-1')).toMatchObject({ orderId: 'o-1', orderIds: ['o-1', 'o-2'] });
  });

  it('routes events that create no child document nowhere', () => {
    expect(documentIndexProjection.handles).not.toContain('ReturnAccepted');
    expect(run([events[5]]).size).toBe(0);
  });
});
