import fc from 'fast-check';
import { AssignmentInterval } from '@salesline/organization/domain';
import { addDays } from '@salesline/shared-kernel';
import { SalesExpenseFact } from './sales-expense';
import {
  CHILD_LEVEL,
  ParentLevel,
  ProgressRow,
  SalesFact,
  UNASSIGNED_CHILD,
  progressRow,
  salesProgress,
  salesProgressChildren,
} from './sales-progress';
import { periodTarget } from './monthly-distribution';
import { REVENUE_BASES } from './targets-settings';
import { TargetAssignment, TargetMeasures } from './target-measures';
import { TargetPlanView } from './target-plan';
import { requirePeriod } from './period';

/*
 * Drill-downs add up (ADR 0212): under any company, region or team, the children show only what was credited to
 * that parent in the period, so they add up to the parent's row — every figure, every basis, expenses — for
 * months, quarters and the year, whatever the organization, the transfers and the documents.
 */
const TEAMS: Record<string, string> = { 't-1': 'r-1', 't-2': 'r-1', 't-3': 'r-2' };
const PEOPLE = ['s-1', 's-2', 's-3', 's-4'];
const YEAR = 2025;
const dayOfYear = (n: number) => addDays(`${YEAR}-01-01`, n);

/** A history: optionally hired before the year, then up to three moves between teams, maybe leaving. */
const history = fc
  .record({
    startsAt: fc.integer({ min: -30, max: 200 }),
    moves: fc.array(fc.record({ after: fc.integer({ min: 1, max: 120 }), team: fc.constantFrom(...Object.keys(TEAMS)) }), { maxLength: 3 }),
    first: fc.constantFrom(...Object.keys(TEAMS)),
    leavesAfter: fc.option(fc.integer({ min: 1, max: 200 }), { nil: null }),
  })
  .map(({ startsAt, moves, first, leavesAfter }): AssignmentInterval[] => {
    const intervals: AssignmentInterval[] = [];
    let from = dayOfYear(startsAt);
    let team = first;
    for (const move of moves) {
      const until = addDays(from, move.after);
      intervals.push({ teamId: team, regionId: TEAMS[team], managerId: 'm', from, until });
      from = until;
      team = move.team;
    }
    intervals.push({
      teamId: team,
      regionId: TEAMS[team],
      managerId: 'm',
      from,
      until: leavesAfter === null ? null : addDays(from, leavesAfter),
    });
    return intervals;
  });

const fact = fc
  .record({
    kind: fc.constantFrom<SalesFact['kind']>('booked', 'delivered', 'invoiced', 'collected'),
    day: fc.integer({ min: 0, max: 364 }),
    creditBack: fc.integer({ min: 0, max: 60 }),
    amount: fc.integer({ min: -50_000, max: 500_000 }),
    quantity: fc.integer({ min: -5, max: 50 }),
    cost: fc.integer({ min: 0, max: 300_000 }),
    split: fc.option(fc.tuple(fc.constantFrom(...PEOPLE), fc.integer({ min: 1, max: 9_999 })), { nil: null }),
    person: fc.constantFrom(...PEOPLE),
  })
  .map(({ kind, day, creditBack, amount, quantity, cost, split, person }): Omit<SalesFact, 'factId'> => {
    const businessDate = dayOfYear(day);
    const credits =
      split && split[0] !== person
        ? [
            { employeeId: person, shareBp: 10_000 - split[1] },
            { employeeId: split[0], shareBp: split[1] },
          ]
        : [{ employeeId: person, shareBp: 10_000 }];
    return {
      kind,
      businessDate,
      creditDate: addDays(businessDate, -creditBack),
      amount,
      quantity,
      cost: Math.sign(amount) * Math.min(cost, Math.abs(amount)),
      credits,
    };
  });

const expense = fc
  .record({
    day: fc.integer({ min: 0, max: 364 }),
    amount: fc.integer({ min: 1, max: 90_000 }),
    region: fc.constantFrom('r-1', 'r-2'),
    person: fc.option(fc.constantFrom(...PEOPLE), { nil: null }),
  })
  .map(({ day, amount, region, person }): Omit<SalesExpenseFact, 'expenseId'> => ({
    regionId: region,
    employeeId: person,
    amount,
    spentOn: dayOfYear(day),
  }));

const measures = (revenue: number): TargetMeasures => ({
  revenue,
  quantity: revenue % 997,
  grossMargin: Math.floor(revenue / 3),
  expenseBudget: revenue % 10_007,
});
const node = (nodeKind: TargetAssignment['nodeKind'], nodeId: string, parentId: string, revenue: number): TargetAssignment => ({
  nodeKind,
  nodeId,
  parentKind: nodeKind === 'region' ? 'company' : nodeKind === 'team' ? 'region' : 'team',
  parentId,
  ...measures(revenue),
  monthly: { kind: 'percent', bp: [700, 900, 800, 850, 850, 800, 750, 900, 850, 800, 900, 900] },
});
const plan: TargetPlanView = {
  year: YEAR,
  company: measures(9_000_000),
  nodes: [
    node('region', 'r-1', 'company', 4_000_000),
    node('region', 'r-2', 'company', 4_000_000),
    ...Object.entries(TEAMS).map(([t, r]) => node('team', t, r, 1_000_000)),
    ...PEOPLE.map((p, i) => node('salesperson', p, Object.keys(TEAMS)[i % 3], 250_003 + i * 7_919)),
  ],
};

