import { defineProjection, domainEventOf, Recorded } from '@salesline/core';
import { CreditHoldReason } from '@salesline/receivables';
import { PriceSource } from '@salesline/pricing';
import { assertNever, everyEventType } from '@salesline/shared-kernel';
import { evolveOrder, LineQuantity, OrderEvent, PriceOverrideRequested } from '../domain/order';
import { creditReservationTarget, LineQuantities, lineQuantities, OrderStatus, orderStatus } from '../domain/order-state';
import { orderValue, PlacedOrder, pendingOverrides, unbilledValue } from '../domain/order-state';
import { fieldsUnder, ORDER_LINE_MEANINGS, ORDER_LINE_SOURCES, ORDER_LINES_SOURCES } from './order-state.documentation';
import { ORDER_HEADING_MEANINGS, ORDER_HEADING_SOURCES, ORDER_STATE_MEANINGS, ORDER_STATE_SOURCES } from './order-state.documentation';
import { orderTotalsContributions } from './order-totals';

/**
 * The order board: one document per order (stream `order-<orderId>`).
 *
 * The domain state is kept inside the document (`state`) and evolved by the domain's own
 * `evolveOrder`; quantities, value, status and credit are recomputed from it with the domain's
 * pure functions (`lineQuantities`, `orderValue`, `orderStatus`, …) after every event, so the board
 * can never disagree with what the decider enforces. The lists next to it (deliveries, invoices,
 * returns, overrides, …) only add what the state does not keep: dates, carriers, amounts, people.
 *
 * Value follows `orderValue`: Σ max(ordered − cancelled − closed by returns, net delivered) × unit
 * price. A return received with replacement reopens its quantity (still counted); one without
 * replacement closes it (ADR 0111), as a cancellation does. Over-delivered quantity counts. Cost uses the same
 * quantity at the unit cost captured on the line (ADR 0105); margin = value − cost.
 */
export type OrderBoardLine = LineQuantities & {
  lineId: string;
  productId: string;
  unitPrice: number;
  listPrice: number;
  /** The price the line resolved to (customer list → group list → list price, quantity break) and where it came from. */
  resolvedUnitPrice: number;
  priceSource: PriceSource;
  unitCost: number;
  /** committed quantity × unitPrice, committed = max(effectiveOrdered, netDelivered) as in `orderValue`. */
  value: number;
  /** committed quantity × unitCost. */
  cost: number;
};
/** The request as the event states it (but for whom it counts against), and its decision. */
export type OrderBoardOverride = Omit<PriceOverrideRequested['data'], 'orderId' | 'salespersonId'> & {
  status: 'pending' | 'approved' | 'rejected';
  decidedBy: string | null;
  decidedOn: string | null;
  decisionReason: string | null;
  /** Set on a rejection: the price the line was repriced to. */
  repricedTo: number | null;
};
export type OrderBoardReturn = {
  returnId: string;
  status: 'requested' | 'accepted' | 'refused' | 'received';
  reason: string;
  requestedOn: string;
  requestedLines: LineQuantity[];
  decidedBy: string | null;
  decidedOn: string | null;
  refusalReason: string | null;
  receivedOn: string | null;
  receivedLines: LineQuantity[];
};
export type OrderBoardInvoice = { invoiceId: string; amount: number; invoiceDate: string; dueDate: string; lines: LineQuantity[] };
export type OrderBoardCreditNote = { creditNoteId: string; invoiceId: string; returnId: string; amount: number; issuedOn: string };
export type OrderBoardDelivery = {
  deliveryId: string;
  billOfLading: string;
  carrier: string;
  deliveryDate: string;
  lines: LineQuantity[];
  overDeliveryApprovedBy: string | null;
};
export type OrderBoardCancellation = { cancelledOn: string; reason: string; lines: LineQuantity[] };
export type OrderBoardCredit = {
  status: 'confirmed' | 'held' | 'released';
  holdReason: CreditHoldReason | null;
  checkedAmount: number;
  checkedOn: string;
  releasedBy: string | null;
  releasedOn: string | null;
};

