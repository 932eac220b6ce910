import type { Command, Decider, DomainEvent } from '@salesline/shared-kernel';
import { addDays, assertNever, conflict, daysBetween, notFound, ruleViolation, appended } from '@salesline/shared-kernel';
import { FreeOfChargeReason, PriceSource } from '@salesline/pricing/domain';
import { requireAmount, requireDate, requireId, requireQuantity, requireRole, requireText, requireUnique } from '@salesline/shared-kernel';
import { CreditFacts, creditDecision, CreditHoldReason } from '@salesline/receivables/domain';
import { creditReservationTarget, deliverableQuantity, isOnCreditHold, lineQuantities, OrderLine, OrderState } from './order-state';
import { orderValue, overDeliveryTolerance, pendingOverrides, PlacedOrder, returnableQuantity, unbilledValue } from './order-state';
import { assertMayApproveOverride, checkedSoldLine, overrideApproval, overrideNeeded, overrideRejection } from './price-approval';
import { OverrideApprovalFacts, OverrideRejectionFacts, OverrideRequestFacts } from './price-approval';
import { SalesSettings } from './settings';

/** The sales order: the heart of quote to cash. Stream: `order-<orderId>`. */
export const orderStream = (orderId: string) => `order-${orderId}`;

export type LineQuantity = { lineId: string; quantity: number };
export type BilledLine = { lineId: string; quantity: number; unitPrice: number; amount: number };
export type PlacedLine = {
  lineId: string;
  productId: string;
  /** Ordered quantity. */
  quantity: number;
  /** The price the order bills at: requested price, or the resolved price once an override is rejected. */
  unitPrice: number;
  listPrice: number;
  resolvedUnitPrice: number;
  priceSource: PriceSource;
  /** Standard cost captured when the order is placed (ADR 0105). */
  unitCost: number;
  /** Set when the price was approved on the quote this order converts (ADR 0103). */
  priceApproval: { overrideId: string; approvedBy: string } | null;
  /** Present on a line given away for a named reason (a zero price is refused otherwise, ADR 0112). */
  freeOfCharge?: FreeOfChargeReason;
};

// ── events ──────────────────────────────────────────────────────────────────────────────
export type OrderPlaced = DomainEvent<
  'OrderPlaced',
  {
    orderId: string;
    customerId: string;
    salesCredit: { salespersonId: string; shareBp: number }[];
    orderDate: string;
    quoteId: string | null;
    lines: PlacedLine[];
    /** Σ quantity × unitPrice at the requested prices. */
    total: number;
  }
>;
export type PriceOverrideRequested = DomainEvent<'PriceOverrideRequested', { overrideId: string; orderId: string } & OverrideRequestFacts>;
export type PriceOverrideApproved = DomainEvent<'PriceOverrideApproved', { overrideId: string; orderId: string } & OverrideApprovalFacts>;
export type PriceOverrideRejected = DomainEvent<'PriceOverrideRejected', { overrideId: string; orderId: string } & OverrideRejectionFacts>;
export type OrderConfirmed = DomainEvent<
  'OrderConfirmed',
  { orderId: string; exposure: number; creditLimit: number | null; checkedAmount: number; checkedOn: string }
>;
export type OrderPutOnCreditHold = DomainEvent<
  'OrderPutOnCreditHold',
  {
    orderId: string;
    reason: CreditHoldReason;
    /** For a hold at delivery: why the recheck failed. */
    cause: 'credit_limit_exceeded' | 'customer_blocked';
    exposure: number;
    creditLimit: number | null;
    checkedAmount: number;
    heldOn: string;
  }
>;
export type CreditHoldReleased = DomainEvent<
  'CreditHoldReleased',
  { orderId: string; releasedBy: string; reason: string; releasedOn: string }
>;
export type GoodsDelivered = DomainEvent<
  'GoodsDelivered',
  {
    orderId: string;
    deliveryId: string;
    billOfLading: string;
    carrier: string;
    deliveryDate: string;
    lines: LineQuantity[];
    overDelivery: { approvedBy: string; reason: string } | null;
  }
>;
/** `replacement`: the customer wants the goods replaced (absent on events before ADR 0111: true). */
export type ReturnRequested = DomainEvent<
  'ReturnRequested',
  { orderId: string; returnId: string; requestedOn: string; reason: string; replacement?: boolean; lines: LineQuantity[] }
>;
export type ReturnAccepted = DomainEvent<'ReturnAccepted', { orderId: string; returnId: string; acceptedBy: string; acceptedOn: string }>;
export type ReturnRefused = DomainEvent<
  'ReturnRefused',
  { orderId: string; returnId: string; reason: string; refusedBy: string; refusedOn: string }
>;
/** `replacement` repeats the return's choice: true reopens the quantity for delivery, false closes it (ADR 0111); absent on older events: true. */
export type ReturnedGoodsReceived = DomainEvent<
  'ReturnedGoodsReceived',
  { orderId: string; returnId: string; receivedOn: string; replacement?: boolean; lines: LineQuantity[] }
>;
export type CreditNoteIssued = DomainEvent<
  'CreditNoteIssued',
  {
    creditNoteId: string;
    invoiceId: string;
    orderId: string;
    customerId: string;
    returnId: string;
    issuedOn: string;
    lines: BilledLine[];
    amount: number;
  }
