/**
 * Credit check policy (ADR 0104). Exposure is what the customer would owe us if everything
 * confirmed were billed now:
 *   exposure = open receivables + confirmed-but-unbilled orders + this order − unallocated deposits
 * ("unallocated deposits" is all customer money on account not yet allocated: deposits, payments,
 * and credit-note excess). A credit limit of 0 means cash terms; null means no limit.
 */
export type ExposureInput = Readonly<{
  openReceivables: number;
  confirmedUnbilledOrders: number;
  thisOrder: number;
  unallocatedDeposits: number;
}>;

export const computeExposure = (i: ExposureInput): number =>
  i.openReceivables + i.confirmedUnbilledOrders + i.thisOrder - i.unallocatedDeposits;

/** The facts a handler passes to a decider that runs a credit check (read from the customer account). */
export type CreditFacts = Readonly<{
  /** null: no limit; 0: cash terms (no credit). */
  creditLimit: number | null;
  /** Exposure of the customer WITHOUT this order (its own reservation excluded). */
  exposureBeforeOrder: number;
  customerBlocked: boolean;
}>;

/** Why an order waits: a check at placing (limit, blocked), or a recheck when goods would leave again (delivery, replacement of a return). */
export type CreditHoldReason = 'credit_limit_exceeded' | 'customer_blocked' | 'recheck_at_delivery' | 'recheck_at_replacement';

export type CreditDecision =
  | { decision: 'approved'; exposure: number; creditLimit: number | null }
  | { decision: 'hold'; reason: 'credit_limit_exceeded' | 'customer_blocked'; exposure: number; creditLimit: number | null };

/** Blocked customers are always held; otherwise hold when exposure with this order exceeds the limit. */
export const creditDecision = (facts: CreditFacts & { orderAmount: number }): CreditDecision => {
  const exposure = facts.exposureBeforeOrder + facts.orderAmount;
  if (facts.customerBlocked) return { decision: 'hold', reason: 'customer_blocked', exposure, creditLimit: facts.creditLimit };
  if (facts.creditLimit !== null && exposure > facts.creditLimit) {
    return { decision: 'hold', reason: 'credit_limit_exceeded', exposure, creditLimit: facts.creditLimit };
  }
  return { decision: 'approved', exposure, creditLimit: facts.creditLimit };
};
