/**
 * Sales progress (ADR 0207): target vs actual per period and level (salesperson, team, region, company),
 * achievement in basis points, a run-rate forecast for the period end, and sales expenses vs budget.
 *
 * Pure: the caller feeds facts (one per sales document, projected from events), the salespeople's dated
 * assignment history, the target plan and the expenses. Credit goes to the team and region the salesperson
 * belonged to on the document's credit date (its business date unless stated otherwise).
 */
import { AssignmentInterval, assignmentOn } from '@salesline/organization/domain';
import type { BasisPoints, BusinessDate, Minor } from '@salesline/shared-kernel';
import { addDays, allocateByWeights, compareDates, mulDivRound, ratioInBasisPoints, ruleViolation } from '@salesline/shared-kernel';
import { SalesCredit, splitCredit } from './credit-split';
import { monthlyTargets, periodTarget } from './monthly-distribution';
import { Period, elapsedDays, isWithin, parsePeriod, periodDays, requirePeriod } from './period';
import { BudgetVsActual, SalesExpenseFact, budgetVsActual } from './sales-expense';
import { MEASURES, TargetAssignment, TargetMeasures, ZERO_MEASURES, addMeasures } from './target-measures';
import { TargetPlanView } from './target-plan';
import { DEFAULT_TARGETS_SETTINGS, RevenueBasis, TargetsSettings, validateTargetsSettings } from './targets-settings';

// ── Input ────────────────────────────────────────────────────────────────────
/**
 * One sales document's contribution:
 * - booked: a confirmed sales order (net of discounts); delivered: a delivery note; invoiced: an invoice;
 *   collected: a customer payment (cost 0, quantity 0).
 * - returns and credit notes are the same kinds with negative amount, quantity and cost.
 */
export type SalesFactKind = 'booked' | 'delivered' | 'invoiced' | 'collected';
export type SalesFact = Readonly<{
  /** The source document (order, delivery, invoice, credit note, payment) for traceability. */
  factId: string;
  kind: SalesFactKind;
  /** The document's business date: the period it counts in. */
  businessDate: BusinessDate;
  /** Whose organization is credited; defaults to businessDate (a credit note may carry its invoice's date). */
  creditDate?: BusinessDate;
  /** Net revenue (or cash received), minor units; negative for returns and credit notes. */
  amount: Minor;
  /** Units; negative for returns. */
  quantity: number;
  /** Cost captured for the goods (gross margin = amount − cost); negative when a return reverses it. */
  cost: Minor;
  /** Who gets the credit; shares in bp summing to 10000. */
  credits: readonly SalesCredit[];
}>;

export type SalesProgressInput = Readonly<{
  /** 'YYYY-MM', 'YYYY-Qn' or 'YYYY'. */
  period: string;
  /** Facts and expenses after this date are ignored; the forecast extrapolates from it. */
  asOf: BusinessDate;
  facts: readonly SalesFact[];
  /** Assignment history per employeeId (EmployeeState.history). */
  assignments: Readonly<Record<string, readonly AssignmentInterval[]>>;
  plan: TargetPlanView | null;
  expenses?: readonly SalesExpenseFact[];
  settings?: Partial<Pick<TargetsSettings, 'revenueBasis'>>;
}>;

// ── Output ───────────────────────────────────────────────────────────────────
export type ProgressLevel = 'company' | 'region' | 'team' | 'salesperson';
export type KindTotals = Readonly<{ amount: Minor; quantity: number; grossMargin: Minor }>;
export type Actuals = Readonly<{
  ordersBooked: Minor;
  revenueDelivered: Minor;
  revenueInvoiced: Minor;
  cashCollected: Minor;
  /** On the configured revenue basis: */
  revenue: Minor;
  quantity: number;
  grossMargin: Minor;
}>;
export type TriMeasure<T> = Readonly<{ revenue: T; quantity: T; grossMargin: T }>;
export type ProgressRow = Readonly<{
  level: ProgressLevel;
  nodeId: string;
  /** The period's target; null when the node has none in the plan. */
  target: TargetMeasures | null;
  actual: Actuals;
  /** actual / target in bp; null when there is no (or a zero) target. */
  achievementBp: TriMeasure<BasisPoints | null>;
  /** actual / elapsed days × period days; null before the period starts. */
  forecast: TriMeasure<number | null>;
  expenses: BudgetVsActual;
}>;
export type SalesProgressReport = Readonly<{
  period: string;
  asOf: BusinessDate;
  revenueBasis: RevenueBasis;
  periodDays: number;
  elapsedDays: number;
  rows: readonly ProgressRow[];
  /** Credited shares whose salesperson had no assignment on the credit date: counted for them and the company only. */
  unattributed: readonly Readonly<{ factId: string; employeeId: string }>[];
}>;