/** What the events add to the domain state (kept as is between events). */
type OrderBoardRecords = {
  overrides: OrderBoardOverride[];
  returns: OrderBoardReturn[];
  invoices: OrderBoardInvoice[];
  creditNotes: OrderBoardCreditNote[];
  deliveries: OrderBoardDelivery[];
  cancellations: OrderBoardCancellation[];
};

export type OrderBoardDoc = OrderBoardRecords & {
  id: string;
  orderId: string;
  customerId: string;
  orderDate: string;
  quoteId: string | null;
  salesCredit: { salespersonId: string; shareBp: number }[];
  /** The primary salesperson: the largest share (the first listed on a tie), as the order decider picks it. */
  salespersonId: string;
  status: OrderStatus;
  credit: OrderBoardCredit;
  lines: OrderBoardLine[];
  value: number;
  cost: number;
  margin: number;
  /** margin / value in basis points (0 when the value is 0). */
  marginBp: number;
  /** Σ net delivered / Σ (ordered − cancelled), basis points, rounded down (10000 only when all is delivered). */
  deliveredBp: number;
  /** Σ (billed − credited) / Σ (ordered − cancelled), basis points, rounded down. */
  billedBp: number;
  invoicedAmount: number;
  creditedAmount: number;
  /** Value still to bill: open to deliver + delivered not billed. */
  unbilledValue: number;
  /**
   * The order's share of the customer's exposure, equal at every moment to what the account reserves
   * for it (`creditReservationTarget`, ADR 0111): the unbilled value, except that quantity open to
   * deliver does not count while the order is on credit hold, and a line awaiting price approval
   * counts at the higher of requested and resolved price.
   */
  creditReserved: number;
  /** Pending overrides that still block the order (an override on a fully cancelled line no longer does). */
  pendingOverrides: OrderBoardOverride[];
  updatedAt: string;
  version: number;
  /** The domain state, evolved by `evolveOrder` (internal: stripped from API answers). */
  state: PlacedOrder & { status: 'placed' };
};

/** What the API answers: the document without the internal domain state. */
export type OrderBoardView = Omit<OrderBoardDoc, 'state'>;
export const orderBoardView = ({ state: _state, ...view }: OrderBoardDoc): OrderBoardView => view;

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
/** Integer basis points of part / whole, rounded down so that 100 % means complete. */
export const basisPoints = (part: number, whole: number): number => (whole === 0 ? 0 : Math.floor((part * 10_000) / whole));
/** Same rule as the order decider's primary salesperson: largest share, first on a tie. */
const primarySalesperson = (salesCredit: readonly { salespersonId: string; shareBp: number }[]) =>
  salesCredit.reduce((best, s) => (s.shareBp > best.shareBp ? s : best)).salespersonId;

const creditOf = (credit: PlacedOrder['credit']): OrderBoardCredit => {
  switch (credit.status) {
    case 'approved':
      return {
        status: 'confirmed',
        holdReason: null,
        checkedAmount: credit.checkedAmount,
        checkedOn: credit.checkedOn,
        releasedBy: null,
        releasedOn: null,
      };
    case 'held':
      return {
        status: 'held',
        holdReason: credit.reason,
        checkedAmount: credit.checkedAmount,
        checkedOn: credit.checkedOn,
        releasedBy: null,
        releasedOn: null,
      };
    case 'released':
      return {
        status: 'released',
        holdReason: null,
        checkedAmount: credit.checkedAmount,
        checkedOn: credit.checkedOn,
        releasedBy: credit.releasedBy,
        releasedOn: credit.releasedOn,
      };
    default:
      return assertNever(credit);
  }
};

const boardLine = (l: PlacedOrder['lines'][number]): OrderBoardLine => {
  const q = lineQuantities(l);
  const committed = Math.max(q.effectiveOrdered, q.netDelivered);
  return {
    lineId: l.lineId,
    productId: l.productId,
    unitPrice: l.unitPrice,
    listPrice: l.listPrice,
    resolvedUnitPrice: l.resolvedUnitPrice,
    priceSource: l.priceSource,
    unitCost: l.unitCost,
    ...q,
    value: committed * l.unitPrice,
    cost: committed * l.unitCost,
  };
};

