import { Inject, Injectable } from '@nestjs/common';
import { DocumentFilter, EVENT_STORE, EventStore, READ_STORE, ReadStore, ReadYourWrites, loadState } from '@salesline/core';
import { CustomerVisitDoc, EmployeeDoc, customerVisitsProjection, employeesProjection } from '@salesline/organization';
import { stateOf } from '@salesline/core';
import { OrderFactsDoc, SALES_PROGRESS_PROJECTIONS, SalesPlanDoc, SalesProgressQuery } from '@salesline/targets';
import { parsePeriod, plannedVisits, salesPlansProjection, salesProgressOrdersProjection } from '@salesline/targets';
import { YearEndInputs, appraisalDecider } from '../domain/appraisal';
import { MeasureSpec, SalesBasis } from '../domain/appraisal-measures';
import { MeasureInputsInput, SalesProgressFigures, measureInputs, targetAchievement } from '../domain/appraisal-inputs';
import { MeetingState, attendanceFacts } from '../domain/meeting';
import { AppraisalPeriod, monthsOf, previousPeriod } from '../domain/period';
import { performanceProjections } from '../read-models';
import { DisciplinaryCaseDoc, MeetingDoc, ServiceFeedbackDoc } from '../read-models/performance.projections';
import { ViolationDoc, disciplinaryCasesProjection, meetingsProjection } from '../read-models/performance.projections';
import { serviceFeedbackProjection, violationsProjection } from '../read-models/performance.projections';
import { appraisalStream } from './performance-facts';

export type MeasuredInputs = Record<string, number | null>;
/** Every source's facts for one period, read once for all salespeople of a run. */
/** A disciplinary case whose rule was reached in the period, where it stands at the period end. */
export type CaseInPeriod = Readonly<{
  caseId: string;
  kind: string;
  ruleId: string;
  reachedOn: string;
  openedOn: string;
  standing: string;
}>;
export type PeriodFacts = Readonly<{
  measure: (employeeId: string) => MeasuredInputs;
  yearAchievementBp: (employeeId: string) => number | null;
  casesInPeriod: (employeeId: string) => CaseInPeriod[];
}>;

const byEmployee = <T>(items: readonly T[], employeeOf: (t: T) => string[]): Map<string, T[]> => {
  const map = new Map<string, T[]>();
  for (const item of items) for (const id of employeeOf(item)) map.set(id, [...(map.get(id) ?? []), item]);
  return map;
};

/** Was the salesperson employed on some day of the period (their dated assignment history, ADR 0201)? */
export const employedIn = (employee: Pick<EmployeeDoc, 'history'>, period: Pick<AppraisalPeriod, 'start' | 'end'>): boolean =>
  employee.history.some((i) => i.from <= period.end && (i.until === null || i.until > period.start));

/**
 * Measures appraisal values as of the period end (ADR 0307, 0310): every source's facts whose business date lies
 * in the period (retention also reads the previous period), gathered from the read models once caught up, then
 * the pure `measureInputs`. Facts dated after the period end are never read, so a re-run of a closed period
 * measures the same values however much happened since.
 */
