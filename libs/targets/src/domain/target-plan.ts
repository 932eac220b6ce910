/**
 * Target plan decider — stream `target-plan-<year>`.
 * The company's annual target (revenue, quantity, gross margin, sales expense budget) cascades to regions,
 * teams and salespeople, each with a monthly distribution. Drafted, then finalized, then only revised with a reason.
 */
import type { BusinessDate, Command, Decider, DomainEvent } from '@salesline/shared-kernel';
import {
  assertNever,
  conflict,
  isValidId,
  notFound,
  requireStatus,
  ruleViolation,
  withEntry,
  withoutEntry,
  appended,
} from '@salesline/shared-kernel';
import { validateMonthlyDistribution } from './monthly-distribution';
import { businessDateOr } from './period';
import { CascadeGap, findGaps, findOverruns, hasChildren } from './target-cascade';
import { COMPANY_NODE_ID, MonthlyDistribution, PARENT_KIND, ParentKind, TargetAssignment, TargetMeasures } from './target-measures';
import { TargetNodeKind, measuresOf, nodeKey, parentKeyOf, validateMeasures } from './target-measures';
import { assertMayPlanTargets } from './target-planning-policy';

export const targetPlanStreamName = (year: number): string => `target-plan-${year}`;

/** A node's figures as a revision sees them; `monthly` is null for the company. */
export type TargetFigures = TargetMeasures & Readonly<{ monthly: MonthlyDistribution | null }>;
export type RevisableNodeKind = 'company' | TargetNodeKind;

// ── Events ───────────────────────────────────────────────────────────────────
export type CompanyTargetSet = DomainEvent<
  'CompanyTargetSet',
  TargetMeasures & {
    year: number;
    setBy: string;
    /** Business date it was set. */
    setOn: BusinessDate;
  }
>;
/** `assignedOn` / `withdrawnOn`: the business date of the planner's step (the plan's year says which year it is for). */
export type TargetAssigned = DomainEvent<
  'TargetAssigned',
  TargetAssignment & {
    year: number;
    /** Business date of the assignment. */
    assignedOn: BusinessDate;
  }
>;
export type TargetAssignmentWithdrawn = DomainEvent<
  'TargetAssignmentWithdrawn',
  { year: number; nodeKind: TargetNodeKind; nodeId: string; withdrawnOn: BusinessDate }
>;
export type TargetPlanFinalized = DomainEvent<'TargetPlanFinalized', { year: number; finalizedBy: string; finalizedOn: BusinessDate }>;
export type TargetRevised = DomainEvent<
  'TargetRevised',
  {
    year: number;
    revisionId: string;
    nodeKind: RevisableNodeKind;
    nodeId: string;
    parentKind: ParentKind | null;
    parentId: string | null;
    /** null when the revision adds the node */
    before: TargetFigures | null;
    /** null when the revision removes the node */
    after: TargetFigures | null;
    reason: string;
    revisedBy: string;
    revisedOn: BusinessDate;
  }
>;
export type TargetPlanEvent = CompanyTargetSet | TargetAssigned | TargetAssignmentWithdrawn | TargetPlanFinalized | TargetRevised;

// ── Commands ─────────────────────────────────────────────────────────────────
/** Every planning step takes its business date (`setOn`, `assignedOn`, `withdrawnOn`, `finalizedOn`, `revisedOn`; default today, never in the future). */
export type SetCompanyTarget = Command<'SetCompanyTarget', TargetMeasures & { year: number; setOn?: BusinessDate }>;
/** `parentId` is the region of a team, the team of a salesperson; ignored for a region (its parent is the company). */
/** Quantity, margin and expense budget left out (null) are derived from the parent's ratios to its revenue (`deriveFromParent`). */
export type AssignTarget = Command<
  'AssignTarget',
  Pick<TargetMeasures, 'revenue'> &
    Partial<Record<'quantity' | 'grossMargin' | 'expenseBudget', number | null>> & {
      nodeKind: TargetNodeKind;
      nodeId: string;
      parentId: string;
      monthly: MonthlyDistribution;
      assignedOn?: BusinessDate;
    }
