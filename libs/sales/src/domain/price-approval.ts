import { Actor, forbidden, ruleViolation } from '@salesline/shared-kernel';
import { evaluatePriceFloor, PriceFloorSettings } from '@salesline/pricing/domain';

/**
 * How a line's price meets the price floor (ADR 0102), shared by quotes and orders.
 * A line the actor may not grant alone becomes an override request; it is recorded against the
 * salesperson whatever happens next, so appraisal can count below-floor attempts.
 */
export type PricedLine = Readonly<{
  lineId: string;
  unitPrice: number;
  resolvedUnitPrice: number;
  unitCost: number;
  /** The salesperson's justification; for an admin selling below cost it is the required reason. */
  overrideReason?: string | null;
}>;

export type OverrideNeed = { discountBp: number; allowedBp: number | null; belowCost: boolean };

/** null when the actor may sell the line at its price; otherwise what the override request records. */
export const overrideNeeded = (line: PricedLine, actor: Actor, settings: PriceFloorSettings): OverrideNeed | null => {
  const verdict = evaluatePriceFloor({
    resolvedUnitPrice: line.resolvedUnitPrice,
    offeredUnitPrice: line.unitPrice,
    standardCost: line.unitCost,
    actorRoles: actor.roles,
    settings,
    reason: line.overrideReason ?? null,
  });
  switch (verdict.verdict) {
    case 'allowed':
      return null;
    case 'needs_approval':
      return { discountBp: verdict.discountBp, allowedBp: verdict.allowedBp, belowCost: false };
    case 'below_cost_needs_admin':
      return { discountBp: verdict.discountBp, allowedBp: null, belowCost: true };
  }
};

/** The approver must be allowed to sell at that price themselves (admin + reason below cost). */
export const assertMayApproveOverride = (
  override: { resolvedUnitPrice: number; requestedUnitPrice: number; unitCost: number },
  approver: Actor,
  reason: string | undefined | null,
  settings: PriceFloorSettings,
): string => {
  if (typeof reason !== 'string' || reason.trim() === '') throw ruleViolation('ReasonRequired', 'an approval needs a reason');
  const verdict = evaluatePriceFloor({
    resolvedUnitPrice: override.resolvedUnitPrice,
    offeredUnitPrice: override.requestedUnitPrice,
    standardCost: override.unitCost,
    actorRoles: approver.roles,
    settings,
    reason,
  });
  if (verdict.verdict !== 'allowed') {
    throw forbidden('PriceOverrideApprovalForbidden', verdict.verdict === 'below_cost_needs_admin' ? 'only an admin may approve a price below cost' : `your roles allow at most ${verdict.allowedBp} bp`, {
      ...verdict,
    });
  }
  return reason;
};
