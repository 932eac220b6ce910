import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DocumentFilter, RequestContext } from '@salesline/core';
import { BusinessDate, DomainError, compareDates, notFound, ruleViolation } from '@salesline/shared-kernel';
import { AppraisalOutcome, AppraisalScored, AppraisalState, ItemChange, appraisalIdOf, outcomeOf } from '../domain/appraisal';
import { AppraisalSchemeVersion, improvementPlanRule } from '../domain/appraisal-scheme';
import { rewardRule, yearAchievementItem } from '../domain/appraisal-scheme';
import { AppraisalKind, requireAppraisalPeriod } from '../domain/period';
import { assertMayRunPerformanceProcess } from '../domain/performance-policy';
import { AppraisalMeasurement, CaseInPeriod } from './appraisal-measurement';
import { ExecutePerformanceCommand } from './performance-commands';
import { PerformanceFacts } from './performance-facts';
import { versionInEffect } from '../domain/versions';

/** What the total implies under the scheme, carried out at the review (ADR 0308). */
export type ImpliedOutcome = {
  outcome: AppraisalOutcome;
  reward: { kind: string; amount: number | null } | null;
  improvementPlan: { deadlineDaysAfterReview: number | null } | null;
  inWords: string;
};
export type AppraisalRunResult =
  | {
      employeeId: string;
      appraisalId: string;
      scored: true;
      total: number;
      revision: number;
      outcome: AppraisalOutcome;
      implied: ImpliedOutcome;
      changed: boolean;
      /** A re-run that re-scored the appraisal: what changed against the previous revision, item by item. */
      changes: ItemChange[];
      /** Disciplinary cases whose rule was reached in the period, where they stand at the period end. */
      casesOpened: CaseInPeriod[];
    }
  | {
      employeeId: string;
      appraisalId: string;
      scored: false;
      error: { code: string; message: string; details?: Record<string, unknown> };
      casesOpened: CaseInPeriod[];
    };
export type AppraisalRun = {
  period: string;
  kind: AppraisalKind;
  asOf: string;
  schemeVersion: number;
  schemeName: string | null;
  results: AppraisalRunResult[];
  position: number;
};

export const impliedOutcome = (total: number, scheme: AppraisalSchemeVersion): ImpliedOutcome => {
  const outcome = outcomeOf(total, scheme);
  switch (outcome) {
    case 'reward':
      return { outcome, reward: scheme.reward, improvementPlan: null, inWords: `${total} points: ${rewardRule(scheme)}` };
    case 'improvement_plan':
      return {
        outcome,
        reward: null,
        improvementPlan: { deadlineDaysAfterReview: scheme.improvementPlanDeadlineDays },
        inWords: `${total} points: ${improvementPlanRule(scheme)}`,
      };
    default:
      return {
        outcome,
        reward: null,
        improvementPlan: null,
        inWords: `${total} points: neither reward (${scheme.rewardAtOrAbove} or more) nor improvement plan (below ${scheme.improvementPlanBelow})`,
      };
  }
};

/**
 * Runs the monthly or year-end appraisal of a closed period (ADR 0308, 0310): measures every salesperson employed
 * in it (or the ones named) as of the period end and scores each appraisal stream. A re-run with the same history
 * changes nothing; a salesperson the scoring refuses (e.g. reviewed with another score) is listed with the error,
 * the others are still scored.
 */
@Injectable()
export class AppraisalRunner {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly facts: PerformanceFacts,
    private readonly measurement: AppraisalMeasurement,
  ) {}

  /** `scoredOn`: the business date of the scoring (default today), after the period. */
  async run(
    options: {
      period: string;
      kind: AppraisalKind;
      employeeIds?: readonly string[];
      scoredOn?: BusinessDate;
      /** Whom a run that names nobody covers, as a filter on the employees (a sales manager's: those they lead); default everyone. */
      within?: DocumentFilter;
    },
    ctx: RequestContext,
  ): Promise<AppraisalRun> {
    assertMayRunPerformanceProcess(ctx.actor);
    const period = requireAppraisalPeriod(options.period, options.kind);
    if (compareDates(options.scoredOn ?? ctx.today, period.end) <= 0)
      throw ruleViolation('PeriodNotClosed', `${period.label} ends on ${period.end}; it is appraised afterwards`, { period: period.label });
    const scheme = versionInEffect(await this.facts.appraisalSchemeVersions(), period.end);
    if (!scheme) throw notFound('SchemeNotFound', `No appraisal scheme is in effect on ${period.end}`);

    await this.measurement.catchUp();
    const employeeIds = options.employeeIds?.length
      ? [...new Set(options.employeeIds)]
      : (await this.measurement.employeesOf(period, options.within)).map((e) => e.employeeId);
    const facts = await this.measurement.facts(
      period,
      scheme.items.map((i) => i.measure),
      yearAchievementItem(scheme.items)?.measure.basis,
    );
    const results: AppraisalRunResult[] = [];
    let position = 0;
    for (const employeeId of employeeIds) {
      const appraisalId = appraisalIdOf(employeeId, period.label);
      const casesOpened = facts.casesInPeriod(employeeId);
      try {
        const measured =
          period.kind === 'monthly'
            ? { inputs: facts.measure(employeeId) }
            : { yearEnd: await this.measurement.yearEndInputs(period, employeeId, facts) };
        const result = await this.commandBus.execute(
          new ExecutePerformanceCommand(
            {
              kind: 'appraisal',
              id: appraisalId,
              command: {
                type: 'ScoreAppraisal',
                data: {
                  employeeId,
                  period: period.label,
                  kind: period.kind,
                  scheme,
                  employee: await this.facts.employee(employeeId),
                  ...measured,
                  scoredOn: options.scoredOn,
                },
              },
            },
            ctx,
          ),
        );
        const state = result.state as Exclude<AppraisalState, { status: 'none' }>;
        position = Math.max(position, result.position);
        const scored = result.events[0] as AppraisalScored | undefined;
        results.push({
          employeeId,
          appraisalId,
          scored: true,
          total: state.total,
          revision: state.revision,
          outcome: state.outcome,
          implied: impliedOutcome(state.total, scheme),
          changed: result.events.length > 0,
          changes: scored?.data.changes ?? [],
          casesOpened,
        });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        results.push({
          employeeId,
          appraisalId,
          scored: false,
          error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
          casesOpened,
        });
      }
    }
    return {
      period: period.label,
      kind: period.kind,
      asOf: period.end,
      schemeVersion: scheme.version,
      schemeName: scheme.name ?? null,
      results,
      position,
    };
  }
}
