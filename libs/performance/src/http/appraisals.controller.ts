import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, ReadModelQuery, RequestContext, Roles, assertId } from '@salesline/core';
import { validationFailed, ReadModels, resolveOptionalBusinessDate, BusinessDates, READERS } from '@salesline/core';
import { DocumentFilter, ScopeFilter, CommandEndpoint, ApiRefusals } from '@salesline/core';
import { deterministicId, eventOf } from '@salesline/shared-kernel';
import { AppraisalReports } from '../application/appraisal-reports';
import { AppraisalRunner } from '../application/appraisal-runner';
import { ImprovementPlanFollowUp } from '../application/improvement-plan-follow-up';
import { PerformanceFacts } from '../application/performance-facts';
import { RewardGranted } from '../domain/appraisal';
import { AppraisalSchemeEvent, SchemeItemInput, describeScheme } from '../domain/appraisal-scheme';
import { MEASURE_CATALOG, describeMeasure } from '../domain/appraisal-measures';
import { parseAppraisalPeriod } from '../domain/period';
import { AppraisalScoreDoc, appraisalScoresProjection } from '../read-models/performance.projections';
import { effectiveDate, accept, execute, firstOfMonth } from './http-support';
import { AcknowledgeAppraisalBody, CommandAccepted, DefineAppraisalSchemeBody, ImprovementPlansQuery } from './performance.dto';
import { ReviewAppraisalBody, ReviewPlanBody, RunAppraisalsBody } from './performance.dto';
import { versionInEffect } from '../domain/versions';

const CONFIGURERS = ['sales_manager', 'admin_department'] as const;

/** Appraisal schemes, appraisal runs, reviews and acknowledgements, improvement plans (ADR 0306–0309). */
@ApiTags('appraisal')
@ApiBearerAuth()
@ApiRefusals({
  badRequest: 'ValidationFailed: { errors: [{ field, reason }] }',
  forbidden: 'RoleRequired, NotAllowedToConfigurePerformance, NotAllowedToRunPerformanceProcess, ManagerRequired',
})
@Controller('api')
export class AppraisalsController {
  constructor(
    private readonly dates: BusinessDates,
    private readonly readModels: ReadModels,
    private readonly commandBus: CommandBus,
    private readonly facts: PerformanceFacts,
    private readonly runner: AppraisalRunner,
    private readonly reports: AppraisalReports,
    private readonly plans: ImprovementPlanFollowUp,
  ) {}

  @Post('appraisal-schemes')
  @CommandEndpoint(
    201,
    {
      summary:
        'Define the next version of the appraisal scheme (AppraisalSchemeDefined): items with weights summing to 100 and written standards',
      description:
        'Standards map the value in its source’s unit (bp, feedback score ×100, count) to 0..100 points: bands or linear. A version applies to periods ending on or after effectiveFrom (default: the start of the back-dating window for the first version, the current month for later ones).',
    },
    { description: '{ id: "appraisal-scheme", version, position }' },
  )
  @Roles(...CONFIGURERS)
  @ApiRefusals({
    conflict: 'SchemeEffectiveDateNotAfterPrevious',
    unprocessable:
      'WeightsMustSumTo100, InvalidStandard, DuplicateSchemeItem, DuplicateSchemeSource, InvalidOutcomeThresholds, InvalidYearEndWeights',
  })
  async defineScheme(@Body() body: DefineAppraisalSchemeBody, @Ctx() ctx: RequestContext) {
    const isFirstVersion = (await this.facts.appraisalSchemeVersions()).length === 0;
    const effectiveFrom = effectiveDate(body.effectiveFrom, ctx, this.dates.windowDays, isFirstVersion, firstOfMonth(ctx.today));
    const { items, rewardAtOrAbove, improvementPlanBelow, yearEnd, name, improvementPlanDeadlineDays } = body;
    const reward = { kind: body.reward.kind, amount: body.reward.amount ?? null };
    const result = await execute(
      this.commandBus,
      {
        kind: 'appraisal-scheme',
        id: 'appraisal-scheme',
        command: {
          type: 'DefineAppraisalScheme',
          data: {
            name,
            effectiveFrom,
            definedOn: this.dates.optional(body.definedOn, ctx, 'definedOn'),
            improvementPlanDeadlineDays,
            items: items as unknown as SchemeItemInput[],
            rewardAtOrAbove,
            improvementPlanBelow,
            reward,
            yearEnd,
          },
        },
      },
      ctx,
    );
    const defined = eventOf<AppraisalSchemeEvent>()(result.events, 'AppraisalSchemeDefined')?.data;
    return { id: 'appraisal-scheme', version: defined?.version ?? null, name: defined?.name ?? null, position: result.position };
  }

