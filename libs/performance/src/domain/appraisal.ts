/**
 * Appraisal — stream `appraisal-<employeeId>-<period>` (ADR 0307, 0308), period 'YYYY-MM' (monthly) or
 * 'YYYY' (year-end). Scoring reads values measured as of the period end (`measureInputs`) and keeps every input
 * in the event, so the score can be re-derived. Re-running gives no event when nothing changed; a changed input
 * (a fact back-dated into the closed period) adds a revision until the appraisal is reviewed, after which the
 * score is final (`AppraisalAlreadyReviewed`). The manager's review decides the outcome the score implies:
 * at or above the reward threshold a RewardGranted, below the plan threshold the review must set an improvement plan.
 */
import type { BusinessDate, Command, Decider, DomainEvent, Minor } from '@salesline/shared-kernel';
import { addDays, assertNever, compareDates, conflict, forbidden, isBusinessDate, notFound, ruleViolation } from '@salesline/shared-kernel';
import { AppraisalSchemeVersion, yearAchievementItem } from './appraisal-scheme';
import { AppraisalInputs, MonthlyTotal, ScoredItem, YearEndScore, scoreAppraisal, scoreYearEnd } from './appraisal-scoring';
import { EmployeeFact, optionalText, requireText, requireDate, requirePastDate } from './guards';
import { ImprovementPlanContent, ImprovementPlanInput, validateImprovementPlan } from './improvement-plan';
import { AppraisalKind, monthsOf, requireAppraisalPeriod } from './period';
import { assertIsManagerOf, assertMayRunPerformanceProcess, isSelf } from './performance-policy';

export const appraisalIdOf = (employeeId: string, period: string): string => `${employeeId}-${period}`;
export const appraisalStreamName = (employeeId: string, period: string): string => `appraisal-${appraisalIdOf(employeeId, period)}`;

export type AppraisalOutcome = 'reward' | 'improvement_plan' | 'none';
/** One item whose value or points differ between the score on record and a re-run. */
export type ItemChange = Readonly<{
  itemId: string;
  source: string;
  before: Readonly<{ value: number | null; points: number | null }> | null;
  after: Readonly<{ value: number | null; points: number | null }> | null;
}>;
/** Item by item, what a re-run changes against the score on record (items only in one of them appear with null on the other side). */
export const itemChanges = (before: readonly ScoredItem[], after: readonly ScoredItem[]): ItemChange[] => {
  const ids = [...new Set([...before.map((i) => i.itemId), ...after.map((i) => i.itemId)])];
  const side = (i: ScoredItem | undefined) => (i ? { value: i.value, points: i.points } : null);
  return ids.flatMap((itemId) => {
    const b = before.find((i) => i.itemId === itemId);
    const a = after.find((i) => i.itemId === itemId);
    if (b && a && b.value === a.value && b.points === a.points) return [];
    return [{ itemId, source: (a ?? b)!.source, before: side(b), after: side(a) }];
  });
};
export const outcomeOf = (
  total: number,
  scheme: Pick<AppraisalSchemeVersion, 'rewardAtOrAbove' | 'improvementPlanBelow'>,
): AppraisalOutcome => (total >= scheme.rewardAtOrAbove ? 'reward' : total < scheme.improvementPlanBelow ? 'improvement_plan' : 'none');

// ── Events ───────────────────────────────────────────────────────────────────
export type AppraisalScored = DomainEvent<
  'AppraisalScored',
  {
    appraisalId: string;
    employeeId: string;
    period: string;
    kind: AppraisalKind;
    /** 1 for the first scoring; +1 for each re-scoring with changed inputs before the review. */
    revision: number;
    schemeVersion: number;
    /** The company's name of the scheme version, if any. */
    schemeName?: string | null;
    /** Every measured value, by source (the item's measure key; null: not measurable). */
    inputs: Record<string, number | null>;
    items: ScoredItem[];
    /** Revisions after the first: what changed against the previous revision, item by item. */
    changes?: ItemChange[];
    /** Year-end only: the year's achievement points and the monthly totals it combines. */
    yearEnd: YearEndScore | null;
    total: number;
    /** What the total implies under the scheme's thresholds (carried out at the review). */
    outcome: AppraisalOutcome;
    rewardAtOrAbove: number;
    improvementPlanBelow: number;
    /** The scheme's reward, granted at the review when the outcome is `reward`. */
    reward: Readonly<{ kind: string; amount: Minor | null }>;
    /** Days after the review the improvement plan is due (the scheme's rule); null: the reviewer sets it. */
    improvementPlanDeadlineDays?: number | null;
    scoredOn: BusinessDate;
    /** The period end: the values were measured as of this date. */
    asOf: BusinessDate;
  }
