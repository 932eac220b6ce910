import { applyDecorators, Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Ctx, RequestContext, Roles, assertId, csvOf, validationFailed, wantsCsv, READERS, ApiRefusals } from '@salesline/core';
import type { HttpAnswer } from '@salesline/core';
import { isBusinessDate } from '@salesline/shared-kernel';
import { ProgressRowView, SalesProgressQuery } from '../application/sales-progress.query';
import { ProgressLevel } from '../domain/sales-progress';
import { DrillDownQueryParams, SalesProgressQueryParams } from './targets.dto';

const LEVELS: readonly ProgressLevel[] = ['salesperson', 'team', 'region', 'company'];

/** What every CSV row names besides its figures: the period, the date it is as of, the revenue basis. */
export type ProgressCsvMeta = { period: string; asOf: string; revenueBasis: string };

/** CSV columns, in a stable order; amounts in minor units, ratios in basis points, empty for null. */
export const CSV_COLUMNS: readonly [string, (r: ProgressRowView, meta: ProgressCsvMeta) => string | number | null][] = [
  ['period', (_r, m) => m.period],
  ['asOf', (_r, m) => m.asOf],
  ['revenueBasis', (_r, m) => m.revenueBasis],
  ['level', (r) => r.level],
  ['nodeId', (r) => r.nodeId],
  ['name', (r) => r.name],
  ['targetRevenue', (r) => r.target?.revenue ?? null],
  ['targetQuantity', (r) => r.target?.quantity ?? null],
  ['targetGrossMargin', (r) => r.target?.grossMargin ?? null],
  ['ordersBooked', (r) => r.actual.ordersBooked],
  ['revenueDelivered', (r) => r.actual.revenueDelivered],
  ['revenueInvoiced', (r) => r.actual.revenueInvoiced],
  ['cashCollected', (r) => r.actual.cashCollected],
  ['revenue', (r) => r.actual.revenue],
  ['quantity', (r) => r.actual.quantity],
  ['grossMargin', (r) => r.actual.grossMargin],
  ['achievementRevenueBp', (r) => r.achievementBp.revenue],
  ['achievementQuantityBp', (r) => r.achievementBp.quantity],
  ['achievementGrossMarginBp', (r) => r.achievementBp.grossMargin],
  ['forecastRevenue', (r) => r.forecast.revenue],
  ['forecastQuantity', (r) => r.forecast.quantity],
  ['forecastGrossMargin', (r) => r.forecast.grossMargin],
  ['expenseBudget', (r) => r.expenses.budget],
  ['expenseActual', (r) => r.expenses.actual],
  ['expenseRemaining', (r) => r.expenses.remaining],
  ['expenseUsedBp', (r) => r.expenses.usedBp],
  ['pipelineCount', (r) => r.quotes.pipelineCount],
  ['pipelineValue', (r) => r.quotes.pipelineValue],
  ['quotesWon', (r) => r.quotes.won],
  ['quotesLost', (r) => r.quotes.lost],
  ['winRateBp', (r) => r.quotes.winRateBp],
  ['plannedVisits', (r) => r.visits.planned],
  ['actualVisits', (r) => r.visits.actual],
];

export const toCsv = (rows: readonly ProgressRowView[], meta: ProgressCsvMeta): string => csvOf(CSV_COLUMNS, rows, meta);

/**
 * What a node's answer (a drill-down, or its unassigned child) documents: JSON (its fields `head`, then its page of
 * credited document shares) or CSV, and the refusal of an unknown node.
 */
const NodeAnswerDocs = (head: string) =>
  applyDecorators(
    ApiProduces('application/json', 'text/csv'),
    ApiOkResponse({
      description: `{ ${head}, documents: [{ factId, kind, businessDate, creditDate, employeeId, amount, quantity, grossMargin }], documentsTotal } — documents paged by limit (default 100) and offset`,
    }),
    ApiRefusals({ notFound: 'ProgressNodeNotFound' }),
  );

@ApiTags('reports')
@ApiBearerAuth()
@ApiRefusals({
  badRequest: 'ValidationFailed: { errors: [{ field, reason }] } (period, level, asOf, basis)',
  forbidden: 'RoleRequired, OutOfScope (a salesperson reads their own node; a sales manager the salespeople, teams and regions they lead)',
})
@ApiServiceUnavailableResponse({
  description:
    'ReportsBusy (with Retry-After): more reports are being answered or waiting than the report worker queues (ADR 0031); ' +
    'ProjectionLagging: the read models have not reached minPosition yet; retry',
})
@Controller('api/reports/sales-progress')
export class SalesProgressController {
  constructor(private readonly query: SalesProgressQuery) {}

