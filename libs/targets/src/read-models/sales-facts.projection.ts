/**
 * The facts sales progress is computed from (ADR 0207, 0210). The projections only COLLECT facts;
 * the arithmetic (splits, periods, achievement, forecast) is the pure `salesProgress`.
 *
 * `sales_progress_orders` — one document per order (stream `order-<orderId>`). The order's domain state is
 * kept in the document and evolved by the domain's own `evolveOrder`; after every event the document's
 * `facts` are rebuilt from that state and the dated documents recorded next to it, so they are always
 * priced at the line's current price (a rejected price override reprices the booking) and a replayed
 * event changes nothing (the runtime skips positions a document has seen; the rebuild is deterministic):
 * - booked    `order:<id>`               orderDate        +Σ quantity × unitPrice, cost Σ quantity × unitCost
 * - booked    `cancellation:<id>:<n>`    cancelledOn      −Σ cancelled × unitPrice (credit date: the order date)
 * - delivered `delivery:<deliveryId>`    deliveryDate     +Σ delivered × unitPrice
 * - delivered `return:<returnId>`        receivedOn       −Σ received back × unitPrice (credit date: the
 *                                                          latest delivery of those lines on or before it)
 * - invoiced  `invoice:<invoiceId>`      invoiceDate      +invoice amount, cost Σ billed × unitCost
 * - invoiced  `credit-note:<id>`         issuedOn         −credit note amount (credit date: its invoice's date)
 *
 * `sales_progress_invoices` — one document per invoice (from the customer account stream): the order it
 * bills and the cash allocated to it (`PaymentAllocated` from a payment or a deposit; a credit note's
 * excess allocated to another invoice is not cash). The query turns each allocation into a `collected`
 * fact credited like its order.
 */
import { defineProjection, domainEventOf, ReadModelDocumentation, Recorded } from '@salesline/core';
import { InvoicePosted, PaymentAllocated } from '@salesline/receivables';
import { BilledLine, LineQuantity, ORDER_EVENT_TYPES, OrderEvent, PlacedOrder, evolveOrder } from '@salesline/sales';
import { fieldsUnder, ORDER_DOCUMENT_EVENTS, ORDER_INVOICE_SOURCES, ORDER_STATE_MEANINGS, ORDER_STATE_SOURCES } from '@salesline/sales';
import { BusinessDate, compareDates } from '@salesline/shared-kernel';
import { SalesCredit } from '../domain/credit-split';
import { SalesFact } from '../domain/sales-progress';

type Placed = PlacedOrder & { status: 'placed' };

/** The dated documents of an order, as its events recorded them. */
export type OrderDocuments = {
  deliveries: { deliveryId: string; deliveryDate: BusinessDate; lines: LineQuantity[] }[];
  receipts: { returnId: string; receivedOn: BusinessDate; lines: LineQuantity[] }[];
  cancellations: { cancelledOn: BusinessDate; lines: LineQuantity[] }[];
  invoices: { invoiceId: string; invoiceDate: BusinessDate; lines: BilledLine[]; amount: number }[];
  creditNotes: { creditNoteId: string; invoiceId: string; issuedOn: BusinessDate; lines: BilledLine[]; amount: number }[];
};

export type OrderFactsDoc = OrderDocuments & {
  id: string;
  orderId: string;
  customerId: string;
  orderDate: BusinessDate;
  credits: SalesCredit[];
  /** Every fact of the order, rebuilt after each event. */
  facts: SalesFact[];
  /** Earliest and latest business date among the facts (queries select by period with them). */
  firstDate: BusinessDate;
  lastDate: BusinessDate;
  /** The domain state, evolved by `evolveOrder` (internal). */
  state: Placed;
};

const emptyDocuments = (): OrderDocuments => ({ deliveries: [], receipts: [], cancellations: [], invoices: [], creditNotes: [] });

const lineQuantities = (lines: readonly { lineId: string; quantity: number }[]): LineQuantity[] =>
  lines.map(({ lineId, quantity }) => ({ lineId, quantity }));

/** The documents with `entry` added to the list `key`. */
const withDocument = <K extends keyof OrderDocuments>(docs: OrderDocuments, key: K, entry: OrderDocuments[K][number]): OrderDocuments => ({
  ...docs,
  [key]: [...docs[key], entry],
});