>;
export type AppraisalReviewed = DomainEvent<
  'AppraisalReviewed',
  {
    appraisalId: string;
    employeeId: string;
    period: string;
    revision: number;
    total: number;
    reviewedBy: string;
    feedback: string;
    reviewedOn: BusinessDate;
    /** Set when the total is below the plan threshold; the application then sets it on `improvement-plan-<planId>`. */
    improvementPlan: ImprovementPlanContent | null;
  }
>;
export type RewardGranted = DomainEvent<
  'RewardGranted',
  {
    appraisalId: string;
    employeeId: string;
    period: string;
    kind: string;
    amount: Minor | null;
    reason: string;
    grantedBy: string;
    grantedOn: BusinessDate;
  }
>;
export type AppraisalAcknowledged = DomainEvent<
  'AppraisalAcknowledged',
  { appraisalId: string; employeeId: string; comment: string; acknowledgedOn: BusinessDate }
>;
export type AppraisalEvent = AppraisalScored | AppraisalReviewed | RewardGranted | AppraisalAcknowledged;

// ── Commands ─────────────────────────────────────────────────────────────────
export type YearEndInputs = Readonly<{ yearAchievementBp: number | null; monthlyTotals: readonly MonthlyTotal[] }>;
export type ScoreAppraisal = Command<
  'ScoreAppraisal',
  {
    employeeId: string;
    period: string;
    kind: AppraisalKind;
    /** The scheme version in effect on the period end (versionInEffect); null when none. */
    scheme: AppraisalSchemeVersion | null;
    employee: EmployeeFact;
    /** Monthly: a value (or null) for every source the scheme measures, as of the period end. */
    inputs?: AppraisalInputs;
    /** Year-end: the year's target achievement and the latest monthly totals of that year. */
    yearEnd?: YearEndInputs;
    /** The business date of the scoring (default today): after the period, not in the future. */
    scoredOn?: BusinessDate;
  }
>;
/** `reviewedOn`: the business date of the review (default today, not in the future). */
/** The plan's deadline may be left out when the scheme states it (days after the review). */
export type ReviewAppraisal = Command<
  'ReviewAppraisal',
  {
    feedback: string;
    improvementPlan?: (Omit<ImprovementPlanInput, 'deadline'> & { deadline?: BusinessDate | null }) | null;
    reviewedOn?: BusinessDate;
  }
>;
/** `acknowledgedOn`: the business date of the acknowledgement (default today), from the review on, not in the future. */
export type AcknowledgeAppraisal = Command<'AcknowledgeAppraisal', { comment?: string; acknowledgedOn?: BusinessDate }>;
export type AppraisalCommand = ScoreAppraisal | ReviewAppraisal | AcknowledgeAppraisal;

// ── State ────────────────────────────────────────────────────────────────────
/** The latest scoring's figures the later commands decide on. */
type AppraisalBody = Readonly<
  Pick<
    AppraisalScored['data'],
    'appraisalId' | 'employeeId' | 'period' | 'kind' | 'revision' | 'schemeVersion' | 'total' | 'outcome' | 'reward'
  > & {
    /** Canonical form of what the score was derived from, to recognise an unchanged re-run. */
    basis: string;
    items: readonly ScoredItem[];
    improvementPlanDeadlineDays: number | null;
  }
>;
export type AppraisalState =
  | Readonly<{ status: 'none' }>
  | (AppraisalBody & { status: 'scored' })
  | (AppraisalBody & { status: 'reviewed'; reviewedBy: string; reviewedOn: BusinessDate })
  | (AppraisalBody & { status: 'acknowledged'; reviewedBy: string; reviewedOn: BusinessDate });
export const initialAppraisalState = (): AppraisalState => ({ status: 'none' });

