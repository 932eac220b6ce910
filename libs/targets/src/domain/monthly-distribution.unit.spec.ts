import { parsePeriod } from './period';
import { monthlyTarget, monthlyTargets, periodTarget, quarterTarget } from './monthly-distribution';
import { MonthlyDistribution, TargetMeasures } from './target-measures';
import { EVEN_BP } from '../testing/target-fixtures';

const target = (figures: TargetMeasures, monthly: MonthlyDistribution) => ({ ...figures, monthly });

describe('monthly distribution', () => {
  it('splits by basis points without remainders when they divide evenly', () => {
    const t = target({ revenue: 1_000_000, quantity: 0, grossMargin: 0, expenseBudget: 0 }, { kind: 'percent', bp: EVEN_BP });
    expect(monthlyTargets(t).map((x) => x.revenue)).toEqual([
      83_400, 83_300, 83_300, 83_400, 83_300, 83_300, 83_400, 83_300, 83_300, 83_400, 83_300, 83_300,
    ]);
  });

  it('gives the remainders to the largest fractions (ties to the earlier month), so 12 months add up to the year', () => {
    // 7 × 834/10000 = 0.5838 (months 1, 4, 7, 10), 7 × 833/10000 = 0.5831 (the others): all floor to 0.
    // The 7 units go to months 1, 4, 7, 10 (0.5838), then 2, 3, 5 (0.5831, earliest first).
    const t = target({ revenue: 0, quantity: 7, grossMargin: 0, expenseBudget: 0 }, { kind: 'percent', bp: EVEN_BP });
    expect(monthlyTargets(t).map((x) => x.quantity)).toEqual([1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 0, 0]);
    expect(monthlyTarget(t, 6).quantity).toBe(0);
    expect([1, 2, 3, 4].map((q) => quarterTarget(t, q).quantity)).toEqual([3, 2, 1, 1]);
    expect(periodTarget(t, parsePeriod('2025')!).quantity).toBe(7);
    expect(periodTarget(t, parsePeriod('2025-Q2')!).quantity).toBe(2);
  });

  it('follows a seasonal distribution', () => {
    const bp = [500, 500, 700, 800, 900, 1000, 600, 500, 900, 1100, 1200, 1300];
    const t = target({ revenue: 120_000_00, quantity: 1000, grossMargin: 30_000_00, expenseBudget: 12_000_00 }, { kind: 'percent', bp });
    expect(monthlyTarget(t, 12)).toEqual({ revenue: 15_600_00, quantity: 130, grossMargin: 3_900_00, expenseBudget: 1_560_00 });
    expect(periodTarget(t, parsePeriod('2025-Q4')!)).toEqual({
      revenue: 43_200_00,
      quantity: 360,
      grossMargin: 10_800_00,
      expenseBudget: 4_320_00,
    });
  });

  it('uses explicit months as given and spreads the expense budget evenly', () => {
    const months = Array.from({ length: 12 }, (_, i) => ({ revenue: (i + 1) * 100, quantity: i + 1, grossMargin: (i + 1) * 10 }));
    const t = target({ revenue: 7_800, quantity: 78, grossMargin: 780, expenseBudget: 1_000 }, { kind: 'explicit', months });
    // 1000 / 12 = 83.33: 83 each, the 4 remaining cents to months 1-4.
    expect(monthlyTargets(t).map((x) => x.expenseBudget)).toEqual([84, 84, 84, 84, 83, 83, 83, 83, 83, 83, 83, 83]);
    expect(monthlyTarget(t, 3)).toEqual({ revenue: 300, quantity: 3, grossMargin: 30, expenseBudget: 84 });
    expect(periodTarget(t, parsePeriod('2025-Q1')!)).toEqual({ revenue: 600, quantity: 6, grossMargin: 60, expenseBudget: 252 });
  });

  it('refuses a month outside 1..12', () => {
    const t = target({ revenue: 1, quantity: 1, grossMargin: 1, expenseBudget: 1 }, { kind: 'percent', bp: EVEN_BP });
    expect(() => monthlyTarget(t, 13)).toThrow(expect.objectContaining({ code: 'InvalidMonth' }));
  });
});

describe('periods', () => {
  it.each([
    ['2025-02', '2025-02-01', '2025-02-28', [2]],
    ['2024-02', '2024-02-01', '2024-02-29', [2]],
    ['2025-Q4', '2025-10-01', '2025-12-31', [10, 11, 12]],
    ['2025', '2025-01-01', '2025-12-31', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]],
  ])('%s runs from %s to %s', (label, start, end, months) => expect(parsePeriod(label)).toMatchObject({ start, end, months }));
  it.each(['2025-13', '2025-Q5', '25', '2025-1'])('%s is not a period', (label) => expect(parsePeriod(label)).toBeNull());

  it('even: twelve equal months, the remainder one unit each to the earliest months (ADR 0213)', () => {
    const t = target({ revenue: 100_000_05, quantity: 100, grossMargin: 7, expenseBudget: 12 }, { kind: 'even' });
    const months = monthlyTargets(t);
    // 100 units: 8 each, the 4 left over to January–April.
    expect(months.map((x) => x.quantity)).toEqual([9, 9, 9, 9, 8, 8, 8, 8, 8, 8, 8, 8]);
    expect(months.map((x) => x.grossMargin)).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(months.reduce((s, x) => s + x.revenue, 0)).toBe(100_000_05);
    expect(months.map((x) => x.expenseBudget)).toEqual(Array(12).fill(1));
  });

  it('seasonal weights give exact integer months that add up to the year', () => {
    const weights = [8, 8, 9, 9, 9, 8, 6, 6, 9, 10, 9, 9];
    const t = target({ revenue: 1_000_000, quantity: 1_000, grossMargin: 300_000, expenseBudget: 50_000 }, { kind: 'seasonal', weights });
    const months = monthlyTargets(t);
    expect(months.map((x) => x.quantity)).toEqual([80, 80, 90, 90, 90, 80, 60, 60, 90, 100, 90, 90]);
    for (const measure of ['revenue', 'quantity', 'grossMargin', 'expenseBudget'] as const)
      expect(months.reduce((s, x) => s + x[measure], 0)).toBe(t[measure]);
    expect(periodTarget(t, parsePeriod('2025-Q4')!).quantity).toBe(280);
  });
});
