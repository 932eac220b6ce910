import { Role } from '@salesline/shared-kernel';

/**
 * Price-floor policy (ADR 0102): "the sales price shall not be lowered without the permission of
 * the manager". A discount is measured against the RESOLVED price (price list / list price).
 *  - at or above the resolved price: allowed for anyone;
 *  - below it: allowed when the discount fits the best allowance among the actor's roles
 *    (`maxDiscountBpByRole`; a role not configured allows 0 bp; admin is unlimited above cost);
 *  - below standard cost: only admin, and only with a reason.
 * Anything not allowed becomes a price override request, recorded against the salesperson.
 */
export type PriceFloorSettings = Readonly<{ maxDiscountBpByRole: Readonly<Partial<Record<Role, number>>> }>;

export const DEFAULT_PRICE_FLOOR_SETTINGS: PriceFloorSettings = { maxDiscountBpByRole: { salesperson: 0, sales_manager: 1000 } };

export type PriceFloorInput = Readonly<{
  resolvedUnitPrice: number;
  offeredUnitPrice: number;
  standardCost: number;
  actorRoles: readonly Role[];
  settings: PriceFloorSettings;
  /** Required for an admin to sell below cost. */
  reason?: string | null;
  /** The resolved price is a list price an admin approved below cost knowing this cost (ADR 0112). */
  resolvedBelowCostApprovedAtCost?: number | null;
}>;

export type PriceFloorVerdict =
  | { verdict: 'allowed' }
  | { verdict: 'needs_approval'; discountBp: number; allowedBp: number }
  | { verdict: 'below_cost_needs_admin'; discountBp: number };

/** Discount in basis points of the resolved price, rounded UP so it is never understated. */
export const discountBasisPoints = (resolvedUnitPrice: number, offeredUnitPrice: number): number => {
  if (offeredUnitPrice >= resolvedUnitPrice || resolvedUnitPrice <= 0) return 0;
  const num = BigInt(resolvedUnitPrice - offeredUnitPrice) * 10_000n;
  const den = BigInt(resolvedUnitPrice);
  return Number((num + den - 1n) / den);
};

/** The largest discount (bp) the roles may grant alone; Infinity for admin. */
export const allowedDiscountBp = (roles: readonly Role[], settings: PriceFloorSettings): number =>
  roles.includes('admin') ? Number.POSITIVE_INFINITY : Math.max(0, ...roles.map((r) => settings.maxDiscountBpByRole[r] ?? 0));

export const evaluatePriceFloor = (input: PriceFloorInput): PriceFloorVerdict => {
  const { resolvedUnitPrice, offeredUnitPrice, standardCost, actorRoles, settings } = input;
  const discountBp = discountBasisPoints(resolvedUnitPrice, offeredUnitPrice);
  // The cost floor holds on every path (ADR 0112): also at the resolved price, unless that price is a
  // list price an admin approved below cost for a cost at least as high as today's.
  if (offeredUnitPrice < standardCost) {
    const approvedList = offeredUnitPrice >= resolvedUnitPrice && (input.resolvedBelowCostApprovedAtCost ?? -1) >= standardCost;
    if (approvedList) return { verdict: 'allowed' };
    const hasReason = typeof input.reason === 'string' && input.reason.trim() !== '';
    return actorRoles.includes('admin') && hasReason ? { verdict: 'allowed' } : { verdict: 'below_cost_needs_admin', discountBp };
  }
  if (offeredUnitPrice >= resolvedUnitPrice) return { verdict: 'allowed' };
  const allowed = allowedDiscountBp(actorRoles, settings);
  // exact integer comparison: (resolved − offered) / resolved ≤ allowed / 10000
  const fits = allowed === Number.POSITIVE_INFINITY || (resolvedUnitPrice - offeredUnitPrice) * 10_000 <= allowed * resolvedUnitPrice;
  return fits ? { verdict: 'allowed' } : { verdict: 'needs_approval', discountBp, allowedBp: allowed };
};
