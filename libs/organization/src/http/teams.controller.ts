import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, ReadModelQuery, RequestContext, Roles, assertId, newEntityId } from '@salesline/core';
import { ReadModels, BusinessDates, READERS, CommandEndpoint, ApiRefusals } from '@salesline/core';

import { ExecuteOrganizationCommand, TeamRequest } from '../application/organization-commands';
import { TeamDoc, teamsProjection } from '../read-models/organization.projections';
import { ChangeManagerBody, CommandAccepted, DisbandTeamBody, FormTeamBody, ListTeamsQuery } from './organization.dto';
import { view } from './regions.controller';

const ORGANIZERS = ['sales_manager', 'admin_department'] as const;

@ApiTags('organization')
@ApiBearerAuth()
@ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] }', forbidden: 'RoleRequired, NotAllowedToManageOrganization' })
@Controller('api/teams')
export class TeamsController {
  constructor(
    private readonly dates: BusinessDates,
    private readonly readModels: ReadModels,
    private readonly commandBus: CommandBus,
  ) {}

  @Post()
  @CommandEndpoint(201, { summary: 'Form a team within an open region (TeamFormed)' })
  @Roles(...ORGANIZERS)
  @ApiRefusals({
    notFound: 'RegionNotFound',
    conflict: 'TeamAlreadyFormed, RegionAlreadyClosed',
    unprocessable: 'InvalidTeam, DatePrecedesRegion, IdempotencyKeyReused',
  })
  form(@Body() body: FormTeamBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    const teamId = body.teamId ?? newEntityId('team', ctx);
    return this.run(
      teamId,
      {
        type: 'FormTeam',
        data: {
          teamId,
          regionId: body.regionId,
          name: body.name,
          managerId: body.managerId,
          formedOn: this.dates.on(body.formedOn, ctx, 'formedOn'),
        },
      },
      ctx,
    );
  }

  @Post(':id/manager')
  @CommandEndpoint(200, { summary: 'Change the team manager (TeamManagerChanged; no-op when unchanged)' })
  @Roles(...ORGANIZERS)
  @ApiRefusals({ notFound: 'TeamNotFound', conflict: 'TeamAlreadyDisbanded', unprocessable: 'DatePrecedesTeam' })
  changeManager(@Param('id') id: string, @Body() body: ChangeManagerBody, @Ctx() ctx: RequestContext) {
    return this.run(
      id,
      { type: 'ChangeTeamManager', data: { managerId: body.managerId, changedOn: this.dates.on(body.changedOn, ctx, 'changedOn') } },
      ctx,
    );
  }

  @Post(':id/disband')
  @CommandEndpoint(200, { summary: 'Disband a team with no active members (TeamDisbanded)' })
  @Roles(...ORGANIZERS)
  @ApiRefusals({ notFound: 'TeamNotFound', conflict: 'TeamHasMembers, TeamAlreadyDisbanded', unprocessable: 'DatePrecedesTeam' })
  disband(@Param('id') id: string, @Body() body: DisbandTeamBody, @Ctx() ctx: RequestContext) {
    return this.run(id, { type: 'DisbandTeam', data: { disbandedOn: this.dates.on(body.disbandedOn, ctx, 'disbandedOn') } }, ctx);
  }

  @Get()
  @Roles(...READERS.organization)
  @ApiOperation({ summary: 'Teams, by region and status (read model)' })
  async list(@Query() query: ListTeamsQuery) {
    const filter = { regionId: query.regionId, status: query.status };
    const { items, total } = await this.readModels.page(teamsProjection, filter, { ...query, sort: { name: 1 } });
    return { items: items.map(view), total };
  }

  @Get(':id')
  @Roles(...READERS.organization)
  @ApiOperation({ summary: 'A team (read model)' })
  @ApiRefusals({ notFound: 'TeamNotFound' })
  async get(@Param('id') id: string, @Query() query: ReadModelQuery) {
    const doc = await this.readModels.getOrThrow<TeamDoc>(teamsProjection, id, query.minPosition, 'TeamNotFound', 'Team');
    return view(doc);
  }

  private async run(id: string, command: TeamRequest, ctx: RequestContext): Promise<CommandAccepted> {
    assertId(id);
    const { position } = await this.commandBus.execute(new ExecuteOrganizationCommand({ kind: 'team', id, command }, ctx));
    return { id, position };
  }
}