>;
export type WithdrawTargetAssignment = Command<
  'WithdrawTargetAssignment',
  { nodeKind: TargetNodeKind; nodeId: string; withdrawnOn?: BusinessDate }
>;
export type FinalizeTargetPlan = Command<'FinalizeTargetPlan', { finalizedOn?: BusinessDate }>;
/** One node's change in a revision: new figures (`monthly` required except for the company), or null to remove it. */
export type TargetChange = Readonly<{
  nodeKind: RevisableNodeKind;
  nodeId: string;
  /** New parent (a moved or added node); defaults to the current parent. */
  parentId?: string;
  /** Quantity, margin and budget left out (null) are derived from the parent as revised (ADR 0213, 0214); all four for the company. */
  target:
    | (Pick<TargetMeasures, 'revenue'> &
        Partial<Record<'quantity' | 'grossMargin' | 'expenseBudget', number | null>> & { monthly?: MonthlyDistribution })
    | null;
}>;
export type ReviseTargets = Command<
  'ReviseTargets',
  { revisionId: string; reason: string; changes: readonly TargetChange[]; revisedOn?: BusinessDate }
>;

export type TargetPlanCommand = SetCompanyTarget | AssignTarget | WithdrawTargetAssignment | FinalizeTargetPlan | ReviseTargets;

// ── State ────────────────────────────────────────────────────────────────────
export type TargetRevisionRecord = TargetRevised['data'];
type PlanBody = Readonly<{ year: number; company: TargetMeasures; nodes: Readonly<Record<string, TargetAssignment>> }>;
export type TargetPlanState =
  | Readonly<{ status: 'none' }>
  | (PlanBody & { status: 'drafting' })
  | (PlanBody & { status: 'finalized'; finalizedOn: BusinessDate; revisions: readonly TargetRevisionRecord[] });

export const initialTargetPlanState = (): TargetPlanState => ({ status: 'none' });

// ── Decide ───────────────────────────────────────────────────────────────────
const drafting = (state: TargetPlanState) =>
  requireStatus(state, 'drafting', {
    none: () => notFound('TargetPlanNotFound', 'Set the company target for the year first'),
    finalized: (s) =>
      conflict('TargetPlanAlreadyFinalized', 'The plan is finalized; change it with a revision', { finalizedOn: s.finalizedOn }),
  });

const gapError = (code: string, verb: string, gaps: CascadeGap[]) => {
  const g = gaps[0];
  const name = g.nodeKind === 'company' ? 'the company' : `${g.nodeKind} ${g.nodeId}`;
  return ruleViolation(code, `${name}: ${g.measure} allocated to its children is ${g.allocated}, ${verb} ${g.target}`, { ...g, gaps });
};

const assertNoOverrun = (plan: PlanBody): void => {
  const overruns = findOverruns(plan);
  if (overruns.length > 0) throw gapError('TargetExceedsParent', 'more than its target of', overruns);
};

const requireNodeKind = (kind: unknown): TargetNodeKind => {
  if (kind !== 'region' && kind !== 'team' && kind !== 'salesperson')
    throw ruleViolation('InvalidTargetNode', "nodeKind must be 'region', 'team' or 'salesperson'");
  return kind;
};

