/**
 * Monthly distribution of an annual target (ADR 0204): 12 basis-point weights, or 12 explicit months.
 * Weighted months are split with largest remainders so the 12 months add up to the year exactly.
 */
import { Minor, allocateByWeights, ruleViolation, sumMinor } from '@salesline/shared-kernel';
import { Period } from './period';
import { MonthlyDistribution, TargetMeasures, ZERO_MEASURES, addMeasures } from './target-measures';

const EVEN = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];

const invalid = (message: string, details?: Record<string, unknown>) => ruleViolation('MonthlyDistributionInvalid', message, details);

export const validateMonthlyDistribution = (monthly: MonthlyDistribution, annual: TargetMeasures): MonthlyDistribution => {
  switch (monthly?.kind) {
    case 'percent': {
      const bp = monthly.bp;
      if (!Array.isArray(bp) || bp.length !== 12) throw invalid('A percent distribution has exactly 12 monthly weights');
      if (bp.some((w) => !Number.isInteger(w) || w < 0)) throw invalid('Monthly weights are non-negative integers in basis points');
      const total = sumMinor(bp);
      if (total !== 10_000) throw invalid(`Monthly weights must sum to 10000 bp (100 %), not ${total}`, { total });
      return { kind: 'percent', bp: [...bp] };
    }
    case 'explicit': {
      const months = monthly.months;
      if (!Array.isArray(months) || months.length !== 12) throw invalid('An explicit distribution has exactly 12 months');
      for (const measure of ['revenue', 'quantity', 'grossMargin'] as const) {
        if (months.some((m) => !Number.isSafeInteger(m[measure]) || m[measure] < 0))
          throw invalid(`Monthly ${measure} figures are non-negative integers`, { measure });
        const total = sumMinor(months.map((m) => m[measure]));
        if (total !== annual[measure])
          throw invalid(`The 12 months' ${measure} add up to ${total}, not the annual ${annual[measure]}`, { measure, total, annual: annual[measure] });
      }
      return { kind: 'explicit', months: months.map((m) => ({ revenue: m.revenue, quantity: m.quantity, grossMargin: m.grossMargin })) };
    }
    default:
      throw invalid("monthly.kind must be 'percent' or 'explicit'");
  }
};

/** The 12 monthly targets of an annual target; each measure's months add up to the annual figure exactly. */
export const monthlyTargets = (annual: TargetMeasures & { monthly: MonthlyDistribution }): TargetMeasures[] => {
  const split = (amount: Minor, weights: readonly number[]) => allocateByWeights(amount, weights);
  if (annual.monthly.kind === 'percent') {
    const w = annual.monthly.bp;
    const [revenue, quantity, grossMargin, expenseBudget] = [annual.revenue, annual.quantity, annual.grossMargin, annual.expenseBudget].map((a) => split(a, w));
    return EVEN.map((_, i) => ({ revenue: revenue[i], quantity: quantity[i], grossMargin: grossMargin[i], expenseBudget: expenseBudget[i] }));
  }
  const expense = split(annual.expenseBudget, EVEN);
  return annual.monthly.months.map((m, i) => ({ revenue: m.revenue, quantity: m.quantity, grossMargin: m.grossMargin, expenseBudget: expense[i] }));
};

/** The target of one month (1..12). */
export const monthlyTarget = (annual: TargetMeasures & { monthly: MonthlyDistribution }, month: number): TargetMeasures => {
  if (!Number.isInteger(month) || month < 1 || month > 12) throw ruleViolation('InvalidMonth', 'month must be 1..12', { month });
  return monthlyTargets(annual)[month - 1];
};

/** The target of a month, quarter or year (sum of its months). */
export const periodTarget = (annual: TargetMeasures & { monthly: MonthlyDistribution }, period: Period): TargetMeasures => {
  const months = monthlyTargets(annual);
  return period.months.reduce((sum, m) => addMeasures(sum, months[m - 1]), ZERO_MEASURES);
};

/** Sum of the three months of quarter q (1..4). */
export const quarterTarget = (annual: TargetMeasures & { monthly: MonthlyDistribution }, quarter: number): TargetMeasures => {
  const months = monthlyTargets(annual);
  return [0, 1, 2].reduce((sum, k) => addMeasures(sum, months[3 * (quarter - 1) + k]), ZERO_MEASURES);
};
