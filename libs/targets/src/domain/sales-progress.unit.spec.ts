import { AssignmentInterval } from '@salesline/organization/domain';
import { splitCredit } from './credit-split';
import { SalesExpenseFact } from './sales-expense';
import { SalesFact, progressRow, runRateForecast, salesProgress } from './sales-progress';
import { TargetAssignment, TargetMeasures } from './target-measures';
import { TargetPlanView } from './target-plan';
import { evenMonths, targetFigures } from '../testing/target-fixtures';

/*
 * The 2025 scenario, hand-computed.
 * - Ada (e-1) sells in team t-n1 (region north) all year.
 * - Ben (e-2) is in t-n1 until 30 June and transferred to t-s1 (region south) effective 1 July.
 * - Cy (e-3) sells in t-s1 all year.
 * Monthly weights 834/833/833 per quarter: every quarter is exactly 25 % of the year.
 */
const even = evenMonths;
const m = targetFigures;
const node = (nodeKind: TargetAssignment['nodeKind'], nodeId: string, parentId: string, figures: TargetMeasures): TargetAssignment => ({
  nodeKind,
  nodeId,
  parentKind: nodeKind === 'region' ? 'company' : nodeKind === 'team' ? 'region' : 'team',
  parentId,
  ...figures,
  monthly: even,
});
const plan: TargetPlanView = {
  year: 2025,
  company: m(2_400_000, 240, 720_000, 120_000),
  nodes: [
    node('region', 'north', 'company', m(1_200_000, 120, 360_000, 60_000)),
    node('region', 'south', 'company', m(1_200_000, 120, 360_000, 60_000)),
    node('team', 't-n1', 'north', m(1_200_000, 120, 360_000, 60_000)),
    node('team', 't-s1', 'south', m(1_200_000, 120, 360_000, 60_000)),
    node('salesperson', 'e-1', 't-n1', m(1_200_000, 120, 360_000, 60_000)),
    node('salesperson', 'e-2', 't-s1', m(600_000, 60, 180_000, 30_000)),
    node('salesperson', 'e-3', 't-s1', m(600_000, 60, 180_000, 30_000)),
  ],
};
const assignments: Record<string, AssignmentInterval[]> = {
  'e-1': [{ teamId: 't-n1', regionId: 'north', managerId: 'm-1', from: '2024-01-01', until: null }],
  'e-2': [
    { teamId: 't-n1', regionId: 'north', managerId: 'm-1', from: '2024-03-01', until: '2025-07-01' },
    { teamId: 't-s1', regionId: 'south', managerId: 'm-2', from: '2025-07-01', until: null },
  ],
  'e-3': [{ teamId: 't-s1', regionId: 'south', managerId: 'm-2', from: '2024-01-01', until: null }],
};
const only = (employeeId: string) => [{ employeeId, shareBp: 10_000 }];
const facts: SalesFact[] = [
  { factId: 'inv-1', kind: 'invoiced', businessDate: '2025-03-10', amount: 200_000, quantity: 20, cost: 120_000, credits: only('e-1') },
  { factId: 'pay-1', kind: 'collected', businessDate: '2025-04-01', amount: 200_000, quantity: 0, cost: 0, credits: only('e-1') },
  { factId: 'inv-2', kind: 'invoiced', businessDate: '2025-06-20', amount: 150_000, quantity: 15, cost: 90_000, credits: only('e-2') }, // Ben, still north
  { factId: 'inv-3', kind: 'invoiced', businessDate: '2025-07-15', amount: 90_000, quantity: 9, cost: 50_000, credits: only('e-2') }, // Ben, now south
  // Split credit across teams: Ada 2/3, Cy 1/3 of 100 001, 7 units, margin 60 001.
  {
    factId: 'inv-4',
    kind: 'invoiced',
    businessDate: '2025-08-05',
    amount: 100_001,
    quantity: 7,
    cost: 40_000,
    credits: [
      { employeeId: 'e-1', shareBp: 6667 },
      { employeeId: 'e-3', shareBp: 3333 },
    ],
  },
  // A return: credit note on Ben's June invoice, dated September, so credited to south (his team that day).
  { factId: 'cn-1', kind: 'invoiced', businessDate: '2025-09-10', amount: -30_000, quantity: -3, cost: -18_000, credits: only('e-2') },
  { factId: 'ord-9', kind: 'booked', businessDate: '2025-09-20', amount: 500_000, quantity: 50, cost: 300_000, credits: only('e-1') },
  { factId: 'inv-10', kind: 'invoiced', businessDate: '2025-10-05', amount: 1_000_000, quantity: 100, cost: 0, credits: only('e-1') }, // after asOf
];
const expenses: SalesExpenseFact[] = [
  { expenseId: 'x-1', regionId: 'north', employeeId: 'e-1', amount: 20_000, spentOn: '2025-02-01' },
  { expenseId: 'x-2', regionId: 'south', employeeId: 'e-2', amount: 15_000, spentOn: '2025-08-01' },
  { expenseId: 'x-3', regionId: 'north', employeeId: null, amount: 5_000, spentOn: '2025-05-05' },
  { expenseId: 'x-4', regionId: 'north', employeeId: 'e-2', amount: 4_000, spentOn: '2025-06-10' },
  { expenseId: 'x-5', regionId: 'north', employeeId: 'e-1', amount: 9_999, spentOn: '2025-10-02' }, // after asOf
];

