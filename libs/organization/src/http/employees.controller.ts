import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, ReadModelQuery, RequestContext, Roles, assertId } from '@salesline/core';
import { ReadModels, BusinessDates, READERS, CommandEndpoint, ApiRefusals } from '@salesline/core';

import { EmployeeRequest, ExecuteOrganizationCommand } from '../application/organization-commands';
import { territoriesOn } from '../domain/assignment-history';
import { EmployeeDoc, employeesProjection } from '../read-models/organization.projections';
import { AssignTerritoryBody, CommandAccepted, HireSalespersonBody, LeaveBody } from './organization.dto';
import { ListEmployeesQuery, TransferBody, UnassignTerritoryBody } from './organization.dto';
import { view } from './regions.controller';

const STAFFERS = ['sales_manager', 'admin_department'] as const;

@ApiTags('organization')
@ApiBearerAuth()
@ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] }', forbidden: 'RoleRequired, NotAllowedToManageStaff' })
@Controller('api/employees')
export class EmployeesController {
  constructor(
    private readonly dates: BusinessDates,
    private readonly readModels: ReadModels,
    private readonly commandBus: CommandBus,
  ) {}

  @Post()
  @CommandEndpoint(201, {
    summary: 'Hire a salesperson into an active team (SalespersonHired); a leaver may be re-hired under the same id',
  })
  @Roles(...STAFFERS)
  @ApiRefusals({
    notFound: 'TeamNotFound',
    conflict: 'EmployeeAlreadyHired, TeamAlreadyDisbanded',
    unprocessable: 'InvalidEmployee, RehirePredatesLeaving',
  })
  hire(@Body() body: HireSalespersonBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    const hiredOn = this.dates.on(body.hiredOn, ctx, 'hiredOn');
    return this.run(
      body.employeeId,
      { type: 'HireSalesperson', data: { employeeId: body.employeeId, name: body.name, teamId: body.teamId, hiredOn } },
      ctx,
    );
  }

  @Post(':id/territories')
  @CommandEndpoint(200, { summary: 'Assign a territory (TerritoryAssigned)' })
  @Roles(...STAFFERS)
  @ApiRefusals({
    notFound: 'EmployeeNotFound',
    conflict: 'TerritoryAlreadyAssigned, EmployeeHasLeft',
    unprocessable: 'InvalidTerritory, DatePrecedesAssignment',
  })
  assignTerritory(@Param('id') id: string, @Body() body: AssignTerritoryBody, @Ctx() ctx: RequestContext) {
    const assignedOn = this.dates.on(body.assignedOn, ctx, 'assignedOn');
    return this.run(id, { type: 'AssignTerritory', data: { territory: body.territory, assignedOn } }, ctx);
  }

  @Post(':id/territories/:territory/unassign')
  @CommandEndpoint(200, { summary: 'Unassign a territory from its first day without it (TerritoryUnassigned)' })
  @Roles(...STAFFERS)
  @ApiRefusals({ notFound: 'EmployeeNotFound', conflict: 'TerritoryNotAssigned, EmployeeHasLeft', unprocessable: 'DatePrecedesAssignment' })
  unassignTerritory(
    @Param('id') id: string,
    @Param('territory') territory: string,
    @Body() body: UnassignTerritoryBody,
    @Ctx() ctx: RequestContext,
  ) {
    assertId(territory, 'territory');
    const unassignedOn = this.dates.planned(body.unassignedOn, ctx, 'unassignedOn');
    return this.run(id, { type: 'UnassignTerritory', data: { territory, unassignedOn } }, ctx);
  }

  @Post(':id/transfer')
  @CommandEndpoint(200, {
    summary: 'Transfer to another team from a date (SalespersonTransferred)',
    description:
      'A move to another region releases the open territories the same day (TerritoryUnassigned). Sales before the date stay with the old team.',
  })
  @Roles(...STAFFERS)
  @ApiRefusals({
    notFound: 'EmployeeNotFound, TeamNotFound',
    conflict: 'EmployeeHasLeft, TeamAlreadyDisbanded',
    unprocessable: 'TransferToSameTeam, TransferPredatesAssignment, InvalidTransfer',
  })
  transfer(@Param('id') id: string, @Body() body: TransferBody, @Ctx() ctx: RequestContext) {
    const effectiveOn = this.dates.planned(body.effectiveOn, ctx, 'effectiveOn');
    return this.run(id, { type: 'TransferSalesperson', data: { toTeamId: body.toTeamId, effectiveOn } }, ctx);
  }

  @Post(':id/leave')
  @CommandEndpoint(200, { summary: 'Record the last working day (SalespersonLeft); open territories close with it' })
  @Roles(...STAFFERS)
  @ApiRefusals({ notFound: 'EmployeeNotFound', conflict: 'EmployeeHasLeft', unprocessable: 'LeavingPredatesAssignment, InvalidLeaving' })
  leave(@Param('id') id: string, @Body() body: LeaveBody, @Ctx() ctx: RequestContext) {
    const leftOn = this.dates.planned(body.leftOn, ctx, 'leftOn');
    return this.run(id, { type: 'RecordSalespersonLeft', data: { leftOn, reason: body.reason } }, ctx);
  }

  @Get()
  @Roles(...READERS.organization)
  @ApiOperation({ summary: 'Salespeople by current team, region or status (read model)' })
  async list(@Query() query: ListEmployeesQuery) {
    const filter = { teamId: query.teamId, regionId: query.regionId, status: query.status };
    const { items, total } = await this.readModels.page(employeesProjection, filter, { ...query, sort: { name: 1 } });
    return { items: items.map(view), total };
  }

  @Get(':id')
  @Roles(...READERS.organization)
  @ApiOperation({ summary: 'A salesperson with the dated team/region history and territory history (read model)' })
  @ApiRefusals({ notFound: 'EmployeeNotFound' })
  @ApiOkResponse({
    description:
      '{ employeeId, name, status, teamId?, regionId?, history: [{teamId, regionId, managerId, from, until}], territories: [...], currentTerritories }',
  })
  async get(@Param('id') id: string, @Query() query: ReadModelQuery, @Ctx() ctx: RequestContext) {
    const doc = await this.readModels.getOrThrow<EmployeeDoc>(employeesProjection, id, query.minPosition, 'EmployeeNotFound', 'Employee');
    return { ...view(doc), currentTerritories: territoriesOn(doc.territories, ctx.today) };
  }

  private async run(id: string, command: EmployeeRequest, ctx: RequestContext): Promise<CommandAccepted> {
    assertId(id);
    const { position } = await this.commandBus.execute(new ExecuteOrganizationCommand({ kind: 'employee', id, command }, ctx));
    return { id, position };
  }
}
