import { defineProjection, domainEventOf, Recorded, regionOwnerId, writtenBy } from '@salesline/core';
import { assertNever, everyEventType } from '@salesline/shared-kernel';
import { SalesExpenseEvent, SalesExpenseRecorded, SalesExpenseReversed } from '../domain/sales-expense';
import { SalesPlanEvent, SalesPlanState, SalesPlanSubmitted, evolveSalesPlan } from '../domain/sales-plan';
import { TargetPlanEvent, TargetPlanState, evolveTargetPlan } from '../domain/target-plan';

// ── target plans ─────────────────────────────────────────────────────────────
/** One entry per plan event, for the plan's history (who changed what, when, why). */
export type TargetPlanHistoryEntry = { type: TargetPlanEvent['type']; at: string; by: string; data: TargetPlanEvent['data'] };
export type TargetPlanDoc = {
  id: string;
  year: number;
  /** The decider's state, folded with `evolveTargetPlan`. */
  state: Exclude<TargetPlanState, { status: 'none' }>;
  status: 'drafting' | 'finalized';
  history: TargetPlanHistoryEntry[];
  updatedAt: string;
  version: number;
};

export const evolveTargetPlanDoc = (doc: TargetPlanDoc | null, recorded: Recorded<TargetPlanEvent>): TargetPlanDoc | null => {
  const event = domainEventOf(recorded);
  const state = evolveTargetPlan(doc ? doc.state : { status: 'none' }, event);
  if (state.status === 'none') return doc;
  const entry: TargetPlanHistoryEntry = {
    type: event.type,
    at: recorded.metadata.occurredAt,
    by: recorded.metadata.actor,
    data: event.data,
  };
  return {
    id: String(state.year),
    year: state.year,
    state,
    status: state.status,
    history: [...(doc?.history ?? []), entry],
    updatedAt: recorded.metadata.occurredAt,
    version: recorded.revision,
  };
};

