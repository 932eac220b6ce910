/**
 * Monthly distribution of an annual target (ADR 0204, 0213): 12 basis-point weights, 12 explicit months, even
 * months, or 12 seasonal weights. Weighted months are split with largest remainders (ties to the earlier month)
 * so the 12 months add up to the year exactly: `even` gives the remainder one unit each to the earliest months.
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
          throw invalid(`The 12 months' ${measure} add up to ${total}, not the annual ${annual[measure]}`, {
            measure,
            total,
            annual: annual[measure],
          });
      }
      return { kind: 'explicit', months: months.map((m) => ({ revenue: m.revenue, quantity: m.quantity, grossMargin: m.grossMargin })) };
    }
    case 'even':
      return { kind: 'even' };
    case 'seasonal': {
      const weights = monthly.weights;
      if (!Array.isArray(weights) || weights.length !== 12) throw invalid('A seasonal distribution has exactly 12 monthly weights');
      if (weights.some((w) => !Number.isSafeInteger(w) || w < 0 || w > 1_000_000))
        throw invalid('Seasonal weights are integers from 0 to 1000000');
      if (sumMinor(weights) === 0) throw invalid('At least one seasonal weight is above 0');
      return { kind: 'seasonal', weights: [...weights] };
    }
    default:
      throw invalid("monthly.kind must be 'percent', 'explicit', 'even' or 'seasonal'");
  }
};

/** The 12 monthly targets of an annual target; each measure's months add up to the annual figure exactly. */
export const monthlyTargets = (annual: TargetMeasures & { monthly: MonthlyDistribution }): TargetMeasures[] => {
  const split = (amount: Minor, weights: readonly number[]) => allocateByWeights(amount, weights);
  if (annual.monthly.kind !== 'explicit') {
    const w = annual.monthly.kind === 'percent' ? annual.monthly.bp : annual.monthly.kind === 'seasonal' ? annual.monthly.weights : EVEN;
    const [revenue, quantity, grossMargin, expenseBudget] = [annual.revenue, annual.quantity, annual.grossMargin, annual.expenseBudget].map(
      (a) => split(a, w),
    );
    return EVEN.map((_, i) => ({
      revenue: revenue[i],
      quantity: quantity[i],
      grossMargin: grossMargin[i],
      expenseBudget: expenseBudget[i],
    }));
  }
  const expense = split(annual.expenseBudget, EVEN);
  return annual.monthly.months.map((m, i) => ({
    revenue: m.revenue,
    quantity: m.quantity,
    grossMargin: m.grossMargin,
    expenseBudget: expense[i],
  }));
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