/** Build a node; its parent must already carry a target in the plan. */
const buildNode = (
  plan: PlanBody,
  nodeKind: TargetNodeKind,
  nodeId: string,
  parentId: string | undefined,
  figures: TargetMeasures & { monthly?: MonthlyDistribution },
): TargetAssignment => {
  if (!isValidId(nodeId)) throw ruleViolation('InvalidTargetNode', 'nodeId must be an id');
  const parentKind = PARENT_KIND[nodeKind];
  const resolvedParent = parentKind === 'company' ? COMPANY_NODE_ID : parentId;
  if (parentKind !== 'company' && (!resolvedParent || !plan.nodes[nodeKey(parentKind, resolvedParent)]))
    throw ruleViolation('ParentTargetMissing', `Assign ${parentKind} ${resolvedParent ?? '(none)'} a target before its ${nodeKind}s`, {
      parentKind,
      parentId: resolvedParent,
    });
  const measures = validateMeasures(figures);
  if (!figures.monthly) throw ruleViolation('MonthlyDistributionInvalid', 'A monthly distribution is required');
  return {
    nodeKind,
    nodeId,
    parentKind,
    parentId: resolvedParent!,
    ...measures,
    monthly: validateMonthlyDistribution(figures.monthly, measures),
  };
};

/** The figures of a node's parent in the plan (the company's for a region); null when the parent has none yet. */
const parentFigures = (plan: PlanBody, nodeKind: TargetNodeKind, parentId: string | undefined): TargetMeasures | null => {
  const parentKind = PARENT_KIND[nodeKind];
  if (parentKind === 'company') return plan.company;
  const parent = parentId ? plan.nodes[nodeKey(parentKind, parentId)] : undefined;
  return parent ? measuresOf(parent) : null;
};

/**
 * Figures left out are derived from the parent (ADR 0213): the node's revenue × the parent's figure / the parent's
 * revenue — the parent's margin rate, units per revenue and expense ratio — rounded down, so children derived this
 * way never add up to more than their parent; 0 when the parent's revenue is 0.
 */
export const deriveFromParent = (
  given: Pick<TargetMeasures, 'revenue'> & Partial<Record<'quantity' | 'grossMargin' | 'expenseBudget', number | null>>,
  parent: TargetMeasures | null,
): TargetMeasures => {
  const derive = (measure: 'quantity' | 'grossMargin' | 'expenseBudget'): number => {
    const value = given[measure];
    if (value !== undefined && value !== null) return value;
    if (!parent)
      throw ruleViolation(
        'ParentTargetMissing',
        `${measure} is derived from the parent's target; assign the parent first or give ${measure}`,
        { measure },
      );
    if (!Number.isSafeInteger(given.revenue) || given.revenue < 0 || parent.revenue === 0) return 0;
    return Number((BigInt(given.revenue) * BigInt(parent[measure])) / BigInt(parent.revenue));
  };
  return {
    revenue: given.revenue,
    quantity: derive('quantity'),
    grossMargin: derive('grossMargin'),
    expenseBudget: derive('expenseBudget'),
  };
};

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const figuresOf = (node: TargetAssignment): TargetFigures => ({ ...measuresOf(node), monthly: node.monthly });

const planDateOr = (value: BusinessDate | undefined, today: BusinessDate, field: string): BusinessDate =>
  businessDateOr(value, today, field, 'InvalidTargetDate');

