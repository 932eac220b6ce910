import { defineProjection, domainEventOf, Recorded, writtenBy } from '@salesline/core';
import { OrderEvent } from '../domain/order';

/**
 * Which order a child document belongs to: commands address returns, overrides, invoices and
 * credit notes by their own id, and the handler must find the order stream that holds them.
 * Collection `document_index`, one document per child: id `<kind>:<childId>` (e.g. `return:r-1`).
 *
 * Child ids are meant to be unique across orders (the command side generates them). Should one be
 * reused on another order, the FIRST order keeps `orderId` (a lookup never silently moves to a
 * newer order) and `orderIds` lists every order that used it — a bill of lading legitimately may,
 * as one shipment can carry several orders.
 */
export type DocumentKind = 'return' | 'override' | 'invoice' | 'creditNote' | 'delivery' | 'billOfLading';

export type DocumentIndexEntry = {
  id: string;
  kind: DocumentKind;
  /** The child document's own id (the bill of lading number for `billOfLading`). */
  key: string;
  orderId: string;
  orderIds: string[];
  /** Known for invoices and credit notes (their events carry it). */
  customerId: string | null;
  /** Known for credit notes: the invoice they credit. */
  invoiceId: string | null;
};

export const documentIndexId = (kind: DocumentKind, key: string) => `${kind}:${key}`;

type Entry = Omit<DocumentIndexEntry, 'id' | 'orderIds'>;

/** The index entries an order event creates (none for most events). */
export const documentIndexEntries = (event: OrderEvent): Entry[] => {
  const base = { customerId: null, invoiceId: null };
  switch (event.type) {
    case 'PriceOverrideRequested':
      return [{ ...base, kind: 'override', key: event.data.overrideId, orderId: event.data.orderId }];
    case 'ReturnRequested':
      return [{ ...base, kind: 'return', key: event.data.returnId, orderId: event.data.orderId }];
    case 'GoodsDelivered':
      return [
        { ...base, kind: 'delivery', key: event.data.deliveryId, orderId: event.data.orderId },
        { ...base, kind: 'billOfLading', key: event.data.billOfLading, orderId: event.data.orderId },
      ];
    case 'InvoiceIssued':
      return [
        { kind: 'invoice', key: event.data.invoiceId, orderId: event.data.orderId, customerId: event.data.customerId, invoiceId: null },
      ];
    case 'CreditNoteIssued': {
      const d = event.data;
      return [{ kind: 'creditNote', key: d.creditNoteId, orderId: d.orderId, customerId: d.customerId, invoiceId: d.invoiceId }];
    }
    default:
      return [];
  }
};

const entriesOf = (recorded: Recorded<OrderEvent>) => documentIndexEntries(domainEventOf(recorded));

export const evolveDocumentIndex = (
  doc: DocumentIndexEntry | null,
  recorded: Recorded<OrderEvent>,
  documentId: string,
): DocumentIndexEntry | null => {
  const entry = entriesOf(recorded).find((e) => documentIndexId(e.kind, e.key) === documentId);
  if (!entry) return doc;
  if (!doc) return { id: documentId, ...entry, orderIds: [entry.orderId] };
  return doc.orderIds.includes(entry.orderId) ? doc : { ...doc, orderIds: [...doc.orderIds, entry.orderId] };
};

export const documentIndexProjection = defineProjection<OrderEvent>()({
  name: 'document_index',
  collection: 'document_index',
  documentation: {
    document: 'DocumentIndexEntry',
    context: 'sales',
    summary:
      'Which order holds a return, override, invoice, credit note, delivery or bill of lading (id `<kind>:<childId>`): commands addressed by a child id find their order stream.',
    meanings: {
      id: '`<kind>:<child id>`.',
      orderId: 'The first order that used the child id.',
      orderIds: 'Every order that used it (a bill of lading may carry several).',
    },
    sources: {
      ...writtenBy(
        ['GoodsDelivered', 'InvoiceIssued', 'ReturnRequested', 'CreditNoteIssued', 'PriceOverrideRequested'],
        ['id', 'kind', 'key', 'orderId', 'orderIds', 'customerId', 'invoiceId'],
      ),
    },
  },
  handles: ['PriceOverrideRequested', 'ReturnRequested', 'GoodsDelivered', 'InvoiceIssued', 'CreditNoteIssued'],
  indexes: [{ fields: ['orderId'] }],
  documentIds: (event) => entriesOf(event).map((e) => documentIndexId(e.kind, e.key)),
  evolve: evolveDocumentIndex,
});
