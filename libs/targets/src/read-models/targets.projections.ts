import { Projection, RecordedEvent } from '@salesline/core';
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

const TARGET_PLAN_EVENT_TYPES: Record<TargetPlanEvent['type'], true> = {
  CompanyTargetSet: true,
  TargetAssigned: true,
  TargetAssignmentWithdrawn: true,
  TargetPlanFinalized: true,
  TargetRevised: true,
};

export const evolveTargetPlanDoc = (doc: TargetPlanDoc | null, recorded: RecordedEvent): TargetPlanDoc | null => {
  const event = { type: recorded.type, data: recorded.data } as TargetPlanEvent;
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

export const targetPlansProjection: Projection<TargetPlanDoc> = {
  name: 'target_plans',
  collection: 'target_plans',
  handles: Object.keys(TARGET_PLAN_EVENT_TYPES),
  documentIds: (event) => [String((event.data as { year: number }).year)],
  evolve: evolveTargetPlanDoc,
};

// ── sales expenses ───────────────────────────────────────────────────────────
export type SalesExpenseDoc = SalesExpenseRecorded['data'] & {
  id: string;
  year: number;
  reversed: boolean;
  reversal: Omit<SalesExpenseReversed['data'], 'expenseId'> | null;
};

const SALES_EXPENSE_EVENT_TYPES: Record<SalesExpenseEvent['type'], true> = { SalesExpenseRecorded: true, SalesExpenseReversed: true };

export const evolveSalesExpenseDoc = (doc: SalesExpenseDoc | null, recorded: RecordedEvent): SalesExpenseDoc | null => {
  const event = { type: recorded.type, data: recorded.data } as SalesExpenseEvent;
  switch (event.type) {
    case 'SalesExpenseRecorded':
      return { ...event.data, id: event.data.expenseId, year: +event.data.spentOn.slice(0, 4), reversed: false, reversal: null };
    case 'SalesExpenseReversed': {
      const { expenseId: _e, ...reversal } = event.data;
      return doc ? { ...doc, reversed: true, reversal } : doc;
    }
    default:
      return doc;
  }
};

export const salesExpensesProjection: Projection<SalesExpenseDoc> = {
  name: 'sales_expenses',
  collection: 'sales_expenses',
  handles: Object.keys(SALES_EXPENSE_EVENT_TYPES),
  indexes: [{ fields: ['year', 'regionId'] }, { fields: ['spentOn'] }, { fields: ['employeeId'] }],
  documentIds: (event) => [(event.data as { expenseId: string }).expenseId],
  evolve: evolveSalesExpenseDoc,
};

// ── sales plans ──────────────────────────────────────────────────────────────
export type SalesPlanDoc = Exclude<SalesPlanState, { status: 'none' }> & {
  id: string;
  /** Every submitted version with its review, oldest first. */
  versions: (SalesPlanSubmitted['data'] & {
    review: { outcome: 'approved' | 'returned'; by: string; comments: string; on: string } | null;
  })[];
  updatedAt: string;
};

const SALES_PLAN_EVENT_TYPES: Record<SalesPlanEvent['type'], true> = {
  SalesPlanSubmitted: true,
  SalesPlanApproved: true,
  SalesPlanReturned: true,
};

export const evolveSalesPlanDoc = (doc: SalesPlanDoc | null, recorded: RecordedEvent): SalesPlanDoc | null => {
  const event = { type: recorded.type, data: recorded.data } as SalesPlanEvent;
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

export const salesPlansProjection: Projection<SalesPlanDoc> = {
  name: 'sales_plans',
  collection: 'sales_plans',
  handles: Object.keys(SALES_PLAN_EVENT_TYPES),
  indexes: [{ fields: ['employeeId', 'period'] }, { fields: ['status'] }, { fields: ['period'] }],
  documentIds: (event) => [(event.data as { planId: string }).planId],
  evolve: evolveSalesPlanDoc,
};
