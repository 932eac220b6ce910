import { evolveOrder, OrderEvent } from '../domain/order';
import { OrderState, PlacedOrder } from '../domain/order-state';

/** Folds order events into a placed order (specs of the rules that read one). */
export const foldPlacedOrder = (...events: OrderEvent[]): PlacedOrder => {
  const state = events.reduce(evolveOrder, { status: 'none' } as OrderState);
  if (state.status !== 'placed') throw new Error('not placed');
  return state;
};

type EventOf<T extends OrderEvent['type']> = Extract<OrderEvent, { type: T }>;

/** Line L1 as an order is placed with it: 10 × 100.00 at list price, standard cost 60.00. */
export const lineL1AtList = {
  lineId: 'L1',
  productId: 'p-1',
  quantity: 10,
  unitPrice: 100_00,
  listPrice: 100_00,
  resolvedUnitPrice: 100_00,
  priceSource: { kind: 'list' as const },
  unitCost: 60_00,
};
/** Line L2 as an order is placed with it: 5 × 50.00 at list price, standard cost 20.00. */
export const lineL2AtList = {
  lineId: 'L2',
  productId: 'p-2',
  quantity: 5,
  unitPrice: 50_00,
  listPrice: 50_00,
  resolvedUnitPrice: 50_00,
  priceSource: { kind: 'list' as const },
  unitCost: 20_00,
};

/** A line as an order is placed with it, from the list price (`resolvedUnitPrice`) unless asked at another `unitPrice`. */
export const placedLine = (
  lineId: string,
  productId: string,
  quantity: number,
  unitPrice: number,
  unitCost: number,
  resolvedUnitPrice = unitPrice,
) => ({
  lineId,
  productId,
  quantity,
  unitPrice,
  listPrice: resolvedUnitPrice,
  resolvedUnitPrice,
  priceSource: { kind: 'list' as const },
  unitCost,
  priceApproval: null,
});

/** Order o-1 of customer c-1, credited to sp-1 and placed on 2025-03-01 with these lines, worth `total` (unless `over` says otherwise). */
export const orderPlaced = (
  lines: EventOf<'OrderPlaced'>['data']['lines'],
  total: number,
  over: Partial<EventOf<'OrderPlaced'>['data']> = {},
): EventOf<'OrderPlaced'> => ({
  type: 'OrderPlaced',
  data: {
    orderId: 'o-1',
    customerId: 'c-1',
    salesCredit: [{ salespersonId: 'sp-1', shareBp: 10_000 }],
    orderDate: '2025-03-01',
    quoteId: null,
    lines,
    total,
    ...over,
  },
});

/** Order o-1 of customer c-1: one line L1, 10 × 1.00 at list price (cost 0.60), placed on 2025-03-01. */
export const placedOrder: OrderEvent = orderPlaced(
  [
    {
      lineId: 'L1',
      productId: 'p-1',
      quantity: 10,
      unitPrice: 100,
      listPrice: 100,
      resolvedUnitPrice: 100,
      priceSource: { kind: 'list' },
      unitCost: 60,
      priceApproval: null,
    },
  ],
  1000,
);

/** Order o-1 confirmed on 2025-03-01 after a credit check of `amount` (the exposure it counts) against `creditLimit`. */
export const orderConfirmed = (amount: number, creditLimit: number | null): EventOf<'OrderConfirmed'> => ({
  type: 'OrderConfirmed',
  data: { orderId: 'o-1', exposure: amount, creditLimit, checkedAmount: amount, checkedOn: '2025-03-01' },
});

/** Order o-1 put on credit hold on 2025-03-01: `amount` exceeds `creditLimit`. */
export const putOnCreditHold = (amount: number, creditLimit: number): EventOf<'OrderPutOnCreditHold'> => ({
  type: 'OrderPutOnCreditHold',
  data: {
    orderId: 'o-1',
    reason: 'credit_limit_exceeded',
    cause: 'credit_limit_exceeded',
    exposure: amount,
    creditLimit,
    checkedAmount: amount,
    heldOn: '2025-03-01',
  },
});

/** The credit hold of order o-1 released by `releasedBy` (prepaid). */
export const creditHoldReleased = (releasedBy: string, releasedOn = '2025-03-02', reason = 'prepaid'): EventOf<'CreditHoldReleased'> => ({
  type: 'CreditHoldReleased',
  data: { orderId: 'o-1', releasedBy, reason, releasedOn },
});

// ── events of order o-1 (customer c-1), for the specs of the read models that fold an order ──
type Delivered = { lineId: string; quantity: number };
type Billed = { lineId: string; quantity: number; unitPrice: number };

/** Delivery `deliveryId` (bill of lading `BOL-<deliveryId>`, carrier DHL) of these quantities. */
export const goodsDelivered = (deliveryId: string, lines: Delivered[], deliveryDate: string): OrderEvent => ({
  type: 'GoodsDelivered',
  data: { orderId: 'o-1', deliveryId, billOfLading: `BOL-${deliveryId}`, carrier: 'DHL', deliveryDate, lines, overDelivery: null },
});

/** Invoice `invoiceId` of these quantities at these prices; amount = Σ quantity × unit price. */
export const invoiceIssued = (invoiceId: string, lines: Billed[], invoiceDate: string, dueDate: string): OrderEvent => {
  const billed = lines.map((l) => ({ ...l, amount: l.quantity * l.unitPrice }));
  return {
    type: 'InvoiceIssued',
    data: {
      invoiceId,
      orderId: 'o-1',
      customerId: 'c-1',
      invoiceDate,
      dueDate,
      lines: billed,
      amount: billed.reduce((a, l) => a + l.amount, 0),
    },
  };
};

/** The first credit note `<returnId>-cn1` of return `returnId` against invoice `invoiceId`; amount = Σ quantity × unit price. */
export const creditNoteIssued = (returnId: string, invoiceId: string, lines: Billed[], issuedOn: string): OrderEvent => {
  const credited = lines.map((l) => ({ ...l, amount: l.quantity * l.unitPrice }));
  return {
    type: 'CreditNoteIssued',
    data: {
      creditNoteId: `${returnId}-cn1`,
      invoiceId,
      orderId: 'o-1',
      customerId: 'c-1',
      returnId,
      issuedOn,
      lines: credited,
      amount: credited.reduce((a, l) => a + l.amount, 0),
    },
  };
};

/** A 20 % price override asked for line L1 (1.00 → 0.80) by sp-1 on 2025-03-01, with this allowance and reason (unless `over` says otherwise). */
export const priceOverrideRequested = (
  allowedBp: number,
  reason: string | null,
  over: Partial<EventOf<'PriceOverrideRequested'>['data']> = {},
): OrderEvent => ({
  type: 'PriceOverrideRequested',
  data: {
    overrideId: 'o-1-L1',
    orderId: 'o-1',
    lineId: 'L1',
    salespersonId: 'sp-1',
    requestedBy: 'sp-1',
    resolvedUnitPrice: 100_00,
    requestedUnitPrice: 80_00,
    discountBp: 2000,
    allowedBp,
    belowCost: false,
    reason,
    requestedOn: '2025-03-01',
    ...over,
  },
});
