import { Role } from '@salesline/shared-kernel';
import { commandOf, deciderSpec } from '@salesline/shared-kernel/testing';
import { OrderCommand, orderDecider, OrderEvent, PlaceOrder, PriceOverrideRequested } from './order';
import { orderLineQuantities, orderStatus, OrderState, PlacedOrder, unbilledValue } from './order-state';
import { creditHoldReleased, goodsDelivered, invoiceIssued, orderConfirmed, orderPlaced, putOnCreditHold } from '../testing/order-fixtures';
import { lineL1AtList, lineL2AtList, priceOverrideRequested } from '../testing/order-fixtures';

const spec = deciderSpec(orderDecider);
const TODAY = '2025-03-03';
const cmd = <T extends OrderCommand>(type: T['type'], data: T['data'], roles: Role[] = ['salesperson'], today = TODAY) =>
  commandOf<OrderCommand>(type, data, { roles, userId: `u-${roles[0]}`, today }) as T;
const placedOf = (state: OrderState): PlacedOrder => {
  if (state.status !== 'placed') throw new Error('not placed');
  return state;
};

const settings = { maxDiscountBpByRole: { salesperson: 0, sales_manager: 1000 } };
const deliverySettings = { overDeliveryToleranceBp: 1000, creditReleaseValidityDays: 7 };
const okCredit = { creditLimit: 1_000_000, exposureBeforeOrder: 0, customerBlocked: false };
const line1 = lineL1AtList;
const line2 = lineL2AtList;
const placeData: PlaceOrder['data'] = {
  orderId: 'o-1',
  customerId: 'c-1',
  orderDate: '2025-03-01',
  quoteId: null,
  salesCredit: [{ salespersonId: 'sp-1', shareBp: 10_000 }],
  lines: [line1, line2],
  credit: okCredit,
  settings,
};
const place = (over: Partial<PlaceOrder['data']> = {}, roles: Role[] = ['salesperson']) =>
  cmd('PlaceOrder', { ...placeData, ...over }, roles);

const placed: OrderEvent = orderPlaced(
  [
    { ...line1, priceApproval: null },
    { ...line2, priceApproval: null },
  ],
  1250_00,
);
const confirmed = orderConfirmed(1250_00, 1_000_000);
const held = putOnCreditHold(1250_00, 100_00);
const released = (releasedOn = TODAY) => creditHoldReleased('u-finance', releasedOn, 'prepaid by wire');
const delivery = (deliveryId: string, lines: { lineId: string; quantity: number }[], deliveryDate = TODAY) =>
  goodsDelivered(deliveryId, lines, deliveryDate);
const deliver = (
  deliveryId: string,
  lines: { lineId: string; quantity: number }[],
  extra: Record<string, unknown> = {},
  roles: Role[] = ['salesperson'],
) =>
  cmd(
    'DeliverGoods',
    { deliveryId, billOfLading: `BOL-${deliveryId}`, carrier: 'DHL', deliveryDate: TODAY, lines, settings: deliverySettings, ...extra },
    roles,
  );
const invoice = (invoiceId: string, lines: { lineId: string; quantity: number; unitPrice: number }[], invoiceDate = TODAY) =>
  invoiceIssued(invoiceId, lines, invoiceDate, '2025-04-02');
/** Order o-1 cancelled today: these open quantities, for this reason. */
const cancellation = (lines: { lineId: string; quantity: number }[], reason = 'x'): OrderEvent => ({
  type: 'OrderCancelled',
  data: { orderId: 'o-1', cancelledOn: TODAY, reason, lines },
});
const returnRequested = (returnId: string, lines: { lineId: string; quantity: number }[]): OrderEvent => ({
  type: 'ReturnRequested',
  data: { orderId: 'o-1', returnId, requestedOn: TODAY, reason: 'damaged', replacement: true, lines },
});
const returnAccepted = (returnId: string): OrderEvent => ({
  type: 'ReturnAccepted',
  data: { orderId: 'o-1', returnId, acceptedBy: 'u-sales_manager', acceptedOn: TODAY },
});
const returnReceived = (returnId: string, lines: { lineId: string; quantity: number }[]): OrderEvent => ({
  type: 'ReturnedGoodsReceived',
  data: { orderId: 'o-1', returnId, receivedOn: TODAY, replacement: true, lines },
});

