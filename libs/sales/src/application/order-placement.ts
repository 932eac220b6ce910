import { forwardRef, Inject, Injectable } from '@nestjs/common';
import { RequestContext } from '@salesline/core';
import { FreeOfChargeReason } from '@salesline/pricing';
import { orderStatus } from '../domain/order-state';
import { Orders } from './orders';

export type OrderLineRequest = Readonly<{
  lineId: string;
  productId: string;
  quantity: number;
  /** Omitted: the resolved price. Below the caller's floor: a price override is requested. */
  unitPrice?: number;
  overrideReason?: string | null;
  /** A zero price is accepted only on a line free of charge for a named reason (ADR 0112). */
  freeOfCharge?: FreeOfChargeReason | null;
  preApproved?: { overrideId: string; approvedBy: string; approvedUnitPrice: number } | null;
}>;

export type PlaceOrderRequest = Readonly<{
  orderId: string;
  customerId: string;
  orderDate: string;
  quoteId: string | null;
  salesCredit: { salespersonId: string; shareBp: number }[];
  lines: OrderLineRequest[];
}>;

export type OrderPlacementResult = { id: string; position: number; status: string; replayed: boolean };

/**
 * Places an order: prices each line (PriceBook), reserves credit on the customer's account, and
 * appends OrderPlaced with its credit outcome (Orders.place). Quote conversion uses it too.
 */
@Injectable()
export class OrderPlacement {
  constructor(@Inject(forwardRef(() => Orders)) private readonly orders: Orders) {}

  place(request: PlaceOrderRequest, ctx: RequestContext): Promise<OrderPlacementResult> {
    return this.orders.place(request, ctx);
  }

  /** The derived status of an order already placed. */
  async statusOf(orderId: string): Promise<string> {
    return orderStatus(await this.orders.load(orderId));
  }
}