/** Everything derived, from the domain state with the domain's functions. */
const derive = (
  state: PlacedOrder & { status: 'placed' },
  records: OrderBoardRecords,
  touched: { updatedAt: string; version: number },
): OrderBoardDoc => {
  const lines = state.lines.map(boardLine);
  const value = orderValue(state);
  const cost = sum(lines.map((l) => l.cost));
  const effectiveOrdered = sum(lines.map((l) => l.effectiveOrdered));
  const pendingIds = new Set(pendingOverrides(state).map((o) => o.overrideId));
  return {
    id: state.orderId,
    orderId: state.orderId,
    customerId: state.customerId,
    orderDate: state.orderDate,
    quoteId: state.quoteId,
    salesCredit: state.salesCredit,
    salespersonId: primarySalesperson(state.salesCredit),
    status: orderStatus(state),
    credit: creditOf(state.credit),
    lines,
    value,
    cost,
    margin: value - cost,
    marginBp: basisPoints(value - cost, value),
    deliveredBp: basisPoints(sum(lines.map((l) => l.netDelivered)), effectiveOrdered),
    billedBp: basisPoints(sum(lines.map((l) => l.billed - l.credited)), effectiveOrdered),
    invoicedAmount: sum(records.invoices.map((i) => i.amount)),
    creditedAmount: sum(records.creditNotes.map((c) => c.amount)),
    unbilledValue: unbilledValue(state),
    creditReserved: creditReservationTarget(state),
    ...records,
    pendingOverrides: records.overrides.filter((o) => pendingIds.has(o.overrideId)),
    ...touched,
    state,
  };
};

const emptyRecords = (): OrderBoardRecords => ({
  overrides: [],
  returns: [],
  invoices: [],
  creditNotes: [],
  deliveries: [],
  cancellations: [],
});
const recordsOf = ({ overrides, returns, invoices, creditNotes, deliveries, cancellations }: OrderBoardDoc): OrderBoardRecords => ({
  overrides,
  returns,
  invoices,
  creditNotes,
  deliveries,
  cancellations,
});
const patch = <T extends { [k in K]: string }, K extends keyof T>(items: T[], key: K, id: string, change: Partial<T>): T[] =>
  items.map((item) => (item[key] === id ? { ...item, ...change } : item));
const byLine = (lines: readonly { lineId: string; quantity: number }[]): LineQuantity[] =>
  lines.map(({ lineId, quantity }) => ({ lineId, quantity }));