// ── Decide ───────────────────────────────────────────────────────────────────
const basisOf = (schemeVersion: number, inputs: AppraisalScored['data']['inputs'], yearEnd: YearEndScore | null): string =>
  JSON.stringify([
    schemeVersion,
    Object.keys(inputs)
      .sort()
      .map((s) => [s, inputs[s]]),
    yearEnd?.monthlyTotals ?? null,
  ]);

const requireValue = (value: unknown, source: string): number | null => {
  if (value === undefined)
    throw ruleViolation('AppraisalInputMissing', `No value measured for ${source} (null when not measurable)`, { source });
  if (value !== null && !Number.isSafeInteger(value))
    throw ruleViolation('InvalidAppraisalInput', `${source} must be an integer or null`, { source });
  return value as number | null;
};

type Scoring = Pick<AppraisalScored['data'], 'inputs' | 'items' | 'yearEnd'> & { total: number | null };

const scoreMonthly = (scheme: AppraisalSchemeVersion, inputs: AppraisalInputs | undefined): Scoring => {
  const measured: Record<string, number | null> = {};
  for (const item of scheme.items) measured[item.source] = requireValue(inputs?.[item.source], item.source);
  const { items, total } = scoreAppraisal(scheme.items, measured);
  return { inputs: measured, items, yearEnd: null, total };
};

const scoreYear = (scheme: AppraisalSchemeVersion, year: string, input: YearEndInputs | undefined): Scoring => {
  if (!input)
    throw ruleViolation('AppraisalInputMissing', 'A year-end appraisal needs the year’s target achievement and the monthly totals', {
      source: 'yearEnd',
    });
  const achievement = requireValue(input.yearAchievementBp, 'target_achievement');
  const months = monthsOf(requireAppraisalPeriod(year));
  if (!Array.isArray(input.monthlyTotals)) throw ruleViolation('InvalidAppraisalInput', 'monthlyTotals must be a list');
  const seen = new Set<string>();
  const monthlyTotals = [...input.monthlyTotals]
    .map((m) => {
      if (!months.includes(m?.period) || seen.has(m.period))
        throw ruleViolation('InvalidAppraisalInput', `monthlyTotals lists each month of ${year} at most once`, { period: m?.period });
      seen.add(m.period);
      if (!Number.isSafeInteger(m.total) || m.total < 0 || m.total > 100)
        throw ruleViolation('InvalidAppraisalInput', 'A monthly total is 0..100 points', { period: m.period });
      return { period: m.period, total: m.total };
    })
    .sort((a, b) => (a.period < b.period ? -1 : 1));
  const item = yearAchievementItem(scheme.items);
  const source = item?.source ?? 'target_achievement';
  const { items } = scoreAppraisal(item ? [item] : [], { [source]: achievement });
  const yearPoints = item ? (items[0].points ?? null) : null;
  const yearEnd = scoreYearEnd(scheme.yearEnd, yearPoints, monthlyTotals);
  return { inputs: { [source]: achievement }, items, yearEnd, total: yearEnd.total };
};

const scoredAppraisal = (state: AppraisalState): Exclude<AppraisalState, { status: 'none' }> => {
  if (state.status === 'none') throw notFound('AppraisalNotScored', 'The appraisal has not been scored');
  return state;
};

