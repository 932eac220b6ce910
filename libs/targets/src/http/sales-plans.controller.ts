import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, ReadModelQuery, RequestContext, Roles, assertId, newEntityId } from '@salesline/core';
import { ReadModels, resolveOptionalBusinessDate, BusinessDates, CommandEndpoint, ApiRefusals } from '@salesline/core';
import { DocumentFilter, ScopeFilter } from '@salesline/core';
import { eventOf } from '@salesline/shared-kernel';
import { ExecuteTargetsCommand, SalesPlanRequest } from '../application/targets-commands';
import { TargetsFacts } from '../application/targets-facts';
import { SalesPlanDoc, salesPlansProjection } from '../read-models/targets.projections';
import { ApprovePlanBody, ListPlansQuery, ReturnPlanBody, SubmitSalesPlanBody } from './targets.dto';
import { SalesPlanEvent } from '../domain/sales-plan';

const REVIEWERS = ['sales_manager', 'admin_department', 'analyst', 'auditor'] as const;

@ApiTags('targets')
@ApiBearerAuth()
@ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] }' })
@Controller('api/sales-plans')
export class SalesPlansController {
  constructor(
    private readonly dates: BusinessDates,
    private readonly readModels: ReadModels,
    private readonly commandBus: CommandBus,
    private readonly facts: TargetsFacts,
  ) {}

  @Post()
  @CommandEndpoint(
    201,
    {
      summary: 'Submit my sales plan for a month or quarter (SalesPlanSubmitted); after a return, the same call submits version n+1',
    },
    { description: '{ id: planId, version, position }' },
  )
  @Roles('salesperson')
  @ApiRefusals({
    forbidden: 'NotOwnSalesPlan',
    conflict: 'SalesPlanAwaitingReview, SalesPlanAlreadyApproved',
    unprocessable:
      'InvalidPlanPeriod, SalesPlanPeriodClosed, PlannedVisitsTooFew, ExpectedOrderUnspecified, StrategyRequired, InvalidSalesPlan',
  })
  async submit(@Body() body: SubmitSalesPlanBody, @Ctx() ctx: RequestContext) {
    const employeeId = ctx.actor.userId;
    const existing = await this.facts.salesPlanFor(employeeId, body.period);
    const planId = existing?.planId ?? newEntityId('sales-plan', ctx);
    const result = await this.commandBus.execute(
      new ExecuteTargetsCommand(
        {
          kind: 'sales-plan',
          id: { employeeId, period: body.period },
          command: {
            type: 'SubmitSalesPlan',
            data: {
              planId,
              employeeId,
              period: body.period,
              customersToVisit: body.customersToVisit,
              plannedVisits: body.plannedVisits,
              expectedOrders: body.expectedOrders.map((o) => ({ ...o })),
              strategy: body.strategy,
              submittedOn: this.dates.optional(body.submittedOn, ctx, 'submittedOn'),
            },
          },
        },
        ctx,
      ),
    );
    const submitted = eventOf<SalesPlanEvent>()(result.events, 'SalesPlanSubmitted')?.data;
    return { id: planId, version: submitted?.version ?? existing?.version ?? 1, position: result.position };
  }

  @Post(':id/approve')
  @CommandEndpoint(200, { summary: 'Approve the submitted version (SalesPlanApproved); final' }, { description: '{ id, position }' })
  @Roles('sales_manager')
  @ApiRefusals({
    forbidden: 'NotAllowedToReviewPlan, CannotReviewOwnPlan',
    notFound: 'SalesPlanNotFound',
    conflict: 'SalesPlanAlreadyApproved, SalesPlanNotSubmitted',
  })
  approve(@Param('id') id: string, @Body() body: ApprovePlanBody, @Ctx() ctx: RequestContext) {
    return this.review(
      id,
      { type: 'ApproveSalesPlan', data: { comments: body.comments, approvedOn: this.dates.optional(body.approvedOn, ctx, 'approvedOn') } },
      ctx,
    );
  }

  @Post(':id/return')
  @CommandEndpoint(
    200,
    { summary: 'Return the submitted version with comments (SalesPlanReturned); the salesperson resubmits' },
    { description: '{ id, position }' },
  )
  @Roles('sales_manager')
  @ApiRefusals({
    forbidden: 'NotAllowedToReviewPlan, CannotReviewOwnPlan',
    notFound: 'SalesPlanNotFound',
    conflict: 'SalesPlanAlreadyApproved, SalesPlanNotSubmitted',
    unprocessable: 'ReturnCommentsRequired',
  })
  returnPlan(@Param('id') id: string, @Body() body: ReturnPlanBody, @Ctx() ctx: RequestContext) {
    return this.review(
      id,
      { type: 'ReturnSalesPlan', data: { comments: body.comments, returnedOn: this.dates.optional(body.returnedOn, ctx, 'returnedOn') } },
      ctx,
    );
  }

  @Get()
  @Roles('salesperson', ...REVIEWERS)
  @ApiOperation({
    summary: 'Sales plans by salesperson, period and status (read model); a salesperson sees their own, a sales manager those they lead',
  })
  async list(@Query() query: ListPlansQuery, @ScopeFilter() scoped: DocumentFilter) {
    // A salesperson's list holds their own plans, a sales manager's those of the salespeople they lead (the permission table's scope).
    const filter = { employeeId: query.employeeId, period: query.period, status: query.status, ...scoped };
    const { items, total } = await this.readModels.page(salesPlansProjection, filter, { ...query, sort: { period: 1 } });
    return { items: items.map(strip), total };
  }

  @Get(':id')
  @Roles('salesperson', ...REVIEWERS)
  @ApiOperation({ summary: 'A sales plan with every version and its review (read model)' })
  @ApiRefusals({ notFound: 'SalesPlanNotFound' })
  async get(@Param('id') id: string, @Query() query: ReadModelQuery) {
    const doc = await this.readModels.getOrThrow<SalesPlanDoc>(
      salesPlansProjection,
      id,
      query.minPosition,
      'SalesPlanNotFound',
      'Sales plan',
    );
    return strip(doc);
  }

  private async review(id: string, command: SalesPlanRequest, ctx: RequestContext) {
    assertId(id);
    const plan = await this.facts.salesPlan(id);
    const result = await this.commandBus.execute(
      new ExecuteTargetsCommand({ kind: 'sales-plan', id: { employeeId: plan.employeeId, period: plan.period }, command }, ctx),
    );
    return { id, position: result.position };
  }

  private dateOf(value: string | undefined, ctx: RequestContext, field: string) {
    return resolveOptionalBusinessDate(value, ctx, this.dates.windowDays, field);
  }
}

const strip = ({ _position: _p, ...doc }: SalesPlanDoc & { _position?: number }) => doc;
