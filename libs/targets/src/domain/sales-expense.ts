/**
 * Sales expense decider — stream `sales-expenses-<year>`: the year's sales expenses recorded against the
 * budget by region and person (ADR 0205). Corrections are reversals, never edits.
 */
import type { BasisPoints, BusinessDate, Command, Decider, DomainEvent, Minor } from '@salesline/shared-kernel';
import { assertNever, compareDates, conflict, forbidden, hasAnyRole, isBusinessDate } from '@salesline/shared-kernel';
import { isValidId, notFound, ratioInBasisPoints, ruleViolation, sumMinor, withEntry } from '@salesline/shared-kernel';
import { Period, businessDateOr, isWithin, yearOfDate } from './period';
import { TargetsSettings, validateTargetsSettings } from './targets-settings';

export const salesExpensesStreamName = (year: number): string => `sales-expenses-${year}`;

export const EXPENSE_CATEGORIES = [
  'travel',
  'accommodation',
  'entertainment',
  'samples',
  'advertising',
  'trade_show',
  'training',
  'communication',
  'other',
] as const;
export type ExpenseCategory = (typeof EXPENSE_CATEGORIES)[number];

// ── Events ───────────────────────────────────────────────────────────────────
export type SalesExpenseRecorded = DomainEvent<
  'SalesExpenseRecorded',
  {
    expenseId: string;
    regionId: string;
    employeeId: string | null;
    amount: Minor;
    spentOn: BusinessDate;
    category: ExpenseCategory;
    note: string;
    recordedBy: string;
    /** Budgets this expense took over (warn mode), empty when within budget. */
    overBudget: readonly ('region' | 'person')[];
  }
>;
export type SalesExpenseReversed = DomainEvent<
  'SalesExpenseReversed',
  { expenseId: string; reason: string; reversedBy: string; reversedOn: BusinessDate }
>;
export type SalesExpenseEvent = SalesExpenseRecorded | SalesExpenseReversed;

// ── Commands ─────────────────────────────────────────────────────────────────
/** Annual budgets from the target plan, read by the application (ADR 0200); null when none is set. */
export type ExpenseBudgetFact = Readonly<{ region: Minor | null; person: Minor | null }>;

/** The expense as it will be recorded, less what the decider adds (who recorded it, which budgets it took over). */
export type RecordSalesExpense = Command<
  'RecordSalesExpense',
  Omit<SalesExpenseRecorded['data'], 'recordedBy' | 'overBudget'> & {
    budget: ExpenseBudgetFact;
    settings: Pick<TargetsSettings, 'salesExpenseOverBudget'>;
  }
>;
/** `reversedOn`: the business date of the reversal (default today, never in the future). */
export type ReverseSalesExpense = Command<'ReverseSalesExpense', { expenseId: string; reason: string; reversedOn?: BusinessDate }>;
export type SalesExpenseCommand = RecordSalesExpense | ReverseSalesExpense;

// ── State ────────────────────────────────────────────────────────────────────
export type SalesExpenseRecord = SalesExpenseRecorded['data'] & Readonly<{ reversed: boolean }>;
export type SalesExpenseState =
  Readonly<{ status: 'none' }> | Readonly<{ status: 'recording'; year: number; expenses: Readonly<Record<string, SalesExpenseRecord>> }>;

export const initialSalesExpenseState = (): SalesExpenseState => ({ status: 'none' });

// ── Decide ───────────────────────────────────────────────────────────────────
const spent = (expenses: readonly SalesExpenseRecord[], match: (e: SalesExpenseRecord) => boolean): Minor =>
  sumMinor(expenses.filter((e) => !e.reversed && match(e)).map((e) => e.amount));

