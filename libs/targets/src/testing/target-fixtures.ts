import { MonthlyDistribution, TargetMeasures } from '../domain/target-measures';

/** Monthly weights in bp (834/833/833 a quarter) that make every quarter exactly 25 % of the year. */
export const EVEN_BP = [834, 833, 833, 834, 833, 833, 834, 833, 833, 834, 833, 833];
export const evenMonths: MonthlyDistribution = { kind: 'percent', bp: EVEN_BP };

/** Target figures: revenue and gross margin in minor units, quantity, expense budget in minor units. */
export const targetFigures = (revenue: number, quantity: number, grossMargin: number, expenseBudget: number): TargetMeasures => ({
  revenue,
  quantity,
  grossMargin,
  expenseBudget,
});