// ── Calculation ──────────────────────────────────────────────────────────────
const KINDS: readonly SalesFactKind[] = ['booked', 'delivered', 'invoiced', 'collected'];
const LEVEL_ORDER: Record<ProgressLevel, number> = { company: 0, region: 1, team: 2, salesperson: 3 };
const COMPANY = 'company';

type Bucket = Record<SalesFactKind, { amount: Minor; quantity: number; grossMargin: Minor }> & { expenses: Minor };
const emptyBucket = (): Bucket => ({
  booked: { amount: 0, quantity: 0, grossMargin: 0 },
  delivered: { amount: 0, quantity: 0, grossMargin: 0 },
  invoiced: { amount: 0, quantity: 0, grossMargin: 0 },
  collected: { amount: 0, quantity: 0, grossMargin: 0 },
  expenses: 0,
});

/** Adds a credited share to the bucket's totals of the fact's kind. */
const addShare = (bucket: Bucket, kind: SalesFactKind, share: Readonly<{ amount: Minor; quantity: number; grossMargin: Minor }>): void => {
  const totals = bucket[kind];
  totals.amount += share.amount;
  totals.quantity += share.quantity;
  totals.grossMargin += share.grossMargin;
};

/**
 * Each credited share of the facts that count (`counts` their business date), with the assignment of its
 * salesperson on the credit date; a fact of an unknown kind is refused.
 */
function* creditedShares(input: SalesProgressInput, counts: (date: BusinessDate) => boolean) {
  for (const fact of input.facts) {
    if (!KINDS.includes(fact.kind))
      throw ruleViolation('InvalidSalesFact', `Unknown fact kind ${String(fact.kind)}`, { factId: fact.factId });
    if (!counts(fact.businessDate)) continue;
    const creditDate = fact.creditDate ?? fact.businessDate;
    for (const share of splitCredit({ ...fact, grossMargin: fact.amount - fact.cost }))
      yield {
        factId: fact.factId,
        kind: fact.kind,
        share,
        assignment: assignmentOn(input.assignments[share.employeeId] ?? [], creditDate),
      };
  }
}

// ── Targets as the organization stood (ADR 0215) ─────────────────────────────
/** A part of a salesperson's target for the period, held by the team (and region) they were in. */
export type TargetHolding = Readonly<{ employeeId: string; teamId: string; regionId: string; target: TargetMeasures }>;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Each salesperson's target for the period, held where they were (ADR 0215): every month's target is split by
 * the days of the month they were in each team (largest remainders, ties to the earlier placement), so a
 * salesperson transferred mid-month brings the share of their month for the days in the new team with them. On
 * days without an assignment (before joining, after leaving) it stays where the plan places them.
 */
export const targetHoldings = (
  plan: TargetPlanView | null,
  assignments: Readonly<Record<string, readonly AssignmentInterval[]>>,
  period: Period,
): TargetHolding[] => {
  if (!plan || plan.year !== period.year) return [];
  const regionOfTeam = new Map(plan.nodes.filter((n) => n.nodeKind === 'team').map((n) => [n.nodeId, n.parentId]));
  const held = new Map<string, { employeeId: string; teamId: string; regionId: string; target: TargetMeasures }>();
  for (const person of plan.nodes.filter((n) => n.nodeKind === 'salesperson')) {
    const months = monthlyTargets(person);
    const history = assignments[person.nodeId] ?? [];
    const planned = { teamId: person.parentId, regionId: regionOfTeam.get(person.parentId) ?? '' };
    for (const month of period.months) {
      const first = `${period.year}-${pad2(month)}-01`;
      const days = periodDays(parsePeriod(`${period.year}-${pad2(month)}`)!);
      const places: { teamId: string; regionId: string; days: number }[] = [];
      for (let d = 0; d < days; d++) {
        const at = (history.length === 0 ? null : assignmentOn(history, addDays(first, d))) ?? planned;
        const place = places.find((p) => p.teamId === at.teamId && p.regionId === at.regionId);
        if (place) place.days += 1;
        else places.push({ teamId: at.teamId, regionId: at.regionId, days: 1 });
      }
      const split = MEASURES.map((m) =>
        allocateByWeights(
          months[month - 1][m],
          places.map((p) => p.days),
        ),
      );
      places.forEach((place, i) => {
        const key = `${person.nodeId}|${place.teamId}|${place.regionId}`;
        const share: TargetMeasures = { revenue: split[0][i], quantity: split[1][i], grossMargin: split[2][i], expenseBudget: split[3][i] };
        const before = held.get(key);
        held.set(key, {
          employeeId: person.nodeId,
          teamId: place.teamId,
          regionId: place.regionId,
          target: addMeasures(before?.target ?? ZERO_MEASURES, share),
        });
      });
    }
  }
  return [...held.values()];
};

