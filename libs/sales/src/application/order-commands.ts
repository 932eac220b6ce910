import { CommandResult, defineAggregate, RouteTarget, RoutedCommand } from '@salesline/core';
import { FreeOfChargeReason } from '@salesline/pricing';
import { CommandInput } from '@salesline/shared-kernel';
import { OrderCommand, orderDecider, OrderState, orderStatus, orderStream, PlaceOrder } from '../domain';
import type { OrderRoutes } from './order-command-handler';

/** The order aggregate: `order-<id>`, started by PlaceOrder; any other command on a missing order is 404 OrderNotFound. */
export const ORDER = defineAggregate({
  streamName: orderStream,
  decider: orderDecider,
  notFound: { code: 'OrderNotFound', unless: ['PlaceOrder'] },
});

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

/** An order as a caller places it (HTTP, quote conversion): lines not yet priced, no credit facts. */
export type PlaceOrderRequest = Readonly<{
  orderId: string;
  customerId: string;
  orderDate: string;
  quoteId: string | null;
  /** null: all of it to the customer's owner, read with the customer's terms (the one read of the customer file). */
  salesCredit: { salespersonId: string; shareBp: number }[] | null;
  lines: OrderLineRequest[];
}>;

/**
 * What a caller says for each order command: the handler adds the facts (ADR 0100) just before
 * deciding: prices, credit and sales-credit standing for a placement; settings, credit, payment terms
 * for the others.
 */
export type OrderRequest =
  | { type: 'PlaceOrder'; data: PlaceOrderRequest }
  | CommandInput<Exclude<OrderCommand, PlaceOrder>, 'credit' | 'settings' | 'paymentTermsDays'>;

/** One message on the CommandBus for every order command (placement, approvals, deliveries, returns, invoices, holds). */
export class ExecuteOrderCommand extends RoutedCommand<OrderRoutes> {}
export type OrderTarget = RouteTarget<OrderRoutes>;
export type OrderResult = CommandResult<OrderState>;

/** The order's status in an answer: its derived status, `none` before it is placed. */
export const orderAnswerStatus = (state: OrderState): string => (state.status === 'placed' ? orderStatus(state) : 'none');
