import { defineProjection, domainEventOf, Recorded } from '@salesline/core';
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
  year: number;
  reversed: boolean;
  reversal: Omit<SalesExpenseReversed['data'], 'expenseId'> | null;
};

export const evolveSalesExpenseDoc = (doc: SalesExpenseDoc | null, event: Recorded<SalesExpenseEvent>): SalesExpenseDoc | null => {
  switch (event.type) {
    case 'SalesExpenseRecorded':
      return { ...event.data, id: event.data.expenseId, year: +event.data.spentOn.slice(0, 4), reversed: false, reversal: null };
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
  handles: everyEventType<SalesExpenseEvent>()(['SalesExpenseRecorded', 'SalesExpenseReversed']),
  indexes: [{ fields: ['year', 'regionId'] }, { fields: ['spentOn'] }, { fields: ['employeeId'] }],
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
  handles: everyEventType<SalesPlanEvent>()(['SalesPlanSubmitted', 'SalesPlanApproved', 'SalesPlanReturned']),
  indexes: [{ fields: ['employeeId', 'period'] }, { fields: ['status'] }, { fields: ['period'] }],
  documentIds: (event) => [event.data.planId],
  evolve: evolveSalesPlanDoc,
});
