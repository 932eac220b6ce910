/**
 * Measuring an appraisal's values (ADR 0307): pure computations over plain arrays of one salesperson's facts,
 * all as of the period end — a fact counts when its business date lies within the period, and a case outcome
 * counts when it was decided by the period end. Later events (dated after the period) change nothing, so a
 * re-run of a closed period measures the same values. The application feeds these from its read models.
 *
 * Units: basis points (10000 = 100 %) for ratios, average score × 100 for feedback, a count for discipline;
 * null when the value cannot be measured (no target, no plan, no feedback, ...), and the item is then left out.
 */
import type { CustomerVisited } from '@salesline/organization/domain';
import { BasisPoints, BusinessDate, assertNever, compareDates, mulDivRound, ratioInBasisPoints } from '@salesline/shared-kernel';
import { APPRAISAL_SOURCES } from './appraisal-scoring';
import { MeasureSpec, SalesBasis, measureKey } from './appraisal-measures';
import { CaseOutcome } from './disciplinary-case';
import { TriggeringFact } from './discipline-evaluator';
import { AttendanceFact } from './meeting';
import { AppraisalPeriod, isWithin, previousPeriod, requireAppraisalPeriod } from './period';

/** The salesperson's row of the sales progress report (ADR 0207) for the period, as of its end; structurally a ProgressRow. */
export type SalesProgressFigures = Readonly<{
  achievementBp: Readonly<{ revenue: BasisPoints | null; grossMargin: BasisPoints | null; quantity?: BasisPoints | null }>;
  actual: Readonly<{ cashCollected: number; revenueInvoiced: number; revenue?: number; grossMargin?: number }>;
}>;
/** A CustomerVisited of the salesperson (the organization's visits stream, ADR 0210): only its id and date are read. */
export type VisitFact = Readonly<Pick<CustomerVisited['data'], 'visitId' | 'visitedOn'>>;
/** A ServiceFeedbackRecorded of the salesperson. */
export type FeedbackFact = Readonly<{ feedbackId: string; score: number; receivedOn: BusinessDate }>;
/** A booked order (sales fact 'booked', amount > 0) credited to the salesperson, by customer. */
export type PurchaseFact = Readonly<{ customerId: string; boughtOn: BusinessDate }>;
export type ViolationFact = Readonly<{ violationId: string; occurredOn: BusinessDate; severity?: string; kind?: string }>;
/** A disciplinary case of the salesperson with its outcome, if decided (DisciplinaryCaseOpened + Closed). */
export type CaseFact = Readonly<{
  caseId: string;
  kind?: string;
  openedOn: BusinessDate;
  triggeringFacts: readonly TriggeringFact[];
  outcome: CaseOutcome | null;
  closedOn: BusinessDate | null;
}>;

export type MeasureInputsInput = Readonly<{
  /** 'YYYY-MM' or 'YYYY'. */
  period: string;
  progress: SalesProgressFigures | null;
  /** The salesperson's row on each sales basis an item names (ADR 0313); `progress` is the row on the revenue-basis setting. */
  progressByBasis?: Readonly<Partial<Record<SalesBasis, SalesProgressFigures | null>>>;
  /** Visits planned for the period (the approved sales plans' plannedVisits; summed for a year); null without a plan. */
  plannedVisits: number | null;
  visits: readonly VisitFact[];
  feedback: readonly FeedbackFact[];
  /** Purchases of this and the previous period. */
  purchases: readonly PurchaseFact[];
  attendance: readonly AttendanceFact[];
  violations: readonly ViolationFact[];
  cases: readonly CaseFact[];
}>;

// ── The computations ─────────────────────────────────────────────────────────
/** Revenue achievement against target, bp (sales progress, revenue basis); null without a target. */
export const targetAchievement = (progress: SalesProgressFigures | null): BasisPoints | null => progress?.achievementBp.revenue ?? null;

/** Gross-margin achievement against target, bp; null without a target. */
export const grossMarginAchievement = (progress: SalesProgressFigures | null): BasisPoints | null =>
  progress?.achievementBp.grossMargin ?? null;

/** Cash collected / revenue invoiced in the period, bp; null when nothing was invoiced. */
export const cashCollection = (progress: SalesProgressFigures | null): BasisPoints | null =>
  !progress || progress.actual.revenueInvoiced <= 0
    ? null
    : ratioInBasisPoints(progress.actual.cashCollected, progress.actual.revenueInvoiced);

