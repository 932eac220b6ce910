/**
 * The four measures a target is set on, the monthly distribution of a node's annual target,
 * and the shape of one node of the target cascade.
 */
import { Minor, ruleViolation } from '@salesline/shared-kernel';

export const MEASURES = ['revenue', 'quantity', 'grossMargin', 'expenseBudget'] as const;
export type Measure = (typeof MEASURES)[number];

/** Annual figures: money in minor units, quantity in units. */
export type TargetMeasures = Readonly<{ revenue: Minor; quantity: number; grossMargin: Minor; expenseBudget: Minor }>;
/** Figures one month carries in an explicit distribution (the expense budget is spread evenly; ADR 0204). */
export type MonthFigures = Readonly<{ revenue: Minor; quantity: number; grossMargin: Minor }>;

export type MonthlyDistribution =
  | Readonly<{ kind: 'percent'; /** 12 basis-point weights summing to 10000 */ bp: readonly number[] }>
  | Readonly<{ kind: 'explicit'; months: readonly MonthFigures[] }>
  /** Twelve equal months; the remainder one unit each to the earliest months (ADR 0213). */
  | Readonly<{ kind: 'even' }>
  /** 12 seasonal weights, any non-negative integers (e.g. 8, 8, 9, …); months by largest remainders, ties to the earlier month. */
  | Readonly<{ kind: 'seasonal'; weights: readonly number[] }>;

export type TargetNodeKind = 'region' | 'team' | 'salesperson';
export type ParentKind = 'company' | 'region' | 'team';
export const COMPANY_NODE_ID = 'company';

/** A salesperson's parent is their team, a team's its region, a region's the company. */
export const PARENT_KIND: Readonly<Record<TargetNodeKind, ParentKind>> = { region: 'company', team: 'region', salesperson: 'team' };

export type TargetAssignment = TargetMeasures &
  Readonly<{
    nodeKind: TargetNodeKind;
    nodeId: string;
    parentKind: ParentKind;
    parentId: string;
    monthly: MonthlyDistribution;
  }>;

export const ZERO_MEASURES: TargetMeasures = { revenue: 0, quantity: 0, grossMargin: 0, expenseBudget: 0 };

export const measuresOf = (m: TargetMeasures): TargetMeasures => ({
  revenue: m.revenue,
  quantity: m.quantity,
  grossMargin: m.grossMargin,
  expenseBudget: m.expenseBudget,
});

export const addMeasures = (a: TargetMeasures, b: TargetMeasures): TargetMeasures => ({
  revenue: a.revenue + b.revenue,
  quantity: a.quantity + b.quantity,
  grossMargin: a.grossMargin + b.grossMargin,
  expenseBudget: a.expenseBudget + b.expenseBudget,
});

export const nodeKey = (kind: ParentKind | TargetNodeKind, id: string): string => (kind === 'company' ? COMPANY_NODE_ID : `${kind}:${id}`);
export const parentKeyOf = (node: TargetAssignment): string => nodeKey(node.parentKind, node.parentId);

/** Every measure a non-negative integer; the margin no larger than the revenue. */
export const validateMeasures = (m: TargetMeasures): TargetMeasures => {
  for (const measure of MEASURES) {
    const value = m[measure];
    if (!Number.isSafeInteger(value) || value < 0)
      throw ruleViolation('InvalidTargetFigure', `${measure} must be a non-negative integer (minor units or units)`, { measure, value });
  }
  if (m.grossMargin > m.revenue)
    throw ruleViolation('GrossMarginExceedsRevenue', 'The gross margin target cannot exceed the revenue target', {
      revenue: m.revenue,
      grossMargin: m.grossMargin,
    });
  return measuresOf(m);
};