describe('sales credit split', () => {
  it('splits amount, quantity and margin so the parts add up exactly', () =>
    // 100 001 × 0.6667 = 66 670.67, × 0.3333 = 33 330.33 → the spare cent to the larger remainder (Ada).
    // 7 × 0.6667 = 4.67, × 0.3333 = 2.33 → 5 and 2.   60 001 → 40 003 and 19 998.
    expect(splitCredit({ ...facts[4], grossMargin: 60_001 })).toEqual([
      { employeeId: 'e-1', amount: 66_671, quantity: 5, grossMargin: 40_003 },
      { employeeId: 'e-3', amount: 33_330, quantity: 2, grossMargin: 19_998 },
    ]));
  it('splits a full credit note as the mirror of its invoice', () =>
    expect(splitCredit({ ...facts[4], amount: -100_001, quantity: -7, grossMargin: -60_001 })).toEqual([
      { employeeId: 'e-1', amount: -66_671, quantity: -5, grossMargin: -40_003 },
      { employeeId: 'e-3', amount: -33_330, quantity: -2, grossMargin: -19_998 },
    ]));
  it('refuses shares that do not sum to 10000 bp, duplicates, or no credit', () => {
    const bad = (credits: SalesFact['credits']) => () => splitCredit({ factId: 'x', amount: 1, quantity: 1, grossMargin: 1, credits });
    expect(bad([{ employeeId: 'e-1', shareBp: 5000 }])).toThrow(
      expect.objectContaining({ code: 'SalesCreditSplitInvalid', details: { factId: 'x', total: 5000 } }),
    );
    expect(
      bad([
        { employeeId: 'e-1', shareBp: 5000 },
        { employeeId: 'e-1', shareBp: 5000 },
      ]),
    ).toThrow(expect.objectContaining({ code: 'SalesCreditSplitInvalid' }));
    expect(bad([])).toThrow(expect.objectContaining({ code: 'SalesCreditSplitInvalid' }));
  });
});