const recordDocument = (docs: OrderDocuments, event: OrderEvent): OrderDocuments => {
  switch (event.type) {
    case 'GoodsDelivered': {
      const { deliveryId, deliveryDate, lines } = event.data;
      return withDocument(docs, 'deliveries', { deliveryId, deliveryDate, lines: lineQuantities(lines) });
    }
    case 'ReturnedGoodsReceived': {
      const { returnId, receivedOn, lines } = event.data;
      return withDocument(docs, 'receipts', { returnId, receivedOn, lines: lineQuantities(lines) });
    }
    case 'OrderCancelled':
      return withDocument(docs, 'cancellations', { cancelledOn: event.data.cancelledOn, lines: lineQuantities(event.data.lines) });
    case 'InvoiceIssued': {
      const { invoiceId, invoiceDate, lines, amount } = event.data;
      return withDocument(docs, 'invoices', { invoiceId, invoiceDate, lines, amount });
    }
    case 'CreditNoteIssued': {
      const { creditNoteId, invoiceId, issuedOn, lines, amount } = event.data;
      return withDocument(docs, 'creditNotes', { creditNoteId, invoiceId, issuedOn, lines, amount });
    }
    default:
      return docs;
  }
};

/** Σ quantity × (current) unit price and unit cost of some line quantities. */
const valued = (state: Placed, lines: readonly { lineId: string; quantity: number }[]) =>
  lines.reduce(
    (sum, { lineId, quantity }) => {
      const line = state.lines.find((l) => l.lineId === lineId);
      return line
        ? { amount: sum.amount + quantity * line.unitPrice, quantity: sum.quantity + quantity, cost: sum.cost + quantity * line.unitCost }
        : sum;
    },
    { amount: 0, quantity: 0, cost: 0 },
  );

const negated = (v: { amount: number; quantity: number; cost: number }) => ({ amount: -v.amount, quantity: -v.quantity, cost: -v.cost });

/** Billed lines keep the invoice's own price; the cost is the line's captured unit cost (ADR 0105). */
const billed = (state: Placed, lines: readonly BilledLine[], amount: number) => {
  const v = valued(state, lines);
  return { amount, quantity: v.quantity, cost: v.cost };
};

/**
 * Every fact of one order, from its state and dated documents. Deterministic. Each fact falls in
 * the period of its own business date, but is credited to the organization as it stood on the day
 * of the sale (the order date): a later delivery, invoice, return or credit note of that sale never
 * moves to the salesperson's next team, nor drops out when they have left (ADR 0211).
 */
export const orderFacts = (state: Placed, docs: OrderDocuments): SalesFact[] => {
  const credits: SalesCredit[] = state.salesCredit.map((c) => ({ employeeId: c.salespersonId, shareBp: c.shareBp }));
  const fact = (f: Omit<SalesFact, 'credits' | 'creditDate'>): SalesFact => ({ ...f, creditDate: state.orderDate, credits });
  return [
    fact({ factId: `order:${state.orderId}`, kind: 'booked', businessDate: state.orderDate, ...valued(state, state.lines) }),
    ...docs.cancellations.map((c, n) =>
      fact({
        factId: `cancellation:${state.orderId}:${n + 1}`,
        kind: 'booked',
        businessDate: c.cancelledOn,
        ...negated(valued(state, c.lines)),
      }),
    ),
    ...docs.deliveries.map((d) =>
      fact({ factId: `delivery:${d.deliveryId}`, kind: 'delivered', businessDate: d.deliveryDate, ...valued(state, d.lines) }),
    ),
    ...docs.receipts.map((r) =>
      fact({ factId: `return:${r.returnId}`, kind: 'delivered', businessDate: r.receivedOn, ...negated(valued(state, r.lines)) }),
    ),
    ...docs.invoices.map((i) =>
      fact({ factId: `invoice:${i.invoiceId}`, kind: 'invoiced', businessDate: i.invoiceDate, ...billed(state, i.lines, i.amount) }),
    ),
    ...docs.creditNotes.map((c) =>
      fact({
        factId: `credit-note:${c.creditNoteId}`,
        kind: 'invoiced',
        businessDate: c.issuedOn,
        ...negated(billed(state, c.lines, c.amount)),
      }),
    ),
  ];
};

