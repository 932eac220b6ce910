import { attendanceFactOf, caseFactOf } from '../testing/fixtures';
import { AttendanceFact } from './meeting';
import { requireAppraisalPeriod } from './period';
import { CaseFact, attendanceRate, cashCollection, disciplineCount, grossMarginAchievement } from './appraisal-inputs';
import { measureInputs, retention, serviceFeedbackAverage, targetAchievement, visitsVsPlan } from './appraisal-inputs';

const march = requireAppraisalPeriod('2025-03');
const year = requireAppraisalPeriod('2025');
const progress = { achievementBp: { revenue: 9500, grossMargin: null }, actual: { cashCollected: 80_000, revenueInvoiced: 120_000 } };
const att = (n: number, status: AttendanceFact['status'], occurredOn = '2025-03-05', excused = false) =>
  attendanceFactOf(n, status, { occurredOn, excused });
const kase = (
  caseId: string,
  openedOn: string,
  kind: string,
  factId: string,
  outcome: CaseFact['outcome'] = null,
  closedOn: string | null = null,
) => caseFactOf(caseId, openedOn, { factId, kind }, { outcome, closedOn });

describe('appraisal inputs', () => {
  it('target and gross-margin achievement come from the sales-progress row (null without a target)', () => {
    expect(targetAchievement(progress)).toBe(9500);
    expect(grossMarginAchievement(progress)).toBeNull();
    expect(targetAchievement(null)).toBeNull();
  });
  it('cash collection = collected / invoiced in bp; null when nothing was invoiced', () => {
    expect(cashCollection(progress)).toBe(6667);
    expect(cashCollection({ ...progress, actual: { cashCollected: 5, revenueInvoiced: 0 } })).toBeNull();
  });
  it('visits vs plan counts the visits within the period against the plan', () => {
    const visits = [
      { visitId: 'v1', visitedOn: '2025-03-01' },
      { visitId: 'v2', visitedOn: '2025-03-31' },
      { visitId: 'v3', visitedOn: '2025-04-01' },
    ];
    expect(visitsVsPlan(march, visits, 3)).toBe(6667);
    expect(visitsVsPlan(march, visits, 0)).toBeNull();
    expect(visitsVsPlan(march, visits, null)).toBeNull();
  });
  it('service feedback = average score × 100 within the period, half away from zero', () => {
    const fb = [
      { feedbackId: 'f1', score: 5, receivedOn: '2025-03-02' },
      { feedbackId: 'f2', score: 4, receivedOn: '2025-03-09' },
      { feedbackId: 'f3', score: 4, receivedOn: '2025-03-20' },
      { feedbackId: 'f4', score: 1, receivedOn: '2025-04-01' },
    ];
    expect(serviceFeedbackAverage(march, fb)).toBe(433);
    expect(serviceFeedbackAverage(requireAppraisalPeriod('2025-02'), fb)).toBeNull();
  });
  it('retention = customers buying in the previous period and again now / customers of the previous period', () => {
    const purchases = [
      { customerId: 'c1', boughtOn: '2025-02-03' },
      { customerId: 'c2', boughtOn: '2025-02-10' },
      { customerId: 'c3', boughtOn: '2025-02-11' },
      { customerId: 'c1', boughtOn: '2025-03-04' },
      { customerId: 'c1', boughtOn: '2025-03-14' },
      { customerId: 'c4', boughtOn: '2025-03-05' },
      { customerId: 'c2', boughtOn: '2025-04-01' },
    ];
    expect(retention(march, purchases)).toBe(3333);
    expect(retention(requireAppraisalPeriod('2025-02'), purchases)).toBeNull();
    expect(
      retention(year, [
        { customerId: 'c1', boughtOn: '2024-05-01' },
        { customerId: 'c1', boughtOn: '2025-11-01' },
      ]),
    ).toBe(10000);
  });
  it('attendance = on time / expected, excused absences excluded', () => {
    const facts = [
      att(1, 'attended'),
      att(2, 'late'),
      att(3, 'left_early'),
      att(4, 'missed', '2025-03-05', true),
      att(5, 'attended', '2025-04-01'),
      att(6, 'attended'),
    ];
    expect(attendanceRate(march, facts)).toBe(5000);
    expect(attendanceRate(march, [att(4, 'missed', '2025-03-05', true)])).toBeNull();
  });
  it('discipline counts violations and lateness cases in the period, less those cleared as no fault by the period end', () => {
    const violations = [
      { violationId: 'vi-1', occurredOn: '2025-03-03' },
      { violationId: 'vi-2', occurredOn: '2025-03-10' },
      { violationId: 'vi-3', occurredOn: '2025-04-02' },
    ];
    const cases = [
      kase('dc-1', '2025-03-04', 'violation:serious', 'vi-1', 'no_fault', '2025-03-20'), // clears vi-1
      kase('dc-2', '2025-03-11', 'violation:serious', 'vi-2', 'no_fault', '2025-04-10'), // cleared after the period end: still counts
      kase('dc-3', '2025-03-21', 'late', 'mt-3/sp-1'), // lateness case in March
      kase('dc-4', '2025-03-28', 'late', 'mt-5/sp-1', 'no_fault', '2025-03-30'), // cleared
      kase('dc-5', '2025-04-02', 'late', 'mt-9/sp-1'), // April
    ];
    expect(disciplineCount(march, violations, cases)).toBe(2);
    expect(disciplineCount(march, [], [])).toBe(0);
  });
  it('measureInputs gives every source, as of the period end', () => {
    expect(
      measureInputs({
        period: '2025-03',
        progress,
        plannedVisits: 4,
        visits: [{ visitId: 'v1', visitedOn: '2025-03-01' }],
        feedback: [],
        purchases: [],
        attendance: [att(1, 'attended'), att(2, 'late')],
        violations: [{ violationId: 'vi-1', occurredOn: '2025-03-03' }],
        cases: [],
      }),
    ).toEqual({
      target_achievement: 9500,
      gross_margin_achievement: null,
      cash_collection: 6667,
      visits_vs_plan: 2500,
      service_feedback: null,
      retention: null,
      attendance: 5000,
      discipline: 1,
    });
  });
});