export const decideSalesExpense = (command: SalesExpenseCommand, state: SalesExpenseState): SalesExpenseEvent[] => {
  const { actor, today } = command.context;
  switch (command.type) {
    case 'RecordSalesExpense': {
      const d = command.data;
      const own = d.employeeId !== null && d.employeeId === actor.userId && hasAnyRole(actor, 'salesperson');
      if (!own && !hasAnyRole(actor, 'sales_manager', 'finance'))
        throw forbidden('NotAllowedToRecordExpense', 'A salesperson records their own expenses; sales managers and finance record any');
      if (!isValidId(d.expenseId) || !isValidId(d.regionId) || (d.employeeId !== null && !isValidId(d.employeeId)))
        throw ruleViolation('InvalidExpense', 'expenseId, regionId and employeeId must be ids');
      if (!Number.isSafeInteger(d.amount) || d.amount <= 0)
        throw ruleViolation('InvalidExpenseAmount', 'amount must be a positive integer of minor units');
      if (!EXPENSE_CATEGORIES.includes(d.category))
        throw ruleViolation('InvalidExpenseCategory', `category must be one of ${EXPENSE_CATEGORIES.join(', ')}`);
      if (typeof d.note !== 'string' || d.note.length > 2000)
        throw ruleViolation('InvalidExpense', 'note must be text (at most 2000 characters)');
      if (!isBusinessDate(d.spentOn)) throw ruleViolation('InvalidExpense', 'spentOn must be a business date');
      if (compareDates(d.spentOn, today) > 0)
        throw ruleViolation('ExpenseDatedInFuture', 'An expense cannot be recorded before it is spent');
      if (state.status === 'recording') {
        if (yearOfDate(d.spentOn) !== state.year)
          throw ruleViolation('ExpenseOutsideYear', `This ledger is for ${state.year}`, { year: state.year });
        if (state.expenses[d.expenseId]) throw conflict('SalesExpenseAlreadyRecorded', `Expense ${d.expenseId} is already recorded`);
      }
      const { salesExpenseOverBudget } = validateTargetsSettings({ revenueBasis: 'invoiced', ...d.settings });
      const all = state.status === 'recording' ? Object.values(state.expenses) : [];
      const overBudget: ('region' | 'person')[] = [];
      if (d.budget.region !== null && spent(all, (e) => e.regionId === d.regionId) + d.amount > d.budget.region) overBudget.push('region');
      if (
        d.employeeId !== null &&
        d.budget.person !== null &&
        spent(all, (e) => e.employeeId === d.employeeId) + d.amount > d.budget.person
      )
        overBudget.push('person');
      if (overBudget.length > 0 && salesExpenseOverBudget === 'block')
        throw ruleViolation('SalesExpenseBudgetExceeded', `The expense exceeds the ${overBudget.join(' and ')} sales expense budget`, {
          overBudget,
        });
      return [
        {
          type: 'SalesExpenseRecorded',
          data: {
            expenseId: d.expenseId,
            regionId: d.regionId,
            employeeId: d.employeeId,
            amount: d.amount,
            spentOn: d.spentOn,
            category: d.category,
            note: d.note.trim(),
            recordedBy: actor.userId,
            overBudget,
          },
        },
      ];
    }
    case 'ReverseSalesExpense': {
      if (!hasAnyRole(actor, 'sales_manager', 'finance'))
        throw forbidden('NotAllowedToReverseExpense', 'Only a sales manager or finance may reverse an expense');
      const expense = state.status === 'recording' ? state.expenses[command.data.expenseId] : undefined;
      if (!expense) throw notFound('SalesExpenseNotFound', `No expense ${command.data.expenseId}`);
      if (expense.reversed) throw conflict('SalesExpenseAlreadyReversed', `Expense ${expense.expenseId} is already reversed`);
      if (typeof command.data.reason !== 'string' || command.data.reason.trim() === '')
        throw ruleViolation('ReversalReasonRequired', 'A reversal needs a reason');
      return [
        {
          type: 'SalesExpenseReversed',
          data: {
            expenseId: expense.expenseId,
            reason: command.data.reason.trim(),
            reversedBy: actor.userId,
            reversedOn: businessDateOr(command.data.reversedOn, today, 'reversedOn', 'InvalidSalesExpense'),
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

// ── Evolve ───────────────────────────────────────────────────────────────────
export const evolveSalesExpense = (state: SalesExpenseState, event: SalesExpenseEvent): SalesExpenseState => {
  switch (event.type) {
    case 'SalesExpenseRecorded': {
      const expenses = state.status === 'recording' ? state.expenses : {};
      const year = state.status === 'recording' ? state.year : yearOfDate(event.data.spentOn);
      return { status: 'recording', year, expenses: withEntry(expenses, event.data.expenseId, { ...event.data, reversed: false }) };
    }
    case 'SalesExpenseReversed': {
      if (state.status !== 'recording') return state;
      const expense = state.expenses[event.data.expenseId];
      return expense ? { ...state, expenses: withEntry(state.expenses, expense.expenseId, { ...expense, reversed: true }) } : state;
    }
    default:
      return assertNever(event);
  }
};

export const salesExpenseDecider: Decider<SalesExpenseState, SalesExpenseCommand, SalesExpenseEvent> = {
  decide: decideSalesExpense,
  evolve: evolveSalesExpense,
  initialState: initialSalesExpenseState,
};

// ── Pure read-side helpers ───────────────────────────────────────────────────
/** An expense as the budget calculations read it (feed from SalesExpenseRecorded minus reversed ones). */
export type SalesExpenseFact = Readonly<{
  expenseId: string;
  regionId: string;
  employeeId: string | null;
  amount: Minor;
  spentOn: BusinessDate;
}>;

export const expensesOf = (state: SalesExpenseState): SalesExpenseFact[] =>
  state.status === 'recording' ? Object.values(state.expenses).filter((e) => !e.reversed) : [];

export type BudgetVsActual = Readonly<{ budget: Minor; actual: Minor; remaining: Minor; usedBp: BasisPoints | null }>;

export const budgetVsActual = (budget: Minor, actual: Minor): BudgetVsActual => ({
  budget,
  actual,
  remaining: budget - actual,
  usedBp: budget === 0 ? null : ratioInBasisPoints(actual, budget),
});

export const expensesWithin = (expenses: readonly SalesExpenseFact[], period: Period): SalesExpenseFact[] =>
  expenses.filter((e) => isWithin(period, e.spentOn));