  @Get()
  @Roles(...READERS.salesProgress)
  @ApiOperation({
    summary: 'Sales progress of every salesperson, team or region, or the company, for a month, quarter or year',
    description:
      'Per row: the period target; orders booked, revenue delivered, invoiced, cash collected; revenue, quantity and gross margin on the revenue basis; ' +
      'achievement in bp; run-rate forecast for the period end; sales expenses against budget; the open quote pipeline (on the earlier of asOf and the period end) ' +
      'and the quote win rate; planned against actual visits. Documents count in the period of their business date; team and region are the salesperson’s on ' +
      'that date (reversals: where the reversed credit was given). With `Accept: text/csv`: a header row and one row per entity, amounts in minor units.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description:
      '{ period, asOf, level, revenueBasis, periodDays, elapsedDays, pipelineOn, rows: [...], unattributed: [{ employeeId, shares }] } — read from monthly rollups (ADR 0025)',
  })
  async report(
    @Query() params: SalesProgressQueryParams,
    @Ctx() ctx: RequestContext,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: HttpAnswer,
  ) {
    const asOf = this.asOf(params.asOf, ctx);
    const options = { period: params.period, level: params.level ?? 'company', asOf, basis: params.basis, minPosition: params.minPosition };
    if (!wantsCsv(accept)) return this.query.jsonAnswer('report', options);
    const report = await this.query.report(options);
    res.type('text/csv');
    res.header('Content-Disposition', `attachment; filename="sales-progress-${report.period}-${report.level}.csv"`);
    return toCsv(report.rows, report);
  }

  @Get(':level/:id')
  @Roles('salesperson', ...READERS.salesProgress)
  @ApiOperation({
    summary:
      'Drill-down: one salesperson, team, region or the company (id `company`): its row, its children’s rows, and every credited document share',
    description:
      'A salesperson may read their own. Each child row shows only what was credited to this node in the period (by the salesperson’s assignment on the credit date, ADR 0211, 0212) and its share of this node’s target in the cascade, ' +
      'so the children add up to the row for every figure and basis; under the company an `(unassigned)` child holds sales of people without an assignment on the credit date, under a region its expenses booked to no team; it carries `href`, the route that follows it (`…/{level}/{id}/unassigned`). ' +
      'CSV (`Accept: text/csv`): the row followed by its children.',
  })
  @ApiParam({ name: 'level', enum: LEVELS })
  @NodeAnswerDocs('period, asOf, level, ..., row, children: [...]')
  async drillDown(
    @Param('level') level: string,
    @Param('id') id: string,
    @Query() params: DrillDownQueryParams,
    @Ctx() ctx: RequestContext,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: HttpAnswer,
  ) {
    if (!LEVELS.includes(level as ProgressLevel))
      throw validationFailed([{ field: 'level', reason: `must be one of ${LEVELS.join(', ')}` }]);
    const options = this.nodeQuery(level as ProgressLevel, id, params, ctx);
    if (!wantsCsv(accept)) return this.query.jsonAnswer('drillDown', options);
    return this.nodeCsv(await this.query.drillDown(options), res);
  }

  @Get(':level/:id/unassigned')
  @Roles(...READERS.salesProgress)
  @ApiOperation({
    summary: 'Follow the `(unassigned)` child of a company or region drill-down: what the node was credited but none of its children',
    description:
      'The row is the `(unassigned)` child exactly as the parent’s drill-down lists it (its `href` points here), with the same measures; ' +
      'children are salespeople, each with their part of it, adding up to the row: under the company the sales, quotes and visits of people ' +
      'without an assignment on the credit date (left, not yet hired, or between teams), with their document shares; under a region its ' +
      'expenses booked to no team, by spender (`(no spender)` for the region’s own). No targets: the unassigned hold none (ADR 0215, 0216). ' +
      'CSV (`Accept: text/csv`): the row followed by its children.',
  })
  @ApiParam({ name: 'level', enum: ['company', 'region'] })
  @ApiParam({ name: 'id', example: 'company', description: '`company` for the company, else the region id' })
  @NodeAnswerDocs('period, asOf, level, ..., parent: { level, nodeId }, row, children: [...]')
  async unassigned(
    @Param('level') level: string,
    @Param('id') id: string,
    @Query() params: DrillDownQueryParams,
    @Ctx() ctx: RequestContext,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: HttpAnswer,
  ) {
    if (level !== 'company' && level !== 'region') throw validationFailed([{ field: 'level', reason: 'must be one of company, region' }]);
    const options = this.nodeQuery(level, id, params, ctx);
    if (!wantsCsv(accept)) return this.query.jsonAnswer('unassigned', options);
    return this.nodeCsv(await this.query.unassigned(options), res);
  }

  /** What a node's drill-down (or its unassigned child) is asked for: the route's node and the query string. */
  private nodeQuery<L extends ProgressLevel>(level: L, id: string, params: DrillDownQueryParams, ctx: RequestContext) {
    assertId(id);
    const { period, basis, minPosition, limit, offset } = params;
    return { period, level, nodeId: id, asOf: this.asOf(params.asOf, ctx), basis, minPosition, limit, offset };
  }

  /** A node's answer with `Accept: text/csv`: its row followed by its children's. */
  private nodeCsv(result: ProgressCsvMeta & { row: ProgressRowView; children: ProgressRowView[] }, res: HttpAnswer): string {
    res.type('text/csv');
    return toCsv([result.row, ...result.children], result);
  }

  private asOf(value: string | undefined, ctx: RequestContext): string {
    if (value === undefined) return ctx.today;
    if (!isBusinessDate(value)) throw validationFailed([{ field: 'asOf', reason: 'asOf must be a calendar date YYYY-MM-DD' }]);
    return value;
  }
}