>;
export type InvoiceIssued = DomainEvent<
  'InvoiceIssued',
  { invoiceId: string; orderId: string; customerId: string; invoiceDate: string; dueDate: string; lines: BilledLine[]; amount: number }
>;
export type OrderCancelled = DomainEvent<'OrderCancelled', { orderId: string; cancelledOn: string; reason: string; lines: LineQuantity[] }>;

export type OrderEvent =
  | OrderPlaced
  | PriceOverrideRequested
  | PriceOverrideApproved
  | PriceOverrideRejected
  | OrderConfirmed
  | OrderPutOnCreditHold
  | CreditHoldReleased
  | GoodsDelivered
  | ReturnRequested
  | ReturnAccepted
  | ReturnRefused
  | ReturnedGoodsReceived
  | CreditNoteIssued
  | InvoiceIssued
  | OrderCancelled;

// ── commands ────────────────────────────────────────────────────────────────────────────
export type PlaceOrderLine = Omit<PlacedLine, 'priceApproval' | 'freeOfCharge'> & {
  overrideReason?: string | null;
  freeOfCharge?: FreeOfChargeReason | null;
  /** From the price book: the resolved list price was approved below cost knowing this cost (ADR 0112). */
  resolvedBelowCostApprovedAtCost?: number | null;
  /** From the converted quote: the approval granted there, for exactly this price. */
  preApproved?: { overrideId: string; approvedBy: string; approvedUnitPrice: number } | null;
};
export type PlaceOrder = Command<
  'PlaceOrder',
  {
    orderId: string;
    customerId: string;
    orderDate: string;
    quoteId: string | null;
    salesCredit: { salespersonId: string; shareBp: number }[];
    lines: PlaceOrderLine[];
    /** Read by the handler from the customer account; exposureBeforeOrder excludes this order. */
    credit: CreditFacts;
    /**
     * Whether each credited salesperson was employed on the order date, read from the organization;
     * absent while the company keeps no organization (quote to cash used on its own).
     */
    salesCreditStanding?: Readonly<Record<string, 'employed' | 'not_employed' | 'unknown'>>;
    settings: Pick<SalesSettings, 'maxDiscountBpByRole'>;
  }
>;
/** `approvedOn` / `rejectedOn`: business date of the decision (default today). */
export type ApprovePriceOverride = Command<
  'ApprovePriceOverride',
  { overrideId: string; reason: string; approvedOn?: string; settings: Pick<SalesSettings, 'maxDiscountBpByRole'> }
>;
export type RejectPriceOverride = Command<'RejectPriceOverride', { overrideId: string; reason: string; rejectedOn?: string }>;
/** `releasedOn`: business date of the release (default today); the release's validity at delivery counts from it. */
export type ReleaseCreditHold = Command<'ReleaseCreditHold', { reason: string; releasedOn?: string }>;
export type DeliverGoods = Command<
  'DeliverGoods',
  {
    deliveryId: string;
    billOfLading: string;
    carrier: string;
    deliveryDate: string;
    lines: LineQuantity[];
    /** Beyond the tolerance a sales manager (the actor) must override with a reason. */
    overDelivery?: { reason: string } | null;
    /** Fresh credit facts (exposureBeforeOrder excludes this order); required when a recheck is due. */
    credit?: CreditFacts | null;
    settings: Pick<SalesSettings, 'overDeliveryToleranceBp' | 'creditReleaseValidityDays'>;
  }
>;
/** `replacement` defaults to true: the returned quantity is reopened for delivery, as before ADR 0111. */
export type RequestReturn = Command<
  'RequestReturn',
  { returnId: string; reason: string; lines: LineQuantity[]; requestedOn?: string; replacement?: boolean }
>;
export type AcceptReturn = Command<'AcceptReturn', { returnId: string; acceptedOn?: string }>;
export type RefuseReturn = Command<'RefuseReturn', { returnId: string; reason: string; refusedOn?: string }>;
/**
 * Lines default to the whole accepted return; less is allowed (the rest is dropped). A replacement
 * reopens quantity for delivery: that needs fresh credit facts (exposureBeforeOrder excludes this
 * order and is read before the credit notes of this receipt are posted).
 */
export type ReceiveReturnedGoods = Command<
  'ReceiveReturnedGoods',
  {
    returnId: string;
    receivedOn: string;
    lines?: LineQuantity[];
    credit?: CreditFacts | null;
    settings?: Pick<SalesSettings, 'creditReleaseValidityDays'>;
  }
>;
/**
 * The account refused credit this order's reservation needed (another order took the headroom
 * between the order's own check and the account's): the order waits on credit hold. System only.
 */
export type HoldOrderForCredit = Command<
  'HoldOrderForCredit',
  {
    cause: 'credit_limit_exceeded' | 'customer_blocked';
    exposure: number;
    creditLimit: number | null;
    checkedAmount: number;
    heldOn: string;
  }
>;
/** Lines default to everything billable. */
export type InvoiceOrder = Command<
  'InvoiceOrder',
  { invoiceId: string; invoiceDate: string; paymentTermsDays: number; lines?: LineQuantity[] }
>;
/** Lines default to every undelivered quantity. */
export type CancelOrder = Command<'CancelOrder', { reason: string; lines?: LineQuantity[]; cancelledOn?: string }>;

