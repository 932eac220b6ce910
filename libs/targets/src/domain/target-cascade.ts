/**
 * The target cascade rules (ADR 0203): company → regions → teams → salespeople.
 * While drafting, children may not exceed their parent on any measure;
 * when finalized (and after each revision), every node with children adds up exactly on every measure.
 */
import { COMPANY_NODE_ID, MEASURES, Measure, TargetAssignment, TargetMeasures } from './target-measures';
import { ZERO_MEASURES, addMeasures, nodeKey, parentKeyOf } from './target-measures';

export type CascadeGap = Readonly<{
  nodeKind: 'company' | 'region' | 'team';
  nodeId: string;
  measure: Measure;
  /** The node's own target. */
  target: number;
  /** The sum of its children's targets. */
  allocated: number;
}>;

type Plan = Readonly<{ company: TargetMeasures; nodes: Readonly<Record<string, TargetAssignment>> }>;

const ORDER: Record<string, number> = { company: 0, region: 1, team: 2, salesperson: 3 };

/** Parents (company first, then regions, then teams, each by id) with their own target and their children's sum. */
const parentsWithChildren = (plan: Plan) => {
  const sums = new Map<string, TargetMeasures>();
  for (const node of Object.values(plan.nodes))
    sums.set(parentKeyOf(node), addMeasures(sums.get(parentKeyOf(node)) ?? ZERO_MEASURES, node));
  type Parent = { nodeKind: CascadeGap['nodeKind']; nodeId: string; key: string; own: TargetMeasures };
  const company: Parent = { nodeKind: 'company', nodeId: COMPANY_NODE_ID, key: COMPANY_NODE_ID, own: plan.company };
  const parents: Parent[] = [
    company,
    ...Object.values(plan.nodes)
      .filter((n) => n.nodeKind !== 'salesperson')
      .map((n): Parent => ({ nodeKind: n.nodeKind as 'region' | 'team', nodeId: n.nodeId, key: nodeKey(n.nodeKind, n.nodeId), own: n })),
  ].sort((a, b) => ORDER[a.nodeKind] - ORDER[b.nodeKind] || (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  return parents.map((p) => ({ ...p, children: sums.get(p.key) ?? null }));
};

/** Where children exceed their parent (the drafting rule). */
export const findOverruns = (plan: Plan): CascadeGap[] =>
  parentsWithChildren(plan).flatMap((p) =>
    p.children === null
      ? []
      : MEASURES.filter((m) => p.children![m] > p.own[m]).map((measure) => ({
          nodeKind: p.nodeKind,
          nodeId: p.nodeId,
          measure,
          target: p.own[measure],
          allocated: p.children![measure],
        })),
  );

/**
 * Where the cascade does not add up (the finalization rule). The company must be allocated to at least one
 * region; a region or team without children is a leaf and needs nothing.
 */
export const findGaps = (plan: Plan): CascadeGap[] =>
  parentsWithChildren(plan).flatMap((p) => {
    if (p.children === null && p.nodeKind !== 'company') return [];
    const children = p.children ?? ZERO_MEASURES;
    return MEASURES.filter((m) => children[m] !== p.own[m]).map((measure) => ({
      nodeKind: p.nodeKind,
      nodeId: p.nodeId,
      measure,
      target: p.own[measure],
      allocated: children[measure],
    }));
  });

export const hasChildren = (nodes: Readonly<Record<string, TargetAssignment>>, key: string): boolean =>
  Object.values(nodes).some((n) => parentKeyOf(n) === key);
