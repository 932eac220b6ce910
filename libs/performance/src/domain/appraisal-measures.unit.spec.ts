import { DomainError } from '@salesline/shared-kernel';
import { commandOf, deciderSpec } from '@salesline/shared-kernel/testing';
import { CaseFact, MeasureInputsInput, measureInputs, measureValue } from './appraisal-inputs';
import { MEASURE_CATALOG, MeasureSpec, describeMeasure, measureKey, validateMeasure } from './appraisal-measures';
import { DefineAppraisalScheme, appraisalSchemeDecider, describeScheme } from './appraisal-scheme';
import { APPRAISAL_SOURCES, scoreAppraisal } from './appraisal-scoring';
import { attendanceFactOf, caseFactOf } from '../testing/fixtures';
import { AttendanceFact } from './meeting';

const att = (
  n: number,
  status: AttendanceFact['status'],
  excused = false,
  occurredOn = '2025-03-05',
  meetingKind: AttendanceFact['meetingKind'] = 'work_day',
) => attendanceFactOf(n, status, { excused, occurredOn, meetingKind });
const kase = (caseId: string, kind: string, reachedOn: string, outcome: CaseFact['outcome'] = null, closedOn: string | null = null) =>
  caseFactOf(caseId, reachedOn, { factId: `f-${caseId}`, kind: 'late' }, { kind, outcome, closedOn });
const figures = (revenue: number | null, quantity: number | null = null) => ({
  achievementBp: { revenue, grossMargin: null, quantity },
  actual: { cashCollected: 0, revenueInvoiced: 0 },
});
const input = (patch: Partial<MeasureInputsInput> = {}): MeasureInputsInput => ({
  period: '2025-03',
  progress: figures(9000),
  plannedVisits: 4,
  visits: [
    { visitId: 'v1', visitedOn: '2025-03-02' },
    { visitId: 'v2', visitedOn: '2025-03-09' },
    { visitId: 'v3', visitedOn: '2025-04-01' },
  ],
  feedback: [],
  purchases: [],
  attendance: [
    att(1, 'late'),
    att(2, 'left_early'),
    att(3, 'missed', false),
    att(4, 'missed', true),
    att(5, 'attended'),
    att(6, 'late', false, '2025-04-01'),
    att(7, 'late', false, '2025-03-20', 'company'),
  ],
  violations: [
    { violationId: 'x1', occurredOn: '2025-03-03', severity: 'minor', kind: 'other' },
    { violationId: 'x2', occurredOn: '2025-03-04', severity: 'serious', kind: 'unauthorized_price_cut' },
    { violationId: 'x3', occurredOn: '2025-02-04', severity: 'serious', kind: 'other' },
  ],
  cases: [
    kase('c1', 'investigation', '2025-03-10', 'warning', '2025-03-20'),
    kase('c2', 'dismissal_review', '2025-03-12', 'dismissal', '2025-04-02'),
    kase('c3', 'investigation', '2025-02-10'),
  ],
  ...patch,
});
const value = (measure: unknown, patch?: Partial<MeasureInputsInput>) => measureValue(validateMeasure('item', measure), input(patch));