export type OrderCommand =
  | PlaceOrder
  | ApprovePriceOverride
  | RejectPriceOverride
  | ReleaseCreditHold
  | DeliverGoods
  | RequestReturn
  | AcceptReturn
  | RefuseReturn
  | ReceiveReturnedGoods
  | InvoiceOrder
  | CancelOrder
  | HoldOrderForCredit;

// ── helpers ─────────────────────────────────────────────────────────────────────────────
const placed = (state: OrderState): PlacedOrder => {
  if (state.status === 'none') throw notFound('OrderNotFound', 'order does not exist');
  return state;
};
/**
 * The number of a line named in either scheme: `L3` (the one scheme since ADR 0113 was amended) or `line-3`
 * (orders converted from quotes before it). Null for a client's own line id.
 */
export const lineNumberOf = (lineId: string): string | null => /^(?:L|line-)([1-9][0-9]*)$/.exec(lineId)?.[1] ?? null;
/** One key per line, whichever scheme names it (for duplicate checks). */
const lineKey = (lineId: string) => {
  const n = typeof lineId === 'string' ? lineNumberOf(lineId) : null;
  return n ? `#${n}` : lineId;
};
/** The order's line by its id; `L3` and `line-3` name the same line, so old and new streams read alike. */
const lineOf = (order: PlacedOrder, lineId: string): OrderLine => {
  const exact = order.lines.find((l) => l.lineId === lineId);
  const n = exact || typeof lineId !== 'string' ? null : lineNumberOf(lineId);
  const line = exact ?? (n ? order.lines.find((l) => lineNumberOf(l.lineId) === n) : undefined);
  if (!line) throw notFound('OrderLineNotFound', `order has no line ${lineId}`, { lineId });
  return line;
};
/** Validate a list of line quantities: non-empty, known lines, positive integers, each line once. */
const lineQuantitiesOf = (order: PlacedOrder, lines: readonly LineQuantity[] | undefined, emptyCode: string): LineQuantity[] => {
  if (!Array.isArray(lines) || lines.length === 0) throw ruleViolation(emptyCode, 'at least one line is required');
  const resolved = lines.map((l) => ({
    lineId: lineOf(order, l.lineId).lineId,
    quantity: requireQuantity(l.quantity, `quantity of ${l.lineId}`),
  }));
  requireUnique(
    resolved.map((l) => l.lineId),
    'DuplicateLineId',
    'lineId',
  );
  return resolved;
};
const isFullyCancelled = (order: PlacedOrder) => order.lines.every((l) => l.cancelled === l.quantity);
const primarySalesperson = (order: { salesCredit: { salespersonId: string; shareBp: number }[] }) =>
  order.salesCredit.reduce((best, s) => (s.shareBp > best.shareBp ? s : best)).salespersonId;

const validateSalesCredit = (credit: readonly { salespersonId: string; shareBp: number }[]) => {
  if (!Array.isArray(credit) || credit.length === 0)
    throw ruleViolation('InvalidSalesCredit', 'sales credit needs at least one salesperson');
  requireUnique(
    credit.map((c) => c.salespersonId),
    'InvalidSalesCredit',
    'salespersonId',
  );
  for (const c of credit) {
    requireId(c.salespersonId, 'salespersonId');
    if (!Number.isSafeInteger(c.shareBp) || c.shareBp <= 0)
      throw ruleViolation('InvalidSalesCredit', 'each share must be a positive integer of bp');
  }
  if (credit.reduce((a, c) => a + c.shareBp, 0) !== 10_000)
    throw ruleViolation('InvalidSalesCredit', 'sales credit shares must sum to 10000 bp');
  return credit.map((c) => ({ salespersonId: c.salespersonId, shareBp: c.shareBp }));
};

const overrideOf = (order: PlacedOrder, overrideId: string) => {
  const o = order.overrides.find((x) => x.overrideId === overrideId);
  if (!o) throw notFound('PriceOverrideNotFound', `override ${overrideId} not found`, { overrideId });
  if (o.status !== 'pending') throw conflict('PriceOverrideNotPending', `override ${overrideId} is ${o.status}`, { overrideId });
  return o;
};
const returnOf = (order: PlacedOrder, returnId: string) => {
  const r = order.returns.find((x) => x.returnId === returnId);
  if (!r) throw notFound('ReturnNotFound', `return ${returnId} not found`, { returnId });
  return r;
};

