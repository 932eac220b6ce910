import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, ReadModelQuery, RequestContext, Roles, assertId, newEntityId } from '@salesline/core';
import { ReadModels, BusinessDates, READERS, CommandEndpoint, ApiRefusals, DocumentFilter, ScopeFilter } from '@salesline/core';

import { ExecuteOrganizationCommand, TerritoryObjectionRequest } from '../application/organization-commands';
import { OrganizationFacts } from '../application/organization-facts';
import { escalationDueOn } from '../domain/territory-escalation-policy';
import { TerritoryObjectionDoc, territoryObjectionsProjection } from '../read-models/organization.projections';
import { AdministrativeDecisionBody, CommandAccepted, ListObjectionsQuery } from './organization.dto';
import { RaiseObjectionBody, ResolveObjectionBody, WithdrawObjectionBody } from './organization.dto';
import { view } from './regions.controller';

@ApiTags('organization')
@ApiBearerAuth()
@ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] }' })
@Controller('api/territory-objections')
export class TerritoryObjectionsController {
  constructor(
    private readonly dates: BusinessDates,
    private readonly readModels: ReadModels,
    private readonly commandBus: CommandBus,
    private readonly facts: OrganizationFacts,
  ) {}

  @Post()
  @CommandEndpoint(201, { summary: 'Object to an assigned territory (the salesperson holding it; TerritoryObjectionRaised)' })
  @Roles('salesperson')
  @ApiRefusals({
    forbidden: 'NotOwnTerritory',
    notFound: 'EmployeeNotFound',
    conflict: 'EmployeeHasLeft, TerritoryObjectionAlreadyRaised',
    unprocessable: 'TerritoryNotAssigned, ObjectionReasonRequired',
  })
  raise(@Body() body: RaiseObjectionBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    const objectionId = newEntityId('territory-objection', ctx);
    const raisedOn = this.dates.optional(body.raisedOn, ctx, 'raisedOn');
    return this.run(
      objectionId,
      {
        type: 'RaiseTerritoryObjection',
        data: { objectionId, employeeId: body.employeeId, territory: body.territory, reason: body.reason, raisedOn },
      },
      ctx,
    );
  }

  @Post('escalate')
  @HttpCode(200)
  @Roles('integration', 'admin_department')
  @ApiOperation({
    summary: 'Escalation sweep: every open objection past its due date goes to the administrative department (TerritoryDisputeEscalated)',
    description: 'Run daily by the scheduler; safe to re-run (a no-op for objections not due or not open).',
  })
  @ApiOkResponse({ description: '{ escalated: [objectionId], position }' })
  @ApiRefusals({ forbidden: 'NotAllowedToEscalate' })
  async escalate(@Ctx() ctx: RequestContext) {
    await this.readModels.catchUp([territoryObjectionsProjection]);
    const { territoryEscalationDays } = await this.facts.organizationSettings();
    const open = await this.readModels.find(territoryObjectionsProjection, { status: 'open' }, { sort: { raisedOn: 1 } });
    const escalated: string[] = [];
    let position = 0;
    for (const objection of open.filter((o) => escalationDueOn(o.raisedOn, territoryEscalationDays) <= ctx.today)) {
      const result = await this.commandBus.execute(
        new ExecuteOrganizationCommand(
          { kind: 'territory-objection', id: objection.id, command: { type: 'EscalateOverdueTerritoryObjection', data: {} } },
          ctx,
        ),
      );
      if (result.events.length > 0) escalated.push(objection.id);
      position = Math.max(position, result.position);
    }
    return { escalated, position };
  }

  @Post(':id/resolve')
  @CommandEndpoint(200, { summary: 'A sales manager resolves an open objection before it escalates (TerritoryObjectionResolved)' })
  @Roles('sales_manager')
  @ApiRefusals({
    forbidden: 'NotAllowedToResolveObjection, CannotResolveOwnObjection',
    notFound: 'TerritoryObjectionNotFound',
    conflict: 'TerritoryDisputeAlreadyEscalated, TerritoryObjectionAlreadyResolved, TerritoryObjectionAlreadyWithdrawn',
    unprocessable: 'InvalidDecision, DecisionNoteRequired, DatedBeforeRaised',
  })
  resolve(@Param('id') id: string, @Body() body: ResolveObjectionBody, @Ctx() ctx: RequestContext) {
    const resolvedOn = this.dates.optional(body.resolvedOn, ctx, 'resolvedOn');
    return this.run(id, { type: 'ResolveTerritoryObjection', data: { decision: body.decision, note: body.note, resolvedOn } }, ctx);
  }

