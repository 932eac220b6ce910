import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Ctx, DocumentFilter, RequestContext, Roles, ScopeFilter, assertId, csvOf, wantsCsv, READERS, ApiRefusals } from '@salesline/core';
import type { HttpAnswer } from '@salesline/core';
import { AppraisalReport, AppraisalReports, AppraisalRow } from '../application/appraisal-reports';
import { APPRAISAL_SOURCES } from '../domain/appraisal-scoring';
import { lastClosedMonth } from './http-support';
import { AppraisalReportQuery, ScorecardQuery } from './performance.dto';

const itemOf = (row: AppraisalRow, source: string) => row.appraisal.items.find((i) => i.source === source);

/** CSV columns, in a stable order: one value and one points column per source (empty when the scheme does not measure it or it was not measurable). */
export type AppraisalCsvMeta = Pick<AppraisalReport, 'period' | 'kind' | 'asOf'>;

/** Each row names the period, its kind (month, quarter, year) and the date the figures are as of (the period's end, ADR 0307). */
export const APPRAISAL_CSV_COLUMNS: readonly [string, (r: AppraisalRow, meta: AppraisalCsvMeta) => string | number | null | undefined][] = [
  ['period', (_r, m) => m.period],
  ['periodKind', (_r, m) => m.kind],
  ['asOf', (_r, m) => m.asOf],
  ['employeeId', (r) => r.employeeId],
  ['name', (r) => r.name],
  ['teamId', (r) => r.teamId],
  ['regionId', (r) => r.regionId],
  ['kind', (r) => r.appraisal.kind],
  ['schemeVersion', (r) => r.appraisal.schemeVersion],
  ['revision', (r) => r.appraisal.revision],
  ...APPRAISAL_SOURCES.flatMap((source): [string, (r: AppraisalRow) => number | null | undefined][] => [
    [`${source}Value`, (r) => itemOf(r, source)?.value],
    [`${source}Points`, (r) => itemOf(r, source)?.points],
  ]),
  ['yearAchievementPoints', (r) => r.appraisal.yearEnd?.yearAchievementPoints],
  ['monthlyAverage', (r) => r.appraisal.yearEnd?.monthlyAverage],
  ['total', (r) => r.appraisal.total],
  ['rankInTeam', (r) => r.rankInTeam?.rank],
  ['teamSize', (r) => r.rankInTeam?.of],
  ['rankInRegion', (r) => r.rankInRegion?.rank],
  ['regionSize', (r) => r.rankInRegion?.of],
  ['outcome', (r) => r.appraisal.outcome],
  ['status', (r) => r.appraisal.status],
  ['rewardKind', (r) => r.appraisal.rewardGranted?.kind],
  ['rewardAmount', (r) => r.appraisal.rewardGranted?.amount],
  ['improvementPlanId', (r) => r.appraisal.improvementPlanId],
  ['openImprovementPlans', (r) => r.openImprovementPlans.length],
  ['openCases', (r) => r.discipline.openCases],
  ['trend', (r) => r.trend.map((t) => t.total ?? '').join(' ')],
  ['rankInCompany', (r) => r.rankInCompany?.rank],
  ['companySize', (r) => r.rankInCompany?.of],
  ['tiedInCompanyWith', (r) => r.ties.company.join(' ')],
];

/** Items measured with parameters (ADR 0313) get their own value and points columns, by item id, after the fixed ones. */
const measureColumns = (report: AppraisalReport): [string, (r: AppraisalRow) => number | null | undefined][] => {
  const ids = [
    ...new Set(
      report.rows.flatMap((r) =>
        r.appraisal.items.filter((i) => !(APPRAISAL_SOURCES as readonly string[]).includes(i.source)).map((i) => i.itemId),
      ),
    ),
  ];
  return ids.flatMap((itemId): [string, (r: AppraisalRow) => number | null | undefined][] => [
    [`${itemId}Value`, (r) => r.appraisal.items.find((i) => i.itemId === itemId)?.value],
    [`${itemId}Points`, (r) => r.appraisal.items.find((i) => i.itemId === itemId)?.points],
  ]);
};

export const appraisalsCsv = (report: AppraisalReport): string => {
  const columns = [...APPRAISAL_CSV_COLUMNS, ...measureColumns(report)];
  return csvOf(columns, report.rows, report);
};

@ApiTags('reports')
@ApiBearerAuth()
@ApiRefusals({ badRequest: 'ValidationFailed: { errors: [{ field, reason }] } (period)', forbidden: 'RoleRequired, OutOfScope' })
@Controller('api')
export class AppraisalReportsController {
  constructor(private readonly reports: AppraisalReports) {}

  @Get('reports/appraisals')
  @Roles(...READERS.appraisals)
  @ApiOperation({
    summary:
      'Appraisal scores of a month or year: per salesperson each item’s value and points, the total, rank in team, region and company, trend, open plans, discipline record',
    description:
      'A sales manager’s report holds the salespeople they lead (their ranks still count the whole company). ' +
      'Team and region are the salesperson’s at the period end (or their last day in it). Ranks: standard competition ranking (1, 2, 2, 4), ties named in `ties` and the rule stated in `ranking`. ' +
      'With `Accept: text/csv`: a header row and one row per salesperson, stable columns (then one value and points column per item measured with parameters).',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description:
      '{ period, kind, asOf, ranking, rows: [{ employeeId, name, teamId, regionId, appraisal, rankInTeam, rankInRegion, rankInCompany, ties: { team, region, company }, trend, openImprovementPlans, discipline }] }',
  })
  async report(
    @Query() query: AppraisalReportQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: HttpAnswer,
    @ScopeFilter() scoped: DocumentFilter,
  ) {
    const report = await this.reports.report(query.period, query.minPosition, scoped);
    if (!wantsCsv(accept)) return report;
    res.type('text/csv');
    res.header('Content-Disposition', `attachment; filename="appraisals-${report.period}.csv"`);
    return appraisalsCsv(report);
  }

  @Get('employees/:id/scorecard')
  @Roles(...READERS.appraisals, 'salesperson')
  @ApiOperation({
    summary:
      'A salesperson’s scorecard for a period (default the last month): items, total, rank, trend, open improvement plans, discipline record',
    description: 'A salesperson reads their own, a sales manager those of the salespeople they lead (OutOfScope otherwise).',
  })
  @ApiOkResponse({
    description:
      '{ period, asOf, employeeId, name, teamId, regionId, appraisal, rankInTeam, rankInRegion, trend, openImprovementPlans, discipline }',
  })
  @ApiRefusals({ notFound: 'AppraisalNotFound' })
  async scorecard(@Param('id') id: string, @Query() query: ScorecardQuery, @Ctx() ctx: RequestContext) {
    assertId(id);
    return this.reports.scorecard(id, query.period ?? lastClosedMonth(ctx.today), query.minPosition);
  }
}