export const decideTargetPlan = (command: TargetPlanCommand, state: TargetPlanState): TargetPlanEvent[] => {
  const { actor, today } = command.context;
  assertMayPlanTargets(actor);
  switch (command.type) {
    case 'SetCompanyTarget': {
      const { year, setOn, ...figures } = command.data;
      if (!Number.isInteger(year) || year < 2000 || year > 2200) throw ruleViolation('InvalidTargetYear', 'year must be a calendar year');
      if (state.status !== 'none' && state.year !== year) throw conflict('TargetYearMismatch', `This plan is for ${state.year}`);
      const company = validateMeasures(figures);
      if (state.status !== 'none') {
        const plan = drafting(state);
        if (sameJson(company, plan.company)) return [];
        assertNoOverrun({ ...plan, company });
      }
      return [{ type: 'CompanyTargetSet', data: { year, ...company, setBy: actor.userId, setOn: planDateOr(setOn, today, 'setOn') } }];
    }
    case 'AssignTarget': {
      const plan = drafting(state);
      const { nodeKind, nodeId, parentId, monthly, assignedOn, ...given } = command.data;
      const kind = requireNodeKind(nodeKind);
      const figures = deriveFromParent(given, parentFigures(plan, kind, parentId));
      const node = buildNode(plan, kind, nodeId, parentId, { ...figures, monthly });
      const key = nodeKey(node.nodeKind, node.nodeId);
      if (sameJson(plan.nodes[key], node)) return [];
      assertNoOverrun({ ...plan, nodes: { ...plan.nodes, [key]: node } });
      return [{ type: 'TargetAssigned', data: { year: plan.year, ...node, assignedOn: planDateOr(assignedOn, today, 'assignedOn') } }];
    }
    case 'WithdrawTargetAssignment': {
      const plan = drafting(state);
      const key = nodeKey(command.data.nodeKind, command.data.nodeId);
      if (!plan.nodes[key]) throw notFound('TargetNotFound', `No target for ${command.data.nodeKind} ${command.data.nodeId}`);
      if (hasChildren(plan.nodes, key)) throw conflict('TargetHasChildren', 'Withdraw the targets below this node first');
      const withdrawnOn = planDateOr(command.data.withdrawnOn, today, 'withdrawnOn');
      return [
        {
          type: 'TargetAssignmentWithdrawn',
          data: { year: plan.year, nodeKind: command.data.nodeKind, nodeId: command.data.nodeId, withdrawnOn },
        },
      ];
    }
    case 'FinalizeTargetPlan': {
      const plan = drafting(state);
      const gaps = findGaps(plan);
      if (gaps.length > 0) throw gapError('TargetCascadeIncomplete', 'not its target of', gaps);
      const finalizedOn = planDateOr(command.data?.finalizedOn, today, 'finalizedOn');
      return [{ type: 'TargetPlanFinalized', data: { year: plan.year, finalizedBy: actor.userId, finalizedOn } }];
    }
    case 'ReviseTargets':
      return reviseTargets(command, state);
    default:
      return assertNever(command);
  }
};

type Derivable = 'quantity' | 'grossMargin' | 'expenseBudget';
const DERIVABLE: readonly Derivable[] = ['quantity', 'grossMargin', 'expenseBudget'];

/**
 * A revision may touch many nodes at once; the resulting plan must add up exactly again (ADR 0203).
 * Quantity, margin and budget left out of a revised node are derived from its parent as revised in the same
 * revision (`deriveFromParent`, ADR 0213); as the revision must add up at once, the units rounding down leaves
 * under a parent (fewer than the siblings derived there) go one each to the derived siblings with the largest
 * remainders, ties to the earlier in the revision (ADR 0214).
 */