/** A node's period targets and its children's shares, from the plan and where the salespeople were (ADR 0215). */
export type PeriodTargets = Readonly<{
  /** The period's target of a node; null when it has none. */
  of: (level: ProgressLevel, nodeId: string) => TargetMeasures | null;
  /** A child's share of its parent's target (adds up to the parent's for a parent with children in the plan). */
  under: (childLevel: ProgressLevel, childId: string, parentId: string) => TargetMeasures | null;
  /** Children holding a part of the parent's target, whether or not the plan places them there. */
  holders: (parent: Readonly<{ level: ParentLevel; nodeId: string }>) => string[];
}>;

/**
 * The period's targets (ADR 0204, 0215): a salesperson's is their own; a team's is what its salespeople hold in it
 * (`targetHoldings`), a region's what its teams hold, the company's for a month or quarter what its regions hold (for
 * the year, its own). A node the plan gives no children (a leaf) keeps its own period target, to which a salesperson
 * transferred into it adds what they hold there. So children's targets add up to the parent's in every month, quarter
 * and year, transfers included, without a revision.
 */
export const periodTargets = (
  plan: TargetPlanView | null,
  assignments: Readonly<Record<string, readonly AssignmentInterval[]>>,
  period: Period,
): PeriodTargets => {
  const nodes = plan && plan.year === period.year ? plan.nodes : [];
  const holdings = targetHoldings(plan, assignments, period);
  const find = (kind: TargetAssignment['nodeKind'], id: string) => nodes.find((n) => n.nodeKind === kind && n.nodeId === id);
  const isLeaf = (node: TargetAssignment) => !nodes.some((n) => n.parentKind === node.nodeKind && n.parentId === node.nodeId);
  const total = (hs: readonly TargetHolding[], own: TargetMeasures | null): TargetMeasures =>
    hs.reduce((sum, h) => addMeasures(sum, h.target), own ?? ZERO_MEASURES);
  const leafOwn = (node: TargetAssignment | undefined, parentId?: string): TargetMeasures | null =>
    node && isLeaf(node) && (parentId === undefined || node.parentId === parentId) ? periodTarget(node, period) : null;

  const teamUnder = (teamId: string, regionId: string | null): TargetMeasures | null => {
    const node = find('team', teamId);
    const hs = holdings.filter((h) => h.teamId === teamId && (regionId === null || h.regionId === regionId));
    if (!node && hs.length === 0) return null;
    return total(hs, leafOwn(node, regionId ?? undefined));
  };
  const region = (regionId: string): TargetMeasures | null => {
    const node = find('region', regionId);
    const hs = holdings.filter((h) => h.regionId === regionId);
    if (!node && hs.length === 0) return null;
    const leafTeams = nodes.filter((n) => n.nodeKind === 'team' && n.parentId === regionId && isLeaf(n));
    return leafTeams.reduce((sum, t) => addMeasures(sum, periodTarget(t, period)), total(hs, leafOwn(node)));
  };
  const regionIds = (): string[] => [
    ...new Set([...nodes.filter((n) => n.nodeKind === 'region').map((n) => n.nodeId), ...holdings.map((h) => h.regionId)]),
  ];
  const of = (level: ProgressLevel, nodeId: string): TargetMeasures | null => {
    if (!plan || plan.year !== period.year) return null;
    switch (level) {
      case 'company': {
        if (period.kind === 'year') return plan.company;
        if (!nodes.some((n) => n.nodeKind === 'region')) return null;
        return regionIds().reduce((sum, r) => addMeasures(sum, region(r) ?? ZERO_MEASURES), ZERO_MEASURES);
      }
      case 'region':
        return region(nodeId);
      case 'team':
        return teamUnder(nodeId, null);
      case 'salesperson': {
        const node = find('salesperson', nodeId);
        return node ? periodTarget(node, period) : null;
      }
    }
  };
  const under = (childLevel: ProgressLevel, childId: string, parentId: string): TargetMeasures | null => {
    switch (childLevel) {
      case 'company':
      case 'region':
        return of(childLevel, childId);
      case 'team':
        return teamUnder(childId, parentId) ?? (find('team', childId) ? ZERO_MEASURES : null);
      case 'salesperson':
        return find('salesperson', childId)
          ? total(
              holdings.filter((h) => h.employeeId === childId && h.teamId === parentId),
              null,
            )
          : null;
    }
  };
  const holders = (parent: Readonly<{ level: ParentLevel; nodeId: string }>): string[] => {
    switch (parent.level) {
      case 'company':
        return regionIds();
      case 'region':
        return holdings.filter((h) => h.regionId === parent.nodeId).map((h) => h.teamId);
      case 'team':
        return holdings.filter((h) => h.teamId === parent.nodeId).map((h) => h.employeeId);
    }
  };
  return { of, under, holders };
};

