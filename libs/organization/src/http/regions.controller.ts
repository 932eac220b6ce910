import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
  Ctx,
  ReadModelQuery,
  RequestContext,
  Roles,
  assertId,
  newEntityId,
  resolveBusinessDate,
  ReadModels,
  BusinessDates,
  ApiIdempotencyKey,
  READERS,
} from '@salesline/core';

import { ExecuteOrganizationCommand, RegionRequest } from '../application/organization-commands';
import { RegionDoc, regionsProjection } from '../read-models/organization.projections';
import {
  AppointAgentBody,
  ChangeManagerBody,
  CloseBranchBody,
  CloseRegionBody,
  CommandAccepted,
  EndAgentBody,
  EstablishRegionBody,
  ListRegionsQuery,
  OpenBranchBody,
} from './organization.dto';

const ORGANIZERS = ['sales_manager', 'admin_department'] as const;

@ApiTags('organization')
@ApiBearerAuth()
@ApiBadRequestResponse({ description: 'ValidationFailed: { errors: [{ field, reason }] }' })
@ApiForbiddenResponse({ description: 'RoleRequired, NotAllowedToManageOrganization' })
@Controller('api/regions')
export class RegionsController {
  constructor(
    private readonly dates: BusinessDates,
    private readonly readModels: ReadModels,
    private readonly commandBus: CommandBus,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles(...ORGANIZERS)
  @ApiOperation({ summary: 'Establish a region (sales area; RegionEstablished)' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: CommandAccepted })
  @ApiConflictResponse({ description: 'RegionAlreadyEstablished' })
  @ApiUnprocessableEntityResponse({ description: 'InvalidRegion, IdempotencyKeyReused' })
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
  @HttpCode(200)
  @Roles(...ORGANIZERS)
  @ApiOperation({ summary: 'Change the region manager (RegionManagerChanged; no-op when unchanged)' })
  @ApiOkResponse({ type: CommandAccepted })
  @ApiNotFoundResponse({ description: 'RegionNotFound' })
  @ApiConflictResponse({ description: 'RegionAlreadyClosed' })
  @ApiUnprocessableEntityResponse({ description: 'DatePrecedesRegion' })
  @ApiIdempotencyKey()
  changeManager(@Param('id') id: string, @Body() body: ChangeManagerBody, @Ctx() ctx: RequestContext) {
    return this.run(
      id,
      { type: 'ChangeRegionManager', data: { managerId: body.managerId, changedOn: this.dates.on(body.changedOn, ctx, 'changedOn') } },
      ctx,
    );
  }

  @Post(':id/branches')
  @HttpCode(201)
  @Roles(...ORGANIZERS)
  @ApiOperation({ summary: 'Open a branch in the region (BranchOpened)' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ description: '{ id: regionId, branchId, position }' })
  @ApiNotFoundResponse({ description: 'RegionNotFound' })
  @ApiConflictResponse({ description: 'BranchAlreadyOpened, RegionAlreadyClosed' })
  @ApiUnprocessableEntityResponse({ description: 'InvalidBranch, DatePrecedesRegion' })
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
  @HttpCode(200)
  @Roles(...ORGANIZERS)
  @ApiOperation({ summary: 'Close a branch (BranchClosed)' })
  @ApiOkResponse({ type: CommandAccepted })
  @ApiNotFoundResponse({ description: 'RegionNotFound, BranchNotFound' })
  @ApiConflictResponse({ description: 'BranchAlreadyClosed' })
  @ApiUnprocessableEntityResponse({ description: 'ClosingPrecedesOpening' })
  @ApiIdempotencyKey()
  closeBranch(@Param('id') id: string, @Param('branchId') branchId: string, @Body() body: CloseBranchBody, @Ctx() ctx: RequestContext) {
    assertId(branchId, 'branchId');
    return this.run(id, { type: 'CloseBranch', data: { branchId, closedOn: this.dates.on(body.closedOn, ctx, 'closedOn') } }, ctx);
  }

  @Post(':id/agents')
  @HttpCode(201)
  @Roles(...ORGANIZERS)
  @ApiOperation({ summary: 'Appoint an agent the region sells through (AgentAppointed)' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ description: '{ id: regionId, agentId, position }' })
  @ApiNotFoundResponse({ description: 'RegionNotFound' })
  @ApiConflictResponse({ description: 'AgentAlreadyAppointed' })
  @ApiUnprocessableEntityResponse({ description: 'InvalidAgent, InvalidCommission, DatePrecedesRegion' })
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
  @HttpCode(200)
  @Roles(...ORGANIZERS)
  @ApiOperation({ summary: 'End an agent’s appointment (AgentAppointmentEnded)' })
  @ApiOkResponse({ type: CommandAccepted })
  @ApiNotFoundResponse({ description: 'RegionNotFound, AgentNotFound' })
  @ApiUnprocessableEntityResponse({ description: 'ClosingPrecedesOpening' })
  @ApiIdempotencyKey()
  endAgent(@Param('id') id: string, @Param('agentId') agentId: string, @Body() body: EndAgentBody, @Ctx() ctx: RequestContext) {
    assertId(agentId, 'agentId');
    return this.run(
      id,
      { type: 'EndAgentAppointment', data: { agentId, reason: body.reason, endedOn: this.dates.on(body.endedOn, ctx, 'endedOn') } },
      ctx,
    );
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles(...ORGANIZERS)
  @ApiOperation({ summary: 'Close the region: its branches close and agents end the same day (RegionClosed)' })
  @ApiOkResponse({ type: CommandAccepted })
  @ApiNotFoundResponse({ description: 'RegionNotFound' })
  @ApiConflictResponse({ description: 'RegionHasActiveTeams, RegionAlreadyClosed' })
  @ApiUnprocessableEntityResponse({ description: 'ClosingPrecedesOpening' })
  @ApiIdempotencyKey()
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
  @ApiNotFoundResponse({ description: 'RegionNotFound' })
  async get(@Param('id') id: string, @Query() query: ReadModelQuery) {
    const doc = await this.readModels.getOrThrow<RegionDoc>(regionsProjection, id, query.minPosition, 'RegionNotFound', 'Region');
    return view(doc);
  }

  private date(value: string | undefined, ctx: RequestContext, field: string) {
    return resolveBusinessDate(value, ctx, this.dates.windowDays, field);
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