const reviseTargets = (command: ReviseTargets, state: TargetPlanState): TargetPlanEvent[] => {
  if (state.status === 'none') throw notFound('TargetPlanNotFound', 'There is no target plan for this year');
  if (state.status === 'drafting')
    throw conflict('TargetPlanNotFinalized', 'While drafting, assign targets directly; revisions follow finalization');
  const { revisionId, reason, changes } = command.data;
  const { actor, today } = command.context;
  if (!isValidId(revisionId)) throw ruleViolation('InvalidRevision', 'revisionId must be an id');
  if (typeof reason !== 'string' || reason.trim() === '') throw ruleViolation('RevisionReasonRequired', 'A revision needs a reason');
  if (!changes || changes.length === 0) throw ruleViolation('NothingToRevise', 'A revision needs at least one change');
  const keys = changes.map((c) => nodeKey(c.nodeKind, c.nodeId));
  if (new Set(keys).size !== keys.length) throw ruleViolation('DuplicateRevisionNode', 'Each node may appear once in a revision');

  // Apply company first, then regions, teams, salespeople, so parents exist (and are revised) before their children.
  const rank = { company: 0, region: 1, team: 2, salesperson: 3 } as const;
  let company = state.company;
  const nodes: Record<string, TargetAssignment> = { ...state.nodes };
  const revisedOn = planDateOr(command.data.revisedOn, today, 'revisedOn');
  const base = { year: state.year, revisionId, reason: reason.trim(), revisedBy: actor.userId, revisedOn };

  for (const level of [0, 1, 2, 3]) {
    /** Nodes of this level whose figures were derived here, with what rounding down left of each measure. */
    const derived: { key: string; order: number; remainders: Partial<Record<Derivable, bigint>> }[] = [];
    changes.forEach((change, order) => {
      if (rank[change.nodeKind] !== level) return;
      const key = nodeKey(change.nodeKind, change.nodeId);
      if (change.nodeKind === 'company') {
        if (!change.target) throw ruleViolation('InvalidTargetNode', 'The company target cannot be removed');
        company = validateMeasures(change.target as TargetMeasures);
        return;
      }
      const nodeKind = requireNodeKind(change.nodeKind);
      const current = state.nodes[key];
      if (!change.target) {
        if (!current) throw notFound('TargetNotFound', `No target for ${nodeKind} ${change.nodeId}`);
        delete nodes[key];
        return;
      }
      const plan = { ...state, company, nodes };
      const parentId = change.parentId ?? current?.parentId;
      const parent = parentFigures(plan, nodeKind, parentId);
      const figures = deriveFromParent(change.target, parent);
      nodes[key] = buildNode(plan, nodeKind, change.nodeId, parentId, {
        ...figures,
        monthly: change.target.monthly ?? current?.monthly,
      });
      const left = DERIVABLE.filter((m) => change.target![m] === undefined || change.target![m] === null);
      if (left.length > 0 && parent && parent.revenue > 0 && Number.isSafeInteger(figures.revenue))
        derived.push({
          key,
          order,
          remainders: Object.fromEntries(left.map((m) => [m, (BigInt(figures.revenue) * BigInt(parent[m])) % BigInt(parent.revenue)])),
        });
    });
    placeRoundingUnits({ ...state, company, nodes }, nodes, derived);
  }

  for (const key of Object.keys(nodes)) {
    const parent = nodes[key].parentKind === 'company' ? COMPANY_NODE_ID : nodeKey(nodes[key].parentKind, nodes[key].parentId);
    if (parent !== COMPANY_NODE_ID && !nodes[parent])
      throw conflict('TargetHasChildren', `Removing ${parent} would orphan ${key}`, { node: parent });
  }
  // One event per changed node, in the order the changes were given.
  const revised: TargetRevised['data'][] = [];
  for (const change of changes) {
    if (change.nodeKind === 'company') {
      if (!sameJson(company, state.company))
        revised.push({
          ...base,
          nodeKind: 'company',
          nodeId: COMPANY_NODE_ID,
          parentKind: null,
          parentId: null,
          before: { ...state.company, monthly: null },
          after: { ...company, monthly: null },
        });
      continue;
    }
    const key = nodeKey(change.nodeKind, change.nodeId);
    const [before, after] = [state.nodes[key], nodes[key]];
    if (sameJson(before, after)) continue;
    const placed = after ?? before;
    revised.push({
      ...base,
      nodeKind: change.nodeKind,
      nodeId: change.nodeId,
      parentKind: placed.parentKind,
      parentId: placed.parentId,
      before: before ? figuresOf(before) : null,
      after: after ? figuresOf(after) : null,
    });
  }
  if (revised.length === 0) throw ruleViolation('NothingToRevise', 'The revision changes nothing');
  const gaps = findGaps({ company, nodes });
  if (gaps.length > 0) throw gapError('TargetRevisionUnbalanced', 'not its target of', gaps);
  return revised.map((data) => ({ type: 'TargetRevised', data }));
};

/**
 * Under each parent, the units of a derived measure that rounding down left short of the parent's figure, when
 * fewer than the siblings derived there, go one each to those with the largest remainders (ties to the earlier
 * in the revision). A larger gap is the planner's to close and is refused by the balance check.
 */
