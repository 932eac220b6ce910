import type { PlacedLine } from './order';
import { CreditHoldReason } from '@salesline/receivables/domain';

/**
 * The order's state and the pure queries derived from it. Status is DERIVED from quantities
 * (`orderStatus`), never typed in; the state tag only says whether the order exists.
 */
// A line of the order: the line as placed (its field comments are its meanings), without its approval and
// free-of-charge marks, and its counters.
export type OrderLine = Omit<PlacedLine, 'priceApproval' | 'freeOfCharge'> & LineCounters;

/** What has happened to a line's quantity, counted by the order's events. */
export type LineCounters = {
  cancelled: number;
  delivered: number;
  returnedReceived: number;
  /** Part of returnedReceived the customer wanted no replacement for: closed, no longer ordered (ADR 0111). */
  returnedClosed: number;
  billed: number;
  credited: number;
};

export type OrderPriceOverride = {
  overrideId: string;
  lineId: string;
  status: 'pending' | 'approved' | 'rejected';
  resolvedUnitPrice: number;
  requestedUnitPrice: number;
  unitCost: number;
};

export type OrderCredit =
  | { status: 'approved'; checkedAmount: number; checkedOn: string }
  | { status: 'held'; reason: CreditHoldReason; checkedAmount: number; checkedOn: string }
  | { status: 'released'; checkedAmount: number; checkedOn: string; releasedOn: string; releasedBy: string };

export type OrderReturn = {
  returnId: string;
  status: 'requested' | 'accepted' | 'refused' | 'received';
  /** Whether the customer wants the returned goods replaced (reopened for delivery) or the quantity closed. */
  replacement: boolean;
  lines: { lineId: string; quantity: number }[];
};

export type OrderInvoice = {
  invoiceId: string;
  invoiceDate: string;
  lines: { lineId: string; quantity: number; unitPrice: number; amount: number }[];
  /** Quantity credited per line on this invoice. */
  creditedByLine: Record<string, number>;
};

export type PlacedOrder = {
  orderId: string;
  customerId: string;
  orderDate: string;
  quoteId: string | null;
  salesCredit: { salespersonId: string; shareBp: number }[];
  lines: OrderLine[];
  overrides: OrderPriceOverride[];
  credit: OrderCredit;
  deliveries: { deliveryId: string; billOfLading: string }[];
  returns: OrderReturn[];
  /** In issue order (the latest last). */
  invoices: OrderInvoice[];
  creditNoteIds: string[];
};

export type OrderState = { status: 'none' } | ({ status: 'placed' } & PlacedOrder);

// ── per-line quantities ─────────────────────────────────────────────────────────────────
export type LineQuantities = LineCounters & {
  ordered: number;
  /** delivered − returnedReceived */
  netDelivered: number;
  /** max(0, ordered − cancelled − returnedClosed) */
  effectiveOrdered: number;
  /** max(0, ordered − cancelled − netDelivered) */
  openToDeliver: number;
  /** netDelivered − (billed − credited) */
  billable: number;
};

export const lineQuantities = (l: OrderLine): LineQuantities => {
  const netDelivered = l.delivered - l.returnedReceived;
  // `?? 0`: read-model documents written before ADR 0111 keep lines without the field.
  const returnedClosed = l.returnedClosed ?? 0;
  const effectiveOrdered = Math.max(0, l.quantity - l.cancelled - returnedClosed);
  return {
    ordered: l.quantity,
    cancelled: l.cancelled,
    delivered: l.delivered,
    returnedReceived: l.returnedReceived,
    returnedClosed,
    billed: l.billed,
    credited: l.credited,
    netDelivered,
    effectiveOrdered,
    openToDeliver: Math.max(0, effectiveOrdered - netDelivered),
    billable: netDelivered - (l.billed - l.credited),
  };
};

/** Over-delivery allowed without a manager: tolerance bp of the effective ordered quantity, rounded down. */
export const overDeliveryTolerance = (l: OrderLine, toleranceBp: number): number =>
  Math.floor(((l.quantity - l.cancelled) * toleranceBp) / 10_000);

/** Quantity of a line held by return requests not yet refused nor received. */
export const outstandingReturnQuantity = (order: PlacedOrder, lineId: string): number =>
  order.returns
    .filter((r) => r.status === 'requested' || r.status === 'accepted')
    .flatMap((r) => r.lines)
    .filter((l) => l.lineId === lineId)
    .reduce((a, l) => a + l.quantity, 0);

/** What may still be asked back on a line: net delivered minus open return requests. */
export const returnableQuantity = (order: PlacedOrder, line: OrderLine): number =>
  lineQuantities(line).netDelivered - outstandingReturnQuantity(order, line.lineId);