export const targetPlansProjection = defineProjection<TargetPlanEvent>()({
  name: 'target_plans',
  collection: 'target_plans',
  documentation: {
    document: 'TargetPlanDoc',
    context: 'targets',
    summary:
      'One document per year: company targets, assignments down the cascade, finalization and revisions. Serves `GET /api/targets/{year}`.',
    meanings: {
      id: 'The year (the plan id).',
      year: 'The target year.',
      'state.status': '`drafting` or `finalized`.',
      'state.year': 'The target year.',
      'state.company.quantity': 'Target quantity (units).',
      'state.nodes': 'Targets assigned below the company, by node (region, team, salesperson).',
      'state.revisions': 'Every revision after finalization, oldest first.',
      'state.revisions[].year': 'The target year.',
      'state.revisions[].revisionId': 'The revision id.',
      'state.revisions[].nodeKind': '`company`, `region`, `team` or `salesperson`.',
      'state.revisions[].nodeId': 'The node revised or assigned.',
      'state.revisions[].parentKind': 'Kind of the node it is assigned under.',
      'state.revisions[].parentId': 'The node it is assigned under.',
      'state.revisions[].before.monthly': 'How the year is distributed over months.',
      'state.revisions[].before.monthly.kind': '`even`, `seasonal`, `percent` or `explicit` (ADR 0204, 0213).',
      'state.revisions[].before.monthly.bp': 'Per-month shares, basis points (percent distribution).',
      'state.revisions[].before.monthly.months': 'Explicit per-month figures.',
      'state.revisions[].before.monthly.months[].quantity': 'Target quantity (units).',
      'state.revisions[].before.monthly.weights': 'Per-month weights (seasonal distribution).',
      'state.revisions[].before.quantity': 'Target quantity (units).',
      'state.revisions[].after.monthly': 'How the year is distributed over months.',
      'state.revisions[].after.monthly.kind': '`even`, `seasonal`, `percent` or `explicit` (ADR 0204, 0213).',
      'state.revisions[].after.monthly.bp': 'Per-month shares, basis points (percent distribution).',
      'state.revisions[].after.monthly.months': 'Explicit per-month figures.',
      'state.revisions[].after.monthly.months[].quantity': 'Target quantity (units).',
      'state.revisions[].after.monthly.weights': 'Per-month weights (seasonal distribution).',
      'state.revisions[].after.quantity': 'Target quantity (units).',
      'state.revisions[].reason': 'Why it was revised.',
      'state.revisions[].revisedBy': 'Who revised it.',
      status: '`drafting` until finalized, then `finalized` (changes go through revisions).',
      history: 'Every event of the plan, oldest first, as an audit trail.',
      'history[].type': 'Event type.',
      'history[].at': 'When it was recorded (occurredAt).',
      'history[].by': 'Who caused it.',
      'history[].data': 'The event data.',
      'history[].data.quantity': 'Target quantity (units).',
      'history[].data.year': 'The target year.',
      'history[].data.setBy': 'Who set the company target.',
      'history[].data.setOn': 'Business date it was set.',
      'history[].data.assignedOn': 'Business date of the assignment.',
      'history[].data.withdrawnOn': 'Business date of the withdrawal.',
      'history[].data.nodeKind': '`company`, `region`, `team` or `salesperson`.',
      'history[].data.nodeId': 'The node revised or assigned.',
      'history[].data.parentKind': 'Kind of the node it is assigned under.',
      'history[].data.parentId': 'The node it is assigned under.',
      'history[].data.monthly': 'How the year is distributed over months.',
      'history[].data.monthly.kind': '`even`, `seasonal`, `percent` or `explicit` (ADR 0204, 0213).',
      'history[].data.monthly.bp': 'Per-month shares, basis points (percent distribution).',
      'history[].data.monthly.months': 'Explicit per-month figures.',
      'history[].data.monthly.months[].quantity': 'Target quantity (units).',
      'history[].data.monthly.weights': 'Per-month weights (seasonal distribution).',
      'history[].data.finalizedBy': 'Who finalized the plan.',
      'history[].data.revisionId': 'The revision id.',
      'history[].data.before.monthly': 'How the year is distributed over months.',
      'history[].data.before.monthly.kind': '`even`, `seasonal`, `percent` or `explicit` (ADR 0204, 0213).',
      'history[].data.before.monthly.bp': 'Per-month shares, basis points (percent distribution).',
      'history[].data.before.monthly.months': 'Explicit per-month figures.',
      'history[].data.before.monthly.months[].quantity': 'Target quantity (units).',
      'history[].data.before.monthly.weights': 'Per-month weights (seasonal distribution).',
      'history[].data.before.quantity': 'Target quantity (units).',
      'history[].data.after.monthly': 'How the year is distributed over months.',
      'history[].data.after.monthly.kind': '`even`, `seasonal`, `percent` or `explicit` (ADR 0204, 0213).',
      'history[].data.after.monthly.bp': 'Per-month shares, basis points (percent distribution).',
      'history[].data.after.monthly.months': 'Explicit per-month figures.',
      'history[].data.after.monthly.months[].quantity': 'Target quantity (units).',
      'history[].data.after.monthly.weights': 'Per-month weights (seasonal distribution).',
      'history[].data.after.quantity': 'Target quantity (units).',
      'history[].data.reason': 'Why it was revised.',
      'history[].data.revisedBy': 'Who revised it.',
      updatedAt: 'Wall-clock time (occurredAt) of the last event applied.',
      version: 'Stream revision of the last event applied (0 for the first).',
    },
    sources: {
      ...writtenBy(['CompanyTargetSet'], ['id', 'year', 'state.year']),
      state: ['CompanyTargetSet', 'TargetAssigned', 'TargetPlanFinalized'],
      ...writtenBy(['CompanyTargetSet', 'TargetPlanFinalized'], ['state.status', 'status']),
      ...writtenBy(
        ['CompanyTargetSet', 'TargetRevised'],
        ['state.company', 'state.company.revenue', 'state.company.quantity', 'state.company.grossMargin', 'state.company.expenseBudget'],
      ),
      ...writtenBy(
        ['CompanyTargetSet', 'TargetAssigned', 'TargetAssignmentWithdrawn', 'TargetRevised'],
        ['state.nodes', 'history[].data.revenue', 'history[].data.quantity', 'history[].data.grossMargin', 'history[].data.expenseBudget'],
      ),
      ...writtenBy(['TargetPlanFinalized'], ['state.finalizedOn', 'state.revisions']),
      ...writtenBy(
        ['TargetRevised'],
        [
          'state.revisions[].year',
          'state.revisions[].revisionId',
          'state.revisions[].nodeKind',
          'state.revisions[].nodeId',
          'state.revisions[].parentKind',
          'state.revisions[].parentId',
          'state.revisions[].before',
          'state.revisions[].before.monthly',
          'state.revisions[].before.monthly.kind',
          'state.revisions[].before.monthly.bp',
          'state.revisions[].before.monthly.months',
          'state.revisions[].before.monthly.months[].revenue',
          'state.revisions[].before.monthly.months[].quantity',
          'state.revisions[].before.monthly.months[].grossMargin',
          'state.revisions[].before.monthly.weights',
          'state.revisions[].before.revenue',
          'state.revisions[].before.quantity',
          'state.revisions[].before.grossMargin',
          'state.revisions[].before.expenseBudget',
          'state.revisions[].after',
          'state.revisions[].after.monthly',
          'state.revisions[].after.monthly.kind',
          'state.revisions[].after.monthly.bp',
          'state.revisions[].after.monthly.months',
          'state.revisions[].after.monthly.months[].revenue',
          'state.revisions[].after.monthly.months[].quantity',
          'state.revisions[].after.monthly.months[].grossMargin',
          'state.revisions[].after.monthly.weights',
          'state.revisions[].after.revenue',
          'state.revisions[].after.quantity',
          'state.revisions[].after.grossMargin',
          'state.revisions[].after.expenseBudget',
          'state.revisions[].reason',
          'state.revisions[].revisedBy',
          'state.revisions[].revisedOn',
        ],
      ),
      ...writtenBy(
        ['CompanyTargetSet', 'TargetAssigned', 'TargetPlanFinalized', 'TargetAssignmentWithdrawn', 'TargetRevised'],
        ['history', 'history[].type', 'history[].at', 'history[].by', 'history[].data', 'history[].data.year', 'updatedAt', 'version'],
      ),
      ...writtenBy(['CompanyTargetSet', 'TargetAssignmentWithdrawn', 'TargetRevised'], ['history[].data.setBy', 'history[].data.setOn']),
      'history[].data.assignedOn': ['TargetAssigned'],
      'history[].data.withdrawnOn': ['TargetAssignmentWithdrawn'],
      ...writtenBy(
        ['TargetAssigned', 'TargetAssignmentWithdrawn', 'TargetRevised'],
        [
          'history[].data.nodeKind',
          'history[].data.nodeId',
          'history[].data.parentKind',
          'history[].data.parentId',
          'history[].data.monthly',
          'history[].data.monthly.kind',
          'history[].data.monthly.months',
          'history[].data.monthly.months[].revenue',
          'history[].data.monthly.months[].quantity',
          'history[].data.monthly.months[].grossMargin',
        ],
      ),
      ...writtenBy(
        ['TargetRevised', 'TargetAssignmentWithdrawn'],
        [
          'history[].data.monthly.bp',
          'history[].data.monthly.weights',
          'history[].data.revisionId',
          'history[].data.before',
          'history[].data.before.monthly',
          'history[].data.before.monthly.kind',
          'history[].data.before.monthly.bp',
          'history[].data.before.monthly.months',
          'history[].data.before.monthly.months[].revenue',
          'history[].data.before.monthly.months[].quantity',
          'history[].data.before.monthly.months[].grossMargin',
          'history[].data.before.monthly.weights',
          'history[].data.before.revenue',
          'history[].data.before.quantity',
          'history[].data.before.grossMargin',
          'history[].data.before.expenseBudget',
          'history[].data.after',
          'history[].data.after.monthly',
          'history[].data.after.monthly.kind',
          'history[].data.after.monthly.bp',
          'history[].data.after.monthly.months',
          'history[].data.after.monthly.months[].revenue',
          'history[].data.after.monthly.months[].quantity',
          'history[].data.after.monthly.months[].grossMargin',
          'history[].data.after.monthly.weights',
          'history[].data.after.revenue',
          'history[].data.after.quantity',
          'history[].data.after.grossMargin',
          'history[].data.after.expenseBudget',
          'history[].data.reason',
          'history[].data.revisedBy',
          'history[].data.revisedOn',
        ],
      ),
      ...writtenBy(
        ['TargetPlanFinalized', 'TargetAssignmentWithdrawn', 'TargetRevised'],
        ['history[].data.finalizedBy', 'history[].data.finalizedOn'],
      ),
    },
  },
  handles: everyEventType<TargetPlanEvent>()([
    'CompanyTargetSet',
    'TargetAssigned',
    'TargetAssignmentWithdrawn',
    'TargetPlanFinalized',
    'TargetRevised',
  ]),
  documentIds: (event) => [String(event.data.year)],
  evolve: evolveTargetPlanDoc,
});