describe('sales progress, year 2025 as of 30 September (273 of 365 days)', () => {
  const report = salesProgress({ period: '2025', asOf: '2025-09-30', facts, assignments, plan, expenses });

  it('reports the period frame', () => {
    expect(report).toMatchObject({
      period: '2025',
      asOf: '2025-09-30',
      revenueBasis: 'invoiced',
      periodDays: 365,
      elapsedDays: 273,
      unattributed: [],
    });
    expect(report.rows.map((r) => `${r.level}:${r.nodeId}`)).toEqual([
      'company:company',
      'region:north',
      'region:south',
      'team:t-n1',
      'team:t-s1',
      'salesperson:e-1',
      'salesperson:e-2',
      'salesperson:e-3',
    ]);
  });

  it('Ada: her invoice plus 2/3 of the split; booked orders and cash apart; forecast 266 671 × 365 / 273', () =>
    expect(progressRow(report, 'salesperson', 'e-1')).toEqual({
      level: 'salesperson',
      nodeId: 'e-1',
      target: m(1_200_000, 120, 360_000, 60_000),
      actual: {
        ordersBooked: 500_000,
        revenueDelivered: 0,
        revenueInvoiced: 266_671,
        cashCollected: 200_000,
        revenue: 266_671,
        quantity: 25,
        grossMargin: 120_003,
      },
      achievementBp: { revenue: 2222, quantity: 2083, grossMargin: 3333 },
      forecast: { revenue: 356_538, quantity: 33, grossMargin: 160_444 },
      expenses: { budget: 60_000, actual: 20_000, remaining: 40_000, usedBp: 3333 },
    }));

  it('Ben (transferred): all his sales and the return count for him', () =>
    expect(progressRow(report, 'salesperson', 'e-2')).toMatchObject({
      actual: { revenue: 150_000 + 90_000 - 30_000, quantity: 15 + 9 - 3, grossMargin: 60_000 + 40_000 - 12_000 },
      achievementBp: { revenue: 3500, quantity: 3500, grossMargin: 4889 },
      forecast: { revenue: 280_769, quantity: 28, grossMargin: 117_656 },
      expenses: { budget: 30_000, actual: 19_000, remaining: 11_000, usedBp: 6333 },
    }));

  it('Cy: 1/3 of the split', () =>
    expect(progressRow(report, 'salesperson', 'e-3')).toMatchObject({
      actual: { revenue: 33_330, quantity: 2, grossMargin: 19_998 },
      achievementBp: { revenue: 556, quantity: 333, grossMargin: 1111 },
      forecast: { revenue: 44_562, quantity: 3, grossMargin: 26_737 },
      expenses: { budget: 30_000, actual: 0, remaining: 30_000, usedBp: 0 },
    }));

  it('team t-n1 keeps Ben’s June sale; the return dated September goes to t-s1', () => {
    expect(progressRow(report, 'team', 't-n1')).toMatchObject({
      actual: { revenue: 200_000 + 66_671 + 150_000, quantity: 20 + 5 + 15, grossMargin: 80_000 + 40_003 + 60_000 },
      // The target follows Ben (ADR 0215): t-n1 holds Ada's year and Ben's January–June (300 000, 30, 90 000, 15 000),
      // 1 500 000 / 150 / 450 000 / 75 000; t-s1 Cy's year and Ben's July–December, 900 000 / 90 / 270 000 / 45 000.
      target: m(1_500_000, 150, 450_000, 75_000),
      achievementBp: { revenue: 2778, quantity: 2667, grossMargin: 4000 },
      forecast: { revenue: 557_088, quantity: 53, grossMargin: 240_663 },
      // Ada's 20 000 and Ben's 4 000 spent while he was in t-n1; the region's own 5 000 belongs to no team.
      expenses: { budget: 75_000, actual: 24_000, remaining: 51_000, usedBp: 3200 },
    });
    expect(progressRow(report, 'team', 't-s1')).toMatchObject({
      actual: { revenue: 90_000 - 30_000 + 33_330, quantity: 9 - 3 + 2, grossMargin: 40_000 - 12_000 + 19_998 },
      target: m(900_000, 90, 270_000, 45_000),
      // 93 330 / 900 000, 8 / 90, 47 998 / 270 000, 15 000 / 45 000
      achievementBp: { revenue: 1037, quantity: 889, grossMargin: 1778 },
      forecast: { revenue: 124_782, quantity: 11, grossMargin: 64_173 },
      expenses: { budget: 45_000, actual: 15_000, remaining: 30_000, usedBp: 3333 },
    });
  });

  it('regions follow their teams; region expenses include unassigned regional spend', () => {
    expect(progressRow(report, 'region', 'north')).toMatchObject({
      actual: { revenue: 416_671, quantity: 40, grossMargin: 180_003 },
      target: m(1_500_000, 150, 450_000, 75_000),
      expenses: { budget: 75_000, actual: 29_000, remaining: 46_000, usedBp: 3867 },
    });
    expect(progressRow(report, 'region', 'south')).toMatchObject({
      target: m(900_000, 90, 270_000, 45_000),
      actual: { revenue: 93_330, quantity: 8, grossMargin: 47_998 },
    });
  });

  it('the company adds up to every document exactly once, and ignores what happened after asOf', () =>
    expect(progressRow(report, 'company', 'company')).toEqual({
      level: 'company',
      nodeId: 'company',
      target: m(2_400_000, 240, 720_000, 120_000),
      actual: {
        ordersBooked: 500_000,
        revenueDelivered: 0,
        revenueInvoiced: 510_001,
        cashCollected: 200_000,
        revenue: 510_001,
        quantity: 48,
        grossMargin: 228_001,
      },
      achievementBp: { revenue: 2125, quantity: 2000, grossMargin: 3167 },
      forecast: { revenue: 681_869, quantity: 64, grossMargin: 304_837 },
      expenses: { budget: 120_000, actual: 44_000, remaining: 76_000, usedBp: 3667 },
    }));
});

/** A row's revenue: its target, actual, achievement (bp) and forecast. */
const revenueFigures = (target: number, actual: number, achievementBp: number, forecast: number) => ({
  target: { revenue: target },
  actual: { revenue: actual },
  achievementBp: { revenue: achievementBp },
  forecast: { revenue: forecast },
});