const FIGURES = (row: ProgressRow) => ({ ...row.actual, expenses: row.expenses.actual });
const ZERO = {
  ordersBooked: 0,
  revenueDelivered: 0,
  revenueInvoiced: 0,
  cashCollected: 0,
  revenue: 0,
  quantity: 0,
  grossMargin: 0,
  expenses: 0,
};
const sum = (rows: readonly ProgressRow[]) =>
  rows.reduce<Record<string, number>>(
    (acc, r) => {
      for (const [k, v] of Object.entries(FIGURES(r))) acc[k] += v;
      return acc;
    },
    { ...ZERO },
  );

describe('sales-progress drill-down (property)', () => {
  it('children add up to their parent for every figure, basis and period, at every level', () => {
    fc.assert(
      fc.property(
        fc.tuple(...PEOPLE.map(() => history)),
        fc.array(fact, { maxLength: 40 }),
        fc.array(expense, { maxLength: 10 }),
        fc.constantFrom(`${YEAR}-03`, `${YEAR}-07`, `${YEAR}-Q2`, `${YEAR}-Q3`, String(YEAR)),
        fc.constantFrom(...REVENUE_BASES),
        (histories, rawFacts, rawExpenses, period, revenueBasis) => {
          const assignments = Object.fromEntries(PEOPLE.map((p, i) => [p, histories[i]]));
          const input = {
            period,
            asOf: `${YEAR}-12-31`,
            facts: rawFacts.map((f, i) => ({ ...f, factId: `f-${i}` })),
            expenses: rawExpenses.map((e, i) => ({ ...e, expenseId: `x-${i}` })),
            assignments,
            plan,
            settings: { revenueBasis },
          };
          const report = salesProgress(input);
          const parents: [ParentLevel, string][] = [
            ['company', 'company'],
            ['region', 'r-1'],
            ['region', 'r-2'],
            ...Object.keys(TEAMS).map((t): [ParentLevel, string] => ['team', t]),
          ];
          for (const [level, nodeId] of parents) {
            const parentRow = progressRow(report, level, nodeId);
            const children = salesProgressChildren(input, { level, nodeId });
            expect(children.every((c) => c.level === CHILD_LEVEL[level])).toBe(true);
            expect([level, nodeId, sum(children)]).toEqual([level, nodeId, parentRow ? FIGURES(parentRow) : ZERO]);
          }
          // The children's targets are the parent's shares in the cascade: they add up to what the plan gives the parent's children.
          const p = requirePeriod(period);
          for (const [level, nodeId] of parents.filter(([l]) => l !== 'company')) {
            const planned = plan.nodes
              .filter((n) => n.nodeKind === CHILD_LEVEL[level] && n.parentId === nodeId)
              .reduce((s, n) => s + periodTarget(n, p).revenue, 0);
            const ids = level === 'region' ? Object.keys(TEAMS) : PEOPLE;
            const shown = salesProgressChildren(input, { level, nodeId }, ids).reduce((s, c) => s + (c.target?.revenue ?? 0), 0);
            expect([nodeId, shown]).toEqual([nodeId, planned]);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a salesperson transferred mid-month shows under each team only what that team was credited; the target stays where the plan puts it', () => {
    const assignments: Record<string, AssignmentInterval[]> = {
      's-1': [
        { teamId: 't-1', regionId: 'r-1', managerId: 'm', from: '2025-01-01', until: '2025-03-11' },
        { teamId: 't-3', regionId: 'r-2', managerId: 'm', from: '2025-03-11', until: null },
      ],
    };
    const only = [{ employeeId: 's-1', shareBp: 10_000 }];
    const input = {
      period: '2025-03',
      asOf: '2025-03-31',
      facts: [
        { factId: 'o-1', kind: 'booked' as const, businessDate: '2025-03-05', amount: 100_000, quantity: 10, cost: 60_000, credits: only },
        { factId: 'o-2', kind: 'booked' as const, businessDate: '2025-03-20', amount: 40_000, quantity: 4, cost: 20_000, credits: only },
        {
          factId: 'x-1',
          kind: 'booked' as const,
          businessDate: '2025-03-25',
          amount: 7_000,
          quantity: 1,
          cost: 0,
          credits: [{ employeeId: 's-9', shareBp: 10_000 }],
        },
      ],
      assignments,
      plan,
      settings: { revenueBasis: 'booked' as const },
    };
    const [underT1] = salesProgressChildren(input, { level: 'team', nodeId: 't-1' });
    const [underT3] = salesProgressChildren(input, { level: 'team', nodeId: 't-3' });
    expect([underT1.nodeId, underT1.actual.ordersBooked, underT3.actual.ordersBooked]).toEqual(['s-1', 100_000, 40_000]);
    // March target of s-1 (planned under t-1): 250 003 × 800 / 10000 = 20 000.24 → 20 000; none under t-3.
    expect([underT1.target?.revenue, underT3.target?.revenue]).toEqual([20_000, 0]);
    // s-9 has no assignment: under the company it is the unassigned child.
    const regions = salesProgressChildren(input, { level: 'company', nodeId: 'company' }, ['r-1', 'r-2']);
    expect(regions.map((r) => [r.nodeId, r.actual.ordersBooked])).toEqual([
      [UNASSIGNED_CHILD, 7_000],
      ['r-1', 100_000],
      ['r-2', 40_000],
    ]);
  });
});