// ── rules by command ────────────────────────────────────────────────────────────────────
const placeOrder = (command: PlaceOrder, state: OrderState): OrderEvent[] => {
  if (state.status !== 'none') throw conflict('OrderAlreadyPlaced', 'order already placed', { orderId: state.orderId });
  const { actor } = command.context;
  const d = command.data;
  if (!Array.isArray(d.lines) || d.lines.length === 0) throw ruleViolation('EmptyOrder', 'an order needs at least one line');
  requireUnique(
    d.lines.map((l) => lineKey(l.lineId)),
    'DuplicateLineId',
    'lineId',
  );
  const orderId = requireId(d.orderId, 'orderId');
  const salesCredit = validateSalesCredit(d.salesCredit);
  // Credit goes to people of the organization as it stood on the day of the sale.
  for (const { salespersonId } of salesCredit) {
    const standing = d.salesCreditStanding?.[salespersonId];
    if (standing === 'unknown')
      throw ruleViolation('UnknownSalesperson', `${salespersonId} is not a salesperson of the organization`, { salespersonId });
    if (standing === 'not_employed') {
      throw ruleViolation('SalespersonNotEmployedOnOrderDate', `${salespersonId} was not employed on ${d.orderDate}`, {
        salespersonId,
        orderDate: d.orderDate,
      });
    }
  }
  const orderDate = requireDate(d.orderDate, 'orderDate');
  const lines: PlacedLine[] = d.lines.map((l) => {
    if (l.preApproved && l.preApproved.approvedUnitPrice !== l.unitPrice) {
      throw ruleViolation(
        'PriceApprovalMismatch',
        `line ${l.lineId}: the quote approved ${l.preApproved.approvedUnitPrice}, not ${l.unitPrice}`,
        { lineId: l.lineId },
      );
    }
    const { line, freeOfCharge } = checkedSoldLine(l, () => ({ listPrice: requireAmount(l.listPrice, 'listPrice') }));
    return {
      ...line,
      priceApproval: l.preApproved ? { overrideId: l.preApproved.overrideId, approvedBy: l.preApproved.approvedBy } : null,
      ...(freeOfCharge ? { freeOfCharge } : {}),
    };
  });
  const order = { orderId, salesCredit };
  const overrides: PriceOverrideRequested[] = lines.flatMap((line, i) => {
    if (line.priceApproval) return [];
    const reason = d.lines[i].overrideReason ?? null;
    const need = overrideNeeded(
      { ...line, overrideReason: reason, resolvedBelowCostApprovedAtCost: d.lines[i].resolvedBelowCostApprovedAtCost ?? null },
      actor,
      d.settings,
    );
    if (!need) return [];
    return [
      {
        type: 'PriceOverrideRequested' as const,
        data: {
          overrideId: `${orderId}-${line.lineId}`,
          orderId,
          lineId: line.lineId,
          salespersonId: primarySalesperson(order),
          requestedBy: actor.userId,
          resolvedUnitPrice: line.resolvedUnitPrice,
          requestedUnitPrice: line.unitPrice,
          ...need,
          reason,
          // the request is a consequence of the order: it carries the order's business date
          requestedOn: orderDate,
        },
      },
    ];
  });
  const pending = new Set(overrides.map((o) => o.data.lineId));
  // The credit check covers the worst case: a pending line at its resolved price (ADR 0106).
  const checkedAmount = lines.reduce(
    (a, l) => a + l.quantity * (pending.has(l.lineId) ? Math.max(l.unitPrice, l.resolvedUnitPrice) : l.unitPrice),
    0,
  );
  const decision = creditDecision({ ...d.credit, orderAmount: checkedAmount });
  const creditEvent: OrderEvent =
    decision.decision === 'approved'
      ? {
          type: 'OrderConfirmed',
          data: { orderId, exposure: decision.exposure, creditLimit: decision.creditLimit, checkedAmount, checkedOn: orderDate },
        }
      : {
          type: 'OrderPutOnCreditHold',
          data: {
            orderId,
            reason: decision.reason,
            cause: decision.reason,
            exposure: decision.exposure,
            creditLimit: decision.creditLimit,
            checkedAmount,
            heldOn: orderDate,
          },
        };
  return [
    {
      type: 'OrderPlaced',
      data: {
        orderId,
        customerId: requireId(d.customerId, 'customerId'),
        salesCredit,
        orderDate,
        quoteId: d.quoteId === null || d.quoteId === undefined ? null : requireId(d.quoteId, 'quoteId'),
        lines,
        total: lines.reduce((a, l) => a + l.quantity * l.unitPrice, 0),
      },
    },
    ...overrides,
    creditEvent,
  ];
};

