import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Ctx, ReadModelQuery, RequestContext, Roles, newEntityId, validationFailed } from '@salesline/core';
import { ReadModels, READERS, CommandEndpoint, ApiRefusals, BusinessDates } from '@salesline/core';
import { notFound } from '@salesline/shared-kernel';
import { ExecuteTargetsCommand, TargetPlanRequest } from '../application/targets-commands';
import { monthlyTargets } from '../domain/monthly-distribution';
import { MEASURES, MonthlyDistribution, TargetAssignment, TargetMeasures, ZERO_MEASURES } from '../domain/target-measures';
import { addMeasures, measuresOf, nodeKey, parentKeyOf } from '../domain/target-measures';
import { TargetChange } from '../domain/target-plan';
import { TargetPlanDoc, targetPlansProjection } from '../read-models/targets.projections';
import { AssignTargetBody, CommandAccepted, FinalizeTargetPlanBody, MonthlyDistributionBody } from './targets.dto';
import { ReviseTargetsBody, TargetFiguresBody, WithdrawTargetBody } from './targets.dto';

const PLANNERS = ['sales_manager', 'finance'] as const;

const yearPipe = new ParseIntPipe({ exceptionFactory: () => validationFailed([{ field: 'year', reason: 'must be a calendar year' }]) });
const figures = (b: TargetFiguresBody): TargetMeasures => ({
  revenue: b.revenue,
  quantity: b.quantity,
  grossMargin: b.grossMargin,
  expenseBudget: b.expenseBudget,
});
const monthly = (m: MonthlyDistributionBody): MonthlyDistribution => {
  switch (m.kind) {
    case 'percent':
      return { kind: 'percent', bp: m.bp ?? [] };
    case 'even':
      return { kind: 'even' };
    case 'seasonal':
      return { kind: 'seasonal', weights: m.weights ?? [] };
    default:
      return {
        kind: 'explicit',
        months: (m.months ?? []).map((x) => ({ revenue: x.revenue, quantity: x.quantity, grossMargin: x.grossMargin })),
      };
  }
};