const evolveRecords = (r: OrderBoardRecords, event: OrderEvent): OrderBoardRecords => {
  switch (event.type) {
    case 'OrderPlaced':
    case 'OrderConfirmed':
    case 'OrderPutOnCreditHold':
    case 'CreditHoldReleased':
      return r;
    case 'PriceOverrideRequested': {
      const d = event.data;
      const override: OrderBoardOverride = {
        overrideId: d.overrideId,
        lineId: d.lineId,
        status: 'pending',
        requestedBy: d.requestedBy,
        requestedOn: d.requestedOn,
        resolvedUnitPrice: d.resolvedUnitPrice,
        requestedUnitPrice: d.requestedUnitPrice,
        discountBp: d.discountBp,
        allowedBp: d.allowedBp,
        belowCost: d.belowCost,
        reason: d.reason,
        decidedBy: null,
        decidedOn: null,
        decisionReason: null,
        repricedTo: null,
      };
      return { ...r, overrides: [...r.overrides, override] };
    }
    case 'PriceOverrideApproved': {
      const d = event.data;
      return {
        ...r,
        overrides: patch(r.overrides, 'overrideId', d.overrideId, {
          status: 'approved',
          decidedBy: d.approvedBy,
          decidedOn: d.approvedOn,
          decisionReason: d.reason,
        }),
      };
    }
    case 'PriceOverrideRejected': {
      const d = event.data;
      return {
        ...r,
        overrides: patch(r.overrides, 'overrideId', d.overrideId, {
          status: 'rejected',
          decidedBy: d.rejectedBy,
          decidedOn: d.rejectedOn,
          decisionReason: d.reason,
          repricedTo: d.repricedTo,
        }),
      };
    }
    case 'GoodsDelivered': {
      const d = event.data;
      const delivery: OrderBoardDelivery = {
        deliveryId: d.deliveryId,
        billOfLading: d.billOfLading,
        carrier: d.carrier,
        deliveryDate: d.deliveryDate,
        lines: byLine(d.lines),
        overDeliveryApprovedBy: d.overDelivery?.approvedBy ?? null,
      };
      return { ...r, deliveries: [...r.deliveries, delivery] };
    }
    case 'ReturnRequested': {
      const d = event.data;
      const ret: OrderBoardReturn = {
        returnId: d.returnId,
        status: 'requested',
        reason: d.reason,
        requestedOn: d.requestedOn,
        requestedLines: byLine(d.lines),
        decidedBy: null,
        decidedOn: null,
        refusalReason: null,
        receivedOn: null,
        receivedLines: [],
      };
      return { ...r, returns: [...r.returns, ret] };
    }
    case 'ReturnAccepted':
      return {
        ...r,
        returns: patch(r.returns, 'returnId', event.data.returnId, {
          status: 'accepted',
          decidedBy: event.data.acceptedBy,
          decidedOn: event.data.acceptedOn,
        }),
      };
    case 'ReturnRefused': {
      const d = event.data;
      return {
        ...r,
        returns: patch(r.returns, 'returnId', d.returnId, {
          status: 'refused',
          decidedBy: d.refusedBy,
          decidedOn: d.refusedOn,
          refusalReason: d.reason,
        }),
      };
    }
    case 'ReturnedGoodsReceived':
      return {
        ...r,
        returns: patch(r.returns, 'returnId', event.data.returnId, {
          status: 'received',
          receivedOn: event.data.receivedOn,
          receivedLines: byLine(event.data.lines),
        }),
      };
    case 'CreditNoteIssued': {
      const d = event.data;
      return {
        ...r,
        creditNotes: [
          ...r.creditNotes,
          { creditNoteId: d.creditNoteId, invoiceId: d.invoiceId, returnId: d.returnId, amount: d.amount, issuedOn: d.issuedOn },
        ],
      };
    }
    case 'InvoiceIssued': {
      const d = event.data;
      return {
        ...r,
        invoices: [
          ...r.invoices,
          { invoiceId: d.invoiceId, amount: d.amount, invoiceDate: d.invoiceDate, dueDate: d.dueDate, lines: byLine(d.lines) },
        ],
      };
    }
    case 'OrderCancelled':
      return {
        ...r,
        cancellations: [
          ...r.cancellations,
          { cancelledOn: event.data.cancelledOn, reason: event.data.reason, lines: byLine(event.data.lines) },
        ],
      };
    default:
      return assertNever(event);
  }
};

export const evolveOrderBoard = (doc: OrderBoardDoc | null, recorded: Recorded<OrderEvent>): OrderBoardDoc | null => {
  const event = domainEventOf(recorded);
  const state = evolveOrder(doc ? doc.state : { status: 'none' }, event);
  // Only OrderPlaced creates an order; anything before it (never expected) is ignored.
  if (state.status === 'none') return doc;
  const records = evolveRecords(doc ? recordsOf(doc) : emptyRecords(), event);
  return derive(state, records, { updatedAt: recorded.metadata.occurredAt, version: recorded.revision });
};

/** Every order event type, checked complete by the compiler: the read models that fold the order list it. */
export const ORDER_EVENT_TYPES = everyEventType<OrderEvent>()([
  'OrderPlaced',
  'PriceOverrideRequested',
  'PriceOverrideApproved',
  'PriceOverrideRejected',
  'OrderConfirmed',
  'OrderPutOnCreditHold',
  'CreditHoldReleased',
  'GoodsDelivered',
  'ReturnRequested',
  'ReturnAccepted',
  'ReturnRefused',
  'ReturnedGoodsReceived',
  'CreditNoteIssued',
  'InvoiceIssued',
  'OrderCancelled',
]);

