import { Inject, Injectable } from '@nestjs/common';
import { DocumentFilter, READ_STORE, ReadStore, ReadYourWrites } from '@salesline/core';
import { EmployeeDoc, assignmentOn, employeesProjection } from '@salesline/organization';
import { stateOf } from '@salesline/core';
import { BusinessDate, addDays, compareDates, notFound } from '@salesline/shared-kernel';
import { ImprovementPlanState, OverduePlan, overduePlans } from '../domain/improvement-plan';
import { PerformanceFacts } from './performance-facts';
import { AppraisalPeriod, requireAppraisalPeriod } from '../domain/period';
import { AppraisalScoreDoc, DisciplinaryCaseDoc, ImprovementPlanDoc } from '../read-models/performance.projections';
import { ViolationDoc, appraisalScoresProjection, byCaseOpening } from '../read-models/performance.projections';
import { disciplinaryCasesProjection, improvementPlansProjection, violationsProjection } from '../read-models/performance.projections';

export const TREND_MONTHS = 6;
export const APPRAISAL_REPORT_PROJECTIONS = [
  appraisalScoresProjection.name,
  improvementPlansProjection.name,
  disciplinaryCasesProjection.name,
  violationsProjection.name,
  employeesProjection.name,
];

export type Rank = { rank: number; of: number } | null;
/** How ranks are given (stated in every report). */
export const RANKING_RULE =
  'Standard competition ranking by total, highest first: equal totals share the best rank and the next rank skips (1, 2, 2, 4). ' +
  'Team and region are the salesperson’s at the period end (or on their last day in it); the company ranks everyone appraised for the period. ' +
  '`ties` names who shares the rank in each group.';
export type DisciplineRecord = {
  cases: Pick<
    DisciplinaryCaseDoc,
    'caseId' | 'kind' | 'ruleId' | 'triggerKey' | 'triggeringFacts' | 'openedOn' | 'status' | 'outcome' | 'closedOn'
  >[];
  violations: Pick<ViolationDoc, 'violationId' | 'kind' | 'severity' | 'description' | 'occurredOn' | 'evidence'>[];
  openCases: number;
};
export type AppraisalRow = {
  employeeId: string;
  name: string;
  /** The salesperson's team and region at the period end (or on their last day, if they left within it). */
  teamId: string | null;
  regionId: string | null;
  appraisal: AppraisalScoreDoc;
  rankInTeam: Rank;
  rankInRegion: Rank;
  rankInCompany: Rank;
  /** The others with the same total in the same team, region and company (empty: no tie). */
  ties: { team: string[]; region: string[]; company: string[] };
  /** Monthly totals of the last months up to the period's last month, oldest first (null: not appraised). */
  trend: { period: string; total: number | null }[];
  openImprovementPlans: ImprovementPlanDoc[];
  discipline: DisciplineRecord;
};
export type AppraisalReport = { period: string; kind: AppraisalPeriod['kind']; asOf: BusinessDate; ranking: string; rows: AppraisalRow[] };

const monthsBack = (lastMonth: string, n: number): string[] => {
  const out: string[] = [];
  let month = lastMonth;
  for (let i = 0; i < n; i++) {
    out.unshift(month);
    month = addDays(`${month}-01`, -1).slice(0, 7);
  }
  return out;
};

/** Standard competition ranking by total (1, 2, 2, 4), within the group. */
const rankWithin = (rows: readonly { employeeId: string; total: number; group: string | null }[], employeeId: string): Rank => {
  const me = rows.find((r) => r.employeeId === employeeId);
  if (!me || me.group === null) return null;
  const group = rows.filter((r) => r.group === me.group);
  return { rank: 1 + group.filter((r) => r.total > me.total).length, of: group.length };
};

/** The others in the salesperson's group with the same total. */
const tiedWithin = (rows: readonly { employeeId: string; total: number; group: string | null }[], employeeId: string): string[] => {
  const me = rows.find((r) => r.employeeId === employeeId);
  if (!me || me.group === null) return [];
  return rows
    .filter((r) => r.group === me.group && r.total === me.total && r.employeeId !== employeeId)
    .map((r) => r.employeeId)
    .sort();
};

