import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, ReadModelQuery, RequestContext, Roles, assertId, ReadModels } from '@salesline/core';
import { BusinessDates, READERS, DocumentFilter, ScopeFilter, CommandEndpoint, ApiRefusals } from '@salesline/core';

import { DismissalFollowUp } from '../application/dismissal-follow-up';
import { PerformanceFacts } from '../application/performance-facts';
import { DisciplinaryCaseDoc, byCaseOpening, disciplinaryCasesProjection } from '../read-models/performance.projections';
import { effectiveDate, execute } from './http-support';
import { DisciplineProcess } from '../application/discipline-process';
import { CloseCaseBody, DefineDisciplinePolicyBody, ListCasesQuery } from './performance.dto';
import { DisciplinePolicyEvent, DisciplineRule } from '../domain/discipline-policy';
import { eventOf } from '@salesline/shared-kernel';

/** The discipline policy (versioned) and the disciplinary cases it opens (ADR 0304, 0305). */
@ApiTags('conduct')
@ApiBearerAuth()
@ApiRefusals({
  badRequest: 'ValidationFailed: { errors: [{ field, reason }] }',
  forbidden: 'RoleRequired, NotAllowedToConfigurePerformance, ManagerRequired, CannotDecideOwnCase',
})
@Controller('api')
export class DisciplineController {
  constructor(
    private readonly dates: BusinessDates,
    private readonly readModels: ReadModels,
    private readonly commandBus: CommandBus,
    private readonly facts: PerformanceFacts,
    private readonly dismissals: DismissalFollowUp,
    private readonly discipline: DisciplineProcess,
  ) {}

  @Post('discipline-policies')
  @CommandEndpoint(
    201,
    {
      summary:
        'Define the next version of the discipline policy (DisciplinePolicyDefined); facts already recorded are judged by it at once',
      description:
        'Rules: lateness_count {window, countsAs, atLeast}, violation {severity}, violation_count {window, severity, atLeast}; each opens an investigation or a dismissal review.',
    },
    { description: '{ id: "discipline-policy", version, position }' },
  )
  @Roles('sales_manager', 'admin_department')
  @ApiRefusals({
    conflict: 'PolicyEffectiveDateNotAfterPrevious',
    unprocessable: 'DisciplineRulesRequired, DuplicateRuleId, InvalidDisciplineRule',
  })
  async definePolicy(@Body() body: DefineDisciplinePolicyBody, @Ctx() ctx: RequestContext) {
    const isFirstVersion = (await this.facts.disciplinePolicyVersions()).length === 0;
    const effectiveFrom = effectiveDate(body.effectiveFrom, ctx, this.dates.windowDays, isFirstVersion, ctx.today);
    const result = await execute(
      this.commandBus,
      {
        kind: 'discipline-policy',
        id: 'discipline-policy',
        command: {
          type: 'DefineDisciplinePolicy',
          data: {
            effectiveFrom,
            rules: body.rules as unknown as DisciplineRule[],
            definedOn: this.dates.optional(body.definedOn, ctx, 'definedOn'),
          },
        },
      },
      ctx,
    );
    const defined = result.events[0];
    // Facts recorded before this version are judged by it at once (and again by the subscription).
    const opened =
      defined && !result.replayed
        ? await this.discipline.reactAndReport({ type: defined.type, data: defined.data, metadata: { correlationId: ctx.correlationId } })
        : null;
    return {
      id: 'discipline-policy',
      version: eventOf<DisciplinePolicyEvent>()(result.events, 'DisciplinePolicyDefined')?.data.version ?? null,
      casesOpened: opened?.caseIds ?? [],
      position: Math.max(result.position, opened?.position ?? 0),
    };
  }

  @Get('discipline-policies')
  @Roles(...READERS.conduct, 'salesperson', 'analyst')
  @ApiOperation({ summary: 'Every version of the discipline policy with its rules, oldest first' })
  async policies() {
    return { versions: await this.facts.disciplinePolicyVersions() };
  }

  @Get('disciplinary-cases')
  @Roles(...READERS.conduct)
  @ApiOperation({ summary: 'Disciplinary cases with the facts that triggered them, by employee and status (read model)' })
  async cases(@Query() query: ListCasesQuery, @ScopeFilter() scoped: DocumentFilter) {
    // A sales manager's list holds the salespeople they lead (the permission table's scope).
    const items = await this.readModels.find(
      disciplinaryCasesProjection,
      { employeeId: query.employeeId, status: query.status, ...scoped },
      { minPosition: query.minPosition },
    );
    items.sort(byCaseOpening);
    return { items, total: items.length };
  }

  @Get('disciplinary-cases/:id')
  @Roles(...READERS.conduct)
  @ApiOperation({ summary: 'A disciplinary case (read model)' })
  @ApiRefusals({ notFound: 'CaseNotFound' })
  async case(@Param('id') id: string, @Query() query: ReadModelQuery) {
    const doc = await this.readModels.getOrThrow<DisciplinaryCaseDoc>(
      disciplinaryCasesProjection,
      id,
      query.minPosition,
      'CaseNotFound',
      'Case',
    );
    return doc;
  }

  @Post('disciplinary-cases/:id/close')
  @CommandEndpoint(
    200,
    {
      summary:
        'Close a case with its outcome (DisciplinaryCaseClosed); a dismissal records SalespersonLeft on the employee (closedOn = last working day)',
    },
    { description: '{ id, position, dismissal: { employeeId, leftOn } | null }' },
  )
  @Roles('sales_manager')
  @ApiRefusals({
    notFound: 'CaseNotFound',
    conflict: 'CaseAlreadyClosed',
    unprocessable: 'NoteRequired, CaseClosedBeforeOpened, InvalidCaseOutcome',
  })
  async close(@Param('id') id: string, @Body() body: CloseCaseBody, @Ctx() ctx: RequestContext) {
    assertId(id);
    const closedOn = this.dates.on(body.closedOn, ctx, 'closedOn');
    const result = await execute(
      this.commandBus,
      {
        kind: 'disciplinary-case',
        id,
        command: { type: 'CloseDisciplinaryCase', data: { outcome: body.outcome, note: body.note, closedOn } },
      },
      ctx,
    );
    // The follow-up runs inline (and again from its subscription: idempotent by the employee's state).
    let dismissal = null;
    for (const event of result.events)
      dismissal ??= await this.dismissals.reactAndReport({ ...event, metadata: { correlationId: ctx.correlationId } });
    return {
      id,
      position: Math.max(result.position, dismissal?.position ?? 0),
      dismissal: dismissal && { employeeId: dismissal.employeeId, leftOn: dismissal.leftOn },
    };
  }
}
