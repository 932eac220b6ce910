import { defineProjection, Recorded, writtenBy } from '@salesline/core';
import { OrderEvent } from '../domain/order';
import { lineQuantities, OrderLine } from '../domain/order-state';

/**
 * The backlog for production planning: what is ordered and not yet delivered, per product.
 * Backlog quantity of a line = the domain's `openToDeliver` = max(0, ordered − cancelled − net delivered);
 * a received return reopens its quantity (a replacement is owed, ADR 0107) until it is cancelled.
 * Orders on credit hold or awaiting a price approval stay in: they are still committed demand.
 *
 * Stored ONE DOCUMENT PER ORDER LINE (`<orderId>:<lineId>`), indexed by product, and summed per
 * product at query time (`backlogByProduct`): after OrderPlaced the events name lines, not
 * products, and a projection routes an event from the event alone, so a per-product document
 * could not be found for a delivery or a cancellation.
 */
export type BacklogLineDoc = {
  id: string;
  orderId: string;
  lineId: string;
  customerId: string;
  orderDate: string;
  productId: string;
  /** The domain's line (quantities and price), evolved here by the same additions the order makes. */
  line: OrderLine;
  /** Open to deliver. */
  quantity: number;
  /** quantity × the line's unit price (the resolved price once an override is rejected). */
  value: number;
};

export type BacklogOrder = { orderId: string; lineId: string; customerId: string; orderDate: string; quantity: number; value: number };
export type BacklogProduct = { productId: string; quantity: number; value: number; orders: BacklogOrder[] };

export const backlogLineId = (orderId: string, lineId: string) => `${orderId}:${lineId}`;
const lineIdOf = (documentId: string) => documentId.slice(documentId.indexOf(':') + 1);

const BACKLOG_EVENT_TYPES = ['OrderPlaced', 'PriceOverrideRejected', 'GoodsDelivered', 'ReturnedGoodsReceived', 'OrderCancelled'] as const;
type BacklogEvent = Recorded<Extract<OrderEvent, { type: (typeof BACKLOG_EVENT_TYPES)[number] }>>;

const COUNTER_OF = { OrderCancelled: 'cancelled', GoodsDelivered: 'delivered', ReturnedGoodsReceived: 'returnedReceived' } as const;

const withLine = (doc: BacklogLineDoc, line: OrderLine): BacklogLineDoc => {
  const quantity = lineQuantities(line).openToDeliver;
  return { ...doc, line, quantity, value: quantity * line.unitPrice };
};

export const evolveBacklogLine = (doc: BacklogLineDoc | null, event: BacklogEvent, documentId: string): BacklogLineDoc | null => {
  const lineId = lineIdOf(documentId);
  if (event.type === 'OrderPlaced') {
    const d = event.data;
    const placed = d.lines.find((l) => l.lineId === lineId);
    if (!placed) return doc;
    const { priceApproval: _, ...placedLine } = placed;
    const line: OrderLine = { ...placedLine, cancelled: 0, delivered: 0, returnedReceived: 0, returnedClosed: 0, billed: 0, credited: 0 };
    return withLine(
      {
        id: documentId,
        orderId: d.orderId,
        lineId,
        customerId: d.customerId,
        orderDate: d.orderDate,
        productId: line.productId,
        line,
        quantity: 0,
        value: 0,
      },
      line,
    );
  }
  if (!doc) return null;
  if (event.type === 'PriceOverrideRejected') return withLine(doc, { ...doc.line, unitPrice: event.data.repricedTo });
  const counter = COUNTER_OF[event.type];
  const added = event.data.lines.filter((l) => l.lineId === lineId).reduce((a, l) => a + l.quantity, 0);
  const line = { ...doc.line, [counter]: doc.line[counter] + added };
  // A return without replacement closes the quantity it brought back (ADR 0111).
  if (event.type === 'ReturnedGoodsReceived' && event.data.replacement === false) line.returnedClosed = (line.returnedClosed ?? 0) + added;
  return withLine(doc, line);
};