@Injectable()
export class AppraisalMeasurement {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly readYourWrites: ReadYourWrites,
    private readonly progress: SalesProgressQuery,
  ) {}

  async catchUp(): Promise<void> {
    await this.readYourWrites.catchUp([...SALES_PROGRESS_PROJECTIONS, ...performanceProjections.map((p) => p.name)]);
  }

  /** `within`: a filter on the employees (whom a sales manager leads); default everyone. */
  async employeesOf(period: AppraisalPeriod, within: DocumentFilter = {}): Promise<EmployeeDoc[]> {
    const employees = await this.readStore.find<EmployeeDoc>(employeesProjection.collection, within);
    return employees.filter((e) => employedIn(e, period)).sort((a, b) => (a.employeeId < b.employeeId ? -1 : 1));
  }

  /**
   * `measures`: the scheme's items' measures (default: the eight sources of ADR 0307); the sales-progress report is
   * read once on the revenue-basis setting and once more for every other basis an item names.
   * `yearAchievementBasis`: the basis of the item that scores the year's achievement (year-end).
   */
  async facts(period: AppraisalPeriod, measures?: readonly MeasureSpec[], yearAchievementBasis?: SalesBasis): Promise<PeriodFacts> {
    const { start, end } = period;
    const bases = [
      ...new Set([...(measures ?? []).map((m) => m.basis), yearAchievementBasis].filter((b): b is SalesBasis => b !== undefined)),
    ];
    const byBasis = new Map<SalesBasis, Map<string, SalesProgressFigures>>();
    for (const basis of bases) {
      const basisReport = await this.progress.report({ period: period.label, level: 'salesperson', asOf: end, basis });
      byBasis.set(basis, new Map(basisReport.rows.map((r) => [r.nodeId, r as SalesProgressFigures])));
    }
    const before = previousPeriod(period);
    const range = (from: string, to: string) => ({ $gte: from, $lte: to });
    const store = this.readStore;
    const [report, plans, visits, feedback, orders, meetings, violations, cases] = await Promise.all([
      this.progress.report({ period: period.label, level: 'salesperson', asOf: end }),
      store.find<SalesPlanDoc>(salesPlansProjection.collection, { status: 'approved' }),
      store.find<CustomerVisitDoc>(customerVisitsProjection.collection, { visitedOn: range(start, end) }),
      store.find<ServiceFeedbackDoc>(serviceFeedbackProjection.collection, { receivedOn: range(start, end) }),
      store.find<OrderFactsDoc>(salesProgressOrdersProjection.collection, { orderDate: range(before.start, end) }),
      store.find<MeetingDoc>(meetingsProjection.collection, { scheduledFor: range(start, end) }),
      store.find<ViolationDoc>(violationsProjection.collection, { occurredOn: range(start, end) }),
      // A case counts in the period its threshold was crossed, even if noticed later (facts entered after
      // the fact); its outcome only when decided by the period end (measureInputs, ADR 0311).
      store.find<DisciplinaryCaseDoc>(disciplinaryCasesProjection.collection, {}),
    ]);
    const progress = new Map(report.rows.map((r) => [r.nodeId, r as SalesProgressFigures]));
    const planned = new Map<string, number>();
    for (const plan of plannedVisits(plans, parsePeriod(period.label)!))
      planned.set(plan.employeeId, (planned.get(plan.employeeId) ?? 0) + plan.plannedVisits);
    const visitsOf = byEmployee(visits, (v) => [v.employeeId]);
    const feedbackOf = byEmployee(feedback, (f) => [f.employeeId]);
    // Retention reads booked orders (ADR 0301): each order is a purchase of its customer for every credited salesperson.
    const booked = orders.filter((o) => (o.facts.find((f) => f.factId === `order:${o.orderId}`)?.amount ?? 0) > 0);
    const purchasesOf = byEmployee(booked, (o) => o.credits.map((c) => c.employeeId));
    const attendance = meetings.flatMap((m) => attendanceFacts(stateOf<MeetingState>(m)));
    const attendanceOf = byEmployee(attendance, (a) => [a.employeeId]);
    const violationsOf = byEmployee(violations, (v) => [v.employeeId]);
    const casesOf = byEmployee(cases, (c) => [c.employeeId]);

    const measure = (employeeId: string): MeasuredInputs => {
      const input: MeasureInputsInput = {
        period: period.label,
        progress: progress.get(employeeId) ?? null,
        progressByBasis: Object.fromEntries([...byBasis].map(([basis, rows]) => [basis, rows.get(employeeId) ?? null])),
        plannedVisits: planned.get(employeeId) ?? null,
        visits: visitsOf.get(employeeId) ?? [],
        feedback: feedbackOf.get(employeeId) ?? [],
        purchases: (purchasesOf.get(employeeId) ?? []).map((o) => ({ customerId: o.customerId, boughtOn: o.orderDate })),
        attendance: attendanceOf.get(employeeId) ?? [],
        violations: (violationsOf.get(employeeId) ?? []).map((v) => ({
          violationId: v.violationId,
          occurredOn: v.occurredOn,
          severity: v.severity,
          kind: v.kind,
        })),
        cases: (casesOf.get(employeeId) ?? []).map((c) => ({
          caseId: c.caseId,
          kind: c.kind,
          openedOn: c.openedOn,
          triggeringFacts: c.triggeringFacts,
          outcome: c.outcome,
          closedOn: c.closedOn,
        })),
      };
      return measureInputs(input, measures);
    };
    const yearRows = yearAchievementBasis ? byBasis.get(yearAchievementBasis)! : progress;
    const casesInPeriod = (employeeId: string): CaseInPeriod[] =>
      (casesOf.get(employeeId) ?? [])
        .map((c) => {
          const reachedOn =
            c.triggeringFacts.length === 0 ? c.openedOn : c.triggeringFacts.map((f) => f.occurredOn).reduce((a, b) => (a >= b ? a : b));
          const decided = c.outcome !== null && c.closedOn !== null && c.closedOn <= end;
          return {
            caseId: c.caseId,
            kind: c.kind,
            ruleId: c.ruleId,
            reachedOn,
            openedOn: c.openedOn,
            standing: decided ? c.outcome! : 'open',
          };
        })
        .filter((c) => c.reachedOn >= start && c.reachedOn <= end)
        .sort((a, b) => (a.reachedOn < b.reachedOn ? -1 : a.reachedOn > b.reachedOn ? 1 : a.caseId < b.caseId ? -1 : 1));
    return { measure, yearAchievementBp: (employeeId) => targetAchievement(yearRows.get(employeeId) ?? null), casesInPeriod };
  }

  /** Year-end: the year's target achievement and the latest total of every month of the year appraised (read from the appraisal streams). */
  async yearEndInputs(year: AppraisalPeriod, employeeId: string, facts: PeriodFacts): Promise<YearEndInputs> {
    const monthlyTotals: { period: string; total: number }[] = [];
    for (const month of monthsOf(year)) {
      const { state } = await loadState(this.events, appraisalStream(`${employeeId}-${month}`), appraisalDecider);
      if (state.status !== 'none') monthlyTotals.push({ period: month, total: state.total });
    }
    return { yearAchievementBp: facts.yearAchievementBp(employeeId), monthlyTotals };
  }
}