export const pendingOverrides = (order: PlacedOrder): OrderPriceOverride[] =>
  order.overrides.filter((o) => o.status === 'pending' && order.lines.some((l) => l.lineId === o.lineId && l.quantity > l.cancelled));

/** Value of the goods the order commits the customer to: max(effective ordered, net delivered) per line. */
export const orderValue = (order: PlacedOrder): number =>
  order.lines.reduce((sum, l) => {
    const q = lineQuantities(l);
    return sum + Math.max(q.effectiveOrdered, q.netDelivered) * l.unitPrice;
  }, 0);

/** Value still to be billed (open to deliver + delivered not billed): this order's share of exposure. */
export const unbilledValue = (order: PlacedOrder): number =>
  order.lines.reduce((sum, l) => {
    const q = lineQuantities(l);
    return sum + (q.openToDeliver + q.billable) * l.unitPrice;
  }, 0);

export const isOnCreditHold = (order: PlacedOrder): boolean => order.credit.status === 'held';

/**
 * What the customer's account holds in reserve for this order (its share of exposure, ADR 0111):
 * goods delivered and not billed always count (they are with the customer); quantity open to
 * deliver counts unless the order is on credit hold (it cannot leave). A line whose price awaits
 * approval counts at the higher of requested and resolved price (the worst case checked at
 * placing, ADR 0106).
 */
export const creditReservationTarget = (order: PlacedOrder): number => {
  const held = isOnCreditHold(order);
  const pending = new Set(pendingOverrides(order).map((o) => o.lineId));
  return order.lines.reduce((sum, l) => {
    const q = lineQuantities(l);
    const price = pending.has(l.lineId) ? Math.max(l.unitPrice, l.resolvedUnitPrice) : l.unitPrice;
    return sum + ((held ? 0 : q.openToDeliver) + q.billable) * price;
  }, 0);
};

/** Quantity that may leave the warehouse now: open to deliver on an order neither held nor awaiting a price. */
export const deliverableQuantity = (order: PlacedOrder): number =>
  isOnCreditHold(order) || pendingOverrides(order).length > 0
    ? 0
    : order.lines.reduce((sum, l) => sum + lineQuantities(l).openToDeliver, 0);

/**
 * How the account's reservation for this order should move (null: leave it). Lowering always
 * follows the order (billing, cancellation, hold). Growth after a finance release is forced (the
 * release says who allowed it); any other growth is checked against the limit by the account,
 * which the order already checked with the same facts (placing, delivery, replacement).
 */
export const reservationAdjustment = (
  order: PlacedOrder,
  currentReservation: number,
): { amount: number; forcedBy: string | null } | null => {
  const target = creditReservationTarget(order);
  if (target === currentReservation) return null;
  if (target < currentReservation) return { amount: target, forcedBy: null };
  return { amount: target, forcedBy: order.credit.status === 'released' ? order.credit.releasedBy : null };
};

// ── derived status ──────────────────────────────────────────────────────────────────────
export type OrderStatus =
  'awaiting_price_approval' | 'on_credit_hold' | 'to_deliver_and_bill' | 'to_bill' | 'to_deliver' | 'completed' | 'cancelled';

/**
 * Derived, in this precedence: everything cancelled → cancelled; a price override pending →
 * awaiting_price_approval; credit held → on_credit_hold; then by open quantities: something left
 * to deliver and/or something committed not yet billed (a new order is to_deliver_and_bill).
 */
export const orderStatus = (order: PlacedOrder): OrderStatus => {
  const quantities = order.lines.map(lineQuantities);
  if (quantities.every((q) => q.cancelled === q.ordered)) return 'cancelled';
  if (pendingOverrides(order).length > 0) return 'awaiting_price_approval';
  if (isOnCreditHold(order)) return 'on_credit_hold';
  // As ERPNext: "to bill" while any committed quantity is not (net) billed yet, delivered or not.
  const toDeliver = quantities.some((q) => q.openToDeliver > 0);
  const toBill = quantities.some((q) => Math.max(q.effectiveOrdered, q.netDelivered) > q.billed - q.credited);
  if (toDeliver && toBill) return 'to_deliver_and_bill';
  if (toDeliver) return 'to_deliver';
  if (toBill) return 'to_bill';
  return 'completed';
};

/** Per-line quantities for read models and UIs. */
export const orderLineQuantities = (order: PlacedOrder) =>
  order.lines.map((l) => ({ lineId: l.lineId, productId: l.productId, ...lineQuantities(l) }));