@ApiTags('targets')
@ApiBearerAuth()
@ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] }', forbidden: 'RoleRequired, NotAllowedToPlanTargets' })
@ApiParam({ name: 'year', example: 2026 })
@Controller('api/targets/:year')
export class TargetsController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly commandBus: CommandBus,
    private readonly dates: BusinessDates,
  ) {}

  @Post('company')
  @CommandEndpoint(200, {
    summary: 'Set the company target for the year: revenue, quantity, gross margin, sales expense budget (CompanyTargetSet)',
  })
  @Roles(...PLANNERS)
  @ApiRefusals({
    conflict: 'TargetPlanAlreadyFinalized (revise instead)',
    unprocessable: 'InvalidTargetYear, InvalidTargetFigure, GrossMarginExceedsRevenue, TargetExceedsParent (below what is allocated)',
  })
  setCompany(@Param('year', yearPipe) year: number, @Body() body: TargetFiguresBody, @Ctx() ctx: RequestContext) {
    const setOn = this.dates.optional(body.setOn, ctx, 'setOn');
    return this.run(year, { type: 'SetCompanyTarget', data: { year, ...figures(body), setOn } }, ctx);
  }

  @Post('assignments')
  @CommandEndpoint(200, {
    summary: 'Assign a region, team or salesperson its annual target with a monthly distribution (TargetAssigned)',
    description:
      'While drafting, children may not exceed their parent on any measure. The parent is the organization’s (a team’s region, a salesperson’s current team).',
  })
  @Roles(...PLANNERS)
  @ApiRefusals({
    notFound: 'TargetPlanNotFound, RegionNotFound, TeamNotFound, EmployeeNotFound',
    conflict: 'TargetPlanAlreadyFinalized',
    unprocessable:
      'TargetExceedsParent (details: node, measure, target, allocated, gaps), ParentTargetMissing, TargetParentMismatch, MonthlyDistributionInvalid, InvalidTargetFigure, GrossMarginExceedsRevenue',
  })
  assign(@Param('year', yearPipe) year: number, @Body() body: AssignTargetBody, @Ctx() ctx: RequestContext) {
    return this.run(
      year,
      {
        type: 'AssignTarget',
        data: {
          nodeKind: body.nodeKind,
          nodeId: body.nodeId,
          parentId: body.parentId,
          revenue: body.revenue,
          quantity: body.quantity ?? null,
          grossMargin: body.grossMargin ?? null,
          expenseBudget: body.expenseBudget ?? null,
          monthly: monthly(body.monthly),
          assignedOn: this.dates.optional(body.assignedOn, ctx, 'assignedOn'),
        },
      },
      ctx,
    );
  }

  @Post('assignments/withdraw')
  @CommandEndpoint(200, { summary: 'Withdraw a node’s target while drafting (TargetAssignmentWithdrawn); its children first' })
  @Roles(...PLANNERS)
  @ApiRefusals({ notFound: 'TargetPlanNotFound, TargetNotFound', conflict: 'TargetHasChildren, TargetPlanAlreadyFinalized' })
  withdraw(@Param('year', yearPipe) year: number, @Body() body: WithdrawTargetBody, @Ctx() ctx: RequestContext) {
    const withdrawnOn = this.dates.optional(body.withdrawnOn, ctx, 'withdrawnOn');
    return this.run(year, { type: 'WithdrawTargetAssignment', data: { nodeKind: body.nodeKind, nodeId: body.nodeId, withdrawnOn } }, ctx);
  }

  @Post('finalize')
  @CommandEndpoint(200, { summary: 'Finalize the plan: every node with children adds up exactly (TargetPlanFinalized)' })
  @Roles(...PLANNERS)
  @ApiRefusals({
    notFound: 'TargetPlanNotFound',
    conflict: 'TargetPlanAlreadyFinalized',
    unprocessable: 'TargetCascadeIncomplete (details: node, measure, target, allocated, gaps)',
  })
  finalize(@Param('year', yearPipe) year: number, @Body() body: FinalizeTargetPlanBody, @Ctx() ctx: RequestContext) {
    const finalizedOn = this.dates.optional(body.finalizedOn, ctx, 'finalizedOn');
    return this.run(year, { type: 'FinalizeTargetPlan', data: { finalizedOn } }, ctx);
  }

  @Post('revisions')
  @CommandEndpoint(
    200,
    {
      summary:
        'Revise a finalized plan with a reason: several nodes at once, the result must add up again (TargetRevised per changed node)',
      description:
        'Quantity, margin and expense budget left out of a node are derived from its parent as revised (ADR 0214): revenue × the parent’s ratio, rounded down, the units left under a parent one each to the largest remainders. monthly may be even, seasonal, percent or explicit; left out, the node keeps its own.',
    },
    { description: '{ id: year, revisionId, position }' },
  )
  @Roles(...PLANNERS)
  @ApiRefusals({
    notFound: 'TargetPlanNotFound, TargetNotFound, TeamNotFound, EmployeeNotFound',
    conflict: 'TargetPlanNotFinalized, TargetHasChildren',
    unprocessable:
      'TargetRevisionUnbalanced, RevisionReasonRequired, NothingToRevise, DuplicateRevisionNode, TargetParentMismatch, MonthlyDistributionInvalid',
  })
  async revise(@Param('year', yearPipe) year: number, @Body() body: ReviseTargetsBody, @Ctx() ctx: RequestContext) {
    const revisionId = newEntityId(`revision:${year}`, ctx);
    const changes: TargetChange[] = body.changes.map((c) => ({
      nodeKind: c.nodeKind,
      nodeId: c.nodeId,
      ...(c.parentId !== undefined ? { parentId: c.parentId } : {}),
      target:
        c.target === null
          ? null
          : {
              revenue: c.target.revenue,
              quantity: c.target.quantity ?? null,
              grossMargin: c.target.grossMargin ?? null,
              expenseBudget: c.target.expenseBudget ?? null,
              ...(c.target.monthly ? { monthly: monthly(c.target.monthly) } : {}),
            },
    }));
    const revisedOn = this.dates.optional(body.revisedOn, ctx, 'revisedOn');
    const accepted = await this.run(year, { type: 'ReviseTargets', data: { revisionId, reason: body.reason, changes, revisedOn } }, ctx);
    return { ...accepted, revisionId };
  }

  @Get()
  @Roles(...READERS.targets)
  @ApiOperation({
    summary: 'The year’s target plan: the cascade (each node with what its children add up to, and its 12 months), revisions and history',
  })
  @ApiRefusals({ notFound: 'TargetPlanNotFound' })
  async get(@Param('year', yearPipe) year: number, @Query() query: ReadModelQuery) {
    const doc = await this.readModels.get(targetPlansProjection, String(year), { minPosition: query.minPosition });
    if (!doc) throw notFound('TargetPlanNotFound', `No target plan for ${year}`);
    return targetPlanView(doc);
  }

  private async run(year: number, command: TargetPlanRequest, ctx: RequestContext): Promise<CommandAccepted> {
    if (!Number.isInteger(year) || year < 2000 || year > 2200)
      throw validationFailed([{ field: 'year', reason: 'must be a calendar year' }]);
    const { position } = await this.commandBus.execute(new ExecuteTargetsCommand({ kind: 'target-plan', id: year, command }, ctx));
    return { id: String(year), position };
  }
}

const ORDER: Record<string, number> = { region: 1, team: 2, salesperson: 3 };

/** The plan as the API answers it: the cascade with each parent's allocated sum, months, revisions, history. */
export const targetPlanView = (doc: TargetPlanDoc) => {
  const nodes = Object.values(doc.state.nodes) as TargetAssignment[];
  const allocated = new Map<string, TargetMeasures>();
  for (const n of nodes) allocated.set(parentKeyOf(n), addMeasures(allocated.get(parentKeyOf(n)) ?? ZERO_MEASURES, measuresOf(n)));
  const gapsOf = (own: TargetMeasures, children: TargetMeasures | undefined) =>
    children ? MEASURES.filter((m) => children[m] !== own[m]).map((m) => ({ measure: m, target: own[m], allocated: children[m] })) : [];
  return {
    year: doc.year,
    status: doc.status,
    finalizedOn: doc.state.status === 'finalized' ? doc.state.finalizedOn : null,
    company: {
      ...doc.state.company,
      allocated: allocated.get('company') ?? ZERO_MEASURES,
      gaps: gapsOf(doc.state.company, allocated.get('company') ?? ZERO_MEASURES),
    },
    nodes: nodes
      .sort((a, b) => ORDER[a.nodeKind] - ORDER[b.nodeKind] || (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0))
      .map((n) => {
        const children = allocated.get(nodeKey(n.nodeKind, n.nodeId));
        return { ...n, allocated: children ?? null, gaps: gapsOf(n, children), months: monthlyTargets(n) };
      }),
    revisions: doc.state.status === 'finalized' ? doc.state.revisions : [],
    history: doc.history,
    updatedAt: doc.updatedAt,
  };
};
