import {
  creditHoldReleased,
  foldPlacedOrder,
  goodsDelivered,
  orderConfirmed,
  placedOrder,
  putOnCreditHold,
} from '../testing/order-fixtures';
import { reservationAdjustment } from './order-state';
import { OrderEvent } from './order';

const fold = foldPlacedOrder;

const placed = placedOrder;
const confirmed = orderConfirmed(1000, 5000);
const held = putOnCreditHold(1000, 500);
const released = creditHoldReleased('fin');
const cancelled: OrderEvent = {
  type: 'OrderCancelled',
  data: { orderId: 'o-1', cancelledOn: '2025-03-03', reason: 'x', lines: [{ lineId: 'L1', quantity: 4 }] },
};

describe('How the credit reserved for an order follows it (reservationAdjustment)', () => {
  it('leaves a reservation that already matches the unbilled value', () => {
    expect(reservationAdjustment(fold(placed, confirmed), 1000)).toBeNull();
  });
  it('lowers it when part of the order is cancelled', () => {
    expect(reservationAdjustment(fold(placed, confirmed, cancelled), 1000)).toEqual({ amount: 600, forcedBy: null });
  });
  it('holds nothing to deliver for an order on credit hold', () => {
    expect(reservationAdjustment(fold(placed, held), 0)).toBeNull();
    expect(reservationAdjustment(fold(placed, held), 300)).toEqual({ amount: 0, forcedBy: null });
  });
  it('keeps goods delivered and not billed reserved while the order is held (they are with the customer)', () => {
    const delivered = goodsDelivered('d1', [{ lineId: 'L1', quantity: 3 }], '2025-03-02');
    const heldAtDelivery: OrderEvent = { ...held, data: { ...held.data, reason: 'recheck_at_delivery' } } as OrderEvent;
    expect(reservationAdjustment(fold(placed, confirmed, delivered, heldAtDelivery), 1000)).toEqual({ amount: 300, forcedBy: null });
  });
  it('forces the reservation up after a finance release; other growth goes to the account unforced (it checks the limit)', () => {
    expect(reservationAdjustment(fold(placed, held, released), 0)).toEqual({ amount: 1000, forcedBy: 'fin' });
    expect(reservationAdjustment(fold(placed, confirmed), 400)).toEqual({ amount: 1000, forcedBy: null });
  });
});
