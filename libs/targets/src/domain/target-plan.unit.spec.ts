import { actor, command, deciderSpec, itRefuses } from '@salesline/shared-kernel/testing';
import { deciderSpec as sharedDeciderSpec } from '@salesline/shared-kernel/testing';
import { MonthlyDistribution, TargetMeasures, measuresOf } from './target-measures';
import { AssignTarget, TargetPlanCommand, TargetPlanEvent, deriveFromParent, targetPlanDecider, targetPlanView } from './target-plan';
import { EVEN_BP, evenMonths, targetFigures } from '../testing/target-fixtures';

const spec = deciderSpec(targetPlanDecider);
/** The one spec dialect, for specs that assert on the produced events. */
const shared = sharedDeciderSpec(targetPlanDecider);
const head = actor('u-head', 'sales_manager');
const cmd = <C extends TargetPlanCommand>(type: C['type'], data: C['data'], by = head) =>
  command<C>(type, data, { actor: by, today: '2024-12-15' });

const even = evenMonths;
const m = targetFigures;

const companySet: TargetPlanEvent = {
  type: 'CompanyTargetSet',
  data: { year: 2025, ...m(12_000_000, 1200, 3_600_000, 600_000), setBy: 'u-head', setOn: '2024-12-15' },
};
const assigned = (
  nodeKind: 'region' | 'team' | 'salesperson',
  nodeId: string,
  parentId: string,
  figures: TargetMeasures,
  monthly: MonthlyDistribution = even,
): TargetPlanEvent => ({
  type: 'TargetAssigned',
  data: {
    year: 2025,
    nodeKind,
    nodeId,
    parentKind: nodeKind === 'region' ? 'company' : nodeKind === 'team' ? 'region' : 'team',
    parentId,
    ...figures,
    monthly,
    assignedOn: '2024-12-15',
  },
});
const north = assigned('region', 'north', 'company', m(7_000_000, 700, 2_100_000, 350_000));
const south = assigned('region', 'south', 'company', m(5_000_000, 500, 1_500_000, 250_000));
const teamN1 = assigned('team', 't-n1', 'north', m(7_000_000, 700, 2_100_000, 350_000));
const e1 = assigned('salesperson', 'e-1', 't-n1', m(4_000_000, 400, 1_200_000, 200_000));
const e2 = assigned('salesperson', 'e-2', 't-n1', m(3_000_000, 300, 900_000, 150_000));
const complete = [companySet, north, south, teamN1, e1, e2];
const finalized: TargetPlanEvent = { type: 'TargetPlanFinalized', data: { year: 2025, finalizedBy: 'u-head', finalizedOn: '2024-12-15' } };

const assign = (
  nodeKind: 'region' | 'team' | 'salesperson',
  nodeId: string,
  parentId: string,
  figures: TargetMeasures,
  monthly: MonthlyDistribution = even,
) => cmd('AssignTarget', { nodeKind, nodeId, parentId, ...figures, monthly });

