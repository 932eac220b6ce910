import { compareDates } from '@salesline/shared-kernel';
import { PriceListView } from './price-list';

export type PriceSource =
  | { kind: 'customer'; priceListId: string; minQuantity: number }
  | { kind: 'group'; priceListId: string; minQuantity: number }
  | { kind: 'list' };

export type ResolvePriceInput = Readonly<{
  product: { productId: string; listPrice: number; standardCost: number };
  priceLists: readonly PriceListView[];
  customer: { customerId: string; customerGroup: string | null };
  quantity: number;
  /** The business date the price is for (order/quote date). */
  date: string;
}>;

/**
 * `belowCostApprovedAtCost`: when the price comes from a list item an admin approved below cost,
 * the standard cost that approval knew; the approval covers the price while the cost stays at or
 * below it (ADR 0112). null otherwise.
 */
export type ResolvedPrice = { unitPrice: number; source: PriceSource; belowCostApprovedAtCost: number | null };

/** A list applies on `date` when validFrom ≤ date ≤ validTo (open-ended when null) and date < closedOn. */
export const isPriceListValidOn = (list: PriceListView, date: string): boolean =>
  compareDates(list.validFrom, date) <= 0 &&
  (list.validTo === null || compareDates(date, list.validTo) <= 0) &&
  (list.closedOn === null || compareDates(date, list.closedOn) < 0);

/** Overlapping lists at one level: the latest validFrom first, then priceListId for a stable order (ADR 0101). */
const byPrecedence = (a: PriceListView, b: PriceListView) =>
  compareDates(b.validFrom, a.validFrom) || (a.priceListId < b.priceListId ? -1 : 1);

/** The highest break whose minQuantity ≤ quantity for the product in this list, if any. */
export const applicableBreak = (list: PriceListView, productId: string, quantity: number) => {
  const item = list.items.find((i) => i.productId === productId);
  if (!item) return null;
  let best: { minQuantity: number; unitPrice: number } | null = null;
  for (const b of item.breaks) if (b.minQuantity <= quantity && (best === null || b.minQuantity > best.minQuantity)) best = b;
  return best;
};

/**
 * Price resolution (ADR 0101): customer-specific list valid on the date → customer-group list →
 * the product's list price. Within a level, lists are tried by precedence; the first that has a
 * break applying to the quantity wins; if none applies the next level is tried.
 */
export const resolvePrice = (input: ResolvePriceInput): ResolvedPrice => {
  const { product, priceLists, customer, quantity, date } = input;
  const valid = priceLists.filter((l) => isPriceListValidOn(l, date)).sort(byPrecedence);
  const levels = [
    {
      kind: 'customer' as const,
      lists: valid.filter((l) => l.scope.kind === 'customer' && l.scope.customerId === customer.customerId),
    },
    {
      kind: 'group' as const,
      lists: valid.filter(
        (l) => l.scope.kind === 'group' && customer.customerGroup !== null && l.scope.customerGroup === customer.customerGroup,
      ),
    },
  ];
  for (const level of levels) {
    for (const list of level.lists) {
      const b = applicableBreak(list, product.productId, quantity);
      if (b) {
        const approval = list.belowCostApprovals?.[product.productId];
        return {
          unitPrice: b.unitPrice,
          source: { kind: level.kind, priceListId: list.priceListId, minQuantity: b.minQuantity },
          belowCostApprovedAtCost: approval && b.unitPrice >= approval.lowestUnitPrice ? approval.standardCost : null,
        };
      }
    }
  }
  return { unitPrice: product.listPrice, source: { kind: 'list' }, belowCostApprovedAtCost: null };
};