describe('Order', () => {
  describe('PlaceOrder and the credit check at placing', () => {
    it('credits only people of the organization on the order date: UnknownSalesperson, SalespersonNotEmployedOnOrderDate', () => {
      spec
        .given()
        .when(place({ salesCreditStanding: { 'sp-1': 'unknown' } }))
        .thenThrows('UnknownSalesperson');
      spec
        .given()
        .when(place({ salesCreditStanding: { 'sp-1': 'not_employed' } }))
        .thenThrows('SalespersonNotEmployedOnOrderDate');
      spec
        .given()
        .when(place({ salesCreditStanding: { 'sp-1': 'employed' } }))
        .then([placed, confirmed]);
    });

    it('confirms when exposure with this order stays within the limit', () => {
      const state = spec.given().when(place()).then([placed, confirmed]);
      expect(orderStatus(placedOf(state))).toBe('to_deliver_and_bill');
    });
    it('confirms when exposure equals the limit exactly', () => {
      const events = spec
        .given()
        .when(place({ credit: { ...okCredit, creditLimit: 1250_00 } }))
        .events();
      expect(events[1].type).toBe('OrderConfirmed');
    });
    it('puts the order on credit hold when the limit is exceeded (open receivables + other orders count)', () => {
      const state = spec
        .given()
        .when(place({ credit: { creditLimit: 100_00, exposureBeforeOrder: 0, customerBlocked: false } }))
        .then([placed, held]);
      expect(orderStatus(placedOf(state))).toBe('on_credit_hold');
      const withOthers = spec
        .given()
        .when(place({ credit: { creditLimit: 1500_00, exposureBeforeOrder: 300_00, customerBlocked: false } }))
        .events();
      expect(withOthers[1]).toMatchObject({ type: 'OrderPutOnCreditHold', data: { exposure: 1550_00, reason: 'credit_limit_exceeded' } });
    });
    it('holds a blocked customer whatever the limit', () => {
      const events = spec
        .given()
        .when(place({ credit: { ...okCredit, customerBlocked: true } }))
        .events();
      expect(events[1]).toMatchObject({ type: 'OrderPutOnCreditHold', data: { reason: 'customer_blocked' } });
    });
    it('a credit limit of 0 (cash terms) holds unless deposits cover the order', () => {
      expect(
        spec
          .given()
          .when(place({ credit: { creditLimit: 0, exposureBeforeOrder: 0, customerBlocked: false } }))
          .events()[1].type,
      ).toBe('OrderPutOnCreditHold');
      expect(
        spec
          .given()
          .when(place({ credit: { creditLimit: 0, exposureBeforeOrder: -1250_00, customerBlocked: false } }))
          .events()[1].type,
      ).toBe('OrderConfirmed');
    });
    it('a null credit limit means no limit', () => {
      expect(
        spec
          .given()
          .when(place({ credit: { creditLimit: null, exposureBeforeOrder: 9e9, customerBlocked: false } }))
          .events()[1].type,
      ).toBe('OrderConfirmed');
    });
    it('refuses invalid sales credit: InvalidSalesCredit', () => {
      spec
        .given()
        .when(place({ salesCredit: [{ salespersonId: 'sp-1', shareBp: 6000 }] }))
        .thenThrows('InvalidSalesCredit');
      spec
        .given()
        .when(
          place({
            salesCredit: [
              { salespersonId: 'sp-1', shareBp: 5000 },
              { salespersonId: 'sp-1', shareBp: 5000 },
            ],
          }),
        )
        .thenThrows('InvalidSalesCredit');
      spec
        .given()
        .when(place({ salesCredit: [] }))
        .thenThrows('InvalidSalesCredit');
    });
    it('splits sales credit; the override counts against the largest share', () => {
      const events = spec
        .given()
        .when(
          place({
            salesCredit: [
              { salespersonId: 'sp-1', shareBp: 4000 },
              { salespersonId: 'sp-2', shareBp: 6000 },
            ],
            lines: [{ ...line1, unitPrice: 95_00 }],
          }),
        )
        .events();
      expect(events[1]).toMatchObject({ type: 'PriceOverrideRequested', data: { salespersonId: 'sp-2' } });
    });
    it('refuses empty orders, duplicate lines, bad quantities and prices', () => {
      spec
        .given()
        .when(place({ lines: [] }))
        .thenThrows('EmptyOrder');
      spec
        .given()
        .when(place({ lines: [line1, line1] }))
        .thenThrows('DuplicateLineId');
      spec
        .given()
        .when(place({ lines: [{ ...line1, quantity: 0 }] }))
        .thenThrows('InvalidQuantity');
      spec
        .given()
        .when(place({ lines: [{ ...line1, quantity: 1.5 }] }))
        .thenThrows('InvalidQuantity');
      spec
        .given()
        .when(place({ lines: [{ ...line1, unitPrice: -1 }] }))
        .thenThrows('InvalidAmount');
    });
    it('refuses placing twice: OrderAlreadyPlaced', () => {
      spec.given(placed, confirmed).when(place()).thenThrows('OrderAlreadyPlaced', 'conflict');
    });
    it('captures the standard cost passed in at placing as the line unit cost', () => {
      const state = spec.given(placed, confirmed).state();
      expect(placedOf(state).lines[0].unitCost).toBe(60_00);
    });
  });

  describe('price floor at placing', () => {
    const discounted = { ...line1, unitPrice: 95_00 };
    // requestedOn: the order's business date (the fixture's 2025-03-01), not the day it was recorded.
    const request = (over: Partial<PriceOverrideRequested['data']> = {}): OrderEvent =>
      priceOverrideRequested(0, 'loyal customer', { requestedBy: 'u-salesperson', requestedUnitPrice: 95_00, discountBp: 500, ...over });
    const placedDiscounted: OrderEvent = {
      ...placed,
      data: {
        ...placed.data,
        lines: [
          { ...discounted, priceApproval: null },
          { ...line2, priceApproval: null },
        ],
        total: 1200_00,
      },
    };

    it("a salesperson's discount becomes a PriceOverrideRequested against them; the order awaits approval", () => {
      const state = spec
        .given()
        .when(place({ lines: [{ ...discounted, overrideReason: 'loyal customer' }, line2] }))
        .then([placedDiscounted, request(), { ...confirmed, data: { ...confirmed.data, exposure: 1250_00, checkedAmount: 1250_00 } }]);
      expect(orderStatus(placedOf(state))).toBe('awaiting_price_approval');
    });
    it('the credit check covers a pending line at its resolved price (ADR 0106)', () => {
      const events = spec
        .given()
        .when(place({ lines: [discounted, line2], credit: { ...okCredit, creditLimit: 1200_00 } }))
        .events();
      expect(events[2]).toMatchObject({ type: 'OrderPutOnCreditHold', data: { checkedAmount: 1250_00 } });
    });
    it('a sales manager within the allowance needs no approval', () => {
      const events = spec
        .given()
        .when(place({ lines: [discounted, line2] }, ['sales_manager']))
        .events();
      expect(events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderConfirmed']);
    });
    it('below standard cost is flagged belowCost, even for a sales manager', () => {
      const events = spec
        .given()
        .when(place({ lines: [{ ...line1, unitPrice: 59_00 }] }, ['sales_manager']))
        .events();
      expect(events[1]).toMatchObject({ type: 'PriceOverrideRequested', data: { belowCost: true, allowedBp: null, discountBp: 4100 } });
    });
    it('an admin may sell below cost directly, with a reason', () => {
      const events = spec
        .given()
        .when(place({ lines: [{ ...line1, unitPrice: 59_00, overrideReason: 'clearance' }] }, ['admin']))
        .events();
      expect(events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderConfirmed']);
    });
    it('a price approved on the converted quote needs no new approval; a different price is refused: PriceApprovalMismatch', () => {
      const preApproved = { overrideId: 'q-1-r1-L1', approvedBy: 'u-mgr', approvedUnitPrice: 95_00 };
      const events = spec
        .given()
        .when(place({ quoteId: 'q-1', lines: [{ ...discounted, preApproved }] }))
        .events();
      expect(events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderConfirmed']);
      expect(events[0]).toMatchObject({
        data: { quoteId: 'q-1', lines: [{ priceApproval: { overrideId: 'q-1-r1-L1', approvedBy: 'u-mgr' } }] },
      });
      spec
        .given()
        .when(place({ lines: [{ ...line1, unitPrice: 90_00, preApproved }] }))
        .thenThrows('PriceApprovalMismatch');
    });

    const pending = [placedDiscounted, request(), confirmed];
    const approve = (roles: Role[], reason = 'ok') => cmd('ApprovePriceOverride', { overrideId: 'o-1-L1', reason, settings }, roles);
    it('a sales manager approves within their allowance: PriceOverrideApproved; the order becomes deliverable', () => {
      const state = spec
        .given(...pending)
        .when(approve(['sales_manager']))
        .then([
          {
            type: 'PriceOverrideApproved',
            data: { overrideId: 'o-1-L1', orderId: 'o-1', lineId: 'L1', approvedBy: 'u-sales_manager', reason: 'ok', approvedOn: TODAY },
          },
        ]);
      expect(orderStatus(placedOf(state))).toBe('to_deliver_and_bill');
    });
    it('approval beyond the approver allowance or below cost by a non-admin: PriceOverrideApprovalForbidden', () => {
      spec
        .given(...pending)
        .when(approve(['salesperson']))
        .thenThrows('PriceOverrideApprovalForbidden', 'forbidden');
      const deep = [
        { ...placed, data: { ...placed.data, lines: [{ ...line1, unitPrice: 80_00, priceApproval: null }] } } as OrderEvent,
        request({ requestedUnitPrice: 80_00 }),
        confirmed,
      ];
      spec
        .given(...deep)
        .when(approve(['sales_manager']))
        .thenThrows('PriceOverrideApprovalForbidden');
      spec
        .given(...deep)
        .when(approve(['admin']))
        .then([
          {
            type: 'PriceOverrideApproved',
            data: { overrideId: 'o-1-L1', orderId: 'o-1', lineId: 'L1', approvedBy: 'u-admin', reason: 'ok', approvedOn: TODAY },
          },
        ]);
      const belowCost = [
        { ...placed, data: { ...placed.data, lines: [{ ...line1, unitPrice: 50_00, priceApproval: null }] } } as OrderEvent,
        request({ requestedUnitPrice: 50_00, belowCost: true }),
        confirmed,
      ];
      spec
        .given(...belowCost)
        .when(approve(['sales_manager']))
        .thenThrows('PriceOverrideApprovalForbidden');
    });
    it('approval needs a reason: ReasonRequired', () => {
      spec
        .given(...pending)
        .when(approve(['sales_manager'], ' '))
        .thenThrows('ReasonRequired');
    });
    it('rejection reprices the line to the resolved price (ADR 0106)', () => {
      const state = spec
        .given(...pending)
        .when(cmd('RejectPriceOverride', { overrideId: 'o-1-L1', reason: 'no' }, ['sales_manager']))
        .then([
          {
            type: 'PriceOverrideRejected',
            data: {
              overrideId: 'o-1-L1',
              orderId: 'o-1',
              lineId: 'L1',
              rejectedBy: 'u-sales_manager',
              reason: 'no',
              rejectedOn: TODAY,
              repricedTo: 100_00,
            },
          },
        ]);
      expect(placedOf(state).lines[0].unitPrice).toBe(100_00);
      expect(orderStatus(placedOf(state))).toBe('to_deliver_and_bill');
    });
    it('only managers reject: PriceOverrideApprovalForbidden; a decided override: PriceOverrideNotPending; unknown: PriceOverrideNotFound', () => {
      spec
        .given(...pending)
        .when(cmd('RejectPriceOverride', { overrideId: 'o-1-L1', reason: 'no' }))
        .thenThrows('PriceOverrideApprovalForbidden', 'forbidden');
      const approved: OrderEvent = {
        type: 'PriceOverrideApproved',
        data: { overrideId: 'o-1-L1', orderId: 'o-1', lineId: 'L1', approvedBy: 'm', reason: 'ok', approvedOn: TODAY },
      };
      spec
        .given(...pending, approved)
        .when(approve(['sales_manager']))
        .thenThrows('PriceOverrideNotPending', 'conflict');
      spec
        .given(...pending)
        .when(cmd('ApprovePriceOverride', { overrideId: 'nope', reason: 'x', settings }, ['admin']))
        .thenThrows('PriceOverrideNotFound', 'not_found');
    });
    it('nothing is delivered while a price awaits approval: OrderAwaitingPriceApproval', () => {
      spec
        .given(...pending)
        .when(deliver('d1', [{ lineId: 'L2', quantity: 1 }]))
        .thenThrows('OrderAwaitingPriceApproval', 'conflict');
    });
    it('a pending override on a fully cancelled line no longer blocks the order', () => {
      const cancelled = cancellation([{ lineId: 'L1', quantity: 10 }]);
      expect(orderStatus(placedOf(spec.given(...pending, cancelled).state()))).toBe('to_deliver_and_bill');
    });
  });

  describe('cost floor on every path (ADR 0112)', () => {
    it('a line resolved from a list price below cost is held for approval like an override, unless an admin approved that list price at this cost', () => {
      const flagged = {
        ...line1,
        unitPrice: 50_00,
        resolvedUnitPrice: 50_00,
        priceSource: { kind: 'group' as const, priceListId: 'pl-1', minQuantity: 1 },
      };
      const events = spec
        .given()
        .when(place({ lines: [flagged] }))
        .events();
      expect(events[1]).toMatchObject({
        type: 'PriceOverrideRequested',
        data: { lineId: 'L1', belowCost: true, discountBp: 0, requestedUnitPrice: 50_00, resolvedUnitPrice: 50_00 },
      });
      const approved = spec
        .given()
        .when(place({ lines: [{ ...flagged, resolvedBelowCostApprovedAtCost: 60_00 }] }))
        .events();
      expect(approved.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderConfirmed']);
    });
    it('a zero price is refused unless the line is free of charge for a named reason, and then needs the below-cost approval', () => {
      const free = { ...line1, unitPrice: 0 };
      spec
        .given()
        .when(place({ lines: [free] }))
        .thenThrows('ZeroPriceNotFreeOfCharge');
      spec
        .given()
        .when(place({ lines: [{ ...free, freeOfCharge: 'gift' as never }] }))
        .thenThrows('InvalidFreeOfChargeReason');
      const events = spec
        .given()
        .when(place({ lines: [{ ...free, freeOfCharge: 'sample' }] }))
        .events();
      expect(events[0].data).toMatchObject({ lines: [{ lineId: 'L1', unitPrice: 0, freeOfCharge: 'sample' }] });
      expect(events[1]).toMatchObject({ type: 'PriceOverrideRequested', data: { belowCost: true, requestedUnitPrice: 0 } });
    });
  });

  describe('credit hold and release', () => {
    it('nothing is delivered on credit hold: OrderOnCreditHold', () => {
      spec
        .given(placed, held)
        .when(deliver('d1', [{ lineId: 'L1', quantity: 1 }]))
        .thenThrows('OrderOnCreditHold', 'conflict');
    });
    it('only finance (or admin) releases, with a reason: CreditHoldReleased', () => {
      spec
        .given(placed, held)
        .when(cmd('ReleaseCreditHold', { reason: 'x' }, ['sales_manager']))
        .thenThrows('CreditReleaseForbidden', 'forbidden');
      spec
        .given(placed, held)
        .when(cmd('ReleaseCreditHold', { reason: '' }, ['finance']))
        .thenThrows('ReasonRequired');
      const state = spec
        .given(placed, held)
        .when(cmd('ReleaseCreditHold', { reason: 'prepaid by wire' }, ['finance']))
        .then([released()]);
      expect(orderStatus(placedOf(state))).toBe('to_deliver_and_bill');
    });
    it('releasing an order not on hold: OrderNotOnCreditHold', () => {
      spec
        .given(placed, confirmed)
        .when(cmd('ReleaseCreditHold', { reason: 'x' }, ['finance']))
        .thenThrows('OrderNotOnCreditHold', 'conflict');
    });
    it('a fresh release covers deliveries within creditReleaseValidityDays', () => {
      spec
        .given(placed, held, released('2025-03-01'))
        .when(deliver('d1', [{ lineId: 'L1', quantity: 2 }]))
        .then([delivery('d1', [{ lineId: 'L1', quantity: 2 }])]);
    });
    it('a stale release re-runs the credit check at delivery: re-hold (recheck_at_delivery) instead of delivering', () => {
      const stale = [placed, held, released('2025-02-01')];
      spec
        .given(...stale)
        .when(deliver('d1', [{ lineId: 'L1', quantity: 2 }]))
        .thenThrows('CreditFactsRequired');
      spec
        .given(...stale)
        .when(
          deliver('d1', [{ lineId: 'L1', quantity: 2 }], {
            credit: { creditLimit: 1000_00, exposureBeforeOrder: 0, customerBlocked: false },
          }),
        )
        .then([
          {
            type: 'OrderPutOnCreditHold',
            data: {
              orderId: 'o-1',
              reason: 'recheck_at_delivery',
              cause: 'credit_limit_exceeded',
              exposure: 1250_00,
              creditLimit: 1000_00,
              checkedAmount: 1250_00,
              heldOn: TODAY,
            },
          },
        ]);
    });
    it('a stale release whose recheck passes confirms again and delivers', () => {
      spec
        .given(placed, held, released('2025-02-01'))
        .when(deliver('d1', [{ lineId: 'L1', quantity: 2 }], { credit: okCredit }))
        .then([
          {
            type: 'OrderConfirmed',
            data: { orderId: 'o-1', exposure: 1250_00, creditLimit: 1_000_000, checkedAmount: 1250_00, checkedOn: TODAY },
          },
          delivery('d1', [{ lineId: 'L1', quantity: 2 }]),
        ]);
    });
    it('value grown by an over-delivery re-runs the credit check', () => {
      const events = spec
        .given(placed, confirmed)
        .when(
          deliver('d1', [{ lineId: 'L1', quantity: 11 }], {
            credit: { creditLimit: 1300_00, exposureBeforeOrder: 0, customerBlocked: false },
          }),
        )
        .events();
      expect(events).toEqual([
        {
          type: 'OrderPutOnCreditHold',
          data: {
            orderId: 'o-1',
            reason: 'recheck_at_delivery',
            cause: 'credit_limit_exceeded',
            exposure: 1350_00,
            creditLimit: 1300_00,
            checkedAmount: 1350_00,
            heldOn: TODAY,
          },
        },
      ]);
    });
    it('fresh facts saying the customer is blocked hold at delivery', () => {
      const events = spec
        .given(placed, confirmed)
        .when(deliver('d1', [{ lineId: 'L1', quantity: 1 }], { credit: { ...okCredit, customerBlocked: true } }))
        .events();
      expect(events[0]).toMatchObject({ type: 'OrderPutOnCreditHold', data: { reason: 'recheck_at_delivery', cause: 'customer_blocked' } });
    });
  });

  describe('DeliverGoods', () => {
    it('records GoodsDelivered with bill of lading and carrier', () => {
      const state = spec
        .given(placed, confirmed)
        .when(deliver('d1', [{ lineId: 'L1', quantity: 4 }]))
        .then([delivery('d1', [{ lineId: 'L1', quantity: 4 }])]);
      expect(orderStatus(placedOf(state))).toBe('to_deliver_and_bill');
    });
    it('allows over-delivery within tolerance (10% of 10 = 1)', () => {
      spec
        .given(placed, confirmed, delivery('d1', [{ lineId: 'L1', quantity: 10 }]))
        .when(deliver('d2', [{ lineId: 'L1', quantity: 1 }], { credit: okCredit }))
        .then((events, state) => {
          // Delivered without an override (overDelivery: null): 11 of 10 is within the tolerance.
          expect(events.filter((e) => e.type === 'GoodsDelivered')).toEqual([delivery('d2', [{ lineId: 'L1', quantity: 1 }])]);
          expect(orderLineQuantities(placedOf(state))[0]).toMatchObject({ ordered: 10, delivered: 11, openToDeliver: 0 });
        });
    });
    it('refuses beyond tolerance without a manager override: OverDeliveryNotAllowed', () => {
      spec
        .given(placed, confirmed)
        .when(deliver('d1', [{ lineId: 'L1', quantity: 12 }]))
        .thenThrows('OverDeliveryNotAllowed');
      spec
        .given(placed, confirmed)
        .when(deliver('d1', [{ lineId: 'L2', quantity: 6 }]))
        .thenThrows('OverDeliveryNotAllowed');
    });
    it('a sales manager overrides with a reason, recorded in the event; others may not: OverDeliveryApprovalForbidden', () => {
      spec
        .given(placed, confirmed)
        .when(deliver('d1', [{ lineId: 'L2', quantity: 6 }], { overDelivery: { reason: 'pallet' } }))
        .thenThrows('OverDeliveryApprovalForbidden', 'forbidden');
      spec
        .given(placed, confirmed)
        .when(deliver('d1', [{ lineId: 'L2', quantity: 6 }], { overDelivery: { reason: '' } }, ['sales_manager']))
        .thenThrows('ReasonRequired');
      const events = spec
        .given(placed, confirmed)
        .when(
          deliver('d1', [{ lineId: 'L2', quantity: 6 }], { overDelivery: { reason: 'full pallet' }, credit: okCredit }, ['sales_manager']),
        )
        .events();
      expect(events[1]).toMatchObject({
        type: 'GoodsDelivered',
        data: { overDelivery: { approvedBy: 'u-sales_manager', reason: 'full pallet' } },
      });
    });
    it('refuses a bill of lading already used on the order: DuplicateBillOfLading; and a repeated delivery id: DuplicateDelivery', () => {
      const given = [placed, confirmed, delivery('d1', [{ lineId: 'L1', quantity: 1 }])];
      spec
        .given(...given)
        .when(deliver('d2', [{ lineId: 'L1', quantity: 1 }], { billOfLading: 'BOL-d1' }))
        .thenThrows('DuplicateBillOfLading', 'conflict');
      spec
        .given(...given)
        .when(deliver('d1', [{ lineId: 'L1', quantity: 1 }], { billOfLading: 'BOL-x' }))
        .thenThrows('DuplicateDelivery', 'conflict');
    });
    it('names a line in either scheme: L2 and line-2 are the same line, recorded under its own id (ADR 0113)', () => {
      // an order converted from a quote before the one scheme kept the quote's line-1, line-2
      const oldScheme: OrderEvent =
        placed.type === 'OrderPlaced'
          ? { ...placed, data: { ...placed.data, lines: placed.data.lines.map((l, i) => ({ ...l, lineId: `line-${i + 1}` })) } }
          : placed;
      spec
        .given(oldScheme, confirmed)
        .when(deliver('d1', [{ lineId: 'L2', quantity: 1 }]))
        .then([delivery('d1', [{ lineId: 'line-2', quantity: 1 }])]);
      spec
        .given(placed, confirmed)
        .when(deliver('d1', [{ lineId: 'line-2', quantity: 1 }]))
        .then([delivery('d1', [{ lineId: 'L2', quantity: 1 }])]);
      // the same line twice under both names is one line named twice
      spec
        .given(placed, confirmed)
        .when(
          deliver('d1', [
            { lineId: 'L1', quantity: 1 },
            { lineId: 'line-1', quantity: 1 },
          ]),
        )
        .thenThrows('DuplicateLineId');
      spec
        .given(placed, confirmed)
        .when(deliver('d1', [{ lineId: 'line-9', quantity: 1 }]))
        .thenThrows('OrderLineNotFound', 'not_found');
      spec
        .given()
        .when(place({ lines: [line1, { ...line2, lineId: 'line-1' }] }))
        .thenThrows('DuplicateLineId');
    });
    it('refuses empty deliveries, zero quantities and unknown lines', () => {
      spec.given(placed, confirmed).when(deliver('d1', [])).thenThrows('EmptyDelivery');
      spec
        .given(placed, confirmed)
        .when(deliver('d1', [{ lineId: 'L1', quantity: 0 }]))
        .thenThrows('InvalidQuantity');
      spec
        .given(placed, confirmed)
        .when(deliver('d1', [{ lineId: 'L9', quantity: 1 }]))
        .thenThrows('OrderLineNotFound', 'not_found');
      spec
        .given(placed, confirmed)
        .when(deliver('d1', [{ lineId: 'L1', quantity: 1 }], { billOfLading: '' }))
        .thenThrows('BillOfLadingRequired');
    });
    it('refuses delivering a cancelled order or line', () => {
      const cancelAll = cancellation([
        { lineId: 'L1', quantity: 10 },
        { lineId: 'L2', quantity: 5 },
      ]);
      spec
        .given(placed, confirmed, cancelAll)
        .when(deliver('d1', [{ lineId: 'L1', quantity: 1 }]))
        .thenThrows('OrderCancelled', 'conflict');
      const cancelL2 = cancellation([{ lineId: 'L2', quantity: 5 }]);
      spec
        .given(placed, confirmed, cancelL2)
        .when(deliver('d1', [{ lineId: 'L2', quantity: 1 }]))
        .thenThrows('OrderLineCancelled', 'conflict');
    });
    it('unknown order: OrderNotFound', () => {
      spec
        .given()
        .when(deliver('d1', [{ lineId: 'L1', quantity: 1 }]))
        .thenThrows('OrderNotFound', 'not_found');
    });
  });

  describe('returns', () => {
    const delivered = [placed, confirmed, delivery('d1', [{ lineId: 'L1', quantity: 4 }])];
    it('RequestReturn → ReturnRequested', () => {
      spec
        .given(...delivered)
        .when(cmd('RequestReturn', { returnId: 'r1', reason: 'damaged', lines: [{ lineId: 'L1', quantity: 2 }] }))
        .then([returnRequested('r1', [{ lineId: 'L1', quantity: 2 }])]);
    });
    it('never more than net delivered minus open return requests: ReturnExceedsDelivered', () => {
      spec
        .given(...delivered)
        .when(cmd('RequestReturn', { returnId: 'r1', reason: 'x', lines: [{ lineId: 'L1', quantity: 5 }] }))
        .thenThrows('ReturnExceedsDelivered');
      spec
        .given(...delivered)
        .when(cmd('RequestReturn', { returnId: 'r1', reason: 'x', lines: [{ lineId: 'L2', quantity: 1 }] }))
        .thenThrows('ReturnExceedsDelivered');
      const open = [...delivered, returnRequested('r1', [{ lineId: 'L1', quantity: 3 }])];
      spec
        .given(...open)
        .when(cmd('RequestReturn', { returnId: 'r2', reason: 'x', lines: [{ lineId: 'L1', quantity: 2 }] }))
        .thenThrows('ReturnExceedsDelivered');
      const refused: OrderEvent = {
        type: 'ReturnRefused',
        data: { orderId: 'o-1', returnId: 'r1', reason: 'used', refusedBy: 'm', refusedOn: TODAY },
      };
      spec
        .given(...open, refused)
        .when(cmd('RequestReturn', { returnId: 'r2', reason: 'x', lines: [{ lineId: 'L1', quantity: 4 }] }))
        .events();
      const received = [...open, returnAccepted('r1'), returnReceived('r1', [{ lineId: 'L1', quantity: 3 }])];
      spec
        .given(...received)
        .when(cmd('RequestReturn', { returnId: 'r2', reason: 'x', lines: [{ lineId: 'L1', quantity: 2 }] }))
        .thenThrows('ReturnExceedsDelivered');
    });
    it('refuses a repeated return id: DuplicateReturn; a missing reason: ReasonRequired', () => {
      spec
        .given(...delivered, returnRequested('r1', [{ lineId: 'L1', quantity: 1 }]))
        .when(cmd('RequestReturn', { returnId: 'r1', reason: 'x', lines: [{ lineId: 'L1', quantity: 1 }] }))
        .thenThrows('DuplicateReturn');
      spec
        .given(...delivered)
        .when(cmd('RequestReturn', { returnId: 'r1', reason: '', lines: [{ lineId: 'L1', quantity: 1 }] }))
        .thenThrows('ReasonRequired');
    });
    it('a sales manager accepts or refuses; others may not: ReturnApprovalForbidden; decided returns: ReturnNotPending', () => {
      const requested = [...delivered, returnRequested('r1', [{ lineId: 'L1', quantity: 2 }])];
      spec
        .given(...requested)
        .when(cmd('AcceptReturn', { returnId: 'r1' }))
        .thenThrows('ReturnApprovalForbidden', 'forbidden');
      spec
        .given(...requested)
        .when(cmd('AcceptReturn', { returnId: 'r1' }, ['sales_manager']))
        .then([returnAccepted('r1')]);
      spec
        .given(...requested)
        .when(cmd('RefuseReturn', { returnId: 'r1', reason: 'used' }, ['sales_manager']))
        .then([
          {
            type: 'ReturnRefused',
            data: { orderId: 'o-1', returnId: 'r1', reason: 'used', refusedBy: 'u-sales_manager', refusedOn: TODAY },
          },
        ]);
      spec
        .given(...requested, returnAccepted('r1'))
        .when(cmd('RefuseReturn', { returnId: 'r1', reason: 'x' }, ['sales_manager']))
        .thenThrows('ReturnNotPending', 'conflict');
      spec
        .given(...requested)
        .when(cmd('AcceptReturn', { returnId: 'r9' }, ['sales_manager']))
        .thenThrows('ReturnNotFound', 'not_found');
    });
    it('goods are received only on an accepted return, up to the accepted quantity', () => {
      const requested = [...delivered, returnRequested('r1', [{ lineId: 'L1', quantity: 2 }])];
      spec
        .given(...requested)
        .when(cmd('ReceiveReturnedGoods', { returnId: 'r1', receivedOn: TODAY }))
        .thenThrows('ReturnNotAccepted', 'conflict');
      spec
        .given(...requested, returnAccepted('r1'))
        .when(cmd('ReceiveReturnedGoods', { returnId: 'r1', receivedOn: TODAY, lines: [{ lineId: 'L1', quantity: 3 }] }))
        .thenThrows('ReceiptExceedsReturn');
    });
    it('received goods never invoiced only reduce the net delivered (no credit note); the quantity is open to deliver again', () => {
      const state = spec
        .given(...delivered, returnRequested('r1', [{ lineId: 'L1', quantity: 2 }]), returnAccepted('r1'))
        .when(cmd('ReceiveReturnedGoods', { returnId: 'r1', receivedOn: TODAY, credit: okCredit }))
        .then([
          returnReceived('r1', [{ lineId: 'L1', quantity: 2 }]),
          {
            type: 'OrderConfirmed',
            data: { orderId: 'o-1', exposure: 1250_00, creditLimit: 1_000_000, checkedAmount: 1250_00, checkedOn: TODAY },
          },
        ]);
      expect(orderLineQuantities(placedOf(state))[0]).toMatchObject({
        delivered: 4,
        returnedReceived: 2,
        netDelivered: 2,
        openToDeliver: 8,
        billable: 2,
      });
    });
    it('received goods already invoiced are credited against the latest invoice first, then earlier ones (ADR 0107)', () => {
      const billed = [
        ...delivered,
        invoice('i1', [{ lineId: 'L1', quantity: 2, unitPrice: 100_00 }], '2025-03-03'),
        invoice('i2', [{ lineId: 'L1', quantity: 2, unitPrice: 100_00 }], '2025-03-04'),
        returnRequested('r1', [{ lineId: 'L1', quantity: 3 }]),
        returnAccepted('r1'),
      ];
      const state = spec
        .given(...billed)
        .when(cmd('ReceiveReturnedGoods', { returnId: 'r1', receivedOn: TODAY, credit: { ...okCredit, exposureBeforeOrder: 400_00 } }))
        .then([
          returnReceived('r1', [{ lineId: 'L1', quantity: 3 }]),
          {
            type: 'CreditNoteIssued',
            data: {
              creditNoteId: 'r1-cn1',
              invoiceId: 'i2',
              orderId: 'o-1',
              customerId: 'c-1',
              returnId: 'r1',
              issuedOn: TODAY,
              lines: [{ lineId: 'L1', quantity: 2, unitPrice: 100_00, amount: 200_00 }],
              amount: 200_00,
            },
          },
          {
            type: 'CreditNoteIssued',
            data: {
              creditNoteId: 'r1-cn2',
              invoiceId: 'i1',
              orderId: 'o-1',
              customerId: 'c-1',
              returnId: 'r1',
              issuedOn: TODAY,
              lines: [{ lineId: 'L1', quantity: 1, unitPrice: 100_00, amount: 100_00 }],
              amount: 100_00,
            },
          },
          // 400 billed before, 300 of it credited: the replacement is checked on what is owed after the credit notes
          // (checkedAmount is the order's value, what a later delivery compares its value with)
          {
            type: 'OrderConfirmed',
            data: { orderId: 'o-1', exposure: 100_00 + 1150_00, creditLimit: 1_000_000, checkedAmount: 1250_00, checkedOn: TODAY },
          },
        ]);
      expect(orderLineQuantities(placedOf(state))[0]).toMatchObject({ netDelivered: 1, billed: 4, credited: 3, billable: 0 });
    });
    it('only the invoiced part is credited when a return mixes billed and unbilled goods', () => {
      const events = spec
        .given(
          ...delivered,
          invoice('i1', [{ lineId: 'L1', quantity: 1, unitPrice: 100_00 }]),
          returnRequested('r1', [{ lineId: 'L1', quantity: 4 }]),
          returnAccepted('r1'),
        )
        .when(cmd('ReceiveReturnedGoods', { returnId: 'r1', receivedOn: TODAY, credit: okCredit }))
        .events();
      expect(events[1]).toMatchObject({ type: 'CreditNoteIssued', data: { invoiceId: 'i1', amount: 100_00, lines: [{ quantity: 1 }] } });
    });
    it('a return without replacement closes the quantity: no longer open to deliver, out of value and margin, no credit check', () => {
      const noReplacement = (returnId: string, lines: { lineId: string; quantity: number }[]): OrderEvent => ({
        type: 'ReturnRequested',
        data: { orderId: 'o-1', returnId, requestedOn: TODAY, reason: 'damaged', replacement: false, lines },
      });
      spec
        .given(...delivered)
        .when(cmd('RequestReturn', { returnId: 'r1', reason: 'damaged', replacement: false, lines: [{ lineId: 'L1', quantity: 2 }] }))
        .then([noReplacement('r1', [{ lineId: 'L1', quantity: 2 }])]);
      const state = spec
        .given(...delivered, noReplacement('r1', [{ lineId: 'L1', quantity: 2 }]), returnAccepted('r1'))
        .when(cmd('ReceiveReturnedGoods', { returnId: 'r1', receivedOn: TODAY }))
        .then([
          {
            type: 'ReturnedGoodsReceived',
            data: { orderId: 'o-1', returnId: 'r1', receivedOn: TODAY, replacement: false, lines: [{ lineId: 'L1', quantity: 2 }] },
          },
        ]);
      expect(orderLineQuantities(placedOf(state))[0]).toMatchObject({
        ordered: 10,
        returnedClosed: 2,
        effectiveOrdered: 8,
        netDelivered: 2,
        openToDeliver: 6,
        billable: 2,
      });
      expect(unbilledValue(placedOf(state))).toBe(800_00 + 250_00);
    });
    it('replacement must be a boolean: InvalidReplacement', () => {
      spec
        .given(...delivered)
        .when(
          cmd('RequestReturn', {
            returnId: 'r1',
            reason: 'x',
            replacement: 'yes' as unknown as boolean,
            lines: [{ lineId: 'L1', quantity: 1 }],
          }),
        )
        .thenThrows('InvalidReplacement');
    });
    it('a replacement over the credit limit waits on credit hold (recheck_at_replacement); without credit facts: CreditFactsRequired', () => {
      const accepted = [
        ...delivered,
        invoice('i1', [{ lineId: 'L1', quantity: 4, unitPrice: 100_00 }]),
        returnRequested('r1', [{ lineId: 'L1', quantity: 2 }]),
        returnAccepted('r1'),
      ];
      spec
        .given(...accepted)
        .when(cmd('ReceiveReturnedGoods', { returnId: 'r1', receivedOn: TODAY }))
        .thenThrows('CreditFactsRequired');
      // the account holds 400 receivables + 850 reserved = 1250 = the limit; a lowered limit of 1200 leaves no room for the replacement
      const events = spec
        .given(...accepted)
        .when(
          cmd('ReceiveReturnedGoods', {
            returnId: 'r1',
            receivedOn: '2025-03-02',
            credit: { creditLimit: 1200_00, exposureBeforeOrder: 400_00, customerBlocked: false },
          }),
        )
        .events();
      expect(events.map((e) => e.type)).toEqual(['ReturnedGoodsReceived', 'CreditNoteIssued', 'OrderPutOnCreditHold']);
      expect(events[2].data).toEqual({
        orderId: 'o-1',
        reason: 'recheck_at_replacement',
        cause: 'credit_limit_exceeded',
        exposure: 1250_00,
        creditLimit: 1200_00,
        checkedAmount: 1050_00,
        heldOn: '2025-03-02',
      });
      const blocked = spec
        .given(...accepted)
        .when(cmd('ReceiveReturnedGoods', { returnId: 'r1', receivedOn: TODAY, credit: { ...okCredit, customerBlocked: true } }))
        .events();
      expect(blocked[2]).toMatchObject({
        type: 'OrderPutOnCreditHold',
        data: { reason: 'recheck_at_replacement', cause: 'customer_blocked' },
      });
    });
    it('a finance release still valid on the day of receipt covers the replacement of an order whose value did not grow; a stale one does not', () => {
      const accepted = [
        placed,
        held,
        released('2025-03-02'),
        delivery('d1', [{ lineId: 'L1', quantity: 4 }]),
        invoice('i1', [{ lineId: 'L1', quantity: 4, unitPrice: 100_00 }]),
        returnRequested('r1', [{ lineId: 'L1', quantity: 2 }]),
        returnAccepted('r1'),
      ];
      const over = { creditLimit: 100_00, exposureBeforeOrder: 400_00, customerBlocked: false };
      const fresh = spec
        .given(...accepted)
        .when(
          cmd('ReceiveReturnedGoods', {
            returnId: 'r1',
            receivedOn: '2025-03-05',
            credit: over,
            settings: { creditReleaseValidityDays: 7 },
          }),
        )
        .events();
      expect(fresh.map((e) => e.type)).toEqual(['ReturnedGoodsReceived', 'CreditNoteIssued']);
      const stale = spec
        .given(...accepted)
        .when(
          cmd('ReceiveReturnedGoods', {
            returnId: 'r1',
            receivedOn: '2025-03-20',
            credit: over,
            settings: { creditReleaseValidityDays: 7 },
          }),
        )
        .events();
      expect(stale.map((e) => e.type)).toEqual(['ReturnedGoodsReceived', 'CreditNoteIssued', 'OrderPutOnCreditHold']);
    });
    it('accept and refuse take the business date of the decision', () => {
      const requested = [...delivered, returnRequested('r1', [{ lineId: 'L1', quantity: 2 }])];
      spec
        .given(...requested)
        .when(cmd('AcceptReturn', { returnId: 'r1', acceptedOn: '2025-03-02' }, ['sales_manager']))
        .then([
          { type: 'ReturnAccepted', data: { orderId: 'o-1', returnId: 'r1', acceptedBy: 'u-sales_manager', acceptedOn: '2025-03-02' } },
        ]);
      expect(
        spec
          .given(...requested)
          .when(cmd('RefuseReturn', { returnId: 'r1', reason: 'used', refusedOn: '2025-03-02' }, ['sales_manager']))
          .events()[0].data,
      ).toMatchObject({ refusedOn: '2025-03-02' });
      spec
        .given(...requested)
        .when(cmd('AcceptReturn', { returnId: 'r1', acceptedOn: '2025-02-30' }, ['sales_manager']))
        .thenThrows('InvalidBusinessDate');
    });
  });

  describe('HoldOrderForCredit (the account refused the credit the order needs)', () => {
    const hold = {
      cause: 'credit_limit_exceeded' as const,
      exposure: 1300_00,
      creditLimit: 1000_00,
      checkedAmount: 1250_00,
      heldOn: '2025-03-02',
    };
    it("puts a confirmed order on credit hold with the account's figures; a held order stays as it is; only the system or finance", () => {
      spec
        .given(placed, confirmed)
        .when(cmd('HoldOrderForCredit', hold, ['admin']))
        .then([{ type: 'OrderPutOnCreditHold', data: { orderId: 'o-1', reason: 'credit_limit_exceeded', ...hold } }]);
      spec
        .given(placed, held)
        .when(cmd('HoldOrderForCredit', hold, ['admin']))
        .then([]);
      spec
        .given(placed, confirmed)
        .when(cmd('HoldOrderForCredit', hold, ['salesperson']))
        .thenThrows('CreditHoldForbidden', 'forbidden');
    });
  });

  describe('InvoiceOrder', () => {
    const delivered = [
      placed,
      confirmed,
      delivery('d1', [
        { lineId: 'L1', quantity: 4 },
        { lineId: 'L2', quantity: 5 },
      ]),
    ];
    const bill = (data: Record<string, unknown> = {}) =>
      cmd('InvoiceOrder', { invoiceId: 'i1', invoiceDate: TODAY, paymentTermsDays: 30, ...data }, ['finance']);
    it('bills everything delivered and not billed; dueDate = invoiceDate + paymentTermsDays', () => {
      const state = spec
        .given(...delivered)
        .when(bill())
        .then([
          {
            type: 'InvoiceIssued',
            data: {
              invoiceId: 'i1',
              orderId: 'o-1',
              customerId: 'c-1',
              invoiceDate: TODAY,
              dueDate: '2025-04-02',
              lines: [
                { lineId: 'L1', quantity: 4, unitPrice: 100_00, amount: 400_00 },
                { lineId: 'L2', quantity: 5, unitPrice: 50_00, amount: 250_00 },
              ],
              amount: 650_00,
            },
          },
        ]);
      expect(orderStatus(placedOf(state))).toBe('to_deliver_and_bill');
      expect(unbilledValue(placedOf(state))).toBe(600_00);
    });
    it('refuses billing more than delivered and not billed: InvoiceExceedsDelivered', () => {
      spec
        .given(...delivered)
        .when(bill({ lines: [{ lineId: 'L1', quantity: 5 }] }))
        .thenThrows('InvoiceExceedsDelivered');
      spec
        .given(...delivered, invoice('i0', [{ lineId: 'L1', quantity: 4, unitPrice: 100_00 }]))
        .when(bill({ lines: [{ lineId: 'L1', quantity: 1 }] }))
        .thenThrows('InvoiceExceedsDelivered');
    });
    it('refuses an invoice with nothing to bill: EmptyInvoice', () => {
      spec.given(placed, confirmed).when(bill()).thenThrows('EmptyInvoice');
      spec
        .given(...delivered)
        .when(bill({ lines: [] }))
        .thenThrows('EmptyInvoice');
    });
    it('refuses a repeated invoice id: DuplicateInvoice; bad terms: InvalidPaymentTerms', () => {
      spec
        .given(...delivered, invoice('i1', [{ lineId: 'L1', quantity: 1, unitPrice: 100_00 }]))
        .when(bill())
        .thenThrows('DuplicateInvoice', 'conflict');
      spec
        .given(...delivered)
        .when(bill({ paymentTermsDays: -1 }))
        .thenThrows('InvalidPaymentTerms');
    });
    it('bills at the repriced price after a rejected override', () => {
      const lowered: OrderEvent = { ...placed, data: { ...placed.data, lines: [{ ...line1, unitPrice: 90_00, priceApproval: null }] } };
      const rejected: OrderEvent = {
        type: 'PriceOverrideRejected',
        data: { overrideId: 'o-1-L1', orderId: 'o-1', lineId: 'L1', rejectedBy: 'm', reason: 'no', rejectedOn: TODAY, repricedTo: 100_00 },
      };
      const events = spec
        .given(lowered, confirmed, rejected, delivery('d1', [{ lineId: 'L1', quantity: 1 }]))
        .when(bill())
        .events();
      expect(events[0]).toMatchObject({ data: { amount: 100_00 } });
    });
  });

  describe('CancelOrder', () => {
    it('cancels only the undelivered quantity', () => {
      spec
        .given(placed, confirmed, delivery('d1', [{ lineId: 'L1', quantity: 4 }]))
        .when(cmd('CancelOrder', { reason: 'customer changed mind' }))
        .then([
          cancellation(
            [
              { lineId: 'L1', quantity: 6 },
              { lineId: 'L2', quantity: 5 },
            ],
            'customer changed mind',
          ),
        ]);
      spec
        .given(placed, confirmed, delivery('d1', [{ lineId: 'L1', quantity: 4 }]))
        .when(cmd('CancelOrder', { reason: 'x', lines: [{ lineId: 'L1', quantity: 7 }] }))
        .thenThrows('CancellationExceedsUndelivered');
    });
    it('a fully cancelled order is cancelled; nothing left: NothingToCancel', () => {
      const state = spec
        .given(placed, held)
        .when(cmd('CancelOrder', { reason: 'x' }))
        .then([
          cancellation([
            { lineId: 'L1', quantity: 10 },
            { lineId: 'L2', quantity: 5 },
          ]),
        ]);
      expect(orderStatus(placedOf(state))).toBe('cancelled');
      const all = [
        placed,
        confirmed,
        delivery('d1', [
          { lineId: 'L1', quantity: 10 },
          { lineId: 'L2', quantity: 5 },
        ]),
      ];
      spec
        .given(...all)
        .when(cmd('CancelOrder', { reason: 'x' }))
        .thenThrows('NothingToCancel', 'rule');
      spec
        .given(placed, confirmed)
        .when(cmd('CancelOrder', { reason: '' }))
        .thenThrows('ReasonRequired');
    });
  });

  describe('derived status', () => {
    it('walks to_deliver → to_deliver_and_bill → to_bill → completed', () => {
      const status = (...events: OrderEvent[]) => orderStatus(placedOf(spec.given(...events).state()));
      const d1 = delivery('d1', [{ lineId: 'L1', quantity: 10 }]);
      const d2 = delivery('d2', [{ lineId: 'L2', quantity: 5 }]);
      expect(status(placed, confirmed)).toBe('to_deliver_and_bill');
      expect(status(placed, confirmed, d1)).toBe('to_deliver_and_bill');
      expect(status(placed, confirmed, d1, d2)).toBe('to_bill');
      const i1 = invoice('i1', [
        { lineId: 'L1', quantity: 10, unitPrice: 100_00 },
        { lineId: 'L2', quantity: 5, unitPrice: 50_00 },
      ]);
      expect(status(placed, confirmed, d1, d2, i1)).toBe('completed');
    });
  });
});