describe('sales progress for a month and a quarter', () => {
  it('August as of the 15th: 15 of 31 days; the company month target is the sum of its regions’', () => {
    const report = salesProgress({ period: '2025-08', asOf: '2025-08-15', facts, assignments, plan, expenses });
    expect(report.elapsedDays).toBe(15);
    // Ada's August target: 1 200 000 × 833 bp = 99 960. 66 671 / 99 960 = 66.70 %; 66 671 × 31 / 15 = 137 786.7.
    expect(progressRow(report, 'salesperson', 'e-1')).toMatchObject(revenueFigures(99_960, 66_671, 6670, 137_787));
    expect(progressRow(report, 'company', 'company')).toMatchObject({
      target: { revenue: 199_920, expenseBudget: 9_996 },
      actual: { revenue: 100_001 },
      achievementBp: { revenue: 5002 },
      forecast: { revenue: 206_669 },
      expenses: { actual: 15_000 },
    });
  });

  it('Q3 as of 15 August: 46 of 92 days; Ben counts for t-s1 from July', () => {
    const report = salesProgress({ period: '2025-Q3', asOf: '2025-08-15', facts, assignments, plan, expenses });
    expect(report.elapsedDays).toBe(46);
    expect(progressRow(report, 'salesperson', 'e-2')).toMatchObject(revenueFigures(150_000, 90_000, 6000, 180_000));
    expect(progressRow(report, 'team', 't-s1')).toMatchObject(revenueFigures(300_000, 123_330, 4111, 246_660));
    expect(progressRow(report, 'team', 't-n1')).toMatchObject({ actual: { revenue: 66_671 } });
  });

  it('measures on another revenue basis when configured', () => {
    const report = salesProgress({ period: '2025-Q3', asOf: '2025-09-30', facts, assignments, plan, settings: { revenueBasis: 'booked' } });
    expect(progressRow(report, 'salesperson', 'e-1')).toMatchObject({
      actual: { revenue: 500_000, quantity: 50, grossMargin: 200_000, revenueInvoiced: 66_671 },
      forecast: { revenue: 500_000 },
    });
  });
});

describe('sales progress edge rules', () => {
  it('credits a credit note to the invoice’s organization when it carries the invoice date', () => {
    const returned: SalesFact = { ...facts[5], creditDate: '2025-06-20' };
    const report = salesProgress({ period: '2025', asOf: '2025-12-31', facts: [facts[2], returned], assignments, plan });
    expect(progressRow(report, 'team', 't-n1')!.actual.revenue).toBe(120_000);
    expect(progressRow(report, 'team', 't-s1')!.actual.revenue).toBe(0);
  });

  it('counts a sale by someone without an assignment that day for them and the company only', () => {
    const report = salesProgress({
      period: '2025',
      asOf: '2025-12-31',
      facts: [{ factId: 'inv-x', kind: 'invoiced', businessDate: '2025-02-01', amount: 1_000, quantity: 1, cost: 0, credits: only('e-9') }],
      assignments,
      plan,
    });
    expect(report.unattributed).toEqual([{ factId: 'inv-x', employeeId: 'e-9' }]);
    expect(progressRow(report, 'salesperson', 'e-9')).toMatchObject({
      target: null,
      actual: { revenue: 1_000 },
      achievementBp: { revenue: null },
    });
    expect(progressRow(report, 'company', 'company')!.actual.revenue).toBe(1_000);
  });

  it('has no targets for another year’s plan, and no forecast before the period starts', () => {
    const report = salesProgress({ period: '2026-01', asOf: '2025-12-31', facts, assignments, plan });
    expect(progressRow(report, 'company', 'company')).toMatchObject({
      target: null,
      forecast: { revenue: null },
      achievementBp: { revenue: null },
    });
  });

  it('refuses an unknown period', () =>
    expect(() => salesProgress({ period: '2025-W01', asOf: '2025-12-31', facts, assignments, plan })).toThrow(
      expect.objectContaining({ code: 'InvalidPeriod' }),
    ));

  it('run-rate: actual over elapsed days times period days', () => {
    expect(runRateForecast(100, 10, 30)).toBe(300);
    expect(runRateForecast(-100, 7, 30)).toBe(-429);
    expect(runRateForecast(100, 30, 30)).toBe(100);
    expect(runRateForecast(100, 0, 30)).toBeNull();
  });
});
