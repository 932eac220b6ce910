/**
 * The sales-progress report (ADR 0207, 0210). The read models only collect facts; this query gathers them
 * for the period and hands the arithmetic to the pure `salesProgress`. It adds what the pure report does not
 * cover — the open quote pipeline, the quote win rate, planned against actual visits — and names.
 */
import { Inject, Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { DocumentFilter, JsonAnswer, READ_STORE, ReadStore, ReadWorker, ReadYourWrites, validationFailed } from '@salesline/core';
import { AssignmentInterval, CustomerVisitDoc, EmployeeDoc, RegionDoc, TeamDoc } from '@salesline/organization';
import { assignmentOn, customerVisitsProjection, employeesProjection, regionsProjection, teamsProjection } from '@salesline/organization';
import { BasisPoints, BusinessDate, compareDates, notFound, ratioInBasisPoints } from '@salesline/shared-kernel';
import { splitCredit } from '../domain/credit-split';
import { Period, isWithin, parsePeriod } from '../domain/period';
import { budgetVsActual, SalesExpenseFact } from '../domain/sales-expense';
import { NO_SPENDER, ParentLevel, ProgressLevel, ProgressRow, SalesFact } from '../domain/sales-progress';
import { SalesProgressInput, SalesProgressReport, UNASSIGNED_CHILD, nodePeriodTarget, runRateForecast } from '../domain/sales-progress';
import { salesProgress, salesProgressChildren, unassignedChildren } from '../domain/sales-progress';
import { COMPANY_NODE_ID } from '../domain/target-measures';
import { TargetPlanView, targetPlanView } from '../domain/target-plan';
import { RevenueBasis } from '../domain/targets-settings';
import { QuoteFactsDoc, quoteAsOf, salesProgressQuotesProjection } from '../read-models/quote-facts.projection';
import { CreditedDocument, CreditedShareDoc, SalesProgressRollupDoc, rollupFacts } from '../read-models/sales-progress-rollups.projection';
import { creditRollupsNeeded, rollupFilters, salesProgressRollupsProjection } from '../read-models/sales-progress-rollups.projection';
import { SalesExpenseDoc, SalesPlanDoc, TargetPlanDoc } from '../read-models/targets.projections';
import { salesExpensesProjection, salesPlansProjection, targetPlansProjection } from '../read-models/targets.projections';
import { TargetsFacts } from './targets-facts';

export const SALES_PROGRESS_PROJECTIONS = [
  salesProgressRollupsProjection.name,
  salesProgressQuotesProjection.name,
  targetPlansProjection.name,
  salesExpensesProjection.name,
  salesPlansProjection.name,
  employeesProjection.name,
  teamsProjection.name,
  regionsProjection.name,
  customerVisitsProjection.name,
];

export type QuoteFigures = { pipelineCount: number; pipelineValue: number; won: number; lost: number; winRateBp: BasisPoints | null };
export type VisitFigures = { planned: number; actual: number };
export type ProgressRowView = ProgressRow & { name: string; quotes: QuoteFigures; visits: VisitFigures };
/** Salespeople credited without an assignment on the credit date, and how many credited shares they hold in the period. */
export type UnattributedShares = { employeeId: string; shares: number };
export type SalesProgressView = Omit<SalesProgressReport, 'rows' | 'unattributed'> & {
  unattributed: UnattributedShares[];
  level: ProgressLevel;
  /** The date the quote pipeline is taken on: the earlier of asOf and the period's end. */
  pipelineOn: BusinessDate;
  rows: ProgressRowView[];
};
export type { CreditedDocument };
/** A drill-down child row; the `(unassigned)` child names where to follow it (`href`, ADR 0216). */
export type ChildRowView = ProgressRowView & { href?: string };
/** A page of the credited document shares (`limit`, `offset`), and how many there are. */
export type DocumentsPage = { documents: CreditedDocument[]; documentsTotal: number };
export type DocumentsPaging = { limit?: number; offset?: number };
export type SalesProgressDrillDown = Omit<SalesProgressView, 'rows'> &
  DocumentsPage & {
    row: ProgressRowView;
    children: ChildRowView[];
  };
/** What a company or region was credited but none of its children (ADR 0216). */
export type UnassignedDrillDown = Omit<SalesProgressView, 'rows'> &
  DocumentsPage & {
    parent: { level: 'company' | 'region'; nodeId: string };
    row: ProgressRowView;
    children: ProgressRowView[];
  };
export const unassignedHref = (level: string, nodeId: string): string => `/api/reports/sales-progress/${level}/${nodeId}/unassigned`;

type Inputs = {
  period: Period;
  asOf: BusinessDate;
  pipelineOn: BusinessDate;
  plan: TargetPlanView | null;
  /** The period's credited shares up to `until`, one fact per rollup cell (summed shares, one salesperson each). */
  facts: (SalesFact & { shares: number })[];
  assignments: Record<string, readonly AssignmentInterval[]>;
  expenses: SalesExpenseFact[];
  employees: EmployeeDoc[];
  teams: TeamDoc[];
  regions: RegionDoc[];
  quotes: QuoteFactsDoc[];
  plans: SalesPlanDoc[];
  visits: CustomerVisitDoc[];
};

const key = (level: ProgressLevel, nodeId: string) => `${level}:${nodeId}`;
const earlier = (a: BusinessDate, b: BusinessDate) => (compareDates(a, b) <= 0 ? a : b);

/** The worker thread that answers the reports off the event loop (`sales-progress.worker.ts`), where one runs. */
export const SALES_PROGRESS_WORKER = Symbol('SALES_PROGRESS_WORKER');

type ReportOptions = { period: string; asOf: BusinessDate; basis?: RevenueBasis; minPosition?: number };
type Offloaded = 'report' | 'drillDown' | 'unassigned';

@Injectable()
export class SalesProgressQuery implements OnModuleDestroy {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(ReadYourWrites) private readonly readYourWrites: Pick<ReadYourWrites, 'waitFor'>,
    @Inject(TargetsFacts) private readonly facts: Pick<TargetsFacts, 'settings'>,
    @Optional() @Inject(SALES_PROGRESS_WORKER) private readonly worker: ReadWorker | null = null,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }

  /**
   * The report computed by the worker thread, where one runs: the period checked and `?minPosition=` waited for here,
   * the revenue basis resolved here, so that the worker reads what this request must see and needs nothing else.
   */
  private async offloaded<T>(method: Offloaded | `${Offloaded}Json`, options: ReportOptions): Promise<T | null> {
    if (!this.worker?.alive) return null;
    periodOf(options.period);
    await this.readYourWrites.waitFor(SALES_PROGRESS_PROJECTIONS, options.minPosition);
    const basis = options.basis ?? (await this.facts.settings()).revenueBasis;
    return this.worker.run<T>(method, { ...options, basis, minPosition: undefined });
  }

  /**
   * The JSON answer of `report`, `drillDown` or `unassigned`: serialized by the worker thread where one runs, so that
   * the request thread only writes it; else the answer itself, as the method gives it.
   */
  async jsonAnswer<M extends Offloaded>(
    method: M,
    options: Parameters<SalesProgressQuery[M]>[0],
  ): Promise<JsonAnswer | Awaited<ReturnType<SalesProgressQuery[M]>>> {
    const text = await this.offloaded<string>(`${method}Json`, options);
    if (text !== null) return new JsonAnswer(text);
    return (this[method] as (o: typeof options) => Promise<Awaited<ReturnType<SalesProgressQuery[M]>>>).call(this, options);
  }

  async report(options: ReportOptions & { level: ProgressLevel }): Promise<SalesProgressView> {
    const offloaded = await this.offloaded<SalesProgressView>('report', options);
    if (offloaded) return offloaded;
    const { inputs, report } = await this.compute(options);
    const rows = this.decorate(inputs, report).filter((r) => r.level === options.level);
    return { ...this.meta(inputs, report), level: options.level, pipelineOn: inputs.pipelineOn, rows };
  }

  /** The report's figures besides its rows; the unattributed shares by salesperson (bounded by the people, not the documents). */
  private meta(inputs: Inputs, report: SalesProgressReport): Omit<SalesProgressView, 'rows' | 'level' | 'pipelineOn'> {
    const { rows: _rows, unattributed, ...meta } = report;
    const shares = new Map(inputs.facts.map((f) => [f.factId, f.shares]));
    const byPerson = new Map<string, number>();
    for (const u of unattributed) byPerson.set(u.employeeId, (byPerson.get(u.employeeId) ?? 0) + (shares.get(u.factId) ?? 1));
    return {
      ...meta,
      unattributed: [...byPerson.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([employeeId, n]) => ({ employeeId, shares: n })),
    };
  }

  /**
   * One page of the document shares credited to the node in the period (or, `unassigned`, to nobody's team), in the
   * report's order (business date, document, credit order), read from the share documents the rollups projection
   * keeps: by business date for the company or a salesperson; for a team, region or the unassigned, one range of
   * credit dates per stretch of each salesperson's assignment history, merged.
   */
  private async documentsPage(
    inputs: Inputs,
    paging: DocumentsPaging,
    node: { level: ProgressLevel; nodeId: string } | 'unassigned',
  ): Promise<DocumentsPage> {
    const until = earlier(inputs.period.end, inputs.asOf);
    const offset = paging.offset ?? 0;
    const limit = paging.limit ?? DEFAULT_DOCUMENTS_LIMIT;
    if (compareDates(inputs.period.start, until) > 0) return { documents: [], documentsTotal: 0 };
    const dated = { businessDate: { $gte: inputs.period.start, $lte: until } };
    const segments: DocumentFilter[] = [];
    if (node !== 'unassigned' && (node.level === 'company' || node.level === 'salesperson'))
      segments.push(node.level === 'company' ? dated : { ...dated, employeeId: node.nodeId });
    else {
      for (const [employeeId, history] of Object.entries(inputs.assignments)) {
        const ranges =
          node === 'unassigned'
            ? gapsOf(history)
            : history.filter((i) => (node.level === 'team' ? i.teamId === node.nodeId : i.regionId === node.nodeId));
        for (const range of ranges)
          segments.push({
            ...dated,
            employeeId,
            ...(range.from !== null || range.until !== null
              ? {
                  creditDate: {
                    ...(range.from !== null ? { $gte: range.from } : {}),
                    ...(range.until !== null ? { $lt: range.until } : {}),
                  },
                }
              : {}),
          });
      }
      if (node === 'unassigned') segments.push({ ...dated, employeeId: { $nin: Object.keys(inputs.assignments) } });
    }
    const collection = salesProgressRollupsProjection.collection;
    const sort = { businessDate: 1, factId: 1, shareIndex: 1 } as const;
    const pages = await Promise.all(
      segments.map((filter) => this.readStore.find<CreditedShareDoc>(collection, filter, { sort, limit: offset + limit })),
    );
    // How many there are, from the rollups the report already read (each fact counts the shares it stands for),
    // rather than by counting share documents: the same number, whatever the period's history costs to count.
    const credited = node === 'unassigned' ? creditedTo(inputs, 'unassigned') : creditedTo(inputs, node.level, node.nodeId);
    const documentsTotal = inputs.facts
      .filter((f) => credited({ employeeId: f.credits[0].employeeId, creditDate: f.creditDate ?? f.businessDate }))
      .reduce((total, f) => total + f.shares, 0);
    const documents = pages
      .flat()
      .sort(
        (a, b) =>
          compareDates(a.businessDate, b.businessDate) ||
          (a.factId < b.factId ? -1 : a.factId > b.factId ? 1 : a.shareIndex - b.shareIndex),
      )
      .slice(offset, offset + limit)
      .map((d): CreditedDocument => ({
        factId: d.factId,
        kind: d.kind,
        businessDate: d.businessDate,
        creditDate: d.creditDate,
        employeeId: d.employeeId,
        amount: d.cells.v[0],
        quantity: d.cells.v[1],
        grossMargin: d.cells.v[2],
      }));
    return { documents, documentsTotal };
  }

  async drillDown(
    options: {
      period: string;
      level: ProgressLevel;
      nodeId: string;
      asOf: BusinessDate;
      basis?: RevenueBasis;
      minPosition?: number;
    } & DocumentsPaging,
  ): Promise<SalesProgressDrillDown> {
    const offloaded = await this.offloaded<SalesProgressDrillDown>('drillDown', options);
    if (offloaded) return offloaded;
    const { inputs, report, progressInput } = await this.compute(options);
    const { level, nodeId } = options;
    const rows = this.decorate(inputs, report);
    const known = this.knownNode(inputs, level, nodeId);
    const row = rows.find((r) => r.level === level && r.nodeId === nodeId) ?? (known ? this.emptyRow(inputs, report, level, nodeId) : null);
    if (!row) throw notFound('ProgressNodeNotFound', `No ${level} ${nodeId} in the organization or the ${inputs.period.year} plan`);
    const credited = level === 'team' ? documentsOf(inputs, inputs.facts).filter(creditedTo(inputs, level, nodeId)) : [];
    const children = level === 'salesperson' ? [] : this.childrenOf(inputs, report, progressInput, rows, level, nodeId, credited);
    const page = await this.documentsPage(inputs, options, { level, nodeId });
    return { ...this.meta(inputs, report), level, pipelineOn: inputs.pipelineOn, row, children, ...page };
  }

  /**
   * The `(unassigned)` child of a company or region followed (ADR 0216): its row exactly as in the parent's
   * drill-down, and by salesperson what it holds — under the company the sales, quotes and visits of people without
   * an assignment on the day, with their document shares; under a region its expenses booked to no team, by spender.
   */
  async unassigned(
    options: {
      period: string;
      level: 'company' | 'region';
      nodeId: string;
      asOf: BusinessDate;
      basis?: RevenueBasis;
      minPosition?: number;
    } & DocumentsPaging,
  ): Promise<UnassignedDrillDown> {
    const offloaded = await this.offloaded<UnassignedDrillDown>('unassigned', options);
    if (offloaded) return offloaded;
    const { inputs, report, progressInput } = await this.compute(options);
    const { level, nodeId } = options;
    if (!this.knownNode(inputs, level, nodeId))
      throw notFound('ProgressNodeNotFound', `No ${level} ${nodeId} in the organization or the ${inputs.period.year} plan`);
    const rows = this.decorate(inputs, report);
    const children = this.childrenOf(inputs, report, progressInput, rows, level, nodeId, []);
    const row = children.find((c) => c.nodeId === UNASSIGNED_CHILD) ?? {
      ...this.emptyRow(inputs, report, level === 'company' ? 'region' : 'team', UNASSIGNED_CHILD),
      target: null,
      achievementBp: { revenue: null, quantity: null, grossMargin: null },
      expenses: budgetVsActual(0, 0),
    };
    const { href: _href, ...unassignedRow } = row as ChildRowView;
    const { quotes, visits } = this.quotesAndVisits(inputs);
    const pairOf = (employeeId: string) =>
      `${key(level, nodeId)}>${key(level === 'company' ? 'region' : 'team', UNASSIGNED_CHILD)}>${key('salesperson', employeeId)}`;
    const people = unassignedChildren(progressInput, { level, nodeId });
    const quoted = level === 'company' ? [...quotes.keys(), ...visits.keys()].filter((k) => k.startsWith(pairOf(''))) : [];
    const extra = [...new Set(quoted.map((k) => k.slice(pairOf('').length)))].filter((id) => !people.some((p) => p.nodeId === id));
    const personRows = [...people, ...extra.map((id) => this.emptyRow(inputs, report, 'salesperson', id))]
      .map((r) => ({
        ...r,
        target: null,
        achievementBp: { revenue: null, quantity: null, grossMargin: null },
        expenses: budgetVsActual(0, r.expenses.actual),
      }))
      .sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0))
      .map((r) => ({
        ...r,
        name: r.nodeId === NO_SPENDER ? 'The region’s own expenses' : this.nameOf(inputs, 'salesperson', r.nodeId),
        quotes: quotes.get(pairOf(r.nodeId)) ?? { pipelineCount: 0, pipelineValue: 0, won: 0, lost: 0, winRateBp: null },
        visits: visits.get(pairOf(r.nodeId)) ?? { planned: 0, actual: 0 },
      }));
    const page = level === 'company' ? await this.documentsPage(inputs, options, 'unassigned') : { documents: [], documentsTotal: 0 };
    return {
      ...this.meta(inputs, report),
      level: row.level,
      pipelineOn: inputs.pipelineOn,
      parent: { level, nodeId },
      row: unassignedRow,
      children: personRows,
      ...page,
    };
  }

  // ── gathering ──────────────────────────────────────────────────────────────
  private async compute(options: ReportOptions) {
    const period = periodOf(options.period);
    await this.readYourWrites.waitFor(SALES_PROGRESS_PROJECTIONS, options.minPosition);
    const inputs = await this.gather(period, options.asOf);
    const progressInput: SalesProgressInput = {
      period: period.label,
      asOf: options.asOf,
      facts: inputs.facts,
      assignments: inputs.assignments,
      plan: inputs.plan,
      expenses: inputs.expenses,
      settings: { revenueBasis: options.basis ?? (await this.facts.settings()).revenueBasis },
    };
    return { inputs, report: salesProgress(progressInput), progressInput };
  }

  private async gather(period: Period, asOf: BusinessDate): Promise<Inputs> {
    const until = earlier(period.end, asOf);
    const pipelineOn = until;
    const store = this.readStore;
    const [planDoc, rollups, employees, teams, regions, expenses, quotes, plans, visits] = await Promise.all([
      store.get<TargetPlanDoc>(targetPlansProjection.collection, String(period.year)),
      this.rollups(period, until),
      store.find<EmployeeDoc>(employeesProjection.collection, {}),
      store.find<TeamDoc>(teamsProjection.collection, {}),
      store.find<RegionDoc>(regionsProjection.collection, {}),
      store.find<SalesExpenseDoc>(salesExpensesProjection.collection, { year: period.year, reversed: false }),
      store.find<QuoteFactsDoc>(salesProgressQuotesProjection.collection, { quoteDate: { $lte: pipelineOn } }),
      store.find<SalesPlanDoc>(salesPlansProjection.collection, { period: { $in: planPeriods(period) } }),
      store.find<CustomerVisitDoc>(customerVisitsProjection.collection, { visitedOn: { $gte: period.start, $lte: until } }),
    ]);
    const assignments = Object.fromEntries(employees.map((e) => [e.employeeId, e.history]));
    // By exact credit date only where a salesperson's assignment changed within a credit month (ADR 0028).
    const needed = creditRollupsNeeded(rollups, assignments);
    const credits =
      needed.length > 0 ? await store.find<SalesProgressRollupDoc>(salesProgressRollupsProjection.collection, { id: { $in: needed } }) : [];
    const facts = rollupFacts(rollups, credits, until, assignments);
    return {
      period,
      asOf,
      pipelineOn,
      plan: planDoc ? targetPlanView(planDoc.state) : null,
      facts,
      assignments,
      expenses: expenses.map((e) => ({
        expenseId: e.expenseId,
        regionId: e.regionId,
        employeeId: e.employeeId,
        amount: e.amount,
        spentOn: e.spentOn,
      })),
      employees,
      teams,
      regions,
      quotes,
      plans: plans.filter((p) => p.status !== 'returned'),
      visits,
    };
  }

  /** The month rollups of the months over by `until`, and the day rollup of the month it falls in. */
  private async rollups(period: Period, until: BusinessDate): Promise<SalesProgressRollupDoc[]> {
    const { whole, partial } = rollupFilters(period, until);
    const collection = salesProgressRollupsProjection.collection;
    const [months, days] = await Promise.all([
      whole.length > 0 ? this.readStore.find<SalesProgressRollupDoc>(collection, { month: { $in: whole } }) : [],
      partial !== null ? this.readStore.find<SalesProgressRollupDoc>(collection, { days: partial }) : [],
    ]);
    return [...months, ...days];
  }

  // ── pipeline, win rate, visits, names ──────────────────────────────────────
  private decorate(inputs: Inputs, report: SalesProgressReport): ProgressRowView[] {
    const { quotes, visits } = this.quotesAndVisits(inputs);
    const noQuotes = (): QuoteFigures => ({ pipelineCount: 0, pipelineValue: 0, won: 0, lost: 0, winRateBp: null });
    const noVisits = (): VisitFigures => ({ planned: 0, actual: 0 });
    // Someone with quotes or visits but no target and no sales in the period still gets a row.
    const present = new Set(report.rows.map((r) => key(r.level, r.nodeId)));
    const extra = [...new Set([...quotes.keys(), ...visits.keys()])]
      .filter((k) => !k.includes('>') && !present.has(k))
      .map((k) => {
        const [level, ...rest] = k.split(':');
        return this.emptyRow(inputs, report, level as ProgressLevel, rest.join(':'));
      });
    const ORDER: Record<ProgressLevel, number> = { company: 0, region: 1, team: 2, salesperson: 3 };
    return [...report.rows, ...extra]
      .map((row) => ({
        ...row,
        name: this.nameOf(inputs, row.level, row.nodeId),
        quotes: quotes.get(key(row.level, row.nodeId)) ?? noQuotes(),
        visits: visits.get(key(row.level, row.nodeId)) ?? noVisits(),
      }))
      .sort((a, b) => ORDER[a.level] - ORDER[b.level] || (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  }

  /**
   * Quote pipeline, win rate and visits credited like sales (by the salesperson's assignment on the day), per node
   * and per parent>child pair (`company:company>region:r`, `region:r>team:t`, `team:t>salesperson:s`), so a
   * drill-down's children show only what their parent was credited.
   */
  private quotesAndVisits(inputs: Inputs): { quotes: Map<string, QuoteFigures>; visits: Map<string, VisitFigures> } {
    const quotes = new Map<string, QuoteFigures>();
    const visits = new Map<string, VisitFigures>();
    const credit = <T>(map: Map<string, T>, empty: () => T, employeeId: string, on: BusinessDate, apply: (t: T) => void) => {
      const assignment = assignmentOn(inputs.assignments[employeeId] ?? [], on);
      const company = key('company', COMPANY_NODE_ID);
      const person = key('salesperson', employeeId);
      const keys = [person, company];
      if (assignment) {
        const team = key('team', assignment.teamId);
        const region = key('region', assignment.regionId);
        keys.push(team, region, `${company}>${region}`, `${region}>${team}`, `${team}>${person}`);
      } else keys.push(`${company}>${key('region', UNASSIGNED_CHILD)}`, `${company}>${key('region', UNASSIGNED_CHILD)}>${person}`);
      for (const k of keys) {
        if (!map.has(k)) map.set(k, empty());
        apply(map.get(k)!);
      }
    };
    const noQuotes = (): QuoteFigures => ({ pipelineCount: 0, pipelineValue: 0, won: 0, lost: 0, winRateBp: null });
    const noVisits = (): VisitFigures => ({ planned: 0, actual: 0 });
    const { period, pipelineOn } = inputs;
    for (const quote of inputs.quotes) {
      const now = quoteAsOf(quote, pipelineOn);
      if (now?.outcome === 'open' && compareDates(pipelineOn, now.validUntil) <= 0)
        credit(quotes, noQuotes, quote.salespersonId, pipelineOn, (q) => {
          q.pipelineCount += 1;
          q.pipelineValue += now.value;
        });
      // Decided in the period: where the quote stands at the period's end (or asOf) is a decision taken within it.
      if (now && now.outcome !== 'open' && isWithin(period, now.on))
        credit(quotes, noQuotes, quote.salespersonId, now.on, (q) => {
          if (now.outcome === 'won') q.won += 1;
          else q.lost += 1;
        });
    }
    for (const q of quotes.values()) q.winRateBp = q.won + q.lost === 0 ? null : ratioInBasisPoints(q.won, q.won + q.lost);
    for (const visit of inputs.visits) credit(visits, noVisits, visit.employeeId, visit.visitedOn, (v) => (v.actual += 1));
    for (const plan of plannedVisits(inputs.plans, period)) {
      const planPeriod = parsePeriod(plan.period)!;
      const on = assignmentOn(inputs.assignments[plan.employeeId] ?? [], planPeriod.start) ? planPeriod.start : planPeriod.end;
      credit(visits, noVisits, plan.employeeId, on, (v) => (v.planned += plan.plannedVisits));
    }
    return { quotes, visits };
  }

  private nameOf(inputs: Inputs, level: ProgressLevel, nodeId: string): string {
    switch (level) {
      case 'company':
        return 'Company';
      case 'region':
        return inputs.regions.find((r) => r.regionId === nodeId)?.name ?? nodeId;
      case 'team':
        return inputs.teams.find((t) => t.teamId === nodeId)?.name ?? nodeId;
      case 'salesperson':
        return inputs.employees.find((e) => e.employeeId === nodeId)?.name ?? nodeId;
    }
  }

  private knownNode(inputs: Inputs, level: ProgressLevel, nodeId: string): boolean {
    switch (level) {
      case 'company':
        return nodeId === COMPANY_NODE_ID;
      case 'region':
        return inputs.regions.some((r) => r.regionId === nodeId);
      case 'team':
        return inputs.teams.some((t) => t.teamId === nodeId);
      case 'salesperson':
        return inputs.employees.some((e) => e.employeeId === nodeId);
    }
  }

  /** A node with nothing in the period: its target, zero actuals, computed with the same domain functions. */
  private emptyRow(inputs: Inputs, report: SalesProgressReport, level: ProgressLevel, nodeId: string): ProgressRowView {
    const target = nodePeriodTarget(inputs.plan, level, nodeId, inputs.period, inputs.assignments);
    const zeroAchievement = (t: number | undefined) => (t === undefined || t === 0 ? null : ratioInBasisPoints(0, t));
    const forecast = runRateForecast(0, report.elapsedDays, report.periodDays);
    return {
      level,
      nodeId,
      target,
      actual: { ordersBooked: 0, revenueDelivered: 0, revenueInvoiced: 0, cashCollected: 0, revenue: 0, quantity: 0, grossMargin: 0 },
      achievementBp: {
        revenue: zeroAchievement(target?.revenue),
        quantity: zeroAchievement(target?.quantity),
        grossMargin: zeroAchievement(target?.grossMargin),
      },
      forecast: { revenue: forecast, quantity: forecast, grossMargin: forecast },
      expenses: budgetVsActual(target?.expenseBudget ?? 0, 0),
      name: this.nameOf(inputs, level, nodeId),
      quotes: { pipelineCount: 0, pipelineValue: 0, won: 0, lost: 0, winRateBp: null },
      visits: { planned: 0, actual: 0 },
    };
  }

  /**
   * Regions of the company, teams of a region, salespeople who were in a team during the period or credited to it —
   * and those the target plan places under it — each row showing only what was credited to the parent in the period
   * (ADR 0212) and what it holds of the parent's target by the days its people were there (ADR 0215), so the children add up to the parent; under the company an `(unassigned)` row holds sales of
   * people without an assignment on the credit date, under a region its expenses booked to no team.
   */
  private childrenOf(
    inputs: Inputs,
    report: SalesProgressReport,
    progressInput: SalesProgressInput,
    rows: ProgressRowView[],
    level: ParentLevel,
    nodeId: string,
    documents: CreditedDocument[],
  ): ChildRowView[] {
    const { period } = inputs;
    let ids: string[];
    switch (level) {
      case 'company':
        ids = unique([
          ...rows.filter((r) => r.level === 'region').map((r) => r.nodeId),
          ...inputs.regions.filter((r) => r.status === 'active').map((r) => r.regionId),
          ...(inputs.plan?.nodes.filter((n) => n.nodeKind === 'region').map((n) => n.nodeId) ?? []),
        ]);
        break;
      case 'region':
        ids = unique([
          ...inputs.teams.filter((t) => t.regionId === nodeId).map((t) => t.teamId),
          ...(inputs.plan?.nodes.filter((n) => n.nodeKind === 'team' && n.parentId === nodeId).map((n) => n.nodeId) ?? []),
        ]);
        break;
      case 'team': {
        const members = inputs.employees
          .filter((e) =>
            e.history.some(
              (i) =>
                i.teamId === nodeId &&
                compareDates(i.from, period.end) <= 0 &&
                (i.until === null || compareDates(i.until, period.start) > 0),
            ),
          )
          .map((e) => e.employeeId);
        const planned = inputs.plan?.nodes.filter((n) => n.nodeKind === 'salesperson' && n.parentId === nodeId).map((n) => n.nodeId) ?? [];
        ids = unique([...members, ...planned, ...documents.map((d) => d.employeeId)]);
        break;
      }
    }
    const { quotes, visits } = this.quotesAndVisits(inputs);
    const parentKey = key(level, nodeId);
    return salesProgressChildren(progressInput, { level, nodeId }, ids).map((row) => {
      const pair = `${parentKey}>${key(row.level, row.nodeId)}`;
      return {
        ...row,
        name: row.nodeId === UNASSIGNED_CHILD ? 'Not assigned on the credit date' : this.nameOf(inputs, row.level, row.nodeId),
        ...(row.nodeId === UNASSIGNED_CHILD ? { href: unassignedHref(level, nodeId) } : {}),
        quotes: quotes.get(pair) ?? { pipelineCount: 0, pipelineValue: 0, won: 0, lost: 0, winRateBp: null },
        visits: visits.get(pair) ?? { planned: 0, actual: 0 },
      };
    });
  }
}

const unique = (ids: string[]) => [...new Set(ids)].sort();

const periodOf = (label: string): Period => {
  const period = parsePeriod(label);
  if (!period) throw validationFailed([{ field: 'period', reason: 'must be a month YYYY-MM, a quarter YYYY-Qn or a year YYYY' }]);
  return period;
};

/** The stretches of credit dates on which a salesperson has no assignment (before, between and after their intervals). */
const gapsOf = (history: readonly AssignmentInterval[]): { from: BusinessDate | null; until: BusinessDate | null }[] => {
  const sorted = [...history].sort((a, b) => compareDates(a.from, b.from));
  const gaps: { from: BusinessDate | null; until: BusinessDate | null }[] = [];
  let from: BusinessDate | null = null;
  for (const interval of sorted) {
    if (from === null ? true : compareDates(from, interval.from) < 0) gaps.push({ from, until: interval.from });
    if (interval.until === null) return gaps;
    from = from !== null && compareDates(from, interval.until) > 0 ? from : interval.until;
  }
  gaps.push({ from, until: null });
  return gaps;
};

/** The credited document shares of a drill-down page, at most this many unless the caller asks for another `limit`. */
export const DEFAULT_DOCUMENTS_LIMIT = 100;

/** Each fact's shares in the period up to asOf, split exactly as the report splits them, in date order. */
const documentsOf = (inputs: Pick<Inputs, 'period' | 'asOf'>, facts: readonly SalesFact[]): CreditedDocument[] => {
  const until = earlier(inputs.period.end, inputs.asOf);
  const documents: CreditedDocument[] = [];
  for (const fact of facts) {
    if (!isWithin(inputs.period, fact.businessDate) || compareDates(fact.businessDate, until) > 0) continue;
    const creditDate = fact.creditDate ?? fact.businessDate;
    for (const share of splitCredit({ ...fact, grossMargin: fact.amount - fact.cost }))
      documents.push({
        factId: fact.factId,
        kind: fact.kind,
        businessDate: fact.businessDate,
        creditDate,
        employeeId: share.employeeId,
        amount: share.amount,
        quantity: share.quantity,
        grossMargin: share.grossMargin,
      });
  }
  return documents.sort((a, b) => compareDates(a.businessDate, b.businessDate) || (a.factId < b.factId ? -1 : a.factId > b.factId ? 1 : 0));
};

/**
 * Whether a share is credited to the node: by the salesperson's assignment on the credit date (ADR 0211); `unassigned`,
 * the company's `(unassigned)` child: no assignment on that date.
 */
const creditedTo =
  (inputs: Pick<Inputs, 'assignments'>, level: ProgressLevel | 'unassigned', nodeId = '') =>
  (share: Pick<CreditedDocument, 'employeeId' | 'creditDate'>): boolean => {
    if (level === 'company') return true;
    if (level === 'salesperson') return share.employeeId === nodeId;
    const assignment = assignmentOn(inputs.assignments[share.employeeId] ?? [], share.creditDate);
    if (level === 'unassigned') return assignment === null;
    return level === 'team' ? assignment?.teamId === nodeId : assignment?.regionId === nodeId;
  };

/** The plan periods that can fall within a report period: its months and its quarters. */
const planPeriods = (period: Period): string[] => {
  const months = period.months.map((m) => `${period.year}-${String(m).padStart(2, '0')}`);
  const quarters = [...new Set(period.months.map((m) => `${period.year}-Q${Math.ceil(m / 3)}`))];
  return [...months, ...quarters];
};

/**
 * Plans counted for a report period (ADR 0210): for a month, the month's plan; for a quarter or a year, per
 * salesperson and quarter, the quarter plan if there is one, else the month plans of that quarter. A quarter
 * plan does not count in a month report (it is not split into months).
 */
export const plannedVisits = (plans: readonly SalesPlanDoc[], period: Period): SalesPlanDoc[] => {
  if (period.kind === 'month') return plans.filter((p) => p.period === period.label);
  const quarterPlans = new Set(plans.filter((p) => p.period.includes('-Q')).map((p) => `${p.employeeId}|${p.period}`));
  return plans.filter((p) => {
    const planPeriod = parsePeriod(p.period);
    if (!planPeriod || planPeriod.year !== period.year || !planPeriod.months.every((m) => period.months.includes(m))) return false;
    if (planPeriod.kind === 'quarter') return true;
    return !quarterPlans.has(`${p.employeeId}|${period.year}-Q${Math.ceil(planPeriod.months[0] / 3)}`);
  });
};