export const backlogProjection = defineProjection<OrderEvent>()({
  name: 'backlog',
  collection: 'backlog',
  documentation: {
    document: 'BacklogLineDoc',
    context: 'sales',
    summary: 'One document per open order line: quantity still to deliver. Serves `GET /api/reports/backlog`.',
    meanings: {
      id: '`<orderId>:<lineId>`: one document per order line.',
      orderId: 'The order.',
      lineId: 'The line within the order.',
      customerId: 'The customer who ordered.',
      orderDate: 'Business date of the order.',
      productId: 'The product ordered.',
      'line.lineId': 'The line id.',
      'line.productId': 'The product.',
      'line.listPrice': 'List price per unit when ordered, minor units.',
      'line.resolvedUnitPrice': 'Price the line resolved to before any override, minor units.',
      'line.priceSource': 'Where the resolved price came from.',
      'line.priceSource.kind': "`customer` (its price list), `group` (its group's list) or `list` (the product's list price).",
      'line.priceSource.priceListId': 'The price list applied, when one was.',
      'line.priceSource.minQuantity': 'The quantity break applied.',
      'line.cancelled': 'Quantity cancelled.',
      'line.delivered': 'Quantity delivered.',
      'line.returnedReceived': 'Quantity returned and received back.',
      'line.billed': 'Quantity invoiced.',
      'line.credited': 'Quantity credited by credit notes.',
    },
    sources: {
      ...writtenBy(
        ['OrderPlaced'],
        [
          'id',
          'orderId',
          'lineId',
          'customerId',
          'orderDate',
          'productId',
          'line.lineId',
          'line.productId',
          'line.quantity',
          'line.listPrice',
          'line.resolvedUnitPrice',
          'line.priceSource',
          'line.priceSource.kind',
          'line.priceSource.priceListId',
          'line.priceSource.minQuantity',
          'line.unitCost',
          'line.returnedClosed',
          'line.billed',
          'line.credited',
        ],
      ),
      ...writtenBy(
        ['OrderPlaced', 'GoodsDelivered', 'ReturnedGoodsReceived', 'OrderCancelled', 'PriceOverrideRejected'],
        ['line', 'value'],
      ),
      'line.unitPrice': ['OrderPlaced', 'PriceOverrideRejected'],
      'line.cancelled': ['OrderPlaced', 'OrderCancelled'],
      'line.delivered': ['OrderPlaced', 'GoodsDelivered'],
      'line.returnedReceived': ['OrderPlaced', 'ReturnedGoodsReceived'],
      quantity: ['OrderPlaced', 'GoodsDelivered', 'ReturnedGoodsReceived', 'OrderCancelled'],
    },
  },
  handles: BACKLOG_EVENT_TYPES,
  indexes: [{ fields: ['productId', 'quantity'] }, { fields: ['quantity'] }],
  documentIds: (event) => {
    const { orderId } = event.data;
    if (event.type === 'PriceOverrideRejected') return [backlogLineId(orderId, event.data.lineId)];
    return [...new Set(event.data.lines.map((l: { lineId: string }) => l.lineId))].map((lineId) => backlogLineId(orderId, lineId));
  },
  evolve: evolveBacklogLine,
});

/** Sums open lines per product, each with its per-order breakdown (oldest order first). */
export const backlogByProduct = (lines: readonly BacklogLineDoc[]): BacklogProduct[] => {
  const products = new Map<string, BacklogProduct>();
  for (const l of lines) {
    if (l.quantity <= 0) continue;
    const p = products.get(l.productId) ?? { productId: l.productId, quantity: 0, value: 0, orders: [] };
    p.quantity += l.quantity;
    p.value += l.value;
    p.orders.push({
      orderId: l.orderId,
      lineId: l.lineId,
      customerId: l.customerId,
      orderDate: l.orderDate,
      quantity: l.quantity,
      value: l.value,
    });
    products.set(l.productId, p);
  }
  const byDateThenId = (a: BacklogOrder, b: BacklogOrder) =>
    a.orderDate < b.orderDate
      ? -1
      : a.orderDate > b.orderDate
        ? 1
        : a.orderId < b.orderId
          ? -1
          : a.orderId > b.orderId
            ? 1
            : a.lineId < b.lineId
              ? -1
              : 1;
  return [...products.values()]
    .map((p) => ({ ...p, orders: p.orders.sort(byDateThenId) }))
    .sort((a, b) => (a.productId < b.productId ? -1 : 1));
};