// ── sales expenses ───────────────────────────────────────────────────────────
export type SalesExpenseDoc = SalesExpenseRecorded['data'] & {
  id: string;
  /** Whose expense it is: the salesperson who spent it, else its region's own (`region:<regionId>`); a manager's list narrows on it. */
  ownerId: string;
  year: number;
  reversed: boolean;
  reversal: Omit<SalesExpenseReversed['data'], 'expenseId'> | null;
};

export const evolveSalesExpenseDoc = (doc: SalesExpenseDoc | null, event: Recorded<SalesExpenseEvent>): SalesExpenseDoc | null => {
  switch (event.type) {
    case 'SalesExpenseRecorded':
      return {
        ...event.data,
        id: event.data.expenseId,
        ownerId: event.data.employeeId ?? regionOwnerId(event.data.regionId),
        year: +event.data.spentOn.slice(0, 4),
        reversed: false,
        reversal: null,
      };
    case 'SalesExpenseReversed': {
      const { expenseId: _e, ...reversal } = event.data;
      return doc ? { ...doc, reversed: true, reversal } : doc;
    }
    default:
      return assertNever(event);
  }
};

export const salesExpensesProjection = defineProjection<SalesExpenseEvent>()({
  name: 'sales_expenses',
  collection: 'sales_expenses',
  documentation: {
    document: 'SalesExpenseDoc',
    context: 'targets',
    summary: 'One document per sales expense (reversals mark it).',
    meanings: {
      id: 'The expense id.',
      year: 'Budget year the expense counts against.',
      reversed: 'True once reversed: the amount no longer counts.',
      reversal: 'The reversal, when there is one.',
      'reversal.reason': 'Why it was reversed.',
      'reversal.reversedBy': 'Who reversed it.',
      expenseId: 'The expense id.',
      regionId: 'Region of the employee on the day spent.',
      employeeId: 'Employee who spent it.',
      category: 'Expense category (travel, entertainment, …).',
      note: 'Free text.',
      recordedBy: 'The user who recorded it.',
    },
    sources: {
      ...writtenBy(
        ['SalesExpenseRecorded'],
        [
          'id',
          'ownerId',
          'year',
          'reversal',
          'expenseId',
          'regionId',
          'employeeId',
          'amount',
          'spentOn',
          'category',
          'note',
          'recordedBy',
          'overBudget',
        ],
      ),
      reversed: ['SalesExpenseRecorded', 'SalesExpenseReversed'],
      ...writtenBy(['SalesExpenseReversed'], ['reversal.reason', 'reversal.reversedBy', 'reversal.reversedOn']),
    },
  },
  handles: everyEventType<SalesExpenseEvent>()(['SalesExpenseRecorded', 'SalesExpenseReversed']),
  indexes: [{ fields: ['year', 'regionId'] }, { fields: ['spentOn'] }, { fields: ['employeeId'] }, { fields: ['year', 'ownerId'] }],
  documentIds: (event) => [event.data.expenseId],
  evolve: evolveSalesExpenseDoc,
});