const deliverGoods = (command: DeliverGoods, order: PlacedOrder): OrderEvent[] => {
  const { actor } = command.context;
  const d = command.data;
  if (isFullyCancelled(order)) throw conflict('OrderCancelled', 'order is cancelled');
  if (pendingOverrides(order).length > 0) throw conflict('OrderAwaitingPriceApproval', 'prices of this order await approval');
  if (order.credit.status === 'held') throw conflict('OrderOnCreditHold', `order is on credit hold (${order.credit.reason})`);
  const deliveryId = requireId(d.deliveryId, 'deliveryId');
  if (order.deliveries.some((x) => x.deliveryId === deliveryId))
    throw conflict('DuplicateDelivery', `delivery ${deliveryId} already recorded`);
  const billOfLading = requireText(d.billOfLading, 'billOfLading', 'BillOfLadingRequired');
  if (order.deliveries.some((x) => x.billOfLading === billOfLading)) {
    throw conflict('DuplicateBillOfLading', `bill of lading ${billOfLading} already used on this order`, { billOfLading });
  }
  const carrier = requireText(d.carrier, 'carrier', 'CarrierRequired');
  const deliveryDate = requireDate(d.deliveryDate, 'deliveryDate');
  const lines = lineQuantitiesOf(order, d.lines, 'EmptyDelivery');

  // Quantities: net delivered may reach effective ordered + tolerance; beyond needs a manager override.
  let overDeliveryNeeded = false;
  for (const { lineId, quantity } of lines) {
    const line = lineOf(order, lineId);
    const q = lineQuantities(line);
    if (q.effectiveOrdered === 0) throw conflict('OrderLineCancelled', `line ${lineId} is cancelled`, { lineId });
    const cap = q.effectiveOrdered + overDeliveryTolerance(line, d.settings.overDeliveryToleranceBp);
    if (q.netDelivered + quantity > cap) overDeliveryNeeded = true;
  }
  let overDelivery: GoodsDelivered['data']['overDelivery'] = null;
  if (overDeliveryNeeded) {
    if (!d.overDelivery) {
      throw ruleViolation(
        'OverDeliveryNotAllowed',
        'the delivery exceeds the ordered quantity plus tolerance; a sales manager must override with a reason',
      );
    }
    requireRole(actor, 'OverDeliveryApprovalForbidden', 'sales_manager');
    overDelivery = { approvedBy: actor.userId, reason: requireText(d.overDelivery.reason, 'overDelivery.reason', 'ReasonRequired') };
  }
  const delivered: GoodsDelivered = {
    type: 'GoodsDelivered',
    data: { orderId: order.orderId, deliveryId, billOfLading, carrier, deliveryDate, lines, overDelivery },
  };

  // Credit recheck at delivery: value grew since the check, or the release is stale (ADR 0106).
  const after = evolvePlaced(order, delivered);
  const releaseStale =
    order.credit.status === 'released' && daysBetween(order.credit.releasedOn, deliveryDate) > d.settings.creditReleaseValidityDays;
  const valueGrew = orderValue(after) > order.credit.checkedAmount;
  const blocked = d.credit?.customerBlocked === true;
  if (!releaseStale && !valueGrew && !blocked) return [delivered];
  if (!d.credit) throw ruleViolation('CreditFactsRequired', 'a credit recheck is due at this delivery: pass fresh credit facts');
  const checkedAmount = unbilledValue(after);
  const decision = creditDecision({ ...d.credit, orderAmount: checkedAmount });
  if (decision.decision === 'hold') {
    return [
      {
        type: 'OrderPutOnCreditHold',
        data: {
          orderId: order.orderId,
          reason: 'recheck_at_delivery',
          cause: decision.reason,
          exposure: decision.exposure,
          creditLimit: decision.creditLimit,
          checkedAmount,
          heldOn: deliveryDate,
        },
      },
    ];
  }
  return [
    {
      type: 'OrderConfirmed',
      data: {
        orderId: order.orderId,
        exposure: decision.exposure,
        creditLimit: decision.creditLimit,
        checkedAmount: orderValue(after),
        checkedOn: deliveryDate,
      },
    },
    delivered,
  ];
};

const receiveReturnedGoods = (command: ReceiveReturnedGoods, order: PlacedOrder): OrderEvent[] => {
  const d = command.data;
  const ret = returnOf(order, d.returnId);
  if (ret.status !== 'accepted') throw conflict('ReturnNotAccepted', `return ${ret.returnId} is ${ret.status}`, { returnId: ret.returnId });
  const receivedOn = requireDate(d.receivedOn, 'receivedOn');
  const lines = d.lines === undefined ? ret.lines : lineQuantitiesOf(order, d.lines, 'EmptyReturn');
  for (const l of lines) {
    const requested = ret.lines.find((x) => x.lineId === l.lineId)?.quantity ?? 0;
    if (l.quantity > requested) {
      throw ruleViolation('ReceiptExceedsReturn', `line ${l.lineId}: ${requested} were accepted for return`, {
        lineId: l.lineId,
        requested,
      });
    }
  }
  const received: ReturnedGoodsReceived = {
    type: 'ReturnedGoodsReceived',
    data: { orderId: order.orderId, returnId: ret.returnId, receivedOn, replacement: ret.replacement, lines },
  };
  const creditNotes = creditNotesFor(evolvePlaced(order, received), ret.returnId, receivedOn);
  const after = [received, ...creditNotes].reduce(evolvePlaced, order);
  // A replacement makes quantity deliverable again: the same credit check as placing (ADR 0111).
  // A held order stays held (finance releases it); nothing reopened needs no check; a finance
  // release still valid on that day, for an order whose value did not grow, covers the replacement.
  if (!ret.replacement || isOnCreditHold(order) || deliverableQuantity(after) <= deliverableQuantity(order))
    return [received, ...creditNotes];
  const validityDays = d.settings?.creditReleaseValidityDays;
  const releaseCovers =
    order.credit.status === 'released' &&
    validityDays !== undefined &&
    daysBetween(order.credit.releasedOn, receivedOn) <= validityDays &&
    orderValue(after) <= order.credit.checkedAmount &&
    d.credit?.customerBlocked !== true;
  if (releaseCovers) return [received, ...creditNotes];
  if (!d.credit) throw ruleViolation('CreditFactsRequired', 'a replacement reopens quantity for delivery: pass fresh credit facts');
  const checkedAmount = creditReservationTarget(after);
  const credited = creditNotes.reduce((a, n) => a + n.data.amount, 0);
  // The credit notes of this receipt lower what the customer owes before the replacement is reserved.
  const decision = creditDecision({
    ...d.credit,
    exposureBeforeOrder: d.credit.exposureBeforeOrder - credited,
    orderAmount: checkedAmount,
  });
  const check: OrderEvent =
    decision.decision === 'approved'
      ? {
          type: 'OrderConfirmed',
          data: {
            orderId: order.orderId,
            exposure: decision.exposure,
            creditLimit: decision.creditLimit,
            checkedAmount: Math.max(checkedAmount, orderValue(after)),
            checkedOn: receivedOn,
          },
        }
      : {
          type: 'OrderPutOnCreditHold',
          data: {
            orderId: order.orderId,
            reason: 'recheck_at_replacement',
            cause: decision.reason,
            exposure: decision.exposure,
            creditLimit: decision.creditLimit,
            checkedAmount,
            heldOn: receivedOn,
          },
        };
  return [received, ...creditNotes, check];
};

