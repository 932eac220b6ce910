import { Injectable } from '@nestjs/common';
import { RequestContext } from '@salesline/core';

export type OrderLineRequest = Readonly<{
  lineId: string;
  productId: string;
  quantity: number;
  /** Omitted: the resolved price. Below the caller's floor: a price override is requested. */
  unitPrice?: number;
  overrideReason?: string | null;
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
 * appends OrderPlaced with its credit outcome. CONTRACT used by quote conversion; implemented by the lead.
 */
@Injectable()
export class OrderPlacement {
  async place(_request: PlaceOrderRequest, _ctx: RequestContext): Promise<OrderPlacementResult> {
    throw new Error('OrderPlacement.place is not implemented yet');
  }
}