// ── sales plans ──────────────────────────────────────────────────────────────
export type SalesPlanDoc = Exclude<SalesPlanState, { status: 'none' }> & {
  id: string;
  /** Every submitted version with its review, oldest first. */
  versions: (SalesPlanSubmitted['data'] & {
    review: { outcome: 'approved' | 'returned'; by: string; comments: string; on: string } | null;
  })[];
  updatedAt: string;
};

export const evolveSalesPlanDoc = (doc: SalesPlanDoc | null, recorded: Recorded<SalesPlanEvent>): SalesPlanDoc | null => {
  const event = domainEventOf(recorded);
  const {
    id: _i,
    versions: previous = [],
    updatedAt: _u,
    _position: _p,
    ...current
  } = (doc ?? { status: 'none' }) as Partial<SalesPlanDoc> & { _position?: number };
  const state = evolveSalesPlan(doc ? (current as unknown as SalesPlanState) : { status: 'none' }, event);
  if (state.status === 'none') return doc;
  let versions = previous;
  if (event.type === 'SalesPlanSubmitted') versions = [...previous, { ...event.data, review: null }];
  else {
    const review =
      event.type === 'SalesPlanApproved'
        ? { outcome: 'approved' as const, by: event.data.approvedBy, comments: event.data.comments, on: event.data.approvedOn }
        : { outcome: 'returned' as const, by: event.data.returnedBy, comments: event.data.comments, on: event.data.returnedOn };
    versions = previous.map((v) => (v.version === event.data.version ? { ...v, review } : v));
  }
  return { ...state, id: state.planId, versions, updatedAt: recorded.metadata.occurredAt };
};

