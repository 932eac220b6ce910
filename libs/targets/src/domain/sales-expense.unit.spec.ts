import { Actor } from '@salesline/shared-kernel';
import { actor, command, deciderSpec } from '@salesline/shared-kernel/testing';
import { RecordSalesExpense, SalesExpenseCommand, SalesExpenseEvent } from './sales-expense';
import { budgetVsActual, expensesOf, salesExpenseDecider } from './sales-expense';

const spec = deciderSpec(salesExpenseDecider);
const ada = actor('e-1', 'salesperson');
const finance = actor('f-1', 'finance');
const cmd = <C extends SalesExpenseCommand>(type: C['type'], data: C['data'], by: Actor) =>
  command<C>(type, data, { actor: by, today: '2025-03-20' });

/** Ada's train ticket x-1 of 2025-03-18, in region north. */
const ticket = {
  expenseId: 'x-1',
  regionId: 'north',
  employeeId: 'e-1',
  amount: 12_500,
  spentOn: '2025-03-18',
  category: 'travel',
} as const;
const record = (over: Partial<RecordSalesExpense['data']> = {}, by: Actor = ada) =>
  cmd(
    'RecordSalesExpense',
    {
      ...ticket,
      note: ' Train to Bergen ',
      budget: { region: 100_000, person: 20_000 },
      settings: { salesExpenseOverBudget: 'warn' },
      ...over,
    },
    by,
  );
const recorded = (over: Partial<Extract<SalesExpenseEvent, { type: 'SalesExpenseRecorded' }>['data']> = {}): SalesExpenseEvent => ({
  type: 'SalesExpenseRecorded',
  data: {
    ...ticket,
    note: 'Train to Bergen',
    recordedBy: 'e-1',
    overBudget: [],
    ...over,
  },
});

describe('Sales expense decider', () => {
  describe('RecordSalesExpense', () => {
    it('records a salesperson’s own expense against region and person', () => {
      spec.given([]).when(record()).then([recorded()]);
    });
    it('lets finance record a regional expense without a person', () => {
      spec
        .given([])
        .when(record({ employeeId: null }, finance))
        .then([recorded({ employeeId: null, recordedBy: 'f-1' })]);
    });
    it('refuses a salesperson recording for someone else', () => {
      spec
        .given([])
        .when(record({ employeeId: 'e-2' }))
        .thenThrows('NotAllowedToRecordExpense', 'forbidden');
    });
    it('refuses a non-positive or fractional amount', () => {
      spec
        .given([])
        .when(record({ amount: 0 }))
        .thenThrows('InvalidExpenseAmount', 'rule');
      spec
        .given([])
        .when(record({ amount: 10.5 }))
        .thenThrows('InvalidExpenseAmount', 'rule');
    });
    it('refuses an unknown category', () => {
      spec
        .given([])
        .when(record({ category: 'golf' as never }))
        .thenThrows('InvalidExpenseCategory', 'rule');
    });
    it('refuses a future date, and a date outside the ledger’s year', () => {
      spec
        .given([])
        .when(record({ spentOn: '2025-03-21' }))
        .thenThrows('ExpenseDatedInFuture', 'rule');
      spec
        .given([recorded()])
        .when(record({ expenseId: 'x-2', spentOn: '2024-12-31' }))
        .thenThrows('ExpenseOutsideYear', 'rule');
    });
    it('refuses recording the same expense twice', () => {
      spec.given([recorded()]).when(record()).thenThrows('SalesExpenseAlreadyRecorded', 'conflict');
    });
    it('warns when an expense takes the person over budget (12 500 + 8 000 > 20 000)', () => {
      spec
        .given([recorded()])
        .when(record({ expenseId: 'x-2', amount: 8_000 }))
        .then([recorded({ expenseId: 'x-2', amount: 8_000, overBudget: ['person'] })]);
    });
    it('stays within budget at exactly the budget', () => {
      spec
        .given([recorded()])
        .when(record({ expenseId: 'x-2', amount: 7_500 }))
        .then([recorded({ expenseId: 'x-2', amount: 7_500 })]);
    });
    it('blocks an over-budget expense when configured', () => {
      spec
        .given([recorded()])
        .when(record({ expenseId: 'x-2', amount: 90_000, settings: { salesExpenseOverBudget: 'block' } }))
        .thenThrows('SalesExpenseBudgetExceeded', 'rule', { overBudget: ['region', 'person'] });
    });
    it('does not count a reversed expense against the budget', () => {
      spec
        .given([
          recorded(),
          { type: 'SalesExpenseReversed', data: { expenseId: 'x-1', reason: 'duplicate', reversedBy: 'f-1', reversedOn: '2025-03-19' } },
        ])
        .when(record({ expenseId: 'x-2', amount: 20_000, settings: { salesExpenseOverBudget: 'block' } }))
        .then([recorded({ expenseId: 'x-2', amount: 20_000 })]);
    });
    it('checks nothing when no budget is set', () => {
      spec
        .given([])
        .when(record({ amount: 1_000_000, budget: { region: null, person: null } }))
        .then([recorded({ amount: 1_000_000 })]);
    });
    it('refuses an invalid setting', () => {
      spec
        .given([])
        .when(record({ settings: { salesExpenseOverBudget: 'maybe' as never } }))
        .thenThrows('InvalidSetting', 'rule');
    });
  });

  describe('ReverseSalesExpense', () => {
    const reversed: SalesExpenseEvent = {
      type: 'SalesExpenseReversed',
      data: { expenseId: 'x-1', reason: 'Booked twice', reversedBy: 'f-1', reversedOn: '2025-03-20' },
    };
    it('reverses an expense with a reason', () => {
      spec
        .given([recorded()])
        .when(cmd('ReverseSalesExpense', { expenseId: 'x-1', reason: 'Booked twice' }, finance))
        .then([reversed]);
    });
    it('refuses a salesperson', () => {
      spec
        .given([recorded()])
        .when(cmd('ReverseSalesExpense', { expenseId: 'x-1', reason: 'oops' }, ada))
        .thenThrows('NotAllowedToReverseExpense', 'forbidden');
    });
    it('refuses an unknown or already reversed expense, and a missing reason', () => {
      spec
        .given([])
        .when(cmd('ReverseSalesExpense', { expenseId: 'x-1', reason: 'x' }, finance))
        .thenThrows('SalesExpenseNotFound', 'not_found');
      spec
        .given([recorded(), reversed])
        .when(cmd('ReverseSalesExpense', { expenseId: 'x-1', reason: 'x' }, finance))
        .thenThrows('SalesExpenseAlreadyReversed', 'conflict');
      spec
        .given([recorded()])
        .when(cmd('ReverseSalesExpense', { expenseId: 'x-1', reason: ' ' }, finance))
        .thenThrows('ReversalReasonRequired', 'rule');
    });
    it('leaves reversed expenses out of the facts', () => {
      expect(expensesOf(spec.given([recorded(), reversed]).state())).toEqual([]);
    });
  });

  it('budget vs actual', () => {
    expect(budgetVsActual(60_000, 20_000)).toEqual({ budget: 60_000, actual: 20_000, remaining: 40_000, usedBp: 3333 });
    expect(budgetVsActual(0, 500)).toEqual({ budget: 0, actual: 500, remaining: -500, usedBp: null });
  });
});
