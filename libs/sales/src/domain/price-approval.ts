import {
  Actor,
  forbidden,
  requireAmount,
  requireDate,
  requireId,
  requireQuantity,
  requireText,
  ruleViolation,
} from '@salesline/shared-kernel';
import { evaluatePriceFloor, FREE_OF_CHARGE_REASONS, FreeOfChargeReason, PriceFloorSettings, PriceSource } from '@salesline/pricing/domain';

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
  /** The resolved price is a list price an admin approved below cost, knowing this cost (ADR 0112). */
  resolvedBelowCostApprovedAtCost?: number | null;
  /** A zero price needs the line to be explicitly free of charge, for a named reason. */
  freeOfCharge?: FreeOfChargeReason | null;
}>;

/**
 * A zero price is refused unless the line is explicitly free of charge for a named reason
 * (ZeroPriceNotFreeOfCharge, InvalidFreeOfChargeReason); it then goes through the below-cost
 * approval like any price under cost (ADR 0112). Returns the reason (null for a priced line).
 */
export const freeOfChargeOf = (line: {
  lineId: string;
  unitPrice: number;
  freeOfCharge?: FreeOfChargeReason | null;
}): FreeOfChargeReason | null => {
  const reason = line.freeOfCharge ?? null;
  if (reason !== null && !FREE_OF_CHARGE_REASONS.includes(reason)) {
    throw ruleViolation('InvalidFreeOfChargeReason', `freeOfCharge must be one of ${FREE_OF_CHARGE_REASONS.join(', ')}`, {
      lineId: line.lineId,
    });
  }
  if (line.unitPrice === 0 && reason === null) {
    throw ruleViolation(
      'ZeroPriceNotFreeOfCharge',
      `line ${line.lineId}: a zero price needs the line to be free of charge, with a named reason`,
      { lineId: line.lineId },
    );
  }
  return reason;
};

/** The fields a quote's line and an order's line carry alike. */
export type SoldLine = {
  lineId: string;
  productId: string;
  quantity: number;
  unitPrice: number;
  resolvedUnitPrice: number;
  priceSource: PriceSource;
  unitCost: number;
};

/**
 * A quote's or an order's line, checked field by field in one order, so that both name the same first invalid field:
 * unitPrice and its free-of-charge mark, lineId, productId, quantity, the side's own prices (`ownPrices`, checked
 * here: the order's listPrice), resolvedUnitPrice, unitCost. The line's fields come in that order; the free-of-charge
 * reason (null for a priced line) is returned beside it, for the caller to add last.
 */
export const checkedSoldLine = <Own extends object>(
  l: SoldLine & { freeOfCharge?: FreeOfChargeReason | null },
  ownPrices: () => Own,
): { line: SoldLine & Own; freeOfCharge: FreeOfChargeReason | null } => {
  const unitPrice = requireAmount(l.unitPrice, 'unitPrice');
  const freeOfCharge = freeOfChargeOf({ lineId: l.lineId, unitPrice, freeOfCharge: l.freeOfCharge });
  const line = {
    lineId: requireId(l.lineId, 'lineId'),
    productId: requireId(l.productId, 'productId'),
    quantity: requireQuantity(l.quantity, 'quantity'),
    unitPrice,
    ...ownPrices(),
    resolvedUnitPrice: requireAmount(l.resolvedUnitPrice, 'resolvedUnitPrice'),
    priceSource: l.priceSource,
    unitCost: requireAmount(l.unitCost, 'unitCost'),
  };
  return { line, freeOfCharge };
};

/** What a price override request records, on a quote or an order (ADR 0102). */
export type OverrideRequestFacts = {
  lineId: string;
  /** The salesperson the attempt counts against (primary sales credit). */
  salespersonId: string;
  requestedBy: string;
  resolvedUnitPrice: number;
  requestedUnitPrice: number;
  discountBp: number;
  allowedBp: number | null;
  belowCost: boolean;
  reason: string | null;
  requestedOn: string;
};

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
    resolvedBelowCostApprovedAtCost: line.resolvedBelowCostApprovedAtCost ?? null,
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
    throw forbidden(
      'PriceOverrideApprovalForbidden',
      verdict.verdict === 'below_cost_needs_admin'
        ? 'only an admin may approve a price below cost'
        : `your roles allow at most ${verdict.allowedBp} bp`,
      {
        ...verdict,
      },
    );
  }
  return reason;
};

type DecidedOverride = { overrideId: string; lineId: string; resolvedUnitPrice: number };
export type OverrideApprovalFacts = { lineId: string; approvedBy: string; reason: string; approvedOn: string };
export type OverrideRejectionFacts = { lineId: string; rejectedBy: string; reason: string; rejectedOn: string; repricedTo: number };

/** The data of an approval; `document` names the quote or order the override belongs to. */
export const overrideApproval = <D extends object>(
  override: DecidedOverride,
  document: D,
  approver: Actor,
  reason: string,
  approvedOn: string | undefined,
  today: string,
): { overrideId: string } & D & OverrideApprovalFacts => ({
  overrideId: override.overrideId,
  ...document,
  lineId: override.lineId,
  approvedBy: approver.userId,
  reason,
  approvedOn: requireDate(approvedOn ?? today, 'approvedOn'),
});

/** The data of a rejection: it needs a reason and reprices the line at its resolved price. */
export const overrideRejection = <D extends object>(
  override: DecidedOverride,
  document: D,
  rejecter: Actor,
  data: { reason: string; rejectedOn?: string },
  today: string,
): { overrideId: string } & D & OverrideRejectionFacts => {
  const reason = requireText(data.reason, 'reason', 'ReasonRequired');
  const rejectedOn = requireDate(data.rejectedOn ?? today, 'rejectedOn');
  return {
    overrideId: override.overrideId,
    ...document,
    lineId: override.lineId,
    rejectedBy: rejecter.userId,
    reason,
    rejectedOn,
    repricedTo: override.resolvedUnitPrice,
  };
};
