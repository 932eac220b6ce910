/** Shared spec fixtures for the performance domain (not exported from the library). */
import { BusinessDate } from '@salesline/shared-kernel';
import { CaseFact } from '../domain/appraisal-inputs';
import { MeasureSpec } from '../domain/appraisal-measures';
import { AppraisalSchemeVersion, SchemeItemInput, schemeItemOf } from '../domain/appraisal-scheme';
import { TriggeringFact } from '../domain/discipline-evaluator';
import { AttendanceFact } from '../domain/meeting';

/** A full scheme over the eight sources of the issue. */
export const SAMPLE_ITEMS: (SchemeItemInput & { source: string })[] = [
  {
    itemId: 'target',
    name: 'Target achievement',
    weight: 40,
    source: 'target_achievement',
    standard: { kind: 'linear', from: 5000, to: 12000, pointsAtFrom: 0, pointsAtTo: 100, capped: true },
  },
  {
    itemId: 'margin',
    name: 'Gross margin',
    weight: 15,
    source: 'gross_margin_achievement',
    standard: {
      kind: 'bands',
      bands: [
        { atLeast: 8000, points: 60 },
        { atLeast: 10000, points: 100 },
      ],
    },
  },
  {
    itemId: 'cash',
    name: 'Cash collection',
    weight: 10,
    source: 'cash_collection',
    standard: {
      kind: 'bands',
      bands: [
        { atLeast: 9000, points: 100 },
        { atLeast: 7000, points: 50 },
      ],
    },
  },
  {
    itemId: 'visits',
    name: 'Customer visits',
    weight: 10,
    source: 'visits_vs_plan',
    standard: { kind: 'linear', from: 0, to: 10000, pointsAtFrom: 0, pointsAtTo: 100, capped: true },
  },
  {
    itemId: 'service',
    name: 'Service feedback',
    weight: 10,
    source: 'service_feedback',
    standard: { kind: 'linear', from: 100, to: 500, pointsAtFrom: 0, pointsAtTo: 100, capped: true },
  },
  {
    itemId: 'retention',
    name: 'Retention',
    weight: 5,
    source: 'retention',
    standard: {
      kind: 'bands',
      bands: [
        { atLeast: 5000, points: 100 },
        { atLeast: 2500, points: 50 },
      ],
    },
  },
  {
    itemId: 'attendance',
    name: 'Attendance',
    weight: 5,
    source: 'attendance',
    standard: {
      kind: 'bands',
      bands: [
        { atLeast: 10000, points: 100 },
        { atLeast: 8000, points: 50 },
      ],
    },
  },
  {
    itemId: 'discipline',
    name: 'Discipline',
    weight: 5,
    source: 'discipline',
    standard: {
      kind: 'bands',
      bands: [
        { atLeast: 0, points: 100 },
        { atLeast: 1, points: 40 },
        { atLeast: 2, points: 0 },
      ],
    },
  },
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
