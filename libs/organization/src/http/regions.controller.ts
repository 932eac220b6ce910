import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, ReadModelQuery, RequestContext, Roles, assertId, newEntityId } from '@salesline/core';
import { ReadModels, BusinessDates, READERS, CommandEndpoint, ApiRefusals } from '@salesline/core';

import { ExecuteOrganizationCommand, RegionRequest } from '../application/organization-commands';
import { RegionDoc, regionsProjection } from '../read-models/organization.projections';
import { AppointAgentBody, ChangeManagerBody, CloseBranchBody, CloseRegionBody, CommandAccepted } from './organization.dto';
import { EndAgentBody, EstablishRegionBody, ListRegionsQuery, OpenBranchBody } from './organization.dto';

const ORGANIZERS = ['sales_manager', 'admin_department'] as const;

@ApiTags('organization')
@ApiBearerAuth()
@ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] }', forbidden: 'RoleRequired, NotAllowedToManageOrganization' })
@Controller('api/regions')
export class RegionsController {
  constructor(
    private readonly dates: BusinessDates,
    private readonly readModels: ReadModels,
    private readonly commandBus: CommandBus,
  ) {}

  @Post()
  @CommandEndpoint(201, { summary: 'Establish a region (sales area; RegionEstablished)' })
  @Roles(...ORGANIZERS)
  @ApiRefusals({ conflict: 'RegionAlreadyEstablished', unprocessable: 'InvalidRegion, IdempotencyKeyReused' })
  establish(@Body() body: EstablishRegionBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    const regionId = body.regionId ?? newEntityId('region', ctx);
    const establishedOn = this.dates.on(body.establishedOn, ctx, 'establishedOn');
    return this.run(
      regionId,
      { type: 'EstablishRegion', data: { regionId, name: body.name, managerId: body.managerId ?? null, establishedOn } },
      ctx,
    );
  }

  @Post(':id/manager')
  @CommandEndpoint(200, { summary: 'Change the region manager (RegionManagerChanged; no-op when unchanged)' })
  @Roles(...ORGANIZERS)
  @ApiRefusals({ notFound: 'RegionNotFound', conflict: 'RegionAlreadyClosed', unprocessable: 'DatePrecedesRegion' })
  changeManager(@Param('id') id: string, @Body() body: ChangeManagerBody, @Ctx() ctx: RequestContext) {
    return this.run(
      id,
      { type: 'ChangeRegionManager', data: { managerId: body.managerId, changedOn: this.dates.on(body.changedOn, ctx, 'changedOn') } },
      ctx,
    );
  }

  @Post(':id/branches')
  @CommandEndpoint(201, { summary: 'Open a branch in the region (BranchOpened)' }, { description: '{ id: regionId, branchId, position }' })
  @Roles(...ORGANIZERS)
  @ApiRefusals({
    notFound: 'RegionNotFound',
    conflict: 'BranchAlreadyOpened, RegionAlreadyClosed',
    unprocessable: 'InvalidBranch, DatePrecedesRegion',
  })
  async openBranch(@Param('id') id: string, @Body() body: OpenBranchBody, @Ctx() ctx: RequestContext) {
    const branchId = body.branchId ?? newEntityId(`branch:${id}`, ctx);
    const accepted = await this.run(
      id,
      { type: 'OpenBranch', data: { branchId, name: body.name, city: body.city, openedOn: this.dates.on(body.openedOn, ctx, 'openedOn') } },
      ctx,
    );
    return { ...accepted, branchId };
  }

  @Post(':id/branches/:branchId/close')
  @CommandEndpoint(200, { summary: 'Close a branch (BranchClosed)' })
  @Roles(...ORGANIZERS)
  @ApiRefusals({ notFound: 'RegionNotFound, BranchNotFound', conflict: 'BranchAlreadyClosed', unprocessable: 'ClosingPrecedesOpening' })
  closeBranch(@Param('id') id: string, @Param('branchId') branchId: string, @Body() body: CloseBranchBody, @Ctx() ctx: RequestContext) {
    assertId(branchId, 'branchId');
    return this.run(id, { type: 'CloseBranch', data: { branchId, closedOn: this.dates.on(body.closedOn, ctx, 'closedOn') } }, ctx);
  }