export const decideAppraisal = (command: AppraisalCommand, state: AppraisalState): AppraisalEvent[] => {
  const { actor, today } = command.context;
  switch (command.type) {
    case 'ScoreAppraisal': {
      assertMayRunPerformanceProcess(actor);
      const d = command.data;
      if (d.kind !== 'monthly' && d.kind !== 'year_end')
        throw ruleViolation('InvalidAppraisalPeriod', 'kind is monthly or year_end', { kind: d.kind });
      const period = requireAppraisalPeriod(d.period, d.kind);
      const scoredOn = requirePastDate(d.scoredOn ?? today, 'scoredOn', 'InvalidAppraisal', 'InvalidAppraisal', today);
      if (compareDates(scoredOn, period.end) <= 0)
        throw ruleViolation('PeriodNotClosed', `${period.label} ends on ${period.end}; it is appraised afterwards`, {
          period: period.label,
        });
      const scheme = d.scheme;
      if (!scheme) throw notFound('SchemeNotFound', 'No appraisal scheme is defined');
      if (compareDates(scheme.effectiveFrom, period.end) > 0)
        throw ruleViolation('SchemeNotInEffect', `Scheme version ${scheme.version} takes effect after ${period.end}`, {
          schemeVersion: scheme.version,
        });
      const employee = d.employee;
      if (!employee || employee.employeeId !== d.employeeId) throw notFound('EmployeeNotFound', `No salesperson ${d.employeeId}`);
      if (compareDates(employee.hiredOn, period.end) > 0 || (employee.leftOn !== null && compareDates(employee.leftOn, period.start) < 0))
        throw ruleViolation('NotEmployedInPeriod', `${d.employeeId} was not employed in ${period.label}`);
      const appraisalId = appraisalIdOf(employee.employeeId, period.label);
      if (state.status !== 'none' && state.appraisalId !== appraisalId)
        throw conflict('AppraisalIdMismatch', `This stream holds appraisal ${state.appraisalId}`);

      const scoring = period.kind === 'monthly' ? scoreMonthly(scheme, d.inputs) : scoreYear(scheme, period.label, d.yearEnd);
      if (scoring.total === null) throw ruleViolation('NothingToAppraise', `No item of the scheme could be measured for ${period.label}`);
      const basis = basisOf(scheme.version, scoring.inputs, scoring.yearEnd);
      if (state.status !== 'none') {
        if (state.basis === basis) return []; // the same history as of the period end: the same score
        if (state.status !== 'scored') {
          const changes = itemChanges(state.items, scoring.items);
          const words = changes.map((c) => `${c.itemId} ${c.before?.points ?? '–'} → ${c.after?.points ?? '–'} points`).join(', ');
          throw conflict(
            'AppraisalAlreadyReviewed',
            `The appraisal was reviewed with ${state.total} points; the re-run gives ${scoring.total} (${words || 'year-end parts differ'}) and is not recorded`,
            {
              scoredTotal: state.total,
              rerunTotal: scoring.total,
              changes,
            },
          );
        }
      }
      return [
        {
          type: 'AppraisalScored',
          data: {
            appraisalId,
            employeeId: employee.employeeId,
            period: period.label,
            kind: period.kind,
            revision: state.status === 'none' ? 1 : state.revision + 1,
            schemeVersion: scheme.version,
            schemeName: scheme.name ?? null,
            inputs: scoring.inputs,
            items: scoring.items,
            ...(state.status === 'none' ? {} : { changes: itemChanges(state.items, scoring.items) }),
            yearEnd: scoring.yearEnd,
            total: scoring.total,
            outcome: outcomeOf(scoring.total, scheme),
            rewardAtOrAbove: scheme.rewardAtOrAbove,
            improvementPlanBelow: scheme.improvementPlanBelow,
            reward: scheme.reward,
            improvementPlanDeadlineDays: scheme.improvementPlanDeadlineDays ?? null,
            scoredOn,
            asOf: period.end,
          },
        },
      ];
    }
    case 'ReviewAppraisal': {
      const appraisal = scoredAppraisal(state);
      if (appraisal.status !== 'scored')
        throw conflict('AppraisalAlreadyReviewed', `The appraisal was reviewed by ${appraisal.reviewedBy}`);
      assertIsManagerOf(actor, appraisal.employeeId, 'CannotReviewOwnAppraisal', 'review an appraisal');
      const feedback = requireText(command.data.feedback, 'feedback', 'FeedbackRequired', 5000);
      const planInput = command.data.improvementPlan ?? null;
      if (appraisal.outcome === 'improvement_plan' && !planInput)
        throw ruleViolation(
          'ImprovementPlanRequired',
          `${appraisal.total} points is below the threshold: the review sets an improvement plan`,
        );
      if (appraisal.outcome !== 'improvement_plan' && planInput)
        throw ruleViolation('ImprovementPlanNotWarranted', `${appraisal.total} points is not below the improvement-plan threshold`);
      const reviewedOn =
        command.data.reviewedOn === undefined ? today : requireDate(command.data.reviewedOn, 'reviewedOn', 'InvalidAppraisal');
      if (compareDates(reviewedOn, today) > 0)
        throw ruleViolation('InvalidReviewDate', 'A review is not dated in the future', { reviewedOn });
      // The scheme may state the deadline (days after the review); a deadline the reviewer gives takes precedence.
      const deadline =
        planInput?.deadline ??
        (appraisal.improvementPlanDeadlineDays === null ? undefined : addDays(reviewedOn, appraisal.improvementPlanDeadlineDays));
      if (planInput && !isBusinessDate(deadline))
        throw ruleViolation('DeadlineRequired', 'The scheme states no improvement-plan deadline: the review gives one', {
          field: 'improvementPlan.deadline',
        });
      const improvementPlan = planInput ? validateImprovementPlan({ ...planInput, deadline: deadline! }, reviewedOn) : null;
      const { appraisalId, employeeId, period, revision, total } = appraisal;
      const reviewed: AppraisalEvent = {
        type: 'AppraisalReviewed',
        data: { appraisalId, employeeId, period, revision, total, reviewedBy: actor.userId, feedback, reviewedOn, improvementPlan },
      };
      if (appraisal.outcome !== 'reward') return [reviewed];
      return [
        reviewed,
        {
          type: 'RewardGranted',
          data: {
            appraisalId,
            employeeId,
            period,
            kind: appraisal.reward.kind,
            amount: appraisal.reward.amount,
            reason: `${total} points in ${period} reached the reward threshold`,
            grantedBy: actor.userId,
            grantedOn: reviewedOn,
          },
        },
      ];
    }
    case 'AcknowledgeAppraisal': {
      const appraisal = scoredAppraisal(state);
      if (!isSelf(actor, appraisal.employeeId))
        throw forbidden('NotOwnAppraisal', 'Only the appraised employee acknowledges their appraisal');
      if (appraisal.status === 'scored') throw conflict('AppraisalNotReviewed', 'The appraisal is acknowledged after the manager’s review');
      if (appraisal.status === 'acknowledged') throw conflict('AppraisalAlreadyAcknowledged', 'The appraisal is already acknowledged');
      const comment = optionalText(command.data.comment, 'comment', 'InvalidAcknowledgement', 5000);
      const acknowledgedOn = requirePastDate(
        command.data.acknowledgedOn ?? today,
        'acknowledgedOn',
        'InvalidAcknowledgement',
        'InvalidAcknowledgement',
        today,
      );
      if (compareDates(acknowledgedOn, appraisal.reviewedOn) < 0)
        throw ruleViolation('AcknowledgedBeforeReview', `The appraisal was reviewed on ${appraisal.reviewedOn}`, { acknowledgedOn });
      return [
        {
          type: 'AppraisalAcknowledged',
          data: { appraisalId: appraisal.appraisalId, employeeId: appraisal.employeeId, comment, acknowledgedOn },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

// ── Evolve ───────────────────────────────────────────────────────────────────
export const evolveAppraisal = (state: AppraisalState, event: AppraisalEvent): AppraisalState => {
  switch (event.type) {
    case 'AppraisalScored': {
      const { appraisalId, employeeId, period, kind, revision, schemeVersion, inputs, items, yearEnd, total, outcome, reward } = event.data;
      return {
        status: 'scored',
        appraisalId,
        employeeId,
        period,
        kind,
        revision,
        schemeVersion,
        basis: basisOf(schemeVersion, inputs, yearEnd),
        total,
        outcome,
        reward,
        items,
        improvementPlanDeadlineDays: event.data.improvementPlanDeadlineDays ?? null,
      };
    }
    case 'AppraisalReviewed':
      return state.status === 'scored'
        ? { ...state, status: 'reviewed', reviewedBy: event.data.reviewedBy, reviewedOn: event.data.reviewedOn }
        : state;
    case 'RewardGranted':
      return state;
    case 'AppraisalAcknowledged':
      return state.status === 'reviewed' ? { ...state, status: 'acknowledged' } : state;
    default:
      return assertNever(event);
  }
};

export const appraisalDecider: Decider<AppraisalState, AppraisalCommand, AppraisalEvent> = {
  decide: decideAppraisal,
  evolve: evolveAppraisal,
  initialState: initialAppraisalState,
};