describe('appraisal measures (ADR 0313)', () => {
  it('counts attendance facts by kind; excused absences out unless included; by meeting kind when asked', () => {
    expect(value({ kind: 'attendance_count', kinds: ['late', 'left_early', 'absent'] })).toBe(4); // late ×2 (work day, company), left early, unexcused absence
    expect(value({ kind: 'attendance_count', kinds: ['late', 'left_early', 'absent'], excusedAbsences: 'included' })).toBe(5);
    expect(value({ kind: 'attendance_count', kinds: ['late'] })).toBe(2);
    expect(value({ kind: 'attendance_count', kinds: ['late'], meetingKinds: ['work_day'] })).toBe(1);
    expect(value({ kind: 'attendance_count', kinds: ['absent'] })).toBe(1);
  });
  it('counts violations by severity and kind, and cases by kind and where they stand at the period end', () => {
    expect(value({ kind: 'violation_count' })).toBe(2);
    expect(value({ kind: 'violation_count', severities: ['serious'] })).toBe(1);
    expect(value({ kind: 'violation_count', violationKinds: ['other'] })).toBe(1);
    expect(value({ kind: 'disciplinary_case_count' })).toBe(2);
    expect(value({ kind: 'disciplinary_case_count', caseKinds: ['dismissal_review'] })).toBe(1);
    // c2 is closed only after the period end: open as of 31 March.
    expect(value({ kind: 'disciplinary_case_count', outcomes: ['open'] })).toBe(1);
    expect(value({ kind: 'disciplinary_case_count', outcomes: ['warning', 'dismissal'] })).toBe(1);
  });
  it('target achievement on the basis an item chooses; the revenue-basis setting by default; quantity when asked', () => {
    const progressByBasis = { booked: figures(12000, 8000), invoiced: figures(7000) };
    expect(value({ kind: 'target_achievement', basis: 'booked' }, { progressByBasis })).toBe(12000);
    expect(value({ kind: 'target_achievement', basis: 'booked', figure: 'quantity' }, { progressByBasis })).toBe(8000);
    expect(value({ kind: 'target_achievement' }, { progressByBasis })).toBe(9000);
    expect(value({ kind: 'target_achievement', basis: 'delivered' }, { progressByBasis })).toBeNull();
    const withMargin = {
      invoiced: {
        achievementBp: { revenue: 9000, grossMargin: null },
        actual: { cashCollected: 0, revenueInvoiced: 50_000, revenue: 50_000, grossMargin: 20_000 },
      },
    };
    expect(value({ kind: 'gross_margin_rate', basis: 'invoiced' }, { progressByBasis: withMargin })).toBe(4000);
    expect(value({ kind: 'gross_margin_rate', basis: 'booked' }, { progressByBasis: withMargin })).toBeNull();
    expect(value({ kind: 'visit_count' })).toBe(2);
    expect(value({ kind: 'visits_vs_plan' })).toBe(5000);
  });
  it('canonical parameters and keys: the eight sources of ADR 0307 are measures without parameters', () => {
    expect(measureKey(validateMeasure('i', { kind: 'discipline' }))).toBe('discipline');
    expect(measureKey(validateMeasure('i', { kind: 'attendance_count', kinds: ['late', 'absent', 'late'] }))).toBe(
      'attendance_count(kinds=absent,late)',
    );
    // Every value of a list is its default ("all"): the same measure as leaving it out.
    expect(measureKey(validateMeasure('i', { kind: 'attendance_count', kinds: ['late', 'left_early', 'absent'] }))).toBe(
      'attendance_count',
    );
    expect(value({ kind: 'attendance_count' })).toBe(4);
    expect(measureKey(validateMeasure('i', { kind: 'target_achievement', basis: 'booked' }))).toBe('target_achievement(basis=booked)');
    // The default inputs are the eight sources of ADR 0307, in their order.
    expect(Object.keys(measureInputs(input()))).toEqual(APPRAISAL_SOURCES);
    for (const bad of [
      { kind: 'charm' },
      { kind: 'attendance_count', kinds: [] },
      { kind: 'attendance_count', kinds: ['asleep'] },
      { kind: 'retention', basis: 'booked' },
      { kind: 'gross_margin_achievement', basis: 'collected' },
    ])
      expect(() => validateMeasure('i', bad)).toThrow(expect.objectContaining({ code: 'InvalidMeasure' }) as unknown as DomainError);
  });
  it('every measure of the catalog is described in words and measurable', () => {
    for (const entry of MEASURE_CATALOG) {
      const spec = validateMeasure('i', entry.example);
      expect(describeMeasure(spec).length).toBeGreaterThan(10);
      expect(() => measureValue(spec, input())).not.toThrow();
    }
    expect(describeMeasure({ kind: 'attendance_count', kinds: ['absent', 'late', 'left_early'] })).toBe(
      'late arrivals, early departures and absences at meetings and working days in the period, counted (absences excused beforehand not counted)',
    );
  });
});