/**
 * After a return is received, whatever is billed beyond the net delivered quantity is credited,
 * against the invoices that billed the line, latest invoice first (ADR 0107). One credit note per invoice.
 */
export const creditNotesFor = (order: PlacedOrder, returnId: string, issuedOn: string): CreditNoteIssued[] => {
  const toCredit = new Map(
    order.lines.map((l) => {
      const q = lineQuantities(l);
      return [l.lineId, Math.max(0, q.billed - q.credited - q.netDelivered)] as const;
    }),
  );
  const notes: CreditNoteIssued[] = [];
  for (const invoice of [...order.invoices].reverse()) {
    const lines: BilledLine[] = [];
    for (const billed of invoice.lines) {
      const want = toCredit.get(billed.lineId) ?? 0;
      const creditable = billed.quantity - (invoice.creditedByLine[billed.lineId] ?? 0);
      const quantity = Math.min(want, creditable);
      if (quantity <= 0) continue;
      toCredit.set(billed.lineId, want - quantity);
      lines.push({ lineId: billed.lineId, quantity, unitPrice: billed.unitPrice, amount: quantity * billed.unitPrice });
    }
    if (lines.length === 0) continue;
    notes.push({
      type: 'CreditNoteIssued',
      data: {
        creditNoteId: `${returnId}-cn${notes.length + 1}`,
        invoiceId: invoice.invoiceId,
        orderId: order.orderId,
        customerId: order.customerId,
        returnId,
        issuedOn,
        lines,
        amount: lines.reduce((a, l) => a + l.amount, 0),
      },
    });
  }
  return notes;
};

const invoiceOrder = (command: InvoiceOrder, order: PlacedOrder): OrderEvent[] => {
  const d = command.data;
  const invoiceId = requireId(d.invoiceId, 'invoiceId');
  if (order.invoices.some((i) => i.invoiceId === invoiceId))
    throw conflict('DuplicateInvoice', `invoice ${invoiceId} already issued`, { invoiceId });
  const invoiceDate = requireDate(d.invoiceDate, 'invoiceDate');
  if (!Number.isSafeInteger(d.paymentTermsDays) || d.paymentTermsDays < 0)
    throw ruleViolation('InvalidPaymentTerms', 'paymentTermsDays must be an integer ≥ 0');
  const requested =
    d.lines === undefined
      ? order.lines.map((l) => ({ lineId: l.lineId, quantity: lineQuantities(l).billable })).filter((l) => l.quantity > 0)
      : lineQuantitiesOf(order, d.lines, 'EmptyInvoice');
  if (requested.length === 0) throw ruleViolation('EmptyInvoice', 'nothing delivered is left to bill');
  const lines = requested.map(({ lineId, quantity }) => {
    const line = lineOf(order, lineId);
    const billable = lineQuantities(line).billable;
    if (quantity > billable)
      throw ruleViolation('InvoiceExceedsDelivered', `line ${lineId}: only ${billable} delivered and not billed`, { lineId, billable });
    return { lineId, quantity, unitPrice: line.unitPrice, amount: quantity * line.unitPrice };
  });
  return [
    {
      type: 'InvoiceIssued',
      data: {
        invoiceId,
        orderId: order.orderId,
        customerId: order.customerId,
        invoiceDate,
        dueDate: addDays(invoiceDate, d.paymentTermsDays),
        lines,
        amount: lines.reduce((a, l) => a + l.amount, 0),
      },
    },
  ];
};

const cancelOrder = (command: CancelOrder, order: PlacedOrder): OrderEvent[] => {
  const reason = requireText(command.data.reason, 'reason', 'ReasonRequired');
  const lines =
    command.data.lines === undefined
      ? order.lines.map((l) => ({ lineId: l.lineId, quantity: lineQuantities(l).openToDeliver })).filter((l) => l.quantity > 0)
      : lineQuantitiesOf(order, command.data.lines, 'NothingToCancel');
  if (lines.length === 0) throw ruleViolation('NothingToCancel', 'nothing undelivered is left to cancel');
  for (const { lineId, quantity } of lines) {
    const open = lineQuantities(lineOf(order, lineId)).openToDeliver;
    if (quantity > open)
      throw ruleViolation('CancellationExceedsUndelivered', `line ${lineId}: only ${open} undelivered`, { lineId, undelivered: open });
  }
  const cancelledOn = command.data.cancelledOn === undefined ? command.context.today : requireDate(command.data.cancelledOn, 'cancelledOn');
  return [{ type: 'OrderCancelled', data: { orderId: order.orderId, cancelledOn, reason, lines } }];
};

