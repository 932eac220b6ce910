/**
 * Sales plan decider — stream `sales-plan-<employeeId>-<period>`: a salesperson's plan for a month or quarter
 * (customers to visit, planned visits, expected orders, strategy), approved or returned by a manager (ADR 0206).
 */
import type { BusinessDate, Command, Decider, DomainEvent, Minor } from '@salesline/shared-kernel';
import {
  assertNever,
  compareDates,
  conflict,
  forbidden,
  hasAnyRole,
  isValidId,
  notFound,
  requireStatus,
  ruleViolation,
} from '@salesline/shared-kernel';
import { businessDateOr, requirePeriod } from './period';

export const salesPlanStreamName = (employeeId: string, period: string): string => `sales-plan-${employeeId}-${period}`;

/** An order the salesperson expects in the period. */
export type ExpectedOrder = Readonly<{
  /** The customer expected to order, when named. */
  customerId?: string;
  /** The product expected, when named. */
  productId?: string;
  amount: Minor;
  /** Quantity expected (units). */
  quantity: number;
}>;
export type SalesPlanContent = Readonly<{
  customersToVisit: readonly string[];
  plannedVisits: number;
  expectedOrders: readonly ExpectedOrder[];
  strategy: string;
}>;

// ── Events ───────────────────────────────────────────────────────────────────
export type SalesPlanSubmitted = DomainEvent<
  'SalesPlanSubmitted',
  SalesPlanContent & { planId: string; employeeId: string; period: string; version: number; submittedOn: BusinessDate }
>;
export type SalesPlanApproved = DomainEvent<
  'SalesPlanApproved',
  { planId: string; version: number; approvedBy: string; comments: string; approvedOn: BusinessDate }
>;
export type SalesPlanReturned = DomainEvent<
  'SalesPlanReturned',
  { planId: string; version: number; returnedBy: string; comments: string; returnedOn: BusinessDate }
>;
export type SalesPlanEvent = SalesPlanSubmitted | SalesPlanApproved | SalesPlanReturned;

// ── Commands ─────────────────────────────────────────────────────────────────
/** Business dates (default today) let a past period's plan be entered as it happened; a plan is still submitted before its period ends. */
export type SubmitSalesPlan = Command<
  'SubmitSalesPlan',
  SalesPlanContent & { planId: string; employeeId: string; period: string; submittedOn?: BusinessDate }
>;
export type ApproveSalesPlan = Command<'ApproveSalesPlan', { comments?: string; approvedOn?: BusinessDate }>;
export type ReturnSalesPlan = Command<'ReturnSalesPlan', { comments: string; returnedOn?: BusinessDate }>;
export type SalesPlanCommand = SubmitSalesPlan | ApproveSalesPlan | ReturnSalesPlan;

// ── State ────────────────────────────────────────────────────────────────────
type Submitted = SalesPlanSubmitted['data'];
export type SalesPlanState =
  | Readonly<{ status: 'none' }>
  | (Submitted & { status: 'submitted' })
  | (Submitted & { status: 'returned'; lastReturn: SalesPlanReturned['data'] })
  | (Submitted & { status: 'approved'; approval: SalesPlanApproved['data'] });

export const initialSalesPlanState = (): SalesPlanState => ({ status: 'none' });

// ── Decide ───────────────────────────────────────────────────────────────────
const validateContent = (d: SubmitSalesPlan['data']): SalesPlanContent => {
  if (!Array.isArray(d.customersToVisit) || d.customersToVisit.some((c) => !isValidId(c)))
    throw ruleViolation('InvalidSalesPlan', 'customersToVisit must be a list of customer ids');
  const customers = [...new Set(d.customersToVisit)];
  if (!Number.isInteger(d.plannedVisits) || d.plannedVisits < 0)
    throw ruleViolation('InvalidSalesPlan', 'plannedVisits must be a non-negative integer');
  if (d.plannedVisits < customers.length)
    throw ruleViolation('PlannedVisitsTooFew', `${customers.length} customers to visit need at least as many planned visits`, {
      customers: customers.length,
      plannedVisits: d.plannedVisits,
    });
  if (!Array.isArray(d.expectedOrders)) throw ruleViolation('InvalidSalesPlan', 'expectedOrders must be a list');
  const expectedOrders = d.expectedOrders.map((o, index): ExpectedOrder => {
    if (o.customerId === undefined && o.productId === undefined)
      throw ruleViolation('ExpectedOrderUnspecified', 'An expected order names a customer, a product, or both', { index });
    if ((o.customerId !== undefined && !isValidId(o.customerId)) || (o.productId !== undefined && !isValidId(o.productId)))
      throw ruleViolation('InvalidSalesPlan', 'customerId and productId must be ids', { index });
    if (!Number.isSafeInteger(o.amount) || o.amount < 0 || !Number.isInteger(o.quantity) || o.quantity < 0)
      throw ruleViolation('InvalidSalesPlan', 'amount (minor units) and quantity are non-negative integers', { index });
    return {
      ...(o.customerId !== undefined ? { customerId: o.customerId } : {}),
      ...(o.productId !== undefined ? { productId: o.productId } : {}),
      amount: o.amount,
      quantity: o.quantity,
    };
  });
  if (typeof d.strategy !== 'string' || d.strategy.trim() === '')
    throw ruleViolation('StrategyRequired', 'Describe the sales strategy in words');
  if (d.strategy.length > 10_000) throw ruleViolation('InvalidSalesPlan', 'strategy is at most 10000 characters');
  return { customersToVisit: customers, plannedVisits: d.plannedVisits, expectedOrders, strategy: d.strategy.trim() };
};