  @Post(':id/decision')
  @CommandEndpoint(200, { summary: 'The administrative department decides an escalated dispute (AdministrativeDecisionRecorded)' })
  @Roles('admin_department')
  @ApiRefusals({
    forbidden: 'NotAllowedToDecideDispute',
    notFound: 'TerritoryObjectionNotFound',
    conflict: 'TerritoryDisputeNotEscalated, AdministrativeDecisionAlreadyRecorded',
    unprocessable: 'InvalidDecision, DecisionNoteRequired, DatedBeforeEscalation',
  })
  decide(@Param('id') id: string, @Body() body: AdministrativeDecisionBody, @Ctx() ctx: RequestContext) {
    const decidedOn = this.dates.optional(body.decidedOn, ctx, 'decidedOn');
    return this.run(id, { type: 'RecordAdministrativeDecision', data: { decision: body.decision, note: body.note, decidedOn } }, ctx);
  }

  @Post(':id/withdraw')
  @CommandEndpoint(200, { summary: 'The salesperson withdraws their objection, open or escalated (TerritoryObjectionWithdrawn)' })
  @Roles('salesperson')
  @ApiRefusals({
    forbidden: 'NotOwnObjection',
    notFound: 'TerritoryObjectionNotFound',
    conflict: 'TerritoryObjectionAlreadyWithdrawn, TerritoryObjectionAlreadyResolved, AdministrativeDecisionAlreadyRecorded',
    unprocessable: 'DatedBeforeRaised, DatedBeforeEscalation',
  })
  withdraw(@Param('id') id: string, @Body() body: WithdrawObjectionBody, @Ctx() ctx: RequestContext) {
    const withdrawnOn = this.dates.optional(body.withdrawnOn, ctx, 'withdrawnOn');
    return this.run(id, { type: 'WithdrawTerritoryObjection', data: { withdrawnOn } }, ctx);
  }

  @Get()
  @Roles(...READERS.territoryObjections)
  @ApiOperation({ summary: 'Territory objections by status or salesperson, with their due date (read model)' })
  async list(@Query() query: ListObjectionsQuery, @ScopeFilter() scoped: DocumentFilter) {
    // A salesperson's list holds their own objections, a sales manager's those of the salespeople they lead.
    const filter = { status: query.status, employeeId: query.employeeId, ...scoped };
    const { items, total } = await this.readModels.page(territoryObjectionsProjection, filter, { ...query, sort: { raisedOn: 1 } });
    const { territoryEscalationDays } = await this.facts.organizationSettings();
    return { items: items.map((doc) => this.withDue(doc, territoryEscalationDays)), total };
  }

  @Get(':id')
  @Roles(...READERS.territoryObjections)
  @ApiOperation({ summary: 'A territory objection (read model)' })
  @ApiRefusals({ notFound: 'TerritoryObjectionNotFound' })
  async get(@Param('id') id: string, @Query() query: ReadModelQuery) {
    const doc = await this.readModels.getOrThrow<TerritoryObjectionDoc>(
      territoryObjectionsProjection,
      id,
      query.minPosition,
      'TerritoryObjectionNotFound',
      'Territory objection',
    );
    return this.withDue(doc, (await this.facts.organizationSettings()).territoryEscalationDays);
  }

  private withDue(doc: TerritoryObjectionDoc, territoryEscalationDays: number) {
    return { ...view(doc), escalationDueOn: escalationDueOn(doc.raisedOn, territoryEscalationDays) };
  }

  private async run(id: string, command: TerritoryObjectionRequest, ctx: RequestContext): Promise<CommandAccepted> {
    assertId(id);
    const { position } = await this.commandBus.execute(new ExecuteOrganizationCommand({ kind: 'territory-objection', id, command }, ctx));
    return { id, position };
  }
}