const placeRoundingUnits = (
  plan: PlanBody,
  nodes: Record<string, TargetAssignment>,
  derived: readonly { key: string; order: number; remainders: Partial<Record<Derivable, bigint>> }[],
): void => {
  const byParent = new Map<string, typeof derived>();
  for (const d of derived) {
    const parent = parentKeyOf(nodes[d.key]);
    byParent.set(parent, [...(byParent.get(parent) ?? []), d]);
  }
  for (const [parentKey, siblings] of byParent) {
    const parent = parentKey === COMPANY_NODE_ID ? plan.company : nodes[parentKey];
    for (const measure of DERIVABLE) {
      const candidates = siblings.filter((d) => d.remainders[measure] !== undefined && d.remainders[measure]! > 0n);
      const allocated = Object.values(nodes)
        .filter((n) => parentKeyOf(n) === parentKey)
        .reduce((sum, n) => sum + n[measure], 0);
      const short = parent[measure] - allocated;
      if (short <= 0 || short > candidates.length) continue;
      const ranked = [...candidates].sort((a, b) => {
        const [ra, rb] = [a.remainders[measure]!, b.remainders[measure]!];
        return ra === rb ? a.order - b.order : ra > rb ? -1 : 1;
      });
      for (const d of ranked.slice(0, short)) {
        const node = nodes[d.key];
        nodes[d.key] = {
          ...node,
          [measure]: node[measure] + 1,
          monthly: validateMonthlyDistribution(node.monthly, { ...node, [measure]: node[measure] + 1 }),
        };
      }
    }
  }
};

// ── Evolve ───────────────────────────────────────────────────────────────────
export const evolveTargetPlan = (state: TargetPlanState, event: TargetPlanEvent): TargetPlanState => {
  switch (event.type) {
    case 'CompanyTargetSet': {
      const { year, setBy: _b, setOn: _o, ...company } = event.data;
      return state.status === 'none' ? { status: 'drafting', year, company, nodes: {} } : { ...state, company };
    }
    case 'TargetAssigned': {
      if (state.status === 'none') return state;
      const { year: _y, assignedOn: _a, ...node } = event.data;
      return { ...state, nodes: withEntry(state.nodes, nodeKey(node.nodeKind, node.nodeId), node) };
    }
    case 'TargetAssignmentWithdrawn': {
      if (state.status === 'none') return state;
      return { ...state, nodes: withoutEntry(state.nodes, nodeKey(event.data.nodeKind, event.data.nodeId)) };
    }
    case 'TargetPlanFinalized':
      return state.status === 'drafting' ? { ...state, status: 'finalized', finalizedOn: event.data.finalizedOn, revisions: [] } : state;
    case 'TargetRevised': {
      if (state.status !== 'finalized') return state;
      const r = event.data;
      const revisions = appended(state.revisions, r);
      if (r.nodeKind === 'company') return r.after ? { ...state, company: measuresOf(r.after), revisions } : { ...state, revisions };
      const key = nodeKey(r.nodeKind, r.nodeId);
      if (r.after === null) {
        return { ...state, nodes: withoutEntry(state.nodes, key), revisions };
      }
      const node: TargetAssignment = {
        nodeKind: r.nodeKind,
        nodeId: r.nodeId,
        parentKind: r.parentKind!,
        parentId: r.parentId!,
        ...measuresOf(r.after),
        monthly: r.after.monthly!,
      };
      return { ...state, nodes: withEntry(state.nodes, key, node), revisions };
    }
    default:
      return assertNever(event);
  }
};

export const targetPlanDecider: Decider<TargetPlanState, TargetPlanCommand, TargetPlanEvent> = {
  decide: decideTargetPlan,
  evolve: evolveTargetPlan,
  initialState: initialTargetPlanState,
};

/** The plan as the progress calculations read it. */
export type TargetPlanView = Readonly<{ year: number; company: TargetMeasures; nodes: readonly TargetAssignment[] }>;
export const targetPlanView = (state: TargetPlanState): TargetPlanView | null =>
  state.status === 'none' ? null : { year: state.year, company: state.company, nodes: Object.values(state.nodes) };