/** Visits made in the period / visits planned, bp; null without planned visits. */
export const visitsVsPlan = (period: AppraisalPeriod, visits: readonly VisitFact[], plannedVisits: number | null): BasisPoints | null =>
  plannedVisits === null || plannedVisits <= 0
    ? null
    : ratioInBasisPoints(visits.filter((v) => isWithin(period, v.visitedOn)).length, plannedVisits);

/** Average feedback score received in the period × 100 (e.g. 4.50 → 450), half away from zero; null without feedback. */
export const serviceFeedbackAverage = (period: AppraisalPeriod, feedback: readonly FeedbackFact[]): number | null => {
  const within = feedback.filter((f) => isWithin(period, f.receivedOn));
  return within.length === 0
    ? null
    : mulDivRound(
        within.reduce((s, f) => s + f.score, 0),
        100,
        within.length,
      );
};

/** Customers who bought in the previous period and again in this one / customers who bought in the previous period, bp; null when none bought before. */
export const retention = (period: AppraisalPeriod, purchases: readonly PurchaseFact[]): BasisPoints | null => {
  const before = previousPeriod(period);
  const previous = new Set(purchases.filter((p) => isWithin(before, p.boughtOn)).map((p) => p.customerId));
  const current = new Set(purchases.filter((p) => isWithin(period, p.boughtOn)).map((p) => p.customerId));
  return previous.size === 0 ? null : ratioInBasisPoints([...previous].filter((c) => current.has(c)).length, previous.size);
};

/** Meetings and working days attended on time / those expected (excused absences excluded), bp; null when none expected. */
export const attendanceRate = (period: AppraisalPeriod, attendance: readonly AttendanceFact[]): BasisPoints | null => {
  const expected = attendance.filter((a) => isWithin(period, a.occurredOn) && !(a.status === 'missed' && a.excused));
  return expected.length === 0 ? null : ratioInBasisPoints(expected.filter((a) => a.status === 'attended').length, expected.length);
};

const clearedBy = (c: CaseFact, asOf: BusinessDate): boolean =>
  c.outcome === 'no_fault' && c.closedOn !== null && compareDates(c.closedOn, asOf) <= 0;
const isViolationCase = (c: CaseFact): boolean => c.triggeringFacts.some((f) => f.kind.startsWith('violation'));

/**
 * Disciplinary marks in the period: violations that occurred in it + lateness cases opened in it; a mark cleared
 * by a case closed as no fault by the period end does not count (a violation is cleared by a no-fault case it triggered).
 */
const crossedOn = (c: CaseFact): BusinessDate =>
  c.triggeringFacts.length === 0 ? c.openedOn : c.triggeringFacts.map((f) => f.occurredOn).reduce((a, b) => (a >= b ? a : b));

export const disciplineCount = (period: AppraisalPeriod, violations: readonly ViolationFact[], cases: readonly CaseFact[]): number => {
  const clearedViolations = new Set(
    cases.filter((c) => isViolationCase(c) && clearedBy(c, period.end)).flatMap((c) => c.triggeringFacts.map((f) => f.factId)),
  );
  const violationMarks = violations.filter((v) => isWithin(period, v.occurredOn) && !clearedViolations.has(v.violationId)).length;
  // A case counts in the period its threshold was crossed (its last triggering fact), so facts entered
  // after the fact mark the month they happened in, whatever day the case was opened (ADR 0311).
  const latenessMarks = cases.filter((c) => !isViolationCase(c) && isWithin(period, crossedOn(c)) && !clearedBy(c, period.end)).length;
  return violationMarks + latenessMarks;
};

/** Late arrivals, early departures and/or absences in the period (ADR 0313); excused absences only when included. */
export const attendanceCount = (period: AppraisalPeriod, attendance: readonly AttendanceFact[], measure: MeasureSpec): number => {
  const kinds = new Set<string>(measure.kinds ?? ['late', 'left_early', 'absent']);
  const counts = (a: AttendanceFact): boolean => {
    if (measure.meetingKinds && !measure.meetingKinds.includes(a.meetingKind)) return false;
    switch (a.status) {
      case 'late':
        return kinds.has('late');
      case 'left_early':
        return kinds.has('left_early');
      case 'missed':
        return kinds.has('absent') && (!a.excused || measure.excusedAbsences === 'included');
      default:
        return false;
    }
  };
  return attendance.filter((a) => isWithin(period, a.occurredOn) && counts(a)).length;
};