export const evolveOrderFacts = (doc: OrderFactsDoc | null, recorded: Recorded<OrderEvent>): OrderFactsDoc | null => {
  const event = domainEventOf(recorded);
  const state = evolveOrder(doc ? doc.state : { status: 'none' }, event);
  if (state.status === 'none') return doc;
  const { deliveries, receipts, cancellations, invoices, creditNotes } = recordDocument(doc ?? emptyDocuments(), event);
  const docs = { deliveries, receipts, cancellations, invoices, creditNotes };
  const facts = orderFacts(state, docs);
  const dates = facts.map((f) => f.businessDate).sort(compareDates);
  return {
    id: state.orderId,
    orderId: state.orderId,
    customerId: state.customerId,
    orderDate: state.orderDate,
    credits: facts[0].credits as SalesCredit[],
    ...docs,
    facts,
    firstDate: dates[0],
    lastDate: dates.at(-1)!,
    state,
  };
};

/** Its entry in docs/read-models.md (the rollups' entry repeats its fields). */
// The order events that write a sales fact (the order's documents); a rejected price override also rewrites the facts' amounts.
const FACT_SOURCES = ORDER_DOCUMENT_EVENTS;
const FACT_AMOUNT_SOURCES = [...FACT_SOURCES, 'PriceOverrideRejected'] as const;