/** The events that change an order's derived status (ADR 0109): its quantities, its confirmation, its price approvals. */
const STATUS_SOURCES: readonly OrderEvent['type'][] = [
  'OrderPlaced',
  'OrderConfirmed',
  'GoodsDelivered',
  'InvoiceIssued',
  'ReturnedGoodsReceived',
  'CreditNoteIssued',
  'OrderCancelled',
  'PriceOverrideRequested',
  'PriceOverrideRejected',
  'PriceOverrideApproved',
];

/** A price override's fields, in the board's overrides and its pending ones. */
const OVERRIDE_MEANINGS = {
  overrideId: 'The override request id.',
  lineId: 'The line id.',
  status: '`pending`, `approved` or `rejected`.',
  requestedBy: 'Who requested it.',
  requestedOn: 'Business date requested.',
  resolvedUnitPrice: 'Price resolved from price lists before any override, minor units.',
  requestedUnitPrice: 'Price requested, minor units.',
  discountBp: 'Discount from the resolved price, basis points.',
  allowedBp: "The requester's discount authority, basis points.",
  belowCost: 'Whether the requested price is below standard cost.',
  reason: 'Why the price was requested.',
  decidedBy: 'Who decided.',
  decidedOn: 'Business date of the decision.',
  decisionReason: 'Why it was approved or rejected.',
};

