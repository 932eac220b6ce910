/**
 * Sales credit splits (ADR 0207): a document may credit several salespeople with shares in basis points
 * summing to 10000. Amount, quantity and margin are each split by largest remainder, so the parts add up exactly.
 */
import { BasisPoints, Minor, allocateByWeights, isValidId, ruleViolation, sumMinor } from '@salesline/shared-kernel';

export type SalesCredit = Readonly<{ employeeId: string; shareBp: BasisPoints }>;
export type CreditedShare = Readonly<{ employeeId: string; amount: Minor; quantity: number; grossMargin: Minor }>;

export const validateCredits = (credits: readonly SalesCredit[], factId: string): readonly SalesCredit[] => {
  if (!credits || credits.length === 0) throw ruleViolation('SalesCreditSplitInvalid', `Document ${factId} credits nobody`, { factId });
  if (credits.some((c) => !isValidId(c.employeeId) || !Number.isInteger(c.shareBp) || c.shareBp <= 0))
    throw ruleViolation('SalesCreditSplitInvalid', `Document ${factId}: each credit names a salesperson and a positive share in bp`, {
      factId,
    });
  if (new Set(credits.map((c) => c.employeeId)).size !== credits.length)
    throw ruleViolation('SalesCreditSplitInvalid', `Document ${factId} credits a salesperson twice`, { factId });
  const total = sumMinor(credits.map((c) => c.shareBp));
  if (total !== 10_000)
    throw ruleViolation('SalesCreditSplitInvalid', `Document ${factId}: credit shares sum to ${total} bp, not 10000`, { factId, total });
  return credits;
};

/**
 * allocateByWeights on the magnitude, sign restored: a credit note for -x splits exactly as the invoice for +x
 * did, so a full return brings every salesperson back to zero.
 */
export const allocateSymmetric = (amount: number, weights: readonly number[]): number[] =>
  amount < 0 ? allocateByWeights(-amount, weights).map((part) => (part === 0 ? 0 : -part)) : allocateByWeights(amount, weights);

/** Split a document's amount, quantity and margin among its credited salespeople, exactly. */
export const splitCredit = (
  fact: Readonly<{ factId: string; amount: Minor; quantity: number; grossMargin: Minor; credits: readonly SalesCredit[] }>,
): CreditedShare[] => {
  const credits = validateCredits(fact.credits, fact.factId);
  const weights = credits.map((c) => c.shareBp);
  const amounts = allocateSymmetric(fact.amount, weights);
  const quantities = allocateSymmetric(fact.quantity, weights);
  const margins = allocateSymmetric(fact.grossMargin, weights);
  return credits.map((c, i) => ({ employeeId: c.employeeId, amount: amounts[i], quantity: quantities[i], grossMargin: margins[i] }));
};