// ── decide ──────────────────────────────────────────────────────────────────────────────
export const decideOrder = (command: OrderCommand, state: OrderState): OrderEvent[] => {
  const { actor, today } = command.context;
  switch (command.type) {
    case 'PlaceOrder':
      return placeOrder(command, state);
    case 'ApprovePriceOverride': {
      const order = placed(state);
      const o = overrideOf(order, command.data.overrideId);
      const reason = assertMayApproveOverride(o, actor, command.data.reason, command.data.settings);
      const data = overrideApproval(o, { orderId: order.orderId }, actor, reason, command.data.approvedOn, today);
      return [{ type: 'PriceOverrideApproved', data }];
    }
    case 'RejectPriceOverride': {
      requireRole(actor, 'PriceOverrideApprovalForbidden', 'sales_manager');
      const order = placed(state);
      const o = overrideOf(order, command.data.overrideId);
      return [{ type: 'PriceOverrideRejected', data: overrideRejection(o, { orderId: order.orderId }, actor, command.data, today) }];
    }
    case 'ReleaseCreditHold': {
      requireRole(actor, 'CreditReleaseForbidden', 'finance');
      const order = placed(state);
      if (order.credit.status !== 'held') throw conflict('OrderNotOnCreditHold', 'order is not on credit hold');
      const reason = requireText(command.data.reason, 'reason', 'ReasonRequired');
      const releasedOn = command.data.releasedOn === undefined ? today : requireDate(command.data.releasedOn, 'releasedOn');
      return [{ type: 'CreditHoldReleased', data: { orderId: order.orderId, releasedBy: actor.userId, reason, releasedOn } }];
    }
    case 'DeliverGoods':
      return deliverGoods(command, placed(state));
    case 'RequestReturn': {
      const order = placed(state);
      const d = command.data;
      const returnId = requireId(d.returnId, 'returnId');
      if (order.returns.some((r) => r.returnId === returnId))
        throw conflict('DuplicateReturn', `return ${returnId} already requested`, { returnId });
      const reason = requireText(d.reason, 'reason', 'ReasonRequired');
      const lines = lineQuantitiesOf(order, d.lines, 'EmptyReturn');
      for (const { lineId, quantity } of lines) {
        const returnable = returnableQuantity(order, lineOf(order, lineId));
        if (quantity > returnable) {
          throw ruleViolation('ReturnExceedsDelivered', `line ${lineId}: only ${returnable} delivered and not already returned`, {
            lineId,
            returnable,
          });
        }
      }
      if (d.replacement !== undefined && typeof d.replacement !== 'boolean')
        throw ruleViolation('InvalidReplacement', 'replacement must be true or false');
      const replacement = d.replacement ?? true;
      return [
        {
          type: 'ReturnRequested',
          data: {
            orderId: order.orderId,
            returnId,
            requestedOn: requireDate(d.requestedOn ?? today, 'requestedOn'),
            reason,
            replacement,
            lines,
          },
        },
      ];
    }
    case 'AcceptReturn':
    case 'RefuseReturn': {
      requireRole(actor, 'ReturnApprovalForbidden', 'sales_manager');
      const order = placed(state);
      const ret = returnOf(order, command.data.returnId);
      if (ret.status !== 'requested')
        throw conflict('ReturnNotPending', `return ${ret.returnId} is ${ret.status}`, { returnId: ret.returnId });
      if (command.type === 'AcceptReturn') {
        const acceptedOn = requireDate(command.data.acceptedOn ?? today, 'acceptedOn');
        return [{ type: 'ReturnAccepted', data: { orderId: order.orderId, returnId: ret.returnId, acceptedBy: actor.userId, acceptedOn } }];
      }
      const reason = requireText(command.data.reason, 'reason', 'ReasonRequired');
      const refusedOn = requireDate(command.data.refusedOn ?? today, 'refusedOn');
      return [
        { type: 'ReturnRefused', data: { orderId: order.orderId, returnId: ret.returnId, reason, refusedBy: actor.userId, refusedOn } },
      ];
    }
    case 'HoldOrderForCredit': {
      requireRole(actor, 'CreditHoldForbidden', 'finance');
      const order = placed(state);
      if (isOnCreditHold(order)) return [];
      const d = command.data;
      return [
        {
          type: 'OrderPutOnCreditHold',
          data: {
            orderId: order.orderId,
            reason: d.cause,
            cause: d.cause,
            exposure: d.exposure,
            creditLimit: d.creditLimit,
            checkedAmount: d.checkedAmount,
            heldOn: requireDate(d.heldOn, 'heldOn'),
          },
        },
      ];
    }
    case 'ReceiveReturnedGoods':
      return receiveReturnedGoods(command, placed(state));
    case 'InvoiceOrder':
      return invoiceOrder(command, placed(state));
    case 'CancelOrder':
      return cancelOrder(command, placed(state));
    default:
      return assertNever(command);
  }
};

// ── evolve ──────────────────────────────────────────────────────────────────────────────
const addToLines = (
  order: PlacedOrder,
  lines: readonly LineQuantity[],
  field: 'cancelled' | 'delivered' | 'returnedReceived' | 'returnedClosed' | 'billed' | 'credited',
): OrderLine[] =>
  order.lines.map((l) => {
    const q = lines.filter((x) => x.lineId === l.lineId).reduce((a, x) => a + x.quantity, 0);
    return q === 0 ? l : { ...l, [field]: (l[field] ?? 0) + q };
  });