export const orderBoardProjection = defineProjection<OrderEvent>()({
  name: 'order_board',
  collection: 'order_board',
  // 2: the order-totals rollups (ADR 0029); documents written before them are rebuilt on start (ADR 0033).
  version: 2,
  documentation: {
    document: 'OrderBoardDoc | OrderTotalsDoc',
    context: 'sales',
    summary:
      'One document per order: lines with ordered/delivered/billed/returned quantities, status derived by `orderStatus`, value, cost and margin, deliveries, invoices, returns and credit notes; and the rollups of their count, value and cost by order date and status, for the company, each customer and each primary salesperson (ADR 0029). Serves `GET /api/orders` (its totals from the rollups) and `/api/orders/{id}`.',
    meanings: {
      id: 'The order id; on a rollup `order-totals:<totalsOf>:<of>:<period>`.',
      ...ORDER_HEADING_MEANINGS,
      status:
        'Derived order status (awaiting price approval, on credit hold, to deliver and bill, to bill, to deliver, completed, cancelled; ADR 0109).',
      credit: 'The credit check of the order.',
      'credit.status': '`confirmed`, `held` or `released`.',
      'credit.holdReason': 'Why the order is held (credit limit exceeded, customer blocked, recheck at delivery).',
      'credit.checkedAmount': 'Exposure amount checked against the limit, minor units.',
      'credit.checkedOn': 'Business date of the check.',
      'credit.releasedBy': 'Finance user who released the hold.',
      'credit.releasedOn': 'Business date of the release.',
      lines: 'The order lines.',
      ...fieldsUnder('lines[]', ORDER_LINE_MEANINGS),
      'lines[].ordered': 'Quantity ordered.',
      value: 'Order value: committed quantities × unit price, minor units.',
      cost: 'Cost of the committed quantities, minor units.',
      margin: 'value − cost, minor units.',
      invoicedAmount: 'Total invoiced, minor units.',
      creditedAmount: 'Total credited by credit notes, minor units.',
      ...fieldsUnder('pendingOverrides[]', OVERRIDE_MEANINGS),
      updatedAt: 'Wall-clock time (occurredAt) of the last event applied.',
      version: 'Stream revision of the last event applied (0 for the first).',
      ...ORDER_STATE_MEANINGS,
      overrides: 'Price override requests on the order.',
      ...fieldsUnder('overrides[]', OVERRIDE_MEANINGS),
      returns: 'Returns against the order.',
      'returns[].returnId': 'The return id.',
      'returns[].status': 'Where the return stands (requested, accepted, refused, received).',
      'returns[].reason': 'Why the goods are returned.',
      'returns[].requestedOn': 'Business date requested.',
      'returns[].requestedLines': 'Quantities asked back, by line.',
      'returns[].requestedLines[].lineId': 'The line id.',
      'returns[].requestedLines[].quantity': 'Quantity.',
      'returns[].decidedBy': 'Who decided.',
      'returns[].decidedOn': 'Business date of the decision.',
      'returns[].refusalReason': 'Why the return was refused.',
      'returns[].receivedOn': 'Business date the goods came back.',
      'returns[].receivedLines': 'Quantities received back, by line.',
      'returns[].receivedLines[].lineId': 'The line id.',
      'returns[].receivedLines[].quantity': 'Quantity.',
      invoices: 'Invoices of the order.',
      'invoices[].invoiceId': 'The invoice id.',
      'invoices[].amount': 'Amount, minor units.',
      'invoices[].invoiceDate': 'Business date of the invoice.',
      'invoices[].dueDate': 'Due date (invoice date + payment terms).',
      'invoices[].lines': 'Lines invoiced.',
      'invoices[].lines[].lineId': 'The line id.',
      'invoices[].lines[].quantity': 'Quantity.',
      creditNotes: 'Credit notes issued for returns.',
      'creditNotes[].creditNoteId': 'The credit note id.',
      'creditNotes[].invoiceId': 'The invoice id.',
      'creditNotes[].returnId': 'The return id.',
      'creditNotes[].amount': 'Amount, minor units.',
      'creditNotes[].issuedOn': 'Business date issued.',
      deliveries: 'Deliveries of the order.',
      'deliveries[].deliveryId': 'The delivery id.',
      'deliveries[].billOfLading': 'Bill of lading number (unique across orders).',
      'deliveries[].carrier': 'Carrier.',
      'deliveries[].deliveryDate': 'Business date of delivery.',
      'deliveries[].lines': 'Lines delivered.',
      'deliveries[].lines[].lineId': 'The line id.',
      'deliveries[].lines[].quantity': 'Quantity.',
      'deliveries[].overDeliveryApprovedBy': 'Who approved delivering more than ordered, if anyone.',
      cancellations: 'Cancellations of open quantities.',
      'cancellations[].cancelledOn': 'Business date of the cancellation.',
      'cancellations[].reason': 'Why the quantities were cancelled.',
      'cancellations[].lines': 'Lines cancelled.',
      'cancellations[].lines[].lineId': 'The line id.',
      'cancellations[].lines[].quantity': 'Quantity.',
    },
    sources: {
      id: ['OrderPlaced'],
      ...ORDER_HEADING_SOURCES,
      salespersonId: ['OrderPlaced'],
      status: STATUS_SOURCES,
      credit: ['OrderPlaced', 'OrderConfirmed', 'OrderPutOnCreditHold', 'CreditHoldReleased'],
      'credit.status': ['OrderPlaced', 'OrderConfirmed', 'CreditHoldReleased'],
      'credit.holdReason': ['OrderPlaced', 'OrderConfirmed'],
      'credit.checkedAmount': ['OrderPlaced', 'OrderConfirmed', 'OrderPutOnCreditHold'],
      'credit.checkedOn': ['OrderPlaced', 'OrderConfirmed'],
      'credit.releasedBy': ['OrderPlaced', 'CreditHoldReleased'],
      'credit.releasedOn': ['OrderPlaced', 'CreditHoldReleased'],
      lines: ORDER_LINES_SOURCES,
      ...fieldsUnder('lines[]', ORDER_LINE_SOURCES),
      'lines[].value': ['OrderPlaced', 'OrderCancelled', 'PriceOverrideRejected', 'PriceOverrideApproved'],
      'lines[].cost': ['OrderPlaced', 'OrderCancelled', 'PriceOverrideApproved'],
      'lines[].ordered': ['OrderPlaced', 'PriceOverrideApproved'],
      'lines[].netDelivered': ['OrderPlaced', 'GoodsDelivered', 'ReturnedGoodsReceived', 'PriceOverrideApproved'],
      'lines[].effectiveOrdered': ['OrderPlaced', 'OrderCancelled', 'PriceOverrideApproved'],
      'lines[].openToDeliver': ['OrderPlaced', 'GoodsDelivered', 'ReturnedGoodsReceived', 'OrderCancelled', 'PriceOverrideApproved'],
      'lines[].billable': [
        'OrderPlaced',
        'GoodsDelivered',
        'InvoiceIssued',
        'ReturnedGoodsReceived',
        'CreditNoteIssued',
        'PriceOverrideApproved',
      ],
      value: ['OrderPlaced', 'OrderCancelled', 'PriceOverrideRejected', 'PriceOverrideApproved'],
      cost: ['OrderPlaced', 'OrderCancelled', 'PriceOverrideApproved'],
      margin: ['OrderPlaced', 'OrderCancelled', 'PriceOverrideRejected', 'PriceOverrideApproved'],
      marginBp: ['OrderPlaced', 'OrderCancelled', 'PriceOverrideRejected', 'PriceOverrideApproved'],
      deliveredBp: ['OrderPlaced', 'GoodsDelivered', 'ReturnedGoodsReceived'],
      billedBp: ['OrderPlaced', 'InvoiceIssued', 'CreditNoteIssued'],
      invoicedAmount: ['OrderPlaced', 'InvoiceIssued'],
      creditedAmount: ['OrderPlaced', 'CreditNoteIssued'],
      unbilledValue: [
        'OrderPlaced',
        'InvoiceIssued',
        'CreditNoteIssued',
        'OrderCancelled',
        'PriceOverrideRejected',
        'PriceOverrideApproved',
      ],
      creditReserved: ['OrderPlaced', 'OrderConfirmed', 'InvoiceIssued', 'CreditNoteIssued', 'OrderCancelled'],
      pendingOverrides: ['OrderPlaced', 'PriceOverrideRequested', 'PriceOverrideRejected', 'PriceOverrideApproved'],
      'pendingOverrides[].overrideId': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'pendingOverrides[].lineId': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'pendingOverrides[].status': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'pendingOverrides[].requestedBy': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'pendingOverrides[].requestedOn': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'pendingOverrides[].resolvedUnitPrice': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'pendingOverrides[].requestedUnitPrice': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'pendingOverrides[].discountBp': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'pendingOverrides[].allowedBp': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'pendingOverrides[].belowCost': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'pendingOverrides[].reason': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'pendingOverrides[].decidedBy': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'pendingOverrides[].decidedOn': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'pendingOverrides[].decisionReason': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'pendingOverrides[].repricedTo': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      // Every event sets the document's bookkeeping and evolves its state.
      updatedAt: ORDER_EVENT_TYPES,
      version: ORDER_EVENT_TYPES,
      state: ORDER_EVENT_TYPES,
      ...ORDER_STATE_SOURCES,
      overrides: ['OrderPlaced', 'PriceOverrideRequested', 'PriceOverrideRejected', 'PriceOverrideApproved'],
      'overrides[].overrideId': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'overrides[].lineId': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'overrides[].status': ['PriceOverrideRequested', 'PriceOverrideRejected', 'PriceOverrideApproved'],
      'overrides[].requestedBy': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'overrides[].requestedOn': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'overrides[].resolvedUnitPrice': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'overrides[].requestedUnitPrice': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'overrides[].discountBp': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'overrides[].allowedBp': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'overrides[].belowCost': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'overrides[].reason': ['PriceOverrideRequested', 'PriceOverrideApproved'],
      'overrides[].decidedBy': ['PriceOverrideRequested', 'PriceOverrideRejected', 'PriceOverrideApproved'],
      'overrides[].decidedOn': ['PriceOverrideRequested', 'PriceOverrideRejected', 'PriceOverrideApproved'],
      'overrides[].decisionReason': ['PriceOverrideRequested', 'PriceOverrideRejected', 'PriceOverrideApproved'],
      'overrides[].repricedTo': ['PriceOverrideRequested', 'PriceOverrideRejected', 'PriceOverrideApproved'],
      returns: ['OrderPlaced', 'ReturnRequested', 'ReturnAccepted', 'ReturnedGoodsReceived', 'ReturnRefused'],
      'returns[].returnId': ['ReturnRequested', 'ReturnRefused'],
      'returns[].status': ['ReturnRequested', 'ReturnAccepted', 'ReturnedGoodsReceived', 'ReturnRefused'],
      'returns[].reason': ['ReturnRequested', 'ReturnRefused'],
      'returns[].requestedOn': ['ReturnRequested', 'ReturnRefused'],
      'returns[].requestedLines': ['ReturnRequested', 'ReturnRefused'],
      'returns[].requestedLines[].lineId': ['ReturnRequested', 'ReturnRefused'],
      'returns[].requestedLines[].quantity': ['ReturnRequested', 'ReturnRefused'],
      'returns[].decidedBy': ['ReturnRequested', 'ReturnAccepted', 'ReturnRefused'],
      'returns[].decidedOn': ['ReturnRequested', 'ReturnAccepted', 'ReturnRefused'],
      'returns[].refusalReason': ['ReturnRequested', 'ReturnRefused'],
      'returns[].receivedOn': ['ReturnRequested', 'ReturnedGoodsReceived', 'ReturnRefused'],
      'returns[].receivedLines': ['ReturnRequested', 'ReturnedGoodsReceived', 'ReturnRefused'],
      'returns[].receivedLines[].lineId': ['ReturnedGoodsReceived', 'ReturnRefused'],
      'returns[].receivedLines[].quantity': ['ReturnedGoodsReceived', 'ReturnRefused'],
      invoices: ['OrderPlaced', 'InvoiceIssued'],
      'invoices[].invoiceId': ['InvoiceIssued'],
      'invoices[].amount': ['InvoiceIssued'],
      'invoices[].invoiceDate': ['InvoiceIssued'],
      'invoices[].dueDate': ['InvoiceIssued'],
      'invoices[].lines': ['InvoiceIssued'],
      'invoices[].lines[].lineId': ['InvoiceIssued'],
      'invoices[].lines[].quantity': ['InvoiceIssued'],
      creditNotes: ['OrderPlaced', 'CreditNoteIssued'],
      'creditNotes[].creditNoteId': ['CreditNoteIssued'],
      'creditNotes[].invoiceId': ['CreditNoteIssued'],
      'creditNotes[].returnId': ['CreditNoteIssued'],
      'creditNotes[].amount': ['CreditNoteIssued'],
      'creditNotes[].issuedOn': ['CreditNoteIssued'],
      deliveries: ['OrderPlaced', 'GoodsDelivered'],
      'deliveries[].deliveryId': ['GoodsDelivered'],
      'deliveries[].billOfLading': ['GoodsDelivered'],
      'deliveries[].carrier': ['GoodsDelivered'],
      'deliveries[].deliveryDate': ['GoodsDelivered'],
      'deliveries[].lines': ['GoodsDelivered'],
      'deliveries[].lines[].lineId': ['GoodsDelivered'],
      'deliveries[].lines[].quantity': ['GoodsDelivered'],
      'deliveries[].overDeliveryApprovedBy': ['GoodsDelivered'],
      cancellations: ['OrderPlaced', 'OrderCancelled'],
      'cancellations[].cancelledOn': ['OrderCancelled'],
      'cancellations[].reason': ['OrderCancelled'],
      'cancellations[].lines': ['OrderCancelled'],
      'cancellations[].lines[].lineId': ['OrderCancelled'],
      'cancellations[].lines[].quantity': ['OrderCancelled'],
      totalsOf: ['OrderPlaced'],
      of: ['OrderPlaced'],
      period: ['OrderPlaced'],
      // An order moves between cells when its status or its credit hold changes, and its value and cost within them.
      cells: [...STATUS_SOURCES, 'OrderPutOnCreditHold', 'CreditHoldReleased'],
    },
  },
  handles: ORDER_EVENT_TYPES,
  indexes: [
    { fields: ['customerId', 'orderDate'] },
    { fields: ['salespersonId', 'orderDate'] },
    { fields: ['status', 'orderDate'] },
    { fields: ['orderDate'] },
    { fields: ['totalsOf', 'of', 'period'] },
  ],
  documentIds: (event) => [event.data.orderId],
  evolve: evolveOrderBoard,
  rollup: orderTotalsContributions,
});