/** Violations that occurred in the period of the chosen severities and kinds, less those cleared as no fault by the period end. */
export const violationCount = (
  period: AppraisalPeriod,
  violations: readonly ViolationFact[],
  cases: readonly CaseFact[],
  measure: MeasureSpec,
): number => {
  const cleared = new Set(
    cases.filter((c) => isViolationCase(c) && clearedBy(c, period.end)).flatMap((c) => c.triggeringFacts.map((f) => f.factId)),
  );
  return violations.filter(
    (v) =>
      isWithin(period, v.occurredOn) &&
      !cleared.has(v.violationId) &&
      (!measure.severities || measure.severities.includes(v.severity as never)) &&
      (!measure.violationKinds || measure.violationKinds.includes(v.kind as never)),
  ).length;
};

/** Where a case stands at the period end: its outcome if decided by then, else open. */
const caseStateAt = (c: CaseFact, asOf: BusinessDate): string =>
  c.outcome !== null && c.closedOn !== null && compareDates(c.closedOn, asOf) <= 0 ? c.outcome : 'open';

/** Cases whose rule was reached in the period, of the chosen kinds, standing at the period end as one of the chosen outcomes. */
export const caseCount = (period: AppraisalPeriod, cases: readonly CaseFact[], measure: MeasureSpec): number =>
  cases.filter(
    (c) =>
      isWithin(period, crossedOn(c)) &&
      (!measure.caseKinds || measure.caseKinds.includes(c.kind as never)) &&
      (!measure.outcomes || measure.outcomes.includes(caseStateAt(c, period.end) as never)),
  ).length;

const progressOn = (input: MeasureInputsInput, basis: SalesBasis | undefined): SalesProgressFigures | null =>
  basis === undefined ? input.progress : (input.progressByBasis?.[basis] ?? null);

/** One measure's value for one salesperson and period, as of the period end (ADR 0307, 0313). */
export const measureValue = (measure: MeasureSpec, input: MeasureInputsInput): number | null => {
  const period = requireAppraisalPeriod(input.period);
  switch (measure.kind) {
    case 'target_achievement': {
      const progress = progressOn(input, measure.basis);
      return measure.figure === 'quantity' ? (progress?.achievementBp.quantity ?? null) : targetAchievement(progress);
    }
    case 'gross_margin_achievement':
      return grossMarginAchievement(progressOn(input, measure.basis));
    case 'gross_margin_rate': {
      const progress = progressOn(input, measure.basis);
      const revenue = progress?.actual.revenue ?? 0;
      return revenue <= 0 ? null : ratioInBasisPoints(progress?.actual.grossMargin ?? 0, revenue);
    }
    case 'cash_collection':
      return cashCollection(input.progress);
    case 'visits_vs_plan':
      return visitsVsPlan(period, input.visits, input.plannedVisits);
    case 'visit_count':
      return input.visits.filter((v) => isWithin(period, v.visitedOn)).length;
    case 'service_feedback':
      return serviceFeedbackAverage(period, input.feedback);
    case 'retention':
      return retention(period, input.purchases);
    case 'attendance':
      return attendanceRate(period, input.attendance);
    case 'attendance_count':
      return attendanceCount(period, input.attendance, measure);
    case 'violation_count':
      return violationCount(period, input.violations, input.cases, measure);
    case 'disciplinary_case_count':
      return caseCount(period, input.cases, measure);
    case 'discipline':
      return disciplineCount(period, input.violations, input.cases);
    default:
      return assertNever(measure.kind);
  }
};

/**
 * Every measure's value for one salesperson and period, as of the period end, keyed by measure key (the item's
 * `source`); without `measures`, the eight sources of ADR 0307.
 */
export const measureInputs = (
  input: MeasureInputsInput,
  measures: readonly MeasureSpec[] = APPRAISAL_SOURCES.map((kind) => ({ kind })),
): Record<string, number | null> => Object.fromEntries(measures.map((m) => [measureKey(m), measureValue(m, input)]));
