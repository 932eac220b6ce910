import { OrderEvent } from '../domain/order';

/**
 * The documentation (docs/read-models.md) of the order shapes that several read models keep: the order's lines
 * and its domain state (`PlacedOrder`, kept as `state` by order_board and the targets' sales_progress_orders).
 * Written once here, so that the entries cannot drift apart.
 */
type OrderSources = Readonly<Record<string, readonly OrderEvent['type'][]>>;

/** A shape's documentation placed where a document nests it: `fieldsUnder('lines[]', { lineId: x })` is `{ 'lines[].lineId': x }`. */
export const fieldsUnder = <V>(path: string, fields: Readonly<Record<string, V>>): Record<string, V> =>
  Object.fromEntries(Object.entries(fields).map(([field, value]) => [`${path}.${field}`, value]));

/**
 * The order's documents: its placing, deliveries, invoices, received returns, credit notes and cancellations, the
 * events that change its lines' quantities (and write the targets' sales facts).
 */
export const ORDER_DOCUMENT_EVENTS = [
  'OrderPlaced',
  'GoodsDelivered',
  'InvoiceIssued',
  'ReturnedGoodsReceived',
  'CreditNoteIssued',
  'OrderCancelled',
] as const satisfies readonly OrderEvent['type'][];

/** The events that change an order's list of lines: its documents, and a price override's outcome. */
export const ORDER_LINES_SOURCES: readonly OrderEvent['type'][] = [
  ...ORDER_DOCUMENT_EVENTS,
  'PriceOverrideRejected',
  'PriceOverrideApproved',
];

/** The fields of an order line that the board's lines and the order's state share. */
export const ORDER_LINE_MEANINGS = {
  lineId: 'The line id.',
  productId: 'The product.',
  unitPrice: 'Unit price agreed, minor units.',
  listPrice: 'List price per unit when ordered, minor units.',
  resolvedUnitPrice: 'Price resolved from price lists before any override, minor units.',
  priceSource: 'Where the resolved price came from.',
  'priceSource.kind': "`customer` (its price list), `group` (its group's list) or `list` (the product's list price).",
  'priceSource.priceListId': 'The price list applied, when one was.',
  'priceSource.minQuantity': 'The quantity break applied.',
  unitCost: 'Standard cost per unit captured at placing, minor units (ADR 0105).',
  cancelled: 'Quantity cancelled.',
  delivered: 'Quantity delivered.',
  returnedReceived: 'Quantity returned and received back.',
  billed: 'Quantity invoiced.',
  credited: 'Quantity credited by credit notes.',
};

export const ORDER_LINE_SOURCES: OrderSources = {
  lineId: ['OrderPlaced', 'PriceOverrideApproved'],
  productId: ['OrderPlaced', 'PriceOverrideApproved'],
  unitPrice: ['OrderPlaced', 'PriceOverrideRejected', 'PriceOverrideApproved'],
  listPrice: ['OrderPlaced', 'PriceOverrideApproved'],
  resolvedUnitPrice: ['OrderPlaced', 'PriceOverrideApproved'],
  priceSource: ['OrderPlaced', 'PriceOverrideApproved'],
  'priceSource.kind': ['OrderPlaced', 'PriceOverrideApproved'],
  'priceSource.priceListId': ['OrderPlaced', 'PriceOverrideApproved'],
  'priceSource.minQuantity': ['OrderPlaced', 'PriceOverrideApproved'],
  unitCost: ['OrderPlaced', 'PriceOverrideApproved'],
  cancelled: ['OrderPlaced', 'OrderCancelled', 'PriceOverrideApproved'],
  delivered: ['OrderPlaced', 'GoodsDelivered', 'PriceOverrideApproved'],
  returnedReceived: ['OrderPlaced', 'ReturnedGoodsReceived', 'PriceOverrideApproved'],
  returnedClosed: ['OrderPlaced', 'PriceOverrideApproved'],
  billed: ['OrderPlaced', 'InvoiceIssued', 'PriceOverrideApproved'],
  credited: ['OrderPlaced', 'CreditNoteIssued', 'PriceOverrideApproved'],
};

/** The order's heading: the same meanings at a document's top level (order_board) and under its `state`. */
export const ORDER_HEADING_MEANINGS = {
  orderId: 'The order id.',
  customerId: 'The customer who ordered.',
  orderDate: 'Business date of the order.',
  quoteId: 'The quote it was converted from (null: ordered directly).',
  salesCredit: 'Who is credited with the sale, in shares.',
  'salesCredit[].salespersonId': 'The salesperson credited.',
  'salesCredit[].shareBp': 'Their share, basis points (shares sum to 10 000).',
};