const submittedPlan = (state: SalesPlanState) =>
  requireStatus(state, 'submitted', {
    none: () => notFound('SalesPlanNotFound', 'No plan has been submitted'),
    returned: () => conflict('SalesPlanNotSubmitted', 'The plan was returned; it awaits a new version'),
    approved: () => conflict('SalesPlanAlreadyApproved', 'The plan is already approved'),
  });

const assertReviewer = (command: ApproveSalesPlan | ReturnSalesPlan, plan: Submitted): void => {
  const { actor } = command.context;
  if (!hasAnyRole(actor, 'sales_manager'))
    throw forbidden('NotAllowedToReviewPlan', 'Only a sales manager approves or returns a sales plan');
  if (actor.userId === plan.employeeId) throw forbidden('CannotReviewOwnPlan', 'A manager cannot review their own plan');
};

const planDateOr = (value: BusinessDate | undefined, today: BusinessDate, field: string): BusinessDate =>
  businessDateOr(value, today, field, 'InvalidSalesPlan');

export const decideSalesPlan = (command: SalesPlanCommand, state: SalesPlanState): SalesPlanEvent[] => {
  const { actor, today } = command.context;
  switch (command.type) {
    case 'SubmitSalesPlan': {
      const d = command.data;
      if (actor.userId !== d.employeeId) throw forbidden('NotOwnSalesPlan', 'Only the salesperson submits their own plan');
      if (!isValidId(d.planId) || !isValidId(d.employeeId)) throw ruleViolation('InvalidSalesPlan', 'planId and employeeId must be ids');
      const period = requirePeriod(d.period, 'InvalidPlanPeriod');
      if (period.kind === 'year') throw ruleViolation('InvalidPlanPeriod', 'A sales plan covers a month (YYYY-MM) or a quarter (YYYY-Qn)');
      const submittedOn = planDateOr(d.submittedOn, today, 'submittedOn');
      if (compareDates(submittedOn, period.end) > 0)
        throw ruleViolation('SalesPlanPeriodClosed', `The period ${period.label} has ended`, { end: period.end });
      if (state.status === 'submitted') throw conflict('SalesPlanAwaitingReview', 'The plan awaits the manager’s review');
      if (state.status === 'approved') throw conflict('SalesPlanAlreadyApproved', 'The plan is already approved');
      if (state.status === 'returned' && (state.employeeId !== d.employeeId || state.period !== d.period || state.planId !== d.planId))
        throw conflict('SalesPlanMismatch', 'A new version must keep the plan id, salesperson and period');
      const version = state.status === 'returned' ? state.version + 1 : 1;
      return [
        {
          type: 'SalesPlanSubmitted',
          data: { planId: d.planId, employeeId: d.employeeId, period: period.label, version, ...validateContent(d), submittedOn },
        },
      ];
    }
    case 'ApproveSalesPlan': {
      const plan = submittedPlan(state);
      assertReviewer(command, plan);
      const comments = typeof command.data.comments === 'string' ? command.data.comments.trim() : '';
      return [
        {
          type: 'SalesPlanApproved',
          data: {
            planId: plan.planId,
            version: plan.version,
            approvedBy: actor.userId,
            comments,
            approvedOn: planDateOr(command.data.approvedOn, today, 'approvedOn'),
          },
        },
      ];
    }
    case 'ReturnSalesPlan': {
      const plan = submittedPlan(state);
      assertReviewer(command, plan);
      if (typeof command.data.comments !== 'string' || command.data.comments.trim() === '')
        throw ruleViolation('ReturnCommentsRequired', 'Say what to change when returning a plan');
      return [
        {
          type: 'SalesPlanReturned',
          data: {
            planId: plan.planId,
            version: plan.version,
            returnedBy: actor.userId,
            comments: command.data.comments.trim(),
            returnedOn: planDateOr(command.data.returnedOn, today, 'returnedOn'),
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

// ── Evolve ───────────────────────────────────────────────────────────────────
export const evolveSalesPlan = (state: SalesPlanState, event: SalesPlanEvent): SalesPlanState => {
  switch (event.type) {
    case 'SalesPlanSubmitted':
      return { status: 'submitted', ...event.data };
    case 'SalesPlanApproved':
      return state.status === 'submitted' ? { ...state, status: 'approved', approval: event.data } : state;
    case 'SalesPlanReturned':
      return state.status === 'submitted' ? { ...state, status: 'returned', lastReturn: event.data } : state;
    default:
      return assertNever(event);
  }
};

export const salesPlanDecider: Decider<SalesPlanState, SalesPlanCommand, SalesPlanEvent> = {
  decide: decideSalesPlan,
  evolve: evolveSalesPlan,
  initialState: initialSalesPlanState,
};