  @Get('appraisal-measures')
  @Roles(...READERS.appraisals, 'salesperson')
  @ApiOperation({
    summary:
      'The catalog of measures a scheme item may use: what each counts or computes, its unit, from which events, as of when, its parameters and defaults',
    description:
      'An item names `measure: { kind, …parameters }` (or, as a shorthand for a measure without parameters, `source`). Its value is in the measure’s unit ' +
      '(bp: 10000 = 100 %; score_x100; count), which the item’s standard maps to 0..100 points.',
  })
  @ApiOkResponse({
    description:
      '{ items: [{ kind, unit, description, fromEvents, asOf, nullWhen, parameters: [{ name, values, list, required, default }], example }] }',
  })
  measures() {
    return { items: MEASURE_CATALOG.map((m) => ({ ...m, exampleInWords: describeMeasure(m.example) })) };
  }

  @Get('appraisal-schemes')
  @Roles(...READERS.appraisals, 'salesperson')
  @ApiOperation({
    summary: 'Every scheme version with each item’s written standard and the scheme in words; `current` is the version in effect today',
  })
  @ApiOkResponse({
    description:
      '{ current: version | null, versions: [{ version, effectiveFrom, items: [{ itemId, name, weight, source, standard, standardText }], ..., description: [lines] }] }',
  })
  async schemes(@Ctx() ctx: RequestContext) {
    const versions = await this.facts.appraisalSchemeVersions();
    return {
      current: versionInEffect(versions, ctx.today)?.version ?? null,
      versions: versions.map((v) => ({ ...v, description: describeScheme(v) })),
    };
  }

  @Post('appraisals/run')
  @CommandEndpoint(
    200,
    {
      summary:
        'Run the monthly or year-end appraisal of a closed period (AppraisalScored per salesperson, values measured as of the period end)',
      description:
        'Scores every salesperson employed in the period, or the ones named. Re-running with the same history records nothing (changed: false); a fact back-dated into ' +
        'the period re-scores an unreviewed appraisal as a new revision and lists what changed item by item; a reviewed appraisal whose re-run differs is listed with AppraisalAlreadyReviewed ' +
        '(details scoredTotal, rerunTotal and the item-level changes). Each result names the outcome the total implies under the scheme and the disciplinary cases reached in the period.',
    },
    {
      description:
        '{ period, kind, asOf, schemeVersion, schemeName, position, results: [{ employeeId, appraisalId, scored, total, revision, outcome, implied: { outcome, reward, improvementPlan: { deadlineDaysAfterReview }, inWords }, ' +
        'changed, changes: [{ itemId, source, before: { value, points }, after }], casesOpened: [{ caseId, kind, ruleId, reachedOn, openedOn, standing }] } | ' +
        '{ employeeId, appraisalId, scored: false, error: { code, message, details: { scoredTotal, rerunTotal, changes } }, casesOpened }] }',
    },
  )
  @Roles('sales_manager', 'admin_department', 'integration')
  @ApiRefusals({ notFound: 'SchemeNotFound', unprocessable: 'PeriodNotClosed' })
  async run(@Body() body: RunAppraisalsBody, @Ctx() ctx: RequestContext, @ScopeFilter() within: DocumentFilter) {
    const period = parseAppraisalPeriod(body.period);
    if (!period || period.kind !== body.kind)
      throw validationFailed([
        { field: 'period', reason: `a ${body.kind} appraisal needs a ${body.kind === 'monthly' ? 'month YYYY-MM' : 'year YYYY'}` },
      ]);
    const scoredOn = this.dates.optional(body.scoredOn, ctx, 'scoredOn');
    // A sales manager's run covers the salespeople they lead (the permission table's scope), so does its answer.
    return this.runner.run({ period: body.period, kind: body.kind, employeeIds: body.employeeIds, scoredOn, within }, ctx);
  }

  @Get('appraisals/:id')
  @Roles(...READERS.appraisals, 'salesperson')
  @ApiOperation({
    summary:
      'An appraisal (id `<employeeId>-<period>`): every input value, item points, total, revisions, review, reward, plan (read model)',
  })
  @ApiRefusals({
    forbidden: 'OutOfScope: a salesperson reads their own, a sales manager those of the salespeople they lead',
    notFound: 'AppraisalNotFound',
  })
  async appraisal(@Param('id') id: string, @Query() query: ReadModelQuery) {
    return this.readModels.getOrThrow<AppraisalScoreDoc>(
      appraisalScoresProjection,
      id,
      query.minPosition,
      'AppraisalNotFound',
      'Appraisal',
    );
  }