/** The order's domain state, in a document's `state` field (which every order event evolves). */
export const ORDER_STATE_MEANINGS = fieldsUnder('state', {
  status:
    'Derived order status (awaiting price approval, on credit hold, to deliver and bill, to bill, to deliver, completed, cancelled; ADR 0109).',
  ...ORDER_HEADING_MEANINGS,
  lines: 'The order lines.',
  ...fieldsUnder('lines[]', ORDER_LINE_MEANINGS),
  overrides: 'Price override requests on the order.',
  'overrides[].overrideId': 'The override request id.',
  'overrides[].lineId': 'The line id.',
  'overrides[].status': '`pending`, `approved` or `rejected`.',
  'overrides[].resolvedUnitPrice': 'Price resolved from price lists before any override, minor units.',
  'overrides[].requestedUnitPrice': 'Price requested, minor units.',
  'overrides[].unitCost': 'Standard cost per unit captured at placing, minor units (ADR 0105).',
  credit: 'The credit check of the order.',
  'credit.status': '`confirmed`, `held` or `released`.',
  'credit.checkedAmount': 'Exposure amount checked against the limit, minor units.',
  'credit.checkedOn': 'Business date of the check.',
  'credit.releasedOn': 'Business date of the release.',
  'credit.releasedBy': 'Finance user who released the hold.',
  deliveries: 'Deliveries of the order.',
  'deliveries[].deliveryId': 'The delivery id.',
  'deliveries[].billOfLading': 'Bill of lading number (unique across orders).',
  returns: 'Returns against the order.',
  'returns[].returnId': 'The return id.',
  'returns[].status': 'Where the return stands (requested, accepted, refused, received).',
  'returns[].lines': 'Lines returned.',
  'returns[].lines[].lineId': 'The line id.',
  'returns[].lines[].quantity': 'Quantity.',
  'invoices[].invoiceId': 'The invoice id.',
  'invoices[].invoiceDate': 'Business date of the invoice.',
  'invoices[].lines': 'Lines invoiced.',
  'invoices[].lines[].lineId': 'The line id.',
  'invoices[].lines[].quantity': 'Quantity.',
  'invoices[].lines[].unitPrice': 'Unit price agreed, minor units.',
  'invoices[].lines[].amount': 'Line amount invoiced, minor units.',
  creditNoteIds: 'Credit notes issued for the order.',
});

/** Every heading field is written by the order's placing. */
export const ORDER_HEADING_SOURCES: OrderSources = Object.fromEntries(
  Object.keys(ORDER_HEADING_MEANINGS).map((field) => [field, ['OrderPlaced']]),
);

/** An invoice of the order as a document keeps it (the state's `invoices[]`, the targets' sales facts): as InvoiceIssued states it. */
export const ORDER_INVOICE_SOURCES: OrderSources = Object.fromEntries(
  ['invoiceId', 'invoiceDate', 'lines', 'lines[].lineId', 'lines[].quantity', 'lines[].unitPrice', 'lines[].amount'].map((field) => [
    field,
    ['InvoiceIssued'],
  ]),
);

export const ORDER_STATE_SOURCES: OrderSources = fieldsUnder('state', {
  status: ['OrderPlaced', 'PriceOverrideApproved'],
  ...ORDER_HEADING_SOURCES,
  lines: ORDER_LINES_SOURCES,
  ...fieldsUnder('lines[]', { ...ORDER_LINE_SOURCES, quantity: ['OrderPlaced', 'PriceOverrideApproved'] }),
  overrides: ['OrderPlaced', 'PriceOverrideRequested', 'PriceOverrideRejected', 'PriceOverrideApproved'],
  'overrides[].overrideId': ['PriceOverrideRequested', 'PriceOverrideApproved'],
  'overrides[].lineId': ['PriceOverrideRequested', 'PriceOverrideApproved'],
  'overrides[].status': ['PriceOverrideRequested', 'PriceOverrideRejected', 'PriceOverrideApproved'],
  'overrides[].resolvedUnitPrice': ['PriceOverrideRequested', 'PriceOverrideApproved'],
  'overrides[].requestedUnitPrice': ['PriceOverrideRequested', 'PriceOverrideApproved'],
  'overrides[].unitCost': ['PriceOverrideRequested', 'PriceOverrideApproved'],
  credit: ['OrderPlaced', 'OrderConfirmed', 'OrderPutOnCreditHold', 'CreditHoldReleased'],
  'credit.status': ['OrderPlaced', 'OrderConfirmed', 'CreditHoldReleased'],
  'credit.checkedAmount': ['OrderPlaced', 'OrderConfirmed', 'OrderPutOnCreditHold'],
  'credit.checkedOn': ['OrderPlaced', 'OrderConfirmed'],
  'credit.reason': ['OrderPlaced'],
  'credit.releasedOn': ['CreditHoldReleased'],
  'credit.releasedBy': ['CreditHoldReleased'],
  deliveries: ['OrderPlaced', 'GoodsDelivered'],
  'deliveries[].deliveryId': ['GoodsDelivered'],
  'deliveries[].billOfLading': ['GoodsDelivered'],
  returns: ['OrderPlaced', 'ReturnRequested', 'ReturnAccepted', 'ReturnedGoodsReceived', 'ReturnRefused'],
  'returns[].returnId': ['ReturnRequested', 'ReturnRefused'],
  'returns[].status': ['ReturnRequested', 'ReturnAccepted', 'ReturnedGoodsReceived', 'ReturnRefused'],
  'returns[].replacement': ['ReturnRequested', 'ReturnRefused'],
  'returns[].lines': ['ReturnRequested', 'ReturnRefused'],
  'returns[].lines[].lineId': ['ReturnRequested', 'ReturnRefused'],
  'returns[].lines[].quantity': ['ReturnRequested', 'ReturnRefused'],
  invoices: ['OrderPlaced', 'InvoiceIssued', 'CreditNoteIssued'],
  ...fieldsUnder('invoices[]', ORDER_INVOICE_SOURCES),
  'invoices[].creditedByLine': ['InvoiceIssued', 'CreditNoteIssued'],
  creditNoteIds: ['OrderPlaced', 'CreditNoteIssued'],
});