export const SALES_PROGRESS_ORDERS_DOCUMENTATION = {
  document: 'OrderFactsDoc',
  context: 'targets',
  summary:
    'Sales facts per order for the sales-progress report: booked, delivered and invoiced documents with their business dates and credited salespeople.',
  meanings: {
    credits: "Who is credited with the order's sales, in shares (from the order's sales credit).",
    'credits[].employeeId': 'The salesperson credited.',
    'facts[].credits[].employeeId': 'The salesperson credited with the fact.',
    receipts: 'Returned goods received back, by return, with the lines and date.',
    id: 'The order id.',
    orderId: 'The order id.',
    customerId: 'The customer who ordered.',
    ...ORDER_STATE_MEANINGS,
    deliveries: 'Deliveries of the order.',
    'deliveries[].deliveryId': 'The delivery id.',
    'deliveries[].lines': 'Lines delivered.',
    'deliveries[].lines[].lineId': 'The line id.',
    'deliveries[].lines[].quantity': 'Quantity.',
    'receipts[].returnId': 'The return id.',
    'receipts[].lines': 'The order lines.',
    'receipts[].lines[].lineId': 'The line id.',
    'receipts[].lines[].quantity': 'Quantity.',
    cancellations: 'Cancellations of open quantities.',
    'cancellations[].lines': 'Lines cancelled.',
    'cancellations[].lines[].lineId': 'The line id.',
    'cancellations[].lines[].quantity': 'Quantity.',
    invoices: 'Invoices of the order.',
    'invoices[].invoiceId': 'The invoice id.',
    'invoices[].lines': 'Lines invoiced.',
    'invoices[].lines[].lineId': 'The line id.',
    'invoices[].lines[].quantity': 'Quantity.',
    'invoices[].lines[].unitPrice': 'Unit price agreed, minor units.',
    'invoices[].lines[].amount': 'Line amount invoiced, minor units.',
    'invoices[].amount': 'Amount, minor units.',
    creditNotes: 'Credit notes issued for returns.',
    'creditNotes[].creditNoteId': 'The credit note id.',
    'creditNotes[].invoiceId': 'The invoice id.',
    'creditNotes[].lines': 'The order lines.',
    'creditNotes[].lines[].lineId': 'The line id.',
    'creditNotes[].lines[].quantity': 'Quantity.',
    'creditNotes[].lines[].unitPrice': 'Unit price agreed, minor units.',
    'creditNotes[].lines[].amount': 'Amount, minor units.',
    'creditNotes[].amount': 'Amount, minor units.',
  },
  sources: {
    id: ['OrderPlaced'],
    orderId: ['OrderPlaced'],
    customerId: ['OrderPlaced'],
    orderDate: ['OrderPlaced'],
    credits: ['OrderPlaced'],
    'credits[].employeeId': ['OrderPlaced'],
    'credits[].shareBp': ['OrderPlaced'],
    facts: FACT_AMOUNT_SOURCES,
    'facts[].factId': FACT_SOURCES,
    'facts[].kind': FACT_SOURCES,
    'facts[].businessDate': FACT_SOURCES,
    'facts[].creditDate': FACT_SOURCES,
    'facts[].amount': FACT_AMOUNT_SOURCES,
    'facts[].quantity': FACT_SOURCES,
    'facts[].cost': FACT_SOURCES,
    'facts[].credits': ['OrderPlaced'],
    'facts[].credits[].employeeId': FACT_SOURCES,
    'facts[].credits[].shareBp': FACT_SOURCES,
    firstDate: ['OrderPlaced'],
    lastDate: ['OrderPlaced', 'GoodsDelivered', 'InvoiceIssued', 'ReturnedGoodsReceived', 'OrderCancelled'],
    // Every event evolves the state.
    state: ORDER_EVENT_TYPES,
    ...ORDER_STATE_SOURCES,
    deliveries: ['OrderPlaced', 'GoodsDelivered'],
    'deliveries[].deliveryId': ['GoodsDelivered'],
    'deliveries[].deliveryDate': ['GoodsDelivered'],
    'deliveries[].lines': ['GoodsDelivered'],
    'deliveries[].lines[].lineId': ['GoodsDelivered'],
    'deliveries[].lines[].quantity': ['GoodsDelivered'],
    receipts: ['OrderPlaced', 'ReturnedGoodsReceived'],
    'receipts[].returnId': ['ReturnedGoodsReceived'],
    'receipts[].receivedOn': ['ReturnedGoodsReceived'],
    'receipts[].lines': ['ReturnedGoodsReceived'],
    'receipts[].lines[].lineId': ['ReturnedGoodsReceived'],
    'receipts[].lines[].quantity': ['ReturnedGoodsReceived'],
    cancellations: ['OrderPlaced', 'OrderCancelled'],
    'cancellations[].cancelledOn': ['OrderCancelled'],
    'cancellations[].lines': ['OrderCancelled'],
    'cancellations[].lines[].lineId': ['OrderCancelled'],
    'cancellations[].lines[].quantity': ['OrderCancelled'],
    invoices: ['OrderPlaced', 'InvoiceIssued'],
    ...fieldsUnder('invoices[]', ORDER_INVOICE_SOURCES),
    'invoices[].amount': ['InvoiceIssued'],
    creditNotes: ['OrderPlaced', 'CreditNoteIssued'],
    'creditNotes[].creditNoteId': ['CreditNoteIssued'],
    'creditNotes[].invoiceId': ['CreditNoteIssued'],
    'creditNotes[].issuedOn': ['CreditNoteIssued'],
    'creditNotes[].lines': ['CreditNoteIssued'],
    'creditNotes[].lines[].lineId': ['CreditNoteIssued'],
    'creditNotes[].lines[].quantity': ['CreditNoteIssued'],
    'creditNotes[].lines[].unitPrice': ['CreditNoteIssued'],
    'creditNotes[].lines[].amount': ['CreditNoteIssued'],
    'creditNotes[].amount': ['CreditNoteIssued'],
  },
} satisfies ReadModelDocumentation<OrderEvent['type']>;

export const salesProgressOrdersProjection = defineProjection<OrderEvent>()({
  name: 'sales_progress_orders',
  collection: 'sales_progress_orders',
  documentation: SALES_PROGRESS_ORDERS_DOCUMENTATION,
  handles: ORDER_EVENT_TYPES,
  indexes: [{ fields: ['lastDate'] }, { fields: ['firstDate'] }],
  documentIds: (event) => [event.data.orderId],
  evolve: evolveOrderFacts,
});

// ── cash collected ───────────────────────────────────────────────────────────
export type CashAllocation = {
  eventId: string;
  sourceId: string;
  sourceKind: 'payment' | 'deposit';
  amount: number;
  allocatedOn: BusinessDate;
};
export type InvoiceCollectionsDoc = {
  id: string;
  invoiceId: string;
  /** Known once InvoicePosted is applied (it always precedes allocations on the account stream). */
  orderId: string | null;
  customerId: string;
  allocations: CashAllocation[];
  /** Latest allocation date (queries select by period with it). */
  lastDate: BusinessDate | null;
};

