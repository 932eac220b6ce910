/** Shared spec fixtures for the performance domain (not exported from the library). */
import { BusinessDate } from '@salesline/shared-kernel';
import { CaseFact } from '../domain/appraisal-inputs';
import { MeasureSpec } from '../domain/appraisal-measures';
import { AppraisalSchemeVersion, SchemeItemInput, schemeItemOf } from '../domain/appraisal-scheme';
import { TriggeringFact } from '../domain/discipline-evaluator';
import { AttendanceFact } from '../domain/meeting';

/** A standard from 0 points at `from` to 100 points at `to`, capped. */
export const linearStandard = (from: number, to: number): SchemeItemInput['standard'] => ({
  kind: 'linear',
  from,
  to,
  pointsAtFrom: 0,
  pointsAtTo: 100,
  capped: true,
});
/** A standard of bands, each `[atLeast, points]`. */
export const bandStandard = (...pairs: [number, number][]): SchemeItemInput['standard'] => ({
  kind: 'bands',
  bands: pairs.map(([atLeast, points]) => ({ atLeast, points })),
});
const item = (itemId: string, name: string, weight: number, source: string, standard: SchemeItemInput['standard']) => ({
  itemId,
  name,
  weight,
  source,
  standard,
});

/** A full scheme over the eight sources of the issue. */
export const SAMPLE_ITEMS: (SchemeItemInput & { source: string })[] = [
  item('target', 'Target achievement', 40, 'target_achievement', linearStandard(5000, 12000)),
  item('margin', 'Gross margin', 15, 'gross_margin_achievement', bandStandard([8000, 60], [10000, 100])),
  item('cash', 'Cash collection', 10, 'cash_collection', bandStandard([9000, 100], [7000, 50])),
  item('visits', 'Customer visits', 10, 'visits_vs_plan', linearStandard(0, 10000)),
  item('service', 'Service feedback', 10, 'service_feedback', linearStandard(100, 500)),
  item('retention', 'Retention', 5, 'retention', bandStandard([5000, 100], [2500, 50])),
  item('attendance', 'Attendance', 5, 'attendance', bandStandard([10000, 100], [8000, 50])),
  item('discipline', 'Discipline', 5, 'discipline', bandStandard([0, 100], [1, 40], [2, 0])),
];

/** Version 1 of the sample scheme: reward at 85, improvement plan below 50, year-end 60 % year achievement / 40 % monthly. */
export const sampleScheme = (patch: Partial<AppraisalSchemeVersion> = {}): AppraisalSchemeVersion => ({
  version: 1,
  name: null,
  effectiveFrom: '2025-01-01',
  improvementPlanDeadlineDays: null,
  items: SAMPLE_ITEMS.map(({ source, ...i }) => schemeItemOf({ ...i, measure: { kind: source as MeasureSpec['kind'] } })),
  rewardAtOrAbove: 85,
  improvementPlanBelow: 50,
  reward: { kind: 'bonus', amount: 50_000 },
  yearEnd: { yearAchievementWeightBp: 6000, monthlyAverageWeightBp: 4000 },
  ...patch,
});

/** Disciplinary case dc-1: sp-1 late three times in March 2025 (rule late-3-in-month of policy version 1), on these facts. */
export const lateInMarchCase = <F>(triggeringFacts: F) =>
  ({
    caseId: 'dc-1',
    employeeId: 'sp-1',
    ruleId: 'late-3-in-month',
    policyVersion: 1,
    kind: 'investigation',
    triggerKey: 'late-3-in-month@2025-03',
    triggeringFacts,
  }) as const;

/** sp-1's attendance at meeting mt-<n>: a department meeting on 5 March 2025, not excused, unless patched. */
export const attendanceFactOf = (n: number, status: AttendanceFact['status'], patch: Partial<AttendanceFact> = {}): AttendanceFact => ({
  factId: `mt-${n}/sp-1`,
  meetingId: `mt-${n}`,
  meetingKind: 'department',
  employeeId: 'sp-1',
  occurredOn: '2025-03-05',
  status,
  excused: false,
  ...patch,
});

/** A disciplinary case opened on the day of its one triggering fact; still open unless patched with an outcome. */
export const caseFactOf = (
  caseId: string,
  openedOn: BusinessDate,
  trigger: Omit<TriggeringFact, 'occurredOn'>,
  patch: Partial<CaseFact> = {},
): CaseFact => ({ caseId, openedOn, triggeringFacts: [{ ...trigger, occurredOn: openedOn }], outcome: null, closedOn: null, ...patch });