/** The period's target of a node, as `periodTargets` gives it (ADR 0204, 0215). */
export const nodePeriodTarget = (
  plan: TargetPlanView | null,
  level: ProgressLevel,
  nodeId: string,
  period: Period,
  assignments: Readonly<Record<string, readonly AssignmentInterval[]>> = {},
): TargetMeasures | null => periodTargets(plan, assignments, period).of(level, nodeId);

/** Run-rate: actual / elapsed days × period days, rounded half away from zero; the actual itself once the period is over. */
export const runRateForecast = (actual: number, elapsed: number, days: number): number | null =>
  elapsed <= 0 ? null : elapsed >= days ? actual : mulDivRound(actual, days, elapsed);

const achievement = (actual: number, target: number | undefined): BasisPoints | null =>
  target === undefined || target === 0 ? null : ratioInBasisPoints(actual, target);

/** A row from its bucket and target, the same way at every level and in every drill-down. */
const progressRowOf = (
  level: ProgressLevel,
  nodeId: string,
  bucket: Bucket,
  target: TargetMeasures | null,
  revenueBasis: RevenueBasis,
  elapsed: number,
  days: number,
): ProgressRow => {
  const basis = bucket[revenueBasis];
  const actual: Actuals = {
    ordersBooked: bucket.booked.amount,
    revenueDelivered: bucket.delivered.amount,
    revenueInvoiced: bucket.invoiced.amount,
    cashCollected: bucket.collected.amount,
    revenue: basis.amount,
    quantity: basis.quantity,
    grossMargin: basis.grossMargin,
  };
  return {
    level,
    nodeId,
    target,
    actual,
    achievementBp: {
      revenue: achievement(actual.revenue, target?.revenue),
      quantity: achievement(actual.quantity, target?.quantity),
      grossMargin: achievement(actual.grossMargin, target?.grossMargin),
    },
    forecast: {
      revenue: runRateForecast(actual.revenue, elapsed, days),
      quantity: runRateForecast(actual.quantity, elapsed, days),
      grossMargin: runRateForecast(actual.grossMargin, elapsed, days),
    },
    expenses: budgetVsActual(target?.expenseBudget ?? 0, bucket.expenses),
  };
};