describe('a scheme written from a director’s standards', () => {
  const spec = deciderSpec(appraisalSchemeDecider);
  const bands = (...b: [number, number][]) => ({ kind: 'bands' as const, bands: b.map(([atLeast, points]) => ({ atLeast, points })) });
  const items = [
    {
      itemId: 'punctuality',
      name: 'Punctuality',
      weight: 30,
      measure: { kind: 'attendance_count', kinds: ['late', 'left_early', 'absent'] } as MeasureSpec,
      standard: bands([0, 100], [1, 70], [3, 40], [5, 0]),
    },
    {
      itemId: 'booked',
      name: 'Booked sales',
      weight: 50,
      measure: { kind: 'target_achievement', basis: 'booked' } as MeasureSpec,
      standard: bands([10000, 100], [8000, 60]),
    },
    {
      itemId: 'visits',
      name: 'Visits',
      weight: 20,
      source: 'visits_vs_plan',
      standard: { kind: 'linear' as const, from: 0, to: 10000, pointsAtFrom: 0, pointsAtTo: 100, capped: true },
    },
  ];
  const define = (patch: Partial<DefineAppraisalScheme['data']> = {}) =>
    commandOf<DefineAppraisalScheme>(
      'DefineAppraisalScheme',
      {
        name: '2026-v1',
        effectiveFrom: '2026-01-01',
        improvementPlanDeadlineDays: 60,
        items,
        rewardAtOrAbove: 85,
        improvementPlanBelow: 50,
        reward: { kind: 'bonus', amount: 300_00 },
        yearEnd: { yearAchievementWeightBp: 0, monthlyAverageWeightBp: 10000 },
        ...patch,
      },
      { userId: 'm-1', roles: ['sales_manager'], today: '2026-01-05' },
    );

  it('states each measure and standard in words, the plan deadline and the reward rule, under the company’s version name', () => {
    const [event] = spec.given().when(define()).events();
    expect(event.data).toMatchObject({ version: 1, name: '2026-v1', improvementPlanDeadlineDays: 60 });
    expect(event.data.items[0]).toMatchObject({
      source: 'attendance_count',
      standardText: '0: 100 points; 1 to 2: 70 points; 3 to 4: 40 points; 5 or more: 0 points',
      writtenStandard:
        'Punctuality: late arrivals, early departures and absences at meetings and working days in the period, counted (absences excused beforehand not counted); 0: 100 points; 1 to 2: 70 points; 3 to 4: 40 points; 5 or more: 0 points.',
    });
    expect(event.data.items[1].measureText).toBe('orders booked in the period against the period’s revenue target, as a percentage');
    expect(describeScheme({ ...event.data, items: event.data.items }).at(-2)).toBe(
      'A total of 85 points or more earns bonus of 300.00, granted at the review; below 50 points the review sets an improvement plan due 60 days after the review.',
    );
    // Two late arrivals: 70 points; booked 85 %: 60; visits 3 of 4: 75 → (2100 + 3000 + 1500) / 100 = 66.
    const inputs = { [event.data.items[0].source]: 2, [event.data.items[1].source]: 8500, visits_vs_plan: 7500 };
    expect(scoreAppraisal(event.data.items, inputs).total).toBe(66);
  });
  it('refuses an unknown measure, bad parameters, and the same measure twice', () => {
    spec
      .given()
      .when(
        define({
          items: [{ ...items[0], weight: 100, measure: { kind: 'attendance_count', kinds: ['asleep'] } as unknown as MeasureSpec }],
        }),
      )
      .thenThrows('InvalidMeasure', 'rule');
    spec
      .given()
      .when(define({ items: [{ ...items[0], weight: 100, measure: undefined }] }))
      .thenThrows('InvalidSchemeItem', 'rule');
    // A source names any measure with its default parameters.
    expect(
      spec
        .given()
        .when(define({ items: [{ ...items[0], weight: 100, measure: undefined, source: 'attendance_count' }] }))
        .events()[0].data.items[0].source,
    ).toBe('attendance_count');
    spec
      .given()
      .when(
        define({
          items: [
            { ...items[0], weight: 50 },
            { ...items[0], itemId: 'again', weight: 50 },
          ],
        }),
      )
      .thenThrows('DuplicateSchemeSource', 'rule');
    spec
      .given()
      .when(define({ improvementPlanDeadlineDays: 0 }))
      .thenThrows('InvalidAppraisalScheme', 'rule');
  });
});