/** Where the salesperson stood at the period end, or on their last day in the period. */
const assignmentAtEnd = (employee: EmployeeDoc | undefined, period: AppraisalPeriod) => {
  if (!employee) return null;
  const lastDay = employee.status === 'left' && compareDates(employee.leftOn, period.end) < 0 ? employee.leftOn : period.end;
  return assignmentOn(employee.history, lastDay);
};

/**
 * The appraisal-scores queries (ADR 0310): the stored scores per employee and period, with the rank in team and
 * region by the assignment at the period end, the trend over the last months, open improvement plans and the
 * discipline record.
 */
@Injectable()
export class AppraisalReports {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly readYourWrites: ReadYourWrites,
    private readonly facts: PerformanceFacts,
  ) {}

  /** Items scored before their words were kept (ADR 0313) get them from the scheme version that scored them. */
  private async withWords(scores: readonly AppraisalScoreDoc[]): Promise<AppraisalScoreDoc[]> {
    if (scores.every((s) => s.items.every((i) => i.writtenStandard !== undefined))) return [...scores];
    const versions = await this.facts.appraisalSchemeVersions();
    return scores.map((score) => {
      const scheme = versions.find((v) => v.version === score.schemeVersion);
      const words = (itemId: string) => scheme?.items.find((i) => i.itemId === itemId);
      return {
        ...score,
        items: score.items.map((i) =>
          i.writtenStandard !== undefined || !words(i.itemId)
            ? i
            : { ...i, name: words(i.itemId)!.name, writtenStandard: words(i.itemId)!.writtenStandard },
        ),
      };
    });
  }

  /**
   * The report of a period; `scoped` (the caller's reach, from the permission table) keeps the rows of the
   * salespeople the caller may read, ranked among everyone appraised.
   */
  async report(periodLabel: string, minPosition?: number, scoped: DocumentFilter = {}): Promise<AppraisalReport> {
    const period = requireAppraisalPeriod(periodLabel);
    await this.readYourWrites.waitFor(APPRAISAL_REPORT_PROJECTIONS, minPosition);
    const scores = await this.readStore.find<AppraisalScoreDoc>(appraisalScoresProjection.collection, { period: period.label });
    const reachable =
      Object.keys(scoped).length > 0
        ? new Set(
            (await this.readStore.find<AppraisalScoreDoc>(appraisalScoresProjection.collection, { period: period.label, ...scoped })).map(
              (s) => s.employeeId,
            ),
          )
        : null;
    const rows = (await this.rows(period, scores)).filter((r) => !reachable || reachable.has(r.employeeId));
    return { period: period.label, kind: period.kind, asOf: period.end, ranking: RANKING_RULE, rows };
  }

  async scorecard(
    employeeId: string,
    periodLabel: string,
    minPosition?: number,
  ): Promise<AppraisalRow & { period: string; asOf: BusinessDate; ranking: string }> {
    const period = requireAppraisalPeriod(periodLabel);
    await this.readYourWrites.waitFor(APPRAISAL_REPORT_PROJECTIONS, minPosition);
    const scores = await this.readStore.find<AppraisalScoreDoc>(appraisalScoresProjection.collection, { period: period.label });
    const row = (await this.rows(period, scores)).find((r) => r.employeeId === employeeId);
    if (!row) throw notFound('AppraisalNotFound', `${employeeId} has no appraisal for ${period.label}`);
    return { period: period.label, asOf: period.end, ranking: RANKING_RULE, ...row };
  }

  /** Plans flagged overdue on `today` (ADR 0309); `onlyOverdue` keeps those, most overdue first. */
  async improvementPlans(
    filter: { employeeId?: string; today: BusinessDate; onlyOverdue: boolean; scoped?: DocumentFilter },
    minPosition?: number,
  ): Promise<(ImprovementPlanDoc & { overdue: OverduePlan | null })[]> {
    await this.readYourWrites.waitFor([improvementPlansProjection.name], minPosition);
    const docs = await this.readStore.find<ImprovementPlanDoc>(
      improvementPlansProjection.collection,
      { employeeId: filter.employeeId, ...filter.scoped },
      { sort: { deadline: 1 } },
    );
    const flagged = overduePlans(
      docs.map((d) => stateOf<ImprovementPlanState>(d)),
      filter.today,
    );
    const overdue = new Map(flagged.map((o) => [o.planId, o]));
    const withFlag = docs.map((d) => ({ ...d, overdue: overdue.get(d.planId) ?? null }));
    return filter.onlyOverdue ? flagged.map((o) => withFlag.find((d) => d.planId === o.planId)!) : withFlag;
  }

  private async rows(period: AppraisalPeriod, scores: readonly AppraisalScoreDoc[]): Promise<AppraisalRow[]> {
    if (scores.length === 0) return [];
    const employeeIds = [...new Set(scores.map((s) => s.employeeId))];
    const lastMonth = period.kind === 'monthly' ? period.label : `${period.label}-12`;
    const trendMonths = monthsBack(lastMonth, TREND_MONTHS);
    const [employees, monthly, plans, cases, violations] = await Promise.all([
      this.readStore.find<EmployeeDoc>(employeesProjection.collection, {}),
      this.readStore.find<AppraisalScoreDoc>(appraisalScoresProjection.collection, { period: { $in: trendMonths } }),
      this.readStore.find<ImprovementPlanDoc>(improvementPlansProjection.collection, { status: 'set' }),
      this.readStore.find<DisciplinaryCaseDoc>(disciplinaryCasesProjection.collection, { employeeId: { $in: employeeIds } }),
      this.readStore.find<ViolationDoc>(violationsProjection.collection, { employeeId: { $in: employeeIds } }),
    ]);
    const employeeOf = new Map(employees.map((e) => [e.employeeId, e]));
    const placed = (await this.withWords(scores)).map((s) => ({
      score: s,
      assignment: assignmentAtEnd(employeeOf.get(s.employeeId), period),
    }));
    const byTeam = placed.map((p) => ({ employeeId: p.score.employeeId, total: p.score.total, group: p.assignment?.teamId ?? null }));
    const byRegion = placed.map((p) => ({ employeeId: p.score.employeeId, total: p.score.total, group: p.assignment?.regionId ?? null }));
    const byCompany = placed.map((p) => ({ employeeId: p.score.employeeId, total: p.score.total, group: 'company' }));
    return placed
      .map(({ score, assignment }) => {
        const ownCases = cases.filter((c) => c.employeeId === score.employeeId).sort(byCaseOpening);
        return {
          employeeId: score.employeeId,
          name: employeeOf.get(score.employeeId)?.name ?? score.employeeId,
          teamId: assignment?.teamId ?? null,
          regionId: assignment?.regionId ?? null,
          appraisal: score,
          rankInTeam: rankWithin(byTeam, score.employeeId),
          rankInRegion: rankWithin(byRegion, score.employeeId),
          rankInCompany: rankWithin(byCompany, score.employeeId),
          ties: {
            team: tiedWithin(byTeam, score.employeeId),
            region: tiedWithin(byRegion, score.employeeId),
            company: tiedWithin(byCompany, score.employeeId),
          },
          trend: trendMonths.map((m) => ({
            period: m,
            total: monthly.find((d) => d.employeeId === score.employeeId && d.period === m)?.total ?? null,
          })),
          openImprovementPlans: plans.filter((p) => p.employeeId === score.employeeId),
          discipline: {
            cases: ownCases.map(({ caseId, kind, ruleId, triggerKey, triggeringFacts, openedOn, status, outcome, closedOn }) => ({
              caseId,
              kind,
              ruleId,
              triggerKey,
              triggeringFacts,
              openedOn,
              status,
              outcome,
              closedOn,
            })),
            violations: violations
              .filter((v) => v.employeeId === score.employeeId)
              .sort((a, b) => compareDates(a.occurredOn, b.occurredOn))
              .map(({ violationId, kind, severity, description, occurredOn, evidence }) => ({
                violationId,
                kind,
                severity,
                description,
                occurredOn,
                evidence,
              })),
            openCases: ownCases.filter((c) => c.status === 'open').length,
          },
        };
      })
      .sort((a, b) => b.appraisal.total - a.appraisal.total || (a.employeeId < b.employeeId ? -1 : 1));
  }
}