export const salesProgress = (input: SalesProgressInput): SalesProgressReport => {
  const period = requirePeriod(input.period);
  const { revenueBasis } = validateTargetsSettings({ ...DEFAULT_TARGETS_SETTINGS, ...input.settings });
  const counts = (date: BusinessDate) => isWithin(period, date) && compareDates(date, input.asOf) <= 0;

  const buckets = new Map<string, { level: ProgressLevel; nodeId: string; bucket: Bucket }>();
  const bucketOf = (level: ProgressLevel, nodeId: string): Bucket => {
    const key = `${level}:${nodeId}`;
    if (!buckets.has(key)) buckets.set(key, { level, nodeId, bucket: emptyBucket() });
    return buckets.get(key)!.bucket;
  };
  const unattributed: { factId: string; employeeId: string }[] = [];

  const targets = periodTargets(input.plan, input.assignments, period);
  bucketOf('company', COMPANY);
  for (const node of input.plan && input.plan.year === period.year ? input.plan.nodes : []) bucketOf(node.nodeKind, node.nodeId);
  for (const holding of targetHoldings(input.plan, input.assignments, period)) {
    bucketOf('team', holding.teamId);
    bucketOf('region', holding.regionId);
  }

  for (const { factId, kind, share, assignment } of creditedShares(input, counts)) {
    const targets: Bucket[] = [bucketOf('salesperson', share.employeeId), bucketOf('company', COMPANY)];
    if (assignment) targets.push(bucketOf('team', assignment.teamId), bucketOf('region', assignment.regionId));
    else unattributed.push({ factId, employeeId: share.employeeId });
    for (const bucket of targets) addShare(bucket, kind, share);
  }

  for (const expense of input.expenses ?? []) {
    if (!counts(expense.spentOn)) continue;
    bucketOf('company', COMPANY).expenses += expense.amount;
    bucketOf('region', expense.regionId).expenses += expense.amount;
    if (expense.employeeId === null) continue;
    bucketOf('salesperson', expense.employeeId).expenses += expense.amount;
    const assignment = assignmentOn(input.assignments[expense.employeeId] ?? [], expense.spentOn);
    if (assignment) bucketOf('team', assignment.teamId).expenses += expense.amount;
  }

  const days = periodDays(period);
  const elapsed = elapsedDays(period, input.asOf);
  const rows = [...buckets.values()]
    .sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0))
    .map(({ level, nodeId, bucket }): ProgressRow =>
      progressRowOf(level, nodeId, bucket, targets.of(level, nodeId), revenueBasis, elapsed, days),
    );

  return { period: period.label, asOf: input.asOf, revenueBasis, periodDays: days, elapsedDays: elapsed, rows, unattributed };
};

/** One row of a report, by level and node. */
export const progressRow = (report: SalesProgressReport, level: ProgressLevel, nodeId: string): ProgressRow | undefined =>
  report.rows.find((r) => r.level === level && r.nodeId === nodeId);

// ── Drill-down (ADR 0212) ────────────────────────────────────────────────────
export type ParentLevel = Exclude<ProgressLevel, 'salesperson'>;
export const CHILD_LEVEL: Readonly<Record<ParentLevel, ProgressLevel>> = { company: 'region', region: 'team', team: 'salesperson' };
/** The child that holds, under the company, sales of people without an assignment on the credit date, and under a region its expenses booked to no team. */
export const UNASSIGNED_CHILD = '(unassigned)';

/** The child of `parent` a credited share goes to, or null when the share is not credited to the parent. */
const childOfShare = (
  parent: Readonly<{ level: ParentLevel; nodeId: string }>,
  employeeId: string,
  assignment: Readonly<{ teamId: string; regionId: string }> | null,
): string | null => {
  switch (parent.level) {
    case 'company':
      return assignment?.regionId ?? UNASSIGNED_CHILD;
    case 'region':
      return assignment?.regionId === parent.nodeId ? assignment.teamId : null;
    case 'team':
      return assignment?.teamId === parent.nodeId ? employeeId : null;
  }
};

/**
 * The children of a company, region or team node for the period, each showing only what was credited to that
 * parent (ADR 0211: by the salesperson's assignment on the credit date), so the children add up to the parent
 * for every figure and basis. Sales: regions of the company (plus UNASSIGNED_CHILD for people without an
 * assignment), teams of the region, salespeople of the team. Expenses: the parent's expenses by region, by team
 * of the spender on the day (UNASSIGNED_CHILD for the region's own), by spender. Targets: what the child holds of
 * the parent's target for the period, by the days its salespeople were there (`periodTargets`, ADR 0215). `childIds` adds children with nothing credited.
 */