describe('Target plan decider', () => {
  describe('SetCompanyTarget', () => {
    it('sets the company target for a year: revenue, quantity, gross margin and expense budget', () => {
      spec
        .given([])
        .when(cmd('SetCompanyTarget', { year: 2025, ...m(12_000_000, 1200, 3_600_000, 600_000) }))
        .then([companySet]);
    });
    it('refuses negative or fractional figures', () => {
      spec
        .given([])
        .when(cmd('SetCompanyTarget', { year: 2025, ...m(-1, 1200, 0, 0) }))
        .thenThrows('InvalidTargetFigure', 'rule', { measure: 'revenue' });
      spec
        .given([])
        .when(cmd('SetCompanyTarget', { year: 2025, ...m(100, 1.5, 0, 0) }))
        .thenThrows('InvalidTargetFigure', 'rule', { measure: 'quantity' });
    });
    it('refuses a margin above revenue', () => {
      spec
        .given([])
        .when(cmd('SetCompanyTarget', { year: 2025, ...m(100, 1, 101, 0) }))
        .thenThrows('GrossMarginExceedsRevenue', 'rule');
    });
    it('refuses a bad year and another year on the same plan', () => {
      spec
        .given([])
        .when(cmd('SetCompanyTarget', { year: 25, ...m(100, 1, 10, 0) }))
        .thenThrows('InvalidTargetYear', 'rule');
      spec
        .given([companySet])
        .when(cmd('SetCompanyTarget', { year: 2026, ...m(100, 1, 10, 0) }))
        .thenThrows('TargetYearMismatch', 'conflict');
    });
    it('refuses a salesperson', () => {
      spec
        .given([])
        .when(cmd('SetCompanyTarget', { year: 2025, ...m(100, 1, 10, 0) }, actor('e-1', 'salesperson')))
        .thenThrows('NotAllowedToPlanTargets', 'forbidden');
    });
    it('may be changed while drafting, but not below what is already allocated', () => {
      spec
        .given([companySet])
        .when(cmd('SetCompanyTarget', { year: 2025, ...m(12_000_000, 1200, 3_600_000, 600_000) }))
        .then([]);
      spec
        .given([companySet, north, south])
        .when(cmd('SetCompanyTarget', { year: 2025, ...m(12_000_000, 1199, 3_600_000, 600_000) }))
        .thenThrows('TargetExceedsParent', 'rule', {
          nodeKind: 'company',
          nodeId: 'company',
          measure: 'quantity',
          target: 1199,
          allocated: 1200,
        });
    });
    it('refuses changes after finalization', () => {
      spec
        .given([...complete, finalized])
        .when(cmd('SetCompanyTarget', { year: 2025, ...m(1, 1, 1, 1) }))
        .thenThrows('TargetPlanAlreadyFinalized', 'conflict');
    });
  });

  describe('AssignTarget (drafting)', () => {
    it('assigns a region, a team and a salesperson down the cascade', () => {
      spec
        .given([companySet])
        .when(assign('region', 'north', 'ignored', m(7_000_000, 700, 2_100_000, 350_000)))
        .then([north]);
      spec
        .given([companySet, north])
        .when(assign('team', 't-n1', 'north', m(7_000_000, 700, 2_100_000, 350_000)))
        .then([teamN1]);
      spec
        .given([companySet, north, teamN1])
        .when(assign('salesperson', 'e-1', 't-n1', m(4_000_000, 400, 1_200_000, 200_000)))
        .then([e1]);
    });
    it('refuses a node whose parent has no target yet', () => {
      spec
        .given([companySet])
        .when(assign('team', 't-n1', 'north', m(1, 1, 1, 1)))
        .thenThrows('ParentTargetMissing', 'rule', { parentKind: 'region', parentId: 'north' });
    });
    it('refuses children exceeding their parent on any measure, naming node and measure', () => {
      spec
        .given([companySet, north, teamN1, e1])
        .when(assign('salesperson', 'e-2', 't-n1', m(3_000_000, 300, 900_001, 150_000)))
        .thenThrows('TargetExceedsParent', 'rule', {
          nodeKind: 'team',
          nodeId: 't-n1',
          measure: 'grossMargin',
          target: 2_100_000,
          allocated: 2_100_001,
        });
      spec
        .given([companySet, north])
        .when(assign('region', 'south', 'company', m(5_000_000, 500, 1_500_000, 250_001)))
        .thenThrows('TargetExceedsParent', 'rule', { nodeKind: 'company', measure: 'expenseBudget', allocated: 600_001 });
    });
    it('refuses lowering a node below what its children already hold', () => {
      spec
        .given([companySet, north, teamN1])
        .when(assign('region', 'north', 'company', m(6_000_000, 700, 2_100_000, 350_000)))
        .thenThrows('TargetExceedsParent', 'rule', { nodeKind: 'region', nodeId: 'north', measure: 'revenue' });
    });
    it('lets children stay below their parent while drafting', () => {
      spec
        .given([companySet, north, teamN1])
        .when(assign('salesperson', 'e-2', 't-n1', m(3_000_000, 300, 900_000, 150_000)))
        .then([e2]);
    });
    it('is idempotent for the same figures', () => {
      spec
        .given([companySet, north])
        .when(assign('region', 'north', 'company', m(7_000_000, 700, 2_100_000, 350_000)))
        .then([]);
    });
    it('refuses monthly percentages that do not sum to 10000 bp', () => {
      spec
        .given([companySet])
        .when(assign('region', 'north', 'company', m(1, 1, 1, 1), { kind: 'percent', bp: [...EVEN_BP.slice(0, 11), 832] }))
        .thenThrows('MonthlyDistributionInvalid', 'rule', { total: 9999 });
    });
    it('refuses a distribution without 12 months, or with negative weights', () => {
      spec
        .given([companySet])
        .when(assign('region', 'north', 'company', m(1, 1, 1, 1), { kind: 'percent', bp: EVEN_BP.slice(0, 11) }))
        .thenThrows('MonthlyDistributionInvalid', 'rule');
      spec
        .given([companySet])
        .when(assign('region', 'north', 'company', m(1, 1, 1, 1), { kind: 'percent', bp: [10_100, -100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] }))
        .thenThrows('MonthlyDistributionInvalid', 'rule');
    });
    it('accepts explicit months that add up to the year, and refuses ones that do not', () => {
      const months = Array.from({ length: 12 }, (_, i) => ({ revenue: i === 11 ? 100 : 0, quantity: i < 10 ? 1 : 0, grossMargin: 0 }));
      spec
        .given([companySet])
        .when(assign('region', 'south', 'company', m(100, 10, 0, 12), { kind: 'explicit', months }))
        .then([assigned('region', 'south', 'company', m(100, 10, 0, 12), { kind: 'explicit', months })]);
      spec
        .given([companySet])
        .when(assign('region', 'south', 'company', m(100, 11, 0, 12), { kind: 'explicit', months }))
        .thenThrows('MonthlyDistributionInvalid', 'rule', { measure: 'quantity', total: 10, annual: 11 });
    });
    it('refuses an unknown node kind, and a plan without a company target', () => {
      spec
        .given([companySet])
        .when(assign('division' as never, 'x', 'company', m(1, 1, 1, 1)))
        .thenThrows('InvalidTargetNode', 'rule');
      spec
        .given([])
        .when(assign('region', 'north', 'company', m(1, 1, 1, 1)))
        .thenThrows('TargetPlanNotFound', 'not_found');
    });
    it('refuses assignments after finalization', () => {
      spec
        .given([...complete, finalized])
        .when(assign('salesperson', 'e-3', 't-n1', m(1, 1, 1, 1)))
        .thenThrows('TargetPlanAlreadyFinalized', 'conflict');
    });
  });

  describe('WithdrawTargetAssignment', () => {
    it('withdraws a leaf', () => {
      spec
        .given(complete)
        .when(cmd('WithdrawTargetAssignment', { nodeKind: 'salesperson', nodeId: 'e-2' }))
        .then([
          { type: 'TargetAssignmentWithdrawn', data: { year: 2025, nodeKind: 'salesperson', nodeId: 'e-2', withdrawnOn: '2024-12-15' } },
        ]);
    });
    it('carries the planner’s business date, never in the future', () => {
      spec
        .given(complete)
        .when(cmd('WithdrawTargetAssignment', { nodeKind: 'salesperson', nodeId: 'e-2', withdrawnOn: '2024-12-01' }))
        .then([
          { type: 'TargetAssignmentWithdrawn', data: { year: 2025, nodeKind: 'salesperson', nodeId: 'e-2', withdrawnOn: '2024-12-01' } },
        ]);
      spec
        .given(complete)
        .when(cmd('WithdrawTargetAssignment', { nodeKind: 'salesperson', nodeId: 'e-2', withdrawnOn: '2024-12-16' }))
        .thenThrows('InvalidTargetDate', 'rule');
    });
    it('refuses a node with children, or an unknown one', () => {
      spec
        .given(complete)
        .when(cmd('WithdrawTargetAssignment', { nodeKind: 'team', nodeId: 't-n1' }))
        .thenThrows('TargetHasChildren', 'conflict');
      spec
        .given(complete)
        .when(cmd('WithdrawTargetAssignment', { nodeKind: 'team', nodeId: 't-x' }))
        .thenThrows('TargetNotFound', 'not_found');
    });
  });

  describe('FinalizeTargetPlan', () => {
    it('finalizes a cascade that adds up on every measure', () => {
      spec.given(complete).when(cmd('FinalizeTargetPlan', {})).then([finalized]);
    });
    itRefuses(spec, [
      [
        'refuses a cascade with a gap, naming the node and the measure',
        [companySet, north, south, teamN1, e1],
        cmd('FinalizeTargetPlan', {}),
        'TargetCascadeIncomplete',
        'rule',
        { nodeKind: 'team', nodeId: 't-n1', measure: 'revenue', target: 7_000_000, allocated: 4_000_000 },
      ],
      [
        'refuses a company target not allocated to any region',
        [companySet],
        cmd('FinalizeTargetPlan', {}),
        'TargetCascadeIncomplete',
        'rule',
        { nodeKind: 'company', measure: 'revenue', allocated: 0 },
      ],
    ]);
    it('accepts a region without teams as a leaf', () => {
      spec.given(complete).when(cmd('FinalizeTargetPlan', {})).then([finalized]);
    });
    it('refuses finalizing twice, or a plan that does not exist', () => {
      spec
        .given([...complete, finalized])
        .when(cmd('FinalizeTargetPlan', {}))
        .thenThrows('TargetPlanAlreadyFinalized', 'conflict');
      spec.given([]).when(cmd('FinalizeTargetPlan', {})).thenThrows('TargetPlanNotFound', 'not_found');
    });
  });

  describe('ReviseTargets (after finalization)', () => {
    const given = [...complete, finalized];
    const revise = (changes: object[], reason = 'Key account moved to Ben') =>
      cmd('ReviseTargets', { revisionId: 'rev-1', reason, changes: changes as never });
    const revised = (
      nodeKind: string,
      nodeId: string,
      parentKind: string | null,
      parentId: string | null,
      before: object | null,
      after: object | null,
    ): TargetPlanEvent =>
      ({
        type: 'TargetRevised',
        data: {
          year: 2025,
          revisionId: 'rev-1',
          nodeKind,
          nodeId,
          parentKind,
          parentId,
          before,
          after,
          reason: 'Key account moved to Ben',
          revisedBy: 'u-head',
          revisedOn: '2024-12-15',
        },
      }) as TargetPlanEvent;

    /** A salesperson of t-n1 revised: measures before and after (null: added or removed), months even unless named. */
    const revisedLeaf = (
      nodeId: string,
      before: TargetMeasures | null,
      after: TargetMeasures | null,
      monthly: MonthlyDistribution = even,
    ) => revised('salesperson', nodeId, 'team', 't-n1', before && { ...before, monthly: even }, after && { ...after, monthly });

    it('rebalances siblings in one revision, one event per node with before and after', () => {
      spec
        .given(given)
        .when(
          revise([
            { nodeKind: 'salesperson', nodeId: 'e-1', target: m(3_500_000, 400, 1_050_000, 200_000) },
            { nodeKind: 'salesperson', nodeId: 'e-2', target: m(3_500_000, 300, 1_050_000, 150_000) },
          ]),
        )
        .then([
          revisedLeaf('e-1', m(4_000_000, 400, 1_200_000, 200_000), m(3_500_000, 400, 1_050_000, 200_000)),
          revisedLeaf('e-2', m(3_000_000, 300, 900_000, 150_000), m(3_500_000, 300, 1_050_000, 150_000)),
        ]);
    });

    it('refuses a one-sided change that breaks the cascade, naming node and measure', () => {
      spec
        .given(given)
        .when(revise([{ nodeKind: 'salesperson', nodeId: 'e-1', target: m(4_500_000, 400, 1_200_000, 200_000) }]))
        .thenThrows('TargetRevisionUnbalanced', 'rule', {
          nodeKind: 'team',
          nodeId: 't-n1',
          measure: 'revenue',
          target: 7_000_000,
          allocated: 7_500_000,
        });
    });

    it('raises the company and a leaf region together', () => {
      spec
        .given(given)
        .when(
          revise([
            { nodeKind: 'region', nodeId: 'south', target: m(6_000_000, 500, 1_500_000, 250_000) },
            { nodeKind: 'company', nodeId: 'company', target: m(13_000_000, 1200, 3_600_000, 600_000) },
          ]),
        )
        .then([
          revised(
            'region',
            'south',
            'company',
            'company',
            { ...m(5_000_000, 500, 1_500_000, 250_000), monthly: even },
            { ...m(6_000_000, 500, 1_500_000, 250_000), monthly: even },
          ),
          revised(
            'company',
            'company',
            null,
            null,
            { ...m(12_000_000, 1200, 3_600_000, 600_000), monthly: null },
            { ...m(13_000_000, 1200, 3_600_000, 600_000), monthly: null },
          ),
        ]);
    });

    it('adds a new salesperson mid-year, taken from a colleague', () => {
      spec
        .given(given)
        .when(
          revise([
            { nodeKind: 'salesperson', nodeId: 'e-2', target: m(2_000_000, 200, 600_000, 100_000) },
            { nodeKind: 'salesperson', nodeId: 'e-3', parentId: 't-n1', target: { ...m(1_000_000, 100, 300_000, 50_000), monthly: even } },
          ]),
        )
        .then([
          revisedLeaf('e-2', m(3_000_000, 300, 900_000, 150_000), m(2_000_000, 200, 600_000, 100_000)),
          revisedLeaf('e-3', null, m(1_000_000, 100, 300_000, 50_000)),
        ]);
    });

    it('removes a leaver and gives the target to a colleague; the revision is kept in history', () => {
      const events = [
        revisedLeaf('e-2', m(3_000_000, 300, 900_000, 150_000), null),
        revisedLeaf('e-1', m(4_000_000, 400, 1_200_000, 200_000), m(7_000_000, 700, 2_100_000, 350_000)),
      ];
      spec
        .given(given)
        .when(
          revise([
            { nodeKind: 'salesperson', nodeId: 'e-2', target: null },
            { nodeKind: 'salesperson', nodeId: 'e-1', target: m(7_000_000, 700, 2_100_000, 350_000) },
          ]),
        )
        .then(events);
      const state = spec.given([...given, ...events]).state();
      expect(state.status === 'finalized' && state.revisions.map((r) => [r.nodeId, r.reason])).toEqual([
        ['e-2', 'Key account moved to Ben'],
        ['e-1', 'Key account moved to Ben'],
      ]);
      expect(targetPlanView(state)!.nodes.map((n) => [n.nodeId, n.revenue])).toEqual([
        ['north', 7_000_000],
        ['south', 5_000_000],
        ['t-n1', 7_000_000],
        ['e-1', 7_000_000],
      ]);
    });

    itRefuses(spec, [
      [
        'refuses removing a node that still has children',
        given,
        revise([{ nodeKind: 'team', nodeId: 't-n1', target: null }]),
        'TargetHasChildren',
        'conflict',
      ],
      [
        'requires a reason',
        given,
        revise([{ nodeKind: 'salesperson', nodeId: 'e-1', target: m(1, 1, 1, 1) }], ' '),
        'RevisionReasonRequired',
        'rule',
      ],
    ]);
    it('refuses an empty or no-op revision', () => {
      spec.given(given).when(revise([])).thenThrows('NothingToRevise', 'rule');
      spec
        .given(given)
        .when(revise([{ nodeKind: 'salesperson', nodeId: 'e-1', target: m(4_000_000, 400, 1_200_000, 200_000) }]))
        .thenThrows('NothingToRevise', 'rule');
    });
    itRefuses(spec, [
      [
        'refuses a node twice in one revision',
        given,
        revise([
          { nodeKind: 'salesperson', nodeId: 'e-1', target: m(1, 1, 1, 1) },
          { nodeKind: 'salesperson', nodeId: 'e-1', target: m(2, 1, 1, 1) },
        ]),
        'DuplicateRevisionNode',
        'rule',
      ],
      [
        'refuses a revision while drafting',
        complete,
        revise([{ nodeKind: 'salesperson', nodeId: 'e-1', target: m(1, 1, 1, 1) }]),
        'TargetPlanNotFinalized',
        'conflict',
      ],
    ]);
    it('derives quantity, margin and budget left out of revised nodes from the parent’s ratios, with even months (ADR 0214)', () =>
      // t-n1: 7 000 000 revenue, 700 units, margin 2 100 000 (30 %), budget 350 000 (5 %).
      {
        spec
          .given(given)
          .when(
            revise([
              { nodeKind: 'salesperson', nodeId: 'e-1', target: { revenue: 3_500_000 } },
              { nodeKind: 'salesperson', nodeId: 'e-2', target: { revenue: 3_500_000, grossMargin: null, monthly: { kind: 'even' } } },
            ]),
          )
          .then([
            revisedLeaf('e-1', m(4_000_000, 400, 1_200_000, 200_000), m(3_500_000, 350, 1_050_000, 175_000)),
            revisedLeaf('e-2', m(3_000_000, 300, 900_000, 150_000), m(3_500_000, 350, 1_050_000, 175_000), { kind: 'even' }),
          ]);
      });

    it('gives the units rounding down leaves under a parent one each to the derived siblings with the largest remainders', () =>
      // quantity 333.33 / 366.67 → 333 + 367; margin 999 999.9 / 1 100 000.1 → 1 000 000 + 1 100 000; budget 166 666.65 / 183 333.35 → 166 667 + 183 333
      {
        void shared
          .given(given)
          .when(
            revise([
              {
                nodeKind: 'salesperson',
                nodeId: 'e-1',
                target: { revenue: 3_333_333, monthly: { kind: 'seasonal', weights: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2] } },
              },
              { nodeKind: 'salesperson', nodeId: 'e-2', target: { revenue: 3_666_667 } },
            ]),
          )
          .then((events: TargetPlanEvent[]) =>
            expect(events.map((e) => e.type === 'TargetRevised' && e.data.after)).toEqual([
              { ...m(3_333_333, 333, 1_000_000, 166_667), monthly: { kind: 'seasonal', weights: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2] } },
              { ...m(3_666_667, 367, 1_100_000, 183_333), monthly: even },
            ]),
          );
      });

    it('derives a whole branch in one revision from the company down, each level from its revised parent', () =>
      // Company +1 200 000 revenue at the same ratios; north grows, its team and e-1 with it, all derived.
      {
        void shared
          .given(given)
          .when(
            revise([
              { nodeKind: 'salesperson', nodeId: 'e-1', target: { revenue: 5_200_000 } },
              { nodeKind: 'team', nodeId: 't-n1', target: { revenue: 8_200_000 } },
              { nodeKind: 'region', nodeId: 'north', target: { revenue: 8_200_000 } },
              { nodeKind: 'company', nodeId: 'company', target: m(13_200_000, 1320, 3_960_000, 660_000) },
            ]),
          )
          .then((events: TargetPlanEvent[]) =>
            expect(events.map((e) => e.type === 'TargetRevised' && [e.data.nodeId, e.data.after && measuresOf(e.data.after)])).toEqual([
              ['e-1', m(5_200_000, 520, 1_560_000, 260_000)],
              ['t-n1', m(8_200_000, 820, 2_460_000, 410_000)],
              ['north', m(8_200_000, 820, 2_460_000, 410_000)],
              ['company', m(13_200_000, 1320, 3_960_000, 660_000)],
            ]),
          );
      });

    itRefuses(spec, [
      [
        'refuses a derived revision that still does not add up, naming the gap',
        given,
        revise([
          { nodeKind: 'salesperson', nodeId: 'e-1', target: { revenue: 4_000_000, quantity: 100 } },
          { nodeKind: 'salesperson', nodeId: 'e-2', target: { revenue: 3_000_000 } },
        ]),
        'TargetRevisionUnbalanced',
        'rule',
        { nodeKind: 'team', nodeId: 't-n1', measure: 'quantity', target: 700, allocated: 400 },
      ],
      [
        'requires every figure of the company',
        given,
        revise([{ nodeKind: 'company', nodeId: 'company', target: { revenue: 12_000_000 } }]),
        'InvalidTargetFigure',
        'rule',
        { measure: 'quantity' },
      ],
      [
        'refuses removing an unknown node',
        given,
        revise([{ nodeKind: 'salesperson', nodeId: 'e-9', target: null }]),
        'TargetNotFound',
        'not_found',
      ],
    ]);
  });

  it('derives quantity, margin and expense budget left out from the parent’s ratios, rounded down (ADR 0213)', () => {
    // North: 7 000 000 revenue, 700 units, margin 2 100 000 (30 %), budget 350 000 (5 %); a team of 3 333 333.
    const state = [companySet, north].reduce(targetPlanDecider.evolve, targetPlanDecider.initialState());
    const [event] = targetPlanDecider.decide(
      cmd<AssignTarget>('AssignTarget', {
        nodeKind: 'team',
        nodeId: 't-n2',
        parentId: 'north',
        revenue: 3_333_333,
        monthly: { kind: 'even' },
      }),
      state,
    );
    expect(event.data).toMatchObject({
      revenue: 3_333_333,
      quantity: 333,
      grossMargin: 999_999,
      expenseBudget: 166_666,
      monthly: { kind: 'even' },
    });
    const given = targetPlanDecider.decide(
      cmd<AssignTarget>('AssignTarget', {
        nodeKind: 'team',
        nodeId: 't-n2',
        parentId: 'north',
        revenue: 1_000_000,
        grossMargin: 400_000,
        monthly: { kind: 'even' },
      }),
      state,
    );
    expect(given[0].data).toMatchObject({ grossMargin: 400_000, quantity: 100, expenseBudget: 50_000 });
    expect(deriveFromParent({ revenue: 5 }, { revenue: 0, quantity: 9, grossMargin: 0, expenseBudget: 9 })).toEqual({
      revenue: 5,
      quantity: 0,
      grossMargin: 0,
      expenseBudget: 0,
    });
  });
});