  @Post('appraisals/:id/review')
  @CommandEndpoint(
    200,
    {
      summary:
        'The manager’s review (AppraisalReviewed): a total at or above the reward threshold grants the reward (RewardGranted); below the plan threshold the review sets an improvement plan (ImprovementPlanSet)',
    },
    { description: '{ id, position, reward: { kind, amount } | null, improvementPlanId: string | null }' },
  )
  @Roles('sales_manager')
  @ApiRefusals({
    forbidden: 'ManagerRequired, CannotReviewOwnAppraisal, OutOfScope (a salesperson the manager does not lead)',
    notFound: 'AppraisalNotScored',
    conflict: 'AppraisalAlreadyReviewed',
    unprocessable: 'FeedbackRequired, ImprovementPlanRequired, ImprovementPlanNotWarranted, GoalsRequired, DeadlineMustBeAfterReview',
  })
  async review(@Param('id') id: string, @Body() body: ReviewAppraisalBody, @Ctx() ctx: RequestContext) {
    assertId(id);
    // One plan per appraisal: its id follows from the appraisal's, so a retried review addresses the same plan.
    const improvementPlan = body.improvementPlan && {
      planId: deterministicId(`improvement-plan:${id}`),
      goals: body.improvementPlan.goals,
      deadline: body.improvementPlan.deadline ?? null,
    };
    const reviewedOn = this.dates.optional(body.reviewedOn, ctx, 'reviewedOn');
    const result = await execute(
      this.commandBus,
      { kind: 'appraisal', id, command: { type: 'ReviewAppraisal', data: { feedback: body.feedback, improvementPlan, reviewedOn } } },
      ctx,
    );
    let position = result.position;
    for (const event of result.events)
      position = Math.max(
        position,
        (await this.plans.reactAndReport({ ...event, metadata: { correlationId: ctx.correlationId } }))?.position ?? 0,
      );
    const reward = result.events.find((e): e is RewardGranted => e.type === 'RewardGranted');
    return {
      id,
      position,
      reward: reward ? { kind: reward.data.kind, amount: reward.data.amount } : null,
      improvementPlanId: improvementPlan?.planId ?? null,
    };
  }

  @Post('appraisals/:id/acknowledge')
  @CommandEndpoint(200, { summary: 'The appraised employee acknowledges the reviewed appraisal (AppraisalAcknowledged)' })
  @Roles('salesperson')
  @ApiRefusals({
    forbidden: 'NotOwnAppraisal',
    notFound: 'AppraisalNotScored',
    conflict: 'AppraisalNotReviewed, AppraisalAlreadyAcknowledged',
  })
  async acknowledge(@Param('id') id: string, @Body() body: AcknowledgeAppraisalBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    assertId(id);
    const acknowledgedOn = this.dates.optional(body.acknowledgedOn, ctx, 'acknowledgedOn');
    return accept(
      this.commandBus,
      { kind: 'appraisal', id, command: { type: 'AcknowledgeAppraisal', data: { comment: body.comment, acknowledgedOn } } },
      ctx,
    );
  }

  @Post('improvement-plans/:id/review')
  @CommandEndpoint(200, { summary: 'Review an improvement plan at or after its deadline as met or not met (ImprovementPlanReviewed)' })
  @Roles('sales_manager')
  @ApiRefusals({
    forbidden: 'ManagerRequired, CannotReviewOwnPlan, OutOfScope (a salesperson the manager does not lead)',
    notFound: 'PlanNotFound',
    conflict: 'PlanAlreadyReviewed',
    unprocessable: 'PlanReviewBeforeDeadline, NoteRequired',
  })
  async reviewPlan(@Param('id') id: string, @Body() body: ReviewPlanBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    assertId(id);
    const reviewedOn = this.dates.optional(body.reviewedOn, ctx, 'reviewedOn');
    return accept(
      this.commandBus,
      {
        kind: 'improvement-plan',
        id,
        command: { type: 'ReviewImprovementPlan', data: { outcome: body.outcome, note: body.note, reviewedOn } },
      },
      ctx,
    );
  }

  @Get('improvement-plans')
  @Roles(...READERS.appraisals, 'salesperson')
  @ApiOperation({
    summary:
      'Improvement plans with an `overdue` flag (past the deadline without a review); `?overdue=true` lists only those, most overdue first',
  })
  @ApiOkResponse({
    description:
      '{ items: [{ planId, employeeId, appraisalId, goals, deadline, status, outcome?, overdue: { daysOverdue } | null }], total }',
  })
  async improvementPlans(@Query() query: ImprovementPlansQuery, @Ctx() ctx: RequestContext, @ScopeFilter() scoped: DocumentFilter) {
    // A salesperson's list is their own, a sales manager's the salespeople they lead (the permission table's scope).
    const items = await this.reports.improvementPlans(
      { employeeId: query.employeeId, today: ctx.today, onlyOverdue: query.overdue === 'true', scoped },
      query.minPosition,
    );
    return { items, total: items.length };
  }

  private dateOf(value: string | undefined, ctx: RequestContext, field: string) {
    return resolveOptionalBusinessDate(value, ctx, this.dates.windowDays, field);
  }
}