  @Post(':id/agents')
  @CommandEndpoint(
    201,
    { summary: 'Appoint an agent the region sells through (AgentAppointed)' },
    { description: '{ id: regionId, agentId, position }' },
  )
  @Roles(...ORGANIZERS)
  @ApiRefusals({
    notFound: 'RegionNotFound',
    conflict: 'AgentAlreadyAppointed',
    unprocessable: 'InvalidAgent, InvalidCommission, DatePrecedesRegion',
  })
  async appointAgent(@Param('id') id: string, @Body() body: AppointAgentBody, @Ctx() ctx: RequestContext) {
    const agentId = body.agentId ?? newEntityId(`agent:${id}`, ctx);
    const accepted = await this.run(
      id,
      {
        type: 'AppointAgent',
        data: {
          agentId,
          name: body.name,
          commissionBp: body.commissionBp,
          appointedOn: this.dates.on(body.appointedOn, ctx, 'appointedOn'),
        },
      },
      ctx,
    );
    return { ...accepted, agentId };
  }

  @Post(':id/agents/:agentId/end')
  @CommandEndpoint(200, { summary: 'End an agent’s appointment (AgentAppointmentEnded)' })
  @Roles(...ORGANIZERS)
  @ApiRefusals({ notFound: 'RegionNotFound, AgentNotFound', unprocessable: 'ClosingPrecedesOpening' })
  endAgent(@Param('id') id: string, @Param('agentId') agentId: string, @Body() body: EndAgentBody, @Ctx() ctx: RequestContext) {
    assertId(agentId, 'agentId');
    return this.run(
      id,
      { type: 'EndAgentAppointment', data: { agentId, reason: body.reason, endedOn: this.dates.on(body.endedOn, ctx, 'endedOn') } },
      ctx,
    );
  }

  @Post(':id/close')
  @CommandEndpoint(200, { summary: 'Close the region: its branches close and agents end the same day (RegionClosed)' })
  @Roles(...ORGANIZERS)
  @ApiRefusals({
    notFound: 'RegionNotFound',
    conflict: 'RegionHasActiveTeams, RegionAlreadyClosed',
    unprocessable: 'ClosingPrecedesOpening',
  })
  close(@Param('id') id: string, @Body() body: CloseRegionBody, @Ctx() ctx: RequestContext) {
    return this.run(id, { type: 'CloseRegion', data: { closedOn: this.dates.on(body.closedOn, ctx, 'closedOn') } }, ctx);
  }

  @Get()
  @Roles(...READERS.organization)
  @ApiOperation({ summary: 'Regions with their branches and agents (read model)' })
  async list(@Query() query: ListRegionsQuery) {
    const filter = { status: query.status };
    const { items, total } = await this.readModels.page(regionsProjection, filter, { ...query, sort: { name: 1 } });
    return { items: items.map(view), total };
  }

  @Get(':id')
  @Roles(...READERS.organization)
  @ApiOperation({ summary: 'A region (read model)' })
  @ApiRefusals({ notFound: 'RegionNotFound' })
  async get(@Param('id') id: string, @Query() query: ReadModelQuery) {
    const doc = await this.readModels.getOrThrow<RegionDoc>(regionsProjection, id, query.minPosition, 'RegionNotFound', 'Region');
    return view(doc);
  }

  private async run(id: string, command: RegionRequest, ctx: RequestContext): Promise<CommandAccepted> {
    assertId(id);
    const { position } = await this.commandBus.execute(new ExecuteOrganizationCommand({ kind: 'region', id, command }, ctx));
    return { id, position };
  }
}

/** Documents as the API answers them: without the store's bookkeeping, branches and agents as lists. */
export const view = <T extends object>(doc: T): Record<string, unknown> => {
  const { _position: _p, ...rest } = doc as T & {
    _position?: number;
    branches?: Record<string, unknown>;
    agents?: Record<string, unknown>;
  };
  return {
    ...rest,
    ...(rest.branches ? { branches: Object.values(rest.branches) } : {}),
    ...(rest.agents ? { agents: Object.values(rest.agents) } : {}),
  };
};
