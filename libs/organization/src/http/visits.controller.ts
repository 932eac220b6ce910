import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Ctx,
  RequestContext,
  Roles,
  newEntityId,
  BusinessDates,
  ReadModels,
  CommandEndpoint,
  ApiRefusals,
  DocumentFilter,
  ScopeFilter,
} from '@salesline/core';
import { ExecuteOrganizationCommand } from '../application/organization-commands';
import { customerVisitsProjection } from '../read-models/organization.projections';
import { assertDateRange } from './dates';
import { ListVisitsQuery, RecordVisitBody } from './organization.dto';
import { view } from './regions.controller';

@ApiTags('organization')
@ApiBearerAuth()
@ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] }' })
@Controller('api/visits')
export class VisitsController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly dates: BusinessDates,
    private readonly commandBus: CommandBus,
  ) {}

  @Post()
  @CommandEndpoint(
    201,
    {
      summary: 'Record a customer visit (CustomerVisited, stream employee-visits-<employeeId>); counted as actual visits in sales progress',
    },
    { description: '{ id: visitId, employeeId, position }' },
  )
  @Roles('salesperson', 'sales_manager')
  @ApiRefusals({
    forbidden: 'NotOwnVisit',
    notFound: 'EmployeeNotFound',
    conflict: 'VisitAlreadyRecorded',
    unprocessable: 'VisitOutsideEmployment, VisitDatedInFuture, VisitOutcomeRequired',
  })
  async record(@Body() body: RecordVisitBody, @Ctx() ctx: RequestContext) {
    const employeeId = body.employeeId ?? ctx.actor.userId;
    const visitId = newEntityId(`visit:${employeeId}`, ctx);
    const visitedOn = this.dates.on(body.visitedOn, ctx, 'visitedOn');
    const { position } = await this.commandBus.execute(
      new ExecuteOrganizationCommand(
        {
          kind: 'visits',
          id: employeeId,
          command: {
            type: 'RecordCustomerVisit',
            data: { visitId, employeeId, customerId: body.customerId, visitedOn, outcome: body.outcome },
          },
        },
        ctx,
      ),
    );
    return { id: visitId, employeeId, position };
  }

  @Get()
  @Roles('salesperson', 'sales_manager', 'admin_department', 'analyst', 'auditor')
  @ApiOperation({ summary: 'Recorded visits by salesperson and date range (read model)' })
  async list(@Query() query: ListVisitsQuery, @ScopeFilter() scoped: DocumentFilter) {
    assertDateRange(query.from, query.to);
    const visitedOn =
      query.from || query.to ? { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lte: query.to } : {}) } : undefined;
    // A salesperson's list holds their own visits, a sales manager's those of the salespeople they lead (the permission table's scope).
    const filter = { employeeId: query.employeeId, visitedOn, ...scoped };
    const { items, total } = await this.readModels.page(customerVisitsProjection, filter, { ...query, sort: { visitedOn: 1 } });
    return { items: items.map(view), total };
  }
}