export const salesProgressChildren = (
  input: SalesProgressInput,
  parent: Readonly<{ level: ParentLevel; nodeId: string }>,
  childIds: readonly string[] = [],
): ProgressRow[] => {
  const period = requirePeriod(input.period);
  const { revenueBasis } = validateTargetsSettings({ ...DEFAULT_TARGETS_SETTINGS, ...input.settings });
  const counts = (date: BusinessDate) => isWithin(period, date) && compareDates(date, input.asOf) <= 0;
  const childLevel = CHILD_LEVEL[parent.level];
  const buckets = new Map<string, Bucket>();
  const bucketOf = (childId: string): Bucket => {
    if (!buckets.has(childId)) buckets.set(childId, emptyBucket());
    return buckets.get(childId)!;
  };
  const targets = periodTargets(input.plan, input.assignments, period);
  for (const id of [...childIds, ...targets.holders(parent)]) bucketOf(id);

  for (const { kind, share, assignment } of creditedShares(input, counts)) {
    const childId = childOfShare(parent, share.employeeId, assignment);
    if (childId !== null) addShare(bucketOf(childId), kind, share);
  }
  for (const expense of input.expenses ?? []) {
    if (!counts(expense.spentOn)) continue;
    const assignment = expense.employeeId === null ? null : assignmentOn(input.assignments[expense.employeeId] ?? [], expense.spentOn);
    let childId: string | null;
    if (parent.level === 'company') childId = expense.regionId;
    else if (parent.level === 'region') childId = expense.regionId === parent.nodeId ? (assignment?.teamId ?? UNASSIGNED_CHILD) : null;
    else childId = expense.employeeId !== null && assignment?.teamId === parent.nodeId ? expense.employeeId : null;
    if (childId !== null) bucketOf(childId).expenses += expense.amount;
  }

  const days = periodDays(period);
  const elapsed = elapsedDays(period, input.asOf);
  const targetOf = (childId: string): TargetMeasures | null => {
    if (childId === UNASSIGNED_CHILD) return null;
    return targets.under(childLevel, childId, parent.nodeId);
  };
  return [...buckets.entries()]
    .filter(([childId, bucket]) => childId !== UNASSIGNED_CHILD || !isEmptyBucket(bucket))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([childId, bucket]) => progressRowOf(childLevel, childId, bucket, targetOf(childId), revenueBasis, elapsed, days));
};

/** Under a region's unassigned child, the region's own expenses (spent by no one). */
export const NO_SPENDER = '(no spender)';

/**
 * What the UNASSIGNED_CHILD of a company or region holds, by salesperson (ADR 0216), credited and split exactly
 * as in `salesProgressChildren`, so these rows add up to that child's row: under the company, the shares of people
 * without an assignment on the credit date; under a region, its expenses booked to no team, by spender (NO_SPENDER
 * for the region's own). No targets: the unassigned hold none (ADR 0215).
 */
export const unassignedChildren = (
  input: SalesProgressInput,
  parent: Readonly<{ level: 'company' | 'region'; nodeId: string }>,
): ProgressRow[] => {
  const period = requirePeriod(input.period);
  const { revenueBasis } = validateTargetsSettings({ ...DEFAULT_TARGETS_SETTINGS, ...input.settings });
  const counts = (date: BusinessDate) => isWithin(period, date) && compareDates(date, input.asOf) <= 0;
  const buckets = new Map<string, Bucket>();
  const bucketOf = (id: string): Bucket => {
    if (!buckets.has(id)) buckets.set(id, emptyBucket());
    return buckets.get(id)!;
  };
  if (parent.level === 'company')
    for (const fact of input.facts) {
      if (!KINDS.includes(fact.kind) || !counts(fact.businessDate)) continue;
      const creditDate = fact.creditDate ?? fact.businessDate;
      for (const share of splitCredit({ ...fact, grossMargin: fact.amount - fact.cost })) {
        if (!assignmentOn(input.assignments[share.employeeId] ?? [], creditDate)) addShare(bucketOf(share.employeeId), fact.kind, share);
      }
    }
  else
    for (const expense of input.expenses ?? []) {
      if (!counts(expense.spentOn) || expense.regionId !== parent.nodeId) continue;
      const assignment = expense.employeeId === null ? null : assignmentOn(input.assignments[expense.employeeId] ?? [], expense.spentOn);
      if (!assignment) bucketOf(expense.employeeId ?? NO_SPENDER).expenses += expense.amount;
    }
  const days = periodDays(period);
  const elapsed = elapsedDays(period, input.asOf);
  return [...buckets.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, bucket]) => progressRowOf('salesperson', id, bucket, null, revenueBasis, elapsed, days));
};

const isEmptyBucket = (bucket: Bucket): boolean =>
  bucket.expenses === 0 && KINDS.every((k) => bucket[k].amount === 0 && bucket[k].quantity === 0 && bucket[k].grossMargin === 0);