const evolvePlaced = (order: PlacedOrder, event: OrderEvent): PlacedOrder & { status: 'placed' } => {
  const o = { ...order, status: 'placed' as const };
  switch (event.type) {
    case 'OrderPlaced':
      return o;
    case 'PriceOverrideRequested': {
      const d = event.data;
      const line = order.lines.find((l) => l.lineId === d.lineId);
      return {
        ...o,
        overrides: appended(o.overrides, {
          overrideId: d.overrideId,
          lineId: d.lineId,
          status: 'pending',
          resolvedUnitPrice: d.resolvedUnitPrice,
          requestedUnitPrice: d.requestedUnitPrice,
          unitCost: line?.unitCost ?? 0,
        }),
      };
    }
    case 'PriceOverrideApproved':
      return { ...o, overrides: o.overrides.map((x) => (x.overrideId === event.data.overrideId ? { ...x, status: 'approved' } : x)) };
    case 'PriceOverrideRejected':
      return {
        ...o,
        overrides: o.overrides.map((x) => (x.overrideId === event.data.overrideId ? { ...x, status: 'rejected' } : x)),
        lines: o.lines.map((l) => (l.lineId === event.data.lineId ? { ...l, unitPrice: event.data.repricedTo } : l)),
      };
    case 'OrderConfirmed':
      return { ...o, credit: { status: 'approved', checkedAmount: event.data.checkedAmount, checkedOn: event.data.checkedOn } };
    case 'OrderPutOnCreditHold':
      return {
        ...o,
        credit: { status: 'held', reason: event.data.reason, checkedAmount: event.data.checkedAmount, checkedOn: event.data.heldOn },
      };
    case 'CreditHoldReleased':
      return {
        ...o,
        credit: {
          status: 'released',
          checkedAmount: Math.max(o.credit.checkedAmount, orderValue(o)),
          checkedOn: o.credit.checkedOn,
          releasedOn: event.data.releasedOn,
          releasedBy: event.data.releasedBy,
        },
      };
    case 'GoodsDelivered':
      return {
        ...o,
        lines: addToLines(o, event.data.lines, 'delivered'),
        deliveries: appended(o.deliveries, { deliveryId: event.data.deliveryId, billOfLading: event.data.billOfLading }),
      };
    case 'ReturnRequested':
      return {
        ...o,
        returns: appended(o.returns, {
          returnId: event.data.returnId,
          status: 'requested',
          replacement: event.data.replacement ?? true,
          lines: event.data.lines,
        }),
      };
    case 'ReturnAccepted':
      return { ...o, returns: o.returns.map((r) => (r.returnId === event.data.returnId ? { ...r, status: 'accepted' } : r)) };
    case 'ReturnRefused':
      return { ...o, returns: o.returns.map((r) => (r.returnId === event.data.returnId ? { ...r, status: 'refused' } : r)) };
    case 'ReturnedGoodsReceived': {
      const received = addToLines(o, event.data.lines, 'returnedReceived');
      return {
        ...o,
        lines: event.data.replacement === false ? addToLines({ ...o, lines: received }, event.data.lines, 'returnedClosed') : received,
        returns: o.returns.map((r) => (r.returnId === event.data.returnId ? { ...r, status: 'received', lines: event.data.lines } : r)),
      };
    }
    case 'CreditNoteIssued':
      return {
        ...o,
        lines: addToLines(o, event.data.lines, 'credited'),
        invoices: o.invoices.map((inv) => {
          if (inv.invoiceId !== event.data.invoiceId) return inv;
          const creditedByLine = { ...inv.creditedByLine };
          for (const l of event.data.lines) creditedByLine[l.lineId] = (creditedByLine[l.lineId] ?? 0) + l.quantity;
          return { ...inv, creditedByLine };
        }),
        creditNoteIds: appended(o.creditNoteIds, event.data.creditNoteId),
      };
    case 'InvoiceIssued':
      return {
        ...o,
        lines: addToLines(o, event.data.lines, 'billed'),
        invoices: appended(o.invoices, {
          invoiceId: event.data.invoiceId,
          invoiceDate: event.data.invoiceDate,
          lines: event.data.lines,
          creditedByLine: {},
        }),
      };
    case 'OrderCancelled':
      return { ...o, lines: addToLines(o, event.data.lines, 'cancelled') };
    default:
      return assertNever(event);
  }
};

export const evolveOrder = (state: OrderState, event: OrderEvent): OrderState => {
  if (event.type === 'OrderPlaced') {
    const d = event.data;
    return {
      status: 'placed',
      orderId: d.orderId,
      customerId: d.customerId,
      orderDate: d.orderDate,
      quoteId: d.quoteId,
      salesCredit: d.salesCredit,
      lines: d.lines.map(({ priceApproval: _, ...l }) => ({
        ...l,
        cancelled: 0,
        delivered: 0,
        returnedReceived: 0,
        returnedClosed: 0,
        billed: 0,
        credited: 0,
      })),
      overrides: [],
      // replaced by the OrderConfirmed / OrderPutOnCreditHold that always follows in the same decision
      credit: { status: 'held', reason: 'credit_limit_exceeded', checkedAmount: 0, checkedOn: d.orderDate },
      deliveries: [],
      returns: [],
      invoices: [],
      creditNoteIds: [],
    };
  }
  return state.status === 'none' ? state : evolvePlaced(state, event);
};

export const orderDecider: Decider<OrderState, OrderCommand, OrderEvent> = {
  decide: decideOrder,
  evolve: evolveOrder,
  initialState: () => ({ status: 'none' }),
};