export const salesPlansProjection = defineProjection<SalesPlanEvent>()({
  name: 'sales_plans',
  collection: 'sales_plans',
  documentation: {
    document: 'SalesPlanDoc',
    context: 'targets',
    summary: 'One document per salesperson and period: the plan versions and their review.',
    meanings: {
      id: 'The plan id.',
      'versions[].review': "The manager's review of that version.",
      'versions[].review.outcome': '`approved` or `returned`.',
      'versions[].review.by': 'Manager who reviewed it.',
      'versions[].review.comments': "The manager's comments.",
      'versions[].review.on': 'Business date of the review.',
      'versions[].customersToVisit': 'Customers the salesperson plans to visit.',
      'versions[].plannedVisits': 'Number of visits planned.',
      'versions[].expectedOrders': 'Orders expected, by customer, with amount and quantity.',
      'versions[].strategy': 'The strategy, in their words.',
      'versions[].planId': 'The plan id.',
      'versions[].employeeId': 'The salesperson.',
      'versions[].period': 'The month planned, YYYY-MM.',
      'versions[].version': 'Version number (1, 2, … after each return).',
      updatedAt: 'Wall-clock time (occurredAt) of the last event applied.',
      status: '`submitted`, `approved` or `returned`.',
      customersToVisit: 'Current version: customers to visit.',
      plannedVisits: 'Current version: visits planned.',
      expectedOrders: 'Current version: orders expected.',
      strategy: 'Current version: the strategy.',
      planId: 'The plan id.',
      employeeId: 'The salesperson.',
      period: 'The month planned, YYYY-MM.',
      version: 'Current version number.',
      lastReturn: 'The last return for rework, if any.',
      'lastReturn.planId': 'The plan id.',
      'lastReturn.version': 'Version returned.',
      'lastReturn.returnedBy': 'Manager who returned it.',
      'lastReturn.comments': 'What to rework.',
      approval: 'The approval, once approved.',
      'approval.planId': 'The plan id.',
      'approval.version': 'Version approved.',
      'approval.approvedBy': 'Manager who approved it.',
      'approval.comments': "The manager's comments.",
      'versions[].submittedOn': "Business dates are calendar days, 'YYYY-MM-DD', independent of the time of the write.",
      submittedOn: "Business dates are calendar days, 'YYYY-MM-DD', independent of the time of the write.",
    },
    sources: {
      ...writtenBy(
        ['SalesPlanSubmitted'],
        [
          'id',
          'versions[].customersToVisit',
          'versions[].plannedVisits',
          'versions[].expectedOrders',
          'versions[].expectedOrders[].customerId',
          'versions[].expectedOrders[].productId',
          'versions[].expectedOrders[].amount',
          'versions[].expectedOrders[].quantity',
          'versions[].strategy',
          'versions[].planId',
          'versions[].employeeId',
          'versions[].period',
          'versions[].version',
          'versions[].submittedOn',
          'customersToVisit',
          'plannedVisits',
          'expectedOrders',
          'expectedOrders[].customerId',
          'expectedOrders[].productId',
          'expectedOrders[].amount',
          'expectedOrders[].quantity',
          'strategy',
          'planId',
          'employeeId',
          'period',
          'version',
          'submittedOn',
        ],
      ),
      ...writtenBy(
        ['SalesPlanSubmitted', 'SalesPlanApproved', 'SalesPlanReturned'],
        ['versions', 'versions[].review', 'updatedAt', 'status'],
      ),
      ...writtenBy(
        ['SalesPlanApproved', 'SalesPlanReturned'],
        ['versions[].review.outcome', 'versions[].review.by', 'versions[].review.comments', 'versions[].review.on'],
      ),
      ...writtenBy(
        ['SalesPlanReturned'],
        ['lastReturn', 'lastReturn.planId', 'lastReturn.version', 'lastReturn.returnedBy', 'lastReturn.comments', 'lastReturn.returnedOn'],
      ),
      ...writtenBy(
        ['SalesPlanApproved'],
        ['approval', 'approval.planId', 'approval.version', 'approval.approvedBy', 'approval.comments', 'approval.approvedOn'],
      ),
    },
  },
  handles: everyEventType<SalesPlanEvent>()(['SalesPlanSubmitted', 'SalesPlanApproved', 'SalesPlanReturned']),
  indexes: [{ fields: ['employeeId', 'period'] }, { fields: ['status'] }, { fields: ['period'] }],
  documentIds: (event) => [event.data.planId],
  evolve: evolveSalesPlanDoc,
});
