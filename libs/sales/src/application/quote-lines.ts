import { FreeOfChargeReason, PricedLine } from '@salesline/pricing';
import { conflict } from '@salesline/shared-kernel';
import { QuoteLineInput } from '../domain/quote';

/** A quote line as the salesperson asks for it: the price defaults to the resolved one. */
export type RequestedQuoteLine = Readonly<{
  lineId?: string;
  productId: string;
  quantity: number;
  unitPrice?: number;
  overrideReason?: string | null;
  freeOfCharge?: FreeOfChargeReason | null;
}>;

/**
 * Line ids the caller leaves out are numbered by position, so a revision keeps them stable. Lines are numbered `L1, L2, …` on quotes and orders alike, so a line keeps its id from quote to return (ADR 0113).
 */
export const defaultLineId = (index: number) => `L${index + 1}`;

/**
 * The decider's line from what was asked and what the price book says: the resolved price and
 * its source, and the standard cost (the floor's reference). A discontinued product is not quoted.
 */
export const quoteLineInput = (requested: RequestedQuoteLine, index: number, priced: PricedLine): QuoteLineInput => {
  if (priced.product.discontinued) {
    throw conflict('ProductDiscontinued', `product ${requested.productId} is discontinued and cannot be quoted`, {
      productId: requested.productId,
    });
  }
  return {
    lineId: requested.lineId ?? defaultLineId(index),
    productId: requested.productId,
    quantity: requested.quantity,
    unitPrice: requested.unitPrice ?? priced.resolved.unitPrice,
    resolvedUnitPrice: priced.resolved.unitPrice,
    priceSource: priced.resolved.source,
    unitCost: priced.product.standardCost,
    overrideReason: requested.overrideReason ?? null,
    resolvedBelowCostApprovedAtCost: priced.resolved.belowCostApprovedAtCost ?? null,
    ...(requested.freeOfCharge ? { freeOfCharge: requested.freeOfCharge } : {}),
  };
};