type CollectionEvent = Recorded<InvoicePosted | PaymentAllocated>;

export const evolveInvoiceCollections = (doc: InvoiceCollectionsDoc | null, recorded: CollectionEvent): InvoiceCollectionsDoc | null => {
  const customerId = recorded.streamName.replace(/^account-/, '');
  const current: InvoiceCollectionsDoc = doc ?? { id: '', invoiceId: '', orderId: null, customerId, allocations: [], lastDate: null };
  if (recorded.type === 'InvoicePosted') {
    const d = recorded.data;
    return { ...current, id: d.invoiceId, invoiceId: d.invoiceId, orderId: d.orderId, customerId };
  }
  {
    const d = recorded.data;
    if (d.sourceKind === 'credit_note') return doc;
    if (current.allocations.some((a) => a.eventId === recorded.id)) return doc;
    const allocation: CashAllocation = {
      eventId: recorded.id,
      sourceId: d.sourceId,
      sourceKind: d.sourceKind,
      amount: d.amount,
      allocatedOn: d.allocatedOn,
    };
    const allocations = [...current.allocations, allocation];
    return {
      ...current,
      id: d.invoiceId,
      invoiceId: d.invoiceId,
      allocations,
      lastDate: allocations
        .map((a) => a.allocatedOn)
        .sort(compareDates)
        .at(-1)!,
    };
  }
};

/** Its entry in docs/read-models.md (the rollups' entry repeats its fields). */
export const SALES_PROGRESS_COLLECTIONS_DOCUMENTATION = {
  document: 'InvoiceCollectionsDoc',
  context: 'targets',
  summary: 'Cash collected per invoice (allocations), for the sales-progress report.',
  meanings: {
    id: 'The invoice id.',
    invoiceId: 'The invoice id.',
    customerId: 'The customer invoiced.',
    allocations: 'Money allocated to the invoice (cash collected for sales progress), oldest first.',
    'allocations[].eventId': 'The PaymentAllocated event (replays never count twice).',
    'allocations[].sourceId': 'The payment, deposit or credit note allocated.',
    'allocations[].sourceKind': '`payment` or `deposit`.',
    'allocations[].amount': 'Amount allocated, minor units.',
  },
  sources: {
    id: ['InvoicePosted'],
    invoiceId: ['InvoicePosted'],
    orderId: ['InvoicePosted'],
    customerId: ['InvoicePosted'],
    allocations: ['InvoicePosted', 'PaymentAllocated'],
    'allocations[].eventId': ['PaymentAllocated'],
    'allocations[].sourceId': ['PaymentAllocated'],
    'allocations[].sourceKind': ['PaymentAllocated'],
    'allocations[].amount': ['PaymentAllocated'],
    'allocations[].allocatedOn': ['PaymentAllocated'],
    lastDate: ['InvoicePosted', 'PaymentAllocated'],
  },
} satisfies ReadModelDocumentation<'InvoicePosted' | 'PaymentAllocated'>;

export const salesProgressCollectionsProjection = defineProjection<InvoicePosted | PaymentAllocated>()({
  name: 'sales_progress_collections',
  collection: 'sales_progress_collections',
  documentation: SALES_PROGRESS_COLLECTIONS_DOCUMENTATION,
  handles: ['InvoicePosted', 'PaymentAllocated'],
  indexes: [{ fields: ['lastDate'] }, { fields: ['orderId'] }],
  documentIds: (event) => [event.data.invoiceId],
  evolve: evolveInvoiceCollections,
});

/** The `collected` facts of an invoice, credited like the order it bills, as of its order date (null when the order is unknown). */
export const collectedFacts = (
  invoice: InvoiceCollectionsDoc,
  order: { credits: readonly SalesCredit[]; orderDate: BusinessDate } | null,
): SalesFact[] =>
  order === null || order.credits.length === 0
    ? []
    : invoice.allocations.map((a) => ({
        factId: `${a.sourceKind}:${a.sourceId}:${invoice.invoiceId}:${a.eventId}`,
        kind: 'collected' as const,
        businessDate: a.allocatedOn,
        amount: a.amount,
        quantity: 0,
        cost: 0,
        creditDate: order.orderDate,
        credits: [...order.credits],
      }));
